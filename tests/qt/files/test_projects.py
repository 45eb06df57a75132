"""Projects, unsaved-changes prompts, autosave and crash recovery, recent files, settings."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from convviz.model import load_project
from convviz.qt.shell.main_window import MainWindow

from ..gestures import type_into_cell

Button = QMessageBox.StandardButton


@pytest.fixture
def answers(monkeypatch):
    """Scripted answers to the window's questions; records what was asked."""
    asked = []
    replies = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return replies.pop(0)

    def warning(parent, title, text, *args, **kwargs):
        asked.append(text)
        return Button.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    return asked, replies


def test_save_and_reopen_after_a_restart(qtbot, window, tmp_path):
    type_into_cell(qtbot, window.input_view.grid, 2, 2, "7")
    window.session.playhead.set_position(33)
    window.set_colormap("cividis")
    assert window.isWindowModified()
    assert window.files.save_to(tmp_path / "lecture")
    path = tmp_path / "lecture.convviz"
    assert path.exists() and not window.isWindowModified()
    assert "lecture.convviz" in window.windowTitle()
    other = MainWindow("cs231n")
    try:
        assert other.open_project(path)
        assert other.session.document.x[0, 2, 2] == 7 and other.session.playhead.position == 33
        assert other.colormap == "cividis"
        assert path.name in other.files.recent()[0]
    finally:
        other.close()


def test_ctrl_s_saves_to_the_same_file_and_save_as_asks(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "chosen.convviz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    type_into_cell(qtbot, window.input_view.grid, 0, 0, "3")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_project(target).document.x[0, 0, 0] == 3
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("Ctrl+S asked again")
    )
    type_into_cell(qtbot, window.input_view.grid, 0, 1, "4")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_project(target).document.x[0, 0, 1] == 4


def test_a_corrupt_project_is_refused_and_the_work_stays(qtbot, window, tmp_path, answers):
    asked, _ = answers
    type_into_cell(qtbot, window.input_view.grid, 1, 1, "9")
    bad = tmp_path / "broken.convviz"
    bad.write_text('{"format": "convviz-project", "version": 1, "input": [[[1, 2], [3')
    assert not window.open_project(bad)
    assert "broken.convviz is not a readable convviz project" in asked[0]
    assert window.session.document.x[0, 1, 1] == 9 and window.files.dirty


def test_closing_with_unsaved_changes_asks(qtbot, window, answers, tmp_path):
    asked, replies = answers
    type_into_cell(qtbot, window.input_view.grid, 1, 1, "9")
    replies.append(Button.Cancel)
    window.close()
    assert window.isVisible() and "Save the changes" in asked[-1]
    window.files.path = tmp_path / "kept.convviz"
    replies.append(Button.Save)
    window.close()
    assert not window.isVisible()
    assert load_project(tmp_path / "kept.convviz").document.x[0, 1, 1] == 9


def test_discarding_removes_the_autosave(qtbot, window, answers):
    _, replies = answers
    type_into_cell(qtbot, window.input_view.grid, 1, 1, "9")
    window.files.write_autosave()
    assert window.files.autosave_path.exists()
    replies.append(Button.Discard)
    window.close()
    assert not window.files.autosave_path.exists()


def test_unsaved_work_is_autosaved_a_moment_after_an_edit(qtbot, window):
    type_into_cell(qtbot, window.input_view.grid, 4, 4, "6")
    qtbot.waitUntil(window.files.autosave_path.exists, timeout=5000)
    assert load_project(window.files.autosave_path).document.x[0, 4, 4] == 6
    window.undo_stack.undo()  # back to the saved state: nothing left to rescue
    assert not window.files.autosave_path.exists()


def test_work_is_offered_back_after_kill_9(qtbot, qapp, tmp_path, answers):
    asked, replies = answers
    script = textwrap.dedent("""
        import sys, time
        from PySide6.QtWidgets import QApplication
        from convviz.qt.shell.main_window import MainWindow
        app = QApplication([])
        w = MainWindow("letter-h")
        w.show()
        w.session.edits.edit_cells("input", 0, 3, 3, [[42.0]])
        w.files.write_autosave()
        print("ready", flush=True)
        while True:
            app.processEvents()
            time.sleep(0.05)
    """)
    env = dict(
        os.environ, CONVVIZ_DATA_DIR=os.environ["CONVVIZ_DATA_DIR"], QT_QPA_PLATFORM="offscreen"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    with child:
        try:
            assert child.stdout.readline().strip() == "ready"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
    w = MainWindow("edges")
    try:
        replies.append(Button.Yes)
        assert w.files.offer_recovery()
        assert "closed without saving" in asked[-1]
        assert w.session.document.x[0, 3, 3] == 42 and w.files.dirty
        assert w.isWindowModified()
    finally:
        w.undo_stack.setClean()
        w.close()


def test_declining_recovery_forgets_the_autosave(qtbot, window, answers):
    _, replies = answers
    window.session.edits.edit_cells("input", 0, 0, 0, [[5.0]])
    window.files.write_autosave()
    replies.append(Button.No)
    assert not window.files.offer_recovery()
    assert not window.files.autosave_path.exists()


def test_recent_files_menu(qtbot, window, tmp_path):
    window.files.save_to(tmp_path / "a.convviz")
    window.files.save_to(tmp_path / "b.convviz")
    window.fill_recent_menu()
    names = [a.text() for a in window.recent_menu.actions()]
    assert names[0].endswith("b.convviz") and names[1].endswith("a.convviz")


def test_colormap_choice_persists(qtbot, window):
    window.colormap_actions["viridis"].trigger()
    lut = window.feature_map.grid.image.lut
    assert tuple(lut[0]) == (68, 1, 84)  # viridis starts dark purple
    window.close()
    again = MainWindow("letter-h")
    try:
        assert again.colormap == "viridis"
    finally:
        again.close()


def test_presentation_mode_folds_panels_and_grows_numbers(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.presenting
    assert not window.kernel_dock.isVisible() and not window.parameter_dock.isVisible()
    # The caption grows as far as the screen's width lets it keep to two lines (this test
    # screen is 800 px wide: it keeps its size); the titles grow.
    from convviz.qt.shell.main_window import presentation_fonts

    wanted = presentation_fonts(window.screen().geometry().width())["caption"]
    assert window.caption.font().pixelSize() == wanted
    assert presentation_fonts(1366)["caption"] > 30
    assert window.input_view.title.wanted_px > 20
    assert window.computation.grids.scale > 1
    qtbot.keyClick(window, Qt.Key.Key_Right)  # the clicker still works
    assert window.session.playhead.position == 1
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not window.presenting and window.kernel_dock.isVisible()


def test_predict_then_reveal_with_the_keyboard(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_P)
    window.session.playhead.set_position(20)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.session.playhead.waiting and "what will it be?" in window.caption.text()
    assert np.isnan(window.feature_map.grid.values.reshape(-1)[20])
    text = window.computation.text()
    assert "output = ?" in text and "= ?" in text.splitlines()[-3]  # the sum is hidden too
    assert "kernel\n? ? ?" in text  # and so are the products: the class works them out
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.session.playhead.position == 21
    assert "?" not in window.computation.text()
    assert np.isfinite(window.feature_map.grid.values.reshape(-1)[20])
