"""The one argument parser of the ``convviz`` command: the window (its default subcommand) and
the headless subcommands, every error one line."""

from __future__ import annotations

import argparse

from ..engine import DEMOS, KERNELS, PADDING_MODES
from ..model.code_out import INLINE_LIMIT, LANGUAGES
from ..model.document import ACTIVATION_CHOICES
from ..model.lenses import LENSES


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a wrong flag is one line on stderr (exit status 2), as every error is."""

    def error(self, message: str):
        self.exit(2, f"convviz: error: {message} (see {self.prog} --help)\n")


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
        "--weights",
        metavar="FILE[:NAME]",
        help="the first convolution's weights from a .safetensors, .npz or PyTorch .pt/.pth "
        "file: the array NAME (default: the only one that fits), with its bias (NAME with "
        "weight → bias) when the file has one",
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


ANIMATED_PARTS = ("stage", "input", "computation", "map")  # animation.PARTS, without Qt


def _window_options(parser) -> None:
    _add_source(parser, required=False)
    parser.add_argument("--size", default="1600x950", help="window size WxH (default 1600x950)")
    parser.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="step layer N of the stack (a line of the Layers summary; default 1)",
    )
    parser.add_argument(
        "--lens",
        choices=LENSES,
        help="draw the step through this lens (default: the project's, else sliding)",
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
    code = sub.add_parser(
        "code",
        help="write a PyTorch or NumPy script that computes the same map",
        description="Write a self-contained script that builds the same input and filters, "
        "computes the same stack, leaves the map in y and checks it against convviz's. Arrays "
        f"of more than {INLINE_LIMIT} numbers are saved as .npy files beside the script (with "
        "no --out, in the current folder).",
    )
    _add_source(code, required=True)
    code.add_argument(
        "--lang", choices=LANGUAGES, default="torch", help="torch (nn.Sequential) or numpy"
    )
    code.add_argument("--out", metavar="FILE.py", help="where to write it (default: stdout)")
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
    anim.add_argument(
        "--part",
        choices=ANIMATED_PARTS,
        default="stage",
        help="what the frames show: the stage (input, computation or lens, map and caption; "
        "the default) or one of its views alone",
    )
    anim.add_argument("--out", required=True, metavar="FILE.gif|FILE.mp4")
    return parser
