"""Thousands of line segments with arrowheads in a handful of plot items.

Segments are grouped by style (pen); each style is one ``PlotCurveItem(connect="pairs")``, built
the first time the style is used and afterwards only updated with ``setData``. Arrowheads are two
short chevron segments in the same item, computed in screen space so they look the same whatever
the view's aspect ratio.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class EdgeLayer:
    """Segments drawn in ``viewbox`` with pens chosen per segment.

    Parameters
    ----------
    viewbox : the pyqtgraph ViewBox to draw in.
    z : stacking order of the layer's items.
    head_px : arrowhead length in pixels (0: plain lines).
    """

    def __init__(self, viewbox: pg.ViewBox, *, z: float = 0.0, head_px: float = 7.0):
        self.viewbox = viewbox
        self.z = z
        self.head_px = head_px
        self._items: dict[int, pg.PlotCurveItem] = {}
        self._antialias = False
        self.segments = np.zeros((0, 2, 2))
        self.style = np.zeros(0, dtype=int)
        self._last = None

    def _item(self, key, pen) -> pg.PlotCurveItem:
        item = self._items.get(key)
        if item is None:
            item = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True,
                                    antialias=self._antialias)
            item.setZValue(self.z)
            self.viewbox.addItem(item, ignoreBounds=True)
            self._items[key] = item
        item.setPen(pen)
        return item

    def set(self, segments: np.ndarray, style: np.ndarray, pens: dict) -> None:
        """Draw ``segments`` (N, 2, 2) as [[x0, y0], [x1, y1]] with pen ``pens[style[n]]``.

        ``style`` is an (N,) integer array. Styles absent this time are hidden, not removed;
        an unchanged call (same segments, styles, pens and pixel size) does nothing.
        """
        style = np.asarray(style, dtype=np.int64)
        key = (segments.shape, segments.tobytes(), style.tobytes(),
               tuple((k, id(p)) for k, p in sorted(pens.items())), self.viewbox.viewPixelSize())
        if key == self._last:
            return
        self._last = key
        self.segments = segments
        self.style = style
        used = set()
        head = self._heads(segments) if self.head_px and len(segments) else None
        for code in np.unique(style):
            code = int(code)
            sel = style == code
            segs = segments[sel]  # (n, 2, 2)
            if head is not None:
                segs = np.concatenate([segs, head[0][sel], head[1][sel]], axis=0)  # (3n, 2, 2)
            pts = segs.reshape(-1, 2)  # (2m, 2) pairs
            item = self._item(code, pens[code])
            item.setData(pts[:, 0], pts[:, 1])
            item.setVisible(True)
            used.add(code)
        for code, item in self._items.items():
            if code not in used and item.isVisible():
                item.setVisible(False)

    def _heads(self, segments: np.ndarray):
        """Two chevron segments at the end of every segment, ``head_px`` long on screen."""
        px = self.viewbox.viewPixelSize()  # (data units per pixel in x, in y)
        sx, sy = (px[0] or 1.0), (px[1] or 1.0)
        p0, p1 = segments[:, 0], segments[:, 1]  # (N, 2)
        d = (p1 - p0) / np.array([sx, sy])  # (N, 2) direction in pixels
        n = np.hypot(d[:, 0], d[:, 1])[:, None]  # (N, 1)
        n[n == 0] = 1.0
        d = d / n  # (N, 2) unit, pixel space
        out = []
        for ang in (0.45, -0.45):  # radians either side of the shaft
            c, s = np.cos(ang), np.sin(ang)
            r = np.stack([c * d[:, 0] - s * d[:, 1], s * d[:, 0] + c * d[:, 1]], axis=1)  # (N, 2)
            tip = p1 - r * self.head_px * np.array([sx, sy])  # (N, 2) back along the rotated dir
            out.append(np.stack([tip, p1], axis=1))  # (N, 2, 2)
        return out

    def drawn(self) -> dict:
        """style -> (m, 2, 2) segments currently drawn with that style, arrowheads excluded."""
        return {int(k): self.segments[self.style == k] for k in np.unique(self.style)}

    def pen_of(self, code: int):
        """The pen style ``code`` is drawn with."""
        return self._items[int(code)].opts["pen"]

    def items(self):
        return list(self._items.values())

    def set_antialias(self, on: bool) -> None:
        self._antialias = on  # for items made later too
        self._last = None
        for item in self._items.values():
            item.opts["antialias"] = on
            item.update()
