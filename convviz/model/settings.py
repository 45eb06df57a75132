"""The convolution's parameters, by PyTorch's names, as one value the model can swap whole."""

from __future__ import annotations

from dataclasses import dataclass, replace

PADDING_WORDS = ("valid", "same", "full")


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
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def pytorch_call(self, nd: int) -> str:
        """The matching PyTorch call, so a student can carry the settings into a network."""
        padding = self.padding if isinstance(self.padding, str) else None
        parts = []
        if padding is None:
            pairs = self.padding
            if all(b == a for b, a in pairs):
                sizes = tuple(b for b, _ in pairs)
                parts.append(f"padding={sizes[0] if len(set(sizes)) == 1 else sizes}")
            else:
                parts.append("padding=0  # after F.pad(x, ...) with uneven sides")
        else:
            parts.append(f"padding={padding!r}")
        for name in ("stride", "dilation"):
            value = getattr(self, name)
            if set(value) != {1}:
                parts.append(f"{name}={value[0] if len(set(value)) == 1 else value}")
        if self.groups != 1:
            parts.append(f"groups={self.groups}")
        if self.padding_mode != "zeros":
            parts.append(f"padding_mode={self.padding_mode!r}")
        call = f"nn.Conv{nd}d(..., {', '.join(parts)})"
        return call + ("  # with the kernel rotated 180°" if self.flip else "")
