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
from convviz.model.lenses.loss_route import layers_after
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


def tiny_cnn_autograd(session, r):
    """torch.autograd through tiny-cnn's whole stack (conv, ReLU, max pool, conv, average
    pool) for L = Σ r·y: the gradient at each stage's input, sums and the weights."""
    d = session.document
    layers = session.pipeline.layers
    x = torch.tensor(d.x[None], requires_grad=True)
    w1 = torch.tensor(d.weight, requires_grad=True)
    w2 = torch.tensor(layers[3].weight, requires_grad=True)
    z1 = F.conv2d(x, w1, padding=1)
    z1.retain_grad()
    a1 = torch.relu(z1)
    a1.retain_grad()
    p1 = F.max_pool2d(a1, 2)
    p1.retain_grad()
    z2 = F.conv2d(p1, w2, padding=1)
    z2.retain_grad()
    y = F.avg_pool2d(z2, 2)
    y.retain_grad()
    loss = (torch.tensor(r[None]) * y).sum()
    loss.backward()
    inputs = [x.grad[0], a1.grad[0], p1.grad[0], z2.grad[0]]
    sums = [z1.grad[0], p1.grad[0], z2.grad[0], y.grad[0]]
    weights = [w1.grad, None, w2.grad, None]
    return [t.numpy() for t in inputs], [t.numpy() for t in sums], weights, float(loss.detach())


@pytest.mark.parametrize("stage", range(4))
def test_through_a_stack_every_layer_gets_autograds_gradient(stage):
    s = Session("tiny-cnn")
    # A random picture: no ties in a max pooling for a nudge to break.
    x = np.random.default_rng(stage).normal(size=s.document.x.shape)
    s.open_document(s.document.replace(x=x))
    s.set_stage(stage)
    after = layers_after(s.pipeline, s.stage)
    choice = GradientChoice("random", seed=7)
    r = loss_of(choice, s.pipeline.map_outputs[-1]).grad
    inputs, sums, weights, loss = tiny_cnn_autograd(s, r)
    steps = len(s.walk)
    s.playhead.set_position(steps)
    p = backward_picture(s.stage, s.current, steps, choice, None, 0, after)
    assert p.loss.value == pytest.approx(loss)
    np.testing.assert_allclose(p.full_input, inputs[stage], atol=1e-10)
    np.testing.assert_allclose(p.grad_output, sums[stage][p.filter], atol=1e-10)
    if weights[stage] is not None:
        np.testing.assert_allclose(p.full_weight, weights[stage].numpy(), atol=1e-10)
        assert p.weight_check.agrees and "✓" in p.lines[4]
    else:
        assert p.grad_weight is None and p.weight_check is None
    assert p.numeric == pytest.approx(p.analytic, abs=1e-5)
    if stage < 3:
        assert "The loss is measured on the last map" in p.lines[1]


def test_max_pooling_hands_each_gradient_to_its_winner_and_average_pooling_spreads_it():
    s = Session("tiny-cnn")
    choice = GradientChoice("random", seed=2)
    for stage, kind in ((1, "max"), (3, "avg")):
        s.set_stage(stage)
        after = layers_after(s.pipeline, s.stage)
        s.playhead.set_position(5)
        before = backward_picture(s.stage, s.current, 5, choice, None, 0, after)
        s.playhead.set_position(6)
        step = s.current
        now = backward_picture(s.stage, step, 6, choice, None, 0, after)
        g = now.grad_output[step.out_index]
        added = now.grad_input - before.grad_input
        if kind == "max":
            winner = step.taps[int(np.argmax(step.values))][1:]
            expected = np.zeros_like(added)
            expected[tuple(winner)] = g
            assert "won its window" in now.lines[0]
        else:
            expected = np.zeros_like(added)
            for tap in step.taps:
                expected[tuple(tap[1:])] += g / len(step.taps)
            assert "spread evenly" in now.lines[0]
        np.testing.assert_allclose(added, expected, atol=1e-12)
        assert set(now.window) == {tuple(int(v) for v in c) for c in np.argwhere(expected)}


def test_relu_passes_the_gradient_only_where_its_input_was_positive():
    s = Session("cs231n")
    s.edits.set_activation("relu")
    s.playhead.set_position(len(s.walk))
    p = backward_picture(s.stage, s.current, len(s.walk), GradientChoice())
    z = s.stage.stepper.output[p.filter]
    np.testing.assert_array_equal(p.grad_output, (z > 0).astype(float))
    assert "only where its input z was positive" in p.lines[1]


def test_a_volume_is_refused_in_words():
    s = Session("volume-3d")
    with pytest.raises(LensUnavailable, match="volume"):
        backward_picture(s.stage, s.current, 0, GradientChoice())


def test_a_typed_in_gradient_is_the_loss_and_survives_a_project():
    s = Session("cs231n")
    y = s.pipeline.map_outputs[-1]
    g = np.zeros_like(y)
    g[1, 2, 0] = 2.5
    s.edits.set_gradient("dL/dy: typed in", source="edited", grad=g)
    s.playhead.set_position(len(s.walk))
    p = backward_picture(s.stage, s.current, len(s.walk), s.document.gradient)
    assert p.loss.value == pytest.approx(2.5 * y[1, 2, 0])
    np.testing.assert_array_equal(p.loss.grad, g)
    kept = parse_project(project_json(s.to_project())).document.gradient
    assert kept.source == "edited"
    np.testing.assert_array_equal(kept.grad, g)
    # A typed-in gradient that no longer fits the map (a new stride) falls back to ones.
    s.edits.change_settings("stride 1", stride=1)
    assert "no longer fits" in loss_of(s.document.gradient, s.pipeline.map_outputs[-1]).words


def test_the_chosen_weight_is_checked_by_a_finite_difference():
    s = Session("cs231n")
    s.playhead.set_position(3)
    p = backward_picture(s.stage, s.current, 3, GradientChoice("random"), weight_tap=(0, 2, 0, 1))
    assert p.weight_tap == (0, 2, 0, 1)
    assert p.weight_check.numeric == pytest.approx(p.full_weight[0, 2, 0, 1], abs=1e-6)
    assert "w(0, 1) (map 1, channel 3)" in p.lines[4] and "✓" in p.lines[4]
    # A weight of another map falls back to the middle of this map's kernel.
    p = backward_picture(s.stage, s.current, 3, GradientChoice(), weight_tap=(1, 0, 0, 0))
    assert p.weight_tap == (0, 0, 1, 1)


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


def test_a_tie_in_a_max_pooling_is_said_and_the_first_cell_takes_the_gradient():
    s = Session("tiny-cnn")  # ReLU leaves whole windows of zeros before the max pooling
    s.set_stage(1)
    after = layers_after(s.pipeline, s.stage)
    s.playhead.set_position(1)
    step = s.current
    assert np.all(step.values == 0)
    p = backward_picture(s.stage, step, 1, GradientChoice("random"), None, 0, after)
    assert p.window == (tuple(int(v) for v in step.taps[0][1:]),)
    assert "A tie: 4 cells hold the largest value, 0" in p.lines[0]
    assert "not differentiable here" in p.lines[3] and "✓" not in p.lines[3]


@pytest.mark.parametrize("lens", ["backward", "transposed", "learn"])
def test_a_photo_too_large_to_work_out_at_every_step_is_refused_in_words(lens):
    from convviz.model.lenses import learn_picture, transposed_picture

    s = Session("letter-h")
    s.edits.change("a photo", x=np.zeros((1, 600, 600)))
    pictures = {
        "backward": lambda: backward_picture(s.stage, s.current, 1, GradientChoice()),
        "transposed": lambda: transposed_picture(s.stage, s.current, 1),
        "learn": lambda: learn_picture(s.document, s.stage, s.playhead.steps, 1),
    }
    with pytest.raises(LensUnavailable, match=r"360,000 numbers.*Crop or shrink"):
        pictures[lens]()


def test_the_learn_lens_takes_only_the_descent_steps_asked_for():
    from convviz.model.lenses import learn_picture
    from convviz.model.lenses.learn import _trainer_of

    s = Session("letter-h")
    s.edits.change("a picture", x=np.random.default_rng(0).normal(size=(1, 200, 200)))
    p = learn_picture(s.document, s.stage, s.playhead.steps, 3)  # 40,000 steps on the transport
    assert p.step == 3 and len(_trainer_of(s.document).losses) == 4


def test_the_transposed_size_formula_says_twice_the_padding_with_the_numbers_in():
    from convviz.model.lenses import transposed_picture

    s = Session("output-padding")
    p = transposed_picture(s.stage, s.current, 0)
    g = s.stage.stepper.geometry
    (before, after), unused = g.pads[0], g.unused[0]
    words = " ".join(p.lines)
    assert "− 2·padding +" in words
    o, stride, k = g.out[0], g.stride[0], g.kernel[0]
    plugged = f"({o} − 1)·{stride} − 2·{before} + {g.dilation[0]}·({k}−1) + {unused} + 1"
    assert before == after and plugged in words
    # And the formula is PyTorch's: it gives the input's size back.
    assert (o - 1) * stride - 2 * before + g.dilation[0] * (k - 1) + unused + 1 == g.size[0]
