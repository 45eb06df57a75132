"""The convolution's parameters, by PyTorch's names, as one value the model can swap whole."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ConvSettings:
    """``stride``, ``padding``, ``dilation``, ``padding_mode``, ``flip`` and ``groups``.

    ``padding`` is a word (``valid``, ``same``, ``full``) or one ``(before, after)`` pair per
    spatial axis; ``stride`` and ``dilation`` one int per axis.
    """

    stride: tuple[int, ...] = (1, 1)
    padding: str | tuple[tuple[int, int], ...] = "valid"
    dilation: tuple[int, ...] = (1, 1)
    padding_mode: str = "zeros"
    flip: bool = False
    groups: int = 1

    @classmethod
    def from_kwargs(cls, nd: int, **kwargs) -> ConvSettings:
        """Settings from ``conv``-style keywords (ints expand to every axis)."""

        def axes(value):
            return (value,) * nd if isinstance(value, int) else tuple(value)

        padding = kwargs.get("padding", 0)
        if not isinstance(padding, str):
            padding = tuple((p, p) if isinstance(p, int) else tuple(p) for p in axes(padding))
        return cls(
            stride=axes(kwargs.get("stride", 1)),
            padding=padding,
            dilation=axes(kwargs.get("dilation", 1)),
            padding_mode=kwargs.get("padding_mode", "zeros"),
            flip=bool(kwargs.get("flip", False)),
            groups=int(kwargs.get("groups", 1)),
        )

    def as_kwargs(self) -> dict:
        """Keywords for ``convviz.engine.conv`` and ``Stepper``."""
        return {
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
            "padding_mode": self.padding_mode,
            "flip": self.flip,
            "groups": self.groups,
        }

    def with_changes(self, **changes) -> ConvSettings:
        """A copy with some fields replaced; a single int for ``stride``, ``dilation`` or
        ``padding`` means every axis, as in PyTorch."""
        nd = len(self.stride)
        for name in ("stride", "dilation"):
            if isinstance(changes.get(name), int):
                changes[name] = (changes[name],) * nd
        padding = changes.get("padding")
        if padding is not None and not isinstance(padding, str):
            per_axis = (padding,) * nd if isinstance(padding, int) else tuple(padding)
            changes["padding"] = tuple((p, p) if isinstance(p, int) else tuple(p) for p in per_axis)
        return replace(self, **changes)
