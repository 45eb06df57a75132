"""Hand-edited, damaged and malicious ``.convviz`` files are refused in one sentence, quickly,
without filling the memory, and without touching the user's files."""

import json
import os

import pytest

DEEP = 100_000


def _settings_padding(document):
    document["settings"]["padding"] = [[10000, 10000], [10000, 10000]]


def _layer(entry):
    def change(document):
        document["layers"].append(entry)

    return change


def _deep_input(depth):
    def build(ws):
        path = ws.project()
        document = json.loads(path.read_text())
        document["input"] = "@@DEEP@@"
        text = json.dumps(document).replace('"@@DEEP@@"', "[" * depth + "]" * depth)
        path.write_text(text)
        return path

    return build


def _cell(literal):
    """The first input cell written as ``literal``, exactly as it stands in the file."""

    def build(ws):
        path = ws.project()
        document = json.loads(path.read_text())
        document["input"][0][0][0] = "@@CELL@@"
        path.write_text(json.dumps(document).replace('"@@CELL@@"', literal))
        return path

    return build


def _text(content: bytes):
    def build(ws):
        path = ws.path("x.convviz")
        path.write_bytes(content)
        return path

    return build


def _truncated(ws):
    path = ws.project()
    text = path.read_bytes()
    path.write_bytes(text[: len(text) // 2])
    return path


def _folder(ws):
    path = ws.path("x.convviz")
    path.mkdir()
    (path / "inside.txt").write_text("the user's note")
    return path


def _link(target):
    def build(ws):
        path = ws.path("x.convviz")
        path.symlink_to(target)
        return path

    return build


def _sparse(ws):
    """A 300 MB project file that takes no room on disk (a hole of zeros)."""
    path = ws.path("x.convviz")
    with open(path, "wb") as stream:
        stream.truncate(300 * 2**20)
    return path


def _changed(change, demo="letter-h"):
    def build(ws):
        return ws.project(demo=demo, change=change)

    return build


CASES = {
    # The settings and layers ask for arrays of billions of cells.
    "padding-10000": (_changed(_settings_padding), ["x.convviz", "padding"]),
    "pool-30000-padding-15000": (
        _changed(
            _layer(
                {
                    "type": "pool",
                    "kind": "max",
                    "kernel_size": [30000, 30000],
                    "padding": [15000, 15000],
                }
            )
        ),
        ["padding"],
    ),
    "pool-30000-no-padding": (
        _changed(
            _layer({"type": "pool", "kind": "max", "kernel_size": [30000, 30000], "padding": 0})
        ),
        [("pool", "kernel", "window")],
    ),
    "conv-layer-padding-10000": (
        _changed(
            _layer(
                {
                    "type": "conv",
                    "weight": [[[[1.0]]]],
                    "bias": None,
                    "settings": {"padding": 10000},
                }
            )
        ),
        ["padding"],
    ),
    "activation-unknown-option": (
        _changed(_layer({"type": "activation", "function": "leaky_relu", "options": {"bogus": 1}})),
        ["bogus"],
    ),
    "activation-slope-abc": (
        _changed(
            _layer(
                {
                    "type": "activation",
                    "function": "leaky_relu",
                    "options": {"negative_slope": "abc"},
                }
            )
        ),
        ["slope"],
    ),
    # JSON built to exhaust the parser.
    "input-100000-deep": (_deep_input(DEEP), ["x.convviz"]),
    "file-100000-deep": (_text(b"[" * DEEP + b"]" * DEEP), ["x.convviz"]),
    "file-100000-deep-objects": (_text(b'{"a":' * DEEP + b"1" + b"}" * DEEP), ["x.convviz"]),
    "input-900-deep": (_deep_input(900), ["x.convviz", "input"]),
    "cell-5000-digits": (_cell("9" * 5000), ["x.convviz"]),
    "cell-4000-digits": (_cell("9" * 4000), ["x.convviz", "input"]),
    "cell-1e400": (_cell("1e400"), ["x.convviz", "input"]),
    "cell-minus-1e400": (_cell("-1e400"), ["x.convviz", "input"]),
    # Files that are not projects at all, or not of this version.
    "version-99": (_changed(lambda d: d.update(version=99)), ["x.convviz", "newer"]),
    "truncated": (_truncated, ["x.convviz"]),
    "binary-garbage": (_text(os.urandom(4096)), ["x.convviz"]),
    "empty": (_text(b""), ["x.convviz"]),
    "json-list": (_text(b"[1, 2, 3]"), ["x.convviz"]),
    "json-string": (_text(b'"convviz-project"'), ["x.convviz"]),
    "utf16-text": (
        _text(json.dumps({"format": "convviz-project"}).encode("utf-16")),
        ["x.convviz"],
    ),
    "a-folder": (_folder, ["x.convviz", "folder"]),
    "link-to-dev-zero": (_link("/dev/zero"), ["x.convviz"]),
    "link-to-dev-urandom": (_link("/dev/urandom"), ["x.convviz"]),
    "broken-link": (_link("nowhere.convviz"), ["x.convviz"]),
    "300-MB-of-zeros": (_sparse, ["x.convviz", "MB"]),
}


@pytest.mark.parametrize("case", CASES)
def test_compute_refuses_a_hostile_project(ws, case):
    build, words = CASES[case]
    build(ws)
    ws.refuse("compute", "--project", "x.convviz", "--out", ws.keep.name, words=words)


def test_a_project_given_by_full_path_is_named_in_the_refusal(ws):
    path = ws.project(change=_settings_padding)
    ws.refuse("compute", "--project", str(path), "--out", str(ws.keep), words=["x.convviz"])


def test_a_valid_project_still_computes_under_the_memory_cap(ws):
    """The cap and limits used here do not break ordinary work: the same project, unchanged,
    computes and replaces the earlier result."""
    ws.project()
    run, changes = ws.run("compute", "--project", "x.convviz", "--out", "fresh.npy")
    assert run.code == 0, str(run)
    assert run.err == "", str(run)
    assert changes == ["fresh.npy was left behind (a new file)"], changes
