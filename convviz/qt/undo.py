"""Session edits on Qt's undo stack, so the Edit menu can undo and redo them."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from ..model import Edit, Session


class EditCommand(QUndoCommand):
    """One session edit as an undo-stack command."""

    def __init__(self, session: Session, edit: Edit) -> None:
        super().__init__(edit.text)
        self.session = session
        self.edit = edit

    def redo(self) -> None:
        self.edit.redo(self.session)

    def undo(self) -> None:
        self.edit.undo(self.session)


def route_edits_to(stack: QUndoStack, session: Session) -> None:
    """Make every edit the session submits go through ``stack``."""
    session.submit = lambda edit: stack.push(EditCommand(session, edit))
