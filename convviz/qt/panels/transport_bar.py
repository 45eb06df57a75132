"""The transport bar: reset, back, play/pause, forward, end, speed, scrubber and "step k of n"."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QComboBox, QSlider, QToolBar

from ...model import Session
from ..session_view import SessionView
from ..widgets.steady_text import SteadyText


def speed_text(steps_per_second: float) -> str:
    """``1 step / 2 s``, ``4 steps/s``."""
    if steps_per_second < 1:
        return f"1 step / {round(1 / steps_per_second)} s"
    return f"{steps_per_second:g} steps/s"


class TransportBar(SessionView, QToolBar):
    """Buttons for the window's transport actions, plus speed, scrubber and position, and
    which layer is stepped (``layer_chosen`` carries its index) once the stack has several."""

    layer_chosen = Signal(int)

    def __init__(self, session: Session, playback, actions: dict, parent=None) -> None:
        super().__init__("Transport", parent)
        self.setObjectName("transport")
        self.session = session
        self.playback = playback
        self.setMovable(False)
        self.layer = QComboBox()
        self.layer.setToolTip("The layer being stepped (L / Shift+L: next / previous)")
        self.layer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_action = self.addWidget(self.layer)
        self.layer.activated.connect(self.layer_chosen)
        for name in ("reset", "back", "play", "forward", "end"):
            self.addAction(actions[name])
        self.addSeparator()
        self.speed = QComboBox()
        self.speed.addItems([speed_text(s) for s in playback.speeds])
        self.speed.setToolTip("Playback speed (+ and − keys)")
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addWidget(self.speed)
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setMinimumWidth(100)  # with the layer box, the bar still fits 1024 px
        self.scrubber.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scrubber.setToolTip("Drag to any step")
        self.addWidget(self.scrubber)
        self.position = SteadyText(wrap=False)  # rewritten on every step: no layout pass
        self.position.setObjectName("stepCounter")
        self.position.setContentsMargins(8, 0, 8, 0)
        self.position.setMinimumWidth(150)
        self._fitted: tuple[int, int] | None = None  # (steps, font size) the counter has room for
        self.addWidget(self.position)
        self.addSeparator()
        for name in ("predict", "panels", "presentation"):
            if name in actions:
                self.addAction(actions[name])
        self.speed.activated.connect(playback.set_speed)
        self.scrubber.valueChanged.connect(session.playhead.set_position)
        playback.speed_changed.connect(self._on_playback_speed_changed)
        self.bind_session(session)
        self._on_playback_speed_changed(playback.speed_index)
        self._on_model_document_changed()

    def refresh(self) -> None:
        """Show the session's position on the scrubber and as ``step k of n``."""
        playhead = self.session.playhead
        with QSignalBlocker(self.scrubber):
            self.scrubber.setRange(0, playhead.steps)
            self.scrubber.setValue(playhead.position)
        self._fit_counter(playhead.steps)
        self.position.setText(self.session.step_counter())

    def _fit_counter(self, steps: int) -> None:
        """Room for the longest count of ``steps`` steps: the counter lays itself out only
        when its height changes, and a 4096² photo's "step 60 of 16777216" had been cut."""
        key = (steps, self.position.font().pixelSize())
        if key == self._fitted:
            return
        self._fitted = key
        metrics = self.position.fontMetrics()
        width = max(
            metrics.horizontalAdvance(text)
            for text in (f"step {steps} of {steps}: predict", f"descent step {steps} of {steps}")
        )
        margins = self.position.contentsMargins()
        self.position.setMinimumWidth(max(150, width + margins.left() + margins.right() + 4))

    def _on_model_playhead_moved(self, stage_changed: bool) -> None:
        if stage_changed:
            self._on_model_document_changed()
        else:
            self.refresh()

    def _on_model_view_changed(self, name: str) -> None:
        if name == "lens":  # the learn lens counts descent steps
            self.refresh()

    def _on_model_document_changed(self) -> None:
        self.refresh()
        titles = self.session.pipeline.stage_titles()
        with QSignalBlocker(self.layer):
            if [self.layer.itemText(i) for i in range(self.layer.count())] != titles:
                self.layer.clear()
                self.layer.addItems(titles)
            self.layer.setCurrentIndex(self.session.stage_index)
        self.layer_action.setVisible(len(titles) > 1)

    def _on_playback_speed_changed(self, index: int) -> None:
        with QSignalBlocker(self.speed):
            self.speed.setCurrentIndex(index)
