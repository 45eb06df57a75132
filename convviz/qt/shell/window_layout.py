"""How big the window opens and where its docks sit, decided from the screen it opens on.

The decision itself (:func:`initial_layout`, :func:`layout_for_window`) is plain arithmetic that
tests call with any screen size; the rest applies it to a window and remembers the user's own
arrangement per screen size.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QStyle

LARGEST = (1920, 1200)  # a projector's 1920×1080 is filled; a huge monitor is not
FRAME = (8, 40)  # what a window manager adds around the window: borders and a title bar
FOLD_BELOW = (1400, 800)  # a smaller window tabs its docks into one group: the stage needs room
DOCK_SHARE = 0.27  # of the window's width, for the docks
DOCK_WIDTHS = (290, 420)  # narrower, the panels' controls clip; wider, the stage starves
DOCKS_SHOWN_FROM = 1200  # a narrower window opens with its side panels put away (F9 shows them):
# beside 290 px of docks, a 16×16 input's cells were too small for their numbers at 1024×768
FIRST_DOCK_SHARE = 0.6  # of the height at most, for the Kernel dock above the others


@dataclass(frozen=True)
class WindowLayout:
    """The window's size (inside its frame) and how its docks sit.

    Attributes
    ----------
    width, height : int
        The window's size in device-independent pixels, without the window manager's frame.
    fold_docks : bool
        All docks tabbed into one group on the right (a narrow or low window) instead of the
        Kernel dock above the Parameters and Layers tabs.
    dock_width : int
        The width of the dock area on the right.
    docks_shown : bool
        Whether the docks are shown when the window opens (put away on a narrow window, where
        the grids need the width; View → Side panels, F9, brings them back).
    """

    width: int
    height: int
    fold_docks: bool
    dock_width: int
    docks_shown: bool = True


def layout_for_window(width: int, height: int) -> WindowLayout:
    """The dock arrangement for a window of ``width`` × ``height`` pixels.

    Parameters
    ----------
    width, height : int
        The window's size without its frame.

    Returns
    -------
    WindowLayout
        Docks folded into one tab group when the window is narrower or lower than
        ``FOLD_BELOW``; the dock area takes ``DOCK_SHARE`` of the width, within
        ``DOCK_WIDTHS``; the docks start put away below ``DOCKS_SHOWN_FROM`` pixels of width.
    """
    fold = width < FOLD_BELOW[0] or height < FOLD_BELOW[1]
    low, high = DOCK_WIDTHS
    dock_width = min(max(round(DOCK_SHARE * width), low), high)
    return WindowLayout(width, height, fold, dock_width, width >= DOCKS_SHOWN_FROM)


def initial_layout(available_width: int, available_height: int) -> WindowLayout:
    """The size and dock arrangement the window opens with on a screen whose free area (its
    size less task bars and panels) is ``available_width`` × ``available_height``.

    Parameters
    ----------
    available_width, available_height : int
        The screen's available area (``QScreen.availableGeometry()``), in device-independent
        pixels.

    Returns
    -------
    WindowLayout
        A window as large as ``LARGEST`` where there is room for it, else the whole available
        area less ``FRAME`` for the window manager's border and title bar (so that the frame
        fits too), arranged by :func:`layout_for_window`.
    """
    width = max(min(LARGEST[0], available_width - FRAME[0]), 1)
    height = max(min(LARGEST[1], available_height - FRAME[1]), 1)
    return layout_for_window(width, height)


def settings_group(available: QRect) -> str:
    """The settings group keeping the window's size and docks for a screen of this size
    (``window/1366x768``): a layout made on a big monitor is not forced on a laptop."""
    return f"window/{available.width()}x{available.height()}"


def arrange_docks(window: QMainWindow, docks: tuple[QDockWidget, ...], fold: bool) -> None:
    """Put ``docks`` (kernel, parameters, layers) back on the right of ``window``, shown and
    docked: all tabbed into one group when ``fold``, else the first above the others' tabs."""
    first, *others = docks
    right = Qt.DockWidgetArea.RightDockWidgetArea
    for dock in docks:
        dock.setFloating(False)
        window.addDockWidget(right, dock, Qt.Orientation.Vertical)
        dock.show()
    anchor = first if fold else others[0]
    for dock in docks:
        if dock is not anchor and (fold or dock is not first):
            window.tabifyDockWidget(anchor, dock)
    anchor.raise_()


def apply_layout(
    window: QMainWindow,
    docks: tuple[QDockWidget, ...],
    layout: WindowLayout,
    available: QRect | None = None,
) -> None:
    """Size ``window`` and arrange its ``docks`` as ``layout`` says; centre it, frame
    included, in ``available`` (a screen's available geometry) if given."""
    if window.isMaximized() or window.isFullScreen():
        window.showNormal()
    arrange_docks(window, docks, layout.fold_docks)
    window.resize(layout.width, layout.height)
    window.resizeDocks([docks[0]], [layout.dock_width], Qt.Orientation.Horizontal)
    if not layout.fold_docks:
        fit_first_dock(window, docks)
    if not layout.docks_shown:
        for dock in docks:
            dock.hide()
    if available is not None:
        frame_width, frame_height = layout.width + FRAME[0], layout.height + FRAME[1]
        window.move(
            available.x() + max((available.width() - frame_width) // 2, 0),
            available.y() + max((available.height() - frame_height) // 2, 0),
        )


def fit_first_dock(window: QMainWindow, docks: tuple[QDockWidget, ...]) -> None:
    """The Kernel dock as tall as its contents want (at most ``FIRST_DOCK_SHARE`` of the
    window), the docks under it the rest: a dock left taller than its contents had cut
    off the Parameters below it at 1920×1080. Only for the Kernel dock docked above the
    others, not tabbed with them or floating. Qt sizes docks for good only once the window
    is shown: the window calls this again then."""
    first = docks[0]
    if first.isFloating() or first.isHidden() or window.tabifiedDockWidgets(first):
        return
    height = min(_wanted_height(first), round(FIRST_DOCK_SHARE * window.height()))
    below = [d for d in docks[1:] if d.isVisible() and not d.isFloating()][:1]
    if not below or first.height() + below[0].height() <= height:
        window.resizeDocks([first], [height], Qt.Orientation.Vertical)
        return
    # Both sizes given: with the Kernel dock's alone, Qt had shared the change between them.
    total = first.height() + below[0].height()
    window.resizeDocks([first, below[0]], [height, total - height], Qt.Orientation.Vertical)


def _wanted_height(dock: QDockWidget) -> int:
    """How tall ``dock`` wants to be: its contents' wish (not its scroll area's), at least
    their height with their words wrapped at the dock's width (edges's two-line title had
    overrun a dock fitted to one line, and the scroll bar that followed kept it two lines),
    and its title."""
    contents = dock.widget()
    if isinstance(contents, QScrollArea):
        contents = contents.widget()
    title = dock.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
    height = contents.sizeHint().expandedTo(contents.minimumSizeHint()).height()
    if contents.hasHeightForWidth():
        height = max(height, contents.heightForWidth(max(dock.width(), 50)))
    return height + title


def restore_layout(window: QMainWindow, settings: QSettings, available: QRect) -> bool:
    """Give ``window`` the size and docks saved for a screen of ``available``'s size, if any
    were saved and the window, frame included, fitted in ``available``; True if it did."""
    group = settings_group(available)
    frame = settings.value(f"{group}/frame")
    geometry = settings.value(f"{group}/geometry")
    state = settings.value(f"{group}/state")
    if not (isinstance(frame, QRect) and available.contains(frame)):
        return False
    if not (isinstance(geometry, QByteArray) and isinstance(state, QByteArray)):
        return False
    return window.restoreGeometry(geometry) and window.restoreState(state)


def save_layout(window: QMainWindow, settings: QSettings, available: QRect) -> None:
    """Remember ``window``'s size, place and docks for screens of ``available``'s size."""
    group = settings_group(available)
    settings.setValue(f"{group}/frame", window.frameGeometry())
    settings.setValue(f"{group}/geometry", window.saveGeometry())
    settings.setValue(f"{group}/state", window.saveState())
