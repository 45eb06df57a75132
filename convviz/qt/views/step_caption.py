"""The sentence under the stage: which step, where the window is, what it computes."""

from __future__ import annotations

from ...model import Session
from ..session_view import SessionView
from ..widgets.steady_text import SteadyText


class StepCaption(SessionView, SteadyText):
    """``step 12 of 256: window at row 2, column 5 → …``, rewritten on every step and edit
    (without a layout pass unless it needs another line)."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("caption")
        self.setContentsMargins(6, 6, 6, 6)
        self.bind_session(session)
        self.refresh()

    def refresh(self) -> None:
        """Say what the shown step does."""
        self.setText(self.session.caption())

    def _on_model_playhead_moved(self, _stage_changed: bool) -> None:
        self.refresh()

    def _on_model_view_changed(self, name: str) -> None:
        if name == "lens":  # the learn lens's caption speaks of descent steps
            self.refresh()
