"""A few input cells changed: only the outputs that read them are summed again, and the map is
the one a whole computation (and PyTorch) gives."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convviz.engine import Stepper
from convviz.engine.incremental import outputs_reading, recompute_outputs

MODES = ("zeros", "reflect", "replicate", "circular")


@pytest.mark.parametrize("seed", range(40))
def test_changed_cells_give_the_whole_computations_map(seed):
    rng = np.random.default_rng(seed)
    groups = int(rng.choice([1, 2]))
    channels, filters = 2 * groups, 2 * groups
    size = tuple(int(n) for n in rng.integers(6, 14, 2))
    kernel = tuple(int(k) for k in rng.integers(1, 4, 2))
    settings = {
        "stride": tuple(int(s) for s in rng.integers(1, 3, 2)),
        "padding": int(rng.integers(0, 3)),
        "dilation": int(rng.integers(1, 3)),
        "groups": groups,
        "padding_mode": str(rng.choice(MODES)),
        "flip": bool(rng.integers(0, 2)),
    }
    x = rng.normal(size=(channels, *size))
    weight = rng.normal(size=(filters, channels // groups, *kernel))
    bias = rng.normal(size=filters)
    try:
        old = Stepper(x, weight, bias, **settings)
    except ValueError:
        pytest.skip("a setting this size cannot take")
    r, c = int(rng.integers(0, size[0])), int(rng.integers(0, size[1]))
    box = ((r, min(size[0], r + int(rng.integers(1, 3)))), (c, min(size[1], c + 1)))
    changed = x.copy()
    changed[int(rng.integers(0, channels)), box[0][0] : box[0][1], box[1][0] : box[1][1]] = 9.5
    fresh = recompute_outputs(old, changed, box)
    whole = Stepper(changed, weight, bias, **settings)
    if fresh is None:  # the padding copies a changed cell: only then is everything computed
        assert settings["padding_mode"] != "zeros" and settings["padding"] > 0
        return
    np.testing.assert_allclose(fresh.output, whole.output, rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(fresh.padded, whole.padded)
    np.testing.assert_array_equal(fresh.input, changed)
    assert fresh[len(fresh) // 2].output == pytest.approx(whole[len(whole) // 2].output)
    # The old stepper is untouched.
    np.testing.assert_array_equal(old.input, x)


def test_only_the_outputs_that_read_the_cell_are_summed_again():
    x = np.zeros((1, 40, 40))
    old = Stepper(x, np.ones((1, 1, 3, 3)), padding=1)
    g = old.geometry
    assert outputs_reading(g, ((10, 11), (20, 21))) == ((9, 12), (19, 22))
    changed = x.copy()
    changed[0, 10, 20] = 1.0
    fresh = recompute_outputs(old, changed, ((10, 11), (20, 21)))
    expected = F.conv2d(
        torch.tensor(changed[None]), torch.ones(1, 1, 3, 3, dtype=torch.float64), padding=1
    )[0].numpy()
    np.testing.assert_array_equal(fresh.output, expected)
    assert np.count_nonzero(fresh.output) == 9
    # Reflect padding copies a cell next to the border far away: no shortcut there.
    reflect = Stepper(x, np.ones((1, 1, 3, 3)), padding=1, padding_mode="reflect")
    assert outputs_reading(reflect.geometry, ((1, 2), (20, 21))) is None
    assert outputs_reading(reflect.geometry, ((10, 11), (20, 21))) == ((9, 12), (19, 22))
