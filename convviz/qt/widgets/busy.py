"""A short wait said as it happens: the busy cursor and a sentence in the status bar while a
large input is computed (a 2048×2048 photo takes about half a second, a 4096² one seconds)."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

BUSY_FROM_CELLS = 1_000_000
"""Inputs of this many cells or more take long enough to compute that the wait is said."""


@contextmanager
def busy(window, words: str, cells: int):
    """Within the block, when ``cells`` is at least ``BUSY_FROM_CELLS``, show the busy cursor
    and ``words`` in ``window``'s status bar (painted before the work starts)."""
    if cells < BUSY_FROM_CELLS:
        yield
        return
    window.statusBar().showMessage(words)
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    # Paint the sentence now: the work that follows holds the event loop.
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        window.statusBar().clearMessage()
