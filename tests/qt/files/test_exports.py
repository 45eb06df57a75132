"""Exports from the window, read back: pictures, the window, data, animations."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog

from convviz.colormaps import colourise, value_range
from convviz.qt.files.animation import ExportCancelled
from convviz.qt.files.exports import (
    AnimationDialog,
    PictureDialog,
    PictureOptions,
    write_picture,
)


def read(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"))


def test_one_pixel_per_cell_is_exact(window, tmp_path):
    s = window.session
    path = write_picture(s, tmp_path / "map.png", PictureOptions(scale=1), "viridis")
    picture = read(path)
    assert picture.shape == (16, 16, 4)
    low, high = value_range(s.pipeline.stepper.output, "symmetric")
    np.testing.assert_array_equal(
        picture, colourise(s.pipeline.stepper.output[0], "viridis", low, high)
    )


def test_scaled_with_labels_grid_lines_and_colour_bar(window, tmp_path):
    options = PictureOptions(scale=30, labels=True, grid_lines=True, colour_bar=True)
    picture = read(write_picture(window.session, tmp_path / "map.png", options, "diverging"))
    assert picture.shape[0] == 16 * 30 and picture.shape[1] > 16 * 30 + 20
    cell = picture[7 * 30 + 2 : 7 * 30 + 28, 7 * 30 + 2 : 7 * 30 + 28, :3]
    assert len(np.unique(cell.reshape(-1, 3), axis=0)) > 2  # a number written on the cell


def test_fixed_range_and_other_subjects(window, tmp_path):
    window.open_demo("edges")
    options = PictureOptions(subject="kernel", scale=2, value_mode="fixed", fixed=(-2, 2))
    picture = read(write_picture(window.session, tmp_path / "k.png", options, "grey"))
    assert picture.shape == (3 * 2, 2 * 3 * 2 + 2, 4)  # two 3×3 kernels, a one-cell gap
    assert tuple(picture[0, 0, :3]) == (191, 191, 191)  # weight 1 of −2..2 is 3/4 grey
    options = PictureOptions(subject="input", scale=1)
    assert read(write_picture(window.session, tmp_path / "x.png", options, "grey")).shape == (
        16,
        16,
        4,
    )


def test_export_menu_writes_data_and_window(window, tmp_path, monkeypatch):
    target = {"path": ""}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (target["path"], ""))
    target["path"] = str(tmp_path / "map.csv")
    window.exports.export_data()
    rows = np.loadtxt(tmp_path / "map.csv", delimiter=",")
    np.testing.assert_allclose(rows, window.session.pipeline.stepper.output[0])
    target["path"] = str(tmp_path / "map.npy")
    window.exports.export_data()
    np.testing.assert_array_equal(
        np.load(tmp_path / "map.npy"), window.session.pipeline.stepper.output
    )
    target["path"] = str(tmp_path / "window.png")
    window.exports.export_window()
    assert read(tmp_path / "window.png").shape[:2] == (window.height(), window.width())


def test_picture_dialog_reads_its_widgets(window):
    dialog = PictureDialog(window)
    dialog.subject.setCurrentText("kernel")
    dialog.value_mode.setCurrentIndex(2)
    dialog.low.setValue(-3)
    options = dialog.options()
    assert options.subject == "kernel" and options.value_mode == "fixed"
    assert options.fixed == (-3, 1)


def test_animation_from_the_menu_and_cancel(window, tmp_path, monkeypatch):
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a.gif"), "")
    )
    monkeypatch.setattr(
        AnimationDialog,
        "exec",
        lambda self: (self.first.setValue(3), self.last.setValue(12), QDialog.DialogCode.Accepted)[
            -1
        ],
    )
    window.session.playhead.set_position(50)
    window.exports.export_animation()
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 10
    assert window.session.playhead.position == 50  # the lecture goes on where it was
    calls = {"n": 0}

    def cancelled(self):
        calls["n"] += 1
        return calls["n"] > 3

    monkeypatch.setattr(QProgressDialog, "wasCanceled", cancelled)
    with pytest.raises(ExportCancelled):
        window.exports.animate(tmp_path / "b.mp4", 1, 40, 8)
    assert not (tmp_path / "b.mp4").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gif", "config", "data"]


def test_export_lens_writes_the_lens_shown(window, tmp_path, monkeypatch):
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "lens.png"), "")
    )
    window.open_demo("im2col")
    window.session.playhead.set_position(5)
    window.exports.export_lens()
    lens = window.lenses.current
    picture = read(tmp_path / "lens.png")
    assert picture.shape[:2] == (lens.height(), lens.width())
    orange = (picture[..., 0] > 240) & (abs(picture[..., 1].astype(int) - 140) < 20)
    assert orange.sum() > 100  # the lit column, row and cell of the unfolded product


def test_the_animation_dialog_can_show_the_map_alone(window, tmp_path, monkeypatch):
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "m.gif"), "")
    )

    def choose(self):
        self.part.setCurrentIndex(self.part.findData("map"))
        self.last.setValue(4)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnimationDialog, "exec", choose)
    window.exports.export_animation()
    with Image.open(tmp_path / "m.gif") as gif:
        assert gif.n_frames == 4
        assert gif.size == (window.feature_map.width(), gif.size[1])
        assert abs(gif.size[1] - window.feature_map.height()) <= 40


def test_while_learning_the_exports_write_the_learned_kernels_map(
    qtbot, window, tmp_path, monkeypatch
):
    # The feature map shows the map of the kernel learned so far; its exports had written
    # the Kernel panel's map instead.
    import torch

    from convviz.model.lenses import learned_weights

    window.open_demo("learn-edges")  # opens on the learn lens
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    s = window.session
    assert s.learning and s.playhead.position == 4
    weight, _ = learned_weights(s.document, 4)
    x = torch.from_numpy(s.stage.x[None].copy())
    expected = torch.nn.functional.conv2d(x, torch.from_numpy(weight), padding="same")[0].numpy()
    offered = {}

    def save_as(*args, **kwargs):
        offered["name"] = " ".join(str(a) for a in (*args[1:], *kwargs.values()))
        return str(tmp_path / "learned.npy"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.exports.export_data()
    assert "learned_feature_map.npy" in offered["name"]
    np.testing.assert_allclose(np.load(tmp_path / "learned.npy"), expected, atol=1e-12)
    assert not np.allclose(expected, s.final_map())  # not the Kernel panel's map
    options = PictureOptions(subject="feature_map", scale=1, value_mode="fixed", fixed=(-1, 1))
    picture = read(write_picture(s, tmp_path / "learned.png", options, "grey"))
    grey = np.clip((expected[0] + 1) / 2, 0, 1) * 255
    np.testing.assert_allclose(picture[:, :, 0], grey, atol=1.5)
