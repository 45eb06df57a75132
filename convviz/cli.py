"""The ``convviz`` command: opens the app, or works headless with a subcommand.

``convviz [window] [--demo NAME] [FILE.convviz]`` opens the window; ``convviz compute ...``
writes a feature map; ``snapshot`` and ``animate`` render the window; ``convviz list`` names the
demos and presets. One parser reads them all, and every subcommand builds its document the way
the window does: the same Document, changed by the same edits. Errors are one line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time

import numpy as np

from .engine import DEMOS, INPUTS, KERNELS, PADDING_MODES, PoolLayer
from .io.arrays import load_input, load_kernel, save_map
from .model import ConvSettings, Document, Pipeline, Project, Session, load_project
from .model.document import ACTIVATION_CHOICES

SUBCOMMANDS = ("window", "compute", "list", "snapshot", "animate")


class CliError(Exception):
    """A problem to report in one line, with exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a wrong flag is one line on stderr (exit status 2), as every error is."""

    def error(self, message: str):
        self.exit(2, f"convviz: error: {message} (see {self.prog} --help)\n")


def parse_ints(text: str, name: str) -> int | tuple[int, ...]:
    """``"2"`` → 2, ``"1,2"`` → (1, 2)."""
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        raise CliError(f"{name} must be whole numbers separated by commas, got {text!r}") from None
    return values[0] if len(values) == 1 else values


def parse_padding(text: str):
    """``"1"``, ``"1,2"`` (per axis), ``"0:1,1:0"`` (before:after per axis) or a word."""
    if text.lower() in ("valid", "same", "full"):
        return text.lower()
    parts = []
    for part in text.split(","):
        try:
            pair = tuple(int(v) for v in part.split(":"))
        except ValueError:
            raise CliError(
                f"padding must be valid, same, full, or whole numbers like 1 or 1,2 or 0:1,1:0; "
                f"got {text!r}"
            ) from None
        if len(pair) > 2:
            raise CliError(f"padding per axis is one number or before:after, got {part!r}")
        parts.append(pair[0] if len(pair) == 1 else pair)
    return parts[0] if len(parts) == 1 and isinstance(parts[0], int) else parts


def _add_source(parser, required: bool) -> None:
    """Where the document comes from, and the edits made to it (as the window makes them)."""
    source = parser.add_mutually_exclusive_group(required=required)
    source.add_argument("--demo", choices=DEMOS, help="a built-in demo (its settings are defaults)")
    source.add_argument(
        "--project", metavar="FILE", help="a .convviz project (its layers included)"
    )
    source.add_argument("--input", metavar="FILE", help="input: .npy, .csv, or an image")
    p = parser.add_argument_group("changes to the document (as the window's panels make them)")
    p.add_argument(
        "--kernel",
        metavar="PRESET|FILE",
        help=f"the first convolution's filters: a preset ({', '.join(KERNELS)}) or a .npy/.csv "
        "file; the next convolution's channels follow, and the bias is off unless --bias",
    )
    p.add_argument(
        "--colour",
        "--color",
        dest="colour",
        choices=("grey", "rgb"),
        default="grey",
        help="read an image as one grey grid or three colour channels",
    )
    p.add_argument("--stride", help="e.g. 2 or 1,2 (one per axis)")
    p.add_argument("--padding", help="valid, same, full, 1, 1,2 or 0:1,1:0 (before:after)")
    p.add_argument("--dilation", help="e.g. 2 or 1,2")
    p.add_argument("--padding-mode", choices=PADDING_MODES)
    p.add_argument("--bias", type=float, nargs="+", help="one number per filter (turns bias on)")
    p.add_argument(
        "--activation",
        choices=ACTIVATION_CHOICES,
        help="the activation right after the first convolution (replaces one already there)",
    )
    p.add_argument(
        "--pool",
        metavar="max:K[:S[:P]]|avg:K[:S[:P]]",
        help="append a pooling to the end of the stack: kind, kernel size, stride (default K), "
        "padding (default 0), e.g. max:2 or avg:3:2:1",
    )
    flip = p.add_mutually_exclusive_group()
    flip.add_argument(
        "--flip",
        dest="flip",
        action="store_true",
        default=None,
        help="true convolution (kernel rotated 180°)",
    )
    flip.add_argument(
        "--no-flip",
        dest="flip",
        action="store_false",
        help="cross-correlation, as deep-learning libraries compute",
    )


def _window_options(parser) -> None:
    _add_source(parser, required=False)
    parser.add_argument("--size", default="1600x950", help="window size WxH (default 1600x950)")
    parser.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="step layer N of the stack (a line of the Layers summary; default 1)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The one parser of the ``convviz`` command: the window (the default) and the headless
    subcommands."""
    parser = OneLineParser(
        prog="convviz",
        description="See and teach convolution. With no subcommand, opens the window.",
        epilog="Demos: " + ", ".join(DEMOS) + ". Each subcommand has its own --help.",
    )
    sub = parser.add_subparsers(dest="command")
    window = sub.add_parser(
        "window",
        help="open the window (the default: convviz [--demo NAME] [PROJECT.convviz])",
        description="Open the window on a demo or a project.",
    )
    window.add_argument("--demo", choices=DEMOS, default=DEMOS[0], help="demo to open")
    window.add_argument("project", nargs="?", help="a .convviz project to open")
    p = sub.add_parser(
        "compute",
        help="write the feature map of a demo or a file",
        description="Compute a feature map headless and write it to a file.",
    )
    _add_source(p, required=True)
    p.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="write the output of layer N of the stack (1: the convolution; default: the last)",
    )
    p.add_argument("--scale", type=int, default=1, help="PNG pixels per cell (default 1)")
    p.add_argument("--colormap", default="diverging", help="PNG colour map")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write: .npy, .csv, .png")
    sub.add_parser("list", help="name the demos, kernel presets and input presets")
    snap = sub.add_parser(
        "snapshot",
        help="save the main window at a step as a PNG",
        description="Render the main window at step K (no display needed).",
    )
    _window_options(snap)
    snap.add_argument("--step", type=int, default=0, help="cells computed (0 = none yet)")
    snap.add_argument("--out", required=True, metavar="FILE.png")
    anim = sub.add_parser(
        "animate",
        help="save the stepping as an animated GIF or MP4",
        description="Render one frame per step (no display needed).",
    )
    _window_options(anim)
    anim.add_argument("--fps", type=float, default=4.0, help="frames per second (default 4)")
    anim.add_argument("--from", dest="first", type=int, help="first step (default 1)")
    anim.add_argument("--to", dest="last", type=int, help="last step (default: the end)")
    anim.add_argument(
        "--every", type=int, metavar="K", help="one frame every K steps (default: every step)"
    )
    anim.add_argument("--out", required=True, metavar="FILE.gif|FILE.mp4")
    return parser


def parse_size(text: str) -> tuple[int, int]:
    """``1600x950`` → (1600, 950)."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise CliError(f"size must look like 1600x950, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise CliError(f"size must be from 200x200 to 8000x8000, got {text!r}")
    return width, height


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
    from .qt.shell.render import snapshot

    project = build_project(args)
    with ctrl_c_between_frames():
        path = snapshot(args.out, args.step, project, parse_size(args.size), args.layer)
    print(f"wrote {path}")
    return 0


def run_animate(args) -> int:
    """``convviz animate``: one frame per step, as GIF or MP4."""
    from .qt.shell.render import animate

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


def start_document(args) -> Project:
    """The project the arguments start from: a demo, a project file, or an input file with
    a neutral first convolution (stride 1, no padding) that ``--kernel`` replaces."""
    if getattr(args, "project", None):
        return load_project(args.project)
    if getattr(args, "input", None):
        if not args.kernel:
            raise CliError("--input needs a --kernel (a preset name or a file)")
        x = load_input(args.input, args.colour)
        nd = x.ndim - 1
        weight = np.ones((1, x.shape[0], *(1,) * nd))
        return Project(Document(x, weight, np.zeros(1), False, ConvSettings.from_kwargs(nd)))
    return Project(Document.from_demo(args.demo or DEMOS[0]))


def apply_arguments(session: Session, args) -> None:
    """Make the edits the arguments ask for, through the same edits as the window's panels."""
    edits, nd = session.edits, session.nd
    if args.kernel:
        weight, _ = load_kernel(args.kernel, nd, session.document.x.shape[0])
        edits.replace_weight(weight, f"Kernel {args.kernel}")
        edits.change("No bias", use_bias=False)
    given = {}  # the settings asked for, in conv's keywords
    if args.stride:
        given["stride"] = parse_ints(args.stride, "stride")
    if args.dilation:
        given["dilation"] = parse_ints(args.dilation, "dilation")
    if args.padding:
        given["padding"] = parse_padding(args.padding)
    if args.padding_mode:
        given["padding_mode"] = args.padding_mode
    if args.flip is not None:
        given["flip"] = args.flip
    parsed = ConvSettings.from_kwargs(nd, **given)  # per axis, as the window stores them
    settings = {name: getattr(parsed, name) for name in given}
    if settings:
        edits.change_settings("Settings", **settings)
    if args.bias:
        filters = session.document.weight.shape[0]
        if len(args.bias) != filters:
            raise CliError(
                f"--bias gives {len(args.bias)} number(s) but the convolution has {filters} "
                f"filter(s): give one number per filter"
            )
        edits.change("Bias", bias=np.array(args.bias), use_bias=True)
    if args.activation:
        edits.set_activation(args.activation)
    if args.pool:
        try:
            edits.add_layer(pool_layer(args.pool, nd))
        except ValueError as error:
            raise CliError(f"--pool {args.pool}: {error}") from None


def build_project(args) -> Project:
    """The document the arguments describe, built as the window builds it (the same document,
    the same edits), and where its playhead stands."""
    project = start_document(args)
    session = Session()
    session.open_project(project)
    apply_arguments(session, args)
    if session.problem:
        raise CliError(session.problem)
    return session.to_project(project.view)


def pool_layer(spec: str, nd: int) -> PoolLayer:
    """The pooling ``max:K[:S[:P]]`` or ``avg:K[:S[:P]]`` over ``nd`` axes."""
    kind, *numbers = spec.split(":")
    if kind not in ("max", "avg") or not 1 <= len(numbers) <= 3:
        raise CliError(f"--pool takes max:K[:S[:P]] or avg:K[:S[:P]], got {spec!r}")
    try:
        kernel, *rest = (int(n) for n in numbers)
    except ValueError:
        raise CliError(f"--pool needs whole numbers after the kind, got {spec!r}") from None
    stride = rest[0] if rest else None
    padding = rest[1] if len(rest) > 1 else 0
    return PoolLayer.uniform(kind, nd, kernel, stride, padding)


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
        from .qt.shell.app import run_app

        return run_app(args)
    try:
        runners = {"compute": run_compute, "snapshot": run_snapshot, "animate": run_animate}
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
