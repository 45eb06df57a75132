"""The layers of a project file: each written as JSON and read back with every setting checked."""

from __future__ import annotations

from ..engine import (
    ACTIVATIONS,
    ActivationLayer,
    ConvLayer,
    FlattenLayer,
    LinearLayer,
    PoolLayer,
    conv_geometry,
)
from .project_fields import (
    ProjectError,
    decode,
    encode,
    kind_text,
    plain,
    required,
    tuples,
    whole_numbers,
)


def layer_document(layer) -> dict:
    if isinstance(layer, ConvLayer):
        return {
            "type": "conv",
            "weight": encode(layer.weight),
            "bias": None if layer.bias is None else encode(layer.bias),
            "settings": {name: plain(v) for name, v in layer.settings.items()},
        }
    if isinstance(layer, PoolLayer):
        return {
            "type": "pool",
            "kind": layer.kind,
            "kernel_size": plain(layer.kernel_size),
            "stride": plain(layer.stride),
            "padding": plain(layer.padding),
            "dilation": plain(layer.dilation),
            "ceil_mode": layer.ceil_mode,
            "count_include_pad": layer.count_include_pad,
        }
    if isinstance(layer, FlattenLayer):
        return {"type": "flatten"}
    if isinstance(layer, LinearLayer):
        return {
            "type": "linear",
            "weight": encode(layer.weight),
            "bias": None if layer.bias is None else encode(layer.bias),
        }
    return {"type": "activation", "function": layer.function, "options": dict(layer.options)}


LAYER_KINDS = ("conv", "pool", "activation", "flatten", "linear")
CONV_LAYER_SETTINGS = ("stride", "padding", "dilation", "groups", "padding_mode", "flip")


def parse_layer(raw, number: int, nd: int, where: str):
    """One entry of 'layers', checked: a wrong type or setting names the layer."""
    here = f"{where}: field 'layers', entry {number}"
    if not isinstance(raw, dict) or raw.get("type") not in LAYER_KINDS:
        raise ProjectError(f"{here} needs a 'type' of conv, pool, activation, flatten or linear")
    try:
        if raw["type"] == "flatten":
            return FlattenLayer()
        if raw["type"] == "linear":
            weight = decode(required(raw, "weight", list, here), "weight", here)
            bias = raw.get("bias")
            bias = None if bias is None else decode(bias, "bias", here)
            return LinearLayer(weight, bias)  # checks the shapes, in words
        if raw["type"] == "activation":
            function = required(raw, "function", str, here)
            if function not in ACTIVATIONS:
                raise ProjectError(
                    f"{here}: activation {function!r} is unknown; use {', '.join(ACTIVATIONS)}"
                )
            options = raw.get("options") or {}
            if not isinstance(options, dict):
                raise ProjectError(
                    f"{here}: field 'options' must be an object of named numbers, "
                    f"found {kind_text(options)}"
                )
            return ActivationLayer(function, dict(options))
        if raw["type"] == "pool":
            flags = {"ceil_mode": False, "count_include_pad": True}
            for name, default in flags.items():
                flags[name] = raw.get(name, default)
                if not isinstance(flags[name], bool):
                    raise ProjectError(
                        f"{here}: field '{name}' must be true or false, "
                        f"found {kind_text(flags[name])}"
                    )
            layer = PoolLayer(
                required(raw, "kind", str, here),
                whole_numbers(required(raw, "kernel_size", list, here), "kernel_size", here),
                whole_numbers(raw.get("stride"), "stride", here, allow_none=True),
                whole_numbers(raw.get("padding", 0), "padding", here),
                whole_numbers(raw.get("dilation", 1), "dilation", here),
                flags["ceil_mode"],
                flags["count_include_pad"],
            )
            if layer.kind not in ("max", "avg") or len(layer.kernel_size) != nd:
                raise ProjectError(f"{here}: a pooling needs kind max or avg and {nd} sizes")
            layer.window(nd)  # checks every number
            return layer
        weight = decode(required(raw, "weight", list, here), "weight", here)
        bias = raw.get("bias")
        bias = None if bias is None else decode(bias, "bias", here)
        settings = {k: tuples(v) for k, v in required(raw, "settings", dict, here).items()}
        unknown = set(settings) - set(CONV_LAYER_SETTINGS)
        if unknown:
            raise ProjectError(f"{here}: unknown settings {sorted(unknown)}")
        for name in ("stride", "dilation", "groups"):
            if name in settings:
                whole_numbers(plain(settings[name]), f"settings.{name}", here)
        if weight.ndim != nd + 2 or (bias is not None and bias.shape != (weight.shape[0],)):
            raise ProjectError(
                f"{here}: the weight needs (filters, channels, {nd} kernel sizes) and the bias "
                "one number per filter"
            )
        roomy = (weight.shape[1] * settings.get("groups", 1), *(1 << 12,) * nd)
        conv_geometry(roomy, weight.shape, **settings)  # checks every setting
        return ConvLayer(weight, bias, settings)
    except (ValueError, TypeError, OverflowError) as error:
        if isinstance(error, ProjectError):
            raise
        raise ProjectError(f"{here}: {error}") from None
