"""The reliability section of the benchmark: peak memory and time of the worst inputs.

Each case runs ``convviz`` in its own process, so its peak resident memory is its own
(``ru_maxrss`` of that child, from ``os.wait4`` in a small launcher process). Run with
``./scripts/bench --only reliability``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A small process that runs convviz as its own child and writes the child's peak memory:
# Linux keeps a process's peak across exec, so a child forked straight from this (large)
# benchmark would report the benchmark's own peak.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "convviz", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run(argv: list[str]) -> tuple[float, float, int, str]:
    """Seconds, peak MiB, exit status and the last stderr line of ``convviz argv``, the peak
    measured for that process alone."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(peak_file), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        seconds = time.perf_counter() - t0
        peak_kib = int(peak_file.read_text())
    message = (done.stderr.strip().splitlines() or [""])[-1]
    return seconds, peak_kib / 1024, done.returncode, message


def _project(folder: Path, change, name: str) -> Path:
    from convviz.model import Session, save_project

    path = save_project(folder / name, Session("letter-h").to_project())
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


LONG_WALK = False
"""Also export all 16384 steps of a 128×128 walk (about a quarter of an hour): ``--long``."""


def bench_reliability(figures: dict) -> None:
    """The worst project, a pixel bomb and long GIF exports: time, peak memory, exit status."""
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        padded = _project(
            folder,
            lambda d: d["settings"].update(padding=[[10000, 10000], [10000, 10000]]),
            "padding.convviz",
        )
        cases = {
            "worst_project_compute": ["compute", "--project", str(padded), "--out", "o.npy"],
            "worst_project_snapshot": ["snapshot", "--project", str(padded), "--out", "o.png"],
        }
        bomb = folder / "bomb.png"
        Image.new("RGB", (11000, 11000)).save(bomb)
        cases["pixel_bomb_compute"] = [
            "compute",
            "--input",
            str(bomb),
            "--kernel",
            "identity",
            "--out",
            "o.npy",
        ]
        header = folder / "huge.npy"
        with open(header, "wb") as stream:
            np.lib.format.write_array_header_1_0(
                stream, {"descr": "<f8", "fortran_order": False, "shape": (100000, 100000)}
            )
        cases["npy_declaring_1e10_cells_compute"] = [
            "compute",
            "--input",
            str(header),
            "--kernel",
            "identity",
            "--out",
            "o.npy",
        ]
        for name, argv in cases.items():
            argv = [a if a not in ("o.npy", "o.png") else str(folder / a) for a in argv]
            seconds, peak, status, message = _run(argv)
            figures[f"reliability_{name}_s"] = round(seconds, 2)
            figures[f"reliability_{name}_peak_mib"] = round(peak)
            figures[f"reliability_{name}_exit"] = status
            figures[f"reliability_{name}_says"] = message
        # GIF memory against frame count: flat means streamed (a 128×128 walk has 16384 steps).
        from convviz.model import Session, save_project

        session = Session("letter-h")
        session.edits.resize_input((128, 128))
        big = save_project(folder / "big.convviz", session.to_project())
        for every in (64, 8, 1) if LONG_WALK else (64, 8):
            out = folder / f"every{every}.gif"
            argv = [
                "animate",
                "--project",
                str(big),
                "--every",
                str(every),
                "--size",
                "1366x768",
                "--out",
                str(out),
            ]
            seconds, peak, status, _ = _run(argv)
            frames = len(range(1, 16385, every))
            figures[f"reliability_gif_{frames}_frames_s"] = round(seconds, 1)
            figures[f"reliability_gif_{frames}_frames_peak_mib"] = round(peak)
            figures[f"reliability_gif_{frames}_frames_mb"] = round(out.stat().st_size / 1e6, 1)
