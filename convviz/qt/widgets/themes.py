"""Themes for the room a lesson is in: light (the default), dark, and high contrast for a
washed-out projector. A theme is colours for the window (a Qt palette), for the background
behind the grids and plots, and for the words drawn on them; the cells keep their colour map.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class Theme:
    """The colours of one theme."""

    name: str
    title: str
    window: QColor
    text: QColor
    base: QColor  # text fields, tables
    button: QColor
    grid: QColor  # behind the grids' cells
    plot: QColor  # behind the curves
    label: QColor  # words drawn on a grid (titles of blocks, "filter 1")
    highlight: QColor
    pending: QColor  # a feature map's cells not computed yet (apart from a computed 0's white)


THEMES = {
    "light": Theme(
        "light",
        "Light",
        QColor(239, 239, 239),
        QColor(20, 20, 20),
        QColor(255, 255, 255),
        QColor(239, 239, 239),
        QColor(236, 236, 236),
        QColor(255, 255, 255),
        QColor(40, 40, 40),
        QColor(48, 140, 198),
        QColor(212, 212, 212),
    ),
    "dark": Theme(
        "dark",
        "Dark",
        QColor(40, 42, 46),
        QColor(230, 230, 230),
        QColor(28, 30, 33),
        QColor(55, 58, 63),
        QColor(32, 34, 38),
        QColor(28, 30, 33),
        QColor(225, 225, 225),
        QColor(66, 150, 220),
        QColor(62, 65, 71),
    ),
    "high-contrast": Theme(
        "high-contrast",
        "High contrast",
        QColor(0, 0, 0),
        QColor(255, 255, 255),
        QColor(0, 0, 0),
        QColor(0, 0, 0),
        QColor(0, 0, 0),
        QColor(0, 0, 0),
        QColor(255, 255, 0),
        QColor(255, 255, 0),
        QColor(70, 70, 70),
    ),
}
"""Every theme by name; ``light`` first, the default."""

_current = THEMES["light"]


def current() -> Theme:
    """The theme in use (widgets made later take its colours)."""
    return _current


def set_current(name: str) -> Theme:
    """Make ``name`` the theme in use (ValueError listing the themes for another name)."""
    global _current
    if name not in THEMES:
        raise ValueError(f"there is no theme {name!r}; the themes are {', '.join(THEMES)}")
    _current = THEMES[name]
    return _current


def palette(theme: Theme) -> QPalette:
    """The Qt palette of ``theme``."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, theme.window),
        (roles.WindowText, theme.text),
        (roles.Base, theme.base),
        (roles.AlternateBase, theme.button),
        (roles.Text, theme.text),
        (roles.Button, theme.button),
        (roles.ButtonText, theme.text),
        (roles.ToolTipBase, theme.base),
        (roles.ToolTipText, theme.text),
        (roles.Highlight, theme.highlight),
        (
            roles.HighlightedText,
            QColor(0, 0, 0) if theme.name == "high-contrast" else QColor(255, 255, 255),
        ),
        (roles.PlaceholderText, theme.label),
    ):
        p.setColor(role, colour)
    return p
