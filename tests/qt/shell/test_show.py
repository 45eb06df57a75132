"""convviz.show from a script or a notebook: the window opens on what it is given."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from torch import nn

import convviz
from convviz.model import Pipeline
from convviz.qt.shell.main_window import MainWindow
from convviz.qt.shell.transport_keys import TransportKeys


@pytest.fixture
def shown(qapp, qtbot):
    """``show(..., block=False)`` as in IPython after ``%gui qt``; every window closed after."""
    windows = []

    def show(*args, **kwargs):
        window = convviz.show(*args, block=False, **kwargs)
        windows.append(window)
        qtbot.waitExposed(window)
        return window

    yield show
    for window in windows:
        window.undo_stack.setClean()
        window.close()
        window.deleteLater()
    for keys in qapp.findChildren(TransportKeys):
        qapp.removeEventFilter(keys)
        keys.deleteLater()


def main_windows(qapp):
    return [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_arrays_and_conv_settings(shown):
    x = np.arange(25.0).reshape(5, 5)
    w = np.array([[[[1.0, 0, -1]] * 3]])
    window = shown(x, w, [0.5], stride=2, padding=1)
    d = window.session.document
    np.testing.assert_array_equal(d.x[0], x)
    np.testing.assert_array_equal(d.weight, w)
    assert d.use_bias and d.bias.tolist() == [0.5]
    assert d.settings.stride == (2, 2) and d.settings.padding == ((1, 1), (1, 1))
    panel = window.parameter_panel
    assert [panel.stride[1].value(), panel.stride[2].value()] == [2, 2]
    assert "stride=2" in panel.pytorch.text() and "padding=1" in panel.pytorch.text()
    grid = window.input_view.grid.values  # the padded input, as drawn
    np.testing.assert_array_equal(grid[1:-1, 1:-1], x)
    assert window.isVisible() and not window.isWindowModified()
    window.session.playhead.run_to_end()
    np.testing.assert_allclose(window.session.final_map(), Pipeline.of(d).outputs[-1])


def test_a_pytorch_network_on_a_tensor(shown):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    x = torch.randn(1, 1, 8, 8)
    window = shown(net, x)
    assert window.layers_panel.table.rowCount() >= 3
    assert len(window.session.pipeline.layers) == 3
    with torch.no_grad():
        expected = net(x)[0].double().numpy()
    np.testing.assert_allclose(window.session.pipeline.outputs[-1], expected, rtol=1e-5, atol=1e-6)


def test_the_input_by_name(shown):
    conv = nn.Conv2d(1, 1, 3)
    assert shown(conv, x=np.ones((1, 6, 6))).session.document.x.shape == (1, 6, 6)
    window = shown(x=np.ones((7, 7)), weight=np.ones((1, 1, 2, 2)), padding=1)
    assert window.session.document.x.shape == (1, 7, 7)
    assert window.session.document.settings.padding == ((1, 1), (1, 1))


def test_a_project_and_a_project_file(shown, tmp_path):
    project = convviz.project_from_torch(nn.Conv1d(1, 1, 3), np.arange(10.0))
    assert shown(project).session.nd == 1
    path = project.save(tmp_path / "signal.convviz")
    window = shown(str(path))
    np.testing.assert_array_equal(window.session.document.x[0], np.arange(10.0))


def test_what_cannot_be_shown_is_refused_before_any_window_opens(shown, qapp):
    before = len(main_windows(qapp))
    with pytest.raises(ValueError, match=r"layer 1 \(BatchNorm2d\) is not a layer convviz"):
        shown(nn.Sequential(nn.Conv2d(1, 1, 3), nn.BatchNorm2d(1)), np.zeros((1, 8, 8)))
    with pytest.raises(ValueError, match="the bias needs one number per filter"):
        shown(np.ones((5, 5)), np.ones((3, 3)), [1.0, 2.0])
    with pytest.raises(ValueError, match="a module brings its own weights"):
        shown(nn.Conv2d(1, 1, 3), np.ones((1, 5, 5)), stride=2)
    project = convviz.project_from_torch(nn.Conv2d(1, 1, 3))
    with pytest.raises(ValueError, match="a project brings its own weights and settings"):
        shown(project, np.ones((3, 3)))
    with pytest.raises(ValueError, match="the input is given twice"):
        shown(np.ones((5, 5)), x=np.ones((5, 5)))
    with pytest.raises(ValueError, match=r"show opens a \.convviz project, not photo\.png"):
        shown("photo.png")
    assert len(main_windows(qapp)) == before


def test_import_convviz_loads_no_qt_until_show_is_used():
    code = "import sys, convviz; convviz.project_from_torch; assert 'PySide6' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_show_blocks_a_plain_script_until_the_window_closes(tmp_path):
    """A script with no Qt of its own: show makes the application, runs it until the window
    is closed (here by a timer, as a user would click), then returns the window."""
    script = textwrap.dedent(
        """
        import numpy as np
        import convviz
        import convviz.scripting as scripting
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        made = scripting.application
        def application():
            app = made()
            QTimer.singleShot(300, lambda: [w.close() for w in QApplication.topLevelWidgets()])
            return app
        scripting.application = application

        window = convviz.show(np.eye(6), np.ones((2, 2)), stride=2)
        print("closed", not window.isVisible(), window.session.document.x.shape)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "closed True (1, 6, 6)" in result.stdout
