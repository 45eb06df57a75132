"""The textbook picture's arithmetic: which k's to show, and how many numbers on an axis."""

import pytest

from convviz.qt.widgets.sliding_kernel_plot import span_to_show, tick_step


def test_a_short_signal_is_shown_whole():
    assert span_to_show([3, 4, 5], -2, 6, cells=12) == (-2.5, 6.5)


def test_the_kernel_slides_across_a_part_that_moves_ahead_of_it():
    first = span_to_show([0, 1, 2], -2, 121, cells=10)
    assert first == (-1.5, 8.5)  # a cell of room before the kernel
    assert span_to_show([6, 7, 8], -2, 121, cells=10, current=first) == first  # still in view
    moved = span_to_show([7, 8, 9], -2, 121, cells=10, current=first)
    assert moved == (5.5, 15.5)  # the kernel left on the right: now it starts near the left
    back = span_to_show([3, 4, 5], -2, 121, cells=10, current=moved)
    assert back == (-2.5, 7.5)  # stepping back: near the right, clamped at the start
    assert span_to_show([118, 119, 120], -2, 121, cells=10, current=moved) == (111.5, 121.5)


@pytest.mark.parametrize(
    ("span", "pieces", "step"),
    [(3.0, 2.5, 2.0), (0.2, 2.5, 0.1), (4.5, 2.5, 2.0), (0.8, 1.0, 1.0), (0.0, 2.5, 1.0)],
)
def test_two_or_three_numbers_on_an_axis(span, pieces, step):
    assert tick_step(span, pieces) == pytest.approx(step)
