"""Project files saved by earlier versions keep opening, with the same numbers.

The fixtures were written by convviz before the activation after the first convolution became
a layer entry (format 1 with an ``activation`` field); they must open, compute what PyTorch
computes from the file's own numbers, and save again in today's form.
"""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convviz.model import Session, load_project, save_project

FIXTURES = Path(__file__).parent.parent / "fixtures" / "projects"
OLD = sorted(FIXTURES.glob("v1-*.convviz"))


def _torch_first_layer(raw: dict) -> np.ndarray:
    """The first convolution and its activation, computed by PyTorch from the file's JSON."""
    x = torch.tensor(np.array(raw["input"], dtype=np.float64))[None]
    weight = torch.tensor(np.array(raw["weight"], dtype=np.float64))
    bias = torch.tensor(np.array(raw["bias"], dtype=np.float64)) if raw["use_bias"] else None
    settings = raw["settings"]
    nd = weight.ndim - 2
    pads = settings["padding"]
    assert not isinstance(pads, str) or pads != "full"
    mode = {"zeros": "constant"}.get(settings["padding_mode"], settings["padding_mode"])
    if isinstance(pads, str):
        padding = pads
    else:
        flat = [v for pair in reversed(pads) for v in pair]
        x = F.pad(x, flat, mode=mode)
        padding = 0
    if settings["flip"]:
        weight = torch.flip(weight, dims=list(range(2, 2 + nd)))
    conv = getattr(F, f"conv{nd}d")
    y = conv(
        x,
        weight,
        bias,
        stride=settings["stride"],
        padding=padding,
        dilation=settings["dilation"],
        groups=settings["groups"],
    )
    activation = raw.get("activation", "none")
    if activation != "none":
        y = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation](y)
    return y[0].numpy()


def test_there_are_old_fixtures():
    assert len(OLD) >= 4


@pytest.mark.parametrize("path", OLD, ids=lambda p: p.name)
def test_an_old_project_opens_with_the_same_numbers(path, tmp_path):
    raw = json.loads(path.read_text())
    assert raw["version"] == 1 and "activation" in raw
    project = load_project(path)
    session = Session()
    session.open_project(project)
    layers = session.pipeline.layers
    expected = _torch_first_layer(raw)
    first_stage_end = 2 if raw["activation"] != "none" else 1
    np.testing.assert_allclose(
        session.pipeline.outputs_that_run[first_stage_end - 1], expected, rtol=1e-12, atol=1e-12
    )
    if raw["activation"] != "none":  # the old field is now the layer right after layer 1
        assert session.document.activation == raw["activation"]
        assert layers[1].function == raw["activation"]
    assert len(layers) == 1 + len(raw["layers"]) + (raw["activation"] != "none")
    assert session.stage_index == raw["stage"] and session.playhead.position == raw["position"]
    # Saved again, it holds the activation as a layer and reopens to the same document.
    again = save_project(tmp_path / path.name, session.to_project(project.view))
    new = json.loads(again.read_text())
    assert "activation" not in new
    reopened = load_project(again).document
    assert [v.name for v in reopened.layers] == [v.name for v in session.document.layers]
    np.testing.assert_array_equal(reopened.x, session.document.x)
    assert reopened.settings == session.document.settings


def test_a_project_saved_before_typed_in_gradients_opens_with_its_target(tmp_path):
    """Saved by session 4's convviz (the backward lens, a target, no ``grad`` field)."""
    path = FIXTURES / "s4-cs231n-backward-target.convviz"
    raw = json.loads(path.read_text())
    assert "grad" not in raw["gradient"]
    project = load_project(path)
    session = Session()
    session.open_project(project)
    choice = session.document.gradient
    assert choice.source == "target" and choice.learning_rate == 0.25 and choice.grad is None
    np.testing.assert_array_equal(choice.target, np.array(raw["gradient"]["target"]))
    assert project.view["lens"] == "backward"
    saved = save_project(tmp_path / path.name, session.to_project(project.view))
    again = json.loads(saved.read_text())
    assert again["gradient"] == raw["gradient"]
