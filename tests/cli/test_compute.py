"""convviz compute writes maps that read back equal to the engine's, and errors are one line."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from convviz.cli import main
from convviz.engine import DEMOS, conv, demo, kernel, run_stack
from convviz.io.arrays import load_array
from convviz.io.picture import panels


@pytest.mark.parametrize("name", DEMOS)
@pytest.mark.parametrize("suffix", [".npy", ".csv", ".png"])
def test_every_demo_in_every_format(tmp_path, capsys, name, suffix):
    out = tmp_path / f"map{suffix}"
    assert main(["compute", "--demo", name, "--out", str(out), "--scale", "3"]) == 0
    d = demo(name)
    expected = conv(d.x, d.weight, d.bias, **d.settings)
    if d.layers:  # the demo's whole stack runs; its last output is written
        expected = run_stack(expected, d.layers)[-1]
    assert "wrote" in capsys.readouterr().out
    if suffix == ".npy":
        np.testing.assert_array_equal(np.load(out), expected)
    elif suffix == ".csv":
        np.testing.assert_allclose(
            np.loadtxt(out, delimiter=",", ndmin=2), expected.reshape(-1, expected.shape[-1])
        )
    else:
        with Image.open(out) as image:
            picture = np.asarray(image)
        parts = panels(expected)  # one picture panel per filter (and per depth slice)
        rows = max(p.shape[0] for p in parts)
        width = sum(p.shape[1] for p in parts) * 3 + (len(parts) - 1) * 3
        assert picture.shape[:2] == (rows * 3, width)


def test_png_colours_follow_the_values(tmp_path):
    x = tmp_path / "x.csv"
    x.write_text("0,0,0\n0,1,0\n0,0,-1\n")
    out = tmp_path / "m.png"
    assert (
        main(
            [
                "compute",
                "--input",
                str(x),
                "--kernel",
                "identity",
                "--padding",
                "same",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    rgba = np.asarray(Image.open(out))
    assert rgba.shape == (3, 3, 4)
    red, white, blue = rgba[1, 1], rgba[0, 0], rgba[2, 2]
    assert red[0] > 150 and red[2] < 80  # +1 is red on the diverging map
    assert blue[2] > 150 and blue[0] < 80  # −1 is blue
    assert white[:3].min() > 230  # 0 is white


def test_file_input_preset_kernel_and_settings(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(9, 8))
    np.save(tmp_path / "x.npy", x)
    out = tmp_path / "m.npy"
    argv = [
        "compute",
        "--input",
        str(tmp_path / "x.npy"),
        "--kernel",
        "sobel-x",
        "--stride",
        "2,1",
        "--padding",
        "1:0,2:1",
        "--dilation",
        "1,2",
        "--padding-mode",
        "reflect",
        "--flip",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    expected = conv(
        x[None],
        kernel("sobel-x")[None, None],
        stride=(2, 1),
        padding=[(1, 0), (2, 1)],
        dilation=(1, 2),
        padding_mode="reflect",
        flip=True,
    )
    np.testing.assert_array_equal(np.load(out), expected)


def test_rgb_image_is_blurred_channel_by_channel(tmp_path):
    pixels = np.random.default_rng(1).integers(0, 256, size=(6, 7, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "photo.png")
    out = tmp_path / "m.npy"
    assert (
        main(
            [
                "compute",
                "--input",
                str(tmp_path / "photo.png"),
                "--colour",
                "rgb",
                "--kernel",
                "box-blur",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    result = np.load(out)
    assert result.shape == (3, 4, 5)
    assert result[2, 0, 0] == pytest.approx(pixels[:3, :3, 2].mean())


def test_kernel_from_csv_and_signal_from_one_row_csv(tmp_path):
    (tmp_path / "s.csv").write_text("0,1,2,3,4\n")
    (tmp_path / "k.csv").write_text("1,-1,2\n")
    out = tmp_path / "m.npy"
    assert (
        main(
            [
                "compute",
                "--input",
                str(tmp_path / "s.csv"),
                "--kernel",
                str(tmp_path / "k.csv"),
                "--padding",
                "full",
                "--flip",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert np.load(out)[0].tolist() == np.convolve([0, 1, 2, 3, 4], [1, -1, 2]).tolist()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--demo", "letter-h", "--stride", "0"], "stride must be at least 1"),
        (["--demo", "letter-h", "--kernel", "blurry"], "neither a kernel preset"),
        (["--demo", "letter-h", "--padding", "lots"], "padding must be"),
        (
            [
                "--demo",
                "letter-h",
                "--padding",
                "valid",
                "--kernel",
                "gaussian-5x5",
                "--dilation",
                "5",
            ],
            "does not fit",
        ),
        (
            ["--input", "missing.csv", "--kernel", "identity"],
            "cannot open missing.csv: no such file",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(tmp_path, capsys, argv, words):
    out = tmp_path / "m.npy"
    assert main(["compute", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convviz: error: ")
    assert words in err
    assert not out.exists()


def test_typo_in_a_csv_cell_is_named(tmp_path, capsys):
    (tmp_path / "x.csv").write_text("1,2,3\n4,five,6\n")
    assert (
        main(
            [
                "compute",
                "--input",
                str(tmp_path / "x.csv"),
                "--kernel",
                "identity",
                "--out",
                str(tmp_path / "m.npy"),
            ]
        )
        == 2
    )
    assert "x.csv, line 2: 'five' is not a number" in capsys.readouterr().err


def test_corrupt_image_and_npy(tmp_path, capsys):
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (tmp_path / "bad.npy").write_bytes(b"garbage")
    for name in ("bad.png", "bad.npy"):
        assert (
            main(
                [
                    "compute",
                    "--input",
                    str(tmp_path / name),
                    "--kernel",
                    "identity",
                    "--out",
                    str(tmp_path / "m.npy"),
                ]
            )
            == 2
        )
        assert "not a readable" in capsys.readouterr().err


def test_list_names_demos_and_presets(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "letter-h" in out and "sobel-x" in out and "checkerboard" in out


def test_loaded_csv_round_trips(tmp_path):
    (tmp_path / "x.csv").write_text("# a comment\n1\t2\t3\n4 5 6\n")
    assert load_array(tmp_path / "x.csv").tolist() == [[1, 2, 3], [4, 5, 6]]


def test_snapshot_writes_the_window_at_a_step(tmp_path, capsys):
    out = tmp_path / "window.png"
    assert (
        main(
            [
                "snapshot",
                "--demo",
                "letter-h",
                "--step",
                "40",
                "--size",
                "1200x800",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    with Image.open(out) as image:
        picture = np.asarray(image.convert("RGB"))
    assert picture.shape == (800, 1200, 3)
    orange = (
        (picture[..., 0] > 240)
        & (picture[..., 1] > 120)
        & (picture[..., 1] < 160)
        & (picture[..., 2] < 40)
    )
    assert orange.sum() > 200  # the window and the output cell are outlined in orange


def test_snapshot_of_a_step_that_does_not_exist(tmp_path, capsys):
    assert main(["snapshot", "--step", "999", "--out", str(tmp_path / "w.png")]) == 2
    assert "step 999 does not exist" in capsys.readouterr().err


def test_activation_after_the_convolution(tmp_path):
    out = tmp_path / "m.npy"
    assert main(["compute", "--demo", "edges", "--activation", "relu", "--out", str(out)]) == 0
    d = demo("edges")
    np.testing.assert_array_equal(np.load(out), np.maximum(conv(d.x, d.weight, **d.settings), 0))


def test_pooling_after_the_convolution(tmp_path, capsys):
    import torch
    import torch.nn.functional as F

    out = tmp_path / "m.npy"
    assert (
        main(
            [
                "compute",
                "--demo",
                "edges",
                "--activation",
                "relu",
                "--pool",
                "max:2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    d = demo("edges")
    relu = torch.relu(torch.tensor(conv(d.x, d.weight, **d.settings)))
    np.testing.assert_array_equal(np.load(out), F.max_pool2d(relu, 2).numpy())
    assert main(["compute", "--demo", "signal-1d", "--pool", "avg:3:2:1", "--out", str(out)]) == 0
    expected = F.avg_pool1d(torch.tensor([[0.0, 1, 1, 3, 5, 2, 8]]), 3, 2, 1)
    np.testing.assert_allclose(np.load(out), expected.numpy())
    assert main(["compute", "--demo", "edges", "--pool", "mean:2", "--out", str(out)]) == 2
    assert "--pool takes max:K" in capsys.readouterr().err


def test_a_stack_runs_to_any_layer_like_pytorch(tmp_path, capsys):
    import torch
    import torch.nn.functional as F

    d = demo("tiny-cnn")
    x = torch.tensor(d.x)[None]
    edges = F.conv2d(x, torch.tensor(d.weight), padding=1)
    pooled = F.max_pool2d(torch.relu(edges), 2)
    combined = F.conv2d(pooled, torch.tensor(d.layers[2].weight), padding=1)
    expected = {3: pooled, 5: F.avg_pool2d(combined, 2)}
    out = tmp_path / "m.npy"
    for layer, values in expected.items():
        args = ["compute", "--demo", "tiny-cnn", "--layer", str(layer), "--out", str(out)]
        assert main(args) == 0
        np.testing.assert_allclose(np.load(out), values[0].numpy(), rtol=1e-12, atol=1e-12)
    assert "layer 5 (avg pool 2×2): 1 map(s) of 4×4" in capsys.readouterr().out
    assert main(["compute", "--demo", "tiny-cnn", "--layer", "9", "--out", str(out)]) == 2
    assert "--layer must be 1 to 5" in capsys.readouterr().err


def test_a_project_computes_with_its_layers(tmp_path):
    from convviz.model import Session, save_project

    s = Session("cs231n")
    s.edits.set_activation("relu")
    s.edits.add_pool("max", 2, stride=1)
    path = save_project(tmp_path / "p.convviz", s.to_project())
    out = tmp_path / "m.npy"
    assert main(["compute", "--project", str(path), "--out", str(out)]) == 0
    np.testing.assert_array_equal(np.load(out), s.pipeline.outputs[-1])
    assert np.load(out).shape == (2, 2, 2)


def test_activation_follows_the_convolution_even_in_a_stack(tmp_path, capsys):
    """``--activation`` is the one right after layer 1 (its --help says so), not the last."""
    out = tmp_path / "m.npy"
    argv = ["compute", "--demo", "tiny-cnn", "--activation", "sigmoid", "--layer", "2"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "layer 2 (sigmoid)" in capsys.readouterr().out
    d = demo("tiny-cnn")
    x = torch.tensor(d.x)[None]
    expected = torch.sigmoid(F.conv2d(x, torch.tensor(d.weight), padding=1))[0]
    np.testing.assert_allclose(np.load(out), expected.numpy(), rtol=1e-12, atol=1e-12)
    # The whole stack still has five layers: the sigmoid replaced the ReLU.
    assert (
        main(["compute", "--demo", "tiny-cnn", "--activation", "sigmoid", "--out", str(out)]) == 0
    )
    assert "layer 5 (avg pool 2×2)" in capsys.readouterr().out


def test_a_new_kernel_on_a_stack_is_met_by_the_next_convolution(tmp_path, capsys):
    """``--kernel box-blur`` gives tiny-cnn one filter: the conv at layer 4 follows, as in the
    window (its kept channel keeps its weights)."""
    out = tmp_path / "m.npy"
    argv = ["compute", "--demo", "tiny-cnn", "--kernel", "box-blur", "--out", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    d = demo("tiny-cnn")
    deeper = d.layers[2]  # ReLU, max pool, this convolution, avg pool
    x = torch.tensor(d.x)[None]
    y = torch.relu(F.conv2d(x, torch.tensor(np.full((1, 1, 3, 3), 1 / 9)), padding=1))
    y = F.max_pool2d(y, 2)
    weight = torch.tensor(deeper.weight[:, :1])  # only the first filter's map is still there
    bias = None if deeper.bias is None else torch.tensor(deeper.bias)
    y = F.conv2d(y, weight, bias, padding=deeper.settings["padding"])
    y = F.avg_pool2d(y, 2)[0]
    np.testing.assert_allclose(np.load(out), y.numpy(), rtol=1e-12, atol=1e-12)


def test_one_parser_reads_the_window_and_every_subcommand():
    from convviz.cli import build_parser

    parser = build_parser()
    window = parser.parse_args(["window", "--demo", "cs231n"])
    assert (window.command, window.demo, window.project) == ("window", "cs231n", None)
    for argv in (["compute", "--demo", "edges", "--out", "x.npy"], ["list"]):
        assert parser.parse_args(argv).command == argv[0]
    snap = parser.parse_args(
        ["snapshot", "--demo", "tiny-cnn", "--activation", "tanh", "--out", "a.png"]
    )
    assert snap.activation == "tanh"  # the window's renders take the same document options
