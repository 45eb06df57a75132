"""The feature map's colour bar: the value range its colours span, in the colour map chosen."""

import numpy as np

from convviz.colormaps import lookup_table


def test_the_colour_bar_spans_the_maps_values_in_the_chosen_colours(qtbot, window):
    window.open_demo("edges")
    bar = window.feature_map.colour_bar
    top = np.abs(window.session.final_map()).max()
    assert (bar.low, bar.high) == (-top, top)
    assert bar.text() == "−3 … 0 … 3"
    window.set_colormap("viridis", remember=False)
    assert bar.colormap == "viridis"
    picture = bar.grab().toImage()
    rect = bar.bar_rect()
    for where, end in ((rect.left() + 3, 0), (rect.right() - 3, 255)):
        colour = picture.pixelColor(int(where), int(rect.center().y()))
        expected = lookup_table("viridis")[end]
        got = np.array([colour.red(), colour.green(), colour.blue()])
        assert np.abs(got - expected).max() < 25
