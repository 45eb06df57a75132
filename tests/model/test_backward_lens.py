"""The backward lens's numbers against torch.autograd: every step hands its gradient back, the
chosen cell's gather and finite difference agree, and the choice of dL/dy is saved and undone."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convviz.engine import ActivationLayer
from convviz.model import Document, Session
from convviz.model.gradient import GradientChoice, loss_of
from convviz.model.lenses import LensUnavailable, backward_picture
from convviz.model.project import parse_project, project_json
from convviz.model.settings import ConvSettings

MODES = ("zeros", "reflect", "replicate", "circular")
TORCH_MODE = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}


def random_session(rng, choice, relu=False):
    channels, filters = 2, 2
    size = tuple(int(n) for n in rng.integers(4, 7, 2))
    kernel = tuple(int(k) for k in rng.integers(1, 4, 2))
    settings = {
        "stride": int(rng.integers(1, 3)),
        "padding": int(rng.integers(0, 2)),
        "dilation": int(rng.integers(1, 3)),
        "padding_mode": str(rng.choice(MODES)),
    }
    x = rng.normal(size=(channels, *size)).round(2)
    weight = rng.normal(size=(filters, channels, *kernel)).round(2)
    document = Document.from_demo("letter-h").replace(
        x=x,
        weight=weight,
        bias=rng.normal(size=filters).round(2),
        use_bias=True,
        settings=ConvSettings.from_kwargs(2, **settings),
        layers=(ActivationLayer("relu"),) if relu else (),
        gradient=choice,
    )
    session = Session("letter-h")
    session.open_document(document)
    return session, settings


def torch_gradients(session, settings, choice):
    d = session.document
    xt = torch.tensor(d.x[None], requires_grad=True)
    wt = torch.tensor(d.weight, requires_grad=True)
    bt = torch.tensor(d.bias, requires_grad=True)
    p = settings["padding"]
    inputs = xt
    if p:
        inputs = F.pad(xt, [p] * 4, mode=TORCH_MODE[settings["padding_mode"]])
    y = F.conv2d(inputs, wt, bt, stride=settings["stride"], dilation=settings["dilation"])[0]
    if d.layers:
        y = torch.relu(y)
    if choice.source == "target":
        target = torch.tensor(loss_of(choice, y.detach().numpy()).target)
        loss = ((y - target) ** 2).mean()
    else:
        loss = (torch.tensor(loss_of(choice, y.detach().numpy()).grad) * y).sum()
    loss.backward()
    return xt.grad[0].numpy(), wt.grad.numpy(), bt.grad.numpy(), float(loss.detach())


CHOICES = [GradientChoice(), GradientChoice("random", seed=3), GradientChoice("target")]


@pytest.mark.parametrize("seed", range(8))
def test_the_gradients_are_autograds_and_each_step_hands_back_its_share(seed):
    rng = np.random.default_rng(seed)
    choice = CHOICES[seed % 3]
    s, settings = random_session(rng, choice, relu=seed % 2 == 1)
    dx, dw, db, loss = torch_gradients(s, settings, choice)
    steps = len(s.walk)
    k = int(rng.integers(1, steps + 1))
    s.playhead.set_position(k)
    p = backward_picture(s.stage, s.current, k, choice, None, 0)
    np.testing.assert_allclose(p.full_input, dx, atol=1e-10)
    np.testing.assert_allclose(p.full_weight, dw, atol=1e-10)
    np.testing.assert_allclose(p.full_bias, db, atol=1e-10)
    assert p.loss.value == pytest.approx(loss)
    # The chosen cell's gather is its gradient, and the finite difference agrees.
    channel, coord = p.chosen
    assert p.analytic == pytest.approx(dx[(channel, *coord)], abs=1e-10)
    assert p.numeric == pytest.approx(p.analytic, abs=1e-5)
    # After the last step, what was handed back step by step is the whole gradient.
    s.playhead.set_position(steps)
    last = backward_picture(s.stage, s.current, steps, choice, None, 0)
    np.testing.assert_allclose(last.grad_input, dx[last.channel], atol=1e-10)
    np.testing.assert_allclose(last.grad_weight, dw[last.filter, last.channel], atol=1e-10)


def test_one_step_hands_g_times_w_to_its_window_and_the_gather_meets_the_rotated_kernel():
    s = Session("cs231n")
    s.playhead.set_position(4)
    before = backward_picture(s.stage, s.current, 4, GradientChoice())
    s.playhead.set_position(5)
    after = backward_picture(s.stage, s.current, 5, GradientChoice())
    step = s.current
    added = after.grad_weight - before.grad_weight
    window = step.values.reshape(3, 3, 3)[0]  # channel 1 of the window, gradient 1
    np.testing.assert_allclose(added, window)
    assert after.grad_bias[0] - before.grad_bias[0] == 1
    np.testing.assert_array_equal(after.gather_weights, s.document.weight[0, 0, ::-1, ::-1])
    assert "Output (1, 1) passes back dL/dz = 1" in after.lines[0]
    assert "✓" in after.lines[3]


def test_relu_passes_the_gradient_only_where_its_input_was_positive():
    s = Session("tiny-cnn")
    s.playhead.set_position(len(s.walk))
    p = backward_picture(s.stage, s.current, len(s.walk), GradientChoice())
    z = s.stage.stepper.output[p.filter]
    np.testing.assert_array_equal(p.grad_output, (z > 0).astype(float))
    assert "only where its input z was positive" in p.lines[1]


def test_a_pooling_and_a_volume_are_refused_in_words():
    s = Session("tiny-cnn")
    s.set_stage(1)
    with pytest.raises(LensUnavailable, match="pooling"):
        backward_picture(s.stage, s.current, 0, GradientChoice())
    s = Session("volume-3d")
    with pytest.raises(LensUnavailable, match="volume"):
        backward_picture(s.stage, s.current, 0, GradientChoice())


def test_the_choice_of_dl_dy_is_an_undoable_edit_and_kept_in_projects():
    s = Session("cs231n")
    target = np.arange(18.0).reshape(2, 3, 3)
    s.edits.set_gradient("dL/dy: target", source="target", target=target, learning_rate=0.5)
    assert s.document.gradient.source == "target"
    project = parse_project(project_json(s.to_project()))
    kept = project.document.gradient
    assert kept.source == "target" and kept.learning_rate == 0.5
    np.testing.assert_array_equal(kept.target, target)
    s.history.undo()
    assert s.document.gradient.is_default
    assert '"gradient"' not in project_json(s.to_project())  # nothing chosen: nothing written


def test_a_broken_gradient_field_is_refused_in_words():
    from convviz.model.project_fields import ProjectError

    s = Session("cs231n")
    s.edits.set_gradient("dL/dy: random", source="random")
    text = project_json(s.to_project()).replace('"random"', '"sideways"')
    with pytest.raises(ProjectError, match=r"gradient\.source"):
        parse_project(text)


@pytest.mark.parametrize("seed", range(6))
def test_the_transposed_lens_is_pytorchs_conv_transpose_of_the_map(seed):
    from convviz.model.lenses import transposed_picture

    rng = np.random.default_rng(200 + seed)
    s, settings = random_session(rng, GradientChoice())
    if settings["padding_mode"] != "zeros":
        s.edits.change_settings("zeros", padding_mode="zeros")
    g = s.stage.stepper.geometry
    y = s.stage.stepper.output
    k = int(rng.integers(0, len(s.walk) + 1))
    s.playhead.set_position(k)
    p = transposed_picture(s.stage, s.current, k)
    expected = F.conv_transpose2d(
        torch.tensor(y[None]),
        torch.tensor(s.document.weight),
        stride=g.stride,
        padding=settings["padding"],
        output_padding=g.unused,
        dilation=g.dilation,
    )[0].numpy()
    np.testing.assert_allclose(p.output, expected, atol=1e-10)
    channel, coord = p.chosen
    gathered = float((p.gather_values * p.gather_weights).sum())
    if s.document.weight.shape[0] == 1:
        assert gathered == pytest.approx(expected[(channel, *coord)])
    s.playhead.set_position(len(s.walk))  # every stamp landed: the scatter is the whole output
    p = transposed_picture(s.stage, s.current, len(s.walk))
    np.testing.assert_allclose(p.scattered, expected[p.channel], atol=1e-10)
