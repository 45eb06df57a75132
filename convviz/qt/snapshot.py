"""The main window rendered to a PNG at a given step, with or without a display."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def ensure_platform() -> None:
    """Render offscreen when there is no display to show a window on."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def snapshot(demo_name: str, step: int, out: str | os.PathLike, size=(1600, 950)) -> Path:
    """Open the window on ``demo_name``, show ``step`` cells computed, and save it as PNG."""
    ensure_platform()
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    out = Path(out)
    if out.suffix.lower() != ".png":
        raise ValueError(f"a snapshot is a .png file, not {out.name}")
    if not out.parent.exists():
        raise ValueError(f"the folder {out.parent} does not exist")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(demo_name, persist=False)
    if not 0 <= step <= window.session.steps:
        window.close()
        raise ValueError(
            f"step {step} does not exist: {demo_name} has steps 0 to {window.session.steps}"
        )
    window.resize(*size)
    window.show()
    window.session.set_position(step)
    for _ in range(3):
        app.processEvents()
    picture = window.grab()
    partial = out.with_name(f".{out.name}.partial.png")
    try:
        if not picture.save(str(partial), "PNG"):
            raise ValueError(f"could not write {out}")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
        window.close()
    return out
