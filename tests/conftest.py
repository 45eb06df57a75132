"""Shared test setup: Qt runs offscreen, and settings and autosaves go to a temporary folder."""

import os

import pytest
from hypothesis import settings

# CI explores the same examples every run (a red build must be reproducible); developers'
# runs draw new ones each time, which is where new bugs are found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Each test gets its own settings file and autosave folder, never the user's."""
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(tmp_path / "data"))
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # engine-only runs
        yield
        return
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config")
    )
    yield
