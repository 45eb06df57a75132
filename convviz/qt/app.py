"""Starting the window: ``convviz [--demo NAME]``."""

from __future__ import annotations

import argparse
import sys

from ..engine import DEMOS


def window_parser() -> argparse.ArgumentParser:
    """Options of the window itself (the subcommands have their own)."""
    parser = argparse.ArgumentParser(
        prog="convviz",
        description="See and teach convolution. Subcommands: compute, list (see convviz "
        "compute --help).",
    )
    parser.add_argument("--demo", choices=DEMOS, default=DEMOS[0], help="demo to open")
    parser.add_argument("project", nargs="?", help="a .convviz project to open")
    return parser


def run_app(argv: list[str]) -> int:
    """Open the main window on a demo and run until it closes."""
    args = window_parser().parse_args(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .transport_keys import TransportKeys

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("convviz")
    app.setOrganizationName("convviz")
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
