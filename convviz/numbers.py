"""Numbers as students type them and as the app writes them (a bottom module: files, the model
and the window all write numbers the same way)."""

from __future__ import annotations

import math
import re

import numpy as np

MINUS = "−"
_CELL_SPLIT = re.compile(r"[\t,;]|\s+")


def parse_number(text: str) -> float:
    """A typed cell: ``3``, ``-0.5``, ``1e-3``, ``1/9``, ``−2`` (Unicode minus) or ``nan``.

    Raises ValueError with a short message that says what would work.
    """
    cleaned = text.strip().replace(MINUS, "-").replace(",", ".") if text else ""
    if not cleaned:
        raise ValueError("the cell is empty; type a number such as 3, -0.5 or 1/9")
    try:
        if cleaned.count("/") == 1:
            top, bottom = (float(part) for part in cleaned.split("/"))
            if bottom == 0:
                raise ValueError(f"{text.strip()!r} divides by zero; type a number such as 1/9")
            return top / bottom
        return float(cleaned)
    except ValueError as error:
        if "divides by zero" in str(error):
            raise
        raise ValueError(
            f"{text.strip()!r} is not a number; type something like 3, -0.5, 1e-3 or 1/9"
        ) from None


def parse_block(text: str) -> np.ndarray:
    """A pasted block of numbers (tab, comma, semicolon or space separated) as a 2-D array."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise ValueError("the clipboard holds no numbers")
    rows = []
    for r, line in enumerate(lines, start=1):
        cells = [c for c in _CELL_SPLIT.split(line.strip()) if c != ""]
        if not cells:
            raise ValueError(f"row {r} of the pasted block is empty")
        try:
            rows.append([parse_number(c) for c in cells])
        except ValueError as error:
            raise ValueError(f"row {r} of the pasted block: {error}") from None
    width = max(len(r) for r in rows)
    if any(len(r) != width for r in rows):
        raise ValueError("the pasted rows have different lengths; paste a rectangular block")
    return np.array(rows, dtype=np.float64)


def format_block(block: np.ndarray) -> str:
    """Cells as tab-separated text, one line per row, as spreadsheets paste them."""
    return "\n".join("\t".join(repr(float(v)) for v in row) for row in np.atleast_2d(block))


def fmt(value: float, decimals: int = 3) -> str:
    """A value written for a cell or a sentence: ``3``, ``0.6``, ``−1.25``, ``1.2e+06``, ``NaN``.

    Whole numbers drop their decimals, others keep at most ``decimals``; minus is Unicode's.
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    magnitude = abs(value)
    if magnitude >= 1e6 or (0 < magnitude < 10**-decimals):
        text = f"{value:.2e}"
    else:
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", MINUS)


def fmt_short(value: float, decimals: int) -> str:
    """``fmt`` with fewer decimals for a small cell, never an exponent: a value rounded keeps
    its zeros (1.002 → 1.00, 0.901 → 0.90: not to be read as exact), one that is not drops
    them (1, 0.5); with two, a value that would round to 0 keeps the decimals that reach its
    first digit (0.004 → 0.004, −0.0003; but 0.008 → 0.01), and below 0.0001 reads ``≈0``;
    with one, it is rounded (0.024 → 0). With three (or more), it is ``fmt`` itself."""
    if decimals >= 3:
        return fmt(value, decimals)
    magnitude = abs(float(value))
    # Rounded where that keeps a digit: heartbeat's −0.008 written whole had made its map's
    # every label smaller (one font per grid, fitted to the widest).
    if magnitude == 0 or magnitude >= 10**-decimals or not math.isfinite(magnitude):
        rounded = round(float(value), decimals)
        if math.isfinite(magnitude) and abs(rounded - value) > 1e-9 * max(magnitude, 1.0):
            # A rounded value keeps its zeros: "1" for 1.002 had read as exactly 1.
            return f"{rounded:.{decimals}f}".replace("-", MINUS)
        return fmt(value, decimals)
    if decimals == 1 or magnitude >= 0.5 * 10**-decimals:
        return fmt(round(float(value), decimals), decimals)
    first = -math.floor(math.log10(magnitude))  # the decimal of the first digit
    if first > 4:
        return "≈0"  # 0.00001 and smaller: too long for a cell (its tooltip says the value)
    return f"{float(value):.{first}f}".replace("-", MINUS)


SMALL_GRID = 0.01  # a grid whose largest |value| is below this is written scaled
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def scaled_for_reading(values: np.ndarray) -> tuple[np.ndarray, str]:
    """``values`` multiplied by the power of ten that brings their largest magnitude to
    between 1 and 10, and that multiplier written for the grid's title (``"1000"``, or
    ``"10⁵"`` past 10⁴), when every value is below ``SMALL_GRID``; else the values as they
    are and ``""``. A gradient of −0.0003 and 0.003 written whole had shrunk its grid's
    digits to 5 px; as ``1000 · dL/dW`` they read −0.3 and 3 (the title says exactly what
    the numbers are: a "× 10⁻³" beside it reads either way)."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.abs(values[np.isfinite(values)])
    largest = float(finite.max()) if finite.size else 0.0
    if largest == 0.0 or largest >= SMALL_GRID:
        return values, ""
    power = -math.floor(math.log10(largest))
    factor = str(10**power) if power <= 4 else f"10{str(power).translate(_SUPERSCRIPTS)}"
    return values * 10.0**power, factor
