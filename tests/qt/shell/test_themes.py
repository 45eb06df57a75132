"""View → Theme: dark and high contrast for projectors, applied to the window, the grids and
the plots, and remembered."""

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from convviz.qt.shell.main_window import MainWindow
from convviz.qt.widgets import themes
from convviz.qt.widgets.grid_view import GridView


def test_a_theme_from_the_menu_colours_everything_and_is_remembered(qtbot, window):
    try:
        window.theme_actions["high-contrast"].trigger()
        theme = themes.THEMES["high-contrast"]
        assert window.session.view.theme == "high-contrast"
        window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
        assert window_colour == theme.window
        assert all(g.background_colour == theme.grid for g in window.findChildren(GridView))
        assert window.computation.sums.palette().color(QPalette.ColorRole.WindowText) == theme.text
        again = MainWindow("letter-h")  # the user's next session opens in the same theme
        qtbot.addWidget(again)
        assert again.session.view.theme == "high-contrast"
        assert again.theme_actions["high-contrast"].isChecked()
        again.undo_stack.setClean()
        again.close()
    finally:
        window.set_theme("light")
    assert themes.current().name == "light"


def test_the_map_patch_takes_the_themes_grey_for_cells_not_computed(qtbot, window):
    try:
        window.set_theme("dark", remember=False)
        fm = window.feature_map
        window.session.playhead.set_position(5)
        window.session.playhead.step_back()  # a cell taken back shows the "not yet" grey
        colours = fm.drawn_colours()
        r0, c0 = fm.grid.origin
        row, col = fm.cell_of(0, (0, 5))
        assert tuple(colours[row - r0, col - c0][:3]) == themes.current().pending.getRgb()[:3]
        assert fm.grid.to_come.brush().color() == themes.current().pending  # under the whole map
    finally:
        window.set_theme("light", remember=False)


def test_a_window_that_persists_nothing_opens_light(qtbot, window):
    window.set_theme("dark", remember=False)
    other = MainWindow("letter-h", persist=False)
    qtbot.addWidget(other)
    assert themes.current().name == "light" and other.session.view.theme == "light"
    other.close()
