"""Reading files with limits: regular files only, a byte limit per kind, and sizes checked
before anything large is read or decoded.

A link to an endless device, a folder given as a file, a 1 KB ``.npy`` whose header declares
100000×100000 cells, or a small PNG that unpacks to 11000×11000 pixels are refused in words
before they can fill the memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..engine.limits import MAX_CELLS, cells_text

MAX_BYTES = {
    "project": 256 * 2**20,
    "table": 64 * 2**20,
    "array": 8 * MAX_CELLS + 2**20,
    "image": 256 * 2**20,
    "weights": 8 * MAX_CELLS + 2**20,
}
"""The largest file of each kind convviz reads (a .npy, or all the weights of a weights file,
at most ``MAX_CELLS`` float64)."""

MAX_IMAGE_PIXELS = 64_000_000
"""The most pixels an image may have, checked from its header before it is decoded."""


def _size_text(count: int) -> str:
    return f"{count / 2**20:.0f} MB" if count >= 2**20 else f"{count / 2**10:.0f} KB"


def checked_file(path: str | os.PathLike, kind: str) -> tuple[Path, int]:
    """``path`` and its size if it is a regular file within the limit for ``kind``;
    ValueError (naming the file) otherwise."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ValueError(f"cannot open {path.name}: no such file in {path.parent}") from None
    except OSError as error:
        raise ValueError(f"cannot open {path.name}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ValueError(f"{path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"{path.name} is not a regular file (a device or a pipe); give a file")
    limit = MAX_BYTES[kind]
    if info.st_size > limit:
        raise ValueError(
            f"{path.name} is {_size_text(info.st_size)}, more than convviz reads as a {kind} "
            f"file ({_size_text(limit)})"
        )
    return path, info.st_size


def read_bytes(path: str | os.PathLike, kind: str) -> bytes:
    """The bytes of a regular file within the limit for ``kind`` (read at most that many,
    even if the file grows while it is read)."""
    path, _ = checked_file(path, kind)
    try:
        with open(path, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped since the check
                raise ValueError(f"{path.name} is not a regular file")
            data = stream.read(MAX_BYTES[kind] + 1)
    except OSError as error:
        raise ValueError(f"cannot open {path.name}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES[kind]:
        raise ValueError(f"{path.name} is larger than convviz reads as a {kind} file")
    return data


def check_cells(shape, name: str) -> None:
    """Refuse an array of ``shape`` past the engine's budget before it is read."""
    count = 1
    for n in shape:
        count *= int(n)
    if count > MAX_CELLS:
        shape_text = "×".join(str(int(n)) for n in shape)
        raise ValueError(
            f"{name} holds {shape_text} = {cells_text(count)} numbers; convviz works with up "
            f"to {cells_text(MAX_CELLS)} cells per array"
        )


def check_pixels(rows: int, cols: int, name: str) -> None:
    """Refuse an image with more than ``MAX_IMAGE_PIXELS`` pixels before it is decoded
    (Pillow itself only warns below twice its own limit)."""
    if rows * cols > MAX_IMAGE_PIXELS:
        raise ValueError(
            f"{name} is {cols}×{rows} = {cells_text(rows * cols)} pixels, more than convviz "
            f"opens ({cells_text(MAX_IMAGE_PIXELS)}); shrink it first"
        )
