"""convviz compute --weights FILE[:NAME]: layer 1's weight (and its bias) from a weights file."""

import numpy as np
import pytest
import torch
from safetensors.numpy import save_file

from convviz.cli import main
from convviz.engine import conv, demo


def compute(tmp_path, *argv):
    out = tmp_path / "out.npy"
    code = main(["compute", *argv, "--out", str(out)])
    return code, (np.load(out) if code == 0 else None)


def test_the_only_weight_that_fits_and_its_bias(tmp_path):
    rng = np.random.default_rng(0)
    weight, bias = rng.standard_normal((2, 1, 3, 3)), rng.standard_normal(2)
    path = tmp_path / "w.safetensors"
    save_file({"conv.weight": weight, "conv.bias": bias, "fc.weight": np.ones((3, 4))}, str(path))
    code, values = compute(tmp_path, "--demo", "letter-h", "--weights", str(path))
    assert code == 0
    x = demo("letter-h").x
    np.testing.assert_allclose(values, conv(x, weight, bias, padding="same"))


def test_a_named_array_of_a_pytorch_state_dict_and_the_stack_follows(tmp_path):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3), torch.nn.Conv2d(3, 1, 3))
    path = tmp_path / "net.pt"
    torch.save(net.state_dict(), path)
    code, values = compute(
        tmp_path, "--demo", "tiny-cnn", "--layer", "1", "--weights", f"{path}:0.weight"
    )
    assert code == 0
    state = {k: v.double().numpy() for k, v in net.state_dict().items()}
    d = demo("tiny-cnn")
    np.testing.assert_allclose(values, conv(d.x, state["0.weight"], state["0.bias"], **d.settings))
    code, last = compute(tmp_path, "--demo", "tiny-cnn", "--weights", f"{path}:0.weight")
    assert code == 0 and last.shape == (1, 4, 4)  # the next convolution reads 3 channels now


def test_an_input_file_with_weights_from_an_npz(tmp_path):
    x = np.arange(20.0).reshape(1, 4, 5)
    np.save(tmp_path / "x.npy", x)
    np.savez(tmp_path / "k.npz", kernel=np.ones((1, 1, 2, 2)))
    code, values = compute(
        tmp_path, "--input", str(tmp_path / "x.npy"), "--weights", str(tmp_path / "k.npz")
    )
    assert code == 0
    np.testing.assert_allclose(values, conv(x, np.ones((1, 1, 2, 2))))


@pytest.mark.parametrize(
    ("arrays", "spec", "words"),
    [
        (
            {"a.weight": np.ones((1, 1, 3, 3)), "b.weight": np.ones((1, 1, 3, 3))},
            "",
            "w.npz holds 2 arrays that could be the weights (a.weight, b.weight); name one "
            "with w.npz:NAME",
        ),
        ({"bias": np.ones(3)}, "", "w.npz holds no array of 4 axes"),
        ({"a": np.ones((1, 1, 3, 3))}, ":b", "there is no array 'b'; the file holds a"),
        ({"a": np.ones((1, 2, 3, 3))}, ":a", "layer 1 reads 1 channel(s)"),
    ],
)
def test_weights_that_cannot_be_used_are_one_line(tmp_path, capsys, arrays, spec, words):
    np.savez(tmp_path / "w.npz", **arrays)
    code, _ = compute(tmp_path, "--demo", "letter-h", "--weights", f"{tmp_path / 'w.npz'}{spec}")
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert words in err


def test_kernel_and_weights_together_are_refused(tmp_path, capsys):
    np.savez(tmp_path / "w.npz", a=np.ones((1, 1, 3, 3)))
    code, _ = compute(
        tmp_path, "--demo", "letter-h", "--kernel", "box-blur", "--weights", str(tmp_path / "w.npz")
    )
    assert code == 2
    assert "--kernel and --weights both give" in capsys.readouterr().err


def test_a_pytorch_file_holding_code_is_refused(tmp_path, capsys):
    import os

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'ran'}",))

    torch.save({"weight": Payload()}, tmp_path / "evil.pt")
    code, _ = compute(tmp_path, "--demo", "letter-h", "--weights", str(tmp_path / "evil.pt"))
    assert code == 2 and "evil.pt asks to run Python code" in capsys.readouterr().err
    assert not (tmp_path / "ran").exists()
