"""Flags at and past their edges are refused in one sentence naming the flag, before anything
large is allocated; the user's earlier result is left as it was."""

import numpy as np
import pytest

from .support import PEAK_MIB, WITHIN, message_problems

NPY = ["--out", "result.npy"]
PNG = ["--out", "result.png"]

COMPUTE = {
    "stride-0": (["--stride", "0", *NPY], ["stride"]),
    "stride-minus-1": (["--stride", "-1", *NPY], ["stride"]),
    "stride-three-axes": (["--stride", "1,1,1", *NPY], ["stride"]),
    "padding-99999999": (["--padding", "99999999", *NPY], ["padding"]),
    "padding-minus-1": (["--padding", "-1", *NPY], ["padding"]),
    "padding-word": (["--padding", "huge", *NPY], ["padding"]),
    "padding-reflect-too-wide": (
        ["--padding", "40", "--padding-mode", "reflect", *NPY],
        ["padding"],
    ),
    "dilation-0": (["--dilation", "0", *NPY], ["dilation"]),
    "dilation-99999999": (["--dilation", "99999999", *NPY], ["dilation"]),
    "scale-0": (["--scale", "0", *PNG], ["scale"]),
    "scale-100000": (["--scale", "100000", *PNG], ["scale"]),
    "scale-words": (["--scale", "big", *PNG], ["scale"]),
    "colormap-unknown": (["--colormap", "nope", *PNG], [("colormap", "colour map")]),
    "bias-wrong-count": (["--bias", "1", "2", "3", *NPY], ["bias"]),
    "layer-0": (["--layer", "0", *NPY], ["layer"]),
    "layer-99": (["--layer", "99", *NPY], ["layer"]),
    "pool-max-0": (["--pool", "max:0", *NPY], ["pool"]),
    "pool-max-abc": (["--pool", "max:abc", *NPY], ["pool"]),
    "pool-max-99999999": (["--pool", "max:99999999", *NPY], ["pool"]),
    "pool-stride-0": (["--pool", "avg:2:0", *NPY], ["pool"]),
    "pool-padding-99999999": (["--pool", "max:2:1:99999999", *NPY], ["pool"]),
    "pool-unknown-kind": (["--pool", "min:2", *NPY], ["pool"]),
    "pool-too-many-numbers": (["--pool", "max:2:2:0:7", *NPY], ["pool"]),
    "kernel-missing-file": (["--kernel", "nowhere.npy", *NPY], ["nowhere.npy"]),
    "unknown-suffix": (["--out", "result.txt"], ["result.txt"]),
    "unknown-demo": (["--demo", "nope", *NPY], ["nope"]),
    "unknown-flag": (["--bogus", *NPY], ["--bogus"]),
    "no-out": ([], ["--out"]),
}


@pytest.mark.parametrize("case", COMPUTE)
def test_compute_refuses_a_flag_past_its_edge(ws, case):
    args, words = COMPUTE[case]
    source = [] if "--demo" in args else ["--demo", "letter-h"]
    ws.refuse("compute", *source, *args, words=words)


def test_compute_refuses_two_sources(ws):
    ws.project()
    ws.refuse(
        "compute",
        "--demo",
        "letter-h",
        "--project",
        "x.convviz",
        *NPY,
        words=[("--demo", "--project")],
    )


@pytest.mark.parametrize("stride", ["99999999", "99999999,1"])
def test_a_huge_stride_computes_one_cell_or_is_refused(ws, stride):
    """A stride wider than the input is legal in PyTorch (one window fits): computing the few
    cells or refusing the stride in words are both fine; crashing or allocating is not."""
    run, changes = ws.run(
        "compute", "--demo", "letter-h", "--padding", "valid", "--stride", stride, "--out", "s.npy"
    )
    assert run.code in (0, 2), str(run)
    assert run.seconds < WITHIN and run.peak_mib < PEAK_MIB, str(run)
    if run.code == 0:
        assert run.err == "", str(run)
        assert changes == ["s.npy was left behind (a new file)"], changes
        assert np.load(ws.path("s.npy")).size <= 14 * 14, str(run)
    else:
        assert not message_problems(run.err, ["stride"]), str(run)
        assert changes == [], changes
