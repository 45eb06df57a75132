"""The session: one Document, its Pipeline, the Playhead and the ViewState, kept in step.

It is the controller the views talk to. An edit goes to the history it was given; the history
hands back a new Document (``set_document``), the session settles the pipeline and the playhead
once, then emits ``document_changed`` once. Steps emit ``playhead.moved``; view choices emit
``view.changed``. Nothing here imports Qt.
"""

from __future__ import annotations

import numpy as np

from ..engine import Step, recycled
from .captions import caption
from .document import Document
from .editor import Editor
from .edits import Edit, grid_plane
from .events import Event
from .history import History
from .pipeline import Pipeline, Stage
from .playhead import Playhead
from .project import Project
from .view_state import ViewState


def opening_position(document: Document) -> int:
    """Where a demo opens: before the first step, so that the class sees the map fill in; a
    trained classifier (its stack ends in class scores) with its first layer computed whole,
    so that its maps show at once and follow what is painted on the input."""
    pipeline = Pipeline.of(document)
    if pipeline.stepper is None or pipeline.class_scores is None:
        return 0
    return len(pipeline.stepper)


class Session:
    """What the user is working on and where the animation stands.

    Attributes
    ----------
    document : Document
        The user's work (what is undone and saved).
    pipeline : Pipeline
        What the picture is computed from: the document's, or while the document's first
        convolution cannot be computed (see ``problem``), the last one that could.
    stage : Stage
        The layer being stepped. When the layers before it stop fitting, the last stage that
        could be computed stays (``stage_problem`` says why).
    playhead : Playhead
        The stage stepped and the position (``playhead.moved`` on every step).
    view : ViewState
        The colour map, the chosen cell, the channel and filter shown (``view.changed``).
    edits : Editor
        Every edit the user can make (each one undoable).
    history : History
        Where edits go (the window hands in one built on ``QUndoStack``).
    problem : str or None
        Why the document's first convolution cannot be computed, in the engine's words.
    """

    def __init__(self, demo_name: str = "letter-h", history=None) -> None:
        self.document_changed = Event()
        self.history = History() if history is None else history
        self.playhead = Playhead()
        self.view = ViewState()
        self.edits = Editor(self)
        self.pipeline: Pipeline | None = None  # set by the first _settle, never None after
        self.problem: str | None = None
        self.stage: Stage | None = None
        self.stage_problem: str | None = None
        self._current: tuple[Stage, int, Step] | None = None
        document = Document.from_demo(demo_name)
        self._settle(document, stage=0, position=opening_position(document))

    # -- the document ----------------------------------------------------------------------------
    def submit(self, edit: Edit) -> None:
        """Hand ``edit`` to the history, which carries it out (and can undo it)."""
        self.history.push(edit, self)

    def set_document(self, document: Document) -> None:
        """Take the next document (an edit done or undone): settle, then emit once."""
        self._settle(document, self.playhead.stage, self.playhead.position)
        self.document_changed.emit()

    def open_document(self, document: Document, stage: int = 0, position: int = 0) -> None:
        """Start afresh on ``document`` (not an edit), stepping ``stage`` from ``position``.

        Everything is computed before anything changes: on ValueError (in words) the session,
        its views and the user's work stay exactly as they were.
        """
        try:
            settled = self._computed(document, stage, previous=None, stale=None)
        except (ValueError, TypeError, ArithmeticError, MemoryError, RecursionError) as error:
            raise ValueError(f"it cannot be computed: {error}") from None
        self._commit(document, *settled, position)
        recycled.trim()  # memory kept for a large picture's copies goes back past a bound
        self.playhead.kept.clear()  # another document: no layer has been visited yet
        self.view.set(chosen_cell=None, receptive_field=None)
        self.document_changed.emit()

    def load_demo(self, name: str) -> None:
        """Replace everything with the demo ``name`` (a whole new document, not an edit)."""
        document = Document.from_demo(name)
        self.open_document(document, position=opening_position(document))

    def open_project(self, project: Project) -> None:
        """Replace everything with a checked project (a whole new document, not an edit)."""
        self.open_document(project.document, project.stage, project.position)

    def to_project(self, view: dict | None = None) -> Project:
        """The document and where the playhead stands, as a project (``view``: the views'
        options a project file keeps)."""
        return Project(self.document, self.playhead.position, self.playhead.stage, dict(view or {}))

    def _settle(self, document: Document, stage: int, position: int) -> None:
        """Compute ``document`` once and bring the stage and the playhead into step with it."""
        settled = self._computed(document, stage, self.pipeline, self.stage)
        self._commit(document, *settled, position)

    @staticmethod
    def _computed(document: Document, stage: int, previous, stale):
        """What showing ``document`` needs, computed without changing anything: the pipeline
        drawn (``previous`` while the document's first convolution cannot be computed), the
        stage stepped and why it may be stale (``stale``: the stage shown until now)."""
        current = Pipeline.of(document)
        pipeline = current if current.stepper is not None or previous is None else previous
        if pipeline.stepper is None:
            raise ValueError(current.problem)
        pipeline.outputs_that_run  # noqa: B018 - every layer runs now, not in a view's paint
        index = max(0, min(int(stage), len(pipeline.stage_starts) - 1))
        try:
            return current.problem, pipeline, index, pipeline.stage(index), None
        except ValueError as error:
            if stale is not None and stale.index == index:
                return current.problem, pipeline, index, stale, str(error)  # the last picture
            return current.problem, pipeline, 0, pipeline.stage(0), None

    def _commit(self, document, problem, pipeline, index, stage, stage_problem, position) -> None:
        """Take what ``_computed`` made (nothing here can fail)."""
        self.document, self.problem, self.pipeline = document, problem, pipeline
        self.stage, self.stage_problem = stage, stage_problem
        self.playhead.stage = index
        self.playhead.position = max(0, int(position))
        self.playhead.fit(len(stage.stepper), stage.stepper.geometry.out[-1])
        self._forget_chosen_cell_if_gone()

    def _forget_chosen_cell_if_gone(self) -> None:
        chosen = self.view.chosen_cell
        if chosen is None:
            return
        channel, coord = chosen
        x = self.document.x if self.playhead.stage == 0 else self.stage.x
        shape = x.shape[1:]
        inside = len(coord) == len(shape) and all(
            0 <= c < n for c, n in zip(coord, shape, strict=True)
        )
        if channel >= x.shape[0] or not inside:
            self.view.set(chosen_cell=None)

    # -- the layer stepped -----------------------------------------------------------------------
    def set_stage(self, index: int) -> None:
        """Step layer ``index`` of ``pipeline.stage_titles()`` (not an edit) from where the user
        left it, or its first cell; ValueError (and nothing changes) when it cannot be
        computed."""
        index = max(0, min(int(index), len(self.pipeline.stage_starts) - 1))
        if index == self.playhead.stage:
            return
        stage = self.pipeline.stage(index)  # refuses a layer that cannot run
        self.stage, self.stage_problem = stage, None
        self.view.set(chosen_cell=None)
        self.playhead.enter_stage(index, len(stage.stepper), stage.stepper.geometry.out[-1])

    @property
    def stage_index(self) -> int:
        """The stage stepped (0: the first convolution)."""
        return self.playhead.stage

    @property
    def walk(self):
        """The stepped layer's walk: a ``Stepper`` or a ``PoolStepper``."""
        return self.stage.stepper

    @property
    def nd(self) -> int:
        """Spatial axes of the input (1, 2 or 3)."""
        return self.document.nd

    @property
    def current(self) -> Step:
        """The step shown: the one just computed, or the next window while it waits.

        Every view asks for it on each frame; it is worked out once per step.
        """
        index = self.playhead.shown_index
        cached = self._current
        if cached is None or cached[0] is not self.stage or cached[1] != index:
            self._current = (self.stage, index, self.stage.stepper[index])
        return self._current[2]

    @property
    def picture_matches_input(self) -> bool:
        """Whether the stepped walk was computed from the input the views show (not so while
        the first convolution's settings are impossible: its last valid walk is shown)."""
        return self.playhead.stage > 0 or self.problem is None

    def activated(self, values):
        """``values`` after the stepped layer's activations (unchanged if there are none)."""
        return self.stage.activated(values)

    @property
    def learning(self) -> bool:
        """Whether the transport takes descent steps: the learn lens is shown and can learn
        the stepped kernel (then no window slides, and the maps are the learned kernel's)."""
        if self.view.lens != "learn":
            return False
        from .lenses import can_learn  # the lenses load when a lens is first shown

        return can_learn(self.stage)

    def learned_map(self) -> np.ndarray | None:
        """While learning, the stepped layer's maps (after its activations) with the kernel
        learned in the steps taken so far, what the feature map shows; else None."""
        if not self.learning:
            return None
        from .lenses import learned_maps

        return learned_maps(self.document, self.stage, self.playhead.position)

    def final_map(self) -> np.ndarray:
        """Every cell of the stepped layer's maps, after its activations."""
        return self.stage.final

    def shown_map(self) -> np.ndarray:
        """The whole maps the feature map view shows: the learned kernel's while learning,
        else the stepped layer's (what exports of "the feature map" write)."""
        learned = self.learned_map()
        return self.final_map() if learned is None else learned

    def feature_map(self) -> np.ndarray:
        """The maps as far as computed (after the activations): NaN where not computed yet."""
        final = self.stage.final
        position = self.playhead.position
        result = np.full(final.shape, np.nan, dtype=final.dtype)
        result.reshape(-1)[:position] = final.reshape(-1)[:position]
        return result

    def caption(self) -> str:
        """``step 12 of 256: window at row 2, column 5`` (see ``captions.caption``); while the
        learn lens is shown the transport takes descent steps, and the caption says so."""
        words = self._learn_caption()
        if words is not None:
            return words
        return caption(self.stage, self.current, self.playhead, bool(self.document.layers))

    def _learn_caption(self) -> str | None:
        """The learn lens's caption while it is shown and can learn, else None."""
        if not self.learning:
            return None
        from .lenses import learn_caption  # the lenses load when a lens is first shown

        p = self.playhead
        return learn_caption(self.document, self.stage, p.steps, p.position)

    def step_counter(self) -> str:
        """``step 12 of 256``, the toolbar's count; while a class predicts, the step it
        predicts, as the caption says it (``step 13 of 256: predict``); descent steps while
        the learn lens is shown."""
        p = self.playhead
        if self._learn_caption() is not None:
            return f"descent step {p.position} of {p.steps}"
        if p.previewing and p.position < p.steps:
            return f"step {p.position + 1} of {p.steps}: predict"
        return f"step {p.position} of {p.steps}"

    def next_interesting(self, limit: int = 100_000) -> bool:
        """Jump to the next step whose products are not all zero (windows over nothing but
        zeros teach little); False, and no move, when there is none within ``limit`` steps."""
        walk, start = self.walk, self.playhead.position
        for index in range(start, min(len(walk), start + limit)):
            if np.any(walk[index].products != 0):
                self.playhead.set_position(index + 1)
                return True
        return False

    def jump_to(self, filter_index: int, out_index) -> None:
        """Show the step that computes output cell ``out_index`` of ``filter_index``."""
        self.playhead.set_position(self.walk.index_of(filter_index, out_index) + 1)

    # -- the grids a user edits --------------------------------------------------------------------
    def grid(self, target: str, index=0) -> np.ndarray:
        """The 2-D grid a user edits: input channel ``index``, or kernel ``index`` = filter or
        ``(filter, channel)``. A 1-D signal is a grid of one row. Read-only: write through
        ``edits.edit_cells``. While a deeper layer is stepped, these are its input and weights.
        """
        if target == "input":
            array = self.document.x if self.playhead.stage == 0 else self.stage.x
        else:
            array = self.kernel_weights()
        return grid_plane(array, target, index)

    def kernel_weights(self) -> np.ndarray:
        """The weights of the convolution being stepped (layer 1's ``weight`` or a deeper
        layer's; a pooling's stage shows layer 1's)."""
        stage = self.stage
        if stage.index > 0 and stage.kind == "conv":
            return stage.layer.weight
        return self.document.weight

    def stage_slot(self) -> int | None:
        """Where the stepped layer sits in ``document.layers`` (None for the first convolution)."""
        if self.playhead.stage == 0:
            return None
        return self.pipeline.stage_starts[self.playhead.stage] - 1
