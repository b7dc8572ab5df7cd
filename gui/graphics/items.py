"""Small scene items built once and moved per frame: text anchored in data coordinates, vertical
marker lines, circles."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets


def text_item(vb, anchor=(0, 0), z: float = 10) -> pg.TextItem:
    """A TextItem in ``vb`` that does not widen its auto range."""
    item = pg.TextItem(anchor=anchor)
    item.setZValue(z)
    vb.addItem(item, ignoreBounds=True)
    return item


def set_html(item: pg.TextItem, html: str) -> None:
    """``item.setHtml``, skipped when the text is unchanged (a new text costs a relayout)."""
    if getattr(item, "_unfold_html", None) != html:
        item._unfold_html = html
        item.setHtml(html)


def vline(plot, z: float = 5, **kw) -> pg.InfiniteLine:
    """A fixed vertical line in ``plot`` (outside its auto range)."""
    line = pg.InfiniteLine(angle=90, movable=False, **kw)
    line.setZValue(z)
    plot.addItem(line, ignoreBounds=True)
    return line


def circle(vb, z: float = 0) -> QtWidgets.QGraphicsEllipseItem:
    """An ellipse item in ``vb``; place it with :func:`set_circle`."""
    item = QtWidgets.QGraphicsEllipseItem()
    item.setZValue(z)
    vb.addItem(item, ignoreBounds=True)
    return item


def set_circle(item: QtWidgets.QGraphicsEllipseItem, x: float, y: float, r: float) -> None:
    """Centre (x, y), radius r, in data coordinates."""
    item.setRect(QtCore.QRectF(x - r, y - r, 2 * r, 2 * r))
