"""The Playhead: which layer is stepped, how far, and whether the class predicts first."""

from __future__ import annotations

from .events import Event


class Playhead:
    """Where the animation stands. ``moved`` is emitted with ``stage_changed``: True when
    another layer is now stepped (views redraw their data), False for a step (views move
    their highlights).

    Attributes
    ----------
    stage : int
        The stage stepped (0: the first convolution).
    position : int
        Output cells of that stage computed so far, from 0 (nothing yet) to ``steps``.
    steps : int
        How many cells the stage computes (set by the session when the pipeline changes).
    row : int
        Cells in one output row of the stage (for "a whole row ahead").
    predict : bool
        "Predict, then reveal": each step first shows the window, then its output.
    previewing : bool
        The window of step ``position + 1`` is shown and its output not yet revealed.
    """

    def __init__(self) -> None:
        self.moved = Event()
        self.stage = 0
        self.position = 0
        self.steps = 0
        self.row = 1
        self.predict = False
        self.previewing = False
        self.kept: dict[int, int] = {}  # each stage's position when the user left it

    def fit(self, steps: int, row: int) -> None:
        """Take the stepped stage's size (after an edit), keeping the position if it fits.
        Emits nothing: the document's change redraws everything."""
        self.steps, self.row = int(steps), max(1, int(row))
        self.position = min(self.position, self.steps)
        if self.position >= self.steps:
            self.previewing = False

    def enter_stage(self, stage: int, steps: int, row: int) -> None:
        """Step another stage from where the user left it (its first cell the first time);
        emits ``moved(True)``."""
        self.kept[self.stage] = self.position
        self.stage = int(stage)
        self.steps, self.row = int(steps), max(1, int(row))
        self.position = max(0, min(self.kept.get(self.stage, 0), self.steps))
        self.previewing = False
        self.moved.emit(True)

    @property
    def waiting(self) -> bool:
        """Whether the window shown has not produced its output yet (at the start, or while a
        class predicts it)."""
        return self.position == 0 or (self.previewing and self.position < self.steps)

    @property
    def revealed(self) -> bool:
        """Whether the shown step's output has been computed."""
        return not self.waiting

    @property
    def shown_index(self) -> int:
        """The index of the step shown: the one just computed, or the next while waiting."""
        if self.waiting:
            return min(self.position, max(self.steps - 1, 0))
        return self.position - 1

    @property
    def finished(self) -> bool:
        """Whether every cell has been computed."""
        return self.position >= self.steps

    def set_position(self, position: int) -> None:
        """Show ``position`` cells computed (clamped to 0..steps); emits only on a change."""
        position = max(0, min(int(position), self.steps))
        if position != self.position or self.previewing:
            self.position = position
            self.previewing = False
            self.moved.emit(False)

    def set_predict(self, on: bool) -> None:
        """Turn "predict, then reveal" on or off."""
        self.predict = bool(on)
        if not on and self.previewing:
            self.previewing = False
            self.moved.emit(False)

    def step_forward(self, count: int = 1) -> None:
        """Compute the next ``count`` cells (in predict mode, one half-step: show, then reveal)."""
        if self.predict and count == 1 and self.position < self.steps:
            if self.previewing or self.position == 0:  # at the start the window already waits
                self.set_position(self.position + 1)
            else:
                self.previewing = True
                self.moved.emit(False)
            return
        self.set_position(self.position + count)

    def step_back(self, count: int = 1) -> None:
        """Undo the last ``count`` computed cells."""
        self.set_position(self.position - count)

    def reset(self) -> None:
        """Back to before the first cell."""
        self.set_position(0)

    def run_to_end(self) -> None:
        """Compute every cell."""
        self.set_position(self.steps)

    def row_forward(self) -> None:
        """Move a whole output row ahead."""
        self.step_forward(self.row)

    def row_back(self) -> None:
        """Move a whole output row back."""
        self.step_back(self.row)
