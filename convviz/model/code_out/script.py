"""A whole script from a document: what it is, its imports, the input, the computation in the
chosen language, and the check that ``y`` is the map the window shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...engine import size_text
from ...engine.geometry import AXIS_NAMES
from ...io.atomic import atomic_path
from ..document import Document
from .arrays import FOLDER, INLINE_LIMIT, ArrayPlacer
from .numpy_script import numpy_body, numpy_definitions, numpy_imports
from .stack import Stack, stack_of
from .torch_script import torch_body, torch_definitions, torch_imports


@dataclass(frozen=True)
class Language:
    """How one language writes a stack: its imports, its definitions, the computation."""

    title: str
    how: str
    imports: Callable[[Stack], tuple[str, ...]]
    definitions: Callable[[Stack], list[str]]
    body: Callable[[Stack, ArrayPlacer], list[str]]


LANGUAGES: dict[str, Language] = {
    "torch": Language(
        "PyTorch",
        "an nn.Sequential of PyTorch's own modules, holding convviz's filters",
        torch_imports,
        torch_definitions,
        torch_body,
    ),
    "numpy": Language(
        "NumPy",
        "np.pad, then a window sliding over the padded input, one output cell at a time",
        numpy_imports,
        numpy_definitions,
        numpy_body,
    ),
}
"""The languages a script can be written in, by the name ``convviz code --lang`` takes."""


@dataclass(frozen=True)
class Script:
    """A self-contained script computing a document's stack.

    Attributes
    ----------
    text : str
        The Python source. Run it and ``y`` holds the map the window shows, ``(F, *O)`` as
        ``convviz compute`` writes it; the script checks that itself.
    files : dict of str to numpy.ndarray
        Arrays too large to write inline: file name → array, to be saved (``np.save``) beside
        the script, which loads them from its own folder. Empty when every array is inline.
    """

    text: str
    files: dict[str, np.ndarray] = field(default_factory=dict)

    def save_files(self, folder) -> list[Path]:
        """Save the side files into ``folder`` (each written whole or not at all)."""
        written = []
        for name, values in self.files.items():
            with atomic_path(Path(folder) / name) as temporary, open(temporary, "wb") as handle:
                np.save(handle, values)
            written.append(Path(folder) / name)
        return written

    def save(self, path) -> Path:
        """Write the script to ``path`` and its side files beside it."""
        path = Path(path)
        self.save_files(path.parent)
        with atomic_path(path) as temporary:
            temporary.write_text(self.text, encoding="utf-8")
        return path


def _shape_words(nd: int) -> str:
    """``(filters, rows, columns)``."""
    return f"(filters, {', '.join(AXIS_NAMES[nd])})"


def _result_words(stack: Stack) -> str:
    """``(filters, rows, columns)``, or ``(10,), one number per class`` after a head."""
    if stack.expected.ndim == 1:
        return f"({stack.expected.size},), one number per output of the last layer,"
    return _shape_words(stack.nd)


def _header(stack: Stack, language: Language, title: str) -> list[str]:
    return [
        f'"""{title}, computed with {language.title}:',
        f"{language.how}.",
        "",
        "Written by `convviz code`. Run it with Python: it computes the stack, leaves the result",
        f"in y, a NumPy array shaped {_result_words(stack)} as `convviz compute` writes it,",
        "and checks that y is the map convviz shows.",
        '"""',
        "",
    ]


def _input_lines(stack: Stack, arrays: ArrayPlacer) -> list[str]:
    channels, size = stack.x.shape[0], size_text(stack.x.shape[1:])
    what = f"{channels} channel{'s' if channels != 1 else ''} of {size}"
    what += " cells" if stack.nd == 1 else ""
    return [
        "",
        "",
        f"# The input: {what}, channels first as convviz and PyTorch hold it",
        f"x = {arrays.expression('x', stack.x)}",
    ]


def _check_lines(stack: Stack, arrays: ArrayPlacer) -> list[str]:
    return [
        "",
        f"# The map convviz shows, {_result_words(stack).rstrip(',')}",
        f"expected = {arrays.expression('expected', stack.expected)}",
        "# equal but for rounding: the sums may be added up in another order",
        f"np.testing.assert_allclose(y, expected, rtol=1e-11, atol={stack.tolerance:.1e})",
        'print("y is the map convviz shows:", y.shape)',
    ]


def script_for(
    document: Document,
    lang: str = "torch",
    name: str | None = None,
    inline_limit: int | None = INLINE_LIMIT,
) -> Script:
    """A self-contained script that computes ``document``'s stack the way the window does.

    Parameters
    ----------
    document : Document
        The document, its layers included.
    lang : {"torch", "numpy"}
        ``torch``: an ``nn.Sequential`` of PyTorch's modules; ``numpy``: NumPy alone.
    name : str, optional
        Side files are called ``{name}_x.npy``, ``{name}_weight1.npy``...; defaults to the
        document's demo name, else ``convviz``.
    inline_limit : int or None
        Arrays with more numbers than this go to side files (``Script.files``); None writes
        every array into the text, as a clipboard needs.

    Raises
    ------
    ValueError
        For an unknown language, or (in the pipeline's words) a document that cannot be
        computed.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    language = LANGUAGES[lang]
    stack = stack_of(document)
    name = name or document.demo_name or "convviz"
    arrays = ArrayPlacer(name, inline_limit)
    title = f'The convviz demo "{document.demo_name}"' if document.demo_name else "A convviz stack"
    computation = _input_lines(stack, arrays) + language.body(stack, arrays)
    computation += _check_lines(stack, arrays)
    lines = _header(stack, language, title)
    lines += language.imports(stack)
    if arrays.files:
        lines += ["", *FOLDER]
    for definition in language.definitions(stack):
        lines += ["", "", definition]
    lines += computation
    return Script("\n".join(lines) + "\n", dict(arrays.files))
