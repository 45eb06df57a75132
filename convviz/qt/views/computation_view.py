"""The sentence a lecturer points at: window × kernel = products, their sum, + bias = output."""

from __future__ import annotations

import html
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from ...engine import Step, activate
from ...model import Session, fmt
from ...model.sentences import pool_sentence, sum_sentence
from ...model.sliding_kernel import sliding_kernel
from ..session_view import SessionView
from ..widgets import themes
from ..widgets.equation_grids import ChannelBlock, EquationGrids
from ..widgets.panel_title import panel_title
from ..widgets.sliding_kernel_plot import SlidingKernelPlot
from ..widgets.steady_text import SteadyText


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
            names.append(f"depth {fmt(int(step.taps[part][0, 1]))}")  # −1 with a minus
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


def pool_blocks(step: Step, kernel_shape, size, kind: str):
    """A pooling's step as window grids (one per depth slice of a 3-D window), the winning
    cell (max) or the counted cells (average) marked."""
    blocks = channel_blocks(step, 1, kernel_shape, size, flip=False)
    for i, block in enumerate(blocks):
        depth = block.title.removeprefix("window").strip()
        title = f"window, channel {step.filter + 1}" + (f", {depth}" if depth else "")
        blocks[i] = replace(block, title=title, mode=kind)
    return blocks


def sums_html(
    step: Step,
    blocks,
    revealed: bool,
    bias_on: bool,
    font_px: int,
    activations: tuple[str, ...] | str = (),
    output_line: bool = True,
) -> str:
    """The sums in words, then ``+ bias =``, then each activation, ending in the output
    (``?`` until the cell is computed). ``output_line=False`` leaves out the bare ``output =``
    line (the 1-D picture above already ends in ``y[n] = …``)."""
    if isinstance(activations, str):
        activations = () if activations == "none" else (activations,)
    line = f'<p style="font-size:{font_px}px;margin:6px 0;">'
    before = fmt(step.output) if revealed else "?"
    if blocks and blocks[0].mode != "products":  # a pooling: max(…) or (…) / n
        sentence = pool_sentence(
            blocks[0].mode, step.values, step.weights, step.output if revealed else None
        )
        lines = [line + html.escape(sentence) + "</p>"]
        return "".join(lines + _activation_lines(step, activations, revealed, line, font_px))
    sums = [float(b.products.sum()) for b in blocks]
    if len(blocks) == 1:
        sentence = sum_sentence(step.values, step.weights, sums[0] if revealed else None)
    else:
        title = blocks[0].title
        unit = (
            "grid"
            if "channel" in title and "depth" in title
            else "depth slice"
            if "depth" in title
            else "channel"
        )
        total = fmt(sum(sums)) if revealed else "?"
        terms = [fmt(v) if revealed else "?" for v in sums]
        sentence = " + ".join(terms) + f" = {total}  (one sum per {unit})"
    lines = [line + html.escape(sentence) + "</p>"]
    if bias_on:
        value = f"<b>{before}</b>" if not activations else before
        total = fmt(sum(sums)) if revealed else "?"
        lines.append(f"{line}{total} + bias {fmt(step.bias)} = {value}</p>")
    elif not activations and output_line:
        lines.append(f"{line}output = <b>{before}</b></p>")
    return "".join(lines + _activation_lines(step, activations, revealed, line, font_px))


def _activation_lines(step: Step, activations, revealed: bool, line: str, font_px: int):
    """``relu(−2) = 0`` per activation, the last one bold; then what to press while waiting."""
    lines = []
    value = np.array(step.output)
    for i, name in enumerate(activations):
        before = fmt(float(value)) if revealed else "?"
        value = activate(name, value)
        after = fmt(float(value)) if revealed else "?"
        shown = f"<b>{after}</b>" if i == len(activations) - 1 else after
        lines.append(f"{line}{name}({before}) = {shown}</p>")
    if not revealed:
        lines.append(
            f'<p style="color:#b35900;font-size:{font_px}px;">Press → (or Space to '
            "play) to compute this cell.</p>"
        )
    return lines


class ComputationView(SessionView, QWidget):
    """For the current step: window, kernel and products as grids, then the sum in words."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.font_px = 18
        self._sums_px: int | None = None  # the sums' font, smaller when long (presentation)
        self.title = panel_title("Computation")
        self.grids = EquationGrids()
        self.sums = SteadyText(top=True)  # rewritten on every step: no layout pass unless it grows
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grids)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        self._textbook: SlidingKernelPlot | None = None
        layout.addWidget(self.sums)
        scroll.viewport().installEventFilter(self)  # the sums grew or shrank: fit the grids
        self.bind_session(session)
        self.refresh()

    @property
    def textbook(self) -> SlidingKernelPlot:
        """1-D: the textbook picture, the kernel sliding under x[k] (flipped for a
        convolution); made when first needed (2-D documents never show it)."""
        if self._textbook is None:
            self._textbook = SlidingKernelPlot()
            self._textbook.setMinimumHeight(200)
            self._textbook.hide()
            self._textbook.set_font_px(self._textbook_px)
            self._textbook.set_theme(themes.current())
            layout = self.layout()
            layout.insertWidget(layout.indexOf(self.sums), self._textbook, 2)
        return self._textbook

    @property
    def _textbook_px(self) -> int:
        """The picture's words grow less than the sums in presentation mode: its three rows
        of stems need the height more than its legend needs the size (at 1024×768 the
        legend and the sum had squeezed the rows under their own words)."""
        return min(self.font_px, 20)

    def link_anchors(self):
        """Where the link from the input's window arrives and where the link to the output
        leaves, as global points (None when the grids, or those corners, are not in view)."""
        if not self.isVisible() or not self.grids.isVisible():
            return None
        anchors = self.grids.link_anchors()
        if anchors is None:
            return None
        viewport = self.scroll.viewport()
        shown = viewport.rect().adjusted(-2, -2, 2, 2)
        points = []
        for point in anchors:
            local = self.grids.mapTo(viewport, point.toPoint())
            if not shown.contains(local):
                return None  # scrolled away: the link goes straight from input to output
            points.append(viewport.mapToGlobal(local))
        return tuple(points)

    def drawn_parts(self) -> tuple[QWidget, ...]:
        """The widgets that hold the computation (the link between the views passes behind
        them)."""
        made = () if self._textbook is None else (self._textbook,)
        return (self.grids, self.sums, *made)

    def _on_model_view_changed(self, name: str) -> None:
        if name == "presentation":  # larger grids and sentences for the back row
            on = self.session.view.presentation
            self.grids.scale = 1.5 if on else 1.0
            self.font_px = 28 if on else 18
            self._sums_px = None
            if self._textbook is not None:
                self._textbook.set_font_px(self._textbook_px)
            self.refresh()
        elif name == "theme" and self._textbook is not None:
            self._textbook.set_theme(themes.current())
        elif name == "channel" and self.session.nd == 1:
            self.refresh()  # the picture draws the channel the input shows

    def _on_model_playhead_moved(self, _stage_changed: bool) -> None:
        if self.session.view.lens == "sliding":  # hidden behind a lens: redrawn when shown
            self.refresh()

    def _on_model_document_changed(self) -> None:
        if self.session.view.lens == "sliding":
            self.refresh()

    def refresh(self) -> None:
        """Write out the current step."""
        s = self.session
        stage = s.stage
        g = s.walk.geometry
        step = s.current
        if stage.kind == "conv":
            blocks = channel_blocks(step, g.channels_per_group, g.kernel, g.size, g.flip)
            self.title.setText("Computation" if stage.index == 0 else f"Computation, {stage.title}")
        else:
            blocks = pool_blocks(step, g.kernel, g.size, stage.kind)
            what = "largest value" if stage.kind == "max" else "mean of the window"
            self.title.setText(f"{stage.title}: the {what}")
        blocks = [replace(b, hidden=not s.playhead.revealed) for b in blocks]
        one_d = s.nd == 1 and stage.kind == "conv"
        if one_d or self._textbook is not None:
            self.textbook.setVisible(one_d)
        if one_d:
            self._draw_textbook(step, stage)
        self.grids.set_blocks(blocks)
        self._keep_grids_whole(one_d)
        self._write_sums(step, blocks, one_d)

    def _rewrite_sums(self) -> None:
        if self._sums_px is None and self.isVisible() and self.session.view.lens == "sliding":
            self.refresh()

    SUMS_SHARE = 0.4
    """The share of the panel's height the sums may take in presentation mode before their
    font shrinks (to 18 px at least): digits' long sum at 28 px had left its grids 8 px cells."""

    def _write_sums(self, step, blocks, one_d: bool) -> None:
        s = self.session
        stage = s.stage

        def write(px: int) -> None:
            self.sums.setText(
                sums_html(
                    step,
                    blocks,
                    s.playhead.revealed,
                    stage.use_bias,
                    px,
                    stage.activation_names,
                    output_line=not one_d,
                )
            )

        px = self._sums_px or self.font_px
        write(px)
        room = self.height() * self.SUMS_SHARE
        while px > 18 and not one_d and self.sums.heightForWidth(self.sums.width()) > room:
            px = max(18, px - 3)
            write(px)
        self._sums_px = px  # kept while the panel keeps its size: no font jumping per step

    def _keep_grids_whole(self, one_d: bool) -> None:
        """Above the 1-D picture the grids take the height they need (at most a third of
        the panel): the picture does not squeeze their products out of view, nor they it."""
        self._fit_grids_to_height(one_d)
        needed = min(
            self.grids.heightForWidth(self.scroll.viewport().width()) + 2, self.height() // 3
        )
        self.scroll.setMinimumHeight(needed if one_d else 0)
        self.scroll.setMaximumHeight(needed if one_d else 16777215)  # the rest for the picture

    def _fit_grids_to_height(self, one_d: bool) -> None:
        """The grids' cells shrink so that every row of every channel shows above the sums,
        or above the 1-D picture (they scroll only below readable cells)."""
        # Above the 1-D picture, the grids have a third of the panel.
        fit = float(self.height() // 3 - 4) if one_d else float(self.scroll.viewport().height())
        if fit != self.grids.fit_height:
            self.grids.fit_height = fit
            self.grids.updateGeometry()
            self.grids.update()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll.viewport():
            self._fit_grids_to_height(self._showing_textbook())
        return False

    def _showing_textbook(self) -> bool:
        return self._textbook is not None and self._textbook.isVisibleTo(self)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._sums_px is not None and self._sums_px < self.font_px:
            # Another height: the sums may take more of their size again, once the resize
            # is done (presentation mode measures them before the window fills the screen).
            self._sums_px = None
            QTimer.singleShot(0, self, self._rewrite_sums)
        self._keep_grids_whole(self._showing_textbook())

    def _draw_textbook(self, step, stage) -> None:
        """The step as the textbook draws it, on the channel the input view shows."""
        s = self.session
        picture = sliding_kernel(s.walk, step, s.view.channel)
        shown = float(s.activated(np.array([step.output]))[0])
        self.textbook.show_picture(
            s.walk, picture, step.filter, s.playhead.revealed, stage.activation_names, shown
        )

    def text(self) -> str:
        """The panel's words and numbers without markup (for tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.sums.text())
        grids = []
        for block in self.grids.blocks:
            grids.append(block.title)
            if block.mode != "products":
                grids.append(" ".join(fmt(v) for v in block.window.ravel()))
                continue
            grids.append(block.kernel_title)
            products = block.products.ravel()
            grids.append(" ".join("?" if block.hidden else fmt(v) for v in products))
        return "\n".join(grids) + "\n" + doc.toPlainText()
