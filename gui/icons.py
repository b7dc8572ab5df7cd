"""Playback icons drawn in a given colour, so they stay visible in the dark theme (the style's
standard icons are dark glyphs that vanish on a dark background)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

SIZE = 20


def _triangle(path: QtGui.QPainterPath, x0: float, x1: float) -> None:
    """A triangle pointing from x0 to x1 (right if x1 > x0), full height."""
    path.moveTo(x0, 3)
    path.lineTo(x1, SIZE / 2)
    path.lineTo(x0, SIZE - 3)
    path.closeSubpath()


def _bar(path: QtGui.QPainterPath, x: float, w: float = 2.5) -> None:
    path.addRect(QtCore.QRectF(x, 3, w, SIZE - 6))


SHAPES = {
    "home": lambda p: (_bar(p, 3), _triangle(p, 16, 6)),
    "back": lambda p: (_triangle(p, 10, 2), _triangle(p, 18, 10)),
    "play": lambda p: _triangle(p, 5, 16),
    "pause": lambda p: (_bar(p, 5, 3.5), _bar(p, 11.5, 3.5)),
    "forward": lambda p: (_triangle(p, 2, 10), _triangle(p, 10, 18)),
    "end": lambda p: (_triangle(p, 4, 14), _bar(p, 14.5)),
}


def icon(name: str, color: str) -> QtGui.QIcon:
    """The playback icon ``name`` (a key of :data:`SHAPES`) filled with ``color``."""
    pixmap = QtGui.QPixmap(SIZE, SIZE)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    path = QtGui.QPainterPath()
    SHAPES[name](path)
    painter = QtGui.QPainter(pixmap)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    painter.fillPath(path, QtGui.QColor(color))
    painter.end()
    return QtGui.QIcon(pixmap)
