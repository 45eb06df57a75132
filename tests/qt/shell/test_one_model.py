"""One document, one pipeline, one playhead, one view state: the views never fall out of step.

Each test here was written against a bug users saw while the model was one object.
"""

import numpy as np
import pytest
import torch

from convviz.colormaps import lookup_table
from convviz.engine import DEMOS
from convviz.model import Pipeline
from convviz.qt.panels.kernel_panel import KernelPanel
from convviz.qt.panels.layers_panel import LayersPanel
from convviz.qt.panels.parameter_panel import ParameterPanel
from convviz.qt.panels.transport_bar import TransportBar
from convviz.qt.shell.main_window import MainWindow
from convviz.qt.views.computation_view import ComputationView
from convviz.qt.views.feature_map_view import FeatureMapView
from convviz.qt.views.input_view import InputView
from convviz.qt.views.step_caption import StepCaption
from convviz.qt.widgets.grid_view import GridView

from ..gestures import click_cell, type_into_cell
from ..map_colours import expected_map_colours


def test_the_colour_map_reaches_the_layers_panel(qtbot, window):
    window.open_demo("tiny-cnn")
    window.layers_dock.raise_()
    qtbot.waitUntil(window.layers_panel.last.isVisible)
    window.colormap_actions["viridis"].trigger()
    expected = lookup_table("viridis")
    for grid in (window.layers_panel.last, window.input_view.grid, window.feature_map.grid):
        np.testing.assert_array_equal(grid.image.lut, expected)
    assert window.session.view.colormap == "viridis"


def test_a_chosen_cell_and_its_outputs_stay_together_across_an_edit(qtbot, window):
    s = window.session
    click_cell(qtbot, window.input_view.grid, 4, 5)
    assert s.view.chosen_cell == (0, (4, 5))
    uses_before = window.feature_map.uses.path().boundingRect()
    assert window.input_view.chosen.isVisible() and not uses_before.isEmpty()
    type_into_cell(qtbot, window.kernel_panel.grid, 0, 0, "2")  # a kernel edit
    assert s.document.weight[0, 0, 0, 0] == 2
    # Both views still show the same chosen cell: the outline and the outputs that read it.
    assert s.view.chosen_cell == (0, (4, 5))
    assert window.input_view.chosen.isVisible()
    assert window.feature_map.uses.path().boundingRect() == uses_before
    # An input too small for the cell forgets it in both views at once.
    s.edits.resize_input((3, 3))
    assert s.view.chosen_cell is None
    assert not window.input_view.chosen.isVisible()
    assert window.feature_map.uses.path().isEmpty()


def test_tiny_cnn_shows_the_relu_it_applies_in_the_parameters(qtbot, window):
    window.open_demo("tiny-cnn")
    panel = window.parameter_panel
    assert panel.activation.currentText() == "relu"
    assert panel.pytorch.text().endswith(", then F.relu")
    rows = window.layers_panel.table.rowCount()
    panel.activation.setCurrentText("none")
    panel.activation.activated.emit(panel.activation.currentIndex())  # as a user's pick does
    assert window.session.document.activation == "none"
    assert "F.relu" not in panel.pytorch.text()
    window.layers_dock.raise_()
    qtbot.waitUntil(lambda: window.layers_panel.table.rowCount() == rows - 1)
    window.undo_stack.undo()
    assert panel.activation.currentText() == "relu"


def _shown_pytorch_lines(window) -> list[str]:
    """Every PyTorch line the Parameters dock shows now (layer 1's, and the stepped one's)."""
    panel = window.parameter_panel
    lines = [panel.pytorch.text()]
    if panel.stage_box.isVisibleTo(panel):
        lines += [v for v in panel.stage_text.text().splitlines() if v.startswith("PyTorch: ")]
    assert all(line.startswith("PyTorch: ") for line in lines)
    return [line.removeprefix("PyTorch: ") for line in lines]


def _run(code, x: np.ndarray, weight=None, bias=None) -> np.ndarray:
    scope = {"x": torch.tensor(x)[None]}
    if weight is not None:
        scope["weight"] = torch.tensor(weight)
        scope["bias"] = None if bias is None else torch.tensor(bias)
    exec(code.program(), scope)
    return scope["y"][0].numpy()


def _check_stage(window, stage, shown: str) -> None:
    code = stage.pytorch_code()
    assert shown == code.line()
    layer = stage.layer
    weight = getattr(layer, "weight", None)
    got = _run(code, stage.x, weight, getattr(layer, "bias", None))
    np.testing.assert_allclose(got, stage.final, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", DEMOS)
def test_every_pytorch_line_shown_computes_what_the_window_shows(qtbot, window, name):
    window.open_demo(name)
    s = window.session
    for index in range(len(s.pipeline.stage_starts)):
        window.step_layer(index)
        lines = _shown_pytorch_lines(window)
        code = window.parameter_panel.pytorch_code()
        assert lines[0] == code.line()
        first = s.pipeline.stage(0)
        d = s.document
        got = _run(code, d.x, d.weight, d.bias if d.use_bias else None)
        np.testing.assert_allclose(got, first.final, rtol=1e-9, atol=1e-9)
        if index > 0:
            _check_stage(window, s.stage, lines[1])


def test_uneven_same_padding_with_reflect_is_said_and_computed(qtbot, window):
    s = window.session
    s.edits.change_settings("same, reflect", stride=(2, 2), padding="same", padding_mode="reflect")
    pads = s.pipeline.stepper.geometry.pads
    assert pads == ((0, 1), (0, 1))  # 16 cells, 3×3 at stride 2: one cell after, none before
    line = _shown_pytorch_lines(window)[0]
    assert "F.pad(x, (0, 1, 0, 1), mode='reflect')" in line, line
    code = window.parameter_panel.pytorch_code()
    d = s.document
    np.testing.assert_allclose(_run(code, d.x, d.weight), Pipeline.of(d).stepper.output)


# -- how often each view draws --------------------------------------------------------------------
DRAWN = {
    "grid": (GridView, "show_values"),
    "cells": (GridView, "redraw_cells"),  # a few cells coloured again on the grid's patch
    "input": (InputView, "refresh"),
    "input step": (InputView, "show_step"),
    "map": (FeatureMapView, "refresh"),
    "map step": (FeatureMapView, "show_step"),
    "computation": (ComputationView, "refresh"),
    "kernel": (KernelPanel, "refresh"),
    "parameters": (ParameterPanel, "refresh"),
    "layers": (LayersPanel, "refresh"),
    "transport": (TransportBar, "refresh"),
    "caption": (StepCaption, "refresh"),
}


@pytest.fixture
def counted(qtbot, qapp, monkeypatch):
    """A main window whose views count their draws: ``counts[(what, view)]``."""
    counts: dict = {}

    def counting(what, method):
        def wrapper(self, *args, **kwargs):
            key = (what, id(self))
            counts[key] = counts.get(key, 0) + 1
            return method(self, *args, **kwargs)

        return wrapper

    for what, (cls, name) in DRAWN.items():
        monkeypatch.setattr(cls, name, counting(what, getattr(cls, name)))
    builds = []
    original = Pipeline.__init__

    def build(self, document, stepper=None, change=None):
        builds.append(document)
        original(self, document, stepper, change)

    monkeypatch.setattr(Pipeline, "__init__", build)
    window = MainWindow("tiny-cnn", persist=False)
    window.show()
    qtbot.waitExposed(window)
    window.layers_dock.raise_()  # the Layers panel draws too
    qtbot.waitUntil(window.layers_panel.isVisible)
    qapp.processEvents()
    yield window, counts, builds
    window.undo_stack.setClean()
    window.close()
    window.deleteLater()


def _drawn(counts: dict) -> dict:
    return {key: n for key, n in counts.items() if n}


def test_one_typed_cell_computes_once_and_draws_each_view_once(qtbot, counted):
    window, counts, builds = counted
    grid = window.input_view.grid
    click_cell(qtbot, grid, 3, 3)
    qtbot.keyClicks(grid, "7")
    counts.clear()
    builds.clear()
    qtbot.keyClick(grid.editor, "\r")
    assert window.session.document.x[0, 3, 3] == 7
    assert len(builds) == 1  # the new document is computed once
    drawn = _drawn(counts)
    assert drawn, "nothing was drawn after an edit"
    twice = {key: n for key, n in drawn.items() if n > 1}
    assert not twice, f"views drawn more than once for one typed cell: {twice}"
    whats = {what for what, _ in drawn}
    assert {"computation", "kernel", "parameters", "layers", "caption"} <= whats
    # The input and the map show the typed cell and what it reaches: drawn whole, or those
    # cells alone coloured again on their grids.
    for view, what in ((window.input_view, "input"), (window.feature_map, "map")):
        assert (what, id(view)) in drawn or ("cells", id(view.grid)) in drawn, what


def test_one_step_draws_only_what_a_step_changes(qtbot, counted):
    window, counts, builds = counted
    window.session.playhead.step_forward()
    counts.clear()
    builds.clear()
    window.actions_by_name["forward"].trigger()
    assert window.session.playhead.position == 2
    drawn = _drawn(counts)
    assert not builds
    twice = {key: n for key, n in drawn.items() if n > 1}
    assert not twice, f"views drawn more than once for one step: {twice}"
    whats = {what for what, _ in drawn}
    allowed = {"input step", "map step", "computation", "transport", "caption", "grid", "cells"}
    assert whats <= allowed
    assert {"input step", "map step", "computation", "transport", "caption"} <= whats
    # No grid is drawn again: the feature map writes the one cell it gains in place.
    grids = [view for what, view in drawn if what == "grid"]
    assert grids == []
    fm = window.feature_map
    step = window.session.current
    row, col = fm.cell_of(step.filter, step.out_index)
    r0, c0 = fm.grid.origin
    assert (
        fm.grid.values[row - r0, col - c0]
        == window.session.final_map()[(step.filter, *step.out_index)]
    )


@pytest.mark.parametrize("patch_cells", [8192, 20])  # 20: the patch folds into the map often
def test_a_map_written_cell_by_cell_is_the_map_drawn_whole(
    qtbot, counted, monkeypatch, patch_cells
):
    from convviz.qt.widgets import grid_view

    monkeypatch.setattr(grid_view, "FRESH_CELLS", patch_cells)
    import numpy as np

    window, _, _ = counted
    s, fm = window.session, window.feature_map
    rng = np.random.default_rng(4)
    moves = [s.playhead.step_forward, s.playhead.step_back, s.playhead.row_forward]
    for _ in range(60):
        if rng.random() < 0.1:
            s.playhead.set_position(int(rng.integers(0, s.playhead.steps + 1)))
        else:
            moves[rng.integers(len(moves))]()
        np.testing.assert_array_equal(fm.grid.values, fm.tiled(s.feature_map()))
        np.testing.assert_array_equal(fm.drawn_colours(), expected_map_colours(window))


def test_the_kernel_editor_follows_the_window_into_each_filter_without_drawing_twice(
    qtbot, counted
):
    window, counts, _ = counted
    s = window.session
    s.edits.add_filter()  # tiny-cnn's two filters and a third: each map follows the last
    counts.clear()
    s.playhead.set_position(s.playhead.steps)  # the last step is filter 3's
    assert s.view.kernel_filter == 2 and window.kernel_panel.filter_box.value() == 3
    kernel_draws = [n for (what, _), n in counts.items() if what == "kernel"]
    assert kernel_draws == [1]


def test_presentation_mode_is_view_state_that_each_view_follows(qtbot, window):
    window.set_presentation(True)
    try:
        assert window.session.view.presentation
        assert window.input_view.grid.labels.scale_factor == 1.25
        assert window.feature_map.grid.labels.scale_factor == 1.25
        assert window.computation.font_px == 28
        # The sums grow (to 28 px, less where a long sum would take the panel's height).
        sums_px = window.computation._sums_px
        assert 18 < sums_px <= 28 and f"font-size:{sums_px}px" in window.computation.sums.text()
    finally:
        window.set_presentation(False)
    assert window.computation.font_px == 18 and not window.session.view.presentation
