"""The bold title over a view or a panel (its size follows presentation mode)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel

TITLE_NAME = "panelTitle"
"""The object name every panel title carries (the window finds them by it)."""

MAX_LINES = 2
"""A longer title is written smaller (to ``SMALLEST_SHARE`` of its size): in presentation mode
at 1024×768 the input's title had taken five lines and left its grids no numbers."""
SMALLEST_SHARE = 0.6

_title_px = 17


def set_title_px(px: int) -> None:
    """The pixel size of titles made from now on (the window restyles those it has)."""
    global _title_px
    _title_px = px


class PanelTitle(QLabel):
    """A title that wraps rather than widen its panel, on at most ``MAX_LINES`` lines when a
    smaller font allows it."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.wanted_px = _title_px

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def fits_at(self, width: int) -> bool:
        """Whether the text takes at most ``MAX_LINES`` at its wanted size, ``width`` wide."""
        font = QFont(self.font())
        font.setPixelSize(self.wanted_px)
        metrics = QFontMetrics(font)
        box = metrics.boundingRect(
            QRect(0, 0, max(width, 1), 100000), Qt.TextFlag.TextWordWrap, self.text()
        )
        return box.height() <= MAX_LINES * metrics.lineSpacing() + 1

    def _fit(self) -> None:
        """The largest size up to ``wanted_px`` at which the text takes ``MAX_LINES``."""
        width = self.contentsRect().width()
        if width <= 0 or not self.text():
            return
        font = QFont(self.font())
        px = self.wanted_px
        floor = max(13, int(self.wanted_px * SMALLEST_SHARE))
        flags = Qt.TextFlag.TextWordWrap
        while px > floor:
            font.setPixelSize(px)
            metrics = QFontMetrics(font)
            height = metrics.boundingRect(QRect(0, 0, width, 100000), flags, self.text()).height()
            if height <= MAX_LINES * metrics.lineSpacing() + 1:
                break
            px -= 1
        if font.pixelSize() != px:
            font.setPixelSize(px)
        if self.font().pixelSize() != px:
            self.setFont(font)


def style_title(title: QLabel) -> None:
    """Give ``title`` the bold face and the current size, with room above and below."""
    font = title.font()
    font.setPixelSize(_title_px)
    font.setBold(True)
    title.setFont(font)
    title.setContentsMargins(2, 4, 2, 4)
    if isinstance(title, PanelTitle):
        title.wanted_px = _title_px
        title._fit()


def panel_title(text: str = "") -> QLabel:
    """A title label that wraps rather than widen its panel."""
    title = PanelTitle(text)
    title.setObjectName(TITLE_NAME)
    title.setWordWrap(True)
    style_title(title)
    return title
