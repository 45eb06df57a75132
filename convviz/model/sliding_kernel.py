"""The textbook picture of a 1-D convolution step: the kernel slid under x[k] on the same axis.

Signals textbooks draw ``y[n] = Σₖ x[k]·h[n−k]`` as two stem plots over one axis ``k``: the
input ``x[k]``, and under it the kernel flipped and shifted to ``n``, ``h[n−k]``; the products
where they overlap add up to ``y[n]``. A cross-correlation (PyTorch's ``conv1d``) slides the
kernel as it is, ``w[k−n]``. Stride, padding and dilation move the kernel by other amounts: the
index is written out with them (``h[2n+1−k]``, ``w[(k−n)/2]``), and with the numbers of the step
plugged in (``h[7−k]``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Step
from ..engine.window import window_view
from ..numbers import fmt
from .captions import fmt_int


@dataclass(frozen=True)
class SlidingKernel:
    """One step of a 1-D convolution as the textbook draws it, for one input channel.

    Positions ``k`` are counted in the unpadded signal's frame: ``k < 0`` or ``k ≥ length`` is
    padding.

    Attributes
    ----------
    n : int
        The output index computed (the feature map's cell).
    channel : int
        The input channel drawn (0-based).
    flip : bool
        True convolution (the kernel flipped, ``numpy.convolve``) or cross-correlation (as is).
    k, x, padding : numpy.ndarray
        Every position of the padded signal, ``x[k]`` there (what the padding mode put in the
        padding) and whether it is padding.
    taps, kernel_index, weights, products : numpy.ndarray
        Where the kernel's entries sit for this step, which entry ``m`` sits there, its value
        ``h[m]`` and the product ``x[k]·h[m]``.
    channel_sum : float
        The sum of ``products``.
    others : float
        The products of the other input channels the filter reads, summed (0 with one).
    bias : float
        The filter's bias.
    output : float
        ``y[n]`` = ``channel_sum + others + bias``, the feature map's value before any activation.
    symbol : str
        The kernel's index in terms of ``n`` and ``k``: ``h[n−k]``, ``w[k−2n+1]``.
    plugged : str
        The same with this step's ``n`` plugged in: ``h[5−k]``.
    legend : str
        ``h[n−k], the kernel flipped`` or ``w[k−n], the kernel as is (cross-correlation)``.
    """

    n: int
    channel: int
    flip: bool
    k: np.ndarray
    x: np.ndarray
    padding: np.ndarray
    taps: np.ndarray
    kernel_index: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    channel_sum: float
    others: float
    bias: float
    output: float
    symbol: str
    plugged: str
    legend: str

    def sum_text(self, revealed: bool = True, activations=(), shown: float | None = None) -> str:
        """``y[5] = Σₖ x[k]·h[7−k] = 0.4``: :meth:`sum_lines` on one line."""
        return " ".join(self.sum_lines(revealed, activations, shown))

    def sum_lines(
        self, revealed: bool = True, activations=(), shown: float | None = None
    ) -> tuple[str, str]:
        """``("y[5] = Σₖ x[k]·h[7−k]", "= 0.4")``: the formula, then its value, the other
        channels' share and the bias added in when there are any, then the stage's
        ``activations`` ending in ``shown`` (the feature map's value); ``?`` for every number
        while a class predicts."""

        def number(value: float) -> str:
            return fmt(value) if revealed else "?"

        terms, parts = [f"Σₖ x[k]·{self.plugged}"], [number(self.channel_sum)]
        if self.others != 0:
            terms.append("other channels")
            parts.append(number(self.others))
        if self.bias != 0:
            terms.append("bias")
            parts.append(fmt(self.bias))
        sums = " + ".join(parts) + " = " if len(parts) > 1 else ""
        value = f"= {sums}{number(self.output)}"
        if activations:
            after = number(self.output if shown is None else shown)
            value += f" → {' → '.join(activations)} → {after}"
        return f"y[{self.n}] = {' + '.join(terms)}", value


def _signed(value: int) -> str:
    """``+2``, ``−1``, or nothing for 0: a constant added to an index."""
    return "" if value == 0 else f"+{value}" if value > 0 else f"−{-value}"


def _scaled_n(stride: int) -> str:
    return "n" if stride == 1 else f"{stride}n"


def _over(inner: str, dilation: int) -> str:
    return inner if dilation == 1 else f"({inner})/{dilation}"


def kernel_index_text(flip: bool, stride: int, pad: int, dilation: int, taps: int, n=None) -> str:
    """The kernel's index at position ``k`` for output ``n`` (symbolic when ``n`` is None).

    Convolution: entry ``m`` sits at ``k = s·n − p + d·(taps − 1 − m)``, so ``m = (s·n + off −
    k)/d`` with ``off = d·(taps−1) − p``. Cross-correlation: at ``k = s·n − p + d·m``, so
    ``m = (k − s·n + p)/d``.
    """
    if flip:
        offset = dilation * (taps - 1) - pad
        if n is None:
            inner = f"{_scaled_n(stride)}{_signed(offset)}−k"
        else:
            centre = stride * n + offset
            inner = "−k" if centre == 0 else f"{fmt_int(centre)}−k"
        return f"h[{_over(inner, dilation)}]"
    shift = _signed(pad) if n is None else _signed(pad - stride * n)
    inner = f"k−{_scaled_n(stride)}{shift}" if n is None else f"k{shift}"
    return f"w[{_over(inner, dilation)}]"


def sliding_kernel(walk, step: Step, channel: int | None = None) -> SlidingKernel:
    """The textbook picture of ``step`` of a 1-D convolution ``walk`` (a ``Stepper``).

    Parameters
    ----------
    walk : convviz.engine.Stepper
        A 1-D convolution's walk (its ``geometry.nd`` is 1).
    step : Step
        One of its steps.
    channel : int, optional
        The input channel to draw, when the step reads it; else the first channel it reads.

    Returns
    -------
    SlidingKernel
        The picture's numbers: ``output`` equals ``step.output``.
    """
    g = walk.geometry
    if g.nd != 1:
        raise ValueError(f"the sliding-kernel picture is for 1-D signals, not {g.nd}-D inputs")
    read = step.taps[:, 0]
    if channel is None or channel not in read:
        channel = int(read[0])
    mine = read == channel
    (before, _after), length = g.pads[0], g.size[0]
    stride, dilation, taps = g.stride[0], g.dilation[0], g.kernel[0]
    k = np.arange(-before, -before + g.padded_size[0])
    x = np.asarray(walk.padded[channel], dtype=np.float64)
    positions = step.taps[mine, 1].astype(int)
    j = np.arange(taps)  # tap j of the window sits d·j cells from its first cell
    kernel_index = taps - 1 - j if g.flip else j
    products = np.asarray(step.products[mine], dtype=np.float64)
    others = float(np.sum(step.products[~mine]))
    n = int(step.out_index[0])
    index = (g.flip, stride, before, dilation, taps)
    symbol = kernel_index_text(*index)
    what = "the kernel flipped" if g.flip else "the kernel as is (cross-correlation)"
    return SlidingKernel(
        n=n,
        channel=channel,
        flip=g.flip,
        k=k,
        x=x,
        padding=(k < 0) | (k >= length),
        taps=positions,
        kernel_index=kernel_index,
        weights=np.asarray(step.weights[mine], dtype=np.float64),
        products=products,
        channel_sum=float(products.sum()),
        others=others,
        bias=float(step.bias),
        output=float(step.output),
        symbol=symbol,
        plugged=kernel_index_text(*index, n=n),
        legend=f"{symbol}, {what}",
    )


def value_ranges(walk, filter_index: int, channel: int) -> tuple[tuple[float, float], ...]:
    """The ``(low, high)`` of ``x[k]``, of the kernel's entries and of every product of channel
    ``channel`` with filter ``filter_index``'s kernel over all its steps, 0 included: axes that
    stay put while the kernel slides."""
    g = walk.geometry
    x = np.asarray(walk.padded[channel], dtype=np.float64)
    weights = np.asarray(
        walk.effective_weight[filter_index, channel % g.channels_per_group], dtype=np.float64
    )
    windows = window_view(x, g)  # (outputs, taps), no copy
    with np.errstate(invalid="ignore", over="ignore"):
        products = windows * weights

    def span(values: np.ndarray) -> tuple[float, float]:
        finite = values[np.isfinite(values)]
        if not finite.size:
            return (0.0, 0.0)
        return (min(float(finite.min()), 0.0), max(float(finite.max()), 0.0))

    return span(x), span(weights), span(products)
