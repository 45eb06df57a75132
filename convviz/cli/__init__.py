"""The ``convviz`` command: opens the app, or works headless with a subcommand.

``convviz [window] [--demo NAME] [FILE.convviz]`` opens the window; ``convviz compute ...``
writes a feature map; ``convviz code`` writes a script that computes it in PyTorch or NumPy;
``snapshot`` and ``animate`` render the window; ``convviz list`` names the
demos and presets. One parser reads them all, and every subcommand builds its document the way
the window does: the same Document, changed by the same edits. Errors are one line on stderr
and exit status 2.
"""

from __future__ import annotations

import contextlib
import sys
import time

from ..engine import DEMOS, INPUTS, KERNELS
from ..io.arrays import save_map
from ..model import Pipeline
from .arguments import CliError, parse_size
from .code import run_code
from .document import build_project
from .parser import build_parser

SUBCOMMANDS = ("window", "compute", "code", "list", "snapshot", "animate")

__all__ = ["CliError", "build_parser", "main"]


@contextlib.contextmanager
def ctrl_c_between_frames():
    """While the window renders, Ctrl+C only raises a flag (a KeyboardInterrupt raised inside
    Qt's painting would crash the interpreter); the renderer stops at the next frame and the
    command ends as interrupted, the old file untouched. Yields a ``still_wanted()`` check."""
    import signal

    asked = []
    previous = signal.signal(signal.SIGINT, lambda *_: asked.append(True))
    try:
        yield lambda *_: not asked
    except Exception:
        if asked:  # the renderer stopped because it was asked to (an export says cancelled)
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    if asked:
        raise KeyboardInterrupt


def run_snapshot(args) -> int:
    """``convviz snapshot``: the window at a step, as a PNG."""
    from ..qt.shell.render import snapshot

    project = build_project(args)
    with ctrl_c_between_frames():
        path = snapshot(args.out, args.step, project, parse_size(args.size), args.layer, args.lens)
    print(f"wrote {path}")
    return 0


def run_animate(args) -> int:
    """``convviz animate``: one frame per step, as GIF or MP4."""
    from ..qt.shell.render import animate

    project = build_project(args)
    size = parse_size(args.size)
    started = time.monotonic()
    terminal = sys.stderr.isatty()  # progress for a person watching, never in a log or pipe

    with ctrl_c_between_frames() as still_wanted:

        def progress(done: int, count: int) -> bool:
            if terminal:
                line = progress_text(done, count, time.monotonic() - started)
                print(f"\r{line}", end="", file=sys.stderr, flush=True)
            return still_wanted()

        try:
            path, frames = animate(
                args.out,
                project,
                args.first,
                args.last,
                args.fps,
                size,
                progress=progress,
                layer=args.layer,
                every=args.every,
                lens=args.lens,
                part=args.part,
            )
        finally:
            if terminal:
                print(file=sys.stderr)
        print(f"wrote {path}: {frames} frames at {args.fps:g} per second")
    return 0


def progress_text(done: int, count: int, seconds: float) -> str:
    """``frame 120 of 256, about 0:14 left`` (the rate so far, once a frame is done)."""
    left = seconds / done * (count - done) if done else 0.0
    minutes, rest = divmod(round(left), 60)
    return f"frame {done} of {count}, about {minutes}:{rest:02d} left"


def run_compute(args) -> int:
    """``convviz compute``: write the feature map (or the output of ``--layer N``)."""
    pipeline = Pipeline.of(build_project(args).document)
    layers = pipeline.layers
    number = len(layers) if args.layer is None else args.layer
    if not 1 <= number <= len(layers):
        raise CliError(f"--layer must be 1 to {len(layers)} (the stack has {len(layers)} layers)")
    outputs = pipeline.outputs_that_run
    if len(outputs) < number:
        raise CliError(pipeline.stack_problem)
    values = outputs[number - 1]
    save_map(args.out, values, scale=args.scale, colormap=args.colormap)
    which = f"layer {number} ({layers[number - 1].name}): " if len(layers) > 1 else ""
    shape = "×".join(map(str, values.shape[1:]))
    print(f"wrote {args.out}: {which}{values.shape[0]} map(s) of {shape}")
    return 0


def run_list() -> int:
    """``convviz list``: the names a user can pass."""
    print("demos:  ", ", ".join(DEMOS))
    print("kernels:", ", ".join(KERNELS))
    print("inputs: ", ", ".join(INPUTS))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``convviz`` and ``python -m convviz``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["window", *argv]  # the window is the default subcommand
    args = build_parser().parse_args(argv)
    if args.command == "window":
        from ..qt.shell.app import run_app

        return run_app(args)
    try:
        runners = {
            "compute": run_compute,
            "code": run_code,
            "snapshot": run_snapshot,
            "animate": run_animate,
        }
        return runners[args.command](args) if args.command in runners else run_list()
    except (CliError, ValueError) as error:
        return fail(str(error))
    except OSError as error:  # an unwritable folder, a folder given as a file, a full disk
        where = f" {error.filename}" if error.filename else ""
        return fail(f"cannot use{where}: {error.strerror or error}")
    except (MemoryError, RecursionError, OverflowError) as error:
        return fail(
            f"the input is too large or too deeply nested for convviz ({type(error).__name__})"
        )
    except KeyboardInterrupt:
        print("convviz: interrupted; files already there were left as they were", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one line, and the details where the user can find them
        return internal_error(error)


def fail(message: str) -> int:
    """Say what is wrong in one line on stderr; exit status 2."""
    print(f"convviz: error: {message}", file=sys.stderr)
    return 2


def internal_error(error: Exception) -> int:
    """A bug in convviz: one line naming a log with the details; exit status 1."""
    import tempfile
    import traceback

    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        with tempfile.NamedTemporaryFile(
            "w", prefix="convviz-error-", suffix=".log", delete=False, encoding="utf-8"
        ) as log:
            log.write(details)
        where = f"; the details are in {log.name}"
    except OSError:
        where = ""
    print(f"convviz: internal error ({type(error).__name__}: {error}){where}", file=sys.stderr)
    return 1
