"""The Layers dock: the stack after the convolution, its summary, the layer to step, and
receptive fields."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...colormaps import symmetric_range_after, value_range
from ...engine import VECTOR_LAYERS, ActivationLayer, PoolLayer
from ...engine.incremental import outputs_reading
from ...model import Session
from ..session_view import SessionView
from ..widgets.grid_view import GridView

LAYER_KINDS = {  # what the "add" box offers: label → (kind, activation or pooling name)
    "ReLU": ("activation", "relu"),
    "leaky ReLU": ("activation", "leaky_relu"),
    "sigmoid": ("activation", "sigmoid"),
    "tanh": ("activation", "tanh"),
    "max pooling": ("pool", "max"),
    "average pooling": ("pool", "avg"),
    "convolution": ("conv", ""),
}


def _spin(prefix: str, low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setPrefix(prefix)
    box.setSuffix(suffix)
    return box


class LayersPanel(SessionView, QWidget):
    """Summary table of the stack (the layer being stepped in bold; double-click a
    convolution or pooling, or select it and press "Step", to step it: ``layer_chosen``
    carries its stage index); the last layer's first map, whose cells can be clicked to show
    the cells they depend on (the session's view state keeps the ranges, or None)."""

    message = Signal(str)
    layer_chosen = Signal(int)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["layer", "output", "parameters"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.total = QLabel()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.step_button = QPushButton("▶ Step the selected layer")
        self.step_button.setToolTip("Show this layer in the main views (or double-click it)")
        self.kind = QComboBox()
        self.kind.addItems(list(LAYER_KINDS))
        self.kind.setCurrentText("max pooling")
        self.size = _spin("size ", 1, 15, 2)
        self.stride = _spin("stride ", 1, 15, 2)
        self.padding = _spin("padding ", 0, 7, 0)
        self.filters = _spin("", 1, 64, 4, " filters")
        self.ceil_mode = QCheckBox("ceil_mode")
        self.ceil_mode.setToolTip("round the output size up: a last, partial window is kept")
        self.count_include_pad = QCheckBox("count_include_pad")
        self.count_include_pad.setChecked(True)
        self.count_include_pad.setToolTip("an average divides by the padding cells too")
        self.buttons = {
            "add": QPushButton("+ Add layer"),
            "apply": QPushButton("Change selected"),
            "remove": QPushButton("− Last layer"),
        }
        self.buttons["apply"].setToolTip(
            "Give the selected layer (from layer 2 on) the kind and numbers above"
        )
        grid = QGridLayout()
        grid.addWidget(QLabel("New layer:"), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(self.size, 1, 0)
        grid.addWidget(self.stride, 1, 1)
        grid.addWidget(self.padding, 2, 0)
        grid.addWidget(self.filters, 2, 1)
        grid.addWidget(self.ceil_mode, 3, 0)
        grid.addWidget(self.count_include_pad, 3, 1)
        grid.addWidget(self.buttons["add"], 4, 0)
        grid.addWidget(self.buttons["apply"], 4, 1)
        grid.addWidget(self.buttons["remove"], 5, 1)
        self.last_title = QLabel()
        self.last_title.setWordWrap(True)
        self._last: GridView | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.total)
        layout.addWidget(self.problem)
        layout.addWidget(self.step_button)
        layout.addLayout(grid)
        layout.addWidget(self.last_title)
        self.kind.currentTextChanged.connect(self._on_kind_changed)
        self.buttons["add"].clicked.connect(self._on_add_clicked)
        self.buttons["apply"].clicked.connect(self._on_apply_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.buttons["remove"].clicked.connect(session.edits.remove_last_layer)
        self._on_kind_changed(self.kind.currentText())
        self.step_button.clicked.connect(self._on_step_clicked)
        self.table.cellDoubleClicked.connect(lambda row, _: self._step_row(row))
        self._stale = True
        self.bind_session(session)

    @property
    def last(self) -> GridView:
        """The last layer's first map, clickable for its receptive field (made when a stack
        first has one to show)."""
        if self._last is None:
            self._last = GridView(editable=False)
            self._last.setMinimumHeight(160)
            self._last.hide()
            self._last.cell_clicked.connect(self._on_last_cell_clicked)
            self.layout().addWidget(self._last, 2)
        return self._last

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed:  # the stepped layer is marked in the table
            self._on_model_document_changed()

    def _on_model_view_changed(self, name: str) -> None:
        if name == "colormap":
            self._on_model_document_changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_model_document_changed(self) -> None:
        # Work only for a panel someone can see; a hidden one catches up when shown.
        drawn, self._drawn = getattr(self, "_drawn", None), None
        self._stale = True
        if self.isVisible() and not self._draw_changed_cells(drawn):
            self.refresh()

    def _draw_changed_cells(self, drawn) -> bool:
        """A few typed input cells of a single convolution: its map shown here changes only
        where those cells reach (``refresh`` would draw all of a photo's map again)."""
        s = self.session
        change = s.pipeline.cell_change
        if change is None or drawn is None or not change.came_from(drawn) or s.document.layers:
            return False
        if s.nd != 2 or self.last.values.shape != s.pipeline.stepper.output.shape[1:]:
            return False
        reach = outputs_reading(s.pipeline.stepper.geometry, change.box)
        if reach is None:
            return False
        (lo_r, hi_r), (lo_c, hi_c) = reach
        new = s.pipeline.map_outputs[-1][0, lo_r:hi_r, lo_c:hi_c]
        old = self.last.values[lo_r:hi_r, lo_c:hi_c]
        levels = self.last.colour_levels
        if levels is None or symmetric_range_after(levels, old, new) != tuple(levels):
            return False
        old[...] = new
        self.last.redraw_cells(lo_r, lo_c, hi_r, hi_c)
        self._drawn, self._stale = s.document, False
        return True

    def refresh(self) -> None:
        """Redraw the table and the last layer's first map."""
        self._stale = False
        self._drawn = self.session.document
        chosen = self.table.selectionModel().selectedRows()
        pipeline = self.session.pipeline
        rows, total = pipeline.summary()
        problem = pipeline.stack_problem
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        stepped = pipeline.stage_starts[self.session.stage_index]
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            shape = "×".join(map(str, row.output_shape))
            marker = "▶ " if i == stepped else ""
            for j, text in enumerate((f"{marker}{i + 1}. {row.layer}", shape, str(row.parameters))):
                item = QTableWidgetItem(text)
                if i == stepped:
                    font = QFont()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        rows_height = sum(self.table.rowHeight(i) for i in range(self.table.rowCount()))
        frame = 2 * self.table.frameWidth() + self.table.horizontalHeader().height()
        self.table.setMaximumHeight(max(rows_height + frame + 2, 80))  # no empty rows' space
        self.total.setText(f"total learnable parameters: {total}")
        self.buttons["remove"].setEnabled(bool(self.session.document.layers))
        if chosen and chosen[0].row() < len(rows):  # keep the user's choice across a change
            self.table.selectRow(chosen[0].row())
        self._on_table_selection_changed()
        self.step_button.setEnabled(len(pipeline.stage_starts) > 1)
        outputs = self._maps()
        self.session.view.set(receptive_field=None)
        if not outputs:
            if self._last is not None:
                self.last.hide()
            self.last_title.setText("")
            return
        last = outputs[-1][0]
        plane = last[None] if last.ndim == 1 else last if last.ndim == 2 else last[0]
        self.last.show()
        self.last.show_values(plane, levels=value_range(plane, "symmetric"), colormap=self.colormap)
        shown = "the input" if self.session.stage_index == 0 else "the grid on the left"
        self.last_title.setText(
            f"Layer {len(outputs)}, map 1: click a cell to see the cells of {shown} "
            "it depends on (its receptive field)"
        )

    def _maps(self) -> list:
        """The outputs of the layers that make maps, when the whole stack runs (a head's
        vectors have no cells to trace back)."""
        pipeline = self.session.pipeline
        return pipeline.map_outputs if pipeline.outputs else []

    def _step_row(self, row: int) -> None:
        """Step the layer on table row ``row`` (an activation steps with the layer before)."""
        pipeline = self.session.pipeline
        if 0 <= row < len(pipeline.layers):
            self.layer_chosen.emit(pipeline.stage_of_layer(row + 1))

    def _on_step_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._step_row(rows[0].row())
        else:
            self.message.emit("Select a layer in the table first (or double-click it)")

    def choose(self, label: str, size=None, stride=None, padding=None, filters=None) -> None:
        """Fill in the "new layer" form (as a user would)."""
        self.kind.setCurrentText(label)
        for box, value in (
            (self.size, size),
            (self.stride, stride),
            (self.padding, padding),
            (self.filters, filters),
        ):
            if value is not None:
                box.setValue(value)

    def _on_kind_changed(self, label: str) -> None:
        kind = LAYER_KINDS[label][0]
        for box in (self.size, self.stride, self.padding):
            box.setEnabled(kind != "activation")
        self.filters.setEnabled(kind == "conv")
        self.ceil_mode.setEnabled(kind == "pool")
        self.count_include_pad.setEnabled(LAYER_KINDS[label] == ("pool", "avg"))
        if kind == "conv":  # a 3×3 convolution that keeps the size
            self.size.setValue(3)
            self.stride.setValue(1)
            self.padding.setValue(1)
        elif kind == "pool":  # the classic 2×2 pooling that halves the size
            self.size.setValue(2)
            self.stride.setValue(2)
            self.padding.setValue(0)

    def _selected_slot(self) -> int | None:
        """The selected layer's place in ``document.layers``, or None (none, or layer 1's)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        slot = rows[0].row() - 1  # row 0 is layer 1, the document's own convolution
        return slot if 0 <= slot < len(self.session.document.layers) else None

    def _on_table_selection_changed(self) -> None:
        """Show the selected layer's kind and numbers in the form, ready to change."""
        slot = self._selected_slot()
        layer = None if slot is None else self.session.document.layers[slot]
        self.buttons["apply"].setEnabled(slot is not None and not isinstance(layer, VECTOR_LAYERS))
        if slot is None or isinstance(layer, VECTOR_LAYERS):  # trained: not made in this form
            return
        if isinstance(layer, ActivationLayer):
            label = next(k for k, v in LAYER_KINDS.items() if v == ("activation", layer.function))
            self.choose(label)
        elif isinstance(layer, PoolLayer):
            stride = layer.stride or layer.kernel_size
            padding = layer.padding if isinstance(layer.padding, int) else layer.padding[0]
            label = "max pooling" if layer.kind == "max" else "average pooling"
            self.choose(label, layer.kernel_size[0], stride[0], padding)
            self.ceil_mode.setChecked(layer.ceil_mode)
            self.count_include_pad.setChecked(layer.count_include_pad)
        else:
            g = layer.window(self.session.nd)[0]  # kernel, stride, dilation, padding of axis 0
            self.choose("convolution", g[0], g[1], g[3], layer.weight.shape[0])

    def _form_layer(self, slot: int | None):
        kind, name = LAYER_KINDS[self.kind.currentText()]
        size, stride, padding = self.size.value(), self.stride.value(), self.padding.value()
        if kind == "activation":
            return ActivationLayer(name)
        if kind == "pool":
            include = self.count_include_pad.isChecked()
            ceil = self.ceil_mode.isChecked()
            return self.session.edits.pool_layer(name, size, stride, padding, ceil, include)
        return self.session.edits.conv_layer(self.filters.value(), size, stride, padding, slot=slot)

    def _on_add_clicked(self) -> None:
        try:
            self.session.edits.add_layer(self._form_layer(None))
        except ValueError as error:
            self.message.emit(f"Not added: {error}")

    def _on_apply_clicked(self) -> None:
        slot = self._selected_slot()
        if slot is None:
            self.message.emit("Select a layer after layer 1 in the table first")
            return
        try:
            self.session.edits.replace_layer(slot, self._form_layer(slot))
        except ValueError as error:
            self.message.emit(f"Not changed: {error}")

    def _on_last_cell_clicked(self, row: int, col: int) -> None:
        outputs = self._maps()
        if not outputs or not self.last.in_grid(row, col):
            return
        nd = outputs[-1].ndim - 1
        index = (col,) if nd == 1 else (row, col) if nd == 2 else (0, row, col)
        ranges = self.session.pipeline.receptive_field(
            len(outputs), index, self.session.stage_index
        )
        self.session.view.set(receptive_field=ranges)
        if ranges is None:
            self.message.emit("That layer comes before the one being stepped")
            return
        spans = " × ".join(f"{b - a + 1}" for a, b in ranges)
        where = "the input" if self.session.stage_index == 0 else "the grid on the left"
        self.message.emit(
            f"That cell depends on a {spans} block of {where} "
            f"({', '.join(f'{a}…{b}' for a, b in ranges)})"
        )
