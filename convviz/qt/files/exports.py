"""File → Export: pictures of the grids, the window as it looks, the map's data, animations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
)

from ...io.arrays import save_map
from ...io.atomic import atomic_path
from ...io.picture import map_picture
from .animation import (
    LONG_EXPORT_FRAMES,
    PARTS,
    ExportCancelled,
    export_animation,
    frame_count,
    length_text,
)
from .projects import ask_file

SUBJECTS = {"feature map": "feature_map", "input": "input", "kernel": "kernel"}
RANGES = ("symmetric", "data", "fixed")


@dataclass
class PictureOptions:
    """How a grid is drawn into an image file."""

    subject: str = "feature_map"
    scale: int = 1
    labels: bool = False
    grid_lines: bool = False
    value_mode: str = "symmetric"
    fixed: tuple[float, float] = (-1.0, 1.0)
    colour_bar: bool = False


def subject_values(session, subject: str) -> np.ndarray:
    """The values a picture of ``subject`` shows: every map of the stepped layer, every channel
    it reads, or every filter's kernel (first channel), as the main views show them."""
    if subject == "feature_map":
        return session.shown_map()
    if subject == "input":
        return session.stage.x
    if subject == "kernel":
        return session.kernel_weights()[:, 0]
    raise ValueError(f"unknown subject {subject!r}")


def write_picture(session, path, options: PictureOptions, colormap: str) -> Path:
    """Draw ``options.subject`` into a PNG at ``path`` (atomically)."""
    from PIL import Image

    mode = options.fixed if options.value_mode == "fixed" else options.value_mode
    picture = map_picture(
        subject_values(session, options.subject),
        scale=options.scale,
        colormap=colormap,
        value_mode=mode,
        labels=options.labels,
        grid_lines=options.grid_lines,
        colour_bar=options.colour_bar,
    )
    path = Path(path)
    with atomic_path(path) as temporary:
        Image.fromarray(picture).save(temporary, format="PNG")
    return path


class PictureDialog(QDialog):
    """Options for a picture of the feature map, the input or the kernel."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a picture")
        self.subject = QComboBox()
        self.subject.addItems(list(SUBJECTS))
        self.scale = QSpinBox()
        self.scale.setRange(1, 200)
        self.scale.setValue(32)
        self.scale.setSuffix(" px per cell")
        self.labels = QCheckBox("write the values in the cells (from 12 px per cell)")
        self.labels.setChecked(True)
        self.grid_lines = QCheckBox("grid lines")
        self.grid_lines.setChecked(True)
        self.value_mode = QComboBox()
        self.value_mode.addItems(["symmetric around 0", "from the data", "fixed"])
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.low, -1.0), (self.high, 1.0)):
            box.setRange(-1e9, 1e9)
            box.setDecimals(3)
            box.setValue(value)
        self.colour_bar = QCheckBox("colour bar")
        form = QFormLayout(self)
        form.addRow("picture of", self.subject)
        form.addRow("size", self.scale)
        form.addRow("", self.labels)
        form.addRow("", self.grid_lines)
        form.addRow("colour range", self.value_mode)
        form.addRow("fixed from", self.low)
        form.addRow("fixed to", self.high)
        form.addRow("", self.colour_bar)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> PictureOptions:
        """What the dialog says."""
        return PictureOptions(
            subject=SUBJECTS[self.subject.currentText()],
            scale=self.scale.value(),
            labels=self.labels.isChecked(),
            grid_lines=self.grid_lines.isChecked(),
            value_mode=RANGES[self.value_mode.currentIndex()],
            fixed=(self.low.value(), self.high.value()),
            colour_bar=self.colour_bar.isChecked(),
        )


class AnimationDialog(QDialog):
    """Which steps, how often and how fast, for an animation; it says how long it will be."""

    def __init__(self, steps: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export an animation")
        self.first, self.last, self.every = QSpinBox(), QSpinBox(), QSpinBox()
        # A long walk starts as its first LONG_EXPORT_FRAMES steps: the user widens it knowingly.
        for box, value in ((self.first, 1), (self.last, min(steps, LONG_EXPORT_FRAMES))):
            box.setRange(0, steps)
            box.setValue(value)
        self.every.setRange(1, max(steps, 1))
        self.every.setPrefix("every ")
        self.every.setSuffix(" step(s)")
        self.fps = QDoubleSpinBox()
        self.fps.setRange(0.1, 60)
        self.fps.setValue(4)
        self.fps.setSuffix(" frames/s")
        self.part = QComboBox()
        for name, words in PARTS.items():
            self.part.addItem(words, name)
        self.length = QLabel()
        self.length.setWordWrap(True)
        self.steps = steps
        form = QFormLayout(self)
        form.addRow("show", self.part)
        form.addRow("from step", self.first)
        form.addRow("to step", self.last)
        form.addRow("take", self.every)
        form.addRow("speed", self.fps)
        form.addRow(self.length)
        form.addRow(
            QDialogButtonBox(
                QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                accepted=self.accept,
                rejected=self.reject,
            )
        )
        for box in (self.first, self.last, self.every, self.fps):
            box.valueChanged.connect(self._on_choice_changed)
        self._on_choice_changed()

    def frames(self) -> int:
        """Frames the chosen range makes."""
        return frame_count(self.first.value(), self.last.value(), self.every.value())

    def _on_choice_changed(self) -> None:
        text = length_text(self.frames(), self.fps.value())
        if self.steps > LONG_EXPORT_FRAMES:
            text += f" (the walk has {self.steps} steps: choose the range to export)"
        self.length.setText(text)


class ExportController(QObject):
    """Fills File → Export and carries the exports out, asking where to write."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        menu = window.export_menu
        menu.addAction("Picture of a grid (PNG)…", self.export_picture)
        menu.addAction("Window as it looks (PNG)…", self.export_window)
        menu.addAction("Lens as it looks (PNG)…", self.export_lens)
        menu.addAction("Feature map data (NPY or CSV)…", self.export_data)
        menu.addAction("Animation (GIF or MP4)…", self.export_animation)
        menu.addAction("Code: PyTorch script…", lambda: _export_code(window, "torch"))
        menu.addAction("Code: NumPy script…", lambda: _export_code(window, "numpy"))

    def _ask_path(self, title: str, name: str, filters: str) -> Path | None:
        return ask_file(self.window, title, "exports", filters, name, save=True)

    def _done(self, path: Path) -> None:
        self.window.show_message(f"Wrote {path}")

    def _failed(self, error: Exception) -> None:
        QMessageBox.warning(self.window, "Export failed", str(error))

    def export_picture(self) -> None:
        """Ask for options and a file, then write the picture."""
        dialog = PictureDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options()
        path = self._ask_path("Export picture", f"{options.subject}.png", "PNG images (*.png)")
        if path is None:
            return
        try:
            self._done(write_picture(self.window.session, path, options, self.window.colormap))
        except (OSError, ValueError) as error:
            self._failed(error)

    def export_window(self) -> None:
        """Write the window, as it looks now, to a PNG."""
        self._export_widget(self.window, "Export window", "convviz.png")

    def export_lens(self) -> None:
        """Write the middle of the window (the lens shown, or the computation) to a PNG."""
        lens = self.window.session.view.lens
        self._export_widget(self.window.lenses.current, "Export lens", f"lens-{lens}.png")

    def _export_widget(self, widget, title: str, name: str) -> None:
        path = self._ask_path(title, name, "PNG images (*.png)")
        if path is None:
            return
        try:
            with atomic_path(path) as temporary:
                if not widget.grab().save(str(temporary), "PNG"):
                    raise OSError(f"could not write {path.name}")
            self._done(path)
        except (OSError, ValueError) as error:
            self._failed(error)

    def export_data(self) -> None:
        """Write every filter's map, as the feature map shows it, as .npy or .csv."""
        session = self.window.session
        name = "learned_feature_map.npy" if session.learning else "feature_map.npy"
        path = self._ask_path("Export data", name, "NumPy arrays (*.npy);;CSV tables (*.csv)")
        if path is None:
            return
        try:
            save_map(path, session.shown_map())
            self._done(path)
        except (OSError, ValueError) as error:
            self._failed(error)

    def export_animation(self) -> None:
        """Ask for steps and speed, then render with a progress dialog that can cancel."""
        steps = self.window.session.playhead.steps
        dialog = AnimationDialog(steps, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path = self._ask_path(
            "Export animation", "convviz.gif", "Animated GIF (*.gif);;MP4 video (*.mp4)"
        )
        if path is None:
            return
        first, last = dialog.first.value(), dialog.last.value()
        self.window.playback.pause()
        try:
            part = dialog.part.currentData()
            fps, every = dialog.fps.value(), dialog.every.value()
            self._done(self.animate(path, first, last, fps, every, part))
        except ExportCancelled:
            self.window.show_message("Animation export cancelled: nothing was written")
        except (OSError, ValueError) as error:
            self._failed(error)

    def animate(
        self, path, first: int, last: int, fps: float, every: int = 1, part: str = "stage"
    ) -> Path:
        """Render with a progress dialog; ExportCancelled if the user cancels."""
        count = max(frame_count(first, last, every), 1)
        progress = QProgressDialog("Rendering frames…", "Cancel", 0, count, self.window)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def tick(done: int, total: int) -> bool:
            progress.setValue(done)
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            return export_animation(self.window, path, first, last, fps, tick, every, part)
        finally:
            progress.close()


def _export_code(window, flavour: str) -> None:
    """File → Export → Code (its module, and the code writers, load on first use)."""
    from .code_export import export_code

    export_code(window, flavour)
