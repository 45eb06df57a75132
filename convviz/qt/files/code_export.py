"""Code out from the window: Edit → Copy as PyTorch/NumPy code, and File → Export → Code, the
document as a self-contained script that computes the map the window shows and checks it."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ...model.code_out import script_for
from .projects import ask_file

COPY_LIMIT = 20_000
"""The most numbers a copied script writes inline; a larger document is saved as files."""

LANGUAGE_NAMES = {"torch": "PyTorch", "numpy": "NumPy"}


def _numbers(document) -> int:
    arrays = [document.x, document.weight, document.bias]
    for layer in document.layers:
        arrays += [getattr(layer, name, None) for name in ("weight", "bias")]
    return sum(a.size for a in arrays if a is not None)


def copy_code(window, lang: str) -> bool:
    """Put the document's script in ``lang`` on the clipboard (every array written inline)."""
    document = window.session.document
    count = _numbers(document)
    if count > COPY_LIMIT:
        window.show_message(
            f"This document holds {count:,} numbers: too many to paste as code. File → Export "
            "→ Code saves the script with its arrays beside it."
        )
        return False
    try:
        script = script_for(document, lang, inline_limit=None)
    except ValueError as error:
        window.show_message(f"No code to copy: {error}")
        return False
    QGuiApplication.clipboard().setText(script.text)
    window.show_message(
        f"Copied a {LANGUAGE_NAMES[lang]} script ({len(script.text.splitlines())} lines): paste "
        "it into a file or a notebook; it computes this map and checks it"
    )
    return True


def export_code(window, lang: str) -> bool:
    """Ask where, then save the script in ``lang`` with its large arrays beside it."""
    name = window.session.document.demo_name or "convviz"
    path = ask_file(
        window,
        f"Export {LANGUAGE_NAMES[lang]} code",
        "exports",
        "Python scripts (*.py)",
        f"{name.replace('-', '_')}.py",
        save=True,
    )
    if path is None:
        return False
    if path.suffix != ".py":
        path = path.with_name(path.name + ".py")
    try:
        script = script_for(window.session.document, lang, path.stem)
        script.save(path)
    except (OSError, ValueError) as error:
        QMessageBox.warning(window, "Export failed", f"{path.name} was not written: {error}")
        return False
    beside = f" and beside it {', '.join(script.files)}" if script.files else ""
    window.show_message(f"Wrote {path}{beside}; run it with: python {path.name}")
    return True
