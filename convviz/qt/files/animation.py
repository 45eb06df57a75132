"""Animations: the stepping rendered from the views a user sees, written as GIF or MP4.

One frame per step exported, in order. The file is written next to its place and renamed when
complete, so a cancelled or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QWidget

from ...io.atomic import atomic_path

FORMATS = (".gif", ".mp4")
PARTS = {
    "stage": "the stage: input, computation (or lens), map and caption",
    "input": "the input alone",
    "computation": "the computation (or the lens) alone",
    "map": "the feature map alone",
}
"""What an animation can show, from the window."""
TRANSPARENT = 255  # the palette index a GIF frame leaves see-through (the palette has 255 colours)
LONG_EXPORT_FRAMES = 1000
"""Past this many frames an export says how long it will be and asks for a range first."""


class ExportCancelled(Exception):
    """The user stopped an export; nothing was written."""


def widget_rgb(widget: QWidget) -> np.ndarray:
    """What ``widget`` shows, as an ``(h, w, 3)`` uint8 array.

    Without a display (``offscreen``, as ``convviz animate`` runs) the window's own backing
    store is read: it holds what the last paint drew, and each step repaints only what it
    changed, where ``grab`` would paint the whole widget again for every frame. On a screen
    another window may cover this one, so there the widget is painted afresh.
    """
    if QGuiApplication.platformName() == "offscreen" and widget.isVisible():
        window = widget.window()
        corner = widget.mapTo(window, widget.rect().topLeft())
        screen = window.screen() or QGuiApplication.primaryScreen()
        picture = screen.grabWindow(
            window.winId(), corner.x(), corner.y(), widget.width(), widget.height()
        )
    else:
        picture = widget.grab()
    image = picture.toImage().convertToFormat(QImage.Format.Format_RGB888)
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


def frame_count(first: int, last: int, every: int = 1) -> int:
    """How many frames positions ``first..last`` make, one every ``every`` steps."""
    return len(range(first, last + 1, max(1, every)))


def length_text(frames: int, fps: float) -> str:
    """``256 frames, 1:04 at 4 frames a second``."""
    seconds = round(frames / fps)
    return f"{frames} frames, {seconds // 60}:{seconds % 60:02d} at {fps:g} frames a second"


def part_widget(window, part: str) -> QWidget:
    """The widget of the window that ``part`` (one of ``PARTS``) names."""
    widgets = {
        "stage": window.stage,
        "input": window.input_view,
        "computation": window.lenses,
        "map": window.feature_map,
    }
    if part not in widgets:
        raise ValueError(f"an animation shows one of {', '.join(PARTS)}, not {part!r}")
    return widgets[part]


def step_frames(
    window, first: int, last: int, every: int = 1, part: str = "stage"
) -> Iterator[np.ndarray]:
    """Frames of ``window``'s ``part`` (by default the stage: input, computation, map,
    caption) at positions first..last, one every ``every`` steps."""
    widget = part_widget(window, part)
    app = QApplication.instance()
    settle_paint(app)
    window.repaint()  # all painted once, now: each frame reads back what its step repainted
    shape = None
    for position in range(first, last + 1, max(1, every)):
        window.session.playhead.set_position(position)
        settle_paint(app)
        frame = widget_rgb(widget)
        shape = frame.shape if shape is None else shape
        yield frame if frame.shape == shape else fitted(frame, shape)


def fitted(frame: np.ndarray, shape) -> np.ndarray:
    """``frame`` cut or widened to ``shape`` (a view alone may grow or shrink a little as its
    title changes; an animation keeps the first frame's size), widened with its corner's
    colour, the window's background."""
    result = np.empty(shape, dtype=frame.dtype)
    result[...] = frame[0, 0]
    rows, cols = min(shape[0], frame.shape[0]), min(shape[1], frame.shape[1])
    result[:rows, :cols] = frame[:rows, :cols]
    return result


def settle_paint(app) -> None:
    """Let every paint a step asked for happen: a graphics scene reports its changes on the
    next turn of the event loop, and only then does its view ask to be painted."""
    for _ in range(3):
        app.processEvents()


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


def _encoded_beside(frames, encode, count: int, progress) -> int:
    """Hand each frame to ``encode`` on a second thread while the next one is rendered here
    (Qt paints on this thread; NumPy and Pillow let the other run meanwhile). A few frames
    wait at most, so memory stays flat; an error on either side stops both."""
    waiting: queue.Queue = queue.Queue(maxsize=3)
    failed: list[BaseException] = []

    def work() -> None:
        while (frame := waiting.get()) is not None:
            if not failed:
                try:
                    encode(frame)
                except BaseException as error:  # handed to the rendering thread
                    failed.append(error)

    worker = threading.Thread(target=work, name="frame encoder", daemon=True)
    worker.start()
    done = 0
    try:
        for frame in frames:
            if failed:
                break
            waiting.put(frame)
            done += 1
            _tick(progress, done, count)
    finally:
        waiting.put(None)
        worker.join()
    if failed:
        raise failed[0]
    return done


def _write_gif(temporary: str, frames, count: int, fps: float, progress) -> int:
    """Stream the frames into a GIF: one palette made from the first frame, then each frame
    stores only the rectangle that changed since the one before (memory stays flat)."""
    from PIL import GifImagePlugin, Image

    duration = round(1000 / fps)
    previous: np.ndarray | None = None
    palette: Image.Image | None = None
    with open(temporary, "wb") as stream:

        def encode(frame: np.ndarray) -> None:
            nonlocal previous, palette
            if palette is None:
                palette = _gif_palette(frame)
                first = _quantized(frame, palette)
                header, _ = GifImagePlugin.getheader(first, None, {"loop": 0, "duration": duration})
                stream.writelines(header)
                _write_gif_frame(stream, first, (0, 0), duration)
            else:
                top, left, bottom, right = _changed_box(previous, frame)
                box = (slice(top, bottom), slice(left, right))
                part = _quantized(frame[box], palette)
                # Pixels that did not change are left transparent: the frame before shows
                # through, and long runs of one index compress to almost nothing.
                unchanged = ~_changed_pixels(previous[box], frame[box])
                indices = np.array(part)
                indices[unchanged] = TRANSPARENT
                part = Image.fromarray(indices, mode="P")
                part.putpalette(palette.getpalette())
                _write_gif_frame(stream, part, (left, top), duration, TRANSPARENT)
            previous = frame

        written = _encoded_beside(frames, encode, count, progress)
        if not written:
            raise ValueError("there is no step to animate")
        stream.write(b";")  # the GIF trailer
    return written


def _gif_palette(frame: np.ndarray):
    """255 colours for the whole animation, from the first frame and the colour maps' ramps
    (the feature map fills in with colours the first frame may not show yet)."""
    from PIL import Image

    from ...colormaps import COLORMAPS, lookup_table

    ramps = np.concatenate([lookup_table(name) for name in COLORMAPS]).astype(np.uint8)
    width = frame.shape[1]
    rows = -(-len(ramps) // width)
    strip = np.zeros((rows * width, 3), dtype=np.uint8)
    strip[: len(ramps)] = ramps
    strip = np.repeat(strip.reshape(rows, width, 3), 4, axis=0)  # enough pixels to be kept
    canvas = np.concatenate([frame, strip])
    return Image.fromarray(canvas).quantize(colors=255, method=Image.Quantize.MEDIANCUT)


def _quantized(pixels: np.ndarray, palette):
    from PIL import Image

    return Image.fromarray(np.ascontiguousarray(pixels)).quantize(
        palette=palette, dither=Image.Dither.NONE
    )


def _changed_pixels(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Where any of a pixel's three channels differs (``any(axis=2)`` is several times
    slower on so short an axis)."""
    differ = before != after
    return differ[..., 0] | differ[..., 1] | differ[..., 2]


def _changed_box(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int]:
    """The rectangle ``(top, left, bottom, right)`` holding every pixel that changed (one
    pixel when none did: a frame must still be written to keep the timing)."""
    height = after.shape[0]
    rows_before, rows_after = before.reshape(height, -1), after.reshape(height, -1)
    rows = np.flatnonzero((rows_before != rows_after).any(axis=1))
    if rows.size == 0:
        return 0, 0, 1, 1
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    # Only the rows that changed are compared again, column by column.
    band = rows_before[top:bottom] != rows_after[top:bottom]
    cols = np.flatnonzero(band.any(axis=0).reshape(after.shape[1], -1).any(axis=1))
    return top, int(cols[0]), bottom, int(cols[-1]) + 1


def _write_gif_frame(
    stream, picture, offset: tuple[int, int], duration: int, transparency: int | None = None
) -> None:
    from PIL import GifImagePlugin

    # disposal 1: the frame stays, so the next one only draws what changed on top of it
    extra = {} if transparency is None else {"transparency": transparency}
    stream.writelines(
        GifImagePlugin.getdata(picture, offset, duration=duration, disposal=1, **extra)
    )


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
    every: int = 1,
    part: str = "stage",
) -> Path:
    """Render ``window``'s ``part`` (one of ``PARTS``) at positions first..last (one every
    ``every`` steps) and write them to ``path`` (GIF or MP4), streaming: memory does not grow
    with the number of frames.

    The window's own position is restored afterwards.
    """
    steps = window.session.playhead.steps
    check_range(first, last, steps)
    if every < 1:
        raise ValueError(f"every must be 1 or more steps, not {every}")
    part_widget(window, part)  # refuses an unknown part before anything is rendered
    before = window.session.playhead.position
    try:
        frames = step_frames(window, first, last, every, part)
        return write_animation(path, frames, frame_count(first, last, every), fps, progress)
    finally:
        window.session.playhead.set_position(before)
