"""Stride, padding, dilation, padding mode, flip and bias, by PyTorch's names, and the formula."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...engine import INPUTS, PADDING_MODES
from ...engine.geometry import AXIS_NAMES
from ...model import Session
from ...model.document import ACTIVATION_CHOICES
from ...model.editor import divisors
from ..session_view import SessionView

PADDING_CHOICES = ("valid", "same", "full", "custom")
MAX_INPUT = 512


def _spin(low: int, high: int, prefix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setPrefix(prefix)
    box.setKeyboardTracking(False)
    return box


EXPLAINED = {
    "stride": "stride (PyTorch: stride): how many cells the window moves between outputs, per "
    "axis; 2 halves the output's size",
    "dilation": "dilation (PyTorch: dilation): the spacing of the kernel's taps, per axis; 2 "
    "leaves one cell out between taps, so a 3×3 kernel spans 5×5",
    "padding": "padding (PyTorch: padding): cells added around the input before the window "
    "slides; 'same' keeps the size, 'valid' adds none, 'full' lets every overlap count",
    "padding_mode": "padding_mode (PyTorch: padding_mode): what the padding holds: zeros, a "
    "mirror of the input (reflect), its edge repeated (replicate) or its far side (circular)",
    "operation": "PyTorch's conv2d computes cross-correlation (the kernel as drawn); true "
    "convolution, as scipy.signal.convolve2d and numpy.convolve do, rotates the kernel 180° first",
    "groups": "groups (PyTorch: groups): split the channels into groups, each filter sees one "
    "group; 1: every filter sees every channel, channels: depthwise",
    "bias": "bias (PyTorch: bias=True): one number per filter added to every output cell after "
    "the sum",
    "activation": "an activation after the sum and the bias (F.relu, F.leaky_relu, "
    "torch.sigmoid, torch.tanh), applied to every output cell",
}
"""Each setting explained in one sentence, with its PyTorch name (tooltips)."""


class ParameterPanel(SessionView, QWidget):
    """The convolution's settings; every change is one undoable edit of the session."""

    message = Signal(str)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        # One box per axis (depth, rows, columns); a 2-D input shows the last two, 1-D the last.
        self.stride = [_spin(1, 16, f"{a} ") for a in ("depth", "row", "col")]
        self.dilation = [_spin(1, 16, f"{a} ") for a in ("depth", "row", "col")]
        self.padding_kind = QComboBox()
        self.padding_kind.addItems(PADDING_CHOICES)
        sides = ("front ", "back ", "top ", "bottom ", "left ", "right ")
        self.pads = [_spin(0, 64, side) for side in sides]
        self.padding_mode = QComboBox()
        self.padding_mode.addItems(PADDING_MODES)
        self.correlation = QRadioButton("cross-correlation (as PyTorch)")
        self.convolution = QRadioButton("convolution (kernel rotated 180°)")
        self.operation = QButtonGroup(self)
        self.operation.addButton(self.correlation)
        self.operation.addButton(self.convolution)
        self.use_bias = QCheckBox("on (values: Kernel panel)")
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATION_CHOICES))
        self.activation.setToolTip("applied to every output cell after the sum and the bias")
        self.groups = QComboBox()
        self.groups.setToolTip("1: every filter sees every channel; channels: depthwise")
        self.parameters = QLabel()
        self.parameters.setWordWrap(True)
        self.formula = QLabel()
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPixelSize(12)
        self.formula.setFont(mono)
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.pytorch = QLabel()
        self.pytorch.setFont(mono)
        self.pytorch.setWordWrap(True)
        self.pytorch.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.input_depth = _spin(1, MAX_INPUT, "depth ")
        self.input_rows = _spin(1, MAX_INPUT, "rows ")
        self.input_cols = _spin(1, MAX_INPUT, "cols ")
        self.input_preset = QComboBox()
        self.input_preset.addItem("fill with…")
        self.input_preset.addItems(list(INPUTS))

        form = QFormLayout()
        # In a narrow dock a field goes under its label rather than past the dock's edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("stride", self._pair(self.stride))
        form.addRow("dilation", self._pair(self.dilation))
        form.addRow("padding", self.padding_kind)
        pads = QGridLayout()
        for i, box in enumerate(self.pads):
            pads.addWidget(box, i // 2, i % 2)
        form.addRow("", self._wrap(pads))
        form.addRow("padding_mode", self.padding_mode)
        form.addRow("", self.correlation)
        form.addRow("", self.convolution)
        form.addRow("groups", self.groups)
        form.addRow("bias", self.use_bias)
        form.addRow("activation", self.activation)
        self.stage_box = QGroupBox()
        self.stage_text = QLabel()
        self.stage_text.setFont(mono)
        self.stage_text.setWordWrap(True)
        self.stage_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.stage_box).addWidget(self.stage_text)
        settings = self.settings_box = QGroupBox("Parameters")
        settings.setLayout(form)
        size = QGroupBox("Output size")
        size_layout = QVBoxLayout(size)
        size_layout.addWidget(self.formula)
        size_layout.addWidget(self.problem)
        size_layout.addWidget(self.parameters)
        size_layout.addWidget(self.pytorch)
        # The input's size on one row (a row for depth had cost the 3-D demo's formula a line).
        data = QGroupBox("Input grid")
        data_layout = QGridLayout(data)
        size_boxes = (self.input_depth, self.input_rows, self.input_cols)
        data_layout.addWidget(self._pair(size_boxes), 0, 0)
        data_layout.addWidget(self.input_preset, 1, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_box)
        # What the settings give first, as a deeper layer's box above them does: at 1920×1080
        # the dock under the Kernel's had scrolled the formula out of view below the settings.
        layout.addWidget(size)
        layout.addWidget(settings)
        layout.addWidget(data)
        layout.addStretch(1)

        self._explain_controls()
        for box in (*self.stride, *self.dilation):
            box.valueChanged.connect(self._on_axes_changed)
        for box in self.pads:
            box.valueChanged.connect(self._on_pads_changed)
        self.padding_kind.activated.connect(self._on_padding_kind_activated)
        self.padding_mode.activated.connect(self._on_padding_mode_activated)
        self.convolution.toggled.connect(self._on_operation_toggled)
        self.use_bias.toggled.connect(self._on_use_bias_toggled)
        self.groups.activated.connect(self._on_groups_activated)
        self.activation.activated.connect(self._on_activation_activated)
        self.input_depth.valueChanged.connect(self._on_input_size_changed)
        self.input_rows.valueChanged.connect(self._on_input_size_changed)
        self.input_cols.valueChanged.connect(self._on_input_size_changed)
        self.input_preset.activated.connect(self._on_input_preset_activated)
        self.bind_session(session)
        self.refresh()

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed:  # the stepped layer's formula and module are shown
            self.refresh()

    def _explain_controls(self) -> None:
        """Every control explains itself when hovered, in a sentence with its PyTorch name."""
        for box in self.stride:
            box.setToolTip(EXPLAINED["stride"])
        for box in self.dilation:
            box.setToolTip(EXPLAINED["dilation"])
        for box in (self.padding_kind, *self.pads):
            box.setToolTip(EXPLAINED["padding"])
        self.padding_mode.setToolTip(EXPLAINED["padding_mode"])
        self.correlation.setToolTip(EXPLAINED["operation"])
        self.convolution.setToolTip(EXPLAINED["operation"])
        self.groups.setToolTip(EXPLAINED["groups"])
        self.use_bias.setToolTip(EXPLAINED["bias"])
        self.activation.setToolTip(EXPLAINED["activation"])

    @staticmethod
    def _pair(boxes) -> QWidget:
        row = QHBoxLayout()
        for box in boxes:
            row.addWidget(box)
        return ParameterPanel._wrap(row)

    @staticmethod
    def _wrap(layout) -> QWidget:
        widget = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        widget.setLayout(layout)
        return widget

    @property
    def widgets(self):
        """Every input widget of the panel (to block echoes while refreshing)."""
        return (
            *self.stride,
            *self.dilation,
            *self.pads,
            self.padding_kind,
            self.padding_mode,
            self.correlation,
            self.convolution,
            self.use_bias,
            self.groups,
            self.activation,
            self.input_depth,
            self.input_rows,
            self.input_cols,
        )

    def refresh(self) -> None:
        """Show the session's settings and the output-size formula (or the problem)."""
        s = self.session
        settings = s.document.settings
        nd = s.nd
        blockers = [QSignalBlocker(w) for w in self.widgets]
        for boxes, values in ((self.stride, settings.stride), (self.dilation, settings.dilation)):
            for axis, box in enumerate(boxes):
                box.setVisible(axis >= 3 - nd)
            for box, value in zip(boxes[3 - nd :], values, strict=True):
                box.setValue(value)
        if isinstance(settings.padding, str):
            self.padding_kind.setCurrentText(settings.padding)
        else:
            self.padding_kind.setCurrentText("custom")
        pads = (
            s.pipeline.stepper.geometry.pads
            if s.problem is None
            else (settings.padding if not isinstance(settings.padding, str) else ((0, 0),) * nd)
        )
        flat = [v for pair in pads for v in pair]
        for side, box in enumerate(self.pads):
            box.setVisible(side >= 2 * (3 - nd))
            box.setEnabled(not isinstance(settings.padding, str))
        for box, value in zip(self.pads[2 * (3 - nd) :], flat, strict=True):
            box.setValue(value)
        self.padding_mode.setCurrentText(settings.padding_mode)
        self.convolution.setChecked(settings.flip)
        self.correlation.setChecked(not settings.flip)
        self.use_bias.setChecked(s.document.use_bias)
        self.groups.clear()
        self.groups.addItems([str(g) for g in divisors(s.document.x.shape[0])])
        self.groups.setCurrentText(str(settings.groups))
        self.groups.setEnabled(s.document.x.shape[0] > 1)
        self.activation.setCurrentText(s.document.activation)
        self.input_depth.setVisible(nd == 3)
        self.input_depth.setValue(s.document.x.shape[1])
        self.input_rows.setVisible(nd >= 2)
        self.input_rows.setValue(s.document.x.shape[-2] if nd >= 2 else 1)
        self.input_cols.setValue(s.document.x.shape[-1])
        del blockers
        self.formula.setText(self.formula_text() if s.problem is None else "")
        self.problem.setText(s.problem or "")
        w = s.document.weight.shape
        count = f"{w[0]}·{w[1]}·{'·'.join(map(str, w[2:]))}"
        bias = f" + {w[0]}" if s.document.use_bias else ""
        self.parameters.setText(
            f"learnable parameters: F·(C/groups)·kernel{' + F' if s.document.use_bias else ''} = "
            f"{count}{bias} = {s.document.parameter_count()}"
        )
        self.problem.setVisible(bool(s.problem))
        self.pytorch.setText("PyTorch: " + self.pytorch_code().line())
        self._show_stage()

    def _show_stage(self) -> None:
        """While a deeper layer is stepped: its output-size formula and its PyTorch module
        above layer 1's settings (which stay editable)."""
        s = self.session
        deeper = s.stage_index > 0
        self.stage_box.setVisible(deeper)
        self.settings_box.setTitle(
            "Layer 1: the convolution" if s.document.layers else "Parameters"
        )
        if not deeper:
            return
        stage = s.stage
        g = s.walk.geometry
        lines = []
        for axis, name in enumerate(AXIS_NAMES[g.nd]):
            lines += [f"{name}:", g.formula(axis)]
        lines.append(g.explain().splitlines()[-1])
        lines.append("PyTorch: " + s.pipeline.pytorch_code(s.stage_index).line())
        if s.stage_problem:
            lines.append(f"Not recomputed: {s.stage_problem}")
        self.stage_box.setTitle(f"Stepping {stage.title}")
        self.stage_text.setText("\n".join(lines))

    def pytorch_code(self):
        """The PyTorch module for layer 1 as shown (its activation included), from the last
        convolution that could be computed (the generated scripts use the same pieces)."""
        return self.session.pipeline.pytorch_code(0)

    def formula_text(self) -> str:
        """One axis's output-size formula per line pair, then the output shape."""
        g = self.session.pipeline.stepper.geometry
        names = AXIS_NAMES[g.nd]
        lines = []
        for axis, name in enumerate(names):
            lines += [f"{name}:", g.formula(axis)]
        lines.append(g.explain().splitlines()[-1])
        return "\n".join(lines)

    # -- user intent -------------------------------------------------------------------------
    def _axes(self, boxes) -> tuple[int, ...]:
        return tuple(box.value() for box in boxes[3 - self.session.nd :])

    def _on_axes_changed(self) -> None:
        self.session.edits.change_settings(
            "Set stride/dilation",
            stride=self._axes(self.stride),
            dilation=self._axes(self.dilation),
        )

    def _custom_pads(self):
        values = [box.value() for box in self.pads[2 * (3 - self.session.nd) :]]
        return tuple(zip(values[::2], values[1::2], strict=True))

    def _on_pads_changed(self) -> None:
        self.session.edits.change_settings("Set padding", padding=self._custom_pads())

    def _on_padding_kind_activated(self, index: int) -> None:
        kind = PADDING_CHOICES[index]
        padding = self._custom_pads() if kind == "custom" else kind
        before = self.session.document
        self.session.edits.change_settings(f"Padding {kind}", padding=padding)
        if self.session.document is before:  # nothing changed: show the settings again
            self.refresh()

    def _on_padding_mode_activated(self, index: int) -> None:
        self.session.edits.change_settings("Set padding_mode", padding_mode=PADDING_MODES[index])

    def _on_operation_toggled(self, flip: bool) -> None:
        name = "convolution" if flip else "cross-correlation"
        self.session.edits.change_settings(f"Use {name}", flip=flip)

    def _on_use_bias_toggled(self, on: bool) -> None:
        self.session.edits.change("Use bias" if on else "No bias", use_bias=on)

    def _on_activation_activated(self, index: int) -> None:
        self.session.edits.set_activation(ACTIVATION_CHOICES[index])

    def _on_groups_activated(self, index: int) -> None:
        try:
            self.session.edits.set_groups(int(self.groups.itemText(index)))
        except ValueError as error:
            self.message.emit(str(error))

    def _on_input_size_changed(self) -> None:
        s = self.session
        sizes = (self.input_depth.value(), self.input_rows.value(), self.input_cols.value())
        s.edits.resize_input(sizes[3 - s.nd :])

    def _on_input_preset_activated(self, index: int) -> None:
        if index > 0:
            try:
                self.session.edits.fill_input(self.input_preset.itemText(index))
            except ValueError as error:
                self.message.emit(str(error))
        with QSignalBlocker(self.input_preset):
            self.input_preset.setCurrentIndex(0)
