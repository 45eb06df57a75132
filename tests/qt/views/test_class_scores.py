"""The digits demo in the window: class scores as bars beside the maps, and a brush and an
eraser on the input that change them live, one undo per stroke."""

import numpy as np
from PySide6.QtCore import Qt

from tests.qt.gestures import click_cell, drag_through_cells


def _bars(window) -> np.ndarray:
    return np.asarray(window.class_scores.bars.opts["height"], dtype=np.float64)


def test_the_scores_show_for_a_classifier_and_hide_otherwise(qtbot, window):
    view = window.class_scores
    assert not view.isVisible()  # letter-h ends in a map, not in class scores
    window.open_demo("digits")
    s = window.session
    assert view.isVisible()
    np.testing.assert_array_equal(_bars(window), s.pipeline.class_scores)
    assert view.predicted == 5 and view.title.text() == "Class scores: reads 5 (99.7 %)"
    ticks = view.plot.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [text for _, text in ticks] == [str(c) for c in range(10)]
    assert [label.toPlainText() for label in view.labels][5] == "99.7 %"
    assert s.feature_map().shape == (4, 16, 16) and not np.isnan(s.feature_map()).any()
    window.step_layer(3)  # the last pooling: the maps the linear layer reads
    assert window.feature_map.title.text().startswith("Output of layer 6: max pool 2×2 — 8 maps")
    window.open_demo("tiny-cnn")
    assert not view.isVisible()


def test_a_brush_stroke_changes_the_input_and_the_scores_and_one_undo_takes_it_back(qtbot, window):
    window.open_demo("digits")
    s, grid = window.session, window.input_view.grid
    s.edits.edit_cells("input", 0, 0, 0, np.zeros((16, 16)))  # a blank grid to draw on
    blank, scores = s.document, s.pipeline.class_scores.copy()
    edits = window.undo_stack.count()
    qtbot.mouseClick(window.input_view.tools.buttons["brush"], Qt.MouseButton.LeftButton)
    assert s.view.tool == "brush" and grid.painting
    redraws = []
    s.document_changed.connect(lambda: redraws.append(_bars(window).copy()))
    # a 7: a bar along the top, then down to the bottom
    drag_through_cells(qtbot, grid, [(2, 3), (2, 8), (2, 12), (8, 10), (14, 8)])
    painted = s.document.x[0]
    assert painted[2, 3:13].min() == 1.0 and painted[14, 8] == 1.0
    assert painted[8, 3] == 0.0  # far from the stroke: untouched
    assert len(redraws) >= 5  # the bars followed the stroke as it was painted
    assert window.undo_stack.count() == edits + 1  # the whole stroke: one edit
    assert window.undo_stack.undoText().startswith("Paint ")
    np.testing.assert_array_equal(_bars(window), s.pipeline.class_scores)
    assert not np.allclose(s.pipeline.class_scores, scores)
    assert window.class_scores.predicted == 7
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert s.document is blank
    np.testing.assert_array_equal(_bars(window), scores)


def test_the_eraser_erases_and_select_edits_cells_as_before(qtbot, window):
    window.open_demo("digits")
    s, grid = window.session, window.input_view.grid
    qtbot.mouseClick(window.input_view.tools.buttons["eraser"], Qt.MouseButton.LeftButton)
    drag_through_cells(qtbot, grid, [(0, 5), (15, 5)])
    assert s.document.x[0, :, 5].max() == 0.0
    assert window.undo_stack.undoText().startswith("Erase ")
    qtbot.mouseClick(window.input_view.tools.buttons["select"], Qt.MouseButton.LeftButton)
    assert not grid.painting
    click_cell(qtbot, grid, 4, 4)
    assert s.view.chosen_cell == (0, (4, 4))  # a click chooses a cell again
    qtbot.keyClicks(grid, "0")
    qtbot.keyClicks(grid.editor, ".5")
    qtbot.keyClick(grid.editor, Qt.Key.Key_Return)
    assert s.document.x[0, 4, 4] == 0.5


def test_a_deeper_layer_cannot_be_painted_and_a_volume_has_no_brush(qtbot, window):
    window.open_demo("digits")
    s, view = window.session, window.input_view
    s.view.set(tool="brush")
    window.step_layer(1)
    assert not view.grid.painting and not view.tools.isEnabled()
    before = s.document
    drag_through_cells(qtbot, view.grid, [(1, 1), (4, 4)])
    assert s.document is before
    window.open_demo("volume-3d")
    assert not view.tools.isVisibleTo(window) and not view.grid.painting


def test_the_layers_panel_lists_the_head_and_traces_only_maps(qtbot, window):
    window.open_demo("digits")
    panel = window.layers_panel
    window.layers_dock.raise_()
    panel.refresh()
    table = panel.table
    assert table.rowCount() == 8
    assert [table.item(r, 1).text() for r in (6, 7)] == ["128", "10"]
    assert table.item(7, 0).text() == "8. linear 128 → 10" and table.item(7, 2).text() == "1290"
    assert panel.total.text() == "total learnable parameters: 1626"
    assert panel.last_title.text().startswith("Layer 6, map 1")
    table.selectRow(7)
    assert not panel.buttons["apply"].isEnabled()  # a trained layer is not made in the form
    click_cell(qtbot, panel.last, 0, 0)
    assert window.session.view.receptive_field == ((-3, 6), (-3, 6))
