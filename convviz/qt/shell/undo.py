"""A history on Qt's undo stack, so the Edit menu can undo and redo the session's edits."""

from __future__ import annotations

import sys

from PySide6.QtGui import QUndoCommand, QUndoStack

from ...model import Edit
from ...model.history import Editable


class EditCommand(QUndoCommand):
    """One document edit as an undo-stack command (the menu says ``Undo`` + its text)."""

    def __init__(self, edit: Edit, target: Editable) -> None:
        super().__init__(edit.text)
        self.edit = edit
        self.target = target

    # Qt calls these from C++: an exception escaping them takes the whole app down, so a bug
    # in a view is reported like any other (``sys.excepthook``) and the app stays up.
    def redo(self) -> None:
        try:
            self.target.set_document(self.edit.apply(self.target.document))
        except Exception:  # reported, never lost
            sys.excepthook(*sys.exc_info())

    def undo(self) -> None:
        try:
            self.target.set_document(self.edit.revert(self.target.document))
        except Exception:  # reported, never lost
            sys.excepthook(*sys.exc_info())


class UndoStackHistory:
    """The session's history as commands on ``stack`` (handed to ``Session`` when it is made)."""

    def __init__(self, stack: QUndoStack) -> None:
        self.stack = stack

    def push(self, edit: Edit, target: Editable) -> None:
        """Carry out ``edit`` (``QUndoStack.push`` calls ``redo``) and keep it for undo."""
        self.stack.push(EditCommand(edit, target))
