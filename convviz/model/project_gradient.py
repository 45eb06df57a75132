"""The ``gradient`` field of a project file: where dL/dy comes from, the target map, the
typed-in dL/dy and the learning rate (absent in files saved before the backward pass, and
when nothing was chosen)."""

from __future__ import annotations

import numbers

from .gradient import SOURCES, GradientChoice
from .project_fields import ProjectError, decode, encode


def gradient_document(choice: GradientChoice) -> dict:
    """The JSON object a project keeps of ``choice``."""
    result = {
        "source": choice.source,
        "seed": choice.seed,
        "learning_rate": choice.learning_rate,
    }
    if choice.target is not None:
        result["target"] = encode(choice.target)
    if choice.grad is not None:
        result["grad"] = encode(choice.grad)
    return result


def parse_gradient(raw, where: str) -> GradientChoice:
    """Check and read a project's ``gradient`` field (None: the default choice)."""
    if raw is None:
        return GradientChoice()
    if not isinstance(raw, dict):
        raise ProjectError(f"{where}: field 'gradient' must be an object")
    source = raw.get("source", "ones")
    if source not in SOURCES:
        raise ProjectError(
            f"{where}: field 'gradient.source' is {source!r}; use one of {', '.join(SOURCES)}"
        )
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ProjectError(f"{where}: field 'gradient.seed' must be a whole number ≥ 0")
    rate = raw.get("learning_rate", GradientChoice().learning_rate)
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 < rate < 1e6:
        raise ProjectError(f"{where}: field 'gradient.learning_rate' must be a number above 0")
    target, grad = (_grid(raw, name, where) for name in ("target", "grad"))
    return GradientChoice(source, seed, target, float(rate), grad)


def _grid(raw: dict, name: str, where: str):
    """The optional grid ``gradient.<name>`` (None when absent)."""
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise ProjectError(f"{where}: field 'gradient.{name}' must be a grid of numbers")
    return decode(value, f"gradient.{name}", where)
