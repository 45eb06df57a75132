"""Several maps are tiled to make their cells largest: digits' four 16×16 maps in one row of a
350×300 panel had 5 px cells; two rows of two have twice that. Clicks and labels follow."""

import numpy as np

from convviz.model import Session
from convviz.qt.views.feature_map_view import FeatureMapView
from convviz.qt.views.input_view import InputView


def shown(qtbot, view_class, demo: str, size: tuple[int, int]):
    """A view of ``demo`` alone, shown at ``size``; with its session."""
    session = Session(demo)
    view = view_class(session)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return session, view


def test_four_maps_in_a_squarish_panel_go_two_by_two_and_stay_addressable(qtbot):
    session, view = shown(qtbot, FeatureMapView, "digits", (350, 330))
    qtbot.waitUntil(lambda: view._per_row == 2)
    g = session.walk.geometry
    rows, cols = g.out
    gap = view._gap  # rows between the two rows of maps: room for "filter 3" over its map
    assert view.grid.values.shape == (2 * rows + gap, 2 * cols + 1)
    assert gap * view.grid.cell_px() >= 15
    one_row_cell = min(view.grid.width() / (4 * (cols + 1)), view.grid.height() / rows)
    assert view.grid.cell_px() > one_row_cell  # even before a row's labels take their room
    session.playhead.run_to_end()
    final = session.final_map()
    for f in range(g.filters):
        for out in ((0, 0), (rows - 1, cols - 1), (3, 7)):
            r, c = view.cell_of(f, out)
            assert view.output_at(r, c) == (f, out)
            np.testing.assert_allclose(view.grid.values[r, c], final[(f, *out)])
    assert view.output_at(rows, 0) is None  # the gap between the rows of maps
    # Each label sits in the gap above its map, not over the map.
    for label, f in zip(view.map_labels, range(g.filters), strict=True):
        top, _ = view.cell_of(f, (0, 0))
        assert label.pos().y() == top - 0.5


def test_every_maps_label_shows_over_the_fresh_cells(qtbot):
    # cs231n stacks its two maps: the patch of freshly computed cells spans the gap between
    # them and had covered "filter 2".
    session, view = shown(qtbot, FeatureMapView, "cs231n", (350, 500))
    session.playhead.set_position(12)
    assert len(view.map_labels) == 2
    fresh = view.grid.fresh
    assert all(label.zValue() > fresh.zValue() for label in view.map_labels)


def test_the_inputs_grids_are_labelled_as_the_computation_names_them(qtbot):
    # volume-3d's input slices had no labels to match the computation's "depth −1" / "depth 0".
    session, view = shown(qtbot, InputView, "volume-3d", (480, 560))
    words = [label.text() for label in view.tile_labels]
    assert words[:3] == ["depth −1", "depth 0", "depth 1"]
    assert len(words) == len(view.tiles())
    # Each label sits in the gap above its grid, tall enough for it.
    assert view._gap * view.grid.cell_px() >= 15
    for label, (channel, depth) in zip(view.tile_labels, view.tiles(), strict=True):
        top, _ = view.tile_offset(channel, depth)
        assert label.pos().y() == view.grid.origin[0] + top - 0.5
    session.load_demo("cs231n")
    assert [label.text() for label in view.tile_labels] == ["channel 1", "channel 2", "channel 3"]
    session.load_demo("letter-h")
    assert view.tile_labels == []
