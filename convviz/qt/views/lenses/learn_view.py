"""The learn lens: the kernel, dL/dW, the output and its target as gradient descent goes, and
the loss curve; → takes one step, ← takes it back (the transport's position is the number of
steps taken while this lens is shown)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QVBoxLayout

from ....model.lenses import learn_picture
from ...widgets.block_grid import Block, BlockGrid
from ...widgets.signal_plot import SignalPlot
from .backward_view import GAP
from .lens_view import LensView


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
        top = QHBoxLayout()
        top.addWidget(QLabel("Learning rate:"))
        top.addWidget(self.rate)
        top.addStretch(1)
        self.kernels = BlockGrid()
        self.grid = BlockGrid()
        pictures = QHBoxLayout()
        pictures.addWidget(self.kernels, 2)
        pictures.addWidget(self.grid, 3)
        self.curve = SignalPlot("loss after each step")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(pictures, 3)
        layout.addWidget(self.curve, 1)
        self.picture = None

    def _on_view_rate_changed(self, value: float) -> None:
        self.session.edits.set_gradient("Learning rate", learning_rate=float(value))

    def draw(self) -> None:
        s = self.session
        p = learn_picture(
            s.document, s.stage, s.playhead.steps, s.playhead.position, s.view.channel
        )
        self.picture = p
        with QSignalBlocker(self.rate):
            self.rate.setValue(s.document.gradient.learning_rate)
        font = self.font_px - 2
        kernels = [
            Block(p.kernel, 0, 0, "kernel"),
            Block(p.grad, p.kernel.shape[0] + GAP, 0, "dL/dW"),
        ]
        self.kernels.show_blocks(kernels, self.colormap, font_px=font)
        blocks = [Block(p.output, 0, 0, "output")]
        if p.target is not None:
            blocks.append(Block(p.target, p.output.shape[0] + GAP, 0, "target"))
        self.grid.show_blocks(blocks, self.colormap, font_px=font)
        self.curve.show_signals(p.losses[None], span=np.array([0.0, *p.losses]))
        self.set_words(list(p.lines), bold=0)
