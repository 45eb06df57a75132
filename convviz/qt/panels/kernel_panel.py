"""The kernel editor: an editable grid per filter and channel, presets, size, normalise, random,
filters added and removed, each filter's bias, and the rotated kernel of true convolution."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...colormaps import value_range
from ...engine import KERNELS
from ...model import Session, fmt
from ..session_view import SessionView
from ..widgets.grid_editing import GridEditing
from ..widgets.grid_view import GridView
from ..widgets.panel_title import panel_title

MAX_KERNEL = 15


def _spin(prefix: str) -> QSpinBox:
    box = QSpinBox()
    box.setPrefix(prefix)
    box.setKeyboardTracking(False)
    return box


class KernelPanel(SessionView, QWidget):
    """Edits channel ``channel_index`` of filter ``filter_index`` of the session's weights."""

    message = Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = panel_title()
        self.grid = GridView(editable=True)
        self.grid.setMinimumSize(110, 150)
        self.grid.setMaximumHeight(240)
        self.editing = GridEditing(self.grid, session, "kernel")
        self.editing.message.connect(self.message)
        self.grid.describe = self.describe_weight
        self.rotated_title = QLabel("Rotated 180°: what meets the window")
        self.rotated_title.setWordWrap(True)  # one line had widened the dock past a laptop's
        self._rotated: GridView | None = None

        self.filter_box = _spin("filter ")
        self.channel_box = _spin("channel ")
        self.depth_box = _spin("depth ")
        self.add_filter = QPushButton("+ filter")
        self.remove_filter = QPushButton("− filter")
        self.bias = QDoubleSpinBox()
        self.bias.setRange(-1e6, 1e6)
        self.bias.setDecimals(3)
        self.bias.setPrefix("bias ")
        self.bias.setKeyboardTracking(False)
        self.preset = QComboBox()
        self.preset.addItem("preset…")
        self.preset.addItems(list(KERNELS))
        self.rows = _spin("")
        self.cols = _spin("")
        for box in (self.rows, self.cols):
            box.setRange(1, MAX_KERNEL)
            box.valueChanged.connect(self._name_the_sizes)
        self._name_the_sizes()
        self.normalise = QPushButton("Normalise (sum 1)")
        self.random = QPushButton("Random")

        # Two controls a row, and the slice chosen in one row (the boxes a kernel lacks are
        # hidden): a row each had made the dock 60 px taller, which the Parameters below had
        # paid for with their output-size formula at 1920×1080.
        shown = QHBoxLayout()
        for box in (self.filter_box, self.channel_box, self.depth_box):
            shown.addWidget(box)
        controls = QGridLayout()
        controls.addLayout(shown, 0, 0, 1, 2)
        controls.addWidget(self.add_filter, 1, 0)
        controls.addWidget(self.remove_filter, 1, 1)
        controls.addWidget(self.bias, 2, 0)
        controls.addWidget(self.preset, 2, 1)
        controls.addWidget(self.rows, 3, 0)
        controls.addWidget(self.cols, 3, 1)
        controls.addWidget(self.normalise, 4, 0)
        controls.addWidget(self.random, 4, 1)
        self._grids = grids = QHBoxLayout()
        grids.addWidget(self.grid, 1)
        self._right = right = QVBoxLayout()
        right.addWidget(self.rotated_title)
        grids.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grids, 1)
        layout.addLayout(controls)
        layout.addStretch(1)  # a tall dock leaves its room below the buttons, not in the title

        self.preset.activated.connect(self._on_preset_activated)
        self.rows.valueChanged.connect(self._on_size_changed)
        self.cols.valueChanged.connect(self._on_size_changed)
        self.normalise.clicked.connect(self._on_normalise_clicked)
        self.random.clicked.connect(self._on_random_clicked)
        self.filter_box.valueChanged.connect(self._on_filter_changed)
        self.channel_box.valueChanged.connect(self._on_channel_changed)
        self.depth_box.valueChanged.connect(self._on_depth_changed)
        self.add_filter.clicked.connect(self._on_add_filter_clicked)
        self.remove_filter.clicked.connect(self._on_remove_filter_clicked)
        self.bias.valueChanged.connect(self._on_bias_changed)
        self.bind_session(session)
        self.refresh()

    def _shown(self) -> tuple[int, int, int]:
        """The filter, channel and depth slice shown: the view state's, within the weights."""
        view, weight = self.session.view, self.session.kernel_weights()
        depth = weight.shape[2] if weight.ndim == 5 else 1
        return (
            min(view.kernel_filter, weight.shape[0] - 1),
            min(view.kernel_channel, weight.shape[1] - 1),
            min(view.kernel_depth, depth - 1),
        )

    @property
    def filter_index(self) -> int:
        """The filter shown and edited."""
        return self._shown()[0]

    def _follow_window(self) -> bool:
        """Show the filter that meets the window now; True if that changed the filter shown
        (the view state's change has redrawn the panel then)."""
        s = self.session
        if s.picture_matches_input and s.stage.kind == "conv" and s.walk.geometry.filters > 1:
            before = s.view.kernel_filter
            s.view.set(kernel_filter=s.current.filter)
            return s.view.kernel_filter != before
        return False

    def _on_model_document_changed(self) -> None:
        if not self._follow_window():
            self.refresh()

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        # A deeper layer's kernels (or none for a pooling) when the stage changed.
        if not self._follow_window() and stage_changed:
            self.refresh()

    def _on_model_view_changed(self, name: str) -> None:
        if name in ("colormap", "kernel_filter", "kernel_channel", "kernel_depth"):
            self.refresh()

    def describe_weight(self, row: int, col: int) -> str:
        """``filter 1, channel 2, row 0, column 1: weight 0.2 (weight[0, 1, 0, 1] in PyTorch)``."""
        v = self.session.view
        weight = self.session.kernel_weights()
        value = self.grid.values[row, col]
        index = [v.kernel_filter, v.kernel_channel]
        if weight.ndim == 5:
            index.append(v.kernel_depth)
        index += [row, col] if weight.ndim >= 4 else [col]
        names = []
        if weight.shape[0] > 1:
            names.append(f"filter {v.kernel_filter + 1}")
        if weight.shape[1] > 1:
            names.append(f"channel {v.kernel_channel + 1}")
        if weight.ndim == 5:
            names.append(f"depth {v.kernel_depth}")
        names.append(f"row {row}, column {col}" if weight.ndim >= 4 else f"tap {col}")
        torch_index = ", ".join(map(str, index))
        return f"{', '.join(names)}: weight {fmt(value)} (weight[{torch_index}] in PyTorch)"

    @property
    def rotated(self) -> GridView:
        """The kernel rotated 180°, as true convolution meets the window (made the first time
        convolution is chosen)."""
        if self._rotated is None:
            self._rotated = GridView(editable=False)
            self._size_grid(self._rotated)
            self._rotated.hide()
            self._right.addWidget(self._rotated, 1)
        return self._rotated

    def _size_grid(self, grid: GridView) -> None:
        one_d = self.session.nd == 1
        rows = self.session.kernel_weights().shape[-2] if not one_d else 1
        least = 60 if one_d else min(max(150, 40 * rows), 240)  # a 5×5 kernel: 40 px cells
        grid.setMinimumSize(110, least)  # two side by side fit a 360 px dock
        grid.setMaximumHeight(90 if one_d else 240)
        # The dock asks for the grid's least height (it grows into room to spare): asking for
        # its 240 px had kept the dock 90 px of blank at 1920×1080 while the Parameters below
        # scrolled their output-size formula out of view.
        # (A signal's strips are low anyway; beside the wrapped "Rotated 180°" words they
        # are left as they were, which the layout needs.)
        policy = grid.sizePolicy()
        vertical = QSizePolicy.Policy.Preferred if one_d else QSizePolicy.Policy.Ignored
        policy.setVerticalPolicy(vertical)
        grid.setSizePolicy(policy)

    def refresh(self) -> None:
        """Redraw from the session, without echoing values back as edits."""
        s = self.session
        stage = s.stage
        weight = s.kernel_weights()
        pooling = stage.kind != "conv"
        first = stage.index == 0
        rotated = () if self._rotated is None else (self._rotated,)
        for widget in (self.grid, *rotated, self.rotated_title):
            widget.setVisible(not pooling)
        for widget in (self.preset, self.rows, self.cols, self.normalise, self.random):
            widget.setEnabled(first)
            widget.setVisible(not pooling)
        hidden_for_pooling = (self.add_filter, self.remove_filter, self.filter_box)
        for widget in (*hidden_for_pooling, self.channel_box, self.depth_box):
            widget.setVisible(not pooling)
        self.bias.setVisible(not pooling)
        for grid in (self.grid, *rotated):  # a 1-D kernel is one row: room for its plot
            self._size_grid(grid)
        if pooling:
            self.bias.setEnabled(False)
            what = "its largest value" if stage.kind == "max" else "the mean of its cells"
            self.title.setText(
                f"{stage.title.capitalize()} has no weights: each window gives {what}"
            )
            return
        filters, channels = weight.shape[:2]
        depth = weight.shape[2] if weight.ndim == 5 else 0
        filter_index, channel_index, depth_index = self._shown()
        index = (filter_index, channel_index)
        if depth:
            index = (*index, depth_index)
        self.editing.index = index
        plane = s.grid("kernel", index)
        # Coloured over the shown filter's range: over every filter's, the frequency demo's
        # Gaussian (at most 0.14) had been near-white beside its other filter's large weights.
        levels = value_range(weight[filter_index], "symmetric")
        self.grid.show_values(plane, levels=levels, colormap=self.colormap)
        self.grid.editable_area = (0, 0, *plane.shape)
        flip = s.document.settings.flip if first else s.walk.geometry.flip
        if flip or self._rotated is not None:
            self.rotated.setVisible(flip)
        self.rotated_title.setVisible(flip)
        # Without the rotated copy the kernel takes the whole width (a 5×5 kernel beside an
        # empty half had written 0.004 at 6 px).
        self._grids.setStretch(1, 1 if flip else 0)
        if flip:
            self.rotated.show_values(plane[::-1, ::-1], levels=levels, colormap=self.colormap)

        kernel_shape = weight.shape[2:]
        boxes = (self.rows, self.cols, self.filter_box, self.channel_box, self.bias, self.depth_box)
        blockers = [QSignalBlocker(b) for b in boxes]
        self.rows.setValue(plane.shape[0])
        self.cols.setValue(plane.shape[1])
        self._name_the_sizes()
        self.rows.setEnabled(len(kernel_shape) == 2)
        self.filter_box.setRange(1, filters)
        self.filter_box.setValue(filter_index + 1)
        self.channel_box.setRange(1, channels)
        self.channel_box.setValue(channel_index + 1)
        self.channel_box.setVisible(channels > 1)
        self.depth_box.setRange(1, max(depth, 1))
        self.depth_box.setValue(depth_index + 1)
        self.depth_box.setVisible(depth > 0)
        self.add_filter.setEnabled(first)
        self.remove_filter.setEnabled(first and filters > 1)
        bias = s.document.bias if first else stage.layer.bias
        self.bias.setValue(float(bias[filter_index]) if bias is not None else 0.0)
        self.bias.setEnabled(s.document.use_bias if first else bias is not None)
        self.bias.setToolTip("added to every output of this filter (turn bias on in Parameters)")
        del blockers
        where = f", filter {filter_index + 1} of {filters}" if filters > 1 else ""
        where += f", channel {channel_index + 1} of {channels}" if channels > 1 else ""
        where += f", depth slice {depth_index + 1} of {depth}" if depth else ""
        kind = "true convolution: flipped" if flip else "cross-correlation: as drawn"
        layer = "" if first else f" of layer {stage.number}"
        self.title.setText(f"Kernel{layer} {'×'.join(map(str, kernel_shape))}{where}, {kind}")

    def show_filter(self, filter_index: int) -> None:
        """Edit filter ``filter_index`` (as the filter box does)."""
        self.session.view.set(kernel_filter=filter_index)

    def _run(self, action, *args) -> None:
        try:
            action(*args)
        except ValueError as error:
            self.message.emit(str(error))

    def _name_the_sizes(self, *_) -> None:
        """ "1 row", "3 rows", "1 column": the boxes say their size as a sentence would."""
        for box, name in ((self.rows, "row"), (self.cols, "column")):
            box.setSuffix(f" {name}" if box.value() == 1 else f" {name}s")

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            name = self.preset.itemText(index)
            self._run(self.session.edits.set_kernel_preset, name, self.filter_index)
        with QSignalBlocker(self.preset):
            self.preset.setCurrentIndex(0)

    def _on_size_changed(self) -> None:
        kernel = self.session.document.weight.shape[2:]
        sizes = (self.rows.value(), self.cols.value())
        shape = sizes[1:] if len(kernel) == 1 else (*kernel[:-2], *sizes)
        self._run(self.session.edits.resize_kernel, shape)

    def _on_normalise_clicked(self) -> None:
        self._run(self.session.edits.normalise_kernel, self.filter_index)

    def _on_random_clicked(self) -> None:
        self._run(
            self.session.edits.randomise_kernel,
            self.filter_index,
            int(np.random.default_rng().integers(1 << 31)),
        )

    def _on_filter_changed(self, value: int) -> None:
        self.session.view.set(kernel_filter=value - 1)

    def _on_channel_changed(self, value: int) -> None:
        self.session.view.set(kernel_channel=value - 1)

    def _on_depth_changed(self, value: int) -> None:
        self.session.view.set(kernel_depth=value - 1)

    def _on_add_filter_clicked(self) -> None:
        self._run(self.session.edits.add_filter)
        self.show_filter(self.session.document.weight.shape[0] - 1)

    def _on_remove_filter_clicked(self) -> None:
        self._run(self.session.edits.remove_filter, self.filter_index)

    def _on_bias_changed(self, value: float) -> None:
        use = self.session.document.use_bias
        self._run(self.session.edits.set_bias, self.filter_index, value, use)
