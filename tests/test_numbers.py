"""Numbers shortened for small cells: rounded where a digit survives (keeping the zeros that
say so), never an exponent, and a value that would round to 0 keeps its first digit."""

import numpy as np
import pytest

from convviz.numbers import fmt_short


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (-0.008, 2, "−0.01"),  # rounds to a nonzero: short, as its neighbours
        (0.0049, 2, "0.005"),  # would round to 0: its first digit kept
        (-0.0003, 2, "−0.0003"),
        (0.00001, 2, "≈0"),
        (1.336, 2, "1.34"),
        (1.002, 2, "1.00"),  # rounded: its zeros kept, not read as exactly 1
        (0.901, 2, "0.90"),
        (-2.0004, 2, "−2.00"),
        (1.0, 2, "1"),  # exact: no zeros
        (0.5, 2, "0.5"),
        (0.1 + 0.2, 2, "0.3"),  # 0.30000000000000004 is not "rounded"
        (0.63, 1, "0.6"),
        (0.024, 1, "0"),
        (0.06, 1, "0.1"),
        (0.123456, 3, "0.123"),
    ],
)
def test_fmt_short(value, decimals, text):
    assert fmt_short(value, decimals) == text
    assert "e" not in fmt_short(value, decimals)


def test_a_grid_of_small_values_is_scaled_to_read_and_says_by_what():
    from convviz.numbers import scaled_for_reading

    grad = np.array([[-0.0003, 0.003], [0.0005, np.nan]])
    scaled, factor = scaled_for_reading(grad)
    assert factor == "1000"
    np.testing.assert_allclose(scaled[:, 0], [-0.3, 0.5])
    assert scaled[0, 1] == pytest.approx(3.0) and np.isnan(scaled[1, 1])
    kernel = np.array([0.9, -0.004])  # one value past a hundredth: written as it is
    same, none = scaled_for_reading(kernel)
    assert none == "" and (same == kernel).all()
    assert scaled_for_reading(np.zeros(3))[1] == ""
    assert scaled_for_reading(np.array([2e-6]))[1] == "10⁶"  # past 10⁴: a power
