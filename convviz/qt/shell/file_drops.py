"""Files dropped on the window: a project opens, a picture or a table of numbers becomes the
input, with the same checks and messages as the File menu."""

from __future__ import annotations

from pathlib import Path

from ...io.arrays import IMAGE_SUFFIXES

PROJECT_SUFFIXES = (".convviz",)
DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".npy")


def drop_kind(path: str | Path) -> str | None:
    """What a dropped file is to the window: ``project``, ``image``, ``data``, or None."""
    suffix = Path(path).suffix.lower()
    if suffix in PROJECT_SUFFIXES:
        return "project"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in DATA_SUFFIXES:
        return "data"
    return None


def dropped_paths(mime) -> list[Path]:
    """The local files in a drag's ``QMimeData`` that the window can take."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if drop_kind(p) is not None]


def open_dropped(window, path: Path) -> bool:
    """Open or import ``path`` as the File menu would (``window``: the main window)."""
    from ..files.image_import import import_data, import_image

    kind = drop_kind(path)
    if kind == "project":
        return window.open_project(path)
    if kind == "image":
        return import_image(window, path)
    if kind == "data":
        return import_data(window, path)
    window.show_message(f"convviz cannot open {path.name}: drop a .convviz, an image or a table")
    return False
