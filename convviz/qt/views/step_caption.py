"""The sentence under the stage: which step, where the window is, what it computes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ...model import Session


class StepCaption(QLabel):
    """``step 12 of 256: window at row 2, column 5 → …``, rewritten on every step and edit."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("caption")
        self.setWordWrap(True)
        session.document_changed.connect(self.refresh)
        session.playhead.moved.connect(self._on_playhead_moved)
        self.refresh()

    def refresh(self) -> None:
        """Say what the shown step does."""
        self.setText(self.session.caption())

    def _on_playhead_moved(self, _stage_changed: bool) -> None:
        self.refresh()
