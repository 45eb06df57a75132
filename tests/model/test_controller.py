"""The session as a controller, with recording stand-ins for the views (no window, no Qt).

A view subscribes to three events: the document changed (redraw once), the playhead moved
(move highlights), the view state changed (colour map, chosen cell...). These tests check that
each fires once, with the model already in step when it does.
"""

import dataclasses

import numpy as np
import pytest

from convviz.model import Document, Pipeline, Session


class RecordingView:
    """Records what it is told, and checks the session is in step each time."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.heard: list = []
        session.document_changed.connect(self._on_model_document_changed)
        session.playhead.moved.connect(self._on_model_playhead_moved)
        session.view.changed.connect(self._on_model_view_changed)

    def _in_step(self) -> None:
        s = self.session
        assert s.stage is s.pipeline.stage(s.stage_index) or s.stage_problem
        assert s.playhead.steps == len(s.stage.stepper)
        assert 0 <= s.playhead.position <= s.playhead.steps
        s.current  # noqa: B018 - the shown step can be drawn

    def _on_model_document_changed(self) -> None:
        self._in_step()
        self.heard.append("document")

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        self._in_step()
        self.heard.append(("moved", stage_changed))

    def _on_model_view_changed(self, name: str) -> None:
        self.heard.append(name)


@pytest.fixture
def tiny():
    session = Session("tiny-cnn")
    return session, RecordingView(session)


def test_an_edit_is_one_document_event_and_no_step(tiny):
    s, view = tiny
    s.playhead.set_position(7)
    view.heard.clear()
    s.edits.edit_cells("input", 0, 1, 1, [[0.5]])
    assert view.heard == ["document"]
    s.history.undo()
    s.history.redo()
    assert view.heard == ["document"] * 3
    assert s.playhead.position == 7  # an edit keeps the playhead where it was


def test_undo_and_redo_reuse_the_pipeline_of_each_document(tiny):
    s, _ = tiny
    first = s.pipeline
    s.edits.set_activation("tanh")
    second = s.pipeline
    assert second is not first and second.document is s.document
    s.history.undo()
    assert s.pipeline is first  # computed once per document, kept for the way back
    s.history.redo()
    assert s.pipeline is second


def test_stepping_another_layer_is_one_event_and_forgets_the_chosen_cell(tiny):
    s, view = tiny
    s.view.set(chosen_cell=(0, (2, 2)))
    view.heard.clear()
    s.set_stage(2)
    assert view.heard == ["chosen_cell", ("moved", True)]
    assert s.view.chosen_cell is None and s.playhead.position == 0
    s.set_stage(2)  # already there: nothing
    assert len(view.heard) == 2


def test_a_layer_that_cannot_run_is_refused_and_nothing_moves(tiny):
    s, view = tiny
    s.edits.add_pool("avg", 9)  # 4×4 maps cannot hold a 9×9 window
    view.heard.clear()
    last = len(s.pipeline.stage_starts) - 1
    with pytest.raises(ValueError, match="layer 6"):
        s.set_stage(last)
    assert view.heard == [] and s.stage_index == 0


def test_the_chosen_cell_stays_across_a_kernel_edit_and_goes_when_the_input_loses_it(tiny):
    s, view = tiny
    s.view.set(chosen_cell=(0, (12, 13)))
    view.heard.clear()
    s.edits.edit_cells("kernel", (0, 0), 0, 0, [[3.0]])
    assert s.view.chosen_cell == (0, (12, 13)) and view.heard == ["document"]
    s.edits.resize_input((8, 8))
    # Forgotten before the views redraw, so no view draws a cell that is gone.
    assert view.heard == ["document", "chosen_cell", "document"]
    assert s.view.chosen_cell is None


def test_a_document_that_cannot_be_computed_is_refused_whole(tiny):
    s, view = tiny
    before = s.document
    view.heard.clear()
    bad = before.replace(settings=before.settings.with_changes(dilation=(40, 40)))
    with pytest.raises(ValueError, match="does not fit"):
        s.open_document(bad)
    assert s.document is before and view.heard == []


def test_impossible_settings_keep_the_last_picture_and_say_why(tiny):
    s, _ = tiny
    shown = s.pipeline
    s.edits.change_settings("dilation", dilation=(40, 40))
    assert s.problem and "does not fit" in s.problem
    assert s.pipeline is shown  # the picture stays what it was
    assert s.document.settings.dilation == (40, 40)  # what the user asked for is kept
    s.history.undo()
    assert s.problem is None


def test_a_document_is_frozen():
    d = Document.from_demo("letter-h")
    with pytest.raises(ValueError):
        d.x[0, 0, 0] = 1.0  # read-only: only an edit makes a new document
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.use_bias = True
    with pytest.raises(ValueError, match="unknown document fields"):
        d.replace(activation="relu")  # the activation is a layer entry, one way to say it
    e = d.replace(use_bias=True)
    assert e.x is d.x  # the rest is shared, not copied
    assert Pipeline.of(e) is Pipeline.of(e) and Pipeline.of(e) is not Pipeline.of(d)


def test_view_state_fires_only_on_a_real_change():
    s = Session()
    heard = []
    s.view.changed.connect(heard.append)
    s.view.set(colormap="grey", channel=0)
    s.view.set(colormap="grey")
    assert heard == ["colormap"]
    with pytest.raises(ValueError, match="unknown view fields"):
        s.view.set(zoom_level=3)


def test_a_bias_per_filter_follows_the_filters():
    d = Document.from_demo("cs231n")
    fewer = d.replace(weight=np.asarray(d.weight)[:1])
    assert fewer.bias.tolist() == d.bias[:1].tolist()
    more = d.replace(weight=np.concatenate([d.weight, d.weight[:1]]))
    assert more.bias.tolist() == [*d.bias.tolist(), 0.0]


def test_each_layer_remembers_its_step_when_you_come_back(tiny):
    s, _ = tiny
    s.playhead.set_position(40)
    s.set_stage(2)
    assert s.playhead.position == 0  # a layer visited for the first time starts at its start
    s.playhead.set_position(7)
    s.set_stage(0)
    assert s.playhead.position == 40
    s.set_stage(2)
    assert s.playhead.position == 7
    s.load_demo("letter-h")  # another document: every layer starts afresh
    s.load_demo("tiny-cnn")
    s.set_stage(2)
    assert s.playhead.position == 0


def test_a_volume_caption_names_its_axes():
    s = Session("volume-3d")
    s.playhead.step_forward(2)
    caption = s.caption()
    assert "window at depth " in caption and ", row " in caption and ", column " in caption
    assert "output depth " in caption and "(" not in caption
