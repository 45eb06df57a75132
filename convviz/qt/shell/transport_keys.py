"""Transport keys work whichever panel has focus, except while a cell is being typed into."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit

TRANSPORT_KEYS = {
    Qt.Key.Key_Space,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Plus,
    Qt.Key.Key_Minus,
    Qt.Key.Key_Equal,
}

SIGN_KEYS = {Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_Equal}
CURSOR_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End}


class TransportKeys(QObject):
    """An application event filter deciding who gets a transport key.

    A focused cell editor keeps every key (Left moves its cursor, Space types a space); any
    other text field (a spin box's number too) keeps its cursor keys (Left, Right, Home, End)
    and the signs. Everything else gives the key up, so the window's shortcut runs: Space
    plays and PageDown steps even while a number box has focus.
    """

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        if event.key() not in TRANSPORT_KEYS:
            return False
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus.objectName() == "cellEditor":
            event.accept()  # the editor keeps the key
            return True
        typing_a_number = isinstance(focus, QAbstractSpinBox) or isinstance(
            focus.parent() if focus is not None else None, QAbstractSpinBox
        )
        if typing_a_number and event.key() in SIGN_KEYS:
            return False  # "-" starts a negative number in a spin box
        text_field = typing_a_number or isinstance(focus, QLineEdit)
        if text_field and event.key() in CURSOR_KEYS:
            return False  # a text field's cursor keys are its own (a spin box's text too)
        if event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        ):
            return False
        event.ignore()  # nobody claims it: the shortcut runs
        return True
