"""Controls in a scrolling panel take the wheel only once the user has focused them.

Without this, a spin box or drop-down that passes under the pointer while the user scrolls a
dock takes the wheel for itself: one notch turns padding ``same`` into ``full`` or deletes an
input row, and the dock stops scrolling.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QSlider, QWidget

GUARDED = (QAbstractSpinBox, QComboBox, QSlider)


class WheelGuard(QObject):
    """An event filter: a wheel turned over a control without focus is left to the control's
    parents (the scroll area around it scrolls); a focused control takes it as usual."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            event.ignore()  # Qt offers an ignored wheel to the parents, up to the scroll area
            return True
        return False


def guard_wheel(container: QWidget) -> WheelGuard:
    """Guard every spin box, drop-down and slider inside ``container``.

    Each one gets ``Qt.StrongFocus`` (a click or Tab focuses it, the wheel does not) and a
    :class:`WheelGuard`, which ``container`` owns.

    Parameters
    ----------
    container : QWidget
        A panel shown in a scroll area (a dock's contents).

    Returns
    -------
    WheelGuard
        The filter installed on the controls.
    """
    guard = WheelGuard(container)
    for kind in GUARDED:
        for control in container.findChildren(kind):
            control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            control.installEventFilter(guard)
    return guard
