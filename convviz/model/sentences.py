"""The arithmetic of one step written out as a student reads it."""

from __future__ import annotations

import numpy as np

from ..numbers import MINUS, fmt

MAX_TERMS = 12  # longer sums keep their first and last products around an ellipsis


def product_term(value: float, weight: float) -> str:
    """``0.5·0.2``, with a negative weight in brackets: ``1·(−1)``."""
    w = fmt(weight)
    return f"{fmt(value)}·{f'({w})' if w.startswith(MINUS) else w}"


def _shortened(terms: list[str]) -> list[str]:
    return [*terms[:4], "…", *terms[-2:]] if len(terms) > MAX_TERMS else terms


def sum_sentence(values: np.ndarray, weights: np.ndarray, total: float | None) -> str:
    """``0·0.2 + 1·0.2 + … = 0.6``: every product when there are few, else the first and last.

    A ``total`` of None writes ``= ?`` (the class is still predicting it).
    """
    terms = _shortened([product_term(v, w) for v, w in zip(values, weights, strict=True)])
    return " + ".join(terms) + f" = {'?' if total is None else fmt(total)}"


def pool_sentence(kind: str, values: np.ndarray, weights: np.ndarray, output: float | None) -> str:
    """``max(1, 5, 0, 3) = 5`` or ``(1 + 5 + 0 + 3) / 4 = 2.25`` (``?`` while predicting).

    An average lists the cells it counts: without ``count_include_pad`` the padding is left out.
    """
    result = "?" if output is None else fmt(output)
    if kind == "max":
        sentence = f"max({', '.join(_shortened([fmt(v) for v in values]))}) = {result}"
        tie = output is not None and np.count_nonzero(values == output) > 1
        return sentence + ("  (a tie: the first is marked)" if tie else "")
    counted = [fmt(v) for v, w in zip(values, weights, strict=True) if w > 0]
    return f"({' + '.join(_shortened(counted))}) / {len(counted)} = {result}"
