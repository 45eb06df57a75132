"""The main window rendered without anyone looking: snapshots and animations for the CLI."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ...model import Project
from ...model.lenses import lens_name


def ensure_platform() -> None:
    """Render offscreen when there is no display to show a window on, and keep Qt's own
    warnings (e.g. the offscreen plugin's "propagateSizeHints") off the command's stderr."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def only_serious(kind, _context, message: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(f"convviz: Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(only_serious)


@contextlib.contextmanager
def rendered_window(
    project: Project | None = None,
    size=(1600, 950),
    layer: int | None = None,
    lens: str | None = None,
) -> Iterator:
    """A main window on ``project`` (default: the first demo), shown at ``size``, closed
    afterwards; ``layer`` (a line of the stack's summary, 1 = the convolution) is the layer
    stepped (default: the project's), ``lens`` the lens drawn (default: the project's).

    It reads and writes none of the user's settings and keeps no autosave.
    """
    ensure_platform()
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .window_layout import apply_layout, layout_for_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(persist=False)
    try:
        if project is not None:
            window.files.load(project, None)
        if layer is not None:
            count = len(window.session.pipeline.layers)
            if not 1 <= layer <= count:
                raise ValueError(f"layer {layer} does not exist: the stack has 1 to {count}")
            window.session.set_stage(window.session.pipeline.stage_of_layer(layer))
        if lens is not None:
            window.set_lens(lens_name(lens))
        apply_layout(window, window.docks, layout_for_window(*size))
        window.bring_useful_dock_forward()
        window.show()
        app.processEvents()
        yield window
    finally:
        window.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()


def _checked_png(out) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise ValueError(f"a snapshot is a .png file, not {out.name}")
    if not out.parent.exists():
        raise ValueError(f"the folder {out.parent} does not exist")
    return out


def snapshot(
    out,
    step: int,
    project: Project | None = None,
    size=(1600, 950),
    layer: int | None = None,
    lens: str | None = None,
) -> Path:
    """Save the main window as it looks with ``step`` cells (of ``layer``) computed, through
    ``lens``."""
    from PySide6.QtWidgets import QApplication

    out = _checked_png(out)
    with rendered_window(project, size, layer, lens) as window:
        steps = window.session.playhead.steps
        if not 0 <= step <= steps:
            raise ValueError(f"step {step} does not exist: choose from 0 to {steps}")
        window.session.playhead.set_position(step)
        for _ in range(3):
            QApplication.processEvents()
        picture = window.grab()
        partial = out.with_name(f".{out.name}.partial.png")
        try:
            if not picture.save(str(partial), "PNG"):
                raise ValueError(f"could not write {out}")
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return out


def animate(
    out,
    project: Project | None = None,
    first: int | None = None,
    last: int | None = None,
    fps: float = 4.0,
    size=(1600, 950),
    progress=None,
    layer: int | None = None,
    every: int | None = None,
    lens: str | None = None,
    part: str = "stage",
) -> tuple[Path, int]:
    """Write the stepping from ``first`` to ``last`` (default: every step), one frame every
    ``every`` steps, as GIF or MP4. Without ``last`` or ``every``, a walk of more than
    ``LONG_EXPORT_FRAMES`` steps is refused with its length, so nobody renders for an hour
    by accident.

    Returns the file and the number of frames written.
    """
    from ..files.animation import LONG_EXPORT_FRAMES, export_animation, frame_count, length_text

    with rendered_window(project, size, layer, lens) as window:
        steps = window.session.playhead.steps
        first_step = 1 if first is None else first
        last_step = steps if last is None else last
        count = frame_count(first_step, last_step, every or 1)
        if last is None and every is None and count > LONG_EXPORT_FRAMES:
            raise ValueError(
                f"animating every step makes {length_text(count, fps)}; choose a range with "
                "--from/--to or every k-th step with --every K"
            )
        path = export_animation(window, out, first_step, last_step, fps, progress, every or 1, part)
    return path, count
