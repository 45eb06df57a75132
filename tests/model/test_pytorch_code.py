"""Every line of PyTorch the app shows is run with torch and computes what the engine computes."""

import ast
import dataclasses
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convviz.engine import (
    ACTIVATIONS,
    ActivationLayer,
    activate,
    avg_pool,
    conv,
    conv_geometry,
    max_pool,
    pool_geometry,
)
from convviz.model.pytorch_code import ACTIVATION_FUNCTIONS, conv_code, pool_code

MODES = ["zeros", "reflect", "replicate", "circular"]
SAME_EVEN_KERNEL = "Using padding='same' with even kernel"  # PyTorch's speed hint, not an error


@st.composite
def activation_lists(draw):
    """Zero to two activations, leaky ReLU with PyTorch's default slope or another."""
    names = draw(st.lists(st.sampled_from(["leaky_relu", *sorted(ACTIVATIONS)]), max_size=2))
    layers = []
    for name in names:
        options = {}
        if name == "leaky_relu" and draw(st.booleans()):
            slope = st.floats(-2, 3, allow_nan=False, allow_infinity=False)
            options["negative_slope"] = draw(st.one_of(st.just(0.01), slope))
        layers.append(ActivationLayer(name, options))
    return layers


@st.composite
def conv_cases(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    size = [draw(st.integers(1, {1: 10, 2: 7, 3: 4}[nd])) for _ in range(nd)]
    kernel = [draw(st.integers(1, 4)) for _ in range(nd)]
    groups = draw(st.integers(1, 2))
    cpg, fpg = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    form = draw(st.sampled_from(["int", "axis", "pairs", "uneven", "valid", "same", "full"]))
    if form == "int":
        padding = draw(st.integers(0, 3))
    elif form == "axis":
        padding = [draw(st.integers(0, 3)) for _ in range(nd)]
    elif form == "pairs":
        padding = [(p, p) for p in (draw(st.integers(0, 3)) for _ in range(nd))]
    elif form == "uneven":
        padding = [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(nd)]
    else:
        padding = draw(st.sampled_from([form, form.upper()])) if form == "same" else form
    stride = draw(
        st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=nd, max_size=nd))
    )
    dilation = draw(
        st.one_of(st.integers(1, 2), st.lists(st.integers(1, 2), min_size=nd, max_size=nd))
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-5, 5, (groups * cpg, *size))
    weight = rng.uniform(-2, 2, (groups * fpg, cpg, *kernel))
    bias = rng.uniform(-3, 3, groups * fpg) if draw(st.booleans()) else None
    kw = {
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "padding_mode": draw(st.sampled_from(MODES)),
        "flip": draw(st.booleans()),
    }
    return x, weight, bias, kw, draw(activation_lists())


@st.composite
def pool_cases(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    kind = draw(st.sampled_from(["max", "avg"]))
    size = [draw(st.integers(1, {1: 12, 2: 8, 3: 5}[nd])) for _ in range(nd)]
    kernel = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * nd)))
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(*[st.integers(0, 2)] * nd)))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd)) if kind == "max" else 1
    channels = draw(st.integers(1, 3))
    x = np.random.default_rng(draw(st.integers(0, 9999))).normal(size=(channels, *size))
    options = {
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }
    return x, kind, kernel, options, draw(activation_lists())


def _activated(values, activations):
    for layer in activations:
        values = activate(layer.function, values, **layer.options)
    return values


def _run(code, x, weight=None, bias=None) -> np.ndarray:
    """Execute ``code.program()`` with torch on one sample (given unbatched, run as a batch)."""
    namespace = {
        "x": torch.tensor(np.array(x, dtype=np.float64)[None]),
        "weight": None if weight is None else torch.tensor(np.array(weight, dtype=np.float64)),
        "bias": None if bias is None else torch.tensor(np.array(bias, dtype=np.float64)),
    }
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=re.escape(SAME_EVEN_KERNEL))
        exec(code.program(), namespace)
    return namespace["y"].numpy()[0]


def _assert_line_is_in_program(code):
    """Every statement of the shown line is in the program word for word, and is Python."""
    line, program = code.line(), code.program()
    *statements, last = line.split("; ")
    module, *then = last.split(", then ")
    assert module == code.module
    for statement in (*statements, module):
        ast.parse(statement)
        assert statement in program
    assert [a.text() for a in code.activations] == then
    for text in then:  # "F.relu" is applied as F.relu(y), "F.leaky_relu(·, …)" with y for ·
        assert f"y = {text.replace('·', 'y') if '·' in text else f'{text}(y)'}" in program


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_cases())
def test_conv_code_computes_what_the_engine_computes(case):
    x, weight, bias, kw, activations = case
    try:
        geometry = conv_geometry(x.shape, weight.shape, **kw)
    except ValueError:
        assume(False)
    ours = _activated(conv(x, weight, bias, **kw), activations)
    code = conv_code(geometry, kw["padding"], bias is not None, activations)
    _assert_line_is_in_program(code)
    theirs = _run(code, x, weight, bias)
    assert theirs.shape == ours.shape
    np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_conv_code_says_what_the_user_asked_where_pytorch_can(case):
    x, weight, bias, kw, _ = case
    try:
        geometry = conv_geometry(x.shape, weight.shape, **kw)
    except ValueError:
        assume(False)
    line = conv_code(geometry, kw["padding"], bias is not None).line()
    uneven = any(b != a for b, a in geometry.pads)
    word = kw["padding"].lower() if isinstance(kw["padding"], str) else None
    # PyTorch's 'same' needs stride 1 and puts an odd cell at the end; true convolution at the
    # start, so a flipped kernel may say 'same' only where the padding splits evenly.
    even = all(b == a for b, a in geometry.pads)
    if word == "same" and set(geometry.stride) == {1} and (even or not geometry.flip):
        assert "padding='same'" in line
    elif word == "valid":
        assert "padding='valid'" in line
    else:
        assert "'same'" not in line and "'valid'" not in line
        assert ("F.pad" in line) == uneven
    if "F.pad" in line and geometry.padding_mode != "zeros":
        assert "mode=" in line and "padding_mode" not in line
    assert ("bias=False" in line) == (bias is None)
    assert ("torch.flip" in line) == geometry.flip


@settings(max_examples=150, deadline=None)
@given(pool_cases())
def test_pool_code_computes_what_the_engine_computes(case):
    x, kind, kernel, options, activations = case
    try:
        geometry = pool_geometry(x.shape, kernel, kind=kind, nd=len(kernel), **options)
    except ValueError:
        assume(False)
    if kind == "max":
        del options["count_include_pad"]
        ours = max_pool(x, kernel, **options, nd=len(kernel))
    else:
        del options["dilation"]
        ours = avg_pool(x, kernel, **options, nd=len(kernel))
    ours = _activated(ours, activations)
    code = pool_code(geometry, kind, activations)
    _assert_line_is_in_program(code)
    theirs = _run(code, x)
    assert theirs.shape == ours.shape
    np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-9)


def test_strided_same_reflect_pads_by_reflecting():
    """The reported bug: stride 2, 'same', 'reflect' showed F.pad without its mode."""
    rng = np.random.default_rng(5)
    x, weight = rng.normal(size=(1, 6, 6)), rng.normal(size=(1, 1, 5, 5))
    kw = {"stride": 2, "padding": "same", "padding_mode": "reflect"}
    geometry = conv_geometry(x.shape, weight.shape, **kw)
    assert any(b != a for b, a in geometry.pads)  # the case needs uneven pads
    code = conv_code(geometry, "same", False)
    assert "F.pad(" in code.line() and "mode='reflect'" in code.line()
    np.testing.assert_allclose(_run(code, x, weight), conv(x, weight, **kw), rtol=1e-9)
    zero_padded = dataclasses.replace(
        code, padding=dataclasses.replace(code.padding, mode="constant")
    )
    assert not np.allclose(_run(zero_padded, x, weight), conv(x, weight, **kw))


def test_true_convolution_flips_the_kernel_in_the_program():
    rng = np.random.default_rng(6)
    x, weight = rng.normal(size=(2, 5, 4, 6)), rng.normal(size=(3, 2, 2, 3, 2))
    geometry = conv_geometry(x.shape, weight.shape, padding="full", flip=True)
    code = conv_code(geometry, "full", False)
    assert code.flip in code.line() and "dims=[2, 3, 4]" in code.flip
    np.testing.assert_allclose(
        _run(code, x, weight), conv(x, weight, padding="full", flip=True), rtol=1e-9
    )


def test_every_engine_activation_has_a_pytorch_function():
    assert set(ACTIVATION_FUNCTIONS) == set(ACTIVATIONS)
    geometry = conv_geometry((1, 5), (1, 1, 3))
    default = conv_code(geometry, 0, True, [ActivationLayer("leaky_relu")]).line()
    steep = conv_code(geometry, 0, True, [ActivationLayer("leaky_relu", {"negative_slope": 0.2})])
    assert default.endswith(", then F.leaky_relu")
    assert steep.line().endswith("negative_slope=0.2)")


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: conv_code(conv_geometry((1, 5), (1, 1, 3)), 0, True, ["softplus"]), "choose one"),
        (
            lambda: conv_code(
                conv_geometry((1, 5), (1, 1, 3)), 0, True, [ActivationLayer("relu", {"x": 1})]
            ),
            "no option 'x'",
        ),
        (lambda: pool_code(pool_geometry((1, 4, 4), 2, kind="max"), "avg"), "does not match"),
    ],
)
def test_code_for_what_pytorch_lacks_is_refused(call, words):
    with pytest.raises(ValueError, match=words):
        call()
