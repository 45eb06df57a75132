"""File → Import image: a photo as the input grid, shrunk to a size that steps well."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
)

from ...io.arrays import fitted_size, image_size, load_image, load_input
from ..widgets.busy import busy
from .projects import app_settings, ask_file

STEPPING_SIDE = 128  # larger grids still work, but stepping them cell by cell takes long
LARGEST_SIDE = 4096  # a 4096×4096 colour photo still fits the engine's budget (limits.py)
PHOTO_SIDE = 2048  # larger, computing takes seconds and the copies of the grid grow large
MAX_DATA_CELLS = 1024 * 1024
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)"


class ImageImportDialog(QDialog):
    """Grey or colour, and how large: the size keeps the picture's proportions."""

    def __init__(self, name: str, rows: int, cols: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import image")
        self.rows, self.cols = rows, cols
        self.colour = QComboBox()
        self.colour.addItems(["grey (one channel)", "colour (red, green, blue channels)"])
        self.side = QSpinBox()
        self.side.setRange(1, LARGEST_SIDE)
        self.side.setValue(min(STEPPING_SIDE, max(rows, cols)))
        self.side.setSuffix(" cells at most per side")
        self.result_label = QLabel()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35900;")
        form = QFormLayout(self)
        form.addRow("image", QLabel(f"{name}: {rows}×{cols} pixels"))
        form.addRow("read as", self.colour)
        form.addRow("size", self.side)
        form.addRow("grid", self.result_label)
        form.addRow(self.warning)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.side.valueChanged.connect(self._on_side_changed)
        self.colour.currentIndexChanged.connect(self._on_side_changed)
        self._on_side_changed()

    def grid_size(self) -> tuple[int, int]:
        """The input grid's size the dialog will make."""
        return fitted_size(self.rows, self.cols, self.side.value())

    def colour_mode(self) -> str:
        """``grey`` or ``rgb``."""
        return "rgb" if self.colour.currentIndex() == 1 else "grey"

    def _on_side_changed(self) -> None:
        rows, cols = self.grid_size()
        self.result_label.setText(f"{rows}×{cols} cells")
        large = max(rows, cols) > STEPPING_SIDE
        words = ""
        if large:
            words = (
                f"More than {STEPPING_SIDE} cells a side: it works, but stepping through "
                f"{rows * cols:,} cells one by one takes long, and the numbers only show when "
                "you zoom in."
            )
        if max(rows, cols) > PHOTO_SIDE:
            channels = 3 if self.colour.currentIndex() == 1 else 1
            megabytes = rows * cols * channels * 8 / 2**20
            # Measured: a 4096² colour photo peaked at 2.8 GB, about seven copies of its grid.
            words += (
                f" More than {PHOTO_SIDE} a side: computing its maps takes seconds and about "
                f"{7 * megabytes / 1024:.1f} GB of memory (each copy of the grid holds "
                f"{megabytes:,.0f} MB)."
            )
        self.warning.setText(words)


def chosen_file(window, path, title: str, folder: str, filters: str) -> Path | None:
    """``path``, or the file the user picks starting in the folder last used for ``folder``
    (None if they cancel); the folder is remembered."""
    if path is None:
        return ask_file(window, title, folder, filters)
    path = Path(path)
    app_settings().setValue(f"folders/{folder}", str(path.parent))
    return path


def import_image(window, path: str | Path | None = None, dialog_factory=ImageImportDialog) -> bool:
    """Ask for an image (unless ``path`` is given) and its size, then make it the input."""
    path = chosen_file(window, path, "Import image", "images", IMAGE_FILTER)
    if path is None:
        return False
    if window.session.nd != 2:
        QMessageBox.warning(
            window, "Cannot import image", "An image becomes a 2-D grid; open a 2-D demo first."
        )
        return False
    try:
        rows, cols = image_size(path)
        dialog = dialog_factory(path.name, rows, cols, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        pixels = load_image(path, dialog.colour_mode(), max(dialog.grid_size()))
    except ValueError as error:
        QMessageBox.warning(window, "Cannot import image", str(error))
        return False
    window.playback.pause()
    size = f"{pixels.shape[1]}×{pixels.shape[2]}"
    with busy(window, f"Computing the maps of a {size} picture…", pixels[0].size):
        window.session.edits.replace_input(pixels, f"Import {path.name}")
    window.show_message(
        f"Imported {path.name} as a {pixels.shape[1]}×{pixels.shape[2]} grid"
        + (" with 3 colour channels" if pixels.shape[0] == 3 else "")
    )
    return True


DATA_FILTER = "Numbers (*.csv *.txt *.npy)"


def import_data(window, path: str | Path | None = None) -> bool:
    """Ask for a CSV or NPY file and make its numbers the input (a one-row CSV is a signal)."""
    path = chosen_file(window, path, "Import data", "data", DATA_FILTER)
    if path is None:
        return False
    try:
        if path.suffix.lower() not in (".csv", ".txt", ".tsv", ".npy"):
            raise ValueError(
                f"{path.name} is not a CSV or NPY file; use File → Import image for pictures"
            )
        x = load_input(path)
        cells = int(np.prod(x.shape[1:]))
        if cells > MAX_DATA_CELLS:
            raise ValueError(
                f"{path.name} holds {cells:,} cells per channel; convviz steps at "
                f"most {MAX_DATA_CELLS:,}: cut it down first"
            )
    except ValueError as error:
        QMessageBox.warning(window, "Cannot import data", str(error))
        return False
    window.playback.pause()
    with busy(window, f"Computing the maps of {path.name}…", cells):
        window.session.edits.load_input(x, f"Import {path.name}")
    kind = {1: "a signal", 2: "a grid", 3: "a volume"}[x.ndim - 1]
    window.show_message(
        f"Imported {path.name} as {kind} of {'×'.join(map(str, x.shape[1:]))}"
        + (f" with {x.shape[0]} channels" if x.shape[0] > 1 else "")
    )
    return True
