"""The bold title over a view or a panel (its size follows presentation mode's style sheet)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def panel_title(text: str = "") -> QLabel:
    """A title label that wraps rather than widen its panel."""
    title = QLabel(text)
    title.setObjectName("panelTitle")
    title.setWordWrap(True)
    return title
