"""The learn lens: the kernel, dL/dW, the output and its target as gradient descent goes, and
the loss curve; → takes one step, ← takes it back (the transport's position is the number of
steps taken while this lens is shown)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from ....model.lenses import learn_picture
from ....numbers import scaled_for_reading
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.signal_plot import SignalPlot
from .backward_view import GAP
from .lens_view import LensView
from .loss_controls import GradientCells, LossControls


class LearnView(LensView):
    """Kernel, dL/dW, output, target and the loss so far, redrawn on every step."""

    lens = "learn"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.rate = QDoubleSpinBox()
        self.rate.setDecimals(4)
        self.rate.setRange(0.0001, 100.0)
        self.rate.setSingleStep(0.05)
        self.rate.setKeyboardTracking(False)
        self.rate.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.rate.setToolTip("The step of gradient descent (an undoable edit)")
        self.rate.valueChanged.connect(self._on_view_rate_changed)
        self.filter = QComboBox()
        self.filter.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.filter.setToolTip("The filter whose kernel is drawn (every filter learns)")
        self.filter.activated.connect(self.refresh)
        self.controls = LossControls(session)
        self.keep = QPushButton("Keep this kernel")
        self.keep.setObjectName("keepLearnedKernel")
        self.keep.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.keep.setToolTip(
            "Put the kernel learned so far into the Kernel panel (an undoable edit); "
            "learning then starts again from it"
        )
        self.keep.clicked.connect(self._on_keep_clicked)
        top = QHBoxLayout()  # two rows of controls: one would widen a laptop's middle column
        top.addWidget(QLabel("Learning rate:"))
        top.addWidget(self.rate)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.keep)
        # The kernel and its gradient on grids of their own: each writes its numbers at the
        # size they need (dL/dW's −0.0003 had shrunk the kernel's 0.9 to 9 px beside it).
        self.kernels = BlockGrid()
        self.grads = BlockGrid()
        self.grid = BlockGrid()
        self.cells = GradientCells(self.grid, session)
        # Side by side: the kernel's few numbers get cells wide enough to read, and the
        # output and its target (pictures, too many cells for numbers) the rest.
        pictures = QHBoxLayout()
        weights = QHBoxLayout()
        weights.addWidget(self.kernels)
        weights.addWidget(self.grads)
        pictures.addLayout(weights, 3)  # their numbers need the width more than the pictures
        pictures.addWidget(self.grid, 2)
        self.curve = SignalPlot("loss after each step")
        self.curve.setMinimumHeight(110)  # lower, its axis's numbers print over each other
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.controls)
        layout.addLayout(pictures, 3)
        layout.addWidget(self.curve, 1)
        self.picture = None

    def _on_keep_clicked(self) -> None:
        steps = self.session.playhead.position
        if steps == 0:
            return  # the Kernel panel already holds the kernel learning starts from
        self.session.edits.keep_learned_kernel(steps)
        self.session.playhead.set_position(0)  # learning starts again from the kept kernel

    def _on_view_rate_changed(self, value: float) -> None:
        self.session.edits.set_gradient("Learning rate", learning_rate=float(value))

    def draw(self) -> None:
        s = self.session
        p = learn_picture(
            s.document,
            s.stage,
            s.playhead.steps,
            s.playhead.position,
            s.view.channel,
            max(self.filter.currentIndex(), 0),
        )
        self.picture = p
        with QSignalBlocker(self.rate):
            self.rate.setValue(s.document.gradient.learning_rate)
        with QSignalBlocker(self.filter):
            if self.filter.count() != p.filters:
                self.filter.clear()
                self.filter.addItems([f"filter {f + 1}" for f in range(p.filters)])
            self.filter.setCurrentIndex(p.filter)
        self.filter.setVisible(p.filters > 1)
        self.controls.show_choice()
        font = self.font_px - 2
        self.kernels.show_blocks([Block(p.kernel, 0, 0, "kernel")], self.colormap, font_px=font)
        # A gradient of thousandths is written as 1000 · dL/dW, the factor in the title.
        grad, factor = scaled_for_reading(p.grad)
        title = f"{factor} · dL/dW" if factor else "dL/dW"
        self.grads.show_blocks([Block(grad, 0, 0, title)], self.colormap, font_px=font)
        output = "last map" if p.deep else "output"
        if p.filters > 1:
            output += f" {p.filter + 1}"
        blocks = [Block(p.output, 0, 0, output)]
        typed = []
        if p.target is not None:
            at = p.output.shape[1] + GAP
            blocks.append(Block(p.target, 0, at, "target"))
            typed.append(("target", p.loss_index, (0, at, *p.target.shape)))
        self.grid.show_blocks(blocks, self.colormap, font_px=font)
        self.cells.set_blocks(typed)
        self.curve.show_signals(p.losses[None], span=np.array([0.0, *p.losses]))
        self.keep.setEnabled(p.step > 0)
        lines = list(p.lines)
        lines.append(
            "The Kernel panel holds the kernel learning starts from; Keep this kernel puts "
            "the one learned so far there (Ctrl+Z takes it back)."
        )
        self.set_words(lines, bold=0)
