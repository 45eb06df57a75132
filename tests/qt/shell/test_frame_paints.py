"""A step repaints what it changed, once: counted paint events and painted regions."""

from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QObject

from convviz.qt.widgets.equation_grids import EquationGrids


class PaintLog(QObject):
    """Every paint event the application delivers: how many per widget, and where."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter = Counter()
        self.regions: dict = {}

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.counts[watched] += 1
            area = sum(r.width() * r.height() for r in event.region())
            self.regions.setdefault(watched, []).append(area)
        return False


@pytest.fixture
def paints(qapp):
    log = PaintLog()
    qapp.installEventFilter(log)
    yield log
    qapp.removeEventFilter(log)


def step_once(qapp, window, position, paints):
    window.session.playhead.set_position(position - 1)
    for _ in range(3):
        qapp.processEvents()
    paints.counts.clear()
    paints.regions.clear()
    window.session.playhead.set_position(position)
    qapp.processEvents()


@pytest.mark.parametrize("demo", ["letter-h", "cs231n"])
def test_a_step_is_painted_in_one_pass(qapp, window, paints, demo):
    window.undo_stack.setClean()
    window.open_demo(demo)
    step_once(qapp, window, 5, paints)
    views = {
        "input": window.input_view.grid.viewport(),
        "map": window.feature_map.grid.viewport(),
        "link": window.link,
    }
    assert paints.counts[views["map"]] == 1  # the new cell and its outline
    for name, widget in views.items():
        assert paints.counts[widget] <= 1, f"{name} painted {paints.counts[widget]} times"


def test_a_step_repaints_a_few_cells_of_the_map_not_the_map(qapp, window, paints):
    step_once(qapp, window, 40, paints)
    viewport = window.feature_map.grid.viewport()
    (painted,) = paints.regions[viewport]  # pixels: the old and new outline, the link's band
    whole = viewport.rect()
    assert painted < whole.width() * whole.height() / 8, painted


def drawn_grids(monkeypatch, window):
    """The titles of the computation's grids painted from now on."""
    titles = []
    draw = EquationGrids._grid

    def record(self, painter, left, top, cell, values, title, *args, **kwargs):
        titles.append(title)
        return draw(self, painter, left, top, cell, values, title, *args, **kwargs)

    monkeypatch.setattr(EquationGrids, "_grid", record)
    return titles


def test_a_step_leaves_the_kernel_as_drawn(qtbot, qapp, window, paints, monkeypatch):
    window.undo_stack.setClean()
    window.open_demo("cs231n")
    window.resize(1366, 768)  # a laptop: the sentences keep their lines from step to step
    window.session.playhead.set_position(4)
    qtbot.wait(100)  # the new size laid out
    titles = drawn_grids(monkeypatch, window)
    paints.regions.clear()
    window.session.playhead.set_position(5)  # the same filter, the next window
    qapp.processEvents()
    assert titles, "the window and the products changed: they are painted"
    assert "products" in titles
    assert not any(t.startswith("kernel") or t.startswith("filter") for t in titles), titles
    # a whole repaint (another filter: new kernels) draws every grid again
    titles.clear()
    window.computation.grids.repaint()
    channels = len(window.computation.grids.blocks)
    assert len(titles) == 3 * channels


def test_a_step_that_changes_no_number_paints_no_grid(qapp, window, monkeypatch):
    # letter-h's first windows read only zeros: the computation's numbers stay the same
    window.session.playhead.set_position(2)
    for _ in range(3):
        qapp.processEvents()
    titles = drawn_grids(monkeypatch, window)
    window.session.playhead.set_position(3)
    qapp.processEvents()
    assert titles == []
