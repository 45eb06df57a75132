"""Importing a photo as the input: size dialog, colour channels, bad files."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog, QMessageBox

from convviz.qt.files.image_import import ImageImportDialog, import_image


def photo(tmp_path, rows=300, cols=200, name="photo.png"):
    yy, xx = np.mgrid[0:rows, 0:cols]
    pixels = np.stack([xx % 256, yy % 256, (xx + yy) % 256], axis=-1).astype(np.uint8)
    path = tmp_path / name
    Image.fromarray(pixels).save(path)
    return path, pixels


def accepting(colour=0, side=None):
    class Dialog(ImageImportDialog):
        def exec(self):
            self.colour.setCurrentIndex(colour)
            if side is not None:
                self.side.setValue(side)
            return QDialog.DialogCode.Accepted

    return Dialog


def test_a_large_photo_is_shrunk_to_128_cells_by_default(window, tmp_path):
    path, pixels = photo(tmp_path)
    assert import_image(window, path, accepting())
    s = window.session
    assert s.document.x.shape == (1, 128, 85)
    grey = np.asarray(Image.fromarray(pixels).convert("L"), dtype=float)
    assert s.document.x[0].mean() == pytest.approx(grey.mean(), abs=1.5)
    assert "Imported photo.png as a 128×85 grid" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert s.document.x.shape == (1, 16, 16)


def test_colour_channels(window, tmp_path):
    path, pixels = photo(tmp_path, 20, 30)
    assert import_image(window, path, accepting(colour=1))
    s = window.session
    assert s.document.x.shape == (3, 20, 30) and s.document.weight.shape == (1, 3, 3, 3)
    np.testing.assert_array_equal(s.document.x[0], pixels[..., 0])
    assert window.input_view.shown_channels() == [0, 1, 2]  # side by side


def test_larger_grids_are_allowed_with_a_warning(window, tmp_path):
    dialog = ImageImportDialog("photo.png", 400, 400)
    dialog.side.setValue(300)
    assert dialog.grid_size() == (300, 300)
    assert "takes long" in dialog.warning.text()
    dialog.side.setValue(100)
    assert dialog.warning.text() == ""


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"\x89PNG\r\n\x1a\n broken", "broken.png", "broken.png is not a readable image"),
        (b"hello", "notes.txt", "notes.txt is not an image convviz reads"),
    ],
)
def test_bad_files_are_explained_and_nothing_changes(
    window, tmp_path, monkeypatch, content, name, words
):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    (tmp_path / name).write_bytes(content)
    before = window.session.document.x.copy()
    assert not import_image(window, tmp_path / name, accepting())
    assert words in said[0]
    np.testing.assert_array_equal(window.session.document.x, before)


def test_a_signal_from_csv_becomes_a_1d_input(window, tmp_path):
    from convviz.qt.files.image_import import import_data

    (tmp_path / "ecg.csv").write_text(",".join(str(v) for v in range(12)) + "\n")
    assert import_data(window, tmp_path / "ecg.csv")
    s = window.session
    assert s.document.x.shape == (1, 12) and s.document.weight.shape == (1, 1, 3)
    assert window.input_view.plot.isVisible()
    s.playhead.run_to_end()
    np.testing.assert_allclose(s.feature_map()[0, 1:-1], np.arange(1, 11))  # a running mean
    window.undo_stack.undo()
    assert s.document.x.shape == (1, 16, 16)


def test_a_volume_from_npy_and_a_bad_data_file(window, tmp_path, monkeypatch):
    from convviz.qt.files.image_import import import_data

    np.save(tmp_path / "vol.npy", np.ones((1, 4, 5, 6)))
    assert import_data(window, tmp_path / "vol.npy")
    assert window.session.nd == 3 and window.session.document.weight.shape == (1, 1, 3, 3, 3)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    (tmp_path / "bad.csv").write_text("1,2\n3,x\n")
    assert not import_data(window, tmp_path / "bad.csv")
    assert "bad.csv, line 2: 'x' is not a number" in said[0]
    assert window.session.nd == 3


def test_a_photo_that_takes_a_moment_says_so_while_it_computes(window, tmp_path, monkeypatch):
    # A 1100×1100 photo: a moment of computing, said with the busy cursor and a
    # sentence, gone once the maps are drawn.
    from PySide6.QtWidgets import QApplication

    path, _ = photo(tmp_path, 1100, 1100)
    seen = {}
    edits = window.session.edits
    replace = edits.replace_input

    def watched(pixels, text):
        cursor = QApplication.overrideCursor()
        seen["cursor"] = None if cursor is None else cursor.shape()
        seen["words"] = window.statusBar().currentMessage()
        replace(pixels, text)

    monkeypatch.setattr(edits, "replace_input", watched)
    assert import_image(window, path, accepting(side=1100))
    from PySide6.QtCore import Qt

    assert seen["cursor"] == Qt.CursorShape.WaitCursor
    assert seen["words"] == "Computing the maps of a 1100×1100 picture…"
    assert QApplication.overrideCursor() is None
    assert "Imported photo.png as a 1100×1100 grid" in window.statusBar().currentMessage()


def test_a_4096_pixel_photo_may_be_taken_whole_with_a_warning(qtbot):
    dialog = ImageImportDialog("big.png", 4096, 4096)
    qtbot.addWidget(dialog)
    dialog.side.setValue(4096)
    assert dialog.grid_size() == (4096, 4096)
    dialog.colour.setCurrentIndex(1)  # colour: three channels
    words = dialog.warning.text()
    assert "More than 2048 a side" in words and "384 MB" in words and "2.6 GB" in words
    dialog.side.setValue(2048)
    assert "2048 a side" not in dialog.warning.text() and dialog.warning.text()
