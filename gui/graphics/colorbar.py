"""A horizontal colour bar with its title and scale, drawn in the scene (exports carry it)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .. import colors
from .axes import plain_viewbox


class ColorBar:
    """A horizontal colour bar with a title and its scale, in its own small ViewBox."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, *, width_px: int = 220):
        self.vb = plain_viewbox(layout, row=row, col=col)
        self.vb.setMaximumHeight(58)
        self.vb.setMinimumHeight(58)
        self.vb.setMaximumWidth(width_px)
        self.vb.setMinimumWidth(width_px)
        self.image = pg.ImageItem()
        self.vb.addItem(self.image)
        self.title = pg.TextItem(anchor=(0.5, 1.0))  # bottom-centre at the point
        self.lo = pg.TextItem(anchor=(0.0, 0.0))
        self.mid = pg.TextItem(anchor=(0.5, 0.0))
        self.hi = pg.TextItem(anchor=(1.0, 0.0))
        for t in (self.title, self.lo, self.mid, self.hi):
            self.vb.addItem(t)
        self.vb.setRange(xRange=(-0.02, 1.02), yRange=(-1.3, 2.1), padding=0)
        self._key = None

    def set(self, table: str, title: str, lo: str, mid: str, hi: str, fg: str) -> None:
        key = (table, title, lo, mid, hi, fg)
        if key == self._key:
            return
        self._key = key
        rgb = colors.TABLES[table][: colors.LEVELS]  # (256, 3)
        img = np.repeat(rgb[:, None, :], 2, axis=1)  # (256, 2, 3) x along the bar
        self.image.setImage(img, levels=(0, 255))
        self.image.setRect(0, 0, 1, 0.8)
        self.title.setText(title, color=fg)
        self.title.setPos(0.5, 0.85)
        for item, text, x in ((self.lo, lo, 0.0), (self.mid, mid, 0.5), (self.hi, hi, 1.0)):
            item.setText(text, color=fg)
            item.setPos(x, -0.05)
