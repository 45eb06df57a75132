"""Arrays in a generated script: written out as numbers when small, loaded from a ``.npy``
file beside the script when large."""

from __future__ import annotations

import json
import math

import numpy as np

INLINE_LIMIT = 100
"""Arrays with at most this many numbers are written into the script; larger ones go to a
``.npy`` file beside it (a 3×5×5 input and two 3×3×3 filters stay readable inline)."""

_WIDTH = 96  # a line of numbers is wrapped before this column


def number_text(value: float) -> str:
    """A float as Python text that reads back to the same float64: ``0.1``, ``-np.inf``."""
    value = float(value)
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "np.inf" if value > 0 else "-np.inf"
    return repr(value)


def _row(values: np.ndarray, column: int) -> str:
    """``[1.0, 2.0, ...]`` starting at ``column``, wrapped under its first number."""
    lines, line = [], ""
    for text in (number_text(v) for v in values):
        if line and column + 1 + len(line) + len(text) + 2 > _WIDTH:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {text}" if line else text
    lines.append(line)
    return "[" + ("\n" + " " * (column + 1)).join(lines) + "]"


def _nested(values: np.ndarray, column: int) -> str:
    """Nested lists as NumPy prints them, the last axis on one line, starting at ``column``."""
    if values.ndim == 1:
        return _row(values, column)
    parts = [_nested(part, column + 1) for part in values]
    return "[" + (",\n" + " " * (column + 1)).join(parts) + "]"


def array_literal(values: np.ndarray) -> str:
    """``np.array([...])`` holding exactly ``values`` (float64), one block per line."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1 or (values.ndim == 2 and values.shape[0] == 1):
        return f"np.array({_nested(values.reshape(values.shape or (1,)), 9)})"
    parts = [f"    {_nested(part, 4)}," for part in values]
    return "np.array([\n" + "\n".join(parts) + "\n])"


FOLDER = (
    "from pathlib import Path",
    "",
    "HERE = Path(__file__).parent  # the folder of this script, which holds its .npy files",
)
"""What a script with side files adds after its imports (``HERE`` is where they are)."""


class ArrayPlacer:
    """Decides, array by array, whether a script writes the numbers or loads a side file
    (``np.load(HERE / name)``, where the script defines ``HERE`` as in ``FOLDER``).

    Parameters
    ----------
    stem : str
        Side files are named ``{stem}_{variable}.npy``.
    inline_limit : int or None
        Arrays with more numbers than this go to side files; None writes every array inline.
    """

    def __init__(self, stem: str, inline_limit: int | None = INLINE_LIMIT) -> None:
        self.stem = stem
        self.inline_limit = inline_limit
        self.files: dict[str, np.ndarray] = {}

    def expression(self, variable: str, values: np.ndarray) -> str:
        """The expression that builds ``values`` in the script: a literal or ``np.load``."""
        values = np.asarray(values, dtype=np.float64)
        if self.inline_limit is None or values.size <= self.inline_limit:
            return array_literal(values)
        name = f"{self.stem}_{variable}.npy"
        self.files[name] = values
        return f"np.load(HERE / {json.dumps(name, ensure_ascii=False)})"
