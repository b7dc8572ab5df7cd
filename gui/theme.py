"""Light (projectors, print) and dark (screens) themes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    muted: str  # weights, frames: present but quiet
    faint: str  # what is not yet computed
    recurrent: str  # the articles' yellow for recurrent connections
    highlight: str  # the stage being computed
    banner_bg: str
    banner_fg: str
    peephole: str = "#0072B2"  # the articles' blue peepholes
    font_scale: float = 1.0
    line_scale: float = 1.0


LIGHT = Theme("light", background="#ffffff", foreground="#1a1a1a", muted="#8c8c8c",
              faint="#dedede", recurrent="#c8a200", highlight="#000000",
              banner_bg="#fff3cd", banner_fg="#7a4b00")
DARK = Theme("dark", background="#17191c", foreground="#e8e8e8", muted="#8a8f96",
             faint="#3a3d42", recurrent="#F0E442", highlight="#ffffff",
             banner_bg="#5a3b00", banner_fg="#ffe8a8", peephole="#56B4E9")
THEMES = {"light": LIGHT, "dark": DARK}


def presentation(theme: Theme) -> Theme:
    """``theme`` for a projector: type and lines half as large again."""
    from dataclasses import replace

    return replace(theme, font_scale=1.5, line_scale=1.6)


def slide(theme: Theme) -> Theme:
    """``theme`` for a slide: exports lay a view out at half the slide's width and paint it at
    twice the size (every text, tick and line doubles), and type grows a quarter more, so the
    smallest text of a 1600 px slide is 24 px or more."""
    from dataclasses import replace

    return replace(theme, font_scale=1.25, line_scale=1.25)


def get(name: str) -> Theme:
    if name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {name!r}")
    return THEMES[name]


def qt_palette(name: str):
    """A QPalette for the window's own widgets (panels, menus, tables) in theme ``name``."""
    from PySide6 import QtGui

    t = get(name)
    pal = QtGui.QPalette()
    roles = QtGui.QPalette.ColorRole
    base = QtGui.QColor(t.background)
    panel = base.lighter(135) if name == "dark" else base
    text = QtGui.QColor(t.foreground)
    for role, colour in ((roles.Window, panel), (roles.Base, base), (roles.AlternateBase, panel),
                         (roles.Text, text), (roles.WindowText, text), (roles.ButtonText, text),
                         (roles.Button, panel), (roles.ToolTipBase, panel),
                         (roles.ToolTipText, text), (roles.PlaceholderText, QtGui.QColor(t.muted)),
                         (roles.Highlight, QtGui.QColor("#0072B2")),
                         (roles.HighlightedText, QtGui.QColor("#ffffff"))):
        pal.setColor(role, colour)
    pal.setColor(QtGui.QPalette.ColorGroup.Disabled, roles.Text, QtGui.QColor(t.muted))
    pal.setColor(QtGui.QPalette.ColorGroup.Disabled, roles.ButtonText, QtGui.QColor(t.muted))
    pal.setColor(QtGui.QPalette.ColorGroup.Disabled, roles.WindowText, QtGui.QColor(t.muted))
    return pal
