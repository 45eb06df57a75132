"""The window fits the screen it opens on, folds its docks when small, and remembers the
user's arrangement per screen size."""

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from convviz.qt.files.projects import app_settings
from convviz.qt.shell.main_window import MainWindow
from convviz.qt.shell.render import rendered_window
from convviz.qt.shell.window_layout import FRAME, initial_layout, settings_group


@pytest.mark.parametrize(
    ("screen", "size", "folded"),
    [
        ((800, 600), (792, 560), True),
        ((1024, 768), (1016, 728), True),
        ((1366, 768), (1358, 728), True),
        ((1920, 1080), (1912, 1040), False),
        ((3840, 2160), (1920, 1200), False),
    ],
)
def test_the_window_opens_inside_the_screen(screen, size, folded):
    layout = initial_layout(*screen)
    assert (layout.width, layout.height) == size
    assert layout.width + FRAME[0] <= screen[0] and layout.height + FRAME[1] <= screen[1]
    assert layout.fold_docks == folded
    assert 290 <= layout.dock_width <= 420
    if screen[0] >= 1024:  # the stage (input, computation, map) keeps over 70% of the width
        assert layout.dock_width <= 0.3 * layout.width


@pytest.mark.parametrize(
    ("screen", "shown"),
    [((800, 600), False), ((1024, 768), False), ((1366, 768), True), ((1920, 1080), True)],
)
def test_a_narrow_screen_opens_with_the_side_panels_put_away(monkeypatch, screen, shown):
    from convviz.qt.shell import window_layout

    monkeypatch.setattr(window_layout, "DOCKS_SHOWN_FROM", 1200)  # as shipped
    assert initial_layout(*screen).docks_shown == shown


def test_a_screen_smaller_than_a_window_frame_still_gets_a_window():
    layout = initial_layout(5, 5)
    assert layout.width >= 1 and layout.height >= 1 and layout.fold_docks


def stage_share(window) -> float:
    return window.centralWidget().width() / window.width()


def screen_layout(window):
    """What ``initial_layout`` says for the screen the window is on (offscreen: 800×800)."""
    available = window.screen().availableGeometry()
    return initial_layout(available.width(), available.height())


def docks_as_opened(window) -> bool:
    """All docks shown and docked on the right: tabbed into one group on a small screen, else
    Kernel above the Parameters and Layers tabs."""
    kernel, parameters, layers = window.docks
    right = Qt.DockWidgetArea.RightDockWidgetArea
    if any(
        d.isFloating() or d.isHidden() or window.dockWidgetArea(d) != right for d in window.docks
    ):
        return False
    if screen_layout(window).fold_docks:
        return set(window.tabifiedDockWidgets(kernel)) == {parameters, layers}
    return not window.tabifiedDockWidgets(kernel) and window.tabifiedDockWidgets(parameters) == [
        layers
    ]


def test_the_window_lies_within_the_screen_and_keeps_room_for_the_stage(qtbot, window):
    available = window.screen().availableGeometry()
    layout = screen_layout(window)
    assert available.contains(window.frameGeometry())
    assert window.size().toTuple() == (layout.width, layout.height)
    assert docks_as_opened(window)
    assert not window.kernel_dock.visibleRegion().isEmpty()  # the kernel is in front
    assert stage_share(window) > 0.6


def test_the_offscreen_test_screen_folds_the_docks(qtbot, window):
    if window.screen().availableGeometry().width() >= 1400:
        pytest.skip("a screen wide enough keeps the docks apart")
    assert set(window.tabifiedDockWidgets(window.kernel_dock)) == {
        window.parameter_dock,
        window.layers_dock,
    }


def test_reset_layout_undoes_the_users_dock_moves(qtbot, window):
    available = window.screen().availableGeometry()
    window.kernel_dock.setFloating(True)
    window.layers_dock.close()
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.parameter_dock)
    window.resize(500, 400)
    window.move(available.right() - 300, available.bottom() - 200)
    assert not available.contains(window.frameGeometry())
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert docks_as_opened(window)
    layout = screen_layout(window)
    assert window.size().toTuple() == (layout.width, layout.height)
    assert available.contains(window.frameGeometry())
    qtbot.waitUntil(lambda: stage_share(window) > 0.6)


def test_reset_layout_is_in_the_view_menu_and_leaves_presentation(qtbot, window):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    reset = next(a for a in view_menu.actions() if a.text() == "Reset layout")
    window.layers_dock.close()
    window.set_presentation(True)
    reset.trigger()
    assert not window.presenting and window.menuBar().isVisible()
    assert docks_as_opened(window)


def close(window) -> None:
    window.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_the_users_layout_comes_back_on_a_screen_of_the_same_size(qtbot, window):
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.layers_dock)
    window.resize(760, 560)  # an 800×600 screen's window, with a dock moved to the left
    assert window.size().toTuple() == (760, 560)
    close(window)
    again = MainWindow("letter-h")
    qtbot.addWidget(again)
    assert again.size().toTuple() == (760, 560)
    assert again.dockWidgetArea(again.layers_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    available = again.screen().availableGeometry()
    group = settings_group(available)
    assert group == f"window/{available.width()}x{available.height()}"
    assert app_settings().value(f"{group}/state") is not None
    close(again)


def test_a_layout_saved_on_another_screen_size_is_not_forced_on_this_one(qtbot, window):
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.layers_dock)
    window.resize(600, 500)
    available = window.screen().availableGeometry()
    close(window)
    settings = app_settings()
    here = settings_group(available)
    elsewhere = settings_group(available.adjusted(0, 0, 320, 200))
    for name in ("frame", "geometry", "state"):  # as if it had been saved on a bigger monitor
        settings.setValue(f"{elsewhere}/{name}", settings.value(f"{here}/{name}"))
        settings.remove(f"{here}/{name}")
    again = MainWindow("letter-h")
    qtbot.addWidget(again)
    layout = screen_layout(again)
    assert again.size().toTuple() == (layout.width, layout.height)
    assert docks_as_opened(again)
    close(again)


def test_a_saved_layout_that_does_not_fit_the_screen_is_not_restored(qtbot, window):
    available = window.screen().availableGeometry()
    window.resize(available.width() + 200, available.height() + 100)
    close(window)
    again = MainWindow("letter-h")
    qtbot.addWidget(again)
    layout = screen_layout(again)
    assert again.size().toTuple() == (layout.width, layout.height)
    assert available.contains(again.frameGeometry())
    close(again)


def test_a_rendered_snapshot_has_the_big_screens_layout_whatever_the_screen():
    with rendered_window(size=(1600, 950)) as window:
        assert window.size().toTuple() == (1600, 950)
        assert window.tabifiedDockWidgets(window.kernel_dock) == []
        assert window.kernel_dock.geometry().width() == 420
        assert QRect(window.kernel_dock.geometry()).top() < window.parameter_dock.geometry().top()


@pytest.mark.parametrize("line", ["Ctrl+Shift+R: reset the layout", "F9: side panels"])
def test_f1_lists_the_layout_keys(qtbot, window, monkeypatch, line):
    shown = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text: shown.append(text)
    )
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert line in shown[0]


def test_stepping_a_pooling_brings_the_layers_tab_forward_when_docks_are_folded(qtbot, window):
    from convviz.qt.shell.window_layout import arrange_docks

    arrange_docks(window, window.docks, True)  # folded, as on a laptop
    window.kernel_dock.raise_()
    window.open_demo("tiny-cnn")
    assert window.layers_panel.visibleRegion().isEmpty()  # behind the Kernel tab
    window.step_layer(1)  # the max pooling: no kernel to show
    qtbot.waitUntil(lambda: not window.layers_panel.visibleRegion().isEmpty())
    assert window.kernel_panel.visibleRegion().isEmpty()


def test_no_stale_dock_tab_bar_shows_through_the_window(qtbot, window):
    from PySide6.QtWidgets import QTabBar

    for _ in range(2):  # and after Reset layout too
        bars = [b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisible()]
        groups = [frozenset(b.tabText(i) for i in range(b.count())) for b in bars]
        assert len(groups) == len(set(groups))
        for bar in bars:
            titles = {bar.tabText(i) for i in range(bar.count())}
            docks = [d for d in window.docks if d.windowTitle() in titles]
            assert all(window.tabifiedDockWidgets(d) for d in docks)
            assert window.rect().contains(bar.geometry())
        window.reset_layout()


def panels_button(window):
    return window.actions_by_name["panels"]


def test_f9_brings_back_the_side_panels_a_narrow_window_put_away(qtbot, monkeypatch):
    from convviz.qt.shell import window_layout

    monkeypatch.setattr(window_layout, "DOCKS_SHOWN_FROM", 10_000)  # this screen is "narrow"
    window = MainWindow("letter-h")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # as a shortcut needs
    assert all(dock.isHidden() for dock in window.docks)
    assert not panels_button(window).isChecked()
    qtbot.waitUntil(lambda: stage_share(window) > 0.95)  # the grids get the docks' width
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert all(not dock.isHidden() for dock in window.docks)
    assert panels_button(window).isChecked()
    assert not window.kernel_dock.visibleRegion().isEmpty()  # the kernel in front
    qtbot.waitUntil(lambda: stage_share(window) < 0.8)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert all(dock.isHidden() for dock in window.docks)
    assert not panels_button(window).isChecked()
    close(window)


def test_side_panels_come_back_as_they_were_put_away(qtbot, window):
    window.layers_dock.close()  # the student closed one panel by its ×
    assert panels_button(window).isChecked()  # two are still shown
    window.set_side_panels(False)
    assert all(dock.isHidden() for dock in window.docks)
    window.set_side_panels(True)
    assert not window.kernel_dock.isHidden() and not window.parameter_dock.isHidden()
    assert window.layers_dock.isHidden()  # still closed, as the student left it


def test_closing_every_panel_by_its_cross_unchecks_the_button(qtbot, window):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert panels_button(window) in view_menu.actions()
    for dock in window.docks:
        dock.close()
    assert not panels_button(window).isChecked()
    panels_button(window).trigger()  # all of them back, none being remembered
    assert all(not dock.isHidden() for dock in window.docks)


def test_presentation_mode_leaves_put_away_panels_put_away(qtbot, window):
    window.set_side_panels(False)
    window.set_presentation(True)
    window.set_presentation(False)
    assert all(dock.isHidden() for dock in window.docks)
    assert not panels_button(window).isChecked()
    window.set_side_panels(True)
    assert all(not dock.isHidden() for dock in window.docks)


def test_the_kernel_dock_is_as_tall_as_its_contents_and_parameters_get_the_rest(qtbot):
    # At 1920×1080 the Kernel dock had kept 680 px for 490 px of contents while the
    # Parameters under it were cut off (Qt takes dock heights for good only once shown).
    from convviz.qt.shell.window_layout import _wanted_height, apply_layout, layout_for_window

    window = MainWindow("letter-h", persist=False)
    apply_layout(window, window.docks, layout_for_window(1600, 1000))
    window._fit_dock_when_shown = True
    window.show()
    qtbot.waitExposed(window)
    kernel, parameters = window.docks[:2]
    wanted = _wanted_height(kernel)
    qtbot.waitUntil(lambda: kernel.height() <= wanted + 20)
    assert parameters.height() >= window.height() - wanted - 160  # the rest, less the tabs
    window.undo_stack.setClean()
    window.close()


@pytest.mark.parametrize("width", [1024, 1366, 1920])
def test_the_presentation_caption_keeps_to_two_lines(qtbot, width):
    # On a 1024×768 projector the 38 px caption had taken three lines and pushed the class
    # scores' axis out of the window.
    from PySide6.QtGui import QFont, QFontMetrics

    from convviz.qt.shell.main_window import presentation_fonts

    caption = (
        "layer 1: conv 4 × 3×3, step 12 of 1024: filter 1 of 4, window at row −1, "
        "column 10 → output row 0, column 11"
    )
    font = QFont()
    font.setPixelSize(presentation_fonts(width)["caption"])
    metrics = QFontMetrics(font)
    box = metrics.boundingRect(0, 0, width - 30, 10000, Qt.TextFlag.TextWordWrap, caption)
    assert box.height() < 3 * metrics.height()


# edges: a 2-line title; volume-3d: three axes' formulas and pads; frequency: a 5×5 kernel
@pytest.mark.parametrize("demo", ["letter-h", "signal-1d", "edges", "volume-3d", "frequency"])
def test_at_1920_the_kernel_dock_shows_whole_and_parameters_their_output_size(qtbot, demo):
    # At 1920×1080 the output-size formula at the foot of Parameters had scrolled out of
    # view while the Kernel dock above it kept 90 px of blank (its grid asked for 240 px).
    from PySide6.QtCore import QPoint

    from convviz.qt.shell.window_layout import apply_layout, layout_for_window

    window = MainWindow(demo, persist=False)
    apply_layout(window, window.docks, layout_for_window(1920, 1040))
    window._fit_dock_when_shown = True
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(100)
    kernel_area = window.kernel_dock.widget()
    assert kernel_area.verticalScrollBar().maximum() == 0  # every control of the Kernel dock
    formula = window.parameter_panel.pytorch  # the last line of the Output size box
    area = window.parameter_panel.parentWidget()
    while not hasattr(area, "viewport"):
        area = area.parentWidget()
    foot = formula.mapTo(area.viewport(), QPoint(0, formula.height()))
    assert foot.y() <= area.viewport().height()
    window.undo_stack.setClean()
    window.close()


def test_presentation_on_a_1024_projector_keeps_every_toolbar_button_in_view(qtbot):
    # digits (a layer box in the toolbar) at 1024×768: the 24 px step counter had pushed
    # Panels and Presentation, the way back, behind the toolbar's ».
    from convviz.qt.shell.main_window import presentation_fonts

    window = MainWindow("digits", persist=False)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.set_font_sizes(presentation_fonts(1024))
    bar = window.transport
    qtbot.waitUntil(lambda: bar.width() <= 1024)
    qtbot.wait(100)  # the toolbar lays out its buttons (and its » menu) again
    assert bar.width() >= bar.sizeHint().width() - 2  # no part of it folded into the »
    for name in ("presentation", "panels", "predict", "forward"):
        button = bar.widgetForAction(window.actions_by_name[name])
        assert button is not None and button.isVisible(), name
    assert bar.position.font().pixelSize() > 16  # still larger than in normal mode
    window.undo_stack.setClean()
