"""A horizontal colour bar with its title and scale, drawn in the scene (exports carry it).

The bar keeps its width; its height follows its text, so a title or scale made larger
(presentation mode, slides: :mod:`gui.graphics.type_scale`) is never cut off, and a title wider
than the bar wraps onto a second line instead of being clipped at both ends.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from .. import colors
from . import type_scale
from .axes import plain_viewbox

#: the bar's own height in pixels at type scale 1 (it grows with the type, up to 1.5 times)
BAR_PX = 14


class ColorBar:
    """A horizontal colour bar with a title and its scale, in its own small ViewBox."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, *, width_px: int = 220):
        self.vb = plain_viewbox(layout, row=row, col=col)
        self.width_px = width_px
        self.vb.setMaximumWidth(width_px)
        self.vb.setMinimumWidth(width_px)
        self.image = pg.ImageItem()
        self.vb.addItem(self.image)
        self.title = pg.TextItem(anchor=(0.5, 0.0))  # top-centre at the point
        centred = QtGui.QTextOption(QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.title.textItem.document().setDefaultTextOption(centred)
        self.lo = pg.TextItem(anchor=(0.0, 0.0))
        self.mid = pg.TextItem(anchor=(0.5, 0.0))
        self.hi = pg.TextItem(anchor=(1.0, 0.0))
        for t in (self.title, self.lo, self.mid, self.hi):
            self.vb.addItem(t)
        setattr(self.vb, type_scale.FIT, self.fit)  # told when the type is scaled
        self._key = None
        self._fitted = None
        self.fit()

    def set(self, table: str, title: str, lo: str, mid: str, hi: str, fg: str) -> None:
        key = (table, title, lo, mid, hi, fg)
        if key == self._key:
            return
        self._key = key
        rgb = colors.TABLES[table][: colors.LEVELS]  # (256, 3)
        img = np.repeat(rgb[:, None, :], 2, axis=1)  # (256, 2, 3) x along the bar
        self.image.setImage(img, levels=(0, 255))
        self.title.setText(title, color=fg)
        for item, text in ((self.lo, lo), (self.mid, mid), (self.hi, hi)):
            item.setText(text, color=fg)
        self._fitted = None
        self.fit()

    def set_width(self, width_px: int) -> None:
        """Make the bar ``width_px`` pixels wide (wider type needs a wider bar)."""
        if width_px != self.width_px:
            self.width_px = width_px
            self.vb.setMaximumWidth(width_px)
            self.vb.setMinimumWidth(width_px)
            self._fitted = None
            self.fit()

    def fit(self) -> None:
        """Size the bar's box to its text as it is now: the title above (wrapped to the bar's
        width when wider), the bar, the scale below. The y axis of the box counts pixels."""
        doc = self.title.textItem
        doc.setTextWidth(-1)
        if doc.boundingRect().width() > self.width_px:
            doc.setTextWidth(self.width_px)
        title_h = doc.boundingRect().height()
        scale_h = max(t.textItem.boundingRect().height() for t in (self.lo, self.mid, self.hi))
        # the text items' boxes carry a 4 px document margin above and below: overlap them
        bar = round(BAR_PX * min(1.5, max(1.0, scale_h / 20.0)))
        key = (round(title_h), round(scale_h), bar)
        if key == self._fitted:
            return
        self._fitted = key
        height = title_h + bar + scale_h - 6
        self.vb.setMinimumHeight(height)
        self.vb.setMaximumHeight(height)
        self.image.setRect(0, 0, 1, bar)
        self.title.setPos(0.5, bar + title_h - 3)  # its bottom margin overlaps the bar
        self.title.updateTextPos()
        for item, x in ((self.lo, 0.0), (self.mid, 0.5), (self.hi, 1.0)):
            item.setPos(x, -1)
        self.vb.setRange(xRange=(-0.02, 1.02), yRange=(-(scale_h - 3), bar + title_h - 3),
                         padding=0)
