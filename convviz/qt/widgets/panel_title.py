"""The bold title over a view or a panel (its size follows presentation mode)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

TITLE_NAME = "panelTitle"
"""The object name every panel title carries (the window finds them by it)."""

_title_px = 17


def set_title_px(px: int) -> None:
    """The pixel size of titles made from now on (the window restyles those it has)."""
    global _title_px
    _title_px = px


def style_title(title: QLabel) -> None:
    """Give ``title`` the bold face and the current size, with room above and below."""
    font = title.font()
    font.setPixelSize(_title_px)
    font.setBold(True)
    title.setFont(font)
    title.setContentsMargins(2, 4, 2, 4)


def panel_title(text: str = "") -> QLabel:
    """A title label that wraps rather than widen its panel."""
    title = QLabel(text)
    title.setObjectName(TITLE_NAME)
    title.setWordWrap(True)
    style_title(title)
    return title
