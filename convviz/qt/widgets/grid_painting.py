"""Painting on the input grid with the brush or the eraser: the tools' buttons, and strokes
turned into session edits (the picture follows the pointer; one undo per stroke)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

from ...model import Session
from .grid_editing import GridEditing
from .grid_view import GridView

TOOL_BUTTONS = {  # tool → (button text, tooltip)
    "select": ("Select", "Click to choose cells, type to edit them (the usual grid)"),
    "brush": ("Brush", "Drag to paint (1 where the brush covers a cell, softer at its edge)"),
    "eraser": ("Eraser", "Drag to erase (back to 0); each stroke is one undo"),
}


class PaintTools(QWidget):
    """Three buttons choosing the view state's ``tool``: select, brush, eraser."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for tool, (text, tip) in TOOL_BUTTONS.items():
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the grid keeps the keys
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons[tool] = button
            button.clicked.connect(lambda _=False, t=tool: self.session.view.set(tool=t))
        self.setMinimumWidth(1)  # beside the title they never widen the window (see InputView)
        session.view.changed.connect(self._on_model_view_changed)
        self._on_model_view_changed("tool")

    def _on_model_view_changed(self, name: str) -> None:
        if name == "tool":
            self.buttons[self.session.view.tool].setChecked(True)


class GridPainting(QObject):
    """Turns strokes on an editable ``GridView`` into brush strokes on the session's input,
    on the grid (channel or depth slice) where the stroke starts. ``message`` says why a
    stroke was refused."""

    message = Signal(str)

    def __init__(self, grid: GridView, session: Session, editing: GridEditing) -> None:
        super().__init__(grid)
        self.grid = grid
        self.session = session
        self.editing = editing
        self.stroke = None
        self._origin = (0, 0)  # the top-left cell of the grid being painted
        grid.stroke_started.connect(self._on_grid_stroke_started)
        grid.stroke_moved.connect(self._on_grid_stroke_moved)
        grid.stroke_finished.connect(self._on_grid_stroke_finished)
        session.view.changed.connect(self._on_model_view_changed)

    def _on_model_view_changed(self, name: str) -> None:
        if name == "tool":
            self.update_mode()

    def update_mode(self) -> None:
        """Paint while a painting tool is chosen and the grid can be edited."""
        s = self.session
        painting = s.view.tool != "select" and self.grid.editable and s.nd == 2
        self.grid.painting = painting
        cursor = Qt.CursorShape.CrossCursor if painting else Qt.CursorShape.ArrowCursor
        self.grid.viewport().setCursor(cursor)

    def _on_grid_stroke_started(self, row: float, col: float) -> None:
        place = self.editing.locate(round(row), round(col))
        if place is None:
            return  # beside the grids: nothing to paint
        index, r, c = place
        self._origin = (round(row) - r, round(col) - c)
        try:
            self.stroke = self.session.edits.stroke(index, self.session.view.tool)
        except ValueError as error:
            self.message.emit(f"Not painted: {error}")
            return
        self._on_grid_stroke_moved(row, col)

    def _on_grid_stroke_moved(self, row: float, col: float) -> None:
        if self.stroke is not None:
            self.stroke.paint_to(row - self._origin[0], col - self._origin[1])

    def _on_grid_stroke_finished(self) -> None:
        stroke, self.stroke = self.stroke, None
        if stroke is not None:
            stroke.finish()
