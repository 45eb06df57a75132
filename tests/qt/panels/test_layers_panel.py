"""The Layers dock: building a stack, its summary, and receptive fields on the input."""

from PySide6.QtCore import QRectF

from ..gestures import click_cell


def test_stack_summary_and_receptive_field(qtbot, window):
    panel = window.layers_panel
    window.layers_dock.raise_()  # the user clicks the Layers tab
    qtbot.waitUntil(panel.isVisible)
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 1).text() == "1×16×16"
    panel.choose("ReLU")
    panel.buttons["add"].click()
    panel.choose("max pooling")  # 2×2, stride 2 by default
    panel.buttons["add"].click()
    panel.choose("convolution", filters=4)  # 3×3, padding 1 by default
    panel.buttons["add"].click()
    table = [
        [panel.table.item(r, c).text() for c in range(3)] for r in range(panel.table.rowCount())
    ]
    assert [row[1] for row in table] == ["1×16×16", "1×16×16", "1×8×8", "4×8×8"]
    assert table[3][2] == str(4 * 1 * 9 + 4)
    assert panel.total.text().endswith(str(9 + 40))
    panel.last.show()
    click_cell(qtbot, panel.last, 3, 4)
    # conv 3 (pad 1) → max pool 2 → relu → 'same' 3×3 conv: rows 3..10, columns 5..12
    assert window.input_view.field.path().boundingRect() == QRectF(4.5, 2.5, 8, 8)
    assert "8 × 8 block of the input" in window.statusBar().currentMessage()
    panel.buttons["remove"].click()
    assert panel.table.rowCount() == 3
    assert window.input_view.field.path().isEmpty()


def test_a_hidden_panel_catches_up_when_shown(qtbot, window):
    window.parameter_dock.raise_()
    panel = window.layers_panel
    window.session.edits.resize_input((3, 3))
    window.session.edits.add_pool("max", 2)
    window.session.edits.add_pool("max", 2)
    window.layers_dock.raise_()
    qtbot.waitUntil(panel.isVisible)
    assert "layer 3" in panel.problem.text() and panel.problem.isVisible()
    assert panel.table.rowCount() == 2  # the layers that still run
