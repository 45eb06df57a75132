"""A GIF decoded frame by frame is what the window showed at each step: each frame stores only
the rectangle that changed, with the unchanged pixels in it see-through."""

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QApplication

from convviz.qt.files.animation import _changed_box, export_animation, widget_rgb


def painted_afresh(widget) -> np.ndarray:
    """The window painted whole, now, as the screen shows it (frames are read back from what
    each step repainted; this paints everything again first)."""
    widget.window().repaint()
    return widget_rgb(widget)


def test_every_decoded_frame_is_the_window_at_that_step(qtbot, window, tmp_path):
    window.open_demo("cs231n")
    out = tmp_path / "cs.gif"
    export_animation(window, out, 1, 12, fps=5)
    shown = []
    for position in range(1, 13):  # the whole stage painted afresh at each step, as the truth
        window.session.playhead.set_position(position)
        QApplication.processEvents()
        shown.append(painted_afresh(window.stage))
    with Image.open(out) as gif:
        assert gif.n_frames == 12
        for i, expected in enumerate(shown):
            gif.seek(i)
            decoded = np.asarray(gif.convert("RGB")).astype(int)
            error = np.abs(decoded - expected).max(axis=2)
            # 255 palette colours: a pixel may move to a neighbouring colour, never elsewhere
            assert np.mean(error) < 4.0, f"frame {i + 1}"
            assert np.percentile(error, 99.5) <= 40, f"frame {i + 1}"
            if i:  # where the step changed the window, the frame shows the new pixels
                changed = np.any(expected != shown[i - 1], axis=2)
                assert changed.any() and np.mean(error[changed]) < 6, f"frame {i + 1}"
    assert out.stat().st_size < 12 * np.prod(shown[0].shape[:2]) / 8  # far below one byte a pixel


def test_the_changed_box_holds_every_changed_pixel():
    rng = np.random.default_rng(0)
    before = rng.integers(0, 255, (40, 60, 3), dtype=np.uint8)
    after = before.copy()
    after[7, 11, 2] = before[7, 11, 2] ^ 1
    after[30, 50] = 0 if before[30, 50].any() else 1
    assert _changed_box(before, after) == (7, 11, 31, 51)
    assert _changed_box(before, before) == (0, 0, 1, 1)
