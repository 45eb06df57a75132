"""File → Open weights: the file's arrays listed with their shapes, chosen per convolution,
loaded as one undoable edit; what does not fit is said in the dialog."""

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox
from safetensors.numpy import save_file

from convviz.model.weight_edits import conv_slots
from convviz.qt.files.weights_dialog import KEEP, WeightsDialog, open_weights


def state(tmp_path, first_filters=2):
    rng = np.random.default_rng(5)
    arrays = {
        "features.0.weight": rng.standard_normal((first_filters, 1, 3, 3)),
        "features.0.bias": rng.standard_normal(first_filters),
        "features.3.weight": rng.standard_normal((1, first_filters, 3, 3)),
        "head.weight": rng.standard_normal((10, 4)),
    }
    path = tmp_path / "net.safetensors"
    save_file(arrays, str(path))
    return path, arrays


def driving(qtbot, choose, seen):
    """A dialog that, once shown, lets ``choose`` set its widgets, then clicks OK; what it
    showed afterwards goes to ``seen``."""

    class Driven(WeightsDialog):
        def exec(self):
            def drive():
                choose(self)
                qtbot.mouseClick(self.ok_button, Qt.MouseButton.LeftButton)
                seen["problem"] = self.problem.text()
                if self.isVisible():  # refused: the user gives up
                    self.reject()

            QTimer.singleShot(0, drive)
            return super().exec()

    return Driven


def choose(dialog, number, weight, bias="unchanged"):
    box = dialog.weight_boxes[number]
    box.setCurrentIndex(box.findData(weight))
    if bias != "unchanged":
        dialog.bias_boxes[number].setCurrentIndex(dialog.bias_boxes[number].findData(bias))


@pytest.fixture
def tiny_cnn(window):
    window.open_demo("tiny-cnn")  # conv 2 × 3×3, relu, max pool, conv 1 × 2 × 3×3, avg pool
    return window


def test_the_arrays_are_listed_and_the_convolutions_offered_their_weights(tiny_cnn, tmp_path):
    path, arrays = state(tmp_path)
    dialog = WeightsDialog(path.name, arrays, [], lambda choices: None)
    assert dialog.table.rowCount() == 4
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(4)}
    assert rows["features.0.weight"] == "2×1×3×3" and rows["head.weight"] == "10×4"
    dialog = WeightsDialog(path.name, arrays, conv_slots(tiny_cnn.session.document), None)
    assert dialog.weight_boxes[1].currentData() == "features.0.weight"
    assert dialog.bias_boxes[1].currentData() == "features.0.bias"  # the matching bias
    assert dialog.weight_boxes[4].currentData() == "features.3.weight"
    assert dialog.bias_boxes[4].currentData() is None  # the file has none for it
    dialog.weight_boxes[4].setCurrentIndex(0)
    assert dialog.weight_boxes[4].currentText() == KEEP and not dialog.bias_boxes[4].isEnabled()


def test_choices_load_as_one_undoable_edit(qtbot, tiny_cnn, tmp_path):
    path, arrays = state(tmp_path, first_filters=3)
    seen = {}

    def pick(dialog):
        choose(dialog, 1, "features.0.weight", "features.0.bias")
        choose(dialog, 4, "features.3.weight")

    before = tiny_cnn.session.document
    assert open_weights(tiny_cnn, path, driving(qtbot, pick, seen))
    d = tiny_cnn.session.document
    np.testing.assert_array_equal(d.weight, arrays["features.0.weight"])
    np.testing.assert_array_equal(d.bias, arrays["features.0.bias"])
    np.testing.assert_array_equal(d.layers[2].weight, arrays["features.3.weight"])
    assert d.use_bias and seen["problem"] == ""
    message = tiny_cnn.statusBar().currentMessage()
    assert message == "Weights of layers 1, 4 from net.safetensors (Ctrl+Z undoes)"
    assert tiny_cnn.undo_stack.undoText() == "Weights from net.safetensors"
    tiny_cnn.undo_stack.undo()
    np.testing.assert_array_equal(tiny_cnn.session.document.weight, before.weight)


def test_shapes_that_do_not_fit_are_said_in_the_dialog_and_nothing_changes(
    qtbot, tiny_cnn, tmp_path
):
    path, _ = state(tmp_path)
    seen = {}
    before = tiny_cnn.session.document

    def pick(dialog):
        choose(dialog, 1, "head.weight")

    assert not open_weights(tiny_cnn, path, driving(qtbot, pick, seen))
    assert seen["problem"].startswith("Not loaded: 'head.weight' is 10×4; the weights of layer 1")
    assert tiny_cnn.session.document is before
    assert tiny_cnn.undo_stack.count() == 0

    def pick_wrong_bias(dialog):
        choose(dialog, 4, "features.3.weight", "features.0.bias")

    assert not open_weights(tiny_cnn, path, driving(qtbot, pick_wrong_bias, seen))
    assert (
        "'features.0.bias' is 2; the bias of layer 4 needs one number per filter (1)"
        in (seen["problem"])
    )


def test_a_file_that_cannot_be_read_is_said_in_a_message(tiny_cnn, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: said.append(args[2]))
    evil = tmp_path / "evil.pt"

    class Payload:
        def __reduce__(self):
            return (print, ("the payload ran",))

    torch.save({"w": Payload()}, evil)
    assert not open_weights(tiny_cnn, evil, WeightsDialog)
    assert said and said[0].startswith("evil.pt asks to run Python code")


def test_the_menu_has_the_action(tiny_cnn):
    assert tiny_cnn.actions_by_name["open_weights"].text() == "Open weights…"


def test_the_digits_networks_own_file_is_offered_layer_by_layer(qtbot, window):
    from importlib.resources import files

    from convviz.io.weights import read_weights
    from convviz.model.weight_edits import conv_slots
    from convviz.qt.files.weights_dialog import WeightsDialog

    window.open_demo("digits")
    path = files("convviz") / "data" / "digits.safetensors"
    arrays = read_weights(path)
    slots = conv_slots(window.session.document)
    dialog = WeightsDialog("digits.safetensors", arrays, slots, None)
    qtbot.addWidget(dialog)
    offered = {s.title: dialog.weight_boxes[s.number].currentData() for s in slots}
    assert list(offered.values()) == ["conv1.weight", "conv2.weight", "linear.weight"]
    assert all(dialog.bias_boxes[s.number].currentData() for s in slots)
