"""convviz benchmark: prints one JSON object of named figures, measured beside the peers.

Run with ``./scripts/bench`` (all sections) or ``./scripts/bench --only engine``. Times are
medians in milliseconds unless a name says otherwise; ``ratio_*`` is convviz's time divided by
the peer's in the same run (below 1.0: convviz is faster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc

import bench_reliability as bench_reliability_module
import numpy as np
from bench_reliability import bench_reliability


def median_ms(fn, budget_s: float = 0.6, max_runs: int = 15) -> float:
    """Median wall time of ``fn()`` in ms, over as many samples as fit the budget (at least 3).

    A sample times enough calls in a row to last about a millisecond (one call of a fast
    function is at the mercy of the timer and of whatever ran just before), and counts their
    mean."""
    t0 = time.perf_counter()
    fn()
    calls = max(1, min(1000, int(0.001 / max(time.perf_counter() - t0, 1e-7))))
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (len(times) < max_runs and time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) * 1000 / calls)
    return statistics.median(times)


def interleaved_ms(timed: dict, rounds: int = 3, **options) -> dict[str, list[float]]:
    """Each round times every function of ``timed`` in turn (``median_ms``): a ratio taken
    within a round compares runs made moments apart, so a machine that slows down meanwhile
    slows both sides."""
    rounds_ms: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(rounds):
        for name, fn in timed.items():
            rounds_ms[name].append(median_ms(fn, **options))
    return rounds_ms


def bench_engine(figures: dict) -> None:
    import cv2
    import torch
    from scipy import ndimage, signal

    from convviz.engine import Stepper, conv

    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        tag = np.dtype(dtype).name
        for n in (64, 512, 2048):
            image = rng.normal(size=(n, n)).astype(dtype)
            for k in (3, 7, 15):
                kernel = rng.normal(size=(k, k)).astype(dtype)
                x, w = image[None], kernel[None, None]
                key = f"map_{tag}_{n}px_{k}x{k}"
                # ndimage and cv2 alternate with convviz, three rounds (see interleaved_ms).
                times = interleaved_ms(
                    {
                        "ours": lambda x=x, w=w: conv(x, w),
                        "ndimage": lambda image=image, kernel=kernel: ndimage.correlate(
                            image, kernel, mode="constant"
                        ),
                        "cv2": lambda image=image, kernel=kernel: cv2.filter2D(
                            image, -1, kernel, borderType=cv2.BORDER_CONSTANT
                        ),
                    },
                    budget_s=0.3,
                )
                if n * n * k * k <= 512 * 512 * 49:
                    times["correlate2d"] = [
                        median_ms(
                            lambda image=image, kernel=kernel: signal.correlate2d(
                                image, kernel, mode="valid"
                            ),
                            max_runs=5,
                        )
                    ]
                ours = times.pop("ours")
                figures[f"{key}_ms"] = round(statistics.median(ours), 3)
                for peer, t in times.items():
                    figures[f"{key}_{peer}_ms"] = round(statistics.median(t), 3)
                    if len(t) == len(ours):
                        ratio = statistics.median(a / b for a, b in zip(ours, t, strict=True))
                    else:  # correlate2d: too slow for rounds, measured once
                        ratio = statistics.median(ours) / t[0]
                    figures[f"{key}_ratio_{peer}"] = round(ratio, 3)

    torch.set_num_threads(2)
    x = rng.normal(size=(3, 512, 512))
    w = rng.normal(size=(16, 3, 3, 3))
    for dtype in (np.float64, np.float32):
        tag = np.dtype(dtype).name
        xd, wd = x.astype(dtype), w.astype(dtype)
        xt, wt = torch.tensor(xd)[None], torch.tensor(wd)
        ours = median_ms(lambda xd=xd, wd=wd: conv(xd, wd, padding=1))
        with torch.inference_mode():
            theirs = median_ms(lambda xt=xt, wt=wt: torch.nn.functional.conv2d(xt, wt, padding=1))
        figures[f"multichannel_3x512px_16filters_{tag}_ms"] = round(ours, 3)
        figures[f"multichannel_3x512px_16filters_{tag}_torch_ms"] = round(theirs, 3)
        figures[f"multichannel_3x512px_16filters_{tag}_ratio_torch"] = round(ours / theirs, 3)

    for n in (64, 2048):
        stepper = Stepper(rng.normal(size=(1, n, n)), rng.normal(size=(1, 1, 3, 3)), padding=1)
        order = rng.integers(0, len(stepper), size=2000)
        t0 = time.perf_counter()
        for i in order:
            stepper[int(i)]
        figures[f"stepper_{n}px_us_per_step"] = round((time.perf_counter() - t0) / 2000 * 1e6, 2)
        figures[f"stepper_{n}px_partial_ms"] = round(
            median_ms(lambda s=stepper: s.partial(len(s) // 2)), 3
        )
        figures[f"stepper_{n}px_full_conv_ms"] = round(
            median_ms(lambda s=stepper: conv(s.input, s.weight, padding=1)), 3
        )
    figures["stepper_ratio_2048_to_64"] = round(
        figures["stepper_2048px_us_per_step"] / figures["stepper_64px_us_per_step"], 2
    )

    image = rng.normal(size=(1, 2048, 2048))
    kernel = rng.normal(size=(1, 1, 15, 15))
    tracemalloc.start()
    conv(image, kernel)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures["memory_2048px_15x15_peak_extra_bytes"] = peak
    figures["memory_2048px_15x15_peak_over_input"] = round(peak / image.nbytes, 2)


def _frame_ms(app, action, frames: int) -> float:
    """Median ms of ``action()`` until Qt has repainted what it changed (as in the app)."""
    return _frame_figures(app, action, frames)[0]


def _frame_figures(app, action, frames: int) -> tuple[float, float]:
    """Median and 90th percentile (ms) of ``action()`` until Qt has repainted what it
    changed, over ``frames`` frames."""
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        action()
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), float(np.percentile(times, 90))


def _zoom(window, cells: int) -> None:
    """Show about ``cells`` × ``cells`` cells in the input and map views, as a wheel zoom does."""
    from PySide6.QtCore import QRectF

    for grid in (window.input_view.grid, window.feature_map.grid):
        grid.box.setRange(QRectF(-0.5, -0.5, cells, cells), padding=0)


def bench_window(figures: dict) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from convviz.qt.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    window = MainWindow("letter-h", persist=False)
    window.resize(1600, 950)
    window.show()
    app.processEvents()
    figures["window_frames_measured_on"] = (
        f"the real main window at 1600×950, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}"
    )
    for n in (16, 64, 512, 2048):
        t0 = time.perf_counter()
        window.session.edits.change("bench", x=rng.integers(0, 10, size=(1, n, n)).astype(float))
        app.processEvents()
        if n == 2048:  # a photo: its first computation and first picture
            figures["window_first_computation_2048px_ms"] = round(
                (time.perf_counter() - t0) * 1000, 1
            )
        window.session.playhead.set_position(n * n // 3)
        if n == 64:
            _zoom(window, 20)
        app.processEvents()
        median, p90 = _frame_figures(app, window.session.playhead.step_forward, 60)
        figures[f"window_frame_{n}px_ms"] = round(median, 2)
        figures[f"window_frame_{n}px_p90_ms"] = round(p90, 2)
        figures[f"window_frame_{n}px_labels_drawn"] = window.input_view.grid.labels.labels_visible(
            window.input_view.grid.cell_px()
        )
    window.undo_stack.setClean()  # opening a demo must not stop at "save changes?"
    window.open_demo("cs231n")
    window.session.playhead.set_position(3)
    app.processEvents()
    median, p90 = _frame_figures(
        app,
        lambda: window.session.playhead.set_position(window.session.playhead.position % 17 + 1),
        60,
    )
    figures["window_frame_cs231n_ms"] = round(median, 2)
    figures["window_frame_cs231n_p90_ms"] = round(p90, 2)
    rng = np.random.default_rng(2)
    window.session.edits.change(
        "bench",
        x=rng.normal(size=(3, 64, 64)),
        weight=rng.normal(size=(8, 3, 3, 3)),
        bias=np.zeros(8),
    )
    window.session.playhead.set_position(1000)
    app.processEvents()
    figures["window_frame_3x64px_8filters_ms"] = round(
        _frame_ms(app, window.session.playhead.step_forward, 60), 2
    )
    window.undo_stack.setClean()
    window.open_demo("letter-h")
    window.session.edits.change("bench", x=rng.integers(0, 10, size=(1, 512, 512)).astype(float))
    counter = iter(range(10**6))
    figures["window_edit_one_cell_512px_ms"] = round(
        _frame_ms(
            app,
            lambda: window.session.edits.edit_cells("input", 0, 5, 5, [[float(next(counter))]]),
            15,
        ),
        2,
    )
    window.session.edits.change(
        "bench", x=rng.integers(0, 10, size=(1, 2048, 2048)).astype(float)
    )
    app.processEvents()
    figures["window_edit_one_cell_2048px_ms"] = round(
        _frame_ms(
            app,
            lambda: window.session.edits.edit_cells("input", 0, 5, 5, [[float(next(counter))]]),
            15,  # typing on: the first few edits take fresh memory, later ones reuse it
        ),
        2,
    )
    window.undo_stack.setClean()  # no "save changes?" question
    window.close()


def bench_startup(figures: dict, rounds: int = 5) -> None:
    """Start-up beside a bare ``import PySide6.QtWidgets, pyqtgraph``: the two alternate, and
    the ratio is the median of each round's ratio (a busy machine slows both alike).

    Measured twice: with bytecode cached for both (in a temporary ``PYTHONPYCACHEPREFIX``, as
    after installing or after any earlier run), and with ``PYTHONDONTWRITEBYTECODE=1`` and no
    prefix, where a source checkout without ``__pycache__`` compiles every convviz module at
    each start while the installed PySide6 and pyqtgraph keep their bytecode (this project's
    machines set that variable)."""
    import os
    import subprocess
    import tempfile

    bare = "import PySide6.QtWidgets, pyqtgraph"
    shown = (
        "import os; os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from convviz.qt.shell.main_window import MainWindow\n"
        "app = QApplication([]); w = MainWindow('letter-h'); w.show(); app.processEvents()"
    )

    def wall(code: str, env: dict) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)
        return (time.perf_counter() - t0) * 1000

    with tempfile.TemporaryDirectory() as cache:
        cached = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        cached.pop("PYTHONDONTWRITEBYTECODE", None)
        uncached = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        uncached.pop("PYTHONPYCACHEPREFIX", None)
        for tag, env in (("", cached), ("_no_bytecode", uncached)):
            wall(bare, env), wall(shown, env)  # fills the cache; warms the disk
            times = {bare: [], shown: []}
            ratios = []
            for _ in range(rounds):
                for code in (bare, shown):
                    times[code].append(wall(code, env))
                ratios.append(times[shown][-1] / times[bare][-1])
            figures[f"startup_window_shown{tag}_ms"] = round(statistics.median(times[shown]), 1)
            figures[f"startup_bare_import_pyside6_pyqtgraph{tag}_ms"] = round(
                statistics.median(times[bare]), 1
            )
            figures[f"startup_ratio_to_bare_import{tag}"] = round(statistics.median(ratios), 2)


def _four_layer_session(channels=3, n=128):
    """conv 3→8 3×3 (padding 1) → ReLU → max pool 2 → conv 8→16 3×3 (padding 1)."""
    from convviz.model import Session

    rng = np.random.default_rng(5)
    session = Session("letter-h")
    session.edits.change(
        "bench",
        x=rng.normal(size=(channels, n, n)),
        weight=rng.normal(size=(8, channels, 3, 3)),
        bias=rng.normal(size=8),
        use_bias=True,
    )
    session.edits.add_activation("relu")
    session.edits.add_pool("max", 2)
    session.edits.add_conv(16, 3, seed=0)
    return session


def bench_layers(figures: dict) -> None:
    import os

    import torch

    torch.set_num_threads(2)
    session = _four_layer_session()
    counter = iter(range(10**6))

    def edit_then_summary() -> None:  # layer 1 stepped; the Layers panel's table is redrawn
        session.edits.edit_cells("input", 0, 5, 5, [[float(next(counter))]])
        session.pipeline.summary()

    figures["stack_4_layers_3x128px_edit_ms"] = round(median_ms(edit_then_summary), 2)
    session.set_stage(2)  # the second convolution is stepped: its walk is rebuilt too
    x = session.document.x.copy()

    def edit_deep() -> None:
        x[0, 5, 5] = float(next(counter))
        session.edits.change("bench", x=x.copy())
        session.final_map()
        session.current  # noqa: B018 - the step the views draw

    figures["stack_4_layers_3x128px_edit_stepping_layer_4_ms"] = round(median_ms(edit_deep), 2)
    layers = session.pipeline.layers
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1, dtype=torch.float64),
    )
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(layers[0].weight))
        model[0].bias.copy_(torch.tensor(layers[0].bias))
        model[3].weight.copy_(torch.tensor(layers[3].weight))
        model[3].bias.copy_(torch.tensor(layers[3].bias))
        xt = torch.tensor(session.document.x)[None]
        np.testing.assert_allclose(
            model(xt)[0].numpy(), session.pipeline.outputs[-1], rtol=1e-9, atol=1e-9
        )
        peer = median_ms(lambda: model(xt))
    figures["stack_4_layers_3x128px_torch_forward_ms"] = round(peer, 2)
    figures["stack_4_layers_3x128px_edit_ratio_torch_forward"] = round(
        figures["stack_4_layers_3x128px_edit_ms"] / peer, 2
    )

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from convviz.qt.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow("letter-h", persist=False)
    window.resize(1600, 950)
    window.show()
    bench = _four_layer_session(n=64)
    window.session.open_project(bench.to_project())
    for stage, name in ((1, "maxpool"), (2, "conv")):
        window.step_layer(stage)
        window.session.playhead.set_position(500)
        app.processEvents()
        figures[f"window_frame_3x64px_layer_{name}_ms"] = round(
            _frame_ms(app, window.session.playhead.step_forward, 60), 2
        )
    window.step_layer(0)
    window.session.open_project(session.to_project())  # 3×128²
    window.step_layer(0)
    window.layers_dock.raise_()  # the summary table is redrawn after every edit
    app.processEvents()
    figures["window_stack_4_layers_3x128px_edit_one_cell_ms"] = round(
        _frame_ms(
            app,
            lambda: window.session.edits.edit_cells("input", 0, 5, 5, [[float(next(counter))]]),
            15,
        ),
        2,
    )
    window.undo_stack.setClean()
    window.close()


def bench_exports(figures: dict) -> None:
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from convviz.model import Document, Project
    from convviz.qt.shell.main_window import MainWindow
    from convviz.qt.shell.render import animate

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        gif = Path(folder) / "letter-h.gif"
        t0 = time.perf_counter()
        _, frames = animate(gif, Project(Document.from_demo("letter-h")))
        seconds = time.perf_counter() - t0
        figures["gif_letter_h_all_steps_frames"] = frames
        figures["gif_letter_h_all_steps_s"] = round(seconds, 2)
        figures["gif_letter_h_frames_per_s"] = round(frames / seconds, 1)
        figures["gif_letter_h_bytes"] = gif.stat().st_size

        # The same export as a command of its own, with its own peak memory (the child's
        # ru_maxrss, KiB on Linux; the bench's process holds every other section's arrays).
        for name, suffix in (("gif", ".gif"), ("mp4", ".mp4")):
            out = Path(folder) / f"letter-h-command{suffix}"
            t0 = time.perf_counter()
            command = ["animate", "--demo", "letter-h", "--out", str(out)]
            child = subprocess.Popen(
                [sys.executable, "-m", "convviz", *command],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                raise RuntimeError(f"convviz {' '.join(command)} failed ({child.returncode})")
            figures[f"{name}_letter_h_command_s"] = round(time.perf_counter() - t0, 2)
            figures[f"{name}_letter_h_command_bytes"] = out.stat().st_size
            figures[f"{name}_letter_h_command_peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)

        png = Path(folder) / "snapshot.png"
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "convviz", "snapshot", "--step", "120", "--out", str(png)],
                check=True,
                capture_output=True,
            )
            runs.append(time.perf_counter() - t0)
        figures["snapshot_command_s"] = round(statistics.median(runs), 2)

    window = MainWindow("letter-h", persist=False)
    window.show()
    photo = np.random.default_rng(1).integers(0, 256, size=(1, 128, 128)).astype(float)
    window.session.edits.replace_input(photo, "bench photo")
    window.session.playhead.set_position(5000)
    app.processEvents()
    figures["photo_128px_3x3_frame_ms"] = round(
        _frame_ms(app, window.session.playhead.step_forward, 120), 2
    )
    window.undo_stack.setClean()
    window.close()


SECTIONS = {
    "engine": bench_engine,
    "window": bench_window,
    "startup": bench_startup,
    "layers": bench_layers,
    "exports": bench_exports,
    "reliability": bench_reliability,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append")
    parser.add_argument(
        "--long", action="store_true", help="reliability: also a GIF of all 16384 steps"
    )
    args = parser.parse_args()
    bench_reliability_module.LONG_WALK = args.long
    figures: dict = {}
    for name in args.only or SECTIONS:
        SECTIONS[name](figures)
    json.dump(figures, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
