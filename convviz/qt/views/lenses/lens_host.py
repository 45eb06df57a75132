"""The middle of the window: the lens chooser over the lens shown (the sliding window's
computation, or one of the lenses, made when first shown)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from ....model import Session
from ....model.lenses import LENS_KEYS, LENS_TITLES, LENSES
from .backward_view import BackwardView
from .frequency_view import FrequencyView
from .learn_view import LearnView
from .matrix_view import MatrixView
from .methods_view import MethodsView
from .separable_view import SeparableView
from .transposed_view import TransposedView
from .unfolded_view import UnfoldedView

LENS_VIEWS = {
    "unfolded": UnfoldedView,
    "matrix": MatrixView,
    "frequency": FrequencyView,
    "separable": SeparableView,
    "methods": MethodsView,
    "backward": BackwardView,
    "transposed": TransposedView,
    "learn": LearnView,
}


class LensHost(QWidget):
    """Shows ``computation`` for the sliding window and a lens view for every other lens."""

    def __init__(self, session: Session, computation: QWidget, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.chooser = QComboBox()
        self.chooser.setObjectName("lensChooser")
        for name in LENSES:
            self.chooser.addItem(f"Lens: {LENS_TITLES[name]}  ({LENS_KEYS[name]})", name)
        self.chooser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The longest name must not widen the middle pane past a small screen.
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(8)
        self.chooser.setToolTip("Another drawing of the same numbers; the step stays")
        self.chooser.activated.connect(
            lambda index: session.view.set(lens=self.chooser.itemData(index))
        )
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.chooser, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(computation)
        self.views: dict[str, QWidget] = {"sliding": computation}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        session.view.changed.connect(self._on_model_view_changed)

    def view(self, name: str) -> QWidget:
        """The view of lens ``name`` (made the first time it is asked for)."""
        if name not in self.views:
            view = LENS_VIEWS[name](self.session)
            self.stack.addWidget(view)
            self.views[name] = view
        return self.views[name]

    @property
    def current(self) -> QWidget:
        """The view shown."""
        return self.stack.currentWidget()

    def _on_model_view_changed(self, name: str) -> None:
        if name != "lens":
            return
        lens = self.session.view.lens
        with QSignalBlocker(self.chooser):
            self.chooser.setCurrentIndex(LENSES.index(lens))
        view = self.view(lens)
        if view is not self.stack.currentWidget():
            self.stack.setCurrentWidget(view)
            view.refresh()  # a hidden view skips the steps and edits it is told about
