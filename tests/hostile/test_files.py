"""Outputs and inputs in the wrong place: a folder that is missing, locked, a file, or a folder
given as a file. Refused in a sentence naming the path; nothing half-written is left behind and
an existing result survives byte for byte."""

import os

import pytest

from .support import SENTINEL_NPY

LETTER_H = ["compute", "--demo", "letter-h"]


def test_out_into_a_folder_that_does_not_exist(ws):
    ws.refuse(*LETTER_H, "--out", "missing/result.npy", words=["missing"])


def test_out_into_a_folder_that_is_a_file(ws):
    ws.refuse(*LETTER_H, "--out", "result.npy/inside.npy", words=["result.npy"])


def test_out_into_a_locked_folder(ws):
    locked = ws.path("locked")
    locked.mkdir()
    (locked / "result.npy").write_bytes(ws.keep.read_bytes())
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        ws.refuse(*LETTER_H, "--out", "locked/result.npy", words=["locked"])
    finally:
        locked.chmod(0o700)


def test_out_into_a_folder_no_one_may_write(ws):
    """``/proc`` refuses new files even to root: the write itself fails."""
    ws.refuse(*LETTER_H, "--out", "/proc/convviz-hostile.npy", words=["proc"])


def test_out_onto_an_existing_folder(ws):
    folder = ws.path("results")
    folder.mkdir()
    (folder / "notes.txt").write_text("the user's notes")
    ws.refuse(*LETTER_H, "--out", "results", words=["results"])


def test_out_onto_an_existing_folder_named_like_a_picture(ws):
    folder = ws.path("map.png")
    folder.mkdir()
    (folder / "notes.txt").write_text("the user's notes")
    ws.refuse(*LETTER_H, "--out", "map.png", words=["map.png"])


def test_out_with_a_name_too_long_for_the_disk(ws):
    ws.refuse(*LETTER_H, "--out", "n" * 300 + ".npy", words=[("too long", "name")])


def test_input_that_is_a_folder(ws):
    ws.path("data").mkdir()
    ws.refuse(
        "compute",
        "--input",
        "data",
        "--kernel",
        "identity",
        "--out",
        "result.npy",
        words=["data", "folder"],
    )


def test_kernel_that_is_a_folder(ws):
    ws.path("k.npy").mkdir()
    ws.refuse(*LETTER_H, "--kernel", "k.npy", "--out", "result.npy", words=["k.npy", "folder"])


def test_input_that_is_an_endless_device(ws):
    ws.path("signal.csv").symlink_to("/dev/zero")
    ws.refuse(
        "compute",
        "--input",
        "signal.csv",
        "--kernel",
        "identity",
        "--out",
        "result.npy",
        words=["signal.csv"],
    )


@pytest.mark.parametrize(
    "args, out",
    [
        (["--layer", "99"], "result.npy"),  # refused after the whole stack was built
        (["--scale", "100000"], "result.png"),  # refused while making the picture
        (["--padding", "99999999"], "result.npy"),  # refused before computing
    ],
)
def test_an_existing_result_survives_a_failing_command_byte_for_byte(ws, args, out):
    before = ws.path(out).read_bytes()
    ws.refuse(*LETTER_H, *args, "--out", out)
    assert ws.path(out).read_bytes() == before
    assert sorted(p.name for p in ws.dir.iterdir()) == ["result.gif", "result.npy", "result.png"]
    if out == "result.npy":
        import numpy as np

        np.testing.assert_array_equal(np.load(ws.path(out)), SENTINEL_NPY)
