"""The main window: input, computation and feature map side by side; kernel, parameters docked."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QEvent, QRect, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from ...colormaps import COLORMAPS
from ...engine import DEMO_INFO
from ...model import Session
from ...model.lenses import DEMO_LENSES, LENS_TITLES, LENSES
from ..files.exports import ExportController
from ..files.projects import FileController, app_settings
from ..panels.kernel_panel import KernelPanel
from ..panels.layers_panel import LayersPanel
from ..panels.parameter_panel import ParameterPanel
from ..panels.transport_bar import TransportBar
from ..views.class_scores_view import ClassScoresView
from ..views.computation_view import ComputationView
from ..views.feature_map_view import FeatureMapView
from ..views.input_view import InputView
from ..views.lenses import LensHost
from ..views.link_overlay import LinkOverlay
from ..views.step_caption import StepCaption
from ..widgets import themes
from ..widgets.grid_view import GridView
from ..widgets.panel_title import TITLE_NAME, set_title_px, style_title
from ..widgets.signal_plot import SignalPlot
from ..widgets.themes import THEMES
from ..widgets.wheel_guard import guard_wheel
from .file_drops import dropped_paths, open_dropped
from .frame_gate import FrameGate
from .help_texts import GUIDE, about_text
from .menus import TRANSPORT, TRANSPORT_ICONS, make_actions, make_menus, themed_icon
from .playback import Playback
from .stage_widths import (
    LENS_MAP_SHARE,
    LENS_SHARES,
    READABLE_CELL,
    default_widths,
    grid_width_needed,
    widths_for,
)
from .undo import UndoStackHistory
from .window_layout import (
    apply_layout,
    fit_first_dock,
    initial_layout,
    restore_layout,
    save_layout,
)

# Pixel sizes of the panel titles, the step's sentence and the step counter. Set as fonts, not
# as a style sheet: a style sheet on the window made every widget in it polish and paint
# through Qt's style-sheet style (about 80 ms of the window's start-up).
NORMAL_FONTS = {"title": 17, "caption": 24, "counter": 16}
PRESENTATION_FONTS = {"title": 26, "caption": 38, "counter": 24}


def presentation_fonts(screen_width: int) -> dict[str, int]:
    """Presentation mode's sizes on a screen ``screen_width`` pixels wide: on a 1024×768
    projector the caption keeps to two lines (at 38 px it had taken three, and pushed the
    class scores' labels out of the window) and the toolbar shows all its buttons."""
    sizes = dict(PRESENTATION_FONTS)
    sizes["caption"] = min(sizes["caption"], max(NORMAL_FONTS["caption"], screen_width // 34))
    # The counter, smaller on a narrow screen: at 24 px on a 1024×768 projector it had pushed
    # the Presentation button (the way back) behind the toolbar's ».
    sizes["counter"] = min(sizes["counter"], max(NORMAL_FONTS["counter"], screen_width // 60))
    return sizes


class MainWindow(QMainWindow):
    """convviz's window on one session."""

    def __init__(self, demo_name: str = "letter-h", persist: bool = True) -> None:
        """``persist=False`` neither reads nor writes the user's settings (for rendering)."""
        super().__init__()
        self.persist = persist
        self.undo_stack = QUndoStack(self)
        self.session = Session(demo_name, history=UndoStackHistory(self.undo_stack))
        self.playback = Playback(self.session, self)
        self.files = FileController(
            self, self.session, self.undo_stack, self.view_options, autosave=persist
        )

        self.input_view = InputView(self.session)
        self.computation = ComputationView(self.session)
        self.feature_map = FeatureMapView(self.session)
        self.kernel_panel = KernelPanel(self.session)
        self.parameter_panel = ParameterPanel(self.session)
        self.caption = StepCaption(self.session)

        self.lenses = LensHost(self.session, self.computation)
        self.class_scores = ClassScoresView(self.session)  # shown for a classifier only
        self.outputs = QSplitter(Qt.Orientation.Vertical)
        self.outputs.addWidget(self.feature_map)
        self.outputs.addWidget(self.class_scores)
        self.outputs.setSizes([500, 300])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (self.input_view, self.lenses, self.outputs):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([500, 400, 500])
        self._sizes_before_lens: list[int] | None = None
        self._stage_sized_by_user = False
        self._fitted_shapes: tuple | None = None
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.splitter.installEventFilter(self)  # resized: the heights, so the widths, change
        self.stage = QWidget()
        self.stage.setObjectName("stage")
        # Paint the stage's background: QMainWindow keeps unused dock tab bars beneath the
        # central widget, and they showed through the gaps between the views.
        self.stage.setAutoFillBackground(True)
        layout = QVBoxLayout(self.stage)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.caption)
        self.setCentralWidget(self.stage)
        self.link = LinkOverlay(
            self.stage,
            self.input_view,
            self.feature_map,
            # Behind the colour bar too: across a signal's map it had cut the minus of "−8".
            lambda: (*self.computation.drawn_parts(), self.feature_map.colour_bar),
            self.computation.link_anchors,
        )

        self.kernel_dock = self._dock("Kernel", self.kernel_panel, "kernelDock")
        self.parameter_dock = self._dock("Parameters", self.parameter_panel, "parameterDock")
        self.layers_panel = LayersPanel(self.session)
        self.layers_dock = self._dock("Layers", self.layers_panel, "layersDock")
        self.tabifyDockWidget(self.parameter_dock, self.layers_dock)
        self.parameter_dock.raise_()
        self.actions_by_name = make_actions(self)
        self.transport = TransportBar(self.session, self.playback, self.actions_by_name, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.transport)
        make_menus(self, self.actions_by_name)
        self.set_font_sizes(NORMAL_FONTS)
        self.exports = ExportController(self)
        self._docks_before_presentation: list[QDockWidget] = []
        self._geometry_before_presentation = None
        self._docks_put_away: list[QDockWidget] = []
        self._fit_dock_when_shown = False  # Qt takes dock heights for good once shown
        for dock in self.docks:  # closed, opened or put away: the Panels button follows
            dock.visibilityChanged.connect(self._sync_panels_action)

        for source in (
            self.input_view,
            self.kernel_panel,
            self.parameter_panel,
            self.feature_map,
            self.files,
            self.layers_panel,
        ):
            source.message.connect(self.show_message)
        self.layers_panel.layer_chosen.connect(self.step_layer)
        self.transport.layer_chosen.connect(self.step_layer)
        self.session.view.changed.connect(self._on_view_changed)
        self.files.path_changed.connect(self._update_title)
        self.session.document_changed.connect(self._on_document_changed)
        self.setAcceptDrops(True)  # a project, a picture or a table dropped on the window
        self.session.playhead.moved.connect(self._on_playhead_moved)
        # Last to hear of a step or an edit: every view has drawn it, paint them in one pass.
        self.frame_gate = FrameGate(self, self.session)
        self.files.project_opened.connect(self.apply_view_options)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.playback.playing_changed.connect(self._on_playback_playing_changed)
        self._on_document_changed()
        if not (persist and restore_layout(self, app_settings(), self._available())):
            self.reset_layout()
        else:
            self.hide_stale_tab_bars()
        self._sync_panels_action()
        if persist:
            self._restore_settings()
        else:
            self.set_colormap(COLORMAPS[0], remember=False)
            self.set_theme("light", remember=False)
        if demo_name in DEMO_LENSES:
            self.set_lens(DEMO_LENSES[demo_name])

    def set_font_sizes(self, sizes: dict[str, int]) -> None:
        """Size the panel titles, the step's sentence and the step counter (``sizes`` in
        pixels by ``title``, ``caption`` and ``counter``)."""
        set_title_px(sizes["title"])
        for title in self.findChildren(QLabel, TITLE_NAME):
            style_title(title)
        counter = self.transport.position
        for widget, px in ((self.caption, sizes["caption"]), (counter, sizes["counter"])):
            font = widget.font()
            font.setPixelSize(px)
            widget.setFont(font)
        self.transport.refresh()  # the counter's room, at its new size

    def _dock(self, title: str, widget: QWidget, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        scroll = QScrollArea()
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMaximumWidth(420)
        guard_wheel(widget)  # the wheel scrolls the dock, not the control under the pointer
        dock.setWidget(scroll)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    @property
    def docks(self) -> tuple[QDockWidget, ...]:
        """The kernel, parameters and layers docks."""
        return (self.kernel_dock, self.parameter_dock, self.layers_dock)

    def _available(self) -> QRect:
        return self.screen().availableGeometry()

    def reset_layout(self) -> None:
        """View → Reset layout: the size and docks this screen opens with (docks tabbed into
        one group on a small screen), whatever the user moved, floated, closed or resized."""
        if self.presenting:
            self.set_presentation(False)
        available = self._available()
        apply_layout(
            self, self.docks, initial_layout(available.width(), available.height()), available
        )
        self._fit_dock_when_shown = True
        if self.isVisible():
            QTimer.singleShot(0, self, self._fit_first_dock)
        self.hide_stale_tab_bars()
        self.bring_useful_dock_forward()
        self._docks_put_away = []
        self._sync_panels_action()
        self._stage_sized_by_user = False
        self._fit_stage_soon()

    def _fit_stage_soon(self) -> None:
        """Fit the stage's widths once the layout has settled (sizes are known then)."""
        QTimer.singleShot(0, self, self.fit_stage_widths)

    def hide_stale_tab_bars(self) -> None:
        """Hide the dock tab bars Qt keeps from an earlier arrangement: they stay "visible"
        under the central widget and showed through its gaps."""
        groups = set()
        for dock in self.docks:
            if dock.isVisible() and not dock.isFloating():
                together = [dock, *self.tabifiedDockWidgets(dock)]
                if len(together) > 1:
                    groups.add(frozenset(d.windowTitle() for d in together))
        for bar in self.findChildren(QTabBar):
            if bar.parent() is not self:
                continue
            titles = frozenset(bar.tabText(i) for i in range(bar.count()))
            if titles not in groups:
                bar.hide()

    # -- view options ----------------------------------------------------------------------------
    @property
    def colormap(self) -> str:
        """The colour map every grid uses (the session's view state holds it)."""
        return self.session.view.colormap

    def set_colormap(self, name: str, remember: bool = True) -> None:
        """Colour every grid with ``name`` (remembered for next time)."""
        if name not in COLORMAPS:
            return
        self.session.view.set(colormap=name)
        self.colormap_actions[name].setChecked(True)
        if remember and self.persist:
            app_settings().setValue("view/colormap", name)

    def set_theme(self, name: str, remember: bool = True) -> None:
        """Light, dark or high contrast (for the projector in the room), remembered."""
        if name not in THEMES:
            return
        theme = themes.set_current(name)
        app = QApplication.instance()
        app.setPalette(themes.palette(theme))
        self.setPalette(themes.palette(theme))
        for grid in self.findChildren(GridView):
            grid.set_background(theme.grid)
        for plot in self.findChildren(SignalPlot):
            plot.set_theme(theme)
        self.theme_actions[name].setChecked(True)
        for action_name, pixmap in TRANSPORT_ICONS.items():
            self.actions_by_name[action_name].setIcon(themed_icon(self, pixmap))
        self._on_playback_playing_changed(self.playback.playing)
        self.session.view.set(theme=name)  # the views redraw the words they paint
        if remember and self.persist:
            app_settings().setValue("view/theme", name)

    def set_lens(self, name: str) -> None:
        """Draw the step through lens ``name`` (the step stays where it is)."""
        self.session.view.set(lens=name)

    def set_side_panels(self, on: bool) -> None:
        """View → Side panels (F9): the Kernel, Parameters and Layers docks brought back as they
        were put away (all of them, if none was), or put away so that the stage takes their
        width."""
        if on:
            for dock in self._docks_put_away or self.docks:
                dock.show()
            self._docks_put_away = []
            self.hide_stale_tab_bars()
            self.bring_useful_dock_forward()
        else:
            self._docks_put_away = self._put_away_docks()
        self._sync_panels_action()
        self._fit_stage_soon()

    def _sync_panels_action(self, *_) -> None:
        """Check the Panels button while any dock is shown (a dock closed by its ×, or put
        away by presentation mode, unchecks it when it was the last)."""
        self._check_quietly("panels", any(not dock.isHidden() for dock in self.docks))

    def _check_quietly(self, name: str, on: bool) -> None:
        """Show action ``name`` checked or not without running it again (a checkable action
        runs its handler on every change of its check)."""
        with QSignalBlocker(self.actions_by_name[name]):
            self.actions_by_name[name].setChecked(on)

    def _put_away_docks(self) -> list[QDockWidget]:
        """Hide the docks that are shown; return them, to be shown again later."""
        shown = [dock for dock in self.docks if not dock.isHidden()]
        for dock in shown:
            dock.hide()
        return shown

    def set_predict(self, on: bool) -> None:
        """Turn "predict, then reveal" on or off."""
        self.session.playhead.set_predict(on)
        self.show_message(
            "Predict, then reveal: → shows the window, → again reveals the output"
            if on
            else "Each step shows its output at once"
        )

    def view_options(self) -> dict:
        """What a project file keeps of the view."""
        return {
            "colormap": self.colormap,
            "speed": self.playback.speed_index,
            "predict": self.session.playhead.predict,
            "lens": self.session.view.lens,
        }

    def apply_view_options(self, view: dict) -> None:
        """Take the view options a project file kept (unknown ones are ignored)."""
        if view.get("colormap") in COLORMAPS:
            self.set_colormap(view["colormap"])
        if isinstance(view.get("speed"), int):
            self.playback.set_speed(view["speed"])
        if isinstance(view.get("predict"), bool):
            self.actions_by_name["predict"].setChecked(view["predict"])
        # A project saved before lenses existed shows the sliding window (or its demo's lens).
        lens = view.get("lens") or DEMO_LENSES.get(self.session.document.demo_name, "sliding")
        self.set_lens(lens if lens in LENSES else "sliding")

    def set_presentation(self, on: bool) -> None:
        """Full screen for a lecture: side panels fold away, numbers and captions grow."""
        if on:
            self._docks_before_presentation = self._put_away_docks()
            self.menuBar().hide()
            self._geometry_before_presentation = self.geometry()
            self.showFullScreen()
            # Without a window manager (a bare X server) the request alone changes nothing.
            self.setGeometry(self.screen().geometry())
        else:
            for dock in self._docks_before_presentation:
                dock.show()
            self.menuBar().show()
            self.showNormal()
            if self._geometry_before_presentation is not None:
                self.setGeometry(self._geometry_before_presentation)
        self.set_font_sizes(
            presentation_fonts(self.screen().geometry().width()) if on else NORMAL_FONTS
        )
        self.session.view.set(presentation=on)  # the views scale their numbers themselves
        self._check_quietly("presentation", on)

    @property
    def presenting(self) -> bool:
        """Whether presentation mode is on."""
        return self.actions_by_name["presentation"].isChecked()

    # -- settings that persist -----------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = app_settings()
        theme = settings.value("view/theme", "light")
        self.set_theme(theme if theme in THEMES else "light", remember=False)
        colormap = settings.value("view/colormap", COLORMAPS[0])
        self.set_colormap(colormap if colormap in COLORMAPS else COLORMAPS[0])
        speed = settings.value("view/speed")
        if speed is not None:
            with contextlib.suppress(TypeError, ValueError):
                self.playback.set_speed(int(speed))

    def _save_settings(self) -> None:
        settings = app_settings()
        if self.presenting:
            self.set_presentation(False)
        save_layout(self, settings, self._available())
        settings.setValue("view/speed", self.playback.speed_index)

    # -- files ---------------------------------------------------------------------------------
    def open_demo(self, name: str) -> None:
        """Start afresh from a demo (asks first if there is unsaved work)."""
        if not self.files.may_discard():
            return
        self.playback.pause()
        self.undo_stack.clear()
        self.session.load_demo(name)
        if name in DEMO_LENSES:
            self.set_lens(DEMO_LENSES[name])
        self.files.path = None
        self._update_title()
        self.show_message(DEMO_INFO[name][1])

    def open_project(self, path: str | Path) -> bool:
        """Open a project file (as File → Open does)."""
        self.playback.pause()
        return self.files.open_path(path)

    def dragEnterEvent(self, event) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            open_dropped(self, paths[0])  # one document at a time: the first file

    # The import dialogs load on first use: start-up does not pay for them.
    def import_image(self) -> bool:
        """File → Import image."""
        from ..files.image_import import import_image

        return import_image(self)

    def import_data(self) -> bool:
        """File → Import data."""
        from ..files.image_import import import_data

        return import_data(self)

    def open_weights(self) -> bool:
        """File → Open weights: arrays of a weights file as the convolutions' weights."""
        from ..files.weights_dialog import open_weights

        return open_weights(self)

    def fill_recent_menu(self) -> None:
        """List the recent projects in File → Open recent."""
        self.recent_menu.clear()
        recent = self.files.recent()
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_dock_when_shown:
            QTimer.singleShot(0, self, self._fit_first_dock)

    def _fit_first_dock(self) -> None:
        if self._fit_dock_when_shown:
            self._fit_dock_when_shown = False
            fit_first_dock(self, self.docks)

    def closeEvent(self, event) -> None:
        if not self.files.may_discard():
            event.ignore()
            return
        self.playback.pause()
        if self.persist:
            self._save_settings()
        self.files.remove_autosave()
        event.accept()

    def _update_title(self) -> None:
        self.setWindowTitle(
            f"convviz: {self.files.title()}[*], {self.session.document.shape_text()}"
        )
        self.setWindowModified(self.files.dirty)

    # -- handlers ------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """A short sentence in the status bar."""
        self.statusBar().showMessage(text, 8000)

    def show_guide(self) -> None:
        """Help → Guide: one short page that walks through the window."""
        QMessageBox.information(self, "convviz guide", GUIDE)

    def show_about(self) -> None:
        """Help → About: convviz's version and what it runs on."""
        QMessageBox.about(self, "About convviz", about_text())

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts."""
        lines = [f"{' or '.join(keys)}: {text}" for _, text, keys in TRANSPORT]
        lines += [
            "P: predict, then reveal",
            "N: the next window that computes something (skips windows of zeros)",
            "Wheel over a grid: zoom; middle- or right-drag: pan; double-click beside the "
            "cells: the whole grid",
            "L / Shift+L: step the next / previous layer of the stack",
            "F9: side panels (Kernel, Parameters, Layers) shown or put away",
            "F11: presentation mode",
            "Ctrl+1 … Ctrl+9: lens: sliding window, unfolded (im2col), convolution matrix, "
            "frequency, separable kernel, three ways, backward pass, transposed, learn",
            "Ctrl+Shift+R: reset the layout (window size and docks) for this screen",
            "Ctrl+Z / Ctrl+Shift+Z: undo / redo",
            "Ctrl+C / Ctrl+V / Ctrl+A: copy / paste / select all cells of the grid in use",
            "Double-click or type in a cell: edit (Enter/Tab moves on, Escape cancels)",
            "Ctrl+O / Ctrl+S / Ctrl+Shift+S: open / save / save as",
            "Ctrl+Q: quit",
        ]
        QMessageBox.information(self, "Keyboard shortcuts", "\n".join(lines))

    # -- cells -------------------------------------------------------------------------------------
    def edited_grid(self) -> GridView:
        """The grid Edit → Copy/Paste/Select all act on: the editable grid with the focus (the
        input or the kernel), else the input."""
        focused = QApplication.focusWidget()
        if isinstance(focused, GridView) and focused.editable:
            return focused
        return self.input_view.grid

    def copy_cells(self) -> None:
        """Edit → Copy: the selected cells as tab-separated text."""
        grid = self.edited_grid()
        if grid.selection()[2] == 0:
            self.show_message("Select cells first (click, Shift+click or Ctrl+A), then copy")
            return
        grid.copy_requested.emit()

    def paste_cells(self) -> None:
        """Edit → Paste: numbers from the clipboard into the grid, from the selected cell."""
        grid = self.edited_grid()
        if grid.selection()[2] == 0:
            self.show_message("Click the cell to paste at first, then paste")
            return
        grid.paste_requested.emit()

    def select_all_cells(self) -> None:
        """Edit → Select all: every cell of the grid (of the channel or filter shown)."""
        grid = self.edited_grid()
        grid.select_all()
        grid.setFocus()

    # -- layers ------------------------------------------------------------------------------------
    def step_layer(self, index: int) -> bool:
        """Step layer ``index`` of the stack (0: the first convolution) in the main views."""
        self.playback.pause()
        try:
            self.session.set_stage(index)
        except ValueError as error:
            self.show_message(f"Cannot step that layer: {error}")
            return False
        self.show_message(f"Stepping {self.session.stage.title}")
        return True

    def next_interesting(self) -> None:
        """Skip the windows whose products are all zero (N)."""
        self.playback.pause()
        if not self.session.next_interesting():
            self.show_message("No window after this one reads anything but zeros")

    def next_layer(self) -> None:
        """Step the next convolution or pooling of the stack."""
        if self.session.stage_index + 1 < len(self.session.pipeline.stage_starts):
            self.step_layer(self.session.stage_index + 1)
        else:
            self.show_message("This is the last layer (add more in the Layers panel)")

    def previous_layer(self) -> None:
        """Step the convolution or pooling before this one."""
        if self.session.stage_index > 0:
            self.step_layer(self.session.stage_index - 1)

    def _on_document_changed(self) -> None:
        self._update_title()  # the shapes are in the title
        shapes = self._stage_shapes()
        if shapes != self._fitted_shapes:
            self._fitted_shapes = shapes
            self._fit_stage_soon()

    def _stage_shapes(self) -> tuple:
        """What the stage's widths depend on: the grids' shapes and the computation's blocks."""
        blocks = self.computation.grids.blocks
        return (
            self.input_view.grid.values.shape,
            self.feature_map.grid.values.shape,
            len(blocks),
            blocks[0].window.shape if blocks else None,
        )

    def _on_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed:
            self.bring_useful_dock_forward()
            self._on_document_changed()  # another layer: other shapes

    def bring_useful_dock_forward(self) -> None:
        """A pooling has no kernel to show: where the Kernel dock shares its place with the
        Layers dock, the Layers dock (the stack and its receptive fields) comes forward."""
        folded = self.layers_dock in self.tabifiedDockWidgets(self.kernel_dock)
        if folded and self.session.stage.kind != "conv":
            self.layers_dock.raise_()

    def _on_view_changed(self, name: str) -> None:
        if name == "colormap":
            self.colormap_actions[self.colormap].setChecked(True)
        elif name == "lens":
            lens = self.session.view.lens
            self._share_width_with_lens(lens != "sliding")
            self.lens_actions[lens].setChecked(True)
            self.show_message(f"Lens: {LENS_TITLES[lens]} (Ctrl+1 goes back to the sliding window)")

    def fit_stage_widths(self) -> None:
        """Share the stage's width by what the input, the computation and the map need at
        their height (a picture that is taller than wide gives its spare width to the
        computation, or to a lens), unless the user moved the dividers."""
        if self._stage_sized_by_user:
            return
        total = sum(self.splitter.sizes())
        if self.session.view.lens != "sliding":
            # A lens wants all the width it can get: transposed's seven grids had been 8 px
            # digits beside a 2×2 map drawn with 100 px cells. It takes the map's spare
            # width, not the input's: a narrower input stacks its channels and says it needs
            # less still (backward's three channels had gone from 21 px cells to 15).
            # The map keeps a fifth at least: at 180 px its title took three lines and its
            # colour bar shrank on a 4K screen in presentation mode.
            map_needs = max(self._grid_width_needed(self.feature_map.grid), LENS_MAP_SHARE * total)
            sizes = widths_for(total, [total, total, map_needs], LENS_SHARES)
        elif self.session.nd == 1:
            return
        else:
            grids, height = self.computation.grids, self.computation.scroll.viewport().height()
            cells, pixels = grids.width_in_cells()
            needed = [
                self._grid_width_needed(self.input_view.grid),
                cells * min(grids.cell_wanted(height), READABLE_CELL) + pixels,
                self._grid_width_needed(self.feature_map.grid),
            ]
            sizes = widths_for(total, needed)
        if sizes != self.splitter.sizes():
            self.splitter.setSizes(sizes)

    @staticmethod
    def _grid_width_needed(grid) -> float:
        rows, cols = grid.values.shape
        return grid_width_needed(rows + grid.headroom, cols, grid.height())

    def eventFilter(self, watched, event) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._fit_stage_soon()
        return super().eventFilter(watched, event)

    def _on_splitter_moved(self, *_args) -> None:
        self._stage_sized_by_user = True  # their choice stands until View → Reset layout

    def _share_width_with_lens(self, lens_shown: bool) -> None:
        """A lens draws matrices and spectra: it takes half the width while shown, and the
        sliding window gets its old share back."""
        sizes = self.splitter.sizes()
        if lens_shown and self._sizes_before_lens is None:
            self._sizes_before_lens = sizes
            self.splitter.setSizes(default_widths(sum(sizes), LENS_SHARES))
            self._fit_stage_soon()  # and more where the input and the map can spare it
        elif not lens_shown and self._sizes_before_lens is not None:
            self.splitter.setSizes(self._sizes_before_lens)
            self._sizes_before_lens = None

    def _on_playback_playing_changed(self, playing: bool) -> None:
        play = self.actions_by_name["play"]
        pixmaps = QStyle.StandardPixmap
        pixmap = pixmaps.SP_MediaPause if playing else pixmaps.SP_MediaPlay
        play.setIcon(themed_icon(self, pixmap))
        play.setText("Pause" if playing else "Play")
