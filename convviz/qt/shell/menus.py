"""The window's actions (with their shortcuts) and its menus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import QMainWindow, QStyle

from ...colormaps import COLORMAPS
from ...engine import DEMO_INFO, DEMOS
from ...model.lenses import LENS_KEYS, LENS_TITLES, LENSES
from ..widgets import themes
from ..widgets.themes import THEMES

TRANSPORT = (
    ("play", "Play / pause", ["Space"]),
    ("forward", "Step forward", ["Right", "PgDown"]),
    ("back", "Step back", ["Left", "PgUp"]),
    ("reset", "Reset", ["Home"]),
    ("end", "Run to end", ["End"]),
    ("row", "A whole output row forward", ["Shift+Right"]),
    ("row_back", "A whole output row back", ["Shift+Left"]),
    ("faster", "Faster", ["+", "="]),
    ("slower", "Slower", ["-"]),
)

COLORMAP_NAMES = {
    "diverging": "Diverging (blue − / white 0 / red +)",
    "viridis": "Viridis (perceptually uniform)",
    "cividis": "Cividis (colour-blind safe)",
    "grey": "Grey",
}


def _action(window: QMainWindow, text: str, handler, keys=(), checkable=False) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    if checkable:
        action.toggled.connect(handler)
    else:
        action.triggered.connect(lambda _=False: handler())
    window.addAction(action)
    return action


def themed_icon(window, pixmap: QStyle.StandardPixmap) -> QIcon:
    """A standard icon, its colours inverted on a dark theme (the style draws them dark)."""
    icon = window.style().standardIcon(pixmap)
    if themes.current().name == "light":
        return icon
    image = icon.pixmap(32, 32).toImage()
    image.invertPixels(QImage.InvertMode.InvertRgb)
    return QIcon(QPixmap.fromImage(image))


TRANSPORT_ICONS = {
    "play": QStyle.StandardPixmap.SP_MediaPlay,
    "forward": QStyle.StandardPixmap.SP_MediaSeekForward,
    "back": QStyle.StandardPixmap.SP_MediaSeekBackward,
    "reset": QStyle.StandardPixmap.SP_MediaSkipBackward,
    "end": QStyle.StandardPixmap.SP_MediaSkipForward,
}
"""The icon of each transport action that has one."""


def make_actions(window) -> dict[str, QAction]:
    """Every action of ``window`` (a ``MainWindow``), by name."""
    session, playback, files = window.session, window.playback, window.files
    handlers = {
        "play": playback.toggle,
        "forward": session.playhead.step_forward,
        "back": session.playhead.step_back,
        "reset": session.playhead.reset,
        "end": session.playhead.run_to_end,
        "row": session.playhead.row_forward,
        "row_back": session.playhead.row_back,
        "faster": playback.faster,
        "slower": playback.slower,
    }
    icons = TRANSPORT_ICONS
    actions = {}
    for name, text, keys in TRANSPORT:
        action = _action(window, text, handlers[name], keys)
        action.setToolTip(f"{text} ({' or '.join(keys)})")
        if name in icons:
            action.setIcon(themed_icon(window, icons[name]))
        actions[name] = action
    undo = window.undo_stack.createUndoAction(window, "Undo")
    undo.setShortcuts([QKeySequence.StandardKey.Undo])
    redo = window.undo_stack.createRedoAction(window, "Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    actions.update(
        undo=undo,
        redo=redo,
        open=_action(window, "Open…", files.open_dialog, ["Ctrl+O"]),
        save=_action(window, "Save", files.save, ["Ctrl+S"]),
        save_as=_action(window, "Save as…", files.save_as, ["Ctrl+Shift+S"]),
        import_image=_action(window, "Import image…", window.import_image, ["Ctrl+I"]),
        import_data=_action(window, "Import data (CSV, NPY)…", window.import_data, []),
        open_weights=_action(window, "Open weights…", window.open_weights, []),
        quit=_action(window, "Quit", window.close, ["Ctrl+Q"]),
        copy=_action(window, "Copy cells", window.copy_cells, [QKeySequence.StandardKey.Copy]),
        paste=_action(window, "Paste cells", window.paste_cells, [QKeySequence.StandardKey.Paste]),
        select_all=_action(
            window,
            "Select all cells",
            window.select_all_cells,
            [QKeySequence.StandardKey.SelectAll],
        ),
        copy_torch=_action(window, "Copy as PyTorch code", lambda: _copy_code(window, "torch"), []),
        copy_numpy=_action(window, "Copy as NumPy code", lambda: _copy_code(window, "numpy"), []),
        presentation=_action(
            window, "Presentation mode", window.set_presentation, ["F11"], checkable=True
        ),
        predict=_action(window, "Predict, then reveal", window.set_predict, ["P"], checkable=True),
        panels=_action(window, "Side panels", window.set_side_panels, ["F9"], checkable=True),
        shortcuts=_action(window, "Keyboard shortcuts", window.show_shortcuts, ["F1"]),
        guide=_action(window, "Guide", window.show_guide, []),
        about=_action(window, "About convviz", window.show_about, []),
        reset_layout=_action(window, "Reset layout", window.reset_layout, ["Ctrl+Shift+R"]),
        next_layer=_action(window, "Step the next layer", window.next_layer, ["L"]),
        interesting=_action(
            window, "Next window that computes something", window.next_interesting, ["N"]
        ),
        previous_layer=_action(
            window, "Step the previous layer", window.previous_layer, ["Shift+L"]
        ),
    )
    actions["presentation"].setToolTip("Full screen, big numbers, side panels folded away (F11)")
    # Short words on the toolbar (the menus say it whole): the bar fits 1024 px with a layer box.
    actions["panels"].setIconText("Panels")
    actions["predict"].setIconText("Predict")
    actions["presentation"].setIconText("Presentation")
    actions["panels"].setToolTip(
        "Show or put away the Kernel, Parameters and Layers panels (F9): put away, the grids "
        "get their width (a small screen opens that way)"
    )
    actions["predict"].setToolTip("Show each window first and its output on the next key (P)")
    actions["reset_layout"].setToolTip(
        "The window's size and docks as they first open on this screen (Ctrl+Shift+R)"
    )
    return actions


def make_menus(window, actions: dict[str, QAction]) -> None:
    """The menu bar of ``window``."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    demos = file_menu.addMenu("New from demo")
    demos.setToolTipsVisible(True)  # each demo's description where it is chosen
    for name in DEMOS:
        action = demos.addAction(f"{name}: {DEMO_INFO[name][0]}")
        action.setToolTip(DEMO_INFO[name][1])
        action.setStatusTip(DEMO_INFO[name][1])
        action.triggered.connect(lambda _=False, n=name: window.open_demo(n))
    file_menu.addAction(actions["open"])
    window.recent_menu = file_menu.addMenu("Open recent")
    window.recent_menu.aboutToShow.connect(window.fill_recent_menu)
    file_menu.addAction(actions["save"])
    file_menu.addAction(actions["save_as"])
    file_menu.addSeparator()
    file_menu.addAction(actions["import_image"])
    file_menu.addAction(actions["import_data"])
    file_menu.addAction(actions["open_weights"])
    window.export_menu = file_menu.addMenu("Export")
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(actions["undo"])
    edit_menu.addAction(actions["redo"])
    edit_menu.addSeparator()
    for name in ("copy", "paste", "select_all"):
        edit_menu.addAction(actions[name])
    edit_menu.addSeparator()
    edit_menu.addAction(actions["copy_torch"])
    edit_menu.addAction(actions["copy_numpy"])

    play_menu = bar.addMenu("&Play")
    for name, _, _ in TRANSPORT:
        play_menu.addAction(actions[name])
    play_menu.addSeparator()
    play_menu.addAction(actions["interesting"])
    play_menu.addAction(actions["next_layer"])
    play_menu.addAction(actions["previous_layer"])
    play_menu.addSeparator()
    play_menu.addAction(actions["predict"])

    view_menu = bar.addMenu("&View")
    view_menu.addAction(actions["presentation"])
    colours = view_menu.addMenu("Colour map")
    group = QActionGroup(window)
    window.colormap_actions = {}
    for name in COLORMAPS:
        action = colours.addAction(COLORMAP_NAMES.get(name, name))
        action.setCheckable(True)
        group.addAction(action)
        action.triggered.connect(lambda _=False, n=name: window.set_colormap(n))
        window.colormap_actions[name] = action
    theme_menu = view_menu.addMenu("Theme")
    theme_group = QActionGroup(window)
    window.theme_actions = {}
    for name, theme in THEMES.items():
        action = theme_menu.addAction(theme.title)
        action.setCheckable(True)
        action.setChecked(name == "light")
        theme_group.addAction(action)
        action.triggered.connect(lambda _=False, n=name: window.set_theme(n))
        window.theme_actions[name] = action
    lenses = view_menu.addMenu("Lens")
    group = QActionGroup(window)
    window.lens_actions = {}
    for name in LENSES:
        action = _action(
            window, LENS_TITLES[name], lambda n=name: window.set_lens(n), [LENS_KEYS[name]]
        )
        action.setCheckable(True)
        action.setChecked(name == "sliding")
        group.addAction(action)
        lenses.addAction(action)
        window.lens_actions[name] = action
    view_menu.addSeparator()
    view_menu.addAction(actions["panels"])
    view_menu.addAction(window.kernel_dock.toggleViewAction())
    view_menu.addAction(window.parameter_dock.toggleViewAction())
    view_menu.addAction(window.layers_dock.toggleViewAction())
    view_menu.addAction(actions["reset_layout"])

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions["guide"])
    help_menu.addAction(actions["shortcuts"])
    help_menu.addAction(actions["about"])


def _copy_code(window, flavour: str) -> None:
    """Edit → Copy as … code (the code writers load on first use)."""
    from ..files.code_export import copy_code

    copy_code(window, flavour)
