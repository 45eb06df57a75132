"""Copies of large arrays reuse memory that no array uses any more, and never memory that an
array or a view still reads."""

import numpy as np

from convviz.engine import recycled


def large(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(1, 1100, 1100))  # about 9.7 MB


def test_a_copy_is_equal_independent_and_writeable():
    a = large(0)
    a.flags.writeable = False
    c = recycled.copy_of(a)
    np.testing.assert_array_equal(c, a)
    assert c.dtype == a.dtype and c.shape == a.shape and c.flags.c_contiguous
    c[0, 0, 0] = 123.0
    assert a[0, 0, 0] != 123.0
    assert not np.shares_memory(c, a)


def test_memory_a_view_still_reads_is_never_handed_out_again():
    first = recycled.copy_of(large(1))
    view = first[0, 10:20]
    kept = view.copy()
    del first  # the view still reads its memory
    second = recycled.copy_of(large(2))
    assert not np.shares_memory(second, view)
    np.testing.assert_array_equal(view, kept)


def test_memory_nobody_uses_serves_the_next_copy():
    first = recycled.copy_of(large(3))
    address = first.__array_interface__["data"][0]
    del first
    assert recycled.spare_bytes() >= 1100 * 1100 * 8
    second = recycled.copy_of(large(4))
    assert second.__array_interface__["data"][0] == address
    np.testing.assert_array_equal(second, large(4))


def test_spare_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(recycled, "SPARE_BYTES", 12 << 20)  # room for one spare copy
    copies = [recycled.copy_of(large(i)) for i in range(4)]
    del copies
    recycled.trim()
    assert recycled.spare_bytes() <= 12 << 20


def test_small_and_object_arrays_are_plain_copies():
    small = np.arange(10.0)
    assert recycled.copy_of(small).base is None
    objects = np.empty(600_000, dtype=object)
    assert recycled.copy_of(objects).base is None
