"""``snapshot`` and ``animate`` of a hostile project or with flags past their edges: refused
in exactly one line (no Qt warnings around it), quickly, with the user's pictures untouched."""

import pytest

from .support import WITHIN


def _padding_10000(document):
    document["settings"]["padding"] = [[10000, 10000], [10000, 10000]]


def _pool_30000(document):
    document["layers"].append(
        {"type": "pool", "kind": "max", "kernel_size": [30000, 30000], "padding": [15000, 15000]}
    )


@pytest.mark.parametrize(
    "command, out", [("snapshot", "result.png"), ("animate", "result.gif")], ids=str
)
@pytest.mark.parametrize("change", [_padding_10000, _pool_30000], ids=["padding", "pool"])
def test_a_window_of_a_hostile_project_is_refused(ws, command, out, change):
    """The padding is the first convolution's; the pooling is layer 2, stepped with
    ``--layer 2`` (stepping layer 1 of that project draws fine and shows the problem)."""
    ws.project(change=change)
    layer = ["--layer", "2", "--to", "3"] if change is _pool_30000 else []
    if command == "snapshot":
        layer = layer[:2]
    ws.refuse(
        command, "--project", "x.convviz", *layer, "--out", out, words=["padding"], within=WITHIN
    )


WINDOW_FLAGS = {
    "snapshot-size-1x1": (["snapshot", "--size", "1x1", "--out", "result.png"], ["size"]),
    "snapshot-step-minus-5": (["snapshot", "--step", "-5", "--out", "result.png"], ["step"]),
    "snapshot-layer-99": (["snapshot", "--layer", "99", "--out", "result.png"], ["layer"]),
    "animate-fps-0": (
        ["animate", "--fps", "0", "--out", "result.gif"],
        [("fps", "frames per second")],
    ),
    "animate-fps-nan": (
        ["animate", "--fps", "nan", "--out", "result.gif"],
        [("fps", "frames per second")],
    ),
    "animate-from-5-to-2": (
        ["animate", "--from", "5", "--to", "2", "--out", "result.gif"],
        [("from", "first")],
    ),
}


@pytest.mark.parametrize("case", WINDOW_FLAGS)
def test_a_window_flag_past_its_edge_is_refused(ws, case):
    args, words = WINDOW_FLAGS[case]
    ws.refuse(args[0], "--demo", "letter-h", *args[1:], words=words)
