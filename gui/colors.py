"""Qt brushes and pens built once from the colour tables of gui/model/palette.py (which views
and presenters share); the tables' names are re-exported here for the views."""

from __future__ import annotations

from functools import cache

import numpy as np

from .model.palette import (  # noqa: F401 - the views' one place for colours
    HIGHWAY_HEX,
    LEVELS,
    NONFINITE,
    NONFINITE_RGB,
    SOURCE_HEX,
    STEP_HEX,
    TABLES,
    finite_max,
    hex_to_rgb,
    magnitude_index,
    rgb,
    signed_index,
    source_hex,
    source_rgb,
)


@cache
def brushes(table: str, alpha: int = 255) -> tuple:
    """LEVELS + 1 QBrush objects for ``table`` (the last is the non-finite grey)."""
    from PySide6 import QtGui

    return tuple(QtGui.QBrush(QtGui.QColor(int(r), int(g), int(b), alpha))
                 for r, g, b in TABLES[table])


@cache
def brush(hex_or_rgb, alpha: int = 255):
    from PySide6 import QtGui

    r, g, b = hex_to_rgb(hex_or_rgb) if isinstance(hex_or_rgb, str) else hex_or_rgb
    return QtGui.QBrush(QtGui.QColor(r, g, b, alpha))


@cache
def pen(hex_or_rgb, width: float = 1.0, alpha: int = 255, style: str = "solid"):
    from PySide6 import QtCore, QtGui

    r, g, b = hex_to_rgb(hex_or_rgb) if isinstance(hex_or_rgb, str) else hex_or_rgb
    p = QtGui.QPen(QtGui.QColor(r, g, b, alpha))
    p.setWidthF(width)
    p.setCosmetic(True)
    if style == "dash":
        p.setStyle(QtCore.Qt.PenStyle.DashLine)
    return p


def colormap(table: str):
    """A pyqtgraph ColorMap of ``table`` (for colour bars)."""
    import pyqtgraph as pg

    t = TABLES[table][:LEVELS]
    return pg.ColorMap(np.linspace(0, 1, LEVELS), t)
