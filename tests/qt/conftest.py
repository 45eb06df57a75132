"""A real main window, driven by qtbot as a user would."""

import gc

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from convviz.qt.shell.main_window import MainWindow
from convviz.qt.shell.transport_keys import TransportKeys


@pytest.fixture(autouse=True)
def garbage_collected_between_tests(qapp):
    """Python's garbage collector frees a dropped window whenever it happens to run, which can
    be in the middle of another widget's paint: the suite crashed there (a segmentation fault
    under Qt's repaint manager) one run in a few, and every run with the collector made eager
    (``gc.set_threshold(1, 1, 1)``). Within a test it is off, as the app keeps it (see
    ``shell/garbage.py``); after the test the widgets closed are deleted and it runs once."""
    gc.disable()
    try:
        yield
    finally:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect(0)  # everything the test made is young: the collector was off
        gc.enable()


@pytest.fixture(autouse=True)
def no_waiting_dialogs(monkeypatch):
    """A message box or file dialog nobody answers would hang the run: fail at once instead.
    Tests that expect one patch it with the answer they give."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    def refuse(*args, **kwargs):
        raise AssertionError(f"a dialog would wait for a click: {args[1:3]}")

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, refuse)


@pytest.fixture(autouse=True)
def side_panels_on_the_test_screen(monkeypatch):
    """The offscreen test screen is 800×800, where the window would open with its side panels
    put away (F9 brings them): tests that use the panels get them shown, as a student who
    pressed F9 would. Tests of the narrow screen itself set ``DOCKS_SHOWN_FROM`` back."""
    from convviz.qt.shell import window_layout

    monkeypatch.setattr(window_layout, "DOCKS_SHOWN_FROM", 0)


@pytest.fixture
def window(qtbot, qapp):
    keys = TransportKeys(qapp)
    qapp.installEventFilter(keys)
    w = MainWindow("letter-h")
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.playback.pause()
    w.undo_stack.setClean()  # closing must not stop at the unsaved-changes question
    w.close()
    w.deleteLater()
    qapp.removeEventFilter(keys)
