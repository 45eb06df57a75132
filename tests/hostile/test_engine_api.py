"""The engine, called from a script with values of the wrong kind or size: a ValueError (or a
TypeError for an index) in words, never a silent wrong answer or a MemoryError, whether or not
the same call was made before with good values (a cache must not let a bad value through)."""

import json

import numpy as np
import pytest

from convviz.engine import Stepper, avg_pool, conv, max_pool

from .support import run_python


def data(settings):
    """An input and weights that the good settings fit: two channels in two groups for the
    ``groups=2`` cases, one channel otherwise."""
    channels = 2 if settings.get("groups") == 2 else 1
    return np.zeros((channels, 5, 5)), np.zeros((channels, 1, 3, 3))


HOSTILE = {
    "stride=True": ({"stride": True}, {"stride": 1}, "stride"),
    "stride=(1,True)": ({"stride": (1, True)}, {"stride": (1, 1)}, "stride"),
    "stride=1.0": ({"stride": 1.0}, {"stride": 1}, "stride"),
    "groups=2.0": ({"groups": 2.0}, {"groups": 2}, "groups"),
    "groups=True": ({"groups": True}, {"groups": 1}, "groups"),
    "padding=1.0": ({"padding": 1.0}, {"padding": 1}, "padding"),
    "padding=(1.0,1)": ({"padding": (1.0, 1)}, {"padding": (1, 1)}, "padding"),
    "dilation=True": ({"dilation": True}, {"dilation": 1}, "dilation"),
}

SCRIPT = """
import json, sys
import numpy as np
from convviz.engine import conv

hostile, good = json.loads(sys.argv[1])
hostile = {k: tuple(v) if isinstance(v, list) else v for k, v in hostile.items()}
good = {k: tuple(v) if isinstance(v, list) else v for k, v in good.items()}
channels = 2 if good.get("groups") == 2 else 1
x, w = np.zeros((channels, 5, 5)), np.zeros((channels, 1, 3, 3))

def attempt(settings):
    try:
        conv(x, w, **settings)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return "accepted"

fresh = attempt(hostile)
attempt(good)
print(json.dumps({"fresh": fresh, "after good values": attempt(hostile)}))
"""


@pytest.mark.parametrize("case", HOSTILE)
def test_conv_refuses_a_setting_of_the_wrong_kind_in_a_fresh_process(tmp_path, case):
    hostile, good, name = HOSTILE[case]
    run = run_python(
        [json.dumps([hostile, good])], tmp_path, tmp_path / "scratch", 30, ("-c", SCRIPT)
    )
    assert run.code == 0, str(run)
    answers = json.loads(run.out)
    for when, answer in answers.items():
        assert answer.startswith("ValueError: "), f"{case} {when}: {answer}"
        assert name in answer, f"{case} {when}: the message does not name {name}: {answer}"


@pytest.mark.parametrize("case", HOSTILE)
def test_conv_refuses_a_setting_of_the_wrong_kind_after_good_calls(case):
    hostile, good, name = HOSTILE[case]
    x, w = data(good)
    conv(x, w, **good)
    with pytest.raises(ValueError, match=name):
        conv(x, w, **hostile)
    conv(x, w, **good)
    with pytest.raises(ValueError, match=name):
        conv(x, w, **hostile)


@pytest.mark.parametrize("case", ["stride=True", "groups=2.0", "padding=1.0"])
def test_stepper_refuses_a_setting_of_the_wrong_kind(case):
    hostile, good, name = HOSTILE[case]
    x, w = data(good)
    Stepper(x, w, **good)
    with pytest.raises(ValueError, match=name):
        Stepper(x, w, **hostile)


@pytest.mark.parametrize("index", [1.5, "3", None, np.float64(2.0)])
def test_a_step_index_that_is_not_a_whole_number_is_a_type_error(index):
    stepper = Stepper(np.zeros((1, 5, 5)), np.zeros((1, 1, 3, 3)))
    stepper[1]
    with pytest.raises(TypeError):
        stepper[index]


@pytest.mark.parametrize("padding", [10**6, 10**30, (10**8, 0), ((0, 10**8), (0, 0))])
def test_a_huge_padding_is_a_value_error_not_a_memory_error(padding):
    x, w = np.zeros((1, 5, 5)), np.zeros((1, 1, 3, 3))
    with pytest.raises(ValueError, match="padding"):
        conv(x, w, padding=padding)
    with pytest.raises(ValueError, match="padding"):
        Stepper(x, w, padding=padding)


def test_a_huge_pooling_is_a_value_error_not_a_memory_error():
    x = np.zeros((1, 5, 5))
    with pytest.raises(ValueError, match="padding"):
        max_pool(x, 30000, padding=15000)
    with pytest.raises(ValueError, match="padding"):
        avg_pool(x, 30000, padding=15000)
    with pytest.raises(ValueError):
        max_pool(x, 30000)
