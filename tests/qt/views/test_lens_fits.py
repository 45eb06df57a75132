"""A lens keeps its drawing in big print: its words scroll past a share of its height (in
presentation mode at 1366×768 they had taken all of it and left the backward pass's grids a few
pixels), and block titles are written smaller rather than into each other."""

import itertools

import pytest
from PySide6.QtCore import QRectF

from convviz.model import Session
from convviz.qt.views.lenses.lens_host import lens_view_class


def shown_lens(qtbot, demo: str, lens: str, size=(670, 570)):
    session = Session(demo)
    session.view.set(lens=lens)
    view = lens_view_class(lens)(session)
    qtbot.addWidget(view)
    session.playhead.set_position(min(12, session.playhead.steps))
    session.view.set(presentation=True)
    view.resize(*size)  # the middle column of a 1366×768 screen in presentation mode
    view.show()
    qtbot.waitExposed(view)
    view.refresh()
    return view


def lens_with_scrolling_words(qtbot, demo: str, lens: str, size=(670, 570)):
    """The lens shown in big print, once its words keep to their share of the height, and
    their scroll area; the words are asserted to scroll (to be longer than their share)."""
    view = shown_lens(qtbot, demo, lens, size)
    area = view.words_area
    qtbot.waitUntil(lambda: area.height() <= view.height() * view.WORDS_SHARE + 1)
    assert area.verticalScrollBar().maximum() > 0
    return view, area


@pytest.mark.parametrize(
    ("demo", "lens"),
    [("backward", "backward"), ("transposed", "transposed"), ("im2col", "unfolded")],
)
def test_the_words_leave_the_drawing_most_of_the_height(qtbot, demo, lens):
    # The words are longer than their share here: they scroll, and all of them are there.
    view, _ = lens_with_scrolling_words(qtbot, demo, lens)
    assert "✓" in view.text() or lens != "backward"
    assert view.body.height() >= view.height() * 0.55


def test_the_backward_grids_show_their_numbers_in_big_print(qtbot):
    view = shown_lens(qtbot, "backward", "backward")
    qtbot.waitUntil(lambda: view.grid.cell_px() >= 18)
    labels = view.grid.labels
    assert labels.labels_visible(view.grid.cell_px())
    assert view.gather.cell_px() >= 18


def title_rects(grid) -> list[QRectF]:
    rects = []
    for text in grid._titles:
        box = text.mapRectToScene(text.boundingRect())
        rects.append(grid.mapFromScene(box).boundingRect())
    return rects


def test_titles_over_narrow_blocks_do_not_run_into_each_other(qtbot):
    # The transposed lens's "INPUT y" over a 2-column block, then "stamp": at 24 px bold
    # they had printed as "INPUT y stamp" with no gap.
    view = shown_lens(qtbot, "transposed", "transposed")
    grid = view.scatter
    qtbot.waitUntil(lambda: grid.cell_px() > 5)
    grid.fit()
    qtbot.waitUntil(lambda: not grid._fitting_titles)  # titles are fitted after the event
    # by line (titles stand on their blocks: one bottom), then left to right
    rects = sorted(title_rects(grid), key=lambda r: (round(r.bottom() / 10), r.left()))
    assert len(rects) >= 3
    for a, b in itertools.pairwise(rects):
        if abs(a.top() - b.top()) < 2:  # on one line
            assert a.right() <= b.left(), (a, b)
    assert all(r.right() <= grid.width() for r in rects)


def test_outlines_are_thinner_in_small_cells_so_digits_show(qtbot):
    view = shown_lens(qtbot, "output-padding", "transposed", size=(480, 520))
    grid = view.scatter
    qtbot.waitUntil(lambda: not grid._fitting_titles and grid.cell_px() > 5)
    cell = grid.cell_px()
    for name, item in grid._marks.items():
        asked = grid._mark_widths[name]
        assert item.pen().widthF() <= max(1.5, min(asked, cell * 0.07)) + 1e-6


@pytest.mark.parametrize(
    ("demo", "lens"),
    [("frequency", "frequency"), ("transposed", "transposed"), ("backward", "backward")],
)
def test_the_words_end_at_a_whole_line_where_they_scroll(qtbot, demo, lens):
    # Presentation at 1366×768: the words' last line in view had been cut in half (the
    # frequency lens's check looked like the end of the words, not like more to scroll to).
    view, area = lens_with_scrolling_words(qtbot, demo, lens)
    # The words drawn whole: the rows that hold ink come in bands, one per line of text;
    # the view's foot must not fall inside one.
    image = view.words.grab().toImage()
    inked = [
        any(image.pixelColor(x, y).lightness() < 120 for x in range(0, image.width(), 2))
        for y in range(image.height())
    ]
    bands, top = [], None
    for y, ink in enumerate([*inked, False]):
        if ink and top is None:
            top = y
        elif not ink and top is not None:
            bands.append((top, y))
            top = None
    foot = area.viewport().height()
    assert len(bands) > 2
    # (a glyph may reach a pixel or two past its line's box: "↻", a comma)
    assert not any(top + 3 < foot < bottom - 3 for top, bottom in bands), (foot, bands)


def test_the_frequency_lens_shows_its_check_without_scrolling(qtbot):
    # Presentation at 1366×768: "0.462 directly, 0.462 through the FFT", the proof of the
    # theorem, had come after the transform's size and scrolled out of view.
    from PySide6.QtGui import QTextDocument

    view, area = lens_with_scrolling_words(qtbot, "frequency", "frequency", (640, 500))
    doc = QTextDocument()
    doc.setDefaultFont(view.words.font())
    doc.setDocumentMargin(0)
    doc.setHtml(view.words.text())
    doc.setTextWidth(view.words.width())
    doc.size()
    block = doc.begin()
    while block.isValid() and "through the FFT" not in block.text():
        block = block.next()
    assert block.isValid()
    layout = block.layout()
    foot = layout.position().y() + layout.lineAt(layout.lineCount() - 1).rect().bottom()
    assert foot <= area.viewport().height() + area.verticalScrollBar().value()
    assert area.verticalScrollBar().value() == 0
