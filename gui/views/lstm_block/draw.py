"""Two scene items that paint many small things in one pass: the unit cells of every node, and
the short texts (titles, operators, labels) at data positions with a fixed pixel size."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui


@lru_cache(maxsize=64)
def qcolor(hex_: str) -> QtGui.QColor:
    """A QColor of ``hex_``, built once."""
    return QtGui.QColor(hex_)


class Cells(pg.GraphicsObject):
    """Every unit cell of every node as a filled square, painted in one pass.

    Much cheaper per frame than a ScatterPlotItem with data-sized symbols: a new brush per
    cell is just a reference into the pre-built table, and painting is one fillRect per cell.
    """

    def __init__(self):
        super().__init__()
        self._rects: list = []
        self.brushes: list = []
        self._marks: list = []
        self._mark_pen = None
        self._bounds = QtCore.QRectF()

    def set_geometry(self, centres: np.ndarray, sizes: np.ndarray) -> None:
        """Squares of side ``sizes`` (N,) centred at ``centres`` (N, 2), in data units."""
        self.prepareGeometryChange()
        self._rects = [QtCore.QRectF(x - s / 2, y - s / 2, s, s)
                       for (x, y), s in zip(centres, sizes, strict=True)]
        lo = (centres - sizes[:, None]).min(axis=0) if len(centres) else (0, 0)  # (2,)
        hi = (centres + sizes[:, None]).max(axis=0) if len(centres) else (0, 0)  # (2,)
        self._bounds = QtCore.QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.brushes = [None] * len(self._rects)
        self._marks = []

    def set_brushes(self, brushes: list) -> None:
        self.brushes = brushes
        self.update()

    def set_marks(self, indices, pen) -> None:
        """Outline the cells ``indices`` (the selected unit) with ``pen``."""
        self._marks = [self._rects[i] for i in indices]
        self._mark_pen = pen
        self.update()

    def boundingRect(self):  # noqa: N802 - Qt's name
        return self._bounds

    def paint(self, p, *_):
        for r, b in zip(self._rects, self.brushes, strict=True):
            if b is not None:
                p.fillRect(r, b)
        if self._marks:
            p.setPen(self._mark_pen)
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            for r in self._marks:
                p.drawRect(r)


class Texts(pg.GraphicsObject):
    """Many short texts at data positions, at a fixed pixel size, painted in one pass.

    Each entry is (x, y, anchor, parts, fill): parts are (text, QColor, bold) drawn one after
    the other; fill is a QColor painted behind (so a wire crossing a title stays behind it), or
    None. Cheaper than one rich-text item per title when every title changes every frame.
    """

    def __init__(self, bounds: QtCore.QRectF, point_size: float = 9.0):
        super().__init__()
        self._bounds = bounds
        self.entries: list = []
        self.point_size = point_size
        self._fonts: dict = {}
        #: indices of entries not drawn (they would overlap a text placed before them)
        self.hidden: set = set()

    def font(self, size: float, bold: bool):
        """(QFont, QFontMetricsF) at ``size`` points, built once."""
        key = (round(size, 1), bold)
        if key not in self._fonts:
            f = QtGui.QFont()
            f.setPointSizeF(key[0])
            f.setBold(bold)
            self._fonts[key] = (f, QtGui.QFontMetricsF(f))
        return self._fonts[key]

    def set_point_size(self, size: float) -> None:
        if size != self.point_size:
            self.point_size = size
            self.update()

    def set_entries(self, entries: list, hidden=()) -> None:
        self.entries = entries
        self.hidden = set(hidden)
        self.update()

    def plain(self, n: int) -> str:
        return "".join(part[0] for part in self.entries[n][3])

    def boundingRect(self):  # noqa: N802 - Qt's name
        return self._bounds

    def _measure(self, entry, tr: QtGui.QTransform):
        """(rect in device pixels, size in points, fonts, widths) of ``entry`` for the
        item-to-device transform ``tr``."""
        x, y, (ax, ay), parts, _fill, *scale = entry
        size = self.point_size * (scale[0] if scale else 1.0)
        fonts = [self.font(size, b) for _, _, b in parts]
        widths = [fm.horizontalAdvance(t) for (t, _, _), (_, fm) in zip(parts, fonts,
                                                                         strict=True)]
        pt = tr.map(QtCore.QPointF(x, y))
        h = self.font(size, False)[1].height()
        w = sum(widths)
        return QtCore.QRectF(pt.x() - ax * w, pt.y() - ay * h, w, h), size, fonts, widths

    def entry_rect(self, entry, tr: QtGui.QTransform) -> QtCore.QRectF:
        """Where ``entry`` (x, y, anchor, parts, fill[, scale]) would be painted, in the pixels
        of the item-to-device transform ``tr``."""
        return self._measure(entry, tr)[0]

    def _placed(self, tr: QtGui.QTransform):
        """Each shown entry as (rect in device pixels, size in points, parts, fonts, widths,
        fill) for the item-to-device transform ``tr``."""
        out = []
        for n, entry in enumerate(self.entries):
            if n not in self.hidden:
                rect, size, fonts, widths = self._measure(entry, tr)
                out.append((rect, size, entry[3], fonts, widths, entry[4]))
        return out

    def unfold_text_runs(self, tr: QtGui.QTransform) -> list:
        """(rect in device pixels, size in pixels, text) of every text painted
        (gui.graphics.type_scale.text_runs)."""
        dpi = QtGui.QFontInfo(self.font(9.0, False)[0]).pixelSize() / 9.0 * 72  # as painted
        return [(rect, size * dpi / 72, "".join(p[0] for p in parts))
                for rect, size, parts, *_ in self._placed(tr)]

    def paint(self, p, *_):
        tr = p.transform()
        p.resetTransform()
        for rect, _size, parts, fonts, widths, fill in self._placed(tr):
            if fill is not None:
                p.fillRect(rect.adjusted(-2, 0, 2, 0), fill)
            x0, base = rect.x(), rect.y() + fonts[0][1].ascent()
            for (text, color, _bold), width, (font, _) in zip(parts, widths, fonts, strict=True):
                p.setFont(font)
                p.setPen(color)
                p.drawText(QtCore.QPointF(x0, base), text)
                x0 += width
