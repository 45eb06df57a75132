"""Weights from files: ``.safetensors``, ``.npz`` and PyTorch's ``.pt``/``.pth`` state dicts.

Every file is read as named arrays of float64. Nothing here runs code a file carries:
``.npz`` is read without pickles, ``.safetensors`` holds no code at all, and a PyTorch file
is opened with ``torch.load(..., weights_only=True)``, which refuses any object but tensors
and plain containers. PyTorch itself is imported only to read a ``.pt`` file.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np

from ..engine.limits import MAX_CELLS, cells_text
from .readers import check_cells, checked_file

WEIGHT_SUFFIXES = (".safetensors", ".npz", ".pt", ".pth")
REAL_KINDS = "biuf"  # bool, signed and unsigned whole numbers, floats


def read_weights(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """The arrays of a weights file, by name, as float64.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.safetensors`` file (read through the ``safetensors`` package's NumPy side: no
        PyTorch needed), an ``.npz`` file (``numpy.savez``), or a PyTorch ``.pt``/``.pth`` file
        holding a state dict or tensors (needs PyTorch; never runs code the file carries).

    Returns
    -------
    dict of str to numpy.ndarray
        Every array of real numbers in the file, in the file's order. A nested PyTorch
        checkpoint (``{"model": state_dict, ...}``) gives dotted names (``model.conv1.weight``);
        entries that are not tensors (an epoch number, a string) are skipped.

    Raises
    ------
    ValueError
        In words: a file that is missing, too large, damaged, of another kind, that holds no
        arrays or more numbers than convviz works with, or a PyTorch file that asks to run code.
    """
    path, _ = checked_file(path, "weights")
    suffix = path.suffix.lower()
    if suffix == ".safetensors":
        arrays = _read_safetensors(path)
    elif suffix == ".npz":
        arrays = _read_npz(path)
    elif suffix in (".pt", ".pth"):
        arrays = _read_torch(path)
    else:
        raise ValueError(
            f"cannot read weights from {path.name}: use .safetensors, .npz, or a PyTorch "
            ".pt/.pth state dict"
        )
    if not arrays:
        raise ValueError(f"{path.name} holds no arrays of numbers")
    return arrays


def _budget(path: Path):
    """A check that the arrays read so far hold at most ``MAX_CELLS`` numbers together."""
    total = 0

    def check(name: str, shape) -> None:
        nonlocal total
        check_cells(shape, f"{path.name}'s {name!r}")
        total += int(np.prod(shape, dtype=np.int64))
        if total > MAX_CELLS:
            raise ValueError(
                f"{path.name} holds more than {cells_text(MAX_CELLS)} numbers in all, more "
                "than convviz works with; save only the layers you want to show"
            )

    return check


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    try:
        from safetensors import SafetensorError, safe_open
    except ImportError:  # a dependency of convviz: only a broken installation lacks it
        raise ValueError(
            f"reading {path.name} needs the safetensors package (pip install safetensors)"
        ) from None
    check = _budget(path)
    arrays = {}
    try:
        with safe_open(str(path), framework="np") as stream:
            for name in stream.keys():  # noqa: SIM118 - a safetensors file is no dict
                piece = stream.get_slice(name)
                dtype = piece.get_dtype()
                if dtype.startswith("BF") or dtype.startswith("F8"):
                    raise ValueError(
                        f"{path.name}'s {name!r} holds {dtype} numbers, which NumPy cannot read; "
                        "save the weights as float32 (tensor.float())"
                    )
                check(name, piece.get_shape())
                arrays[name] = _as_float64(stream.get_tensor(name))
    except SafetensorError as error:
        raise ValueError(f"{path.name} is not a readable .safetensors file ({error})") from None
    except OSError as error:
        raise ValueError(f"cannot open {path.name}: {error.strerror or error}") from None
    return {name: a for name, a in arrays.items() if a is not None}


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """Each member's header is checked before its numbers are read: a compressed file of a
    few kilobytes may unpack to gigabytes."""
    check = _budget(path)
    names = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith(".npy"):
                    continue
                name = info.filename[: -len(".npy")]
                with archive.open(info) as stream:
                    shape, dtype = _npy_header(stream, name)
                if dtype.kind in REAL_KINDS:
                    check(name, shape)
                    names.append(name)
        with np.load(path, allow_pickle=False) as npz:
            return {name: _as_float64(npz[name]) for name in names}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        if isinstance(error, ValueError) and path.name in str(error):
            raise  # already in words: too many numbers
        raise ValueError(f"{path.name} is not a readable .npz file ({error})") from None


def _npy_header(stream, name: str):
    version = np.lib.format.read_magic(stream)
    if version not in ((1, 0), (2, 0), (3, 0)):
        raise ValueError(f"{name!r} has an unknown format version {version}")
    read = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    shape, _, dtype = read(stream)
    if any(int(n) < 0 for n in shape):
        raise ValueError(f"{name!r} declares a negative size")
    return shape, dtype


def _read_torch(path: Path) -> dict[str, np.ndarray]:
    try:
        import torch
    except ImportError:
        raise ValueError(
            f"reading {path.name} needs PyTorch (pip install torch), which is not installed. "
            "convviz reads .safetensors and .npz files without it: save the weights with "
            "safetensors.torch.save_file(model.state_dict(), 'weights.safetensors')"
        ) from None
    try:
        with warnings.catch_warnings():  # torch's advice on pickle protocols is not the user's
            warnings.simplefilter("ignore")
            loaded = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds; none of them has run the file's code
        raise ValueError(_torch_refusal(path, error)) from None
    check = _budget(path)
    arrays = {}
    for name, tensor in _tensors(loaded, "", torch):
        check(name, tuple(tensor.shape))
        array = _as_float64(_tensor_array(tensor, torch))
        if array is not None:
            arrays[name or "tensor"] = array
    return arrays


def _torch_refusal(path: Path, error: Exception) -> str:
    """Why ``torch.load(..., weights_only=True)`` refused ``path``, in words."""
    text = str(error)
    wanted = re.search(r"GLOBAL ([\w.]+)", text)
    if wanted:
        return (
            f"{path.name} asks to run Python code when it is opened ({wanted.group(1)}), not "
            "only to hold tensors; convviz never runs a file's code. Save only the weights: "
            "torch.save(model.state_dict(), path)"
        )
    if "Weights only load failed" in text:
        return (
            f"{path.name} is not a PyTorch file convviz can open safely: it is damaged, or it "
            "holds more than tensors, numbers and names. Save only the weights: "
            "torch.save(model.state_dict(), path)"
        )
    lines = text.strip().splitlines()
    return f"{path.name} is not a readable PyTorch file ({lines[0] if lines else error!r})"


def _tensors(value, prefix: str, torch):
    """``(dotted name, tensor)`` for every tensor in nested dicts, lists and tuples."""
    if isinstance(value, torch.Tensor):
        yield prefix, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _tensors(item, f"{prefix}.{key}" if prefix else str(key), torch)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _tensors(item, f"{prefix}.{index}" if prefix else str(index), torch)


def _tensor_array(tensor, torch) -> np.ndarray | None:
    """A tensor's numbers on the CPU (None for complex, quantised or sparse ones)."""
    if tensor.is_complex() or tensor.is_quantized or tensor.layout != torch.strided:
        return None
    return tensor.detach().to("cpu", torch.float64).numpy()


def _as_float64(array) -> np.ndarray | None:
    """Real numbers as a float64 array; None for anything else (text, complex, objects)."""
    array = np.asarray(array)
    if array.dtype.kind not in REAL_KINDS:
        return None
    return np.array(array, dtype=np.float64)
