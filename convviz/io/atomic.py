"""Files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed onto ``path`` if the block ends normally.

    On an error (or a cancelled export) the temporary file is removed and ``path`` is left as
    it was. The new file gets the usual permissions (as ``open`` would give it).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"the folder {path.parent} does not exist")
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give the name of a file to write")
    remove_leftovers(path)
    handle, name = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=path.suffix or ".tmp", dir=path.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


LEFTOVER_AGE_S = 600
"""A temporary file this old beside its destination was left by a write that was killed."""


def remove_leftovers(path: Path) -> int:
    """Remove temporary files that killed writes of ``path`` left beside it; how many."""
    removed = 0
    pattern = f".{path.stem}.*{path.suffix or '.tmp'}"
    for leftover in path.parent.glob(pattern):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > LEFTOVER_AGE_S:
                leftover.unlink()
                removed += 1
    return removed
