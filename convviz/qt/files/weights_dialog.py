"""File → Open weights: the arrays of a weights file, and which becomes which convolution's
weight and bias."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...engine import size_text
from ...io.weights import read_weights
from ...model.weight_edits import ConvSlot, conv_slots, matching_bias
from .image_import import chosen_file

WEIGHTS_FILTER = "Weights (*.safetensors *.npz *.pt *.pth)"
KEEP, NO_BIAS = "(keep the weights)", "(no bias)"


def _shape(array) -> str:
    return size_text(array.shape) if array.ndim else "a single number"


class WeightsDialog(QDialog):
    """The file's arrays with their shapes, and for each convolution a weight and a bias to
    choose. OK hands the choices to ``load``; what it refuses is said under the choices and
    the dialog stays open.

    Attributes
    ----------
    weight_boxes, bias_boxes : dict of int to QComboBox
        For each convolution's layer number, the array chosen as its weight (``(keep the
        weights)``: none) and as its bias (``(no bias)``); each item's data is the array's name.
    problem : QLabel
        Why the last choices were refused (empty until then).
    """

    def __init__(self, name: str, arrays: dict, slots: list[ConvSlot], load, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Open weights")
        self.arrays = arrays
        self._load = load
        table = self.table = QTableWidget(len(arrays), 2)
        table.setHorizontalHeaderLabels(["array", "shape"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, (key, array) in enumerate(arrays.items()):
            table.setItem(row, 0, QTableWidgetItem(key))
            table.setItem(row, 1, QTableWidgetItem(_shape(array)))
        choices = QGridLayout()
        choices.addWidget(QLabel("<b>layer</b>"), 0, 0)
        choices.addWidget(QLabel("<b>weight</b>"), 0, 1)
        choices.addWidget(QLabel("<b>bias</b>"), 0, 2)
        self.weight_boxes: dict[int, QComboBox] = {}
        self.bias_boxes: dict[int, QComboBox] = {}
        candidates = iter(weights_for_slots(arrays, slots))
        for row, slot in enumerate(slots, start=1):
            weight, bias = self._boxes(slot.number)
            choices.addWidget(QLabel(slot.title), row, 0)
            choices.addWidget(weight, row, 1)
            choices.addWidget(bias, row, 2)
            self._select(weight, next(candidates, None))
            self._on_weight_chosen(slot.number)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name} holds {len(arrays)} array(s):"))
        layout.addWidget(table, 1)
        layout.addWidget(QLabel("Which array becomes which layer's weight and bias:"))
        layout.addLayout(choices)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _boxes(self, number: int) -> tuple[QComboBox, QComboBox]:
        weight, bias = QComboBox(), QComboBox()
        weight.addItem(KEEP, None)
        bias.addItem(NO_BIAS, None)
        for key, array in self.arrays.items():
            weight.addItem(f"{key} ({_shape(array)})", key)
            bias.addItem(f"{key} ({_shape(array)})", key)
        weight.currentIndexChanged.connect(lambda _=0, n=number: self._on_weight_chosen(n))
        self.weight_boxes[number], self.bias_boxes[number] = weight, bias
        return weight, bias

    @staticmethod
    def _select(box: QComboBox, key: str | None) -> None:
        box.setCurrentIndex(max(box.findData(key), 0))

    def _on_weight_chosen(self, number: int) -> None:
        """A weight chosen brings its bias along (``conv1.weight`` → ``conv1.bias``)."""
        key = self.weight_boxes[number].currentData()
        bias = self.bias_boxes[number]
        self._select(bias, None if key is None else matching_bias(key, self.arrays))
        bias.setEnabled(key is not None)

    def choices(self) -> dict[int, tuple[str, str | None]]:
        """For each convolution given a weight: the names of its weight and bias arrays."""
        return {
            number: (box.currentData(), self.bias_boxes[number].currentData())
            for number, box in self.weight_boxes.items()
            if box.currentData() is not None
        }

    def _on_ok(self) -> None:
        try:
            self._load(self.choices())
        except ValueError as error:
            self.problem.setText(f"Not loaded: {error}")
            return
        self.accept()


def weights_for_slots(arrays: dict, slots: list[ConvSlot]) -> list[str | None]:
    """The array first offered to each layer, in order, as a state dict of the same network
    would list them: the next array with that layer's number of axes (None when none is left)."""
    offered = []
    for ndim in sorted({len(s.weight_shape) for s in slots}):
        keys = iter([key for key, a in arrays.items() if a.ndim == ndim])
        offered += [(s.number, next(keys, None)) for s in slots if len(s.weight_shape) == ndim]
    chosen = dict(offered)
    return [chosen[s.number] for s in slots]


def open_weights(window, path: str | Path | None = None, dialog_factory=WeightsDialog) -> bool:
    """File → Open weights: ask for a weights file (unless ``path`` is given), then which of
    its arrays become which convolution's weight and bias (one undoable edit)."""
    path = chosen_file(window, path, "Open weights", "weights", WEIGHTS_FILTER)
    if path is None:
        return False
    try:
        arrays = read_weights(path)
    except ValueError as error:
        QMessageBox.warning(window, "Cannot open weights", str(error))
        return False
    loaded: list[int] = []

    def load(choices: dict) -> None:
        window.playback.pause()
        window.session.edits.load_weights(arrays, choices, f"Weights from {path.name}")
        loaded[:] = sorted(choices)

    slots = conv_slots(window.session.document)
    dialog = dialog_factory(path.name, arrays, slots, load, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    if not loaded:
        window.show_message(f"No weights chosen from {path.name}: nothing changed")
        return False
    layers = ("layers " if len(loaded) > 1 else "layer ") + ", ".join(map(str, loaded))
    window.show_message(f"Weights of {layers} from {path.name} (Ctrl+Z undoes)")
    return True
