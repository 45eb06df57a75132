"""What every lens view shares: a title, its drawing, its words, and a plain message in place
of the drawing when the lens cannot draw the stage stepped."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ....model import Session
from ....model.lenses import LensUnavailable
from ...session_view import SessionView
from ...widgets.grid_view import GridView


def line_bottoms(label: QLabel, width: int) -> list[float]:
    """Where each line of ``label``'s rich text ends, from its top, laid out ``width`` wide."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(width)
    doc.size()  # lays the document out
    bottoms = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        top = layout.position().y()
        bottoms += [top + layout.lineAt(i).rect().bottom() for i in range(layout.lineCount())]
        block = block.next()
    return bottoms


def last_line_within(label: QLabel, width: int, height: float) -> int:
    """The foot of the last line of ``label`` that ends within ``height`` pixels."""
    return int(max((b for b in line_bottoms(label, width) if b <= height), default=height))


class LensView(SessionView, QWidget):
    """A lens: draws the session's stage and step whenever it is the lens shown.

    Subclasses set ``lens``, build their drawing into ``self.body`` and define ``draw()``,
    which may raise ``LensUnavailable``.
    """

    lens = ""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.font_px = 17
        self.body = QWidget()
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.words = QLabel()
        self.words.setObjectName("lensWords")
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The words scroll past a share of the height: in presentation mode at 1366×768 they
        # had taken all of it and squeezed the drawing to a few pixels.
        self.words_area = QScrollArea()
        self.words_area.setObjectName("lensWordsArea")
        self.words_area.setFrameShape(QFrame.Shape.NoFrame)
        self.words_area.setWidgetResizable(True)
        self.words_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.words_area.setWidget(self.words)
        self.unavailable = QLabel()
        self.unavailable.setObjectName("lensUnavailable")
        self.unavailable.setWordWrap(True)
        self.unavailable.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unavailable.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 3)
        layout.addWidget(self.unavailable, 3)
        layout.addWidget(self.words_area, 0)
        self.bind_session(session)

    WORDS_SHARE = 0.35
    """The largest share of the lens's height its words take; they scroll beyond it."""

    def _fit_words(self) -> None:
        """Give the words the height they need, at most ``WORDS_SHARE`` of the lens, and
        then down to the foot of their last whole line (a line cut in half had hidden the
        frequency lens's check under the scroll without a hint that more followed)."""
        bar = self.words_area.verticalScrollBar().sizeHint().width()
        width = max(self.words_area.width() - bar, 50)
        needed = self.words.heightForWidth(width) + 2
        cap = max(int(self.height() * self.WORDS_SHARE), 60)
        if needed > cap:
            cap = max(last_line_within(self.words, width, cap - 2), 40) + 2
        self.words_area.setFixedHeight(min(needed, cap))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_words()

    def share_height(self, *grids) -> None:
        """Share the drawing's height among ``grids`` (stacked in ``self.body``) by the rows
        each shows, a title counted as a row and a half: their cells come out alike in size
        (an even split had left a 7-row grid without numbers under a 3-row one)."""
        layout = self.body.layout()
        for grid in grids:
            index = layout.indexOf(grid)
            if index >= 0:
                layout.setStretch(index, int(10 * grid.values.shape[0] + 15))

    def add_to_body(self, widget: QWidget, stretch: int = 0) -> QWidget:
        """Put ``widget`` in the drawing's area (below what is there) and return it."""
        layout = self.body.layout()
        if layout is None:
            layout = QVBoxLayout(self.body)
            layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget, stretch)
        return widget

    @property
    def active(self) -> bool:
        """Whether this lens is the one shown (a hidden lens draws nothing)."""
        return self.session.view.lens == self.lens

    def _on_model_document_changed(self) -> None:
        if self.active:
            self.refresh()

    def _on_model_playhead_moved(self, _stage_changed: bool) -> None:
        if self.active:
            self.refresh()

    def _on_model_view_changed(self, name: str) -> None:
        if name == "presentation":  # larger words and numbers for the back row
            on = self.session.view.presentation
            # 22, not 26: at 26 the bold sentence took five lines of a 1366×768 projector's
            # lens and left one line of the rest (the checks) in view.
            self.font_px = 22 if on else 17
            for grid in self.findChildren(GridView):
                grid.labels.scale_factor = 1.25 if on else 1.0
        if self.active and name in ("colormap", "presentation", "channel", "theme"):
            self.refresh()

    def refresh(self) -> None:
        """Draw the stage and step shown, or say why this lens cannot."""
        try:
            self.draw()
        except LensUnavailable as error:
            self.body.hide()
            self.words_area.hide()
            self.unavailable.setText(str(error))
            self.unavailable.setStyleSheet(f"font-size: {self.font_px + 2}px; padding: 24px;")
            self.unavailable.show()
            return
        self.unavailable.hide()
        self.body.show()
        self.words_area.show()

    def draw(self) -> None:
        """Draw the lens (raise ``LensUnavailable`` when it cannot)."""
        raise NotImplementedError

    def set_words(self, lines, bold: int | None = None) -> None:
        """Write ``lines`` under the drawing: line ``bold`` in bold at the sentence's size (the
        numbers a class reads), the others smaller."""
        parts = []
        small = max(self.font_px - 4, 12)
        for i, line in enumerate(lines):
            text = html.escape(line)
            size = self.font_px if i == bold else small
            if i == bold:
                text = f"<b>{text}</b>"
            parts.append(f'<p style="font-size:{size}px;margin:3px 0;">{text}</p>')
        self.words.setText("".join(parts))
        self._fit_words()

    def text(self) -> str:
        """The lens's words without markup (for tests and screen readers)."""
        if self.unavailable.isVisibleTo(self):
            return self.unavailable.text()
        doc = QTextDocument()
        doc.setHtml(self.words.text())
        return doc.toPlainText()
