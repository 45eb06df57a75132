"""Launch, step with the keyboard, play, and watch every view follow."""

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt

from convviz.engine import ActivationLayer, conv, demo

from ..gestures import click_cell
from ..map_colours import expected_map_colours


def expected_map():
    d = demo("letter-h")
    return conv(d.x, d.weight, **d.settings)[0]


def shown_map(window):
    """The map's values as the window shows them, after checking that its colours (the whole
    map's picture and the patch of cells changed since) are those values' colours."""
    fm = window.feature_map
    np.testing.assert_array_equal(fm.drawn_colours(), expected_map_colours(window))
    return fm.grid.values


def test_launches_on_letter_h_ready_to_play(window):
    assert window.caption.text().startswith("step 0 of 256")
    assert window.transport.position.text() == "step 0 of 256"
    assert np.isnan(shown_map(window)).all()
    labels = window.input_view.grid.labels
    origin = window.input_view.grid.origin
    assert origin == (-1, -1)  # 'same' padding: a ring of one cell
    assert labels.text_at(5 - origin[0], 3 - origin[1]) == "1"  # a stroke of the H
    assert window.input_view.window_rect() == QRectF(-1.5, -1.5, 3, 3)
    assert "output = ?" in window.computation.text()


@pytest.mark.parametrize(
    ("keys", "position"),
    [
        ([Qt.Key.Key_Right], 1),
        ([Qt.Key.Key_PageDown, Qt.Key.Key_PageDown], 2),
        ([Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left], 1),
        ([Qt.Key.Key_Right, Qt.Key.Key_PageUp], 0),
        ([Qt.Key.Key_End], 256),
        ([Qt.Key.Key_End, Qt.Key.Key_Home], 0),
    ],
)
def test_keys_step(qtbot, window, keys, position):
    for key in keys:
        qtbot.keyClick(window, key)
    assert window.session.playhead.position == position
    assert window.transport.scrubber.value() == position


def test_shift_right_moves_a_whole_output_row(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.session.playhead.position == 16


def test_every_view_shows_the_step(qtbot, window):
    for _ in range(40):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    full = expected_map()
    image = shown_map(window)
    flat = image.reshape(-1)
    np.testing.assert_allclose(flat[:40], full.reshape(-1)[:40], rtol=1e-6)
    assert np.isnan(flat[40:]).all()
    step = window.session.current
    assert step.out_index == (2, 7)
    assert window.feature_map.current_rect() == QRectF(6.5, 1.5, 1, 1)
    assert window.input_view.window_rect() == QRectF(5.5, 0.5, 3, 3)
    assert window.caption.text().startswith("step 40 of 256: window at row 1, column 6")
    assert window.link.endpoints() is not None
    # the link passes behind the computation's grids: never through one of its numbers
    grids = window.computation.grids
    middle = window.link.mapFromGlobal(grids.mapToGlobal(grids.rect().center()))
    middle.setY(window.link.mapFromGlobal(grids.mapToGlobal(QPoint(0, 20))).y())
    free = window.link.free_region()
    assert not free.contains(middle) and free.contains(window.link.endpoints()[1].toPoint())


def test_computation_sentence_is_the_cell_value(qtbot, window):
    window.session.playhead.set_position(7 * 16 + 4)  # output (7, 3): on the H's crossbar
    text = window.computation.text()
    value = expected_map()[7, 3]
    assert f"= {value:.1f}" in text
    assert "0·0 + 1·0.2 + 0·0" in text


def test_space_plays_and_pauses(qtbot, window):
    window.playback.set_speed(8)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.playback.playing
    qtbot.waitUntil(lambda: window.session.playhead.position > 10, timeout=15000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.playback.playing
    stopped = window.session.playhead.position
    qtbot.wait(100)
    assert window.session.playhead.position == stopped


def test_playing_to_the_end_stops(qtbot, window):
    window.playback.set_speed(11)
    window.playback.play()
    qtbot.waitUntil(lambda: not window.playback.playing, timeout=10000)
    assert window.session.playhead.finished
    np.testing.assert_allclose(shown_map(window), expected_map(), rtol=1e-6)


def test_plus_and_minus_change_speed(qtbot, window):
    start = window.playback.speed_index
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    qtbot.keyClick(window, Qt.Key.Key_Minus)
    assert window.playback.speed_index == start + 1
    assert window.transport.speed.currentIndex() == start + 1


def test_a_number_box_keeps_its_cursor_keys_and_the_rest_still_step(qtbot, window):
    rows = window.parameter_panel.input_rows
    rows.setFocus()
    qtbot.waitUntil(rows.hasFocus)
    editor = rows.lineEdit()
    qtbot.keyClick(editor, Qt.Key.Key_End)
    end = editor.cursorPosition()
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    assert editor.cursorPosition() == end - 1  # the text's cursor moved
    assert window.session.playhead.position == 0  # End and Left did not move the playhead
    qtbot.keyClick(editor, Qt.Key.Key_PageDown)
    assert window.session.playhead.position == 1  # PageDown still steps
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    assert window.playback.playing  # and Space still plays


def test_clicking_an_output_cell_jumps_to_its_step(qtbot, window):
    click_cell(qtbot, window.feature_map.grid, 3, 4)
    assert window.session.playhead.position == 3 * 16 + 5
    assert window.session.current.out_index == (3, 4)


def test_clicking_an_input_cell_marks_every_output_that_uses_it(qtbot, window):
    click_cell(qtbot, window.input_view.grid, 5, 3)
    path = window.feature_map.uses.path()
    assert path.elementCount() == 9 * 5  # a 3×3 block of rectangles, five path elements each
    assert "used by 9 output cell(s)" in window.statusBar().currentMessage()


def test_scrubber_moves_the_step(qtbot, window):
    window.transport.scrubber.setValue(100)
    assert window.session.playhead.position == 100
    assert window.caption.text().startswith("step 100 of 256")


def test_every_demo_opens_from_the_menu(qtbot, window):
    menu = window.menuBar().actions()[0].menu().actions()[0].menu()
    for action in menu.actions():
        action.trigger()
        qtbot.keyClick(window, Qt.Key.Key_End)
        name = window.session.document.demo_name
        d = demo(name)
        expected = conv(d.x, d.weight, d.bias, **d.settings)
        for layer in d.layers:  # activations right after the convolution belong to its step
            if not isinstance(layer, ActivationLayer):
                break
            expected = layer(expected)
        np.testing.assert_allclose(window.session.feature_map(), expected)
        assert f"step {window.session.playhead.steps} of" in window.caption.text()


def test_ctrl_q_closes(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_cs231n_shows_every_channel_side_by_side_with_its_window(qtbot, window):
    window.open_demo("cs231n")
    view = window.input_view
    assert view.shown_channels() == [0, 1, 2] and not view.channel_box.isVisible()
    window.session.playhead.set_position(5)
    dr, dc = view.tile_offset(2)
    assert (dr, dc) in ((16, 0), (0, 16))  # 5×5 padded by 1 is 7 wide, plus a one-cell gap
    order = "top to bottom" if dr else "left to right"
    assert f"channels 1–3 {order}" in view.title.text()
    np.testing.assert_array_equal(
        view.grid.values[dr + 1 : dr + 6, dc + 1 : dc + 6], window.session.document.x[2]
    )
    assert view.window_rect() == QRectF(0.5, 0.5, 3, 3)
    assert view.window_rects()[1:] == [
        QRectF(0.5 + k * dc / 2, 0.5 + k * dr / 2, 3, 3) for k in (1, 2)
    ]
    assert [b.title for b in window.computation.grids.blocks] == [
        "channel 1",
        "channel 2",
        "channel 3",
    ]
    assert "(one sum per channel)" in window.computation.text()
    assert "+ bias 1 =" in window.computation.text()


def test_typing_into_the_third_channel(qtbot, window):
    from ..gestures import type_into_cell

    window.open_demo("cs231n")
    dr, dc = window.input_view.tile_offset(2)
    type_into_cell(qtbot, window.input_view.grid, dr + 2, dc + 4, "7")
    assert window.session.document.x[2, 2, 4] == 7


def test_predicting_the_toolbar_and_caption_say_the_same_step_and_the_map_shows_a_question(
    qtbot, window
):
    s = window.session
    window.actions_by_name["predict"].trigger()
    s.playhead.set_position(12)
    window.actions_by_name["forward"].trigger()  # show the window of step 13, hide its output
    assert s.playhead.previewing
    assert window.transport.position.text() == "step 13 of 256: predict"
    assert window.caption.text().startswith("step 13 of 256")
    mark = window.feature_map.predicted
    step = s.current
    row, col = window.feature_map.cell_of(step.filter, step.out_index)
    assert mark.isVisible() and (mark.pos().x(), mark.pos().y()) == (col, row)
    window.actions_by_name["forward"].trigger()  # reveal
    assert not mark.isVisible() and window.transport.position.text() == "step 13 of 256"


def test_n_skips_the_windows_that_read_only_zeros(qtbot, window):
    s = window.session
    qtbot.keyClick(window, "n")
    step = s.current
    assert step.products.any()  # this window computes something
    earlier = [s.walk[i] for i in range(step.index)]
    assert all(not e.products.any() for e in earlier)  # and every one before it read zeros
    assert s.playhead.position == step.index + 1


def test_ctrl_z_while_typing_in_a_cell_undoes_the_typing_not_the_last_edit(qtbot, window):
    from ..gestures import type_into_cell

    type_into_cell(qtbot, window.input_view.grid, 1, 1, "7")  # one edit in the history
    grid = window.input_view.grid
    click_cell(qtbot, grid, 4, 4)
    qtbot.keyClicks(grid, "2")
    qtbot.keyClicks(grid.editor, "5")
    index = window.undo_stack.index()
    qtbot.keyClick(grid.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert grid.editing and grid.editor.text() != "25"  # the typing was undone
    assert window.undo_stack.index() == index  # the history was not
    assert window.session.document.x[0, 1, 1] == 7


def test_the_link_goes_through_the_computation(qtbot, window):
    # A straight line from the input's window to the output cell had run behind a wide
    # computation and shown as two stubs: it now arrives at the window grid and leaves from
    # the products.
    window.session.playhead.set_position(40)
    qtbot.waitUntil(lambda: window.link.segments() is not None)
    segments = window.link.segments()
    assert len(segments) == 6
    # One line, with square corners in the gaps between the panels.
    arrive, leave = segments[2][1], segments[3][0]
    for (_, a_end), (b_start, _) in itertools.pairwise(segments):
        if (a_end, b_start) != (arrive, leave):  # the computation lies between these two
            assert a_end == b_start
    for a, b in segments:
        assert a.x() == b.x() or a.y() == b.y()  # across or down, never slanted
    start, end = segments[0][0], segments[-1][1]
    assert (start, end) == window.link.endpoints()
    grids = window.computation.grids
    first, last = grids.link_anchors()
    assert arrive.toPoint() == window.link.mapFromGlobal(grids.mapToGlobal(first.toPoint()))
    assert leave.toPoint() == window.link.mapFromGlobal(grids.mapToGlobal(last.toPoint()))
    # Nothing painted hides the ends: the line is seen to reach the window grid and to leave
    # the products.
    free = window.link.free_region()
    assert free.contains((arrive - QPointF(6, 0)).toPoint())
    assert free.contains((leave + QPointF(6, 0)).toPoint())
    # It passes behind the map's colour bar (across a signal's map it had cut "−8" to "8").
    bar = window.feature_map.colour_bar
    low_label = window.link.mapFromGlobal(bar.mapToGlobal(QPoint(4, bar.height() // 2)))
    assert not free.contains(low_label)


def test_the_link_leaves_above_a_row_of_channels_not_along_the_next_one(qtbot, window):
    # cs231n: from channel 1's window the link had run along channel 2's cells, as if
    # channel 2 fed channel 1's computation; it now rises above the row of grids first.
    window.undo_stack.setClean()
    window.open_demo("cs231n")
    window.set_side_panels(False)  # the stage has the width: channels 1 and 2 side by side
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.input_view._tile[2] == 2)
    window.session.playhead.set_position(4)  # filter 1, row 0 of the outputs: mid-row
    qtbot.waitUntil(lambda: window.link.segments() is not None)
    view = window.input_view
    rect = view.window_rect()
    band = view.band_above_row(rect)
    assert band is not None and band[1] < rect.top()  # channel 2 beside, the window lower
    segments = window.link.segments()
    (start, corner), (_, across) = segments[0], segments[1]
    assert start == window.link.endpoints()[0] and start.x() == corner.x()
    band_top, row_top = (window.link._y_of(view.grid, y) for y in band[:2])
    label = band[2]
    assert label > 0  # "channel 2" is written at the foot of the band
    # Across in the band, above the grids' labels (through them it had struck them out).
    assert band_top < corner.y() == across.y() < row_top - label


def test_a_computed_zero_stands_apart_from_a_cell_not_computed_yet(qtbot, window):
    # letter-h's first row computes zeros: drawn white on the grid's background they had
    # looked like cells still empty, and a map of zeros like no map at all.
    from PySide6.QtGui import QColor

    fm = window.feature_map
    window.session.playhead.set_position(3)
    qtbot.wait(20)
    assert np.all(shown_map(window)[0, :3] == 0)
    image = fm.grid.grab().toImage()
    ratio = image.devicePixelRatio()

    def lightness(row: int, col: int) -> int:
        point = fm.grid.cell_center_px(row, col) * ratio
        return QColor(image.pixel(int(point.x()), int(point.y()))).lightness()

    computed, pending = lightness(0, 1), lightness(8, 8)
    assert computed - pending >= 25, (computed, pending)
    outside = QColor(image.pixel(3, 3)).lightness()  # around the map: the view's background
    assert outside - pending >= 15


def test_the_gap_between_maps_is_not_drawn_as_cells_to_come(qtbot, window):
    # cs231n's two maps stacked: the patch of cells a step wrote had painted the gap row
    # between them grey too, and filter 2 read as one row over a grey block.
    from ..map_colours import BACKGROUND, PENDING

    window.undo_stack.setClean()
    window.open_demo("cs231n")
    window.session.playhead.set_position(12)  # filter 2's first row: the patch spans the gap
    fm = window.feature_map
    colours = fm.drawn_colours()
    gap = fm.cell_of(1, (0, 0))[0] - 1 - fm.grid.origin[0]
    assert np.isnan(fm.grid.values[gap]).all()
    assert (colours[gap] == BACKGROUND).all()
    below = fm.cell_of(1, (2, 0))  # filter 2's last row: still to come
    assert tuple(colours[below[0] - fm.grid.origin[0], below[1] - fm.grid.origin[1]]) == PENDING
