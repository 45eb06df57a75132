"""Text that changes on every step without making the window lay itself out again.

A ``QLabel`` asks its parent's layout to run again on every ``setText``, and a step rewrites
three of them (the caption, the sums, the step counter): the whole window's layout ran on every
frame. ``SteadyText`` paints its text itself and asks for a layout pass only when the height its
text needs at its width really changes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter, Qt, QTextDocument, QTextOption
from PySide6.QtWidgets import QSizePolicy, QWidget


class SteadyText(QWidget):
    """Plain or rich text (told apart as ``QLabel`` does), wrapped at the widget's width.

    Its font comes from the style sheet (``#objectName { font-size: … }``); its padding is its
    contents margins.
    """

    def __init__(self, text: str = "", parent=None, wrap: bool = True, top: bool = False) -> None:
        """``wrap``: wrap at the width (else one line); ``top``: keep the text at the top
        when the widget is taller than it (else centred, as a label's text is)."""
        super().__init__(parent)
        self._top = top
        self._text = ""
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(0)
        option = QTextOption()
        option.setWrapMode(
            QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
            if wrap
            else QTextOption.WrapMode.NoWrap
        )
        self._doc.setDefaultTextOption(option)
        self._wrap = wrap
        self._height = -1  # the height last asked of the layout
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(wrap)
        self.setSizePolicy(policy)
        self.setText(text)

    def text(self) -> str:
        """The text as given (rich text keeps its markup, as ``QLabel.text`` does)."""
        return self._text

    def setText(self, text: str) -> None:
        """Show ``text``; repaint, and ask for a layout pass only if its height changed."""
        if text == self._text and self._height >= 0:
            return
        self._text = text
        self._fill()
        needed = self._needed_height(self.width())
        if needed != self._height:
            self._height = needed
            self.updateGeometry()
        self.update()

    def _fill(self) -> None:
        if self._doc.defaultFont() != self.font():
            self._doc.setDefaultFont(self.font())
        if Qt.mightBeRichText(self._text):
            self._doc.setHtml(self._text)
        else:
            self._doc.setPlainText(self._text)

    def _text_width(self, width: int) -> int:
        margins = self.contentsMargins()
        return max(width - margins.left() - margins.right(), 1)

    def _lay_out(self, width: int) -> None:
        """Lay the text out ``width`` pixels wide (no wrapping: -1), unless it already is (a
        layout of the whole text per paint was a third of the caption's cost)."""
        if self._doc.textWidth() != width:
            self._doc.setTextWidth(width)

    def _needed_height(self, width: int) -> int:
        margins = self.contentsMargins()
        self._lay_out(self._text_width(width) if self._wrap else -1)
        return int(self._doc.size().height() + 0.999) + margins.top() + margins.bottom()

    def hasHeightForWidth(self) -> bool:
        return self._wrap

    def heightForWidth(self, width: int) -> int:
        return self._needed_height(width)

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        self._lay_out(-1)
        ideal = self._doc.idealWidth() + margins.left() + margins.right()
        width = min(int(ideal + 1), 400) if self._wrap else int(ideal + 1)
        return QSize(width, self._needed_height(self.width() if self._wrap else width))

    def minimumSizeHint(self) -> QSize:
        if self._wrap:
            return QSize(40, self._needed_height(self.width()))
        return self.sizeHint()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:  # the style sheet's size, e.g. presentation
            self._fill()
            self._height = -1
            self.setText(self._text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._height = self._needed_height(self.width())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        margins = self.contentsMargins()
        self._lay_out(self._text_width(self.width()) if self._wrap else -1)
        spare = self.height() - margins.top() - margins.bottom() - self._doc.size().height()
        painter.translate(margins.left(), margins.top() + (0 if self._top else max(spare, 0) / 2))
        palette = self.palette()
        painter.setPen(palette.color(palette.ColorRole.WindowText))
        self._doc.drawContents(painter)
        painter.end()
