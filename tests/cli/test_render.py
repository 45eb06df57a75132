"""convviz snapshot and animate: files read back with the right size, frames and pixels."""

import itertools

import imageio.v2 as imageio
import numpy as np
import pytest
from PIL import Image

from convviz.cli import main
from convviz.model import Document, Project, Session, save_project
from convviz.qt.files.animation import ExportCancelled
from convviz.qt.shell.render import animate

ORANGE = np.array([255, 140, 0])


def orange_pixels(rgb):
    return int((np.abs(rgb[..., :3].astype(int) - ORANGE).sum(axis=-1) < 40).sum())


def test_gif_has_one_frame_per_step_in_order(tmp_path, capsys):
    out = tmp_path / "steps.gif"
    assert (
        main(
            [
                "animate",
                "--demo",
                "letter-h",
                "--from",
                "5",
                "--to",
                "24",
                "--fps",
                "10",
                "--size",
                "1000x700",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "20 frames" in capsys.readouterr().out
    frames = []
    with Image.open(out) as gif:
        assert gif.n_frames == 20
        assert gif.info["duration"] == 100
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.asarray(gif.convert("RGB")))
    assert all(orange_pixels(f) > 100 for f in frames)  # window and newest cell outlined
    assert not np.array_equal(frames[0], frames[1])


def test_mp4_of_a_project(tmp_path, capsys):
    session = Session("cs231n")
    project = save_project(tmp_path / "lesson.convviz", session.to_project())
    out = tmp_path / "lesson.mp4"
    assert main(["animate", "--project", str(project), "--size", "900x600", "--out", str(out)]) == 0
    reader = imageio.get_reader(out)
    try:
        assert reader.count_frames() == 18
        width, height = reader.get_meta_data()["size"]
        assert width % 2 == 0 and height % 2 == 0
    finally:
        reader.close()


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_cancelling_leaves_no_file(tmp_path, suffix):
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        animate(
            folder / f"cancelled{suffix}",
            Project(Document.from_demo("letter-h")),
            first=1,
            last=30,
            size=(800, 600),
            progress=lambda done, count: done < 5,
        )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["animate", "--from", "0", "--to", "999"], "steps 0 to 999 do not exist"),
        (["animate", "--fps", "500"], "from 0.1 to 60 frames per second"),
        (["snapshot", "--step", "-1"], "step -1 does not exist"),
        (["snapshot", "--size", "big"], "size must look like 1600x950"),
        (["snapshot", "--demo", "tiny-cnn", "--layer", "6"], "layer 6 does not exist"),
    ],
)
def test_render_errors(tmp_path, capsys, argv, words):
    suffix = ".png" if argv[0] == "snapshot" else ".gif"
    out = tmp_path / f"x{suffix}"
    assert main([*argv, "--out", str(out)]) == 2
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_corrupt_project_is_named(tmp_path, capsys):
    bad = tmp_path / "bad.convviz"
    bad.write_text("{ not json")
    assert main(["snapshot", "--project", str(bad), "--out", str(tmp_path / "x.png")]) == 2
    assert "bad.convviz is not a readable convviz project" in capsys.readouterr().err


def test_a_gif_of_a_pooling_layer(tmp_path, capsys):
    out = tmp_path / "pool.gif"
    argv = ["animate", "--demo", "tiny-cnn", "--layer", "3", "--to", "3", "--size", "800x500"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "3 frames" in capsys.readouterr().out
    frames = imageio.mimread(out)
    assert len(frames) == 3
    # each frame differs from the last: the window moves and a new pooled cell appears
    assert all(np.any(a != b) for a, b in itertools.pairwise(frames))
    assert all(orange_pixels(frame) > 50 for frame in frames)


def _longest_orange_run(picture) -> int:
    orange = (
        (picture[..., 0] > 240)
        & (picture[..., 1] > 120)
        & (picture[..., 1] < 160)
        & (picture[..., 2] < 40)
    )
    longest = 0
    for row in orange:
        runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[0], row, [0]]))))[::2]
        longest = max(longest, int(runs.max()) if runs.size else 0)
    return longest


def test_snapshot_through_a_lens_draws_the_matrix_row(tmp_path):
    pictures = {}
    for lens in ("matrix", "sliding"):
        out = tmp_path / f"{lens}.png"
        args = ["snapshot", "--demo", "im2col", "--step", "5", "--lens", lens]
        assert main([*args, "--size", "1200x800", "--out", str(out)]) == 0
        with Image.open(out) as image:
            pictures[lens] = np.asarray(image.convert("RGB"))
    # The step's row of M, outlined across all 32 columns, is far longer than any window.
    assert _longest_orange_run(pictures["matrix"]) > 300
    assert _longest_orange_run(pictures["sliding"]) < 200


def test_snapshot_names_the_lenses_when_one_is_unknown(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["snapshot", "--lens", "x-ray", "--out", str(tmp_path / "w.png")])
    assert exit_.value.code == 2
    assert "unfolded" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("demo", "extra", "lens"),
    [("learn-edges", [], "learn"), ("tiny-cnn", ["--layer", "3"], "backward")],
)
def test_animate_through_the_backward_and_learn_lenses(tmp_path, demo, extra, lens):
    out = tmp_path / f"{lens}.gif"
    args = ["animate", "--demo", demo, *extra, "--lens", lens, "--to", "6", "--size", "1200x760"]
    assert main([*args, "--out", str(out)]) == 0
    frames = imageio.mimread(out)
    assert len(frames) == 6
    first, last = (np.asarray(f)[..., :3].astype(int) for f in (frames[0], frames[-1]))
    # Every frame is a new picture: the kernel learns, or another output hands back its share.
    changed = [
        int((np.abs(np.asarray(a)[..., :3].astype(int) - np.asarray(b)[..., :3]) > 30).sum())
        for a, b in itertools.pairwise(frames)
    ]
    assert min(changed) > 50
    if lens == "backward":  # the output handing its gradient back is outlined
        assert orange_pixels(first) > 0 and orange_pixels(last) > 0
    else:  # descent steps slide no window: nothing on the input is outlined
        assert orange_pixels(first) == 0 and orange_pixels(last) == 0


def test_animate_one_view_alone(tmp_path):
    from convviz.cli.parser import ANIMATED_PARTS
    from convviz.qt.files.animation import PARTS

    assert tuple(PARTS) == ANIMATED_PARTS
    sizes = {}
    for part in ("stage", "map"):
        out = tmp_path / f"{part}.gif"
        args = ["animate", "--demo", "letter-h", "--to", "3", "--size", "1200x800"]
        assert main([*args, "--part", part, "--out", str(out)]) == 0
        frames = imageio.mimread(out)
        assert len(frames) == 3
        sizes[part] = np.asarray(frames[0]).shape[:2]
        if part == "map":  # the map's newest cell is outlined in every frame
            assert all(orange_pixels(np.asarray(f)) > 0 for f in frames)
    # The map alone is a part of the stage: narrower, and no taller.
    assert sizes["map"][1] < sizes["stage"][1] / 2 and sizes["map"][0] <= sizes["stage"][0]


def test_animate_refuses_an_unknown_part(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["animate", "--part", "kernel", "--out", str(tmp_path / "k.gif")])
    assert exit_.value.code == 2 and "computation" in capsys.readouterr().err
