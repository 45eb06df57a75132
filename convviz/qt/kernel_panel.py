"""The kernel editor: an editable grid, presets, size, normalise, random, and the rotated kernel."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..colormaps import value_range
from ..engine import KERNELS
from ..model import Session
from .grid_editing import GridEditing
from .grid_view import GridView

MAX_KERNEL = 15


class KernelPanel(QWidget):
    """Edits filter ``filter_index`` (its first channel) of the session's kernel."""

    message = Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.filter_index = 0
        self.colormap = "diverging"
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.title.setWordWrap(True)
        self.grid = GridView(editable=True)
        self.grid.setMinimumSize(150, 150)
        self.grid.setMaximumHeight(240)
        self.editing = GridEditing(self.grid, session, "kernel")
        self.editing.message.connect(self.message)
        self.rotated_title = QLabel("Rotated 180°: what meets the window")
        self.rotated = GridView(editable=False)
        self.rotated.setMinimumSize(150, 150)
        self.rotated.setMaximumHeight(240)

        self.filter_box = QSpinBox()
        self.filter_box.setPrefix("filter ")
        self.preset = QComboBox()
        self.preset.addItem("preset…")
        self.preset.addItems(list(KERNELS))
        self.rows = QSpinBox()
        self.cols = QSpinBox()
        for box, name in ((self.rows, "rows"), (self.cols, "columns")):
            box.setRange(1, MAX_KERNEL)
            box.setSuffix(f" {name}")
            box.setKeyboardTracking(False)
        self.normalise = QPushButton("Normalise (sum 1)")
        self.random = QPushButton("Random")

        controls = QGridLayout()
        controls.addWidget(self.preset, 0, 0, 1, 2)
        controls.addWidget(self.rows, 1, 0)
        controls.addWidget(self.cols, 1, 1)
        controls.addWidget(self.normalise, 2, 0)
        controls.addWidget(self.random, 2, 1)
        controls.addWidget(self.filter_box, 3, 0)
        grids = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.grid, 1)
        right = QVBoxLayout()
        right.addWidget(self.rotated_title)
        right.addWidget(self.rotated, 1)
        grids.addLayout(left, 1)
        grids.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grids, 1)
        layout.addLayout(controls)

        self.preset.activated.connect(self._on_preset_activated)
        self.rows.valueChanged.connect(self._on_size_changed)
        self.cols.valueChanged.connect(self._on_size_changed)
        self.normalise.clicked.connect(self._on_normalise_clicked)
        self.random.clicked.connect(self._on_random_clicked)
        self.filter_box.valueChanged.connect(self._on_filter_changed)
        session.data_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the session, without echoing values back as edits."""
        s = self.session
        filters = s.weight.shape[0]
        self.filter_index = min(self.filter_index, filters - 1)
        self.editing.index = self.filter_index
        plane = s.grid("kernel", self.filter_index)
        levels = value_range(s.weight, "symmetric")
        self.grid.show_values(plane, levels=levels, colormap=self.colormap)
        self.grid.editable_area = (0, 0, *plane.shape)
        flip = s.settings.flip
        self.rotated.setVisible(flip)
        self.rotated_title.setVisible(flip)
        if flip:
            self.rotated.show_values(plane[::-1, ::-1], levels=levels, colormap=self.colormap)
        kernel_shape = s.weight.shape[2:]
        with QSignalBlocker(self.rows), QSignalBlocker(self.cols), QSignalBlocker(self.filter_box):
            self.rows.setValue(plane.shape[0])
            self.cols.setValue(plane.shape[1])
            self.rows.setEnabled(len(kernel_shape) == 2)
            self.filter_box.setRange(1, filters)
            self.filter_box.setValue(self.filter_index + 1)
            self.filter_box.setVisible(filters > 1)
        channels = s.weight.shape[1]
        extra = f", filter {self.filter_index + 1} of {filters}" if filters > 1 else ""
        extra += f" (channel 1 of {channels})" if channels > 1 else ""
        kind = "true convolution: flipped" if flip else "cross-correlation: as drawn"
        self.title.setText(f"Kernel {'×'.join(map(str, kernel_shape))}{extra}, {kind}")

    def _run(self, action, *args) -> None:
        try:
            action(*args)
        except ValueError as error:
            self.message.emit(str(error))

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            self._run(
                self.session.set_kernel_preset, self.preset.itemText(index), self.filter_index
            )
        with QSignalBlocker(self.preset):
            self.preset.setCurrentIndex(0)

    def _on_size_changed(self) -> None:
        shape = (
            (self.cols.value(),) if self.session.nd == 1 else (self.rows.value(), self.cols.value())
        )
        self._run(self.session.resize_kernel, shape)

    def _on_normalise_clicked(self) -> None:
        self._run(self.session.normalise_kernel, self.filter_index)

    def _on_random_clicked(self) -> None:
        self._run(
            self.session.randomise_kernel,
            self.filter_index,
            int(np.random.default_rng().integers(1 << 31)),
        )

    def _on_filter_changed(self, value: int) -> None:
        self.filter_index = value - 1
        self.refresh()
