"""The Qt window and its views (imports PySide6 and pyqtgraph)."""

import os

# pyqtgraph picks PyQt6 before PySide6 when both are installed: convviz is built on PySide6.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
import PySide6.QtCore  # noqa: F401  (load PySide6 before pyqtgraph looks for a binding)
