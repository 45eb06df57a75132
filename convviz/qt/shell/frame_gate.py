"""One paint pass per step: the window paints what a step changed once every view has drawn it.

A graphics scene takes its items' changes later, from the event loop, and then has the window
paint at once; with two grids, a step was painted in two passes (the map and the link over it
a second time). The gate has every scene take its changes while the window waits, then lets
the window paint them all together.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QGraphicsView, QWidget


class FrameGate(QObject):
    """Installed on the main window; ``assemble()`` runs after every view took a change."""

    def __init__(self, window: QWidget, session) -> None:
        super().__init__(window)
        self.window = window
        self._closed = False
        self._held = False
        self._views: list[QGraphicsView] | None = None  # found again when views may be new
        window.installEventFilter(self)
        session.playhead.moved.connect(self._on_moved)
        session.document_changed.connect(self._on_changed)
        session.view.changed.connect(lambda _name: self._forget_views())

    def _forget_views(self) -> None:
        self._views = None

    def _on_moved(self, stage_changed: bool) -> None:
        if stage_changed:
            self._forget_views()
        self.assemble()

    def _on_changed(self) -> None:
        self._forget_views()
        self.assemble()

    def eventFilter(self, watched, event) -> bool:
        if self._closed and event.type() == QEvent.Type.UpdateRequest and watched is self.window:
            self._held = True
            return True  # painted below, with the others
        return False

    def assemble(self) -> None:
        """Let each scene take its items' changes now, then ask for one paint of them all (a
        view made since the list was taken paints in a pass of its own, as before)."""
        self._closed = True
        try:
            if self._views is None:
                self._views = self.window.findChildren(QGraphicsView)
            for view in self._views:
                try:
                    scene = view.scene() if view.isVisible() else None
                except RuntimeError:  # deleted since the list was taken
                    self._views = None
                    continue
                if scene is not None:
                    QCoreApplication.sendPostedEvents(scene, QEvent.Type.MetaCall)
        finally:
            self._closed = False
        if self._held:
            self._held = False
            QCoreApplication.postEvent(
                self.window,
                QEvent(QEvent.Type.UpdateRequest),
                Qt.EventPriority.LowEventPriority.value,
            )
