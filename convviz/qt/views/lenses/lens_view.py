"""What every lens view shares: a title, its drawing, its words, and a plain message in place
of the drawing when the lens cannot draw the stage stepped."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ....model import Session
from ....model.lenses import LensUnavailable
from ...session_view import SessionView
from ...widgets.grid_view import GridView


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
        self.unavailable = QLabel()
        self.unavailable.setObjectName("lensUnavailable")
        self.unavailable.setWordWrap(True)
        self.unavailable.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unavailable.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 3)
        layout.addWidget(self.unavailable, 3)
        layout.addWidget(self.words, 0)
        self.bind_session(session)

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
            self.font_px = 26 if on else 17
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
            self.words.hide()
            self.unavailable.setText(str(error))
            self.unavailable.setStyleSheet(f"font-size: {self.font_px + 2}px; padding: 24px;")
            self.unavailable.show()
            return
        self.unavailable.hide()
        self.body.show()
        self.words.show()

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

    def text(self) -> str:
        """The lens's words without markup (for tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        if self.unavailable.isVisibleTo(self):
            return self.unavailable.text()
        doc = QTextDocument()
        doc.setHtml(self.words.text())
        return doc.toPlainText()
