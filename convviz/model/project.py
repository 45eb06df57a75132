"""Project files (``.convviz``): a Document plus view options, as JSON with a format version,
saved atomically.

Reading checks every field and names the first one that is wrong, so that a corrupt, truncated,
newer or hand-edited file is refused with a sentence, and nothing else is touched. Files of
format 1 from earlier versions kept the activation after the first convolution in its own
field; it is read into ``layers`` (where it lives now) and written there.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine import (
    ACTIVATIONS,
    PADDING_MODES,
    ActivationLayer,
    ConvLayer,
    PoolLayer,
    Stepper,
    conv_geometry,
)
from ..io.atomic import atomic_path
from .document import Document
from .settings import ConvSettings

FORMAT = "convviz-project"
VERSION = 1
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class ProjectError(ValueError):
    """A project file that cannot be read, with the reason in words."""


@dataclass(frozen=True)
class Project:
    """Everything a project file holds: the document, where the playhead stood, and the
    views' options."""

    document: Document
    position: int = 0
    stage: int = 0  # the layer being stepped (0: the first convolution)
    view: dict = field(default_factory=dict)


def _encode(array: np.ndarray):
    def number(v: float):
        if math.isfinite(v):
            return int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")

    def walk(a):
        return [walk(b) for b in a] if a.ndim > 1 else [number(float(v)) for v in a]

    return walk(np.asarray(array, dtype=np.float64))


def project_json(project: Project) -> str:
    """The text of a project file."""
    d = project.document
    s = d.settings
    document = {
        "format": FORMAT,
        "version": VERSION,
        "demo": d.demo_name,
        "input": _encode(d.x),
        "weight": _encode(d.weight),
        "bias": _encode(d.bias),
        "use_bias": bool(d.use_bias),
        "settings": {
            "stride": list(s.stride),
            "padding": s.padding if isinstance(s.padding, str) else [list(p) for p in s.padding],
            "dilation": list(s.dilation),
            "padding_mode": s.padding_mode,
            "flip": s.flip,
            "groups": s.groups,
        },
        "layers": [_layer_document(layer) for layer in d.layers],
        "stage": int(project.stage),
        "position": int(project.position),
        "view": project.view,
    }
    return json.dumps(document, indent=1) + "\n"


def _plain(value):
    """Tuples as lists, NumPy numbers as Python's, for JSON."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    return value


def _tuples(value):
    """JSON lists back to tuples (what the engine's layers hold)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _layer_document(layer) -> dict:
    if isinstance(layer, ConvLayer):
        return {
            "type": "conv",
            "weight": _encode(layer.weight),
            "bias": None if layer.bias is None else _encode(layer.bias),
            "settings": {name: _plain(v) for name, v in layer.settings.items()},
        }
    if isinstance(layer, PoolLayer):
        return {
            "type": "pool",
            "kind": layer.kind,
            "kernel_size": _plain(layer.kernel_size),
            "stride": _plain(layer.stride),
            "padding": _plain(layer.padding),
            "dilation": _plain(layer.dilation),
            "ceil_mode": layer.ceil_mode,
            "count_include_pad": layer.count_include_pad,
        }
    return {"type": "activation", "function": layer.function, "options": dict(layer.options)}


CONV_LAYER_SETTINGS = ("stride", "padding", "dilation", "groups", "padding_mode", "flip")


def _parse_layer(raw, number: int, nd: int, where: str):
    """One entry of 'layers', checked: a wrong type or setting names the layer."""
    here = f"{where}: field 'layers', entry {number}"
    if not isinstance(raw, dict) or raw.get("type") not in ("conv", "pool", "activation"):
        raise ProjectError(f"{here} needs a 'type' of conv, pool or activation")
    try:
        if raw["type"] == "activation":
            function = _field(raw, "function", str, here)
            if function not in ACTIVATIONS:
                raise ProjectError(
                    f"{here}: activation {function!r} is unknown; use {', '.join(ACTIVATIONS)}"
                )
            return ActivationLayer(function, dict(raw.get("options") or {}))
        if raw["type"] == "pool":
            layer = PoolLayer(
                _field(raw, "kind", str, here),
                _tuples(_field(raw, "kernel_size", list, here)),
                _tuples(raw.get("stride")),
                _tuples(raw.get("padding", 0)),
                _tuples(raw.get("dilation", 1)),
                bool(raw.get("ceil_mode", False)),
                bool(raw.get("count_include_pad", True)),
            )
            if layer.kind not in ("max", "avg") or len(layer.kernel_size) != nd:
                raise ProjectError(f"{here}: a pooling needs kind max or avg and {nd} sizes")
            layer.window(nd)  # checks every number
            return layer
        weight = _decode(_field(raw, "weight", list, here), "weight", here)
        bias = raw.get("bias")
        bias = None if bias is None else _decode(bias, "bias", here)
        settings = {k: _tuples(v) for k, v in _field(raw, "settings", dict, here).items()}
        unknown = set(settings) - set(CONV_LAYER_SETTINGS)
        if unknown:
            raise ProjectError(f"{here}: unknown settings {sorted(unknown)}")
        if weight.ndim != nd + 2 or (bias is not None and bias.shape != (weight.shape[0],)):
            raise ProjectError(
                f"{here}: the weight needs (filters, channels, {nd} kernel sizes) and the bias "
                "one number per filter"
            )
        roomy = (weight.shape[1] * settings.get("groups", 1), *(1 << 12,) * nd)
        conv_geometry(roomy, weight.shape, **settings)  # checks every setting
        return ConvLayer(weight, bias, settings)
    except (ValueError, TypeError) as error:
        if isinstance(error, ProjectError):
            raise
        raise ProjectError(f"{here}: {error}") from None


def save_project(path: str | os.PathLike, project: Project) -> Path:
    """Write ``project`` to ``path`` atomically: the old file survives a crash mid-save."""
    path = Path(path)
    text = project_json(project)
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return path


def _decode(value, name: str, where: str) -> np.ndarray:
    def walk(v):
        if isinstance(v, list):
            return [walk(u) for u in v]
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise ProjectError(f"{where}: field '{name}' must hold numbers, found {v!r}")
        if isinstance(v, str):
            if v not in _NON_FINITE:
                raise ProjectError(f"{where}: field '{name}' must hold numbers, found {v!r}")
            return _NON_FINITE[v]
        return float(v)

    try:
        array = np.array(walk(value), dtype=np.float64)
    except ValueError as error:
        if isinstance(error, ProjectError):
            raise
        raise ProjectError(
            f"{where}: field '{name}' must be a rectangular grid of numbers (rows of equal length)"
        ) from None
    return array


def _field(document: dict, name: str, kind, where: str):
    if name not in document:
        raise ProjectError(f"{where}: field '{name}' is missing")
    value = document[name]
    if kind is not None and not isinstance(value, kind):
        raise ProjectError(f"{where}: field '{name}' has the wrong type ({type(value).__name__})")
    return value


def _ints(settings: dict, name: str, nd: int, where: str) -> tuple[int, ...]:
    value = _field(settings, name, list, where)
    if len(value) != nd or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ProjectError(f"{where}: field 'settings.{name}' needs {nd} whole number(s)")
    return tuple(value)


def parse_project(text: str, where: str = "the project") -> Project:
    """Check and read the text of a project file; ``where`` names it in messages."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProjectError(
            f"{where} is not a readable convviz project (damaged or cut short "
            f"at line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProjectError(f"{where} is not a convviz project")
    version = document.get("version")
    if not isinstance(version, int):
        raise ProjectError(f"{where}: field 'version' is missing or not a number")
    if version > VERSION:
        raise ProjectError(
            f"{where} was saved by a newer convviz (format {version}); this one "
            f"reads format {VERSION} and older. Update convviz to open it"
        )
    x = _decode(_field(document, "input", list, where), "input", where)
    weight = _decode(_field(document, "weight", list, where), "weight", where)
    bias = _decode(_field(document, "bias", list, where), "bias", where)
    nd = weight.ndim - 2
    if nd not in (1, 2, 3) or x.ndim != nd + 1:
        raise ProjectError(
            f"{where}: fields 'input' {x.shape} and 'weight' {weight.shape} do "
            "not fit: the input needs (channels, ...) and the weight (filters, "
            "channels, ...) with the same number of spatial axes"
        )
    if bias.shape != (weight.shape[0],):
        raise ProjectError(f"{where}: field 'bias' needs one number per filter ({weight.shape[0]})")
    raw = _field(document, "settings", dict, where)
    padding = _field(raw, "padding", (str, list), where)
    if isinstance(padding, list):
        if len(padding) != nd or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, int) for v in p)
            for p in padding
        ):
            raise ProjectError(
                f"{where}: field 'settings.padding' needs a word or {nd} [before, after] pair(s)"
            )
        padding = tuple(tuple(p) for p in padding)
    mode = _field(raw, "padding_mode", str, where)
    if mode not in PADDING_MODES:
        raise ProjectError(
            f"{where}: field 'settings.padding_mode' is {mode!r}; use one of "
            f"{', '.join(PADDING_MODES)}"
        )
    settings = ConvSettings(
        stride=_ints(raw, "stride", nd, where),
        padding=padding,
        dilation=_ints(raw, "dilation", nd, where),
        padding_mode=mode,
        flip=bool(_field(raw, "flip", bool, where)),
        groups=int(_field(raw, "groups", int, where)),
    )
    use_bias = bool(_field(document, "use_bias", bool, where))
    try:
        Stepper(x, weight, bias if use_bias else None, **settings.as_kwargs())
    except ValueError as error:
        raise ProjectError(f"{where}: the settings do not fit the data: {error}") from None
    activation = document.get("activation", "none")
    if activation not in ("none", *ACTIVATIONS):
        raise ProjectError(
            f"{where}: field 'activation' is {activation!r}; use one of none, "
            f"{', '.join(ACTIVATIONS)}"
        )
    raw_layers = document.get("layers", [])
    if not isinstance(raw_layers, list):
        raise ProjectError(f"{where}: field 'layers' must be a list")
    layers = tuple(_parse_layer(raw, i, nd, where) for i, raw in enumerate(raw_layers, start=1))
    if activation != "none":  # format 1 as saved before the activation became a layer
        layers = (ActivationLayer(activation), *layers)
    position = document.get("position", 0)
    stage = document.get("stage", 0)
    view = document.get("view", {})
    return Project(
        Document(x, weight, bias, use_bias, settings, layers, str(document.get("demo", ""))),
        position if isinstance(position, int) and not isinstance(position, bool) else 0,
        stage if isinstance(stage, int) and not isinstance(stage, bool) else 0,
        view if isinstance(view, dict) else {},
    )


def load_project(path: str | os.PathLike) -> Project:
    """Read and check a project file; ProjectError names the file and what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ProjectError(f"cannot open {path.name}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"{path.name} is not a convviz project (it is not text)") from None
    return parse_project(text, path.name)
