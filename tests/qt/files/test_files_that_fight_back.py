"""Files that cannot be opened leave the window as it was; autosaves are never lost; long
animations stream to disk and store only what changed."""

import json

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox

from convviz.model import Session, save_project
from convviz.qt.files.animation import export_animation
from convviz.qt.files.exports import AnimationDialog


@pytest.fixture
def warned(monkeypatch):
    said = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a, **k: said.append(text)
    )
    return said


def _project(tmp_path, change) -> str:
    path = tmp_path / "p.convviz"
    save_project(path, Session("tiny-cnn").to_project())
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: d["layers"][0].update(options={"negative_slope": 0.1}),
            "relu has no option 'negative_slope'",
        ),
        (
            lambda d: d["layers"].insert(
                0,
                {
                    "type": "activation",
                    "function": "leaky_relu",
                    "options": {"negative_slope": "abc"},
                },
            ),
            "negative_slope must be a number",
        ),
        (lambda d: d["settings"].update(padding=[[10000, 10000], [10000, 10000]]), "padding 10000"),
    ],
)
def test_a_bad_project_leaves_the_window_exactly_as_it_was(
    qtbot, window, tmp_path, warned, change, words
):
    window.session.playhead.set_position(9)
    before = window.session.document
    path = _project(tmp_path, change)
    assert not window.open_project(path)
    assert words in warned[0] and "p.convviz" in warned[0]
    assert window.session.document is before and window.session.playhead.position == 9
    window.actions_by_name["forward"].trigger()  # and it still steps
    assert window.session.playhead.position == 10


def test_a_project_whose_deeper_layer_is_too_large_opens_and_says_why(qtbot, window, tmp_path):
    def giant_layer(document):
        document["layers"][2]["settings"]["padding"] = [[10000, 10000], [10000, 10000]]

    assert window.open_project(_project(tmp_path, giant_layer))
    s = window.session
    assert "padding 10000" in s.pipeline.stack_problem
    window.actions_by_name["forward"].trigger()
    assert s.playhead.position == 1  # layer 1 steps; the layer that cannot run says why


def test_a_corrupt_autosave_is_moved_aside_and_the_user_told_where(qtbot, window):
    autosave = window.files.autosave_path
    autosave.write_text('{"format": "convviz-project", "version": 1, "input": [[[1, 2')
    assert not window.files.offer_recovery()
    kept = list(autosave.parent.glob("autosave-unreadable-*.convviz"))
    assert len(kept) == 1 and not autosave.exists()
    assert kept[0].read_text().startswith('{"format"')
    message = window.statusBar().currentMessage()
    assert "cannot be opened" in message and str(kept[0]) in message


def test_an_autosave_from_a_newer_convviz_is_kept(qtbot, window):
    autosave = window.files.autosave_path
    save_project(autosave, Session().to_project())
    document = json.loads(autosave.read_text())
    document["version"] = 99
    autosave.write_text(json.dumps(document))
    text = autosave.read_text()
    assert not window.files.offer_recovery()
    assert autosave.read_text() == text  # kept, byte for byte
    assert "newer convviz" in window.statusBar().currentMessage()
    window.session.edits.edit_cells("input", 0, 0, 0, [[5.0]])
    window.files.write_autosave()
    assert autosave.read_text() == text  # and this window does not write over it


def test_a_gif_streams_and_stores_only_what_changed(qtbot, window, tmp_path):
    out = tmp_path / "a.gif"
    export_animation(window, out, 1, 12, fps=8)
    with Image.open(out) as gif:
        assert gif.n_frames == 12
        full = gif.size
        gif.seek(5)
        left, top, right, bottom = gif.dispose_extent
        assert (right - left) * (bottom - top) < 0.9 * full[0] * full[1]
        picture = np.asarray(gif.convert("RGB"))
    window.session.playhead.set_position(6)
    from convviz.qt.files.animation import widget_rgb

    qtbot.wait(10)
    shown = widget_rgb(window.stage)
    assert picture.shape == shown.shape
    close = np.abs(picture.astype(int) - shown.astype(int)).max(axis=2) <= 40
    assert close.mean() > 0.98  # the frame the GIF holds is what the window shows


def test_the_animation_dialog_says_how_long_and_offers_the_range(qtbot):
    dialog = AnimationDialog(16384)
    qtbot.addWidget(dialog)
    assert dialog.last.value() == 1000  # a long walk starts as a range the user widens
    assert "1000 frames, 4:10 at 4 frames a second" in dialog.length.text()
    assert "16384 steps" in dialog.length.text()
    dialog.every.setValue(16)
    dialog.last.setValue(16384)
    assert dialog.frames() == 1024 and "1024 frames" in dialog.length.text()
