"""Project files (``.convviz``): a Document plus view options, as JSON with a format version,
saved atomically.

Reading checks every field and names the first one that is wrong, so that a corrupt, truncated,
newer or hand-edited file is refused with a sentence, and nothing else is touched. Files of
format 1 from earlier versions kept the activation after the first convolution in its own
field; it is read into ``layers`` (where it lives now) and written there.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import ACTIVATIONS, PADDING_MODES, ActivationLayer, conv_geometry
from ..engine.limits import check_window_budget
from ..io.atomic import atomic_path
from ..io.readers import read_bytes
from .document import Document
from .project_fields import (
    NewerProjectError,
    ProjectError,
    decode,
    encode,
    finite_float,
    ints,
    required,
)
from .project_gradient import gradient_document, parse_gradient
from .project_layers import layer_document, parse_layer
from .settings import ConvSettings

FORMAT = "convviz-project"
VERSION = 1


@dataclass(frozen=True)
class Project:
    """Everything a project file holds: the document, where the playhead stood, and the
    views' options."""

    document: Document
    position: int = 0
    stage: int = 0  # the layer being stepped (0: the first convolution)
    view: dict = field(default_factory=dict)

    def save(self, path: str | os.PathLike) -> Path:
        """Write this project to ``path`` as a ``.convviz`` file (see ``save_project``)."""
        return save_project(path, self)


def project_json(project: Project) -> str:
    """The text of a project file."""
    d = project.document
    s = d.settings
    document = {
        "format": FORMAT,
        "version": VERSION,
        "demo": d.demo_name,
        "input": encode(d.x),
        "weight": encode(d.weight),
        "bias": encode(d.bias),
        "use_bias": bool(d.use_bias),
        "settings": {
            "stride": list(s.stride),
            "padding": s.padding if isinstance(s.padding, str) else [list(p) for p in s.padding],
            "dilation": list(s.dilation),
            "padding_mode": s.padding_mode,
            "flip": s.flip,
            "groups": s.groups,
        },
        "layers": [layer_document(layer) for layer in d.layers],
        "stage": int(project.stage),
        "position": int(project.position),
        "view": project.view,
    }
    if not d.gradient.is_default:  # older convviz ignores it; files without it read as before
        document["gradient"] = gradient_document(d.gradient)
    return json.dumps(document, indent=1) + "\n"


def save_project(path: str | os.PathLike, project: Project) -> Path:
    """Write ``project`` to ``path`` atomically: the old file survives a crash mid-save."""
    path = Path(path)
    text = project_json(project)
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return path


def parse_project(text: str, where: str = "the project") -> Project:
    """Check and read the text of a project file; ``where`` names it in messages."""
    try:
        document = json.loads(text, parse_float=finite_float)
    except json.JSONDecodeError as error:
        raise ProjectError(
            f"{where} is not a readable convviz project (damaged or cut short "
            f"at line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ProjectError(
            f"{where} is not a convviz project: its lists are nested thousands deep"
        ) from None
    except ValueError:  # Python refuses integers of thousands of digits
        raise ProjectError(
            f"{where} is not a convviz project: it holds a number of thousands of digits"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProjectError(f"{where} is not a convviz project")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProjectError(f"{where}: field 'version' is missing or not a number")
    if version > VERSION:
        raise NewerProjectError(
            f"{where} was saved by a newer convviz (format {version}); this one "
            f"reads format {VERSION} and older. Update convviz to open it"
        )
    x = decode(required(document, "input", list, where), "input", where)
    weight = decode(required(document, "weight", list, where), "weight", where)
    bias = decode(required(document, "bias", list, where), "bias", where)
    nd = weight.ndim - 2
    if nd not in (1, 2, 3) or x.ndim != nd + 1:
        raise ProjectError(
            f"{where}: fields 'input' {x.shape} and 'weight' {weight.shape} do "
            "not fit: the input needs (channels, ...) and the weight (filters, "
            "channels, ...) with the same number of spatial axes"
        )
    if bias.shape != (weight.shape[0],):
        raise ProjectError(f"{where}: field 'bias' needs one number per filter ({weight.shape[0]})")
    raw = required(document, "settings", dict, where)
    padding = required(raw, "padding", (str, list), where, "settings.padding")
    if isinstance(padding, list):
        if len(padding) != nd or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, int) for v in p)
            for p in padding
        ):
            raise ProjectError(
                f"{where}: field 'settings.padding' needs a word or {nd} [before, after] pair(s)"
            )
        padding = tuple(tuple(p) for p in padding)
    mode = required(raw, "padding_mode", str, where, "settings.padding_mode")
    if mode not in PADDING_MODES:
        raise ProjectError(
            f"{where}: field 'settings.padding_mode' is {mode!r}; use one of "
            f"{', '.join(PADDING_MODES)}"
        )
    settings = ConvSettings(
        stride=ints(raw, "stride", nd, where),
        padding=padding,
        dilation=ints(raw, "dilation", nd, where),
        padding_mode=mode,
        flip=required(raw, "flip", bool, where, "settings.flip"),
        groups=required(raw, "groups", int, where, "settings.groups"),
    )
    use_bias = required(document, "use_bias", bool, where)
    try:  # the shapes and settings are checked here; the numbers are computed on opening
        geometry = conv_geometry(x.shape, weight.shape, **settings.as_kwargs())
        check_window_budget(geometry)
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
    layers = tuple(parse_layer(raw, i, nd, where) for i, raw in enumerate(raw_layers, start=1))
    if activation != "none":  # format 1 as saved before the activation became a layer
        layers = (ActivationLayer(activation), *layers)
    position = document.get("position", 0)
    stage = document.get("stage", 0)
    view = document.get("view", {})
    try:
        gradient = parse_gradient(document.get("gradient"), where)
        built = Document(
            x, weight, bias, use_bias, settings, layers, str(document.get("demo", "")), gradient
        )
    except ValueError as error:
        raise ProjectError(f"{where}: {error}") from None
    return Project(
        built,
        position if isinstance(position, int) and not isinstance(position, bool) else 0,
        stage if isinstance(stage, int) and not isinstance(stage, bool) else 0,
        view if isinstance(view, dict) else {},
    )


def load_project(path: str | os.PathLike) -> Project:
    """Read and check a project file; ProjectError names the file and what is wrong."""
    path = Path(path)
    try:
        raw = read_bytes(path, "project")
    except ValueError as error:
        raise ProjectError(str(error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"{path.name} is not a convviz project (it is not text)") from None
    return parse_project(text, path.name)
