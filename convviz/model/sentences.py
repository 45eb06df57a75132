"""The arithmetic of one step written out as a student reads it."""

from __future__ import annotations

import numpy as np

from .numbers import MINUS, fmt

MAX_TERMS = 12  # longer sums keep their first and last products around an ellipsis


def product_term(value: float, weight: float) -> str:
    """``0.5·0.2``, with a negative weight in brackets: ``1·(−1)``."""
    w = fmt(weight)
    return f"{fmt(value)}·{f'({w})' if w.startswith(MINUS) else w}"


def sum_sentence(values: np.ndarray, weights: np.ndarray, total: float) -> str:
    """``0·0.2 + 1·0.2 + … = 0.6``: every product when there are few, else the first and last."""
    terms = [product_term(v, w) for v, w in zip(values, weights, strict=True)]
    if len(terms) > MAX_TERMS:
        terms = [*terms[:4], "…", *terms[-2:]]
    return " + ".join(terms) + f" = {fmt(total)}"
