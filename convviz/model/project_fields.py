"""The JSON fields of a project file: numbers and grids written and read back with checks.

Reading names the field (and the file) that is wrong, and refuses grids nested deeper than an
array convviz uses, numbers too large for a float, and grids past the size budget.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.limits import MAX_CELLS, cells_text

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
MAX_DEPTH = 5  # a layer's weight: (filters, channels, depth, rows, columns)


class ProjectError(ValueError):
    """A project file that cannot be read, with the reason in words."""


class NewerProjectError(ProjectError):
    """A project file saved by a newer convviz: keep it for that version."""


def encode(array: np.ndarray):
    """A grid as nested lists of JSON numbers (non-finite ones as words)."""

    def number(v: float):
        if math.isfinite(v):
            return int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")

    def walk(a):
        return [walk(b) for b in a] if a.ndim > 1 else [number(float(v)) for v in a]

    return walk(np.asarray(array, dtype=np.float64))


def plain(value):
    """Tuples as lists, NumPy numbers as Python's, for JSON."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    return value


def tuples(value):
    """JSON lists back to tuples (what the engine's layers hold)."""
    return tuple(tuples(v) for v in value) if isinstance(value, list) else value


class TooLargeNumber(str):
    """A number in the JSON text that no float can hold (``1e400``): kept as its text, so the
    field that holds it is named when it is read."""


def finite_float(text: str) -> float | TooLargeNumber:
    """A JSON number as a float, or ``TooLargeNumber`` (JSON has no infinity: ``1e400`` is a
    number too large, not ∞)."""
    value = float(text)
    return TooLargeNumber(text) if math.isinf(value) else value


def decode(value, name: str, where: str) -> np.ndarray:
    """Field ``name``'s grid of numbers (``"NaN"``, ``"Infinity"``, ``"-Infinity"`` allowed),
    checked: no deeper than ``MAX_DEPTH``, every number a float, within the size budget."""
    count = 0

    def walk(v, depth: int):
        nonlocal count
        if isinstance(v, list):
            if depth >= MAX_DEPTH:
                raise ProjectError(
                    f"{where}: field '{name}' is nested deeper than any grid convviz uses"
                )
            return [walk(u, depth + 1) for u in v]
        count += 1
        if count > MAX_CELLS:
            raise ProjectError(
                f"{where}: field '{name}' holds more than {cells_text(MAX_CELLS)} numbers, "
                "more than convviz works with"
            )
        if isinstance(v, TooLargeNumber):
            raise ProjectError(
                f"{where}: field '{name}' holds {v}, a number too large for convviz (past 1e308)"
            )
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise ProjectError(f"{where}: field '{name}' must hold numbers, found {v!r:.40}")
        if isinstance(v, str):
            if v not in _NON_FINITE:
                raise ProjectError(f"{where}: field '{name}' must hold numbers, found {v!r:.40}")
            return _NON_FINITE[v]
        try:
            return float(v)
        except OverflowError:
            raise ProjectError(
                f"{where}: field '{name}' holds a number too large for convviz (over 1e308)"
            ) from None

    try:
        array = np.array(walk(value, 0), dtype=np.float64)
    except ValueError as error:
        if isinstance(error, ProjectError):
            raise
        raise ProjectError(
            f"{where}: field '{name}' must be a rectangular grid of numbers (rows of equal length)"
        ) from None
    return array


_KIND_WORDS = {
    TooLargeNumber: "a number too large (past 1e308)",
    type(None): "null",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "an object (names and values)",
}


def kind_text(value) -> str:
    """What a JSON value is, in words: ``null``, ``text``, ``a list``..."""
    return _KIND_WORDS.get(type(value), "something else")


def required(document: dict, name: str, kind, where: str, label: str | None = None):
    """``document[name]``, which must be there and be of ``kind`` (``True`` is no number);
    ``label`` names it in messages (default ``name``)."""
    label = label or name
    if name not in document:
        raise ProjectError(f"{where}: field '{label}' is missing")
    value = document[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    wrong = isinstance(value, bool) and bool not in kinds
    if kind is not None and (wrong or not isinstance(value, kind)):
        wanted = " or ".join(_KIND_WORDS.get(k, k.__name__) for k in kinds)
        raise ProjectError(f"{where}: field '{label}' must be {wanted}, found {kind_text(value)}")
    return value


def whole_numbers(value, label: str, where: str, allow_none: bool = False):
    """A JSON whole number, or a list of them, as the engine's layers take them (tuples)."""
    if value is None and allow_none:
        return None
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        raise ProjectError(
            f"{where}: field '{label}' must be a whole number or a list of them, "
            f"found {kind_text(value)}"
        )
    return tuple(value) if isinstance(value, list) else value


def ints(settings: dict, name: str, nd: int, where: str) -> tuple[int, ...]:
    """``settings[name]`` as ``nd`` whole numbers."""
    value = required(settings, name, list, where, f"settings.{name}")
    if len(value) != nd or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ProjectError(f"{where}: field 'settings.{name}' needs {nd} whole number(s)")
    return tuple(value)
