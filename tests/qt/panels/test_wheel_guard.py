"""The wheel over a dock scrolls the dock; a control takes it only once the user focused it."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollArea

from convviz.qt.shell.main_window import MainWindow
from convviz.qt.shell.window_layout import apply_layout, layout_for_window

NOTCH_DOWN = QPoint(0, -120)
NOTCH_UP = QPoint(0, 120)


@pytest.fixture
def low_window(qtbot):
    """A window 480 pixels high with its docks folded and Parameters in front, so that the
    Parameters dock has to scroll (laid out before it is shown: the same on any screen)."""
    window = MainWindow("letter-h", persist=False)
    apply_layout(window, window.docks, layout_for_window(800, 480))
    window.parameter_dock.raise_()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # a click then focuses, on a real X server too
    qtbot.waitActive(window)
    scroll = window.parameter_dock.widget()
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    yield window
    window.undo_stack.setClean()
    window.close()
    window.deleteLater()


def turn_wheel_over(window, control, notches=1, delta=NOTCH_DOWN) -> None:
    """Turn the wheel with the pointer over ``control``'s centre, as a mouse does (the event
    comes from the window system, so Qt hands an ignored wheel on to the parents)."""
    at = control.mapTo(window, control.rect().center())
    for _ in range(notches):
        QTest.wheelEvent(window.windowHandle(), QPointF(at), delta)
    QApplication.processEvents()


def bring_into_view(qtbot, scroll: QScrollArea, control) -> None:
    """Scroll ``scroll`` until ``control``'s centre shows."""

    def shown() -> bool:
        scroll.ensureWidgetVisible(control)
        centre = control.mapTo(scroll.viewport(), control.rect().center())
        return scroll.viewport().rect().contains(centre)

    qtbot.waitUntil(shown)


def test_the_wheel_over_an_unfocused_padding_box_scrolls_the_dock(low_window):
    window = low_window
    scroll = window.parameter_dock.widget()
    panel = window.parameter_panel
    before = window.session.document
    assert panel.padding_kind.currentText() == "same" and not panel.padding_kind.hasFocus()
    turn_wheel_over(window, panel.padding_kind, notches=2)
    assert window.session.document is before
    assert panel.padding_kind.currentText() == "same"
    assert scroll.verticalScrollBar().value() > 0
    assert not panel.padding_kind.hasFocus()  # the wheel does not focus it either


def test_the_wheel_over_an_unfocused_input_size_box_leaves_the_rows_alone(qtbot, low_window):
    window = low_window
    scroll = window.parameter_dock.widget()
    rows = window.parameter_panel.input_rows
    bring_into_view(qtbot, scroll, rows)  # at the bottom of the panel: the dock scrolled down
    bottom = scroll.verticalScrollBar().value()
    assert bottom > 0
    shape = window.session.document.x.shape
    turn_wheel_over(window, rows, delta=NOTCH_UP)
    assert window.session.document.x.shape == shape and rows.value() == shape[-2]
    assert scroll.verticalScrollBar().value() < bottom


def test_a_focused_control_takes_the_wheel(qtbot, low_window):
    window = low_window
    panel = window.parameter_panel
    rows = panel.input_rows
    bring_into_view(qtbot, window.parameter_dock.widget(), rows)
    qtbot.mouseClick(rows.lineEdit(), Qt.MouseButton.LeftButton)
    assert rows.hasFocus()
    rows_before = window.session.document.x.shape[-2]
    turn_wheel_over(window, rows)
    assert window.session.document.x.shape[-2] == rows_before - 1

    bring_into_view(qtbot, window.parameter_dock.widget(), panel.padding_kind)
    panel.padding_kind.setFocus(Qt.FocusReason.TabFocusReason)
    turn_wheel_over(window, panel.padding_kind)
    assert window.session.document.settings.padding == "full"
    window.undo_stack.undo()
    assert window.session.document.settings.padding == "same"


def test_no_control_in_any_dock_takes_a_stray_wheel(qtbot, window):
    """Every spin box and drop-down of the kernel, parameters and layers docks, visible or not."""
    window.session.load_demo("cs231n")  # several filters and channels: every box is enabled
    before = window.session.document
    controls = [
        control
        for dock in window.docks
        for kind in (QAbstractSpinBox, QComboBox)
        for control in dock.findChildren(kind)
    ]
    assert len(controls) > 20
    for control in controls:
        assert control.focusPolicy() == Qt.FocusPolicy.StrongFocus
        shown = control.text() if isinstance(control, QAbstractSpinBox) else control.currentText()
        centre = QPointF(control.rect().center())
        wheel = QWheelEvent(
            centre,
            QPointF(control.mapToGlobal(centre.toPoint())),
            QPoint(0, 0),
            NOTCH_DOWN,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(control, wheel)
        now = control.text() if isinstance(control, QAbstractSpinBox) else control.currentText()
        assert now == shown, control
    assert window.session.document is before
