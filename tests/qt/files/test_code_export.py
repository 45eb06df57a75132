"""Edit → Copy as code and File → Export → Code: the script a student gets runs on its own and
computes the map the window shows."""

import subprocess
import sys

import numpy as np
from PySide6.QtGui import QGuiApplication

import convviz.qt.files.code_export as code_export


def run_script(path, cwd):
    """Run a script in a fresh interpreter and read back its ``y``."""
    runner = cwd / "run.py"
    runner.write_text(
        f"import runpy, numpy as np\ny = runpy.run_path({str(path)!r})['y']\nnp.save('y.npy', y)\n"
    )
    subprocess.run([sys.executable, str(runner)], cwd=cwd, check=True, timeout=120)
    return np.load(cwd / "y.npy")


def test_copy_as_pytorch_code_runs_and_gives_the_map(qtbot, window, tmp_path):
    window.open_demo("cs231n")
    window.session.edits.change_settings("padding mode", padding_mode="reflect")
    menu_action = window.actions_by_name["copy_torch"]
    menu_action.trigger()
    text = QGuiApplication.clipboard().text()
    assert "nn.Conv2d" in text and "reflect" in text
    script = tmp_path / "copied.py"
    script.write_text(text)
    np.testing.assert_allclose(run_script(script, tmp_path), window.session.final_map(), atol=1e-12)


def test_copy_refuses_a_document_too_large_to_paste(qtbot, window, monkeypatch):
    monkeypatch.setattr(code_export, "COPY_LIMIT", 100)
    QGuiApplication.clipboard().setText("before")
    window.actions_by_name["copy_numpy"].trigger()
    assert QGuiApplication.clipboard().text() == "before"
    assert "too many to paste" in window.statusBar().currentMessage()


def test_export_numpy_code_saves_the_script_and_its_arrays(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "h.py"
    monkeypatch.setattr(code_export, "ask_file", lambda *a, **k: target)
    action = next(a for a in window.export_menu.actions() if a.text() == "Code: NumPy script…")
    action.trigger()
    assert target.exists()
    assert list(tmp_path.glob("h_*.npy"))  # the 16×16 letter H is saved beside it
    assert "import torch" not in target.read_text()
    y = run_script(target, tmp_path)
    np.testing.assert_allclose(y, window.session.final_map(), atol=1e-12)
    assert "Wrote" in window.statusBar().currentMessage()
