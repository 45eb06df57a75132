"""Playback: a timer that asks the session for the next steps at the chosen speed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ...model import Session

# Steps per second, from one step every two seconds to several steps per screen refresh.
SPEEDS = (0.5, 1, 2, 4, 8, 15, 30, 60, 120, 240, 480, 960)
FRAME_MS = 16  # about one screen refresh; faster speeds advance several steps per tick
DEFAULT_SPEED = 3


class Playback(QObject):
    """Plays the session forward; ``playing_changed`` and ``speed_changed`` tell the views."""

    speeds = SPEEDS

    playing_changed = Signal(bool)
    speed_changed = Signal(int)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.speed_index = DEFAULT_SPEED
        self._apply_speed()

    @property
    def playing(self) -> bool:
        """Whether the timer is running."""
        return self.timer.isActive()

    @property
    def steps_per_second(self) -> float:
        """The chosen speed."""
        return SPEEDS[self.speed_index]

    def steps_per_tick(self) -> int:
        """How many steps one timer tick advances."""
        return max(1, round(self.steps_per_second * self.timer.interval() / 1000))

    def _apply_speed(self) -> None:
        self.timer.setInterval(max(FRAME_MS, round(1000 / self.steps_per_second)))

    def set_speed(self, index: int) -> None:
        """Choose speed ``SPEEDS[index]`` (clamped)."""
        index = max(0, min(int(index), len(SPEEDS) - 1))
        if index != self.speed_index:
            self.speed_index = index
            self._apply_speed()
            self.speed_changed.emit(index)

    def faster(self) -> None:
        """One speed up."""
        self.set_speed(self.speed_index + 1)

    def slower(self) -> None:
        """One speed down."""
        self.set_speed(self.speed_index - 1)

    def play(self) -> None:
        """Start playing (from the start if every cell is already computed)."""
        if self.session.playhead.finished:
            self.session.playhead.reset()
        if not self.playing:
            self.timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        """Stop where it is."""
        if self.playing:
            self.timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        """Play or pause."""
        self.pause() if self.playing else self.play()

    def _on_timer_timeout(self) -> None:
        self.session.playhead.step_forward(self.steps_per_tick())
        if self.session.playhead.finished:
            self.pause()
