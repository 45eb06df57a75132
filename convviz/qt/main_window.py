"""The main window: input, computation and feature map side by side; kernel, parameters docked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..engine import DEMOS, demo
from ..model import Session
from .computation_panel import ComputationPanel
from .feature_map_view import FeatureMapView
from .input_view import InputView
from .kernel_panel import KernelPanel
from .link_overlay import LinkOverlay
from .parameter_panel import ParameterPanel
from .playback import Playback
from .transport_bar import TransportBar
from .undo import route_edits_to

STYLE = """
QLabel#panelTitle { font-size: 17px; font-weight: bold; padding: 4px 2px; }
QLabel#caption { font-size: 24px; padding: 6px; }
QLabel#stepCounter { font-size: 16px; padding: 0 8px; }
"""

SHORTCUTS = (
    ("play", "Play / pause", ["Space"]),
    ("forward", "Step forward", ["Right", "PgDown"]),
    ("back", "Step back", ["Left", "PgUp"]),
    ("reset", "Reset", ["Home"]),
    ("end", "Run to end", ["End"]),
    ("row", "A whole output row forward", ["Shift+Right"]),
    ("faster", "Faster", ["+", "="]),
    ("slower", "Slower", ["-"]),
)


class MainWindow(QMainWindow):
    """convviz's window on one session."""

    def __init__(self, demo_name: str = "letter-h") -> None:
        super().__init__()
        self.session = Session(demo_name)
        self.undo_stack = QUndoStack(self)
        route_edits_to(self.undo_stack, self.session)
        self.playback = Playback(self.session, self)
        self.setStyleSheet(STYLE)

        self.input_view = InputView(self.session)
        self.computation = ComputationPanel(self.session)
        self.feature_map = FeatureMapView(self.session)
        self.kernel_panel = KernelPanel(self.session)
        self.parameter_panel = ParameterPanel(self.session)
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (self.input_view, self.computation, self.feature_map):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([500, 400, 500])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.caption)
        self.setCentralWidget(central)
        self.link = LinkOverlay(central, self.input_view, self.feature_map)

        self.kernel_dock = self._dock("Kernel", self.kernel_panel, "kernelDock")
        self.parameter_dock = self._dock("Parameters", self.parameter_panel, "parameterDock")
        self.actions_by_name = self._make_actions()
        self.transport = TransportBar(self.session, self.playback, self.actions_by_name, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.transport)
        self._make_menus()

        for source in (self.input_view, self.kernel_panel, self.parameter_panel, self.feature_map):
            source.message.connect(self.show_message)
        self.input_view.cell_chosen.connect(self.feature_map.highlight_outputs_using)
        self.session.step_changed.connect(self._on_session_step_changed)
        self.session.data_changed.connect(self._on_session_data_changed)
        self.playback.playing_changed.connect(self._on_playback_playing_changed)
        self._on_session_data_changed()
        self._on_session_step_changed()
        self.resize(1600, 950)

    def _dock(self, title: str, widget: QWidget, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        scroll = QScrollArea()
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMaximumWidth(420)
        dock.setWidget(scroll)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _make_actions(self) -> dict[str, QAction]:
        handlers = {
            "play": self.playback.toggle,
            "forward": self.session.step_forward,
            "back": self.session.step_back,
            "reset": self.session.reset,
            "end": self.session.run_to_end,
            "row": self.session.row_forward,
            "faster": self.playback.faster,
            "slower": self.playback.slower,
        }
        pixmaps = QStyle.StandardPixmap
        icons = {
            "play": pixmaps.SP_MediaPlay,
            "forward": pixmaps.SP_MediaSeekForward,
            "back": pixmaps.SP_MediaSeekBackward,
            "reset": pixmaps.SP_MediaSkipBackward,
            "end": pixmaps.SP_MediaSkipForward,
        }
        actions = {}
        for name, text, keys in SHORTCUTS:
            action = QAction(text, self)
            if name in icons:
                action.setIcon(self.style().standardIcon(icons[name]))
            action.setToolTip(f"{text} ({' or '.join(keys)})")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, h=handlers[name]: h())
            self.addAction(action)
            actions[name] = action
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcuts([QKeySequence.StandardKey.Undo])
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        quit_action = QAction("Quit", self)
        quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        quit_action.triggered.connect(self.close)
        actions.update(undo=undo, redo=redo, quit=quit_action)
        return actions

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        demos = file_menu.addMenu("Open demo")
        for name in DEMOS:
            action = demos.addAction(f"{name}: {demo(name).title}")
            action.triggered.connect(lambda _=False, n=name: self.open_demo(n))
        file_menu.addSeparator()
        file_menu.addAction(self.actions_by_name["quit"])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.actions_by_name["undo"])
        edit_menu.addAction(self.actions_by_name["redo"])
        play_menu = bar.addMenu("&Play")
        for name, _, _ in SHORTCUTS:
            play_menu.addAction(self.actions_by_name[name])
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.kernel_dock.toggleViewAction())
        view_menu.addAction(self.parameter_dock.toggleViewAction())
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts", self.show_shortcuts)

    # -- handlers ------------------------------------------------------------------------------
    def open_demo(self, name: str) -> None:
        """Load a demo; the undo history starts afresh."""
        self.playback.pause()
        self.undo_stack.clear()
        self.session.load_demo(name)
        self.show_message(demo(name).description)

    def show_message(self, text: str) -> None:
        """A short sentence in the status bar."""
        self.statusBar().showMessage(text, 8000)

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts."""
        lines = [f"{' or '.join(keys)}: {text}" for _, text, keys in SHORTCUTS]
        lines += [
            "Ctrl+Z / Ctrl+Shift+Z: undo / redo",
            "Ctrl+C / Ctrl+V: copy / paste cells",
            "Double-click or type in a cell: edit (Enter/Tab moves on, Escape cancels)",
            "Ctrl+Q: quit",
        ]
        QMessageBox.information(self, "Keyboard shortcuts", "\n".join(lines))

    def _on_session_step_changed(self) -> None:
        self.caption.setText(self.session.caption())

    def _on_session_data_changed(self) -> None:
        self.setWindowTitle(f"convviz: {self.session.demo_name}, {self.session.shape_text()}")

    def _on_playback_playing_changed(self, playing: bool) -> None:
        play = self.actions_by_name["play"]
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        play.setIcon(self.style().standardIcon(pixmap))
        play.setText("Pause" if playing else "Play")
