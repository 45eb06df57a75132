"""The engine and the model load no Qt: the CLI and tests can use them without a display."""

import subprocess
import sys


def test_engine_and_model_import_no_qt():
    code = (
        "import sys, convviz.engine, convviz.model, convviz.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'shiboken6'))\n"
        "print(bad)\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
