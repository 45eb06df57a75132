"""A typed cell of a large picture redraws only what it reaches: the pipeline sums again the
outputs whose windows read it, and the input, the map and the Layers panel colour those cells
on a patch instead of drawing the whole picture again; what is drawn is what a whole redraw
would draw."""

import numpy as np
import pytest

from convviz.colormaps import colourise
from convviz.engine import Stepper
from tests.qt.gestures import type_into_cell
from tests.qt.map_colours import BACKGROUND, expected_map_colours


def whole_images_set(grids, monkeypatch):
    """Count the times each grid's whole picture is set again from new numbers (a change of
    levels alone re-renders the numbers the image holds: pyqtgraph calls ``setImage()`` with
    no image for it)."""
    counts = {id(g): 0 for g in grids}
    for grid in grids:
        original = grid.image.setImage

        def counting(*args, _grid=grid, _original=original, **kwargs):
            if (args and args[0] is not None) or kwargs.get("image") is not None:
                counts[id(_grid)] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(grid.image, "setImage", counting)
    return counts


@pytest.mark.parametrize(
    ("padding_mode", "row", "patched"),
    [("zeros", 25, True), ("reflect", 25, True), ("reflect", 0, False)],
)
def test_a_typed_cell_redraws_only_the_cells_it_reaches(
    qtbot, window, monkeypatch, padding_mode, row, patched
):
    s = window.session
    x = np.random.default_rng(1).integers(0, 9, size=(1, 120, 120)).astype(float)
    s.edits.change("a picture", x=x)
    s.edits.change_settings("mode", padding_mode=padding_mode)
    s.playhead.set_position(s.playhead.steps // 2)
    window.set_lens("sliding")
    qtbot.wait(10)
    grids = [window.input_view.grid, window.feature_map.grid]
    counts = whole_images_set(grids, monkeypatch)
    grid = window.input_view.grid
    grid.box.setRange(xRange=(30, 45), yRange=(20, 35), padding=0)  # zoomed: cells to type in
    qtbot.wait(10)
    type_into_cell(qtbot, grid, row, 40, "5")
    d = s.document
    assert d.x[0, row, 40] == 5
    # The map is the one a whole computation gives, found by summing nine windows again (a
    # cell that reflect padding copies is read far away: then everything is computed).
    assert (s.pipeline.cell_change is not None) == patched
    whole = Stepper(d.x, d.weight, d.bias if d.use_bias else None, **d.settings.as_kwargs())
    np.testing.assert_allclose(s.pipeline.stepper.output, whole.output, rtol=1e-12)
    fm = window.feature_map
    np.testing.assert_array_equal(fm.grid.values, fm.tiled(s.feature_map()))
    np.testing.assert_array_equal(fm.drawn_colours(), expected_map_colours(window))
    drawn = grid.drawn_colours()
    expected = colourise(grid.values, window.colormap, *grid.colour_levels, missing=BACKGROUND)
    np.testing.assert_array_equal(drawn, expected)
    assert grid.values[row - grid.origin[0], 40 - grid.origin[1]] == 5
    if not patched:
        assert all(count > 0 for count in counts.values())
        return
    # Neither picture was drawn whole again: the patches cover the typed cell and its reach.
    assert counts == {id(g): 0 for g in grids}
    top, left, bottom, right = fm.grid._fresh_box
    assert (bottom - top) * (right - left) <= 9
    # Undo gives back the very document and its map, drawn right.
    window.undo_stack.undo()
    assert s.document.x[0, row, 40] == x[0, row, 40]
    np.testing.assert_array_equal(fm.grid.values, fm.tiled(s.feature_map()))


@pytest.mark.parametrize(("typed", "where"), [("50", (25, 40)), ("1", "extreme")])
def test_a_typed_value_that_moves_the_colour_range_recolours_without_a_whole_redraw(
    qtbot, window, monkeypatch, typed, where
):
    """A value past the range (or the one extreme cell made small) spreads the colours over
    the new range: the pictures keep their numbers and are coloured again, every cell right."""
    s = window.session
    x = np.random.default_rng(3).integers(0, 9, size=(1, 120, 120)).astype(float)
    if where == "extreme":
        x[0, 25, 40] = 30.0  # the only cell that far out: making it small narrows the range
        where = (25, 40)
    s.edits.change("a picture", x=x)
    s.playhead.set_position(s.playhead.steps - 1)  # nearly every output shown
    window.set_lens("sliding")
    qtbot.wait(10)
    grids = [window.input_view.grid, window.feature_map.grid]
    counts = whole_images_set(grids, monkeypatch)
    grid, fm = window.input_view.grid, window.feature_map
    before = (grid.colour_levels, fm.grid.colour_levels)
    grid.box.setRange(xRange=(30, 45), yRange=(20, 35), padding=0)
    qtbot.wait(10)
    type_into_cell(qtbot, grid, *where, typed)
    assert s.document.x[(0, *where)] == float(typed)
    assert counts == {id(g): 0 for g in grids}  # no whole picture set again
    top = float(np.max(np.abs(s.document.x)))
    assert grid.colour_levels == (-top, top) != before[0]
    final = s.stage.final
    top_map = float(np.max(np.abs(final)))
    assert fm.grid.colour_levels == (-top_map, top_map) != before[1]
    for g in grids:  # the picture under the patch is coloured over the same range
        assert tuple(g.image.levels) == g.colour_levels
    assert (fm.colour_bar.low, fm.colour_bar.high) == fm.grid.colour_levels
    for g in grids:  # every cell coloured as a whole redraw (from float32 numbers) colours it
        shown = g.values.astype(np.float32)
        if g is fm.grid:
            expected = expected_map_colours(window, shown)
        else:
            expected = colourise(shown, window.colormap, *g.colour_levels, missing=BACKGROUND)
        np.testing.assert_array_equal(g.drawn_colours(), expected)
    np.testing.assert_array_equal(fm.grid.values, fm.tiled(s.feature_map()))
