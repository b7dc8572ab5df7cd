"""Rows of boxes, each box holding a layer's cells at one time step, the way the articles draw an
unfolded RNN: x(t), the state and y_hat(t) as small framed rows of coloured squares. A row is one
image (one ``setImage`` per frame whatever T and n are) and its frames are one
:class:`~gui.graphics.arrows.EdgeLayer` (one curve item per frame style).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .arrows import EdgeLayer


class BoxCells:
    """A row of boxes at x = x0, x0 + 1, ..., each holding up to ``n`` cells side by side.

    Parameters
    ----------
    viewbox : where to draw.
    width : a box's width in data units (columns are 1 apart).
    height : a box's height in data units.
    z : stacking order (frames sit just above the cells).
    """

    def __init__(self, viewbox: pg.ViewBox, *, width: float = 0.72, height: float = 0.42,
                 z: float = 3.0):
        self.viewbox = viewbox
        self.width, self.height = width, height
        self.image = pg.ImageItem()
        self.image.setZValue(z)
        viewbox.addItem(self.image)
        self.frames = EdgeLayer(viewbox, z=z + 0.5, head_px=0)
        self.rgba = np.zeros((0, 0, 4), np.uint8)
        self.styles = np.zeros(0, dtype=np.int64)
        self._key = None

    def box_rect(self, x: float, y: float) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) of the box centred at (x, y)."""
        return x - self.width / 2, y - self.height / 2, self.width, self.height

    def set(self, x0: float, y: float, rgba: np.ndarray, styles: np.ndarray, pens: dict) -> None:
        """Draw boxes at x = x0 + i, height y.

        Parameters
        ----------
        x0 : x of the first box's centre.
        y : y of the row's centre.
        rgba : (T, n, 4) uint8 cell colours (alpha 0: no cell).
        styles : (T,) frame style of each box, a key of ``pens``, or -1 for no frame.
        pens : style -> QPen.
        """
        rgba = np.asarray(rgba, dtype=np.uint8)
        styles = np.asarray(styles, dtype=np.int64)
        key = (x0, y, rgba.shape, rgba.tobytes(), styles.tobytes(),
               tuple((k, id(p)) for k, p in sorted(pens.items())))
        if key == self._key:
            return
        self._key = key
        self.rgba, self.styles = rgba, styles
        T, n = rgba.shape[:2]
        if T == 0 or n == 0:  # nothing to draw: an empty image has no size to place
            self.image.setVisible(False)
            self.frames.set(np.zeros((0, 2, 2)), np.zeros(0, dtype=np.int64), {})
            return
        self.image.setVisible(True)
        # a step is `per` image columns: cells fill `width` of it, the rest is a clear gap
        gap = max(1, int(np.ceil(n * (1 - self.width) / (2 * self.width))))
        per = n + 2 * gap
        img = np.zeros((T * per, 1, 4), np.uint8)  # (x, y, rgba)
        cols = (np.arange(T)[:, None] * per + gap + np.arange(n)[None]).ravel()  # (T n,)
        img[cols, 0] = rgba.reshape(-1, 4)
        self.image.setImage(img, levels=(0, 255))
        inner = self.height * 0.8  # cells sit inside their frame
        self.image.setRect(x0 - 0.5, y - inner / 2, float(T), inner)
        segs, style = [], []
        for i in np.flatnonzero(styles >= 0):
            left, bottom, w, h = self.box_rect(x0 + i, y)
            corners = [(left, bottom), (left + w, bottom), (left + w, bottom + h),
                       (left, bottom + h)]
            segs += [(corners[j], corners[(j + 1) % 4]) for j in range(4)]
            style += [int(styles[i])] * 4
        self.frames.set(np.asarray(segs, dtype=float).reshape(-1, 2, 2),
                        np.asarray(style, dtype=np.int64), pens)

    def clear(self) -> None:
        """Draw no boxes."""
        self.set(0.0, 0.0, np.zeros((0, 0, 4), np.uint8), np.zeros(0, dtype=np.int64), {})

    def set_antialias(self, on: bool) -> None:
        self.frames.set_antialias(on)
