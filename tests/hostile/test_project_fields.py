"""Every field of a project file, hand-edited to a value of the wrong kind, is refused in a
sentence that names the field: no traceback, no crash, the user's files untouched.

Each field's table of wrong values runs in one capped interpreter (through the same ``main`` as
``python -m convviz``), to keep the suite fast.
"""

import json

import numpy as np
import pytest

from convviz.model import Session, save_project

from .support import (
    PEAK_MIB,
    SENTINEL_NPY,
    WITHIN,
    describe_changes,
    file_state,
    message_problems,
    run_many,
)

MISSING = object()
WRONG = {
    "null": None,
    "text": "hostile",
    "list": ["hostile", {}],
    "object": {"hostile": 1},
    "huge": 10**30,
    "true": True,
    "missing": MISSING,
}

TOP = (
    "format",
    "version",
    "demo",
    "input",
    "weight",
    "bias",
    "use_bias",
    "settings",
    "layers",
    "stage",
    "position",
    "view",
)
SETTINGS = ("stride", "padding", "dilation", "padding_mode", "flip", "groups")
# tiny-cnn's stack: relu, max pool, conv, avg pool.
LAYER_FIELDS = {
    1: ("type", "function", "options"),
    2: ("type", "kind", "kernel_size", "stride", "padding", "dilation", "ceil_mode"),
    3: ("type", "weight", "bias", "settings"),
    4: ("count_include_pad",),
}

# Where the view or the playhead stood, and the demo a project came from, do not change a
# computed map: reading such a field leniently (as its default) serves the user as well as
# refusing it.
LENIENT = {"demo", "stage", "position", "view"}
# Valid ways of writing a field (the value means "the default").
VALID = {
    ("layers", "missing"),  # files saved before stacks of layers
    ("demo", "missing"),
    ("stage", "missing"),
    ("position", "missing"),
    ("view", "missing"),
    ("layer 1.options", "null"),
    ("layer 1.options", "missing"),
    ("layer 2.stride", "null"),
    *((f"layer 2.{k}", "missing") for k in ("stride", "padding", "dilation", "ceil_mode")),
    ("layer 3.bias", "null"),
    ("layer 3.bias", "missing"),
    ("layer 4.count_include_pad", "missing"),
}


def _words(field: str):
    """What a message about ``field`` must say."""
    if field == "format":
        return [("format", "not a convviz project")]
    if field == "version":
        return [("version", "newer")]
    if field.startswith("settings."):
        return [field.split(".")[1]]
    if field.startswith("layer "):
        key = field.split(".")[1]
        also = {"function": ("activation",)}.get(key, ())
        return ["layer", (key, key.replace("_", " "), *also)]
    return [field]


def _holder(document: dict, field: str) -> tuple[dict, str]:
    if field.startswith("settings."):
        return document["settings"], field.split(".")[1]
    if field.startswith("layer "):
        number, key = field[len("layer ") :].split(".")
        return document["layers"][int(number) - 1], key
    return document, field


def _set(document: dict, field: str, value) -> None:
    holder, key = _holder(document, field)
    if value is MISSING:
        del holder[key]
    else:
        holder[key] = value


FIELDS = (
    *TOP,
    *(f"settings.{k}" for k in SETTINGS),
    *(f"layer {n}.{k}" for n, keys in LAYER_FIELDS.items() for k in keys),
)


def _safe(field: str) -> str:
    return field.replace(" ", "-").replace(".", "-")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every field's table of wrong values, each command run once through ``main`` in one
    capped interpreter; per field, the results and what changed in its folder."""
    root = tmp_path_factory.mktemp("fields")
    work = root / "work"
    commands, cases, folders = [], {}, {}
    for field in FIELDS:
        folder = work / _safe(field)
        folder.mkdir(parents=True)
        folders[field] = folder
        demo = "tiny-cnn" if field.startswith("layer ") else "letter-h"
        original = root / f"{demo}.convviz"
        if not original.exists():
            save_project(original, Session(demo).to_project())
        for kind, value in WRONG.items():
            document = json.loads(original.read_text())
            holder, key = _holder(document, field)
            if (field, kind) in VALID or (kind == "true" and isinstance(holder[key], bool)):
                continue  # a valid value, not a hostile one
            _set(document, field, value)
            project = folder / f"{kind}.convviz"
            project.write_text(json.dumps(document))
            out = folder / f"{kind}-result.npy"
            np.save(out, SENTINEL_NPY)  # the user's earlier result
            argv = ["compute", "--project", f"{folder.name}/{project.name}"]
            commands.append([*argv, "--out", f"{folder.name}/{out.name}"])
            cases[commands[-1][2]] = (field, kind)
    before = {field: file_state(folder) for field, folder in folders.items()}
    run, results = run_many(commands, work, root / "scratch")
    by_field = {field: [] for field in FIELDS}
    for result in results:
        field, kind = cases[result["argv"][2]]
        by_field[field].append((kind, result))
    changes = {
        field: describe_changes(before[field], file_state(folder))
        for field, folder in folders.items()
    }
    return run, by_field, changes, len(results) == len(commands)


@pytest.mark.parametrize("field", FIELDS)
def test_a_field_of_the_wrong_kind_is_refused_by_name(runs, field):
    run, by_field, changes, finished = runs
    assert finished, f"the commands did not all finish\n{run}"
    problems = []
    written = set()
    for kind, result in by_field[field]:
        value = "(the field removed)" if WRONG[kind] is MISSING else json.dumps(WRONG[kind])
        said = f"{field} = {value}: exit status {result['code']}, stderr {result['err']!r}"
        if result["code"] == 0 and field in LENIENT:
            written.add(f"{kind}-result.npy")
            continue
        if result["code"] != 2:
            problems.append(f"{said}: exit status {result['code']}, not 2")
            continue
        trouble = message_problems(result["err"], _words(field))
        if trouble:
            problems.append(f"{said}: {'; '.join(trouble)}")
        if result["seconds"] >= WITHIN:
            problems.append(f"{said}: took {result['seconds']:.1f} s")
    problems += [c for c in changes[field] if c.split()[0] not in written]
    if run.peak_mib >= PEAK_MIB:
        problems.append(f"the commands used {run.peak_mib:.0f} MiB")
    assert not problems, "\n".join(problems)
