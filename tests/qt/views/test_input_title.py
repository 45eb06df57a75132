"""The input's title keeps its size: the painting tools go under it when beside them it would
need more than two lines."""

import pytest
from PySide6.QtWidgets import QBoxLayout

from convviz.model import Session
from convviz.qt.views.input_view import InputView


@pytest.mark.parametrize(("demo", "width"), [("output-padding", 430), ("letter-h", 430)])
def test_the_title_keeps_its_size_and_the_tools_move_under_it_when_it_must(qtbot, demo, width):
    # output-padding's title ("… red hatching: cells the stride never reaches") beside the
    # tools had shrunk to the smallest size on three lines; letter-h's short one fits beside.
    view = InputView(Session(demo))
    qtbot.addWidget(view)
    view.resize(width, 500)
    view.show()
    qtbot.waitExposed(view)
    title = view.title
    # Written at its size, not shrunk (once the header is laid out).
    qtbot.waitUntil(lambda: title.font().pixelSize() == title.wanted_px, timeout=2000)
    beside = view.header.direction() == QBoxLayout.Direction.LeftToRight
    assert beside == (demo == "letter-h")
    if beside:  # the tools in view beside the title, not over it
        assert view.tools.geometry().left() >= title.geometry().right()
