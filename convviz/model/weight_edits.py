"""Weights from a file put into the document's convolutions: which array becomes which layer's
weight and bias, checked to fit, as the fields of one undoable edit.

Layer 1 is the document's own convolution and may take weights of another size (its groups
follow the channels they split, and the next convolution's channels follow its filters, as
``Editor.replace_weight`` does); a deeper convolution takes whatever shape the layers around
it can run with. Anything that does not fit is refused in words, naming the array.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..engine import ConvLayer, LinearLayer, size_text
from .document import Document
from .layer_edits import MAX_LAYER_WORK, following_first_filters
from .pipeline import Pipeline


@dataclass(frozen=True)
class ConvSlot:
    """A convolution of the document that weights can go to.

    ``number`` is its line in the summary table (1: the document's convolution); ``slot`` its
    place in ``Document.layers`` (None for layer 1).
    """

    number: int
    slot: int | None
    weight_shape: tuple[int, ...]
    has_bias: bool
    kind: str = "conv"  # or "linear": a classifier's dense layer

    @property
    def title(self) -> str:
        """``layer 1: conv 2 × 3×3`` or ``layer 8: linear 128 → 10``."""
        if self.kind == "linear":
            outputs, inputs = self.weight_shape
            return f"layer {self.number}: linear {inputs} → {outputs}"
        filters, channels, *kernel = self.weight_shape
        return f"layer {self.number}: conv {filters} × {channels} × {size_text(kernel)}"


def conv_slots(document: Document) -> list[ConvSlot]:
    """Every layer of ``document`` that has weights (convolutions and linear layers), layer 1
    first."""
    slots = [ConvSlot(1, None, document.weight.shape, document.use_bias)]
    for slot, layer in enumerate(document.layers):
        if isinstance(layer, (ConvLayer, LinearLayer)):
            kind = "linear" if isinstance(layer, LinearLayer) else "conv"
            slots.append(ConvSlot(slot + 2, slot, layer.weight.shape, layer.bias is not None, kind))
    return slots


def matching_bias(key: str, arrays: dict) -> str | None:
    """The bias that goes with weight ``key`` (``conv1.weight`` → ``conv1.bias``), if there is
    one in ``arrays``."""
    if "weight" not in key:
        return None
    head, _, tail = key.rpartition("weight")
    bias = f"{head}bias{tail}"
    return bias if bias in arrays else None


def weights_for(document: Document, arrays: dict) -> list[str]:
    """The names of the arrays with a convolution's number of axes for ``document``
    (``(filters, channels, *kernel)``), in the file's order."""
    return [name for name, a in arrays.items() if np.ndim(a) == document.nd + 2]


def single_weight(document: Document, arrays: dict, where: str) -> str:
    """The one array of ``arrays`` that can be a convolution's weight for ``document``;
    ValueError listing the arrays when there is none or more than one (``where``: the file)."""
    fitting = weights_for(document, arrays)
    if len(fitting) == 1:
        return fitting[0]
    listing = ", ".join(f"{name} {_shape_text(np.shape(a))}" for name, a in arrays.items())
    if not fitting:
        raise ValueError(
            f"{where} holds no array of {document.nd + 2} axes (filters, channels, "
            f"{document.nd}-D kernel); it holds {listing}"
        )
    raise ValueError(
        f"{where} holds {len(fitting)} arrays that could be the weights ({', '.join(fitting)}); "
        f"name one with {where}:NAME"
    )


def _shape_text(shape) -> str:
    return size_text(shape) if len(shape) else "a single number"


def _checked_array(arrays: dict, key: str) -> np.ndarray:
    if key not in arrays:
        raise ValueError(f"there is no array {key!r}; the file holds {', '.join(arrays)}")
    array = np.asarray(arrays[key], dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{key!r} holds NaN or infinite numbers; weights must be finite")
    return array


def _linear_weight(arrays: dict, key: str, slot: ConvSlot) -> np.ndarray:
    weight = _checked_array(arrays, key)
    inputs = slot.weight_shape[1]
    if weight.ndim != 2 or weight.shape[1] != inputs or weight.shape[0] == 0:
        raise ValueError(
            f"{key!r} is {_shape_text(weight.shape)}; layer {slot.number} (linear) needs "
            f"(outputs, {inputs}): one row of {inputs} weights per output"
        )
    return weight


def _weight(arrays: dict, key: str, slot: ConvSlot, nd: int) -> np.ndarray:
    if slot.kind == "linear":
        return _linear_weight(arrays, key, slot)
    weight = _checked_array(arrays, key)
    if weight.ndim != nd + 2 or 0 in weight.shape:
        raise ValueError(
            f"{key!r} is {_shape_text(weight.shape)}; the weights of layer {slot.number} need "
            f"{nd + 2} axes: (filters, channels, {nd}-D kernel), like "
            f"{size_text(slot.weight_shape)}"
        )
    return weight


def _bias(arrays: dict, key: str | None, filters: int, number: int) -> np.ndarray | None:
    if key is None:
        return None
    bias = _checked_array(arrays, key)
    if bias.shape != (filters,):
        raise ValueError(
            f"{key!r} is {_shape_text(bias.shape)}; the bias of layer {number} needs one number "
            f"per filter ({filters})"
        )
    return bias


def _first_fields(document: Document, weight: np.ndarray, bias, key: str) -> dict:
    """Layer 1's weight and bias as document fields (groups and the next convolution follow,
    as ``Editor.replace_weight`` makes them)."""
    channels = document.x.shape[0]
    if channels % weight.shape[1]:
        raise ValueError(
            f"layer 1 reads {channels} channel(s), and each filter of {key!r} reads "
            f"{weight.shape[1]}, which does not divide {channels}"
        )
    groups = channels // weight.shape[1]
    if weight.shape[0] % groups:
        raise ValueError(
            f"{key!r} has {weight.shape[0]} filter(s), which cannot be split into {groups} "
            f"groups (the {channels} channels in groups of {weight.shape[1]})"
        )
    old = document.weight.shape[0]
    sources = [f if f < old else None for f in range(weight.shape[0])]
    return {
        "weight": weight,
        "bias": np.zeros(weight.shape[0]) if bias is None else bias,
        "use_bias": bias is not None,
        "settings": document.settings.with_changes(groups=groups),
        "layers": following_first_filters(document.layers, sources),
    }


def weights_fields(document: Document, arrays: dict, choices: dict) -> dict:
    """The document fields that put arrays of a weights file into its convolutions.

    Parameters
    ----------
    document : Document
        The document the weights go to.
    arrays : dict of str to numpy.ndarray
        The file's arrays (``convviz.io.weights.read_weights``).
    choices : dict of int to (str, str or None)
        For a layer number (1: the document's convolution; see ``conv_slots``), the name of
        the array that becomes its weight and of the one that becomes its bias (None: no bias).

    Returns
    -------
    dict
        Fields for ``Editor.change`` (one undoable edit); empty when nothing is chosen.

    Raises
    ------
    ValueError
        In words, naming the array: a shape that does not fit, numbers that are not finite,
        a layer that is not a convolution, or weights the layers around them cannot run with.
    """
    slots = {s.number: s for s in conv_slots(document)}
    fields: dict = {}
    layers = list(document.layers)
    nd = document.nd
    for number in sorted(choices):
        weight_key, bias_key = choices[number]
        slot = slots.get(number)
        if slot is None:
            raise ValueError(
                f"layer {number} has no weights; weights go to layers {', '.join(map(str, slots))}"
            )
        weight = _weight(arrays, weight_key, slot, nd)
        bias = _bias(arrays, bias_key, weight.shape[0], number)
        if slot.slot is None:
            fields = _first_fields(document, weight, bias, weight_key)
            layers = list(fields.pop("layers"))
            continue
        if slot.kind == "linear":
            layers[slot.slot] = LinearLayer(weight, bias)
            continue
        _check_work(document, slot, weight)
        layers[slot.slot] = replace(layers[slot.slot], weight=weight, bias=bias)
    if not choices:
        return {}
    fields["layers"] = tuple(layers)
    pipeline = Pipeline.of(document.replace(**fields))
    problem = pipeline.problem or pipeline.stack_problem
    if problem:
        raise ValueError(f"these weights do not fit the network: {problem}")
    return fields


def _check_work(document: Document, slot: ConvSlot, weight: np.ndarray) -> None:
    """Refuse weights too slow to recompute after every edit (as an added convolution is)."""
    outputs = Pipeline.of(document).outputs_that_run
    if len(outputs) < slot.number - 1:
        return  # the stack does not reach this layer yet: the check after the change says so
    cells = outputs[slot.number - 2][0].size
    work = weight.size * cells
    if work > MAX_LAYER_WORK:
        raise ValueError(
            f"weights {size_text(weight.shape)} on {size_text(outputs[slot.number - 2].shape[1:])}"
            f" cells are about {work:.1e} multiply-adds, too slow to recompute after every edit"
        )
