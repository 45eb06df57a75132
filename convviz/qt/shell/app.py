"""Starting the window: ``convviz [window] [--demo NAME] [PROJECT.convviz]``."""

from __future__ import annotations

import sys


def run_app(args) -> int:
    """Open the main window on ``args.demo`` (or the project ``args.project``) and run until
    it closes (``args`` from the ``convviz window`` parser)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .garbage import GarbageCollector
    from .main_window import MainWindow
    from .transport_keys import TransportKeys

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("convviz")
    app.setOrganizationName("convviz")
    GarbageCollector(app)  # Python's collector between events, never inside a paint
    keys = TransportKeys(app)
    app.installEventFilter(keys)
    window = MainWindow(args.demo)
    install_error_reporter(window)
    window.show()
    if args.project:
        QTimer.singleShot(0, lambda: window.open_project(args.project))
    else:
        QTimer.singleShot(0, window.files.offer_recovery)
    return app.exec()


def install_error_reporter(window) -> None:
    """A bug in a handler shows one line in the status bar (and the details on stderr)
    instead of a traceback dialog storm; the user's work stays as it was."""
    import traceback

    def report(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb)
        window.show_message(f"Something went wrong and was skipped: {value}")

    sys.excepthook = report
