"""The Layers dock: the stack after the convolution, its summary, and receptive fields."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..colormaps import value_range
from ..model.layer_stack import LayerStack
from .grid_view import GridView


class LayersPanel(QWidget):
    """Summary table of the stack; the last layer's first map, whose cells can be clicked to
    show the input cells they depend on (``receptive_field`` carries the ranges, or None)."""

    message = Signal(str)
    receptive_field = Signal(object)

    def __init__(self, stack: LayerStack, parent=None) -> None:
        super().__init__(parent)
        self.stack = stack
        self.colormap = "diverging"
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["layer", "output", "parameters"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.total = QLabel()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.buttons = {
            "relu": QPushButton("+ ReLU"),
            "max": QPushButton("+ max pool 2"),
            "avg": QPushButton("+ avg pool 2"),
            "conv": QPushButton("+ conv 3, 4 filters"),
            "remove": QPushButton("− last layer"),
        }
        grid = QGridLayout()
        for i, button in enumerate(self.buttons.values()):
            grid.addWidget(button, i // 2, i % 2)
        self.last_title = QLabel()
        self.last_title.setWordWrap(True)
        self.last = GridView(editable=False)
        self.last.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.total)
        layout.addWidget(self.problem)
        layout.addLayout(grid)
        layout.addWidget(self.last_title)
        layout.addWidget(self.last, 2)
        self.buttons["relu"].clicked.connect(lambda: stack.add_activation("relu"))
        self.buttons["max"].clicked.connect(lambda: stack.add_pool("max", 2))
        self.buttons["avg"].clicked.connect(lambda: stack.add_pool("avg", 2))
        self.buttons["conv"].clicked.connect(lambda: stack.add_conv(4, 3))
        self.buttons["remove"].clicked.connect(stack.remove_last)
        self.last.cell_clicked.connect(self._on_last_cell_clicked)
        self._stale = True
        stack.changed.connect(self._on_stack_changed)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_stack_changed(self) -> None:
        # Work only for a panel someone can see; a hidden one catches up when shown.
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Redraw the table and the last layer's first map."""
        self._stale = False
        rows, total = self.stack.summary()
        problem = self.stack.problem
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            shape = "×".join(map(str, row.output_shape))
            for j, text in enumerate((f"{i + 1}. {row.layer}", shape, str(row.parameters))):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.total.setText(f"total learnable parameters: {total}")
        self.buttons["remove"].setEnabled(bool(self.stack.extra))
        outputs = self.stack.outputs()
        self.receptive_field.emit(None)
        if not outputs:
            self.last.hide()
            self.last_title.setText("")
            return
        last = outputs[-1][0]
        plane = last[None] if last.ndim == 1 else last if last.ndim == 2 else last[0]
        self.last.show()
        self.last.show_values(plane, levels=value_range(plane, "symmetric"), colormap=self.colormap)
        self.last_title.setText(
            f"Layer {len(outputs)}, map 1 — click a cell to see the input "
            "cells it depends on (its receptive field)"
        )

    def _on_last_cell_clicked(self, row: int, col: int) -> None:
        outputs = self.stack.outputs()
        if not outputs or not self.last.in_grid(row, col):
            return
        nd = outputs[-1].ndim - 1
        index = (col,) if nd == 1 else (row, col) if nd == 2 else (0, row, col)
        ranges = self.stack.receptive_field(len(outputs), index)
        self.receptive_field.emit(ranges)
        spans = " × ".join(f"{b - a + 1}" for a, b in ranges)
        self.message.emit(
            f"That cell depends on a {spans} block of the input "
            f"({', '.join(f'{a}…{b}' for a, b in ranges)})"
        )
