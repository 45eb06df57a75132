"""Copies of large arrays made in memory that earlier copies no longer use.

A typed cell of a 2048×2048 photo makes three new 32 MB arrays (the input, its padded copy and
the map, each a copy with a few cells changed). Fresh memory of that size comes from the
operating system page by page (about eight thousand page faults, each zeroing its page), which
costs twice the copy itself. The copies of earlier edits die a few edits later (when undo no
longer keeps their documents computed): their memory is handed to the next copies instead.

A buffer is reused only when nothing refers to it any more: every NumPy array or view made
from it keeps a reference to it (its ``base``), so a buffer whose only owner is this module is
free. Memory that nobody uses is kept up to ``SPARE_BYTES``; the rest goes back.
"""

from __future__ import annotations

import sys
import threading

import numpy as np

LARGE_BYTES = 4 << 20  # smaller arrays are copied as usual: the allocator reuses their memory
SPARE_BYTES = 160 << 20  # free buffers kept for the next copies, at most
SLACK = 1.1  # a buffer up to this much larger than needed serves (padded and unpadded sizes)

_buffers: list[np.ndarray] = []  # every buffer handed out and not given back (uint8, 1-D)
_lock = threading.Lock()
_OWN_REFERENCES = 3  # the list, the loop's name, getrefcount's argument


def _unused() -> list[np.ndarray]:
    return [b for b in _buffers if sys.getrefcount(b) <= _OWN_REFERENCES]


def _keep_spare(keep: np.ndarray | None = None) -> None:
    """Give back the unused buffers past ``SPARE_BYTES`` (the largest first), all but ``keep``."""
    spare, gone = 0, set()
    for b in sorted(_unused(), key=lambda b: b.nbytes):
        if b is keep:
            continue
        if spare + b.nbytes <= SPARE_BYTES:
            spare += b.nbytes
        else:
            gone.add(id(b))
    if gone:
        _buffers[:] = [b for b in _buffers if id(b) not in gone]


def _buffer_for(nbytes: int) -> np.ndarray:
    with _lock:
        fitting = [b for b in _unused() if nbytes <= b.nbytes <= nbytes * SLACK]
        chosen = min(fitting, key=lambda b: b.nbytes) if fitting else None
        del fitting
        _keep_spare(keep=chosen)
        if chosen is None:
            chosen = np.empty(nbytes, dtype=np.uint8)
            _buffers.append(chosen)
        return chosen


def trim() -> None:
    """Give back the unused memory past ``SPARE_BYTES`` now (a smaller document was opened)."""
    with _lock:
        _keep_spare()


def copy_of(array: np.ndarray) -> np.ndarray:
    """A writeable, C-ordered copy of ``array`` (which it does not change)."""
    array = np.asarray(array)
    if array.nbytes < LARGE_BYTES or array.dtype.hasobject:
        return array.copy()
    buffer = _buffer_for(array.nbytes)
    result = buffer[: array.nbytes].view(array.dtype).reshape(array.shape)
    np.copyto(result, array)
    return result


def spare_bytes() -> int:
    """The memory kept for the next copies and used by no array (for tests and the bench)."""
    with _lock:
        return sum(b.nbytes for b in _unused())
