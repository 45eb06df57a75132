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


def test_the_window_loads_lenses_and_code_export_when_first_used():
    # Start-up pays only for what the first picture needs: each lens's computation and view,
    # the code writers and the import dialogs (pictures, data, weights) load on first use.
    code = (
        "import sys\n"
        "from convviz.qt.shell.main_window import MainWindow\n"
        "import convviz.model.lenses as lenses\n"
        "early = sorted(m for m in sys.modules if m.startswith(("
        "'convviz.model.lenses.', 'convviz.qt.views.lenses.', 'convviz.qt.files.code_export', "
        "'convviz.model.code_out', 'convviz.qt.files.image_import', "
        "'convviz.qt.files.weights_dialog', 'convviz.io.weights')))\n"
        "print(early)\n"
        "assert early == ['convviz.model.lenses.catalogue', 'convviz.qt.views.lenses.lens_host'], "
        "early\n"
        "for name in lenses.__all__:\n"
        "    getattr(lenses, name)\n"
        "from convviz.model.lenses import backward_picture, three_ways\n"
        "from convviz.qt.views.lenses.lens_host import LENS_VIEWS, lens_view_class\n"
        "for name in LENS_VIEWS:\n"
        "    lens_view_class(name)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_engine_loads_the_lenses_machinery_when_first_used():
    # Gradients, transposed convolution, the convolution matrix and separable kernels load on
    # first use; a module named like its function (conv_matrix, stack_backward) imported first
    # leaves the package's name meaning the function.
    code = (
        "import sys, types\n"
        "import convviz.engine as engine\n"
        "late = ('backward', 'transpose', 'stack_backward', 'conv_matrix', 'separable')\n"
        "early = [m for m in late if f'convviz.engine.{m}' in sys.modules]\n"
        "assert not early, early\n"
        "from convviz.engine.stack_backward import stack_backward\n"
        "from convviz.engine.conv_matrix import conv_matrix\n"
        "assert engine.stack_backward is stack_backward and engine.conv_matrix is conv_matrix\n"
        "for name in engine.__all__:\n"
        "    assert not isinstance(getattr(engine, name), types.ModuleType), name\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
