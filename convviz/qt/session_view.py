"""What every view of the session shares: it listens to the session's three events, and its
handlers are named after them (``_on_model_<what>``), as ndv names its controllers' handlers."""

from __future__ import annotations

from ..model import Session


class SessionView:
    """Mixed into a widget that draws the session. ``bind_session`` connects:

    - ``document_changed`` → ``_on_model_document_changed`` (default: ``refresh()``);
    - ``playhead.moved(stage_changed)`` → ``_on_model_playhead_moved`` (default: ``refresh()``
      when another layer is stepped, nothing on a plain step);
    - ``view.changed(name)`` → ``_on_model_view_changed`` (default: nothing).

    The colour map is the view state's, never a copy.
    """

    session: Session

    def bind_session(self, session: Session) -> None:
        """Listen to ``session`` (call once, at the end of ``__init__``)."""
        self.session = session
        session.document_changed.connect(self._on_model_document_changed)
        session.playhead.moved.connect(self._on_model_playhead_moved)
        session.view.changed.connect(self._on_model_view_changed)

    @property
    def colormap(self) -> str:
        """The colour map every grid uses (the session's view state holds it)."""
        return self.session.view.colormap

    def refresh(self) -> None:
        """Redraw everything from the session."""
        raise NotImplementedError

    def _on_model_document_changed(self) -> None:
        self.refresh()

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed:
            self.refresh()

    def _on_model_view_changed(self, name: str) -> None:
        """A view that draws a piece of the view state redraws it here."""
