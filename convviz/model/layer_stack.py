"""The layers after the session's convolution: a stack, its summary, receptive fields."""

from __future__ import annotations

import numpy as np

from ..engine import ActivationLayer, ConvLayer, PoolLayer, receptive_field, run_stack, summary
from .events import Event


class LayerStack:
    """Layer 1 is the session's convolution (and its activation); more layers can follow.

    ``changed`` is emitted when the layers or the session change. ``problem`` says why the stack
    cannot run (a later layer that does not fit the shape it receives), else it is None.
    """

    def __init__(self, session) -> None:
        self.session = session
        self.extra: list = []
        self.changed = Event()
        session.data_changed.connect(self.changed.emit)

    def layers(self) -> list:
        """Every layer, the session's convolution first."""
        s = self.session
        settings = {**s.settings.as_kwargs(), "padding": s.stepper.geometry.pads}
        first = [ConvLayer(s.weight, s.bias if s.use_bias else None, settings)]
        if s.activation != "none":
            first.append(ActivationLayer(s.activation))
        return first + self.extra

    def add(self, layer) -> None:
        """Append a layer."""
        self.extra.append(layer)
        self.changed.emit()

    def add_pool(self, kind: str, size: int = 2) -> None:
        """Append max or average pooling with a ``size``-cell window and the same stride."""
        self.add(PoolLayer(kind, (size,) * self.session.nd))

    def add_activation(self, name: str = "relu") -> None:
        """Append an activation."""
        self.add(ActivationLayer(name))

    def add_conv(self, filters: int = 4, size: int = 3, seed: int | None = None) -> None:
        """Append a convolution with random weights (−1 to 1) and 'same'-size padding."""
        outputs = self.outputs()
        channels = (outputs[-1] if outputs else self.session.stepper.output).shape[0]
        rng = np.random.default_rng(seed)
        weight = rng.integers(-10, 11, size=(filters, channels, *(size,) * self.session.nd)) / 10
        self.add(ConvLayer(weight, np.zeros(filters), {"padding": size // 2}))

    def remove_last(self) -> None:
        """Drop the last added layer (layer 1 stays)."""
        if self.extra:
            self.extra.pop()
            self.changed.emit()

    def outputs(self) -> list[np.ndarray]:
        """Every layer's output for the session's input (empty if the stack cannot run)."""
        try:
            return run_stack(self.session.x, self.layers())
        except ValueError:
            return []

    @property
    def problem(self) -> str | None:
        """Why the stack cannot run, or None."""
        try:
            run_stack(self.session.x, self.layers())
        except ValueError as error:
            return str(error)
        return None

    def summary(self):
        """Rows (layer, output shape, parameters) and the total; ``([], 0)`` on a problem."""
        try:
            return summary(self.session.x, self.layers())
        except ValueError:
            return [], 0

    def receptive_field(self, depth: int, out_index) -> tuple[tuple[int, int], ...]:
        """Input ranges per axis that cell ``out_index`` of layer ``depth`` depends on."""
        return receptive_field(self.layers(), depth, out_index)
