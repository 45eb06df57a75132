"""A bug in a view while an edit is carried out is reported in the status bar, and the app
stays up (Qt calls the undo stack's commands from C++, where an escaping exception used to
take the whole app down)."""

import sys

from convviz.qt.shell.app import install_error_reporter


def test_an_error_in_a_view_during_an_edit_is_reported_and_the_window_stays(
    qtbot, window, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_error_reporter(window)

    def broken(*_args):
        raise RuntimeError("a view broke")

    monkeypatch.setattr(window.parameter_panel, "refresh", broken)
    window.session.edits.change_settings("stride 2", stride=(2, 2))
    assert window.session.document.settings.stride == (2, 2)  # the edit itself happened
    assert "a view broke" in window.statusBar().currentMessage()
    window.undo_stack.undo()  # and the app goes on: undo works
    assert window.session.document.settings.stride == (1, 1)


def test_an_int_stride_from_a_script_does_not_crash_the_window(qtbot, window, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_reporter(window)
    window.session.edits.change_settings("stride 2", stride=2)
    assert window.session.document.settings.stride == (2, 2)
    assert window.session.pipeline.stepper.geometry.stride == (2, 2)
    assert "went wrong" not in window.statusBar().currentMessage()  # every view drew it
