"""convviz from a script or a notebook: ``convviz.show(...)`` opens the window on what it is
given and returns it.

This sits on the top floor beside the command line: it opens the window. ``import convviz``
does not load it (nor Qt) until ``convviz.show`` is first used.
"""

from __future__ import annotations

import os
from pathlib import Path

from .model import Document, Project, load_project
from .model.from_arrays import document_from_arrays
from .model.from_torch import document_from_torch, is_module

_open_windows: list = []  # a window shown without a name to hold it must not be collected


def project_for(source=None, weight=None, bias=None, *, x=None, **settings) -> Project:
    """What ``show`` opens: see its parameters. ValueError in words when it cannot be shown."""
    if is_module(source):
        if bias is not None or settings or (weight is not None and x is not None):
            raise ValueError(
                "a module brings its own weights and settings: show(module) or show(module, x)"
            )
        return Project(document_from_torch(source, x if weight is None else weight))
    if x is not None:
        if source is not None:
            raise ValueError("the input is given twice: show(x, weight) or show(x=x, weight=w)")
        source = x
    given = weight is not None or bias is not None or bool(settings)
    if isinstance(source, Project | Document | str | os.PathLike) and given:
        raise ValueError("a project brings its own weights and settings: show(project) alone")
    if isinstance(source, Project):
        return source
    if isinstance(source, Document):
        return Project(source)
    if isinstance(source, str | os.PathLike):
        if Path(source).suffix.lower() != ".convviz":
            raise ValueError(
                f"show opens a .convviz project, not {Path(source).name}; read the numbers "
                "first (e.g. numpy.load) and show those"
            )
        return load_project(source)
    if source is None:
        if given:
            raise ValueError("give the input first: show(x, weight, stride=2, ...)")
        return Project(Document.from_demo("letter-h"))
    return Project(document_from_arrays(source, weight, bias, **settings))


def show(source=None, /, weight=None, bias=None, *, x=None, block: bool = True, **settings):
    """Open convviz's window on an input and its weights, a PyTorch network, or a project.

    Parameters
    ----------
    source : array_like, tensor, torch.nn.Module, Project, str or None
        What to show:

        - an input (NumPy array, nested lists or a PyTorch tensor), ``(C, *S)`` with 1 to 3
          spatial axes, a batch of one ``(1, C, *S)``, or a bare grid; with ``weight``,
          ``bias`` and ``settings`` as ``convviz.engine.conv`` takes them
          (``show(x, w, b, stride=2, padding="same")``);
        - an ``nn.Conv1d/2d/3d`` or an ``nn.Sequential`` of convolutions, activations and
          poolings (``show(module, x)``: the second argument is the input; without one a
          made-up input is used);
        - a ``Project`` (``convviz.project_from_torch``) or the path of a ``.convviz`` file;
        - nothing: the letter-h demo.
    x : array_like or tensor, optional
        The input by name, instead of first: ``show(module, x=img)``, ``show(x=img, weight=w)``.
    weight : array_like or tensor, optional
        ``(F, C // groups, *K)``, or a plain 1-D or 2-D kernel applied to each channel on its
        own. None: an averaging kernel of 3 cells per axis with ``padding="same"``. After a
        module: the input.
    bias : array_like or tensor, optional
        One number per filter (the bias is off without it).
    block : bool
        True (for a script): run the window until it is closed, then return it. False (for
        IPython after ``%gui qt``, or a running Qt application): return the window at once
        and let the event loop already running drive it.
    **settings
        ``stride``, ``padding``, ``dilation``, ``groups``, ``padding_mode``, ``flip``.

    Returns
    -------
    convviz.qt.shell.main_window.MainWindow
        The window; ``window.session.document`` is what it shows.

    Raises
    ------
    ValueError
        In words, before any window opens: a module convviz cannot map (naming it and what
        is supported), shapes or settings that cannot be computed.
    """
    project = project_for(source, weight, bias, x=x, **settings)
    window = open_window(project)
    if block:
        wait_until_closed(window)
    return window


def open_window(project: Project):
    """A new window showing ``project`` (a QApplication is made if there is none yet)."""
    from .qt.shell.main_window import MainWindow

    app = application()
    _open_windows[:] = [w for w in _open_windows if _alive(w)]
    window = MainWindow(project.document.demo_name or "letter-h", persist=False)
    window.files.load(project, None)
    window.show()
    window.raise_()
    _open_windows.append(window)
    app.processEvents()
    return window


def application():
    """The running QApplication, or a new one set up as ``convviz`` sets up its own."""
    import sys

    from PySide6.QtWidgets import QApplication

    from .qt.shell.transport_keys import TransportKeys

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1] or ["convviz"])
        app.setApplicationName("convviz")
        app.setOrganizationName("convviz")
    if app.findChild(TransportKeys) is None:  # once per application
        app.installEventFilter(TransportKeys(app))
    return app


def _alive(window) -> bool:
    import shiboken6

    return shiboken6.isValid(window) and window.isVisible()


def wait_until_closed(window) -> None:
    """Run Qt's events until ``window`` is closed (Ctrl+C in the terminal closes it too, and
    stops the script)."""
    from PySide6.QtCore import QEventLoop, QTimer

    app = application()
    wake = QTimer()  # Python handles Ctrl+C only between Qt's events: wake up now and then
    wake.start(200)
    try:
        while window.isVisible():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    except KeyboardInterrupt:
        window.close()  # unsaved changes are asked about, as when the window is closed
        raise
    finally:
        wake.stop()
