"""The middle of the window: the lens chooser over the lens shown (the sliding window's
computation, or one of the lenses, made when first shown)."""

from __future__ import annotations

from importlib import import_module

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from ....model import Session
from ....model.lenses import LENS_KEYS, LENS_TITLES, LENSES

LENS_VIEWS = {
    "unfolded": ("unfolded_view", "UnfoldedView"),
    "matrix": ("matrix_view", "MatrixView"),
    "frequency": ("frequency_view", "FrequencyView"),
    "separable": ("separable_view", "SeparableView"),
    "methods": ("methods_view", "MethodsView"),
    "backward": ("backward_view", "BackwardView"),
    "transposed": ("transposed_view", "TransposedView"),
    "learn": ("learn_view", "LearnView"),
}
"""Each lens's view, as (module in this package, class): loaded when the lens is first shown,
so that start-up does not pay for eight views it may never draw."""


def lens_view_class(name: str) -> type[QWidget]:
    """The view class that draws lens ``name`` (its module imported on first use)."""
    module, cls = LENS_VIEWS[name]
    return getattr(import_module(f".{module}", __package__), cls)


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
            view = lens_view_class(name)(self.session)
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
