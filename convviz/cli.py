"""The ``convviz`` command: opens the app, or works headless with a subcommand.

``convviz [--demo NAME] [FILE.convviz]`` opens the window; ``convviz compute ...`` writes a
feature map; ``convviz list`` names the demos and presets. Errors are one line on stderr and exit
status 2.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .engine import (
    ACTIVATIONS,
    DEMOS,
    INPUTS,
    KERNELS,
    PADDING_MODES,
    ActivationLayer,
    ConvLayer,
    PoolLayer,
    demo,
    run_stack,
)
from .io.arrays import load_input, load_kernel, save_map

SUBCOMMANDS = ("compute", "list", "snapshot", "animate")


class CliError(Exception):
    """A problem to report in one line, with exit status 2."""


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


def _compute_parser(sub) -> None:
    p = sub.add_parser(
        "compute",
        help="write the feature map of a demo or a file",
        description="Compute a feature map headless and write it to a file.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo", choices=DEMOS, help="a built-in demo (its settings are defaults)")
    source.add_argument(
        "--project", metavar="FILE", help="a .convviz project (its layers included)"
    )
    source.add_argument("--input", metavar="FILE", help="input: .npy, .csv, or an image")
    p.add_argument(
        "--kernel",
        metavar="PRESET|FILE",
        help=f"a preset ({', '.join(KERNELS)}) or a .npy/.csv file",
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
    p.add_argument("--bias", type=float, nargs="+", help="one number per filter")
    p.add_argument(
        "--activation",
        choices=tuple(ACTIVATIONS),
        help="applied after the convolution and the bias",
    )
    p.add_argument(
        "--pool",
        metavar="max:K[:S[:P]]|avg:K[:S[:P]]",
        help="pool after the convolution (and activation): kind, kernel size, "
        "stride (default K), padding (default 0), e.g. max:2 or avg:3:2:1",
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
    p.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="write the output of layer N of the stack (1: the convolution; default: the last)",
    )
    p.add_argument("--scale", type=int, default=1, help="PNG pixels per cell (default 1)")
    p.add_argument("--colormap", default="diverging", help="PNG colour map")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write: .npy, .csv, .png")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand (the window's own options included)."""
    parser = argparse.ArgumentParser(
        prog="convviz",
        description="See and teach convolution. With no subcommand, opens the app.",
        epilog="The window: convviz [--demo NAME] [PROJECT.convviz]. Demos: "
        + ", ".join(DEMOS)
        + ". Each subcommand has its own --help.",
    )
    sub = parser.add_subparsers(dest="command")
    _compute_parser(sub)
    sub.add_parser("list", help="name the demos, kernel presets and input presets")
    snap = sub.add_parser(
        "snapshot",
        help="save the main window at a step as a PNG",
        description="Render the main window at step K (no display needed).",
    )
    _window_source(snap)
    snap.add_argument("--step", type=int, default=0, help="cells computed (0 = none yet)")
    snap.add_argument("--out", required=True, metavar="FILE.png")
    anim = sub.add_parser(
        "animate",
        help="save the stepping as an animated GIF or MP4",
        description="Render one frame per step (no display needed).",
    )
    _window_source(anim)
    anim.add_argument("--fps", type=float, default=4.0, help="frames per second (default 4)")
    anim.add_argument("--from", dest="first", type=int, help="first step (default 1)")
    anim.add_argument("--to", dest="last", type=int, help="last step (default: the end)")
    anim.add_argument("--out", required=True, metavar="FILE.gif|FILE.mp4")
    return parser


def _window_source(parser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", choices=DEMOS, help="a built-in demo (default letter-h)")
    source.add_argument("--project", metavar="FILE.convviz", help="a saved project")
    parser.add_argument("--size", default="1600x950", help="window size WxH (default 1600x950)")
    parser.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="step layer N of the stack (a line of the Layers summary; default 1)",
    )


def parse_size(text: str) -> tuple[int, int]:
    """``1600x950`` → (1600, 950)."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise CliError(f"size must look like 1600x950, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise CliError(f"size must be from 200x200 to 8000x8000, got {text!r}")
    return width, height


def run_snapshot(args) -> int:
    """``convviz snapshot``: the window at a step, as a PNG."""
    from .qt.render import snapshot

    path = snapshot(args.out, args.step, args.demo, args.project, parse_size(args.size), args.layer)
    print(f"wrote {path}")
    return 0


def run_animate(args) -> int:
    """``convviz animate``: one frame per step, as GIF or MP4."""
    from .qt.render import animate

    path, frames = animate(
        args.out,
        args.demo,
        args.project,
        args.first,
        args.last,
        args.fps,
        parse_size(args.size),
        layer=args.layer,
    )
    print(f"wrote {path}: {frames} frames at {args.fps:g} per second")
    return 0


def compute_settings(args) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, dict, list]:
    """Input, weight, bias, settings and the layers after the convolution from ``compute``'s
    arguments."""
    more: list = []
    if args.demo:
        d = demo(args.demo)
        x, weight, bias, settings = d.x, d.weight, d.bias, dict(d.settings)
        more = list(d.layers)
    elif args.project:
        from .model import load_project

        project = load_project(args.project)
        x, weight = project.x, project.weight
        bias = project.bias if project.use_bias else None
        settings = project.settings.as_kwargs()
        if project.activation != "none":
            more.append(ActivationLayer(project.activation))
        more += list(project.layers)
    else:
        x = load_input(args.input, args.colour)
        bias, settings = None, {}
        if not args.kernel:
            raise CliError("--input needs a --kernel (a preset name or a file)")
    if args.kernel:
        weight, groups = load_kernel(args.kernel, x.ndim - 1, x.shape[0])
        settings["groups"] = groups
        bias = None
    if args.stride:
        settings["stride"] = parse_ints(args.stride, "stride")
    if args.dilation:
        settings["dilation"] = parse_ints(args.dilation, "dilation")
    if args.padding:
        settings["padding"] = parse_padding(args.padding)
    if args.padding_mode:
        settings["padding_mode"] = args.padding_mode
    if args.flip is not None:
        settings["flip"] = args.flip
    if args.bias:
        bias = np.array(args.bias)
    return x, weight, bias, settings, more


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
    x, weight, bias, settings, more = compute_settings(args)
    layers = [ConvLayer(weight, bias, settings), *more]
    if args.activation:
        layers.append(ActivationLayer(args.activation))
    if args.pool:
        layers.append(pool_layer(args.pool, weight.ndim - 2))
    number = len(layers) if args.layer is None else args.layer
    if not 1 <= number <= len(layers):
        raise CliError(f"--layer must be 1 to {len(layers)} (the stack has {len(layers)} layers)")
    values = run_stack(x, layers[:number])[-1]
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
        from .qt.app import run_app

        return run_app(argv)
    args = build_parser().parse_args(argv)
    try:
        runners = {"compute": run_compute, "snapshot": run_snapshot, "animate": run_animate}
        return runners[args.command](args) if args.command in runners else run_list()
    except (CliError, ValueError) as error:
        print(f"convviz: error: {error}", file=sys.stderr)
        return 2
