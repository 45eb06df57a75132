"""The sentence a lecturer points at: window × kernel = products, their sum, + bias = output."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ..engine import Step
from ..model import Session, fmt
from ..model.sentences import sum_sentence


def _grid_html(
    values: np.ndarray, title: str, font_px: int, padding_cells: np.ndarray | None = None
) -> str:
    cell = f"border:1px solid #999;text-align:center;padding:3px 6px;font-size:{font_px}px;"
    rows = []
    for r, row in enumerate(values):
        cells = []
        for c, v in enumerate(row):
            pad = padding_cells is not None and padding_cells[r, c]
            style = cell + ("background-color:#e2e2e2;color:#777;" if pad else "")
            cells.append(f'<td style="{style}">{html.escape(fmt(v))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div style="color:#555;font-size:{int(font_px * 0.8)}px;">{title}</div>'
        f'<table cellspacing="0">{"".join(rows)}</table>'
    )


def step_html(
    step: Step,
    channels: int,
    kernel_shape,
    size,
    revealed: bool,
    bias_on: bool,
    flip: bool,
    font_px: int = 16,
) -> tuple[str, str]:
    """One step's computation as rich text: the grids, and the sums in words."""
    shape = tuple(kernel_shape) if len(kernel_shape) == 2 else (1, kernel_shape[0])
    per = int(np.prod(kernel_shape))
    coords = step.taps[:, 1:]
    outside = np.any((coords < 0) | (coords >= np.asarray(size)), axis=1)
    blocks, sums = [], []
    op = f' style="font-size:{int(font_px * 1.5)}px;padding:0 6px;" valign="middle"'
    for ch in range(channels):
        part = slice(ch * per, (ch + 1) * per)
        label = f" (channel {int(step.taps[part][0, 0]) + 1})" if channels > 1 else ""
        kernel_title = "kernel, rotated 180°" if flip else "kernel"
        window = _grid_html(
            step.values[part].reshape(shape),
            "window" + label,
            font_px,
            outside[part].reshape(shape),
        )
        kernel_grid = _grid_html(step.weights[part].reshape(shape), kernel_title, font_px)
        products = _grid_html(step.products[part].reshape(shape), "products", font_px)
        blocks.append(
            f"<tr><td>{window}</td><td{op}>×</td><td>{kernel_grid}</td></tr>"
            f"<tr><td{op} align='right'>=</td><td colspan='2'>{products}</td></tr>"
        )
        sums.append(float(step.products[part].sum()))
    if channels == 1:
        sentence = sum_sentence(step.values, step.weights, sums[0])
    else:
        sentence = " + ".join(fmt(v) for v in sums) + f" = {fmt(sum(sums))}  (one sum per channel)"
    shown = fmt(step.output) if revealed else "?"
    line = f'<p style="font-size:{font_px}px;margin-top:10px;">'
    lines = [line + html.escape(sentence) + "</p>"]
    if bias_on:
        lines.append(f"{line}{fmt(sum(sums))} + bias {fmt(step.bias)} = <b>{shown}</b></p>")
    else:
        lines.append(f"{line}output = <b>{shown}</b></p>")
    if not revealed:
        lines.append(
            f'<p style="color:#b35900;font-size:{font_px}px;">Press → (or Space to '
            "play) to compute this cell.</p>"
        )
    return f"<table>{''.join(blocks)}</table>", "".join(lines)


class ComputationPanel(QWidget):
    """For the current step: window, kernel and products as grids, then the sum in words."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.font_px = 16
        self.title = QLabel("Computation")
        self.title.setObjectName("panelTitle")
        self.grids = QLabel()
        self.sums = QLabel()
        for label in (self.grids, self.sums):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sums.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grids)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 3)
        layout.addWidget(self.sums, 2)
        session.step_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Write out the current step."""
        s = self.session
        g = s.stepper.geometry
        grids, sums = step_html(
            s.current,
            g.channels_per_group,
            g.kernel,
            g.size,
            s.revealed,
            s.use_bias,
            g.flip,
            self.font_px,
        )
        self.grids.setText(grids)
        self.sums.setText(sums)

    def text(self) -> str:
        """The panel's words without markup (for tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.grids.text() + self.sums.text())
        return doc.toPlainText()
