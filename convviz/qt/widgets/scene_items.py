"""Taking pyqtgraph items out of a view for good.

An item taken out with ``removeItem`` alone is freed whenever Python's garbage collector gets
to it, which can be in the middle of another view's paint: the test suite crashed there
(a segmentation fault in ``QGraphicsView.paintEvent``) until removed items were deleted by
the event loop instead, between events.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QObject


def discard_items(owner, items: Iterable) -> None:
    """Remove ``items`` from ``owner`` (a ViewBox or PlotItem/PlotWidget) and delete them:
    an item that is a QObject when the event loop next turns (signals may still be on their
    way to it), any other now (it is in no scene any more)."""
    for item in items:
        # A pyqtgraph TextItem ties itself to its scene's "prepare for paint" and lets go only
        # when painted in another scene: taken out, it would be called at every paint of
        # this one, after its deletion too.
        scene = getattr(item, "_lastScene", None)
        if scene is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                scene.sigPrepareForPaint.disconnect(item.updateTransform)
            item._lastScene = None
        owner.removeItem(item)
        if isinstance(item, QObject):
            item.deleteLater()
        else:
            shiboken6.delete(item)
