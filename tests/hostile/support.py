"""Running the ``convviz`` command as a user would, with hostile files, and judging its answer.

Every command runs in its own interpreter, with a memory cap and a time limit, so that a crash, a
memory blow-up or a hang fails the test instead of stopping the suite or the machine. The answer
is judged as a user reads it: the exit status, one plain sentence on stderr, the time it took, the
memory it used, and the user's files left exactly as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convviz.model import Session, save_project

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 4 * 2**30  # address space: a normal compute, snapshot and animate fit (checked)
PEAK_MIB = 1024  # "without GBs of memory": a refusal must not first fill a gigabyte
WITHIN = 20.0  # seconds: generous, so only a hang (or reading forever) fails
HARD_TIMEOUT = 60.0  # the command is killed after this long

JARGON = re.compile(
    r"Traceback|\b[A-Z][A-Za-z]*(Error|Exception|Warning)\b|NoneType|\bndarray\b|\bnumpy\b"
    r"|\bdtype\b|array is too big|Errno|\bstr\b|\bdict\b|\bfloat64\b|\bint64\b|object of type"
    r"|has no attribute|not subscriptable|invalid literal|unhashable|<class |\bQ[A-Z]\w+"
    r"|not iterable|dictionary update sequence|positional argument|keyword argument"
    r"|Maximum allowed dimension|could not broadcast|operands could not"
)
"""Words a student should never have to read in an error message."""


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def environment(tmp: Path) -> dict:
    """The user's environment, headless, with temporary files, settings and logs kept in ``tmp``
    (outside the folder whose files are checked)."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        TMPDIR=str(tmp),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_RUNTIME_DIR=str(tmp),
        CONVVIZ_DATA_DIR=str(tmp / "data"),
    )
    return env


@dataclass
class Run:
    """What one command did."""

    args: list
    code: int | None
    out: str
    err: str
    seconds: float
    peak_mib: float
    killed: bool = False

    def __str__(self) -> str:
        return (
            f"convviz {' '.join(map(str, self.args))}\n  exit status {self.code}"
            f"{' (killed: it hung)' if self.killed else ''}, {self.seconds:.1f} s, "
            f"peak {self.peak_mib:.0f} MiB\n  stderr: {self.err.strip()[-1500:]!r}\n"
            f"  stdout: {self.out.strip()[-300:]!r}"
        )


def run_python(
    argv: list, cwd: Path, tmp: Path, timeout: float = HARD_TIMEOUT, prefix=("-m", "convviz")
) -> Run:
    """``python -m convviz *argv`` (or another ``prefix``) in a fresh, capped interpreter.

    The child is reaped with ``wait4`` to learn its own peak memory; a timer kills it (and any
    children) if it runs past ``timeout``."""
    out_path, err_path = tmp / "stdout.txt", tmp / "stderr.txt"
    tmp.mkdir(parents=True, exist_ok=True)
    killed = threading.Event()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, *prefix, *map(str, argv)],
            cwd=cwd,
            env=environment(tmp),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=_cap_memory,
            start_new_session=True,
        )

        def kill():
            killed.set()
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
    return Run(
        list(argv),
        None if killed.is_set() else code,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        seconds,
        usage.ru_maxrss / 1024,
        killed.is_set(),
    )


def message_problems(err: str, words=(), *, code=2) -> list[str]:
    """What is wrong with ``err`` as the one line a failing command prints (empty: nothing).

    ``words``: each entry is a word the message must contain (case-insensitive), or a tuple of
    words of which one must appear."""
    problems = []
    lines = err.splitlines()
    if len(lines) != 1:
        problems.append(f"stderr has {len(lines)} lines, not one")
    if not err.startswith("convviz: error: "):
        problems.append("stderr does not start with 'convviz: error: '")
    jargon = JARGON.search(err)
    if jargon:
        problems.append(f"the message uses jargon a student cannot read: {jargon.group(0)!r}")
    for word in words:
        choices = (word,) if isinstance(word, str) else tuple(word)
        if not any(choice.lower() in err.lower() for choice in choices):
            problems.append(f"the message names none of {choices}")
    return problems


def file_state(folder: Path) -> dict:
    """Every entry of ``folder`` (recursively) with its bytes (files), target (links) or kind,
    without following links or reading devices."""
    state = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            state[key] = ("link", os.readlink(path))
        elif path.is_dir():
            state[key] = ("folder", oct(path.stat().st_mode & 0o777))
        elif path.is_file():
            info = path.stat()
            small = info.st_size <= 2**20  # a user's result: compared byte for byte
            content = path.read_bytes() if small else (info.st_mtime_ns, info.st_ino)
            state[key] = ("file", info.st_size, content)
        else:
            state[key] = ("other",)
    return state


def describe_changes(before: dict, after: dict) -> list[str]:
    changes = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            changes.append(f"{name} was removed")
        elif name not in before:
            changes.append(f"{name} was left behind (a new file)")
        elif before[name] != after[name]:
            changes.append(f"{name} was changed")
    return changes


SENTINEL_NPY = np.arange(6.0).reshape(2, 3)


class Workspace:
    """A user's folder: input files, an existing output file that a failing command must not
    touch, and the commands run on them."""

    def __init__(self, tmp_path: Path):
        self.dir = tmp_path / "work"
        self.dir.mkdir()
        self.tmp = tmp_path / "scratch"
        self.tmp.mkdir()
        self.keep = self.dir / "result.npy"  # the user's earlier result
        np.save(self.keep, SENTINEL_NPY)
        self.keep_png = self.dir / "result.png"
        self.keep_png.write_bytes(b"\x89PNG\r\n\x1a\n not really, but the user's own bytes")
        self.keep_gif = self.dir / "result.gif"
        self.keep_gif.write_bytes(b"GIF89a the user's own animation")

    def path(self, name: str) -> Path:
        return self.dir / name

    def project(self, name: str = "x.convviz", demo: str = "letter-h", change=None) -> Path:
        """A valid project of ``demo`` written by convviz, then changed by ``change(dict)``
        (which may return a replacement document)."""
        path = self.dir / name
        save_project(path, Session(demo).to_project())
        if change is not None:
            document = json.loads(path.read_text())
            replaced = change(document)
            path.write_text(json.dumps(document if replaced is None else replaced))
        return path

    def run(self, *argv, timeout: float = HARD_TIMEOUT) -> tuple[Run, list[str]]:
        """Run ``convviz *argv`` in the folder; the run and how the folder changed."""
        before = file_state(self.dir)
        run = run_python(list(argv), self.dir, self.tmp, timeout)
        return run, describe_changes(before, file_state(self.dir))

    def refuse(self, *argv, words=(), within: float = WITHIN) -> Run:
        """Run ``convviz *argv`` and check that it refuses the way a user wants: exit status 2,
        one clear sentence naming ``words``, quickly, without filling the memory, and with
        every file in the folder as it was."""
        run, changes = self.run(*argv)
        problems = []
        if run.killed:
            problems.append(f"it hung: killed after {HARD_TIMEOUT:.0f} s")
        elif run.code == 0:
            problems.append("it succeeded (exit status 0) instead of refusing")
        elif run.code != 2:
            problems.append(f"exit status {run.code}, not 2")
        if run.code != 0:
            problems += message_problems(run.err, words)
        if run.seconds >= within:
            problems.append(f"it took {run.seconds:.1f} s (limit {within:.0f} s)")
        if run.peak_mib >= PEAK_MIB:
            problems.append(f"it used {run.peak_mib:.0f} MiB of memory to refuse")
        problems += changes
        assert not problems, "; ".join(problems) + "\n" + str(run)
        return run


# One interpreter that runs several commands, for the long tables of hand-edited fields: the
# same ``main`` as ``python -m convviz``, each command's output captured on its own.
DRIVER = r"""
import contextlib, io, json, sys, time
from convviz.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
        except BaseException as error:
            import traceback
            code = None
            err.write("UNCAUGHT " + "".join(traceback.format_exception(error)))
    results.append({"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue(),
                    "seconds": time.monotonic() - start})
print("RESULTS" + json.dumps(results))
"""


def run_many(commands: list[list[str]], cwd: Path, tmp: Path) -> tuple[Run, list[dict]]:
    """Run each of ``commands`` (argument lists) through ``main`` in one capped interpreter."""
    tmp.mkdir(parents=True, exist_ok=True)
    script = tmp / "driver.py"
    script.write_text(DRIVER)
    run = run_python([], cwd, tmp, prefix=(str(script), json.dumps(commands)))
    marker = run.out.rfind("RESULTS")
    results = json.loads(run.out[marker + len("RESULTS") :]) if marker >= 0 else []
    return run, results
