"""The sentence a lecturer points at: window × kernel = products, their sum, + bias = output."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ..engine import Step, activate
from ..model import Session, fmt
from ..model.sentences import sum_sentence
from .equation_grids import ChannelBlock, EquationGrids


def channel_blocks(step: Step, channels: int, kernel_shape, size, flip: bool):
    """The step split per input channel (and per depth slice of a 3-D kernel), each as
    kernel-shaped 2-D grids."""
    kernel_shape = tuple(kernel_shape)
    slices = kernel_shape[0] if len(kernel_shape) == 3 else 1
    shape = kernel_shape[-2:] if len(kernel_shape) >= 2 else (1, kernel_shape[0])
    per = int(np.prod(shape))
    coords = step.taps[:, 1:]
    outside = np.any((coords < 0) | (coords >= np.asarray(size)), axis=1)
    blocks = []
    for ch in range(channels * slices):
        part = slice(ch * per, (ch + 1) * per)
        channel = int(step.taps[part][0, 0]) + 1
        names = [f"channel {channel}"] if channels > 1 else []
        if slices > 1:
            names.append(f"depth {int(step.taps[part][0, 1])}")
        blocks.append(
            ChannelBlock(
                title=", ".join(names) or "window",
                window=step.values[part].reshape(shape),
                weights=step.weights[part].reshape(shape),
                products=step.products[part].reshape(shape),
                padding=outside[part].reshape(shape),
                kernel_title="kernel, rotated 180°" if flip else "kernel",
            )
        )
    return blocks


def sums_html(
    step: Step, blocks, revealed: bool, bias_on: bool, font_px: int, activation: str = "none"
) -> str:
    """The sums in words, then ``+ bias =``, then the activation, ending in the output (``?``
    until the cell is computed)."""
    sums = [float(b.products.sum()) for b in blocks]
    if len(blocks) == 1:
        sentence = sum_sentence(step.values, step.weights, sums[0])
    else:
        title = blocks[0].title
        unit = (
            "grid"
            if "channel" in title and "depth" in title
            else "depth slice"
            if "depth" in title
            else "channel"
        )
        sentence = " + ".join(fmt(v) for v in sums) + f" = {fmt(sum(sums))}  (one sum per {unit})"
    line = f'<p style="font-size:{font_px}px;margin:6px 0;">'
    lines = [line + html.escape(sentence) + "</p>"]
    activated = activation != "none"
    before = fmt(step.output) if revealed else "?"
    if bias_on:
        value = f"<b>{before}</b>" if not activated else before
        lines.append(f"{line}{fmt(sum(sums))} + bias {fmt(step.bias)} = {value}</p>")
    elif not activated:
        lines.append(f"{line}output = <b>{before}</b></p>")
    if activated:
        after = fmt(float(activate(activation, np.array(step.output)))) if revealed else "?"
        lines.append(f"{line}{activation}({before}) = <b>{after}</b></p>")
    if not revealed:
        lines.append(
            f'<p style="color:#b35900;font-size:{font_px}px;">Press → (or Space to '
            "play) to compute this cell.</p>"
        )
    return "".join(lines)


class ComputationPanel(QWidget):
    """For the current step: window, kernel and products as grids, then the sum in words."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.font_px = 18
        self.title = QLabel("Computation")
        self.title.setObjectName("panelTitle")
        self.grids = EquationGrids()
        self.sums = QLabel()
        self.sums.setTextFormat(Qt.TextFormat.RichText)
        self.sums.setWordWrap(True)
        self.sums.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.sums.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grids)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.sums)
        session.step_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Write out the current step."""
        s = self.session
        g = s.stepper.geometry
        blocks = channel_blocks(s.current, g.channels_per_group, g.kernel, g.size, g.flip)
        self.grids.set_blocks(blocks)
        self.sums.setText(
            sums_html(s.current, blocks, s.revealed, s.use_bias, self.font_px, s.activation)
        )

    def text(self) -> str:
        """The panel's words and numbers without markup (for tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.sums.text())
        grids = []
        for block in self.grids.blocks:
            grids.append(block.title)
            grids.append(block.kernel_title)
            grids.append(" ".join(fmt(v) for v in block.products.ravel()))
        return "\n".join(grids) + "\n" + doc.toPlainText()
