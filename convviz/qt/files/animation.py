"""Animations: the stepping rendered from the views a user sees, written as GIF or MP4.

One frame per step exported, in order. The file is written next to its place and renamed when
complete, so a cancelled or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from ...io.atomic import atomic_path

FORMATS = (".gif", ".mp4")


class ExportCancelled(Exception):
    """The user stopped an export; nothing was written."""


def widget_rgb(widget: QWidget) -> np.ndarray:
    """What ``widget`` shows, as an ``(h, w, 3)`` uint8 array."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return (
        rows.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3).copy()
    )


def check_range(first: int, last: int, steps: int) -> None:
    """Refuse a step range that does not exist, in words."""
    if not (0 <= first <= last <= steps):
        raise ValueError(
            f"steps {first} to {last} do not exist: choose from 0 to {steps}, "
            "the first no later than the last"
        )


def step_frames(window, first: int, last: int) -> Iterator[np.ndarray]:
    """Frames of ``window``'s stage (input, computation, map, caption) at positions first..last."""
    app = QApplication.instance()
    for position in range(first, last + 1):
        window.session.playhead.set_position(position)
        app.processEvents()
        yield widget_rgb(window.stage)


def _even(frame: np.ndarray) -> np.ndarray:
    height, width = frame.shape[0] // 2 * 2, frame.shape[1] // 2 * 2
    return np.ascontiguousarray(frame[:height, :width])


def write_animation(
    path: str | os.PathLike,
    frames: Iterator[np.ndarray],
    count: int,
    fps: float = 4.0,
    progress: Callable[[int, int], bool] | None = None,
) -> Path:
    """Write ``count`` frames as an animated GIF or an MP4 video at ``fps`` frames a second.

    ``progress(done, count)`` is called after each frame; returning False cancels the export
    (``ExportCancelled``), and nothing is left on disk.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"an animation is a .gif or .mp4 file, not {path.name}")
    if not 0.1 <= fps <= 60:
        raise ValueError(f"choose from 0.1 to 60 frames per second, not {fps:g}")
    with atomic_path(path) as temporary:
        writer = _write_gif if suffix == ".gif" else _write_mp4
        written = writer(str(temporary), frames, count, fps, progress)
        if written != count:
            raise ValueError(f"rendered {written} frames instead of {count}")
    return path


def _tick(progress, done: int, count: int) -> None:
    if progress is not None and progress(done, count) is False:
        raise ExportCancelled("export cancelled")


def _write_gif(temporary: str, frames, count: int, fps: float, progress) -> int:
    from PIL import Image

    pictures = []
    for done, frame in enumerate(frames, start=1):
        picture = Image.fromarray(frame).quantize(colors=255, method=Image.Quantize.FASTOCTREE)
        pictures.append(picture)
        _tick(progress, done, count)
    if not pictures:
        raise ValueError("there is no step to animate")
    pictures[0].save(
        temporary,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=round(1000 / fps),
        loop=0,
        optimize=False,
    )
    return len(pictures)


def _write_mp4(temporary: str, frames, count: int, fps: float, progress) -> int:
    import imageio.v2 as imageio

    written = 0
    writer = imageio.get_writer(
        temporary,
        format="FFMPEG",
        mode="I",
        fps=fps,
        codec="libx264",
        quality=8,
        macro_block_size=2,
        ffmpeg_log_level="error",
    )
    try:
        for frame in frames:
            writer.append_data(_even(frame))
            written += 1
            _tick(progress, written, count)
    finally:
        writer.close()
    return written


def export_animation(
    window,
    path,
    first: int,
    last: int,
    fps: float = 4.0,
    progress: Callable[[int, int], bool] | None = None,
) -> Path:
    """Render ``window`` at positions first..last and write them to ``path`` (GIF or MP4).

    The window's own position is restored afterwards.
    """
    steps = window.session.playhead.steps
    check_range(first, last, steps)
    before = window.session.playhead.position
    try:
        return write_animation(
            path, step_frames(window, first, last), last - first + 1, fps, progress
        )
    finally:
        window.session.playhead.set_position(before)
