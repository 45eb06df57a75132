"""Weights files: .safetensors and .npz without PyTorch, .pt state dicts that never run code."""

import os
import pickle
import sys
import zipfile

import numpy as np
import pytest
import torch
from safetensors.numpy import save_file

from convviz.io.weights import read_weights


def state():
    rng = np.random.default_rng(0)
    return {
        "conv1.weight": rng.standard_normal((4, 3, 3, 3)).astype(np.float32),
        "conv1.bias": rng.standard_normal(4).astype(np.float32),
        "steps": np.arange(3, dtype=np.int64),
    }


def assert_same(read, expected):
    assert sorted(read) == sorted(expected)
    for name, array in expected.items():
        assert read[name].dtype == np.float64
        np.testing.assert_array_equal(read[name], array)


def test_safetensors(tmp_path):
    path = tmp_path / "w.safetensors"
    save_file(state(), str(path))
    assert_same(read_weights(path), state())


def test_npz(tmp_path):
    path = tmp_path / "w.npz"
    np.savez_compressed(path, **state())
    assert_same(read_weights(path), state())


def test_pytorch_state_dict_nested_and_with_other_entries(tmp_path):
    path = tmp_path / "checkpoint.pt"
    model = {k: torch.from_numpy(v) for k, v in state().items()}
    torch.save({"model": model, "epoch": 7, "note": "best", "history": [torch.ones(2)]}, path)
    read = read_weights(path)
    assert list(read) == ["model.conv1.weight", "model.conv1.bias", "model.steps", "history.0"]
    np.testing.assert_array_equal(read["model.conv1.weight"], state()["conv1.weight"])
    assert read["history.0"].tolist() == [1.0, 1.0]


def test_a_module_state_dict_in_bfloat16(tmp_path):
    conv = torch.nn.Conv2d(2, 3, 3).to(torch.bfloat16)
    path = tmp_path / "w.pth"
    torch.save(conv.state_dict(), path)
    read = read_weights(path)
    assert read["weight"].shape == (3, 2, 3, 3)
    np.testing.assert_array_equal(read["weight"], conv.weight.detach().double().numpy())


class Payload:
    """Unpickling this runs a shell command that leaves a file behind."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("how", ["torch.save", "pickle"])
def test_a_pytorch_file_holding_code_is_refused_and_its_code_never_runs(tmp_path, how):
    marker = tmp_path / "the-payload-ran"
    path = tmp_path / "evil.pt"
    if how == "torch.save":
        torch.save({"weight": torch.ones(1, 1, 3, 3), "trap": Payload(marker)}, path)
    else:  # an old-style PyTorch file: a bare pickle
        path.write_bytes(pickle.dumps({"weight": [1.0], "trap": Payload(marker)}, protocol=2))
    with pytest.raises(ValueError, match=r"evil\.pt asks to run Python code") as error:
        read_weights(path)
    assert "system" in str(error.value)
    assert "convviz never runs a file's code" in str(error.value)
    assert not marker.exists()


def test_pytorch_files_need_pytorch(tmp_path, monkeypatch):
    path = tmp_path / "w.pt"
    torch.save({"weight": torch.ones(2)}, path)
    monkeypatch.setitem(sys.modules, "torch", None)  # as if PyTorch were not installed
    with pytest.raises(ValueError, match=r"reading w\.pt needs PyTorch") as error:
        read_weights(path)
    assert "safetensors.torch.save_file" in str(error.value)


def test_safetensors_and_npz_need_no_pytorch(tmp_path):
    save_file(state(), str(tmp_path / "w.safetensors"))
    np.savez(tmp_path / "w.npz", **state())
    files = [str(tmp_path / "w.safetensors"), str(tmp_path / "w.npz")]
    code = (
        "import sys; from convviz.io.weights import read_weights\n"
        f"for path in {files!r}: read_weights(path)\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    import subprocess

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("suffix", [".safetensors", ".npz", ".pt"])
def test_damaged_files_are_refused_in_words(tmp_path, suffix):
    good = tmp_path / f"good{suffix}"
    if suffix == ".safetensors":
        save_file(state(), str(good))
    elif suffix == ".npz":
        np.savez(good, **state())
    else:
        torch.save({k: torch.from_numpy(v) for k, v in state().items()}, good)
    data = good.read_bytes()
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"^cut\.\w+ is not"):
        read_weights(cut)
    noise = tmp_path / f"noise{suffix}"
    noise.write_bytes(b"not weights at all" * 10)
    with pytest.raises(ValueError, match=r"^noise\.\w+ is not"):
        read_weights(noise)


def test_a_compressed_npz_that_unpacks_past_the_budget_is_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.npz"
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (100_000, 100_000)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("w.npy", "w") as stream,
    ):
        np.lib.format.write_array_header_1_0(stream, header)
        stream.write(b"\0" * 1000)
    with pytest.raises(ValueError, match=r"bomb\.npz's 'w' holds 100000×100000"):
        read_weights(path)


def test_other_files_and_empty_ones(tmp_path):
    with pytest.raises(ValueError, match=r"use \.safetensors, \.npz, or a PyTorch"):
        other = tmp_path / "w.txt"
        other.write_text("1")
        read_weights(other)
    with pytest.raises(ValueError, match="no such file"):
        read_weights(tmp_path / "missing.npz")
    empty = tmp_path / "empty.npz"
    np.savez(empty, text=np.array(["a", "b"]))
    with pytest.raises(ValueError, match=r"empty\.npz holds no arrays of numbers"):
        read_weights(empty)
