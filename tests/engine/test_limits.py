"""The size budget: settings that would fill the memory are refused in words, before any
array is made; argument checks do not depend on what was asked before."""

import subprocess
import sys
import tracemalloc

import numpy as np
import pytest

from convviz.engine import PoolStepper, Stepper, avg_pool, conv, max_pool
from convviz.engine.limits import MAX_CELLS, cells_text

X = np.zeros((1, 16, 16))
W = np.ones((1, 1, 3, 3))


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: conv(X, W, padding=10000), "padding 10000 makes the padded input 1×20016×20016"),
        (lambda: Stepper(X, W, padding=10**6), "use a smaller padding"),
        (lambda: conv(X[None].repeat(3, 0), W, padding=3000), "3×1×6016×6016"),
        (lambda: max_pool(X, 30000, padding=15000), "padding 15000"),
        (lambda: avg_pool(X, 30001, padding=15000), "padding 15000"),
        (lambda: PoolStepper(X, "avg", 30001, padding=15000), "padding 15000"),
        (
            lambda: Stepper(np.zeros((1, 1100, 1100)), np.ones((64, 1, 1, 1))),
            "output of 64×1100×1100",
        ),
    ],
)
def test_a_size_past_the_budget_is_refused_before_memory_is_used(call, words):
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="convviz works with up to 67 M cells") as error:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert words in str(error.value)
    assert peak < 100 * 2**20  # nothing near the size asked for was allocated


def test_the_budget_is_the_documented_number():
    assert MAX_CELLS == 2**26 and cells_text(MAX_CELLS) == "67 M"
    assert cells_text(400_640_256) == "401 M" and cells_text(950) == "950"


def test_within_the_budget_nothing_changes():
    x = np.random.default_rng(0).normal(size=(1, 64, 64))
    assert conv(x, W, padding=500).shape == (1, 1062, 1062)


def test_argument_checks_do_not_depend_on_earlier_calls():
    """Refused in a fresh interpreter, and still refused after the same call with ints."""
    code = (
        "import numpy as np\n"
        "from convviz.engine import conv\n"
        "x, w = np.zeros((2, 8, 8)), np.ones((2, 1, 3, 3))\n"
        "conv(x, w, stride=1, groups=2, padding=1)\n"
        "for kw in ({'stride': True}, {'groups': 2.0}, {'padding': 1.0}):\n"
        "    try:\n"
        "        conv(x, w, **{'groups': 2, **kw})\n"
        "    except ValueError:\n"
        "        continue\n"
        "    raise SystemExit(f'accepted {kw}')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("index", [1.5, "2", True, None])
def test_a_step_is_a_whole_number(index):
    with pytest.raises(TypeError, match="a step is a whole number"):
        Stepper(X, W)[index]
    assert Stepper(X, W)[np.int64(3)].index == 3
