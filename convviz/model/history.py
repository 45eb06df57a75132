"""Where edits go: a history that carries them out and can undo them.

The session is handed a history when it is made; the window hands it one built on Qt's
``QUndoStack``, scripts and tests this Qt-free one.
"""

from __future__ import annotations

from typing import Protocol

from .document import Document
from .edits import Edit


class Editable(Protocol):
    """What a history edits: something holding a Document that can be replaced."""

    document: Document

    def set_document(self, document: Document) -> None: ...


class History:
    """Do, undo and redo edits in order."""

    def __init__(self) -> None:
        self.done: list[tuple[Edit, Editable]] = []
        self.undone: list[tuple[Edit, Editable]] = []

    def push(self, edit: Edit, target: Editable) -> None:
        """Carry out ``edit`` on ``target`` now and remember it."""
        target.set_document(edit.apply(target.document))
        self.done.append((edit, target))
        self.undone.clear()

    def undo(self) -> None:
        """Undo the last edit, if any."""
        if self.done:
            edit, target = self.done.pop()
            target.set_document(edit.revert(target.document))
            self.undone.append((edit, target))

    def redo(self) -> None:
        """Redo the last undone edit, if any."""
        if self.undone:
            edit, target = self.undone.pop()
            target.set_document(edit.apply(target.document))
            self.done.append((edit, target))
