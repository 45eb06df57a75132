"""Networks from PyTorch: the project computes what the module's forward computes."""

import warnings

import numpy as np
import pytest
import torch
from torch import nn

from convviz.model import Pipeline, load_project
from convviz.model.from_arrays import document_from_arrays
from convviz.model.from_torch import SUPPORTED, project_from_torch

CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
MAX = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}
AVG = {1: nn.AvgPool1d, 2: nn.AvgPool2d, 3: nn.AvgPool3d}
SIDE = {1: 24, 2: 12, 3: 7}


def random_conv(rng, nd, channels):
    groups = int(rng.choice([g for g in (1, 2, channels) if channels % g == 0]))
    filters = groups * int(rng.integers(1, 3))
    kernel = int(rng.integers(1, 4))
    stride = int(rng.integers(1, 3))
    dilation = int(rng.integers(1, 3))
    padding = rng.choice(["number", "valid", "same"]) if stride == 1 else "number"
    padding = int(rng.integers(0, kernel)) if padding == "number" else str(padding)
    mode = str(rng.choice(["zeros", "reflect", "replicate", "circular"]))
    if padding == "same" and mode != "zeros":
        mode = "zeros"  # PyTorch pads 'same' with other modes too, but keeps it simple here
    conv = CONV[nd](
        channels,
        filters,
        kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=bool(rng.integers(0, 2)),
        padding_mode=mode,
    )
    return conv, filters


def random_layer(rng, nd, channels):
    choice = int(rng.integers(0, 7))
    if choice == 0:
        return random_conv(rng, nd, channels)
    if choice == 1:
        return nn.LeakyReLU(float(rng.uniform(0.01, 0.5))), channels
    if choice == 2:
        return (nn.ReLU(), nn.Sigmoid(), nn.Tanh())[int(rng.integers(0, 3))], channels
    kernel = int(rng.integers(1, 4))
    stride = int(rng.integers(1, 3))
    padding = int(rng.integers(0, kernel // 2 + 1))
    ceil_mode = bool(rng.integers(0, 2))
    if choice < 5:
        return MAX[nd](
            kernel, stride, padding, dilation=int(rng.integers(1, 3)), ceil_mode=ceil_mode
        ), channels
    return AVG[nd](kernel, stride, padding, ceil_mode, bool(rng.integers(0, 2))), channels


def random_network(rng, nd):
    channels = int(rng.integers(1, 4))
    first, width = random_conv(rng, nd, channels)
    layers = [first]
    for _ in range(int(rng.integers(0, 5))):
        layer, width = random_layer(rng, nd, width)
        layers.append(layer)
    net = nn.Sequential(*layers).double()
    return net, torch.randn(1, channels, *(SIDE[nd],) * nd, dtype=torch.float64)


@pytest.mark.parametrize("seed", range(60))
def test_a_random_sequential_computes_what_its_forward_computes(seed):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    nd = (1, 2, 2, 3)[seed % 4]
    while True:  # a network too deep for its input is drawn again
        net, x = random_network(rng, nd)
        try:
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # 'same' with an even kernel
                expected = net(x)[0].numpy()
        except RuntimeError:
            continue
        if not expected.size:
            continue
        try:
            project = project_from_torch(net, x)
        except ValueError as error:
            # PyTorch pools a window larger than its input to one cell (its size formula
            # truncates a negative quotient towards 0); convviz refuses that in words.
            assert "pooling window" in str(error) and "does not fit" in str(error)
            continue
        break
    outputs = Pipeline.of(project.document).outputs
    assert len(outputs) == len(net)
    np.testing.assert_allclose(outputs[-1], expected, rtol=1e-9, atol=1e-12)


def test_the_project_saves_and_opens_as_it_computes(tmp_path):
    torch.manual_seed(1)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding="same", bias=False),
        nn.LeakyReLU(0.2),
        nn.MaxPool2d(2),
        nn.Sequential(nn.Conv2d(4, 2, 3, padding="same", padding_mode="reflect"), nn.Tanh()),
        nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False),
    ).double()
    x = torch.randn(3, 10, 10, dtype=torch.float64)  # unbatched, as PyTorch takes it too
    project = project_from_torch(net, x)
    d = project.document
    assert d.settings.padding == "same" and not d.use_bias
    assert [layer.name for layer in d.layers] == [
        "leaky_relu",
        "max pool 2×2",
        "conv 2 × 3×3",
        "tanh",
        "avg pool 2×2",
    ]
    path = project.save(tmp_path / "net.convviz")
    opened = Pipeline.of(load_project(path).document).outputs[-1]
    np.testing.assert_allclose(opened, net(x).detach().numpy(), rtol=1e-12)


def test_one_convolution_alone_and_without_an_input():
    conv = nn.Conv1d(2, 3, 5, stride=2, dilation=2, padding=1, padding_mode="circular")
    d = project_from_torch(conv).document
    assert d.x.shape == (2, 32)  # a made-up input with the channels it reads
    assert d.settings.stride == (2,) and d.settings.dilation == (2,)
    assert d.settings.padding == ((1, 1),) and d.settings.padding_mode == "circular"
    expected = conv(torch.tensor(d.x, dtype=torch.float32)).detach().double().numpy()
    np.testing.assert_allclose(Pipeline.of(d).outputs[-1], expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)), r"^layer 1 \(BatchNorm2d\) is not"),
        (nn.Sequential(nn.ReLU(), nn.Conv2d(1, 1, 3)), r"^layer 0 \(ReLU\) comes first"),
        (nn.Linear(3, 3), r"^Linear is not a layer convviz can show"),
        (nn.ConvTranspose2d(1, 1, 3), r"^ConvTranspose2d is not"),
        (nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool1d(2)), r"MaxPool1d\) is 1-D in a"),
        (nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2, return_indices=True)), "indices"),
        (nn.Sequential(nn.Conv2d(1, 1, 3), nn.AvgPool2d(2, divisor_override=3)), "divisor"),
        (nn.Sequential(), "empty"),
        ("conv", r"^convviz shows a PyTorch module here, not str"),
    ],
)
def test_what_cannot_be_mapped_is_refused_naming_it_and_what_is_supported(module, message):
    with pytest.raises(ValueError, match=message) as error:
        project_from_torch(module, np.zeros((1, 8, 8)))
    assert SUPPORTED in str(error.value)


def test_a_subclass_with_its_own_forward_is_refused():
    class Doubled(nn.Conv2d):
        def forward(self, x):
            return 2 * super().forward(x)

    with pytest.raises(ValueError, match=r"^Doubled is not a layer convviz can show"):
        project_from_torch(Doubled(1, 1, 3), np.zeros((1, 8, 8)))


def test_inputs_that_do_not_fit_are_refused_in_words():
    conv = nn.Conv2d(2, 1, 3)
    with pytest.raises(ValueError, match="cannot run on this input: each filter has 2"):
        project_from_torch(conv, np.zeros((1, 8, 8)))
    with pytest.raises(ValueError, match="a batch of 4 examples; convviz shows one at a time"):
        project_from_torch(conv, np.zeros((4, 2, 8, 8)))
    with pytest.raises(ValueError, match=r"Conv2d reads \(channels, 2 spatial axes\)"):
        project_from_torch(conv, np.zeros(8))
    with pytest.raises(ValueError, match="layer 3"):
        project_from_torch(nn.Sequential(conv, nn.ReLU(), nn.Conv2d(1, 1, 9)), np.zeros((2, 8, 8)))


def test_arrays_and_conv_settings_make_the_document_conv_computes():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 9, 9))
    w = rng.standard_normal((4, 3, 3, 3))
    d = document_from_arrays(x, w, [1, 2, 3, 4], stride=2, padding=1, padding_mode="reflect")
    expected = torch.nn.functional.conv2d(
        torch.nn.functional.pad(torch.from_numpy(x)[None], (1, 1, 1, 1), mode="reflect"),
        torch.from_numpy(w),
        torch.tensor([1.0, 2, 3, 4], dtype=torch.float64),
        stride=2,
    )[0]
    np.testing.assert_allclose(Pipeline.of(d).outputs[-1], expected.numpy(), rtol=1e-12)
    assert d.use_bias


def test_arrays_in_every_shape_a_student_types():
    signal = document_from_arrays([0, 1, 2, 3, 4], [1, -1, 2], flip=True)
    np.testing.assert_array_equal(
        Pipeline.of(signal).outputs[-1][0], np.convolve([0, 1, 2, 3, 4], [1, -1, 2], "valid")
    )
    photo = document_from_arrays(np.ones((3, 6, 6)), np.ones((3, 3)))  # each colour on its own
    assert photo.weight.shape == (3, 1, 3, 3) and photo.settings.groups == 3
    grid = document_from_arrays(torch.ones(1, 1, 5, 5), torch.ones(2, 1, 3, 3))  # tensors
    assert grid.x.shape == (1, 5, 5) and grid.weight.shape == (2, 1, 3, 3)
    alone = document_from_arrays(np.ones((7, 7)))  # no weights: a 3×3 average, 'same'
    assert alone.weight.shape == (1, 1, 3, 3) and alone.settings.padding == "same"
    with pytest.raises(ValueError, match="unknown setting 'strid'; the settings are stride"):
        document_from_arrays(np.ones((5, 5)), np.ones((3, 3)), strid=2)
    with pytest.raises(ValueError, match="the bias needs one number per filter"):
        document_from_arrays(np.ones((5, 5)), np.ones((2, 1, 3, 3)), [1, 2, 3])
    with pytest.raises(ValueError, match=r"with dilation 4×4 it spans 9×9\) does not fit"):
        document_from_arrays(np.ones((5, 5)), np.ones((3, 3)), dilation=4)
    with pytest.raises(ValueError, match="the input must be numbers"):
        document_from_arrays("photo.png", np.ones((3, 3)))
