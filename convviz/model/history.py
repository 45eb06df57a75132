"""An undo history without Qt, for scripts and tests (the window uses ``QUndoStack``)."""

from __future__ import annotations

from .edits import Edit
from .session import Session


class History:
    """Do, undo and redo a session's edits in order."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.done: list[Edit] = []
        self.undone: list[Edit] = []
        session.submit = self.push

    def push(self, edit: Edit) -> None:
        """Carry out ``edit`` and remember it."""
        edit.redo(self.session)
        self.done.append(edit)
        self.undone.clear()

    def undo(self) -> None:
        """Undo the last edit, if any."""
        if self.done:
            edit = self.done.pop()
            edit.undo(self.session)
            self.undone.append(edit)

    def redo(self) -> None:
        """Redo the last undone edit, if any."""
        if self.undone:
            edit = self.undone.pop()
            edit.redo(self.session)
            self.done.append(edit)
