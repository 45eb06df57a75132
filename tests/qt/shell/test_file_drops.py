"""Files dropped on the window open or import as the File menu would."""

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from convviz.model import Session, save_project


def _drop(window, *paths) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(window.width() / 2, window.height() / 2)
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, modifiers)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(point, actions, mime, buttons, modifiers)
    if enter.isAccepted():
        QApplication.sendEvent(window, drop)
    return enter


def test_a_dropped_project_opens(qtbot, window, tmp_path):
    other = Session("cs231n")
    other.playhead.set_position(5)
    path = save_project(tmp_path / "lecture.convviz", other.to_project())
    assert _drop(window, path).isAccepted()
    assert window.session.document.demo_name == "cs231n"
    assert window.session.playhead.position == 5 and "lecture.convviz" in window.windowTitle()


def test_a_dropped_table_becomes_the_input_and_can_be_undone(qtbot, window, tmp_path):
    table = tmp_path / "numbers.csv"
    table.write_text("1,2,3\n4,5,6\n")
    _drop(window, table)
    np.testing.assert_array_equal(window.session.document.x[0], [[1, 2, 3], [4, 5, 6]])
    window.undo_stack.undo()
    assert window.session.document.x.shape == (1, 16, 16)


def test_a_file_convviz_cannot_read_is_not_taken(qtbot, window, tmp_path):
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"PK")
    before = window.session.document
    assert not _drop(window, letter).isAccepted()
    assert window.session.document is before


def test_a_bad_dropped_project_says_why_and_keeps_the_work(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, title, text, *a: said.append(text))
    broken = tmp_path / "broken.convviz"
    broken.write_text('{"format": "convviz-project", "version": 1, "input": [[[1')
    before = window.session.document
    _drop(window, broken)
    assert window.session.document is before and "broken.convviz" in said[0]


def test_help_has_a_guide_and_an_about_with_versions(qtbot, window, monkeypatch):
    import numpy
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "about", lambda p, title, text: shown.append(text))
    window.actions_by_name["guide"].trigger()
    window.actions_by_name["about"].trigger()
    guide, about = shown
    assert "Feature map" in guide and "Computation" in guide and "F1" in guide
    assert "convviz" in about and f"NumPy {numpy.__version__}" in about
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions()] == [
        "Guide",
        "Keyboard shortcuts",
        "About convviz",
    ]
