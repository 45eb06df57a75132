"""Inputs and kernels from .npy, .csv and image files; feature maps to .npy, .csv and .png."""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path

import numpy as np

from ..engine import KERNELS
from .atomic import atomic_path
from .readers import MAX_IMAGE_PIXELS, check_cells, check_pixels, checked_file, read_bytes

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff")


def _read_csv(path: Path) -> np.ndarray:
    rows = []
    try:
        text = read_bytes(path, "table").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a text table (it is not UTF-8 text)") from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c for c in line.replace(";", ",").replace("\t", ",").split(",")]
        if len(cells) == 1:
            cells = line.split()
        try:
            rows.append([float(c) for c in cells if c.strip() != ""])
        except ValueError:
            bad = next(c for c in cells if not _is_number(c))
            raise ValueError(
                f"{path.name}, line {number}: {bad.strip()!r} is not a number"
            ) from None
    if not rows:
        raise ValueError(f"{path.name} holds no numbers")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise ValueError(
            f"{path.name}: rows have different lengths ({sorted(widths)}); "
            "every row needs the same number of values"
        )
    return np.array(rows, dtype=np.float64)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def image_size(path: str | os.PathLike) -> tuple[int, int]:
    """An image file's ``(rows, columns)`` without decoding its pixels."""
    from PIL import UnidentifiedImageError

    path = _image_path(path)
    try:
        with _opened_image(path) as image:
            return image.height, image.width
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(f"{path.name} is not a readable image ({_reason(error)})") from None


@contextlib.contextmanager
def _opened_image(path: Path):
    """``Image.open`` without Pillow's size warning: convviz checks the pixels itself, in
    words, before anything is decoded."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            yield image


def _image_path(path: str | os.PathLike) -> Path:
    path, _ = checked_file(path, "image")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ValueError(f"{path.name} is not an image convviz reads; use PNG, JPEG or BMP")
    return path


def _reason(error: Exception) -> str:
    text = str(error)
    return text.split(" '")[0] if "cannot identify image file" in text else text


def fitted_size(rows: int, cols: int, max_side: int) -> tuple[int, int]:
    """The size that keeps the aspect ratio with neither side above ``max_side``."""
    if max(rows, cols) <= max_side:
        return rows, cols
    factor = max_side / max(rows, cols)
    return max(1, round(rows * factor)), max(1, round(cols * factor))


def _read_image(path: Path, colour: str, max_side: int | None = None) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with _opened_image(path) as image:
            check_pixels(image.height, image.width, path.name)
            image.load()
            mode = "RGB" if colour == "rgb" else "L"
            picture = image.convert(mode)
            if max_side is not None:
                rows, cols = fitted_size(picture.height, picture.width, max_side)
                if (rows, cols) != (picture.height, picture.width):
                    picture = picture.resize((cols, rows), Image.Resampling.BOX)
            pixels = np.asarray(picture, dtype=np.float64)
    except Image.DecompressionBombError:
        raise ValueError(
            f"{path.name} is too large to open safely (over "
            f"{MAX_IMAGE_PIXELS:,} pixels); shrink it first"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(f"{path.name} is not a readable image ({_reason(error)})") from None
    return np.moveaxis(pixels, -1, 0) if pixels.ndim == 3 else pixels


def load_image(
    path: str | os.PathLike, colour: str = "grey", max_side: int | None = None
) -> np.ndarray:
    """An image as ``(C, rows, cols)`` pixel values 0–255, shrunk to fit ``max_side``.

    ``colour="grey"`` gives one channel, ``"rgb"`` three (red, green, blue). Shrinking averages
    the pixels each new cell covers.
    """
    pixels = _read_image(_image_path(path), colour, max_side)
    return pixels[None] if pixels.ndim == 2 else pixels


def load_array(path: str | os.PathLike, colour: str = "grey") -> np.ndarray:
    """Numbers from a ``.npy``, ``.csv``/``.txt`` or image file, as float64.

    Images give their pixel values 0–255: one grid for ``colour="grey"``, or three channel grids
    (red, green, blue) for ``colour="rgb"``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    checked_file(
        path, "array" if suffix == ".npy" else "image" if suffix in IMAGE_SUFFIXES else "table"
    )
    if suffix == ".npy":
        return _read_npy(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    if suffix in IMAGE_SUFFIXES:
        return _read_image(path, colour)
    raise ValueError(f"cannot read {path.name}: use .npy, .csv or an image (.png, .jpg, ...)")


def _read_npy(path: Path) -> np.ndarray:
    """A ``.npy`` file of real numbers, its header checked before the data is read."""
    path, size = checked_file(path, "array")
    try:
        with open(path, "rb") as stream:
            version = np.lib.format.read_magic(stream)
            if version not in ((1, 0), (2, 0), (3, 0)):
                raise ValueError(f"format version {version}")
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(stream)
            if dtype.hasobject or dtype.kind not in "biuf":
                raise ValueError(f"{path.name} holds {dtype} values, not real numbers")
            if any(int(n) < 0 for n in shape):
                raise ValueError(f"{path.name} is damaged: its header declares a negative size")
            check_cells(shape, path.name)
            if stream.tell() + dtype.itemsize * int(np.prod(shape, dtype=np.int64)) > size:
                raise ValueError(f"{path.name} is cut short: its header promises more numbers")
            array = np.fromfile(stream, dtype=dtype, count=int(np.prod(shape, dtype=np.int64)))
    except (OSError, EOFError) as error:
        raise ValueError(f"{path.name} is not a readable .npy file ({error})") from None
    except ValueError as error:
        if path.name in str(error):
            raise
        raise ValueError(f"{path.name} is not a readable .npy file ({error})") from None
    array = array.reshape(shape, order="F" if fortran else "C")
    return array.astype(np.float64)


def load_input(path: str | os.PathLike, colour: str = "grey") -> np.ndarray:
    """An input as ``(C, *S)``: a 1-row CSV or 1-D array is a signal, a 2-D array one grid."""
    array = load_array(path, colour)
    if array.ndim == 2 and array.shape[0] == 1 and Path(path).suffix.lower() != ".npy":
        array = array[0]
    if array.ndim in (1, 2):
        return array[None]
    if array.ndim in (3, 4):
        return array
    raise ValueError(f"{Path(path).name} has {array.ndim} axes; an input has 1 to 4")


def load_kernel(spec: str, nd: int, channels: int) -> tuple[np.ndarray, int]:
    """The weight ``(F, C // groups, *K)`` and ``groups`` for a preset name or a file.

    A plain kernel (no filter/channel axes) is applied to each input channel separately
    (``groups = channels``), the way an image editor blurs each colour; a file holding the full
    ``nd + 2`` axes is used as it is, with ``groups = 1``.
    """
    if spec in KERNELS:
        kernel = KERNELS[spec].copy()
    else:
        path = Path(spec)
        if not path.exists():
            raise ValueError(
                f"{spec!r} is neither a kernel preset ({', '.join(KERNELS)}) nor an existing file"
            )
        kernel = load_array(path)
        if kernel.ndim == 2 and kernel.shape[0] == 1 and nd == 1:
            kernel = kernel[0]
    if kernel.ndim == nd + 2:
        return kernel, 1
    if kernel.ndim != nd:
        raise ValueError(
            f"the kernel has {kernel.ndim} axes but the input has {nd} spatial "
            f"axes; give a {nd}-D kernel"
        )
    return np.broadcast_to(kernel, (channels, 1, *kernel.shape)).copy(), channels


def save_map(
    path: str | os.PathLike, values: np.ndarray, *, scale: int = 1, colormap: str = "diverging"
) -> None:
    """Write a ``(F, *O)`` map as ``.npy`` (as is), ``.csv`` (one block per filter) or ``.png``.

    The file appears whole or not at all: it is written next to its place and then renamed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".npy", ".csv", ".png"):
        raise ValueError(f"cannot write {path.name}: use .npy, .csv or .png")
    with atomic_path(path) as temporary, open(temporary, "wb") as handle:
        if suffix == ".npy":
            np.save(handle, values)
        elif suffix == ".csv":
            handle.write(map_csv(values).encode())
        else:
            from PIL import Image

            from .picture import map_picture

            Image.fromarray(map_picture(values, scale=scale, colormap=colormap)).save(
                handle, format="PNG"
            )


def map_csv(values: np.ndarray) -> str:
    """A ``(F, *O)`` map as CSV text: a ``# filter f`` line, then its rows, for each filter.

    Filters are counted from 1 and depth slices indexed from 0, as the window names them. 1-D
    maps give one row per filter; 3-D maps one block per filter and depth slice. A vector (a
    linear layer's outputs) is one row.
    """
    values = np.asarray(values)
    if values.ndim == 1:
        row = ",".join(repr(float(v)) for v in values)
        return f"# a vector of {values.size} numbers\n{row}\n"
    lines = []
    for f, filter_map in enumerate(values):
        blocks = [(None, filter_map)] if filter_map.ndim < 3 else list(enumerate(filter_map))
        for depth, block in blocks:
            label = f"# filter {f + 1}" + ("" if depth is None else f", depth {depth}")
            lines.append(label)
            for row in np.atleast_2d(block):
                lines.append(",".join(repr(float(v)) for v in row))
    return "\n".join(lines) + "\n"
