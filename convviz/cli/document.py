"""The document a command works on, built the way the window builds it: the same Document,
changed by the same edits as the window's panels make."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..engine import DEMOS, PoolLayer
from ..io.arrays import load_input, load_kernel
from ..io.weights import read_weights
from ..model import ConvSettings, Document, Project, Session, load_project
from ..model.weight_edits import matching_bias, single_weight
from .arguments import CliError, parse_ints, parse_padding


def start_document(args) -> Project:
    """The project the arguments start from: a demo, a project file, or an input file with
    a neutral first convolution (stride 1, no padding) that ``--kernel`` replaces."""
    if getattr(args, "project", None):
        return load_project(args.project)
    if getattr(args, "input", None):
        if not (args.kernel or args.weights):
            raise CliError("--input needs a --kernel (a preset name or a file) or --weights")
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
    if args.weights:
        if args.kernel:
            raise CliError("--kernel and --weights both give the first convolution's weights")
        load_weights(session, args.weights)
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


def load_weights(session: Session, spec: str) -> None:
    """``--weights FILE[:NAME]``: layer 1's weight, and its bias when the file has one."""
    path, name = spec, None
    if ":" in spec and not Path(spec).exists():
        path, name = spec.rsplit(":", 1)
    arrays = read_weights(path)
    where = Path(path).name
    name = name or single_weight(session.document, arrays, where)
    bias = matching_bias(name, arrays)
    session.edits.load_weights(arrays, {1: (name, bias)}, f"Weights {where}")


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
