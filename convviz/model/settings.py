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

    def pytorch_call(self, nd: int, pads) -> str:
        """The matching PyTorch layer, so a student can carry the settings into a network.

        ``pads`` are the resolved ``(before, after)`` amounts: PyTorch has no ``"full"``, allows
        ``"same"`` only with stride 1, and pads both sides alike unless ``F.pad`` is used first.
        """

        def one_or_all(values):
            return values[0] if len(set(values)) == 1 else tuple(values)

        strided = any(s != 1 for s in self.stride)
        note = ""
        if self.padding == "valid":
            padding = "'valid'"
        elif self.padding == "same" and not strided and not self.flip:
            padding = "'same'"
        elif all(b == a for b, a in pads):
            padding = str(one_or_all([b for b, _ in pads]))
        else:
            padding = "0"
            flat = ", ".join(str(v) for pair in reversed(pads) for v in pair)
            note = f"  # after x = F.pad(x, ({flat}))"
        args = []
        if strided:
            args.append(f"stride={one_or_all(self.stride)}")
        args.append(f"padding={padding}")
        if any(d != 1 for d in self.dilation):
            args.append(f"dilation={one_or_all(self.dilation)}")
        if self.groups != 1:
            args.append(f"groups={self.groups}")
        if self.padding_mode != "zeros":
            args.append(f"padding_mode={self.padding_mode!r}")
        if self.flip:
            note += "  # with the kernel flipped (torch.flip): true convolution"
        return f"nn.Conv{nd}d(..., {', '.join(args)}){note}"
