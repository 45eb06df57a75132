"""convviz: see and teach convolution.

From a script or a notebook: ``convviz.show(x, weight, stride=2)``, ``convviz.show(module, x)``
open the window; ``convviz.project_from_torch(module, x)`` builds the project it would show
(``.save(path)`` writes a ``.convviz`` file). Both load on first use, so ``import convviz``
loads neither Qt nor the model.
"""

__all__ = ["project_from_torch", "show"]


def __getattr__(name: str):
    if name == "show":
        from .scripting import show as value
    elif name == "project_from_torch":
        from .model.from_torch import project_from_torch as value
    else:
        raise AttributeError(f"module 'convviz' has no attribute {name!r}")
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
