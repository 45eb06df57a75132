"""Python's garbage collector run between events, never in the middle of a paint.

Left to itself the collector runs whenever enough objects have been made, which can be inside
a widget's paint: if it then frees a dropped window (a dialog closed, a view replaced), Qt
deletes that window in the middle of painting another, and its repaint manager can crash on
what it was about to paint (the test suite did, one run in a few). Here the automatic
collection is off and a timer does the same work from the event loop, where deleting a widget
is safe.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500  # often enough that memory held by cycles stays small


class GarbageCollector(QObject):
    """Turns the automatic collection off while it lives and collects every ``INTERVAL_MS``
    the generations that Python would have collected by then (their counts past the
    thresholds), so that the cost stays that of the automatic collector."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(interval_ms)
        gc.disable()

    def collect(self) -> int:
        """Collect the oldest generation whose count passed its threshold (none when the
        youngest has not); return how many objects were found unreachable."""
        counts = gc.get_count()
        generation = -1
        for index, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if count <= threshold:
                break
            generation = index
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        """Give the collection back to Python."""
        self.timer.stop()
        gc.enable()
