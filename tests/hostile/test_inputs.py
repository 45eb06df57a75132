"""Input files built to hurt (``.npy``, CSV, images) are refused in one sentence naming the
file, before anything large is read or allocated."""

import struct
import time
import zlib

import numpy as np
import pytest
from numpy.lib import format as npy_format


def npy_header_only(shape, descr="<f8"):
    """A ``.npy`` whose header declares ``shape`` and which holds no data at all."""

    def build(path):
        with open(path, "wb") as stream:
            npy_format.write_array_header_1_0(
                stream, {"descr": descr, "fortran_order": False, "shape": shape}
            )

    return build


def npy_of(array, **options):
    def build(path):
        np.save(path, array, **options)

    return build


def npy_truncated(path):
    np.save(path, np.arange(64.0).reshape(8, 8))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])


def raw(content: bytes):
    def build(path):
        path.write_bytes(content)

    return build


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(path, width: int, height: int, colour: bool = True, cut: bool = False) -> None:
    """A valid black PNG of ``width``×``height`` that takes a few hundred KB on disk, written
    in a fraction of a second (the same compressed block repeated), or ``cut`` short."""
    depth, kind, row_bytes = (8, 2, 3 * width) if colour else (1, 0, (width + 7) // 8)
    row = bytes(1 + row_bytes)
    per_block = max(1, 2**20 // len(row))
    blocks, rest = divmod(height, per_block)

    def deflate(data):
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)

    check = 1
    for _ in range(height):
        check = zlib.adler32(row, check)
    body = deflate(row * per_block) * blocks + (deflate(row * rest) if rest else b"")
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    data = b"\x78\xda" + body + end + struct.pack(">I", check)
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, kind, 0, 0, 0))
    if cut:
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", data)[: len(data) // 3])
        return
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


def png(width, height, colour=True, cut=False):
    def build(path):
        blank_png(path, width, height, colour, cut)

    return build


def noisy_png(path):
    """A real photo-like PNG, then cut in the middle of its pixel data."""
    from PIL import Image

    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


INPUTS = {
    # .npy
    "header-100000x100000.npy": (
        npy_header_only((100000, 100000)),
        ["header-100000x100000.npy", ("cells", "numbers", "large")],
    ),
    "header-1e20-squared.npy": (npy_header_only((10**20, 10**20)), []),
    "header-negative.npy": (npy_header_only((-1, 5)), []),
    "pickled-objects.npy": (
        npy_of(np.array([{"a": 1}, None, "text"], dtype=object), allow_pickle=True),
        [],
    ),
    "complex.npy": (npy_of(np.ones((5, 5), dtype=complex)), []),
    "five-axes.npy": (npy_of(np.zeros((1, 2, 3, 4, 5))), []),
    "truncated.npy": (npy_truncated, []),
    "empty-array.npy": (npy_of(np.zeros((0, 5))), [("empty-array.npy", "the input")]),
    "text-array.npy": (npy_of(np.array([["a", "b"], ["c", "d"]])), []),
    "zero-bytes.npy": (raw(b""), []),
    "garbage.npy": (raw(b"\x93NUMPY\x01\x00" + bytes(range(256)) * 4), []),
    # CSV
    "not-utf8.csv": (raw(b"1,2\n\xff\xfe\xfa,3\n"), []),
    "ragged.csv": (raw(b"1,2,3\n4,5\n6,7,8\n"), []),
    "a-word.csv": (raw(b"1,2\nabc,4\n"), []),
    "empty.csv": (raw(b""), []),
    "only-commas.csv": (raw(b",,,\n,,,\n"), [("only-commas.csv", "the input")]),
    "nul-bytes.csv": (raw(b"\x00" * 1000), []),
    # Pictures
    "random-bytes.png": (raw(bytes(np.random.default_rng(1).integers(0, 256, 4096, np.uint8))), []),
    "cut-short.png": (png(300, 200, cut=True), []),
    "cut-in-the-pixels.png": (noisy_png, []),
    "bomb-30000x30000.png": (
        png(30000, 30000, colour=False),
        ["bomb-30000x30000.png", "pixels"],
    ),
    "bomb-10000x10000.png": (
        png(10000, 10000, colour=False),
        ["bomb-10000x10000.png", "pixels"],
    ),
    "text.jpg": (raw(b"this is not a photo\n"), []),
}


@pytest.mark.parametrize("name", INPUTS)
def test_compute_refuses_a_hostile_input(ws, name):
    build, words = INPUTS[name]
    build(ws.path(name))
    ws.refuse(
        "compute",
        "--input",
        name,
        "--kernel",
        "identity",
        "--out",
        ws.keep.name,
        words=words or [name],
    )


def test_an_11000_square_photo_is_refused_for_its_pixels(ws):
    """A 350 KB PNG that would unpack to 363 MB of pixels (and 3 GB of float64 cells), in
    colour and in grey: refused from its header, quickly, without the memory."""
    blank_png(ws.path("huge.png"), 11000, 11000)
    for colour in ("rgb", "grey"):
        ws.refuse(
            "compute",
            "--input",
            "huge.png",
            "--colour",
            colour,
            "--kernel",
            "identity",
            "--out",
            ws.keep.name,
            words=["huge.png", "pixels"],
        )


def test_a_70_MB_csv_is_refused_for_its_size(ws):
    path = ws.path("huge.csv")
    start = time.monotonic()
    line = b",".join([b"0.5"] * 1000) + b"\n"
    with open(path, "wb") as stream:
        stream.write(line * (70 * 2**20 // len(line) + 1))
    if time.monotonic() - start > 3:
        path.unlink()
        pytest.skip("writing 70 MB took more than 3 s on this machine")
    try:
        ws.refuse(
            "compute",
            "--input",
            "huge.csv",
            "--kernel",
            "identity",
            "--out",
            ws.keep.name,
            words=["huge.csv", "MB"],
        )
    finally:
        path.unlink()


KERNELS = {
    "kernel-header-100000x100000.npy": npy_header_only((100000, 100000)),
    "kernel-pickled.npy": npy_of(np.array([None, 1], dtype=object), allow_pickle=True),
    "kernel-not-utf8.csv": raw(b"\xff\xfe\n"),
    "kernel-ragged.csv": raw(b"1,2\n3\n"),
    "kernel-five-axes.npy": npy_of(np.zeros((1, 1, 1, 1, 1))),
}


@pytest.mark.parametrize("name", KERNELS)
def test_compute_refuses_a_hostile_kernel_file(ws, name):
    KERNELS[name](ws.path(name))
    words = [(name, "the kernel")] if "axes" in name else [name]
    ws.refuse("compute", "--demo", "letter-h", "--kernel", name, "--out", ws.keep.name, words=words)
