"""A long random session through the real widgets: nothing raises, the map stays exact."""

import sys
import traceback

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from convviz.engine import DEMOS, conv, run_stack
from convviz.model.lenses import LENSES
from convviz.qt.panels.layers_panel import LAYER_KINDS


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_clicks_never_break_the_window(qtbot, window, monkeypatch, seed):
    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: errors.append(info))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    rng = np.random.default_rng(seed)
    pp, kp, lp = window.parameter_panel, window.kernel_panel, window.layers_panel

    def edit_input():
        where = (int(rng.integers(5)), int(rng.integers(5)))
        try:
            window.session.edits.edit_cells("input", 0, *where, [[float(rng.integers(-5, 6))]])
        except ValueError:
            assert window.session.stage_index > 0  # a deeper layer's input is read-only

    def add_layer():
        lp.choose(
            list(LAYER_KINDS)[rng.integers(len(LAYER_KINDS))],
            size=int(rng.integers(1, 4)),
            stride=int(rng.integers(1, 3)),
            padding=int(rng.integers(0, 2)),
            filters=int(rng.integers(1, 4)),
        )
        lp.buttons["add"].click()

    actions = [
        lambda: window.open_demo(DEMOS[rng.integers(len(DEMOS))]),
        lambda: pp.stride[rng.integers(3)].setValue(int(rng.integers(1, 4))),
        lambda: pp.dilation[rng.integers(3)].setValue(int(rng.integers(1, 4))),
        lambda: pp.padding_kind.activated.emit(int(rng.integers(4))),
        lambda: pp.pads[rng.integers(6)].setValue(int(rng.integers(0, 4))),
        lambda: pp.padding_mode.activated.emit(int(rng.integers(4))),
        lambda: (pp.convolution if rng.random() < 0.5 else pp.correlation).click(),
        lambda: pp.use_bias.setChecked(bool(rng.random() < 0.5)),
        lambda: pp.activation.activated.emit(int(rng.integers(5))),
        lambda: pp.groups.activated.emit(int(rng.integers(pp.groups.count()))),
        lambda: pp.input_rows.setValue(int(rng.integers(1, 20))),
        lambda: pp.input_cols.setValue(int(rng.integers(1, 20))),
        lambda: pp.input_preset.activated.emit(int(rng.integers(1, pp.input_preset.count()))),
        lambda: kp.rows.setValue(int(rng.integers(1, 6))),
        lambda: kp.cols.setValue(int(rng.integers(1, 6))),
        lambda: kp.preset.activated.emit(int(rng.integers(1, kp.preset.count()))),
        lambda: kp.add_filter.click(),
        lambda: kp.remove_filter.click(),
        lambda: kp.random.click(),
        lambda: kp.normalise.click(),
        lambda: kp.bias.setValue(float(rng.normal())),
        edit_input,
        add_layer,
        lambda: lp.buttons["remove"].click(),
        lambda: window.actions_by_name["next_layer"].trigger(),
        lambda: window.actions_by_name["previous_layer"].trigger(),
        lambda: window.session.playhead.set_position(
            int(rng.integers(0, window.session.playhead.steps + 1))
        ),
        lambda: window.session.playhead.step_forward(),
        lambda: window.session.playhead.step_back(),
        lambda: window.undo_stack.undo(),
        lambda: window.undo_stack.redo(),
        lambda: window.actions_by_name["predict"].toggle(),
        lambda: window.set_lens(LENSES[rng.integers(len(LENSES))]),
    ]
    kinds = set()
    window.open_demo("tiny-cnn")  # a stack to start from, so that deeper layers get stepped
    for _ in range(300):
        actions[rng.integers(len(actions))]()
        s = window.session
        kinds.add((s.stage_index, s.stage.kind))
        if s.problem is None:
            expected = conv(
                s.document.x,
                s.document.weight,
                s.document.bias if s.document.use_bias else None,
                **s.document.settings.as_kwargs(),
            )
            np.testing.assert_allclose(s.pipeline.stepper.output, expected, rtol=1e-9, atol=1e-9)
            assert "step " in s.caption()
        if s.problem is None and s.stage_problem is None:
            layers = s.pipeline.layers
            starts = [*s.pipeline.stage_starts, len(layers)]
            end = starts[s.stage_index + 1]
            expected = run_stack(s.document.x, layers[:end])[-1]
            np.testing.assert_allclose(s.final_map(), expected, rtol=1e-9, atol=1e-9)
    assert errors == [], "".join(traceback.format_exception(*errors[0]))
    assert any(index > 0 for index, _ in kinds)  # deeper layers were stepped too
