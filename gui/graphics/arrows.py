"""Thousands of line segments with arrowheads in a handful of plot items.

Segments are grouped by style (pen); each style is one ``PlotCurveItem(connect="pairs")``, built
the first time the style is used and afterwards only updated with ``setData``. Arrowheads are two
short chevron segments in the same item, computed in screen space so they look the same whatever
the view's aspect ratio. Polylines (:meth:`EdgeLayer.set_polylines`) are their segments with one
arrowhead, at the end (or, reversed, at the start).
"""

from __future__ import annotations

from functools import lru_cache

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
        self._codes: dict = {}  # style key of set_polylines -> integer style

    def reserve(self, keys) -> None:
        """Make the (hidden) plot items of integer styles ``keys`` now, while a view is built,
        instead of at its first draw (about 0.5 ms each: a panel of 14 styles drawn for the
        first time took 30 ms more)."""
        for key in keys:
            if key not in self._items:
                self._item(key, None).setVisible(False)

    def _item(self, key, pen) -> pg.PlotCurveItem:
        item = self._items.get(key)
        if item is None:
            item = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True,
                                    antialias=self._antialias)
            item.setZValue(self.z)
            self.viewbox.addItem(item, ignoreBounds=True)
            self._items[key] = item
        if pen is not None:
            item.setPen(pen)
        return item

    def set(self, segments: np.ndarray, style: np.ndarray, pens: dict, *,
            heads: np.ndarray | None = None) -> None:
        """Draw ``segments`` (N, 2, 2) as [[x0, y0], [x1, y1]] with pen ``pens[style[n]]``.

        ``style`` is an (N,) integer array; ``heads`` (N,) bool says which segments get an
        arrowhead (default: all, when ``head_px``). Styles absent this time are hidden, not
        removed; an unchanged call (same segments, styles, pens and pixel size) does nothing.
        """
        style = np.asarray(style, dtype=np.int64)
        segments = np.asarray(segments, dtype=float).reshape(-1, 2, 2)
        hmask = None if heads is None else np.asarray(heads, dtype=bool)
        key = (segments.shape, segments.tobytes(), style.tobytes(),
               None if hmask is None else hmask.tobytes(),
               tuple((k, id(p)) for k, p in sorted(pens.items())), self.viewbox.viewPixelSize(),
               self.head_px)
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
                hs = sel if hmask is None else sel & hmask
                segs = np.concatenate([segs, head[0][hs], head[1][hs]], axis=0)  # (n + 2h, 2, 2)
            pts = segs.reshape(-1, 2)  # (2m, 2) pairs
            item = self._item(code, pens[code])
            item.setData(pts[:, 0], pts[:, 1])
            item.setVisible(True)
            used.add(code)
        for code, item in self._items.items():
            if code not in used and item.isVisible():
                item.setVisible(False)

    def set_polylines(self, polylines, styles, pens: dict, *, reverse=None) -> None:
        """Draw ``polylines[n]`` (((x, y), ...)) with ``pens[styles[n]]``, an arrowhead at the
        end, or at the start where ``reverse[n]`` (the segments then run backwards).

        Styles are any hashable keys (each keeps its own plot item); ``pens`` maps them to pens.
        """
        parts, codes, lengths = [], [], []
        for n, (pts, st) in enumerate(zip(polylines, styles, strict=True)):
            segs = polyline_segments(tuple(pts))  # (m, 2, 2)
            if reverse is not None and reverse[n]:
                segs = segs[::-1, ::-1]
            parts.append(segs)
            codes.append(self._codes.setdefault(st, len(self._codes)))
            lengths.append(len(segs))
        if parts:
            segments = np.concatenate(parts)  # (M, 2, 2)
            style = np.repeat(codes, lengths)  # (M,)
            hmask = np.zeros(len(segments), bool)  # (M,) the last segment of each polyline
            hmask[np.cumsum(lengths) - 1] = True
        else:
            segments, style, hmask = np.zeros((0, 2, 2)), np.zeros(0, int), np.zeros(0, bool)
        code_pens = {self._codes[st]: pens[st] for st in set(styles)}
        self.set(segments, style, code_pens, heads=hmask)

    def code_of(self, style) -> int | None:
        """The integer style a :meth:`set_polylines` style key is drawn with (None: never)."""
        return self._codes.get(style)

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


@lru_cache(maxsize=1024)
def polyline_segments(points: tuple) -> np.ndarray:
    """(n - 1, 2, 2) consecutive segments of a polyline ((x, y), ...), read-only (cached: a
    diagram's polylines are static)."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)  # (n, 2)
    seg = np.stack([p[:-1], p[1:]], axis=1)  # (n - 1, 2, 2)
    seg.flags.writeable = False
    return seg
