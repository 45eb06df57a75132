"""Where the loss is measured and how its gradient comes back to the stage stepped.

The loss is a function of the last map of the stack (where the maps end, before any classifier
head). A stage deeper in the stack receives ``dL/d(its map)`` through the layers after it:
an activation multiplies it by its slope, max pooling routes it to each window's winner,
average pooling spreads it, a convolution passes it back through its weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine import ActivationLayer, ConvLayer, PoolLayer, conv, run_stack, stack_backward
from ..gradient import GradientChoice, Loss, loss_of
from ..pipeline import Pipeline, Stage


def conv_settings(geometry) -> dict:
    """The keywords that make ``conv``/``conv_backward`` compute this geometry again."""
    return {
        "stride": geometry.stride,
        "padding": geometry.pads,
        "dilation": geometry.dilation,
        "groups": geometry.groups,
        "padding_mode": geometry.padding_mode,
        "flip": geometry.flip,
    }


def layers_after(pipeline: Pipeline | None, stage: Stage) -> tuple:
    """The layers between ``stage``'s map (after its activations) and the stack's last map."""
    if pipeline is None:
        return ()
    end = stage.number + len(stage.activations)  # 0-based index of the next layer
    return tuple(pipeline.layers[end : pipeline.head_start])


def layer_words(layer) -> str:
    """What a layer does to a gradient on its way back, in a few words."""
    if isinstance(layer, ActivationLayer):
        if layer.function == "relu":
            return "ReLU lets it through where its input was positive"
        return f"{layer.function} multiplies it by its slope"
    if isinstance(layer, PoolLayer):
        if layer.kind == "max":
            return f"{layer.name} routes each output's gradient to the cell that won its window"
        return f"{layer.name} spreads each output's gradient evenly over its window"
    if isinstance(layer, ConvLayer):
        return f"{layer.name} passes it back through its weights (the rotated kernel)"
    return f"{layer.name} passes it back"


@dataclass(frozen=True)
class LossRoute:
    """The stage stepped and the layers after it, up to the map the loss is measured on."""

    stage: Stage
    after: tuple = ()

    def sums(self, x=None, weight=None) -> np.ndarray:
        """The stage's own map before its activations (a convolution's sums, a pooling's
        maxima or means), for another input or weights when given."""
        stage = self.stage
        if x is None and weight is None:
            return np.asarray(stage.stepper.output, dtype=np.float64)
        x = stage.stepper.input if x is None else x
        if stage.kind != "conv":
            return np.asarray(stage.layer(np.asarray(x, dtype=np.float64)), dtype=np.float64)
        walk = stage.stepper
        weight = walk.weight if weight is None else weight
        return conv(x, weight, walk.bias, **conv_settings(walk.geometry))

    def loss_map(self, z: np.ndarray) -> np.ndarray:
        """The map the loss is measured on, from the stage's sums ``z``."""
        y = np.asarray(self.stage.activated(z), dtype=np.float64)
        return run_stack(y, list(self.after))[-1] if self.after else y

    def loss(self, choice: GradientChoice, x=None, weight=None) -> Loss:
        """The loss for the stage's input and weights (or others)."""
        return loss_of(choice, self.loss_map(self.sums(x, weight)))

    def grad_of_map(self, grad_loss: np.ndarray, y=None) -> np.ndarray:
        """``dL/d(stage's map after its activations)`` from ``dL/d(loss map)`` (for the map
        ``y`` when the stage's weights changed)."""
        if not self.after:
            return grad_loss
        y = self.stage.final if y is None else y
        return stack_backward(y, list(self.after), grad_loss)[0]

    def words(self) -> str:
        """How the gradient came back to this stage, or '' when the loss is measured on its map."""
        if not self.after:
            return ""
        steps = "; ".join(layer_words(layer) for layer in reversed(self.after))
        return f"The loss is measured on the last map; on its way back here: {steps}."
