"""The words and numbers on the ``convviz`` command line, read with one-line errors."""

from __future__ import annotations


class CliError(Exception):
    """A problem to report in one line, with exit status 2."""


def parse_ints(text: str, name: str) -> int | tuple[int, ...]:
    """``"2"`` → 2, ``"1,2"`` → (1, 2)."""
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise CliError(f"{name} must be whole numbers separated by commas, got {text!r}") from None
    return values[0] if len(values) == 1 else values


def parse_padding(text: str):
    """``"1"``, ``"1,2"`` (per axis), ``"0:1,1:0"`` (before:after per axis) or a word."""
    if text.lower() in ("valid", "same", "full"):
        return text.lower()
    parts = []
    for part in text.split(","):
        try:
            pair = tuple(int(v) for v in part.split(":"))
        except ValueError:
            raise CliError(
                f"padding must be valid, same, full, or whole numbers like 1 or 1,2 or 0:1,1:0; "
                f"got {text!r}"
            ) from None
        if len(pair) > 2:
            raise CliError(f"padding per axis is one number or before:after, got {part!r}")
        parts.append(pair[0] if len(pair) == 1 else pair)
    return parts[0] if len(parts) == 1 and isinstance(parts[0], int) else parts


def parse_size(text: str) -> tuple[int, int]:
    """``1600x950`` → (1600, 950)."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise CliError(f"size must look like 1600x950, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise CliError(f"size must be from 200x200 to 8000x8000, got {text!r}")
    return width, height
