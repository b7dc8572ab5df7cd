"""Colour legends drawn inside the scene, so PNG and SVG exports carry them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from .. import colors


class ColorBar:
    """A horizontal colour bar with a title and its scale, in its own small ViewBox."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, *, width_px: int = 220):
        self.vb = layout.addViewBox(row=row, col=col)
        self.vb.setMouseEnabled(False, False)
        self.vb.setMenuEnabled(False)
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


def fmt(v: float) -> str:
    """A short number for legends and captions."""
    if not np.isfinite(v):
        return "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
    a = abs(v)
    if a != 0 and (a < 1e-3 or a >= 1e4):
        return f"{v:.2e}"
    return f"{v:.3g}"


def set_label(item, text: str, **style) -> None:
    """``item.setText`` only when the text or style changed: re-layouting HTML costs a frame."""
    key = (text, tuple(sorted(style.items())))
    if getattr(item, "_unfold_key", None) != key:
        item._unfold_key = key
        item.setText(text, **style)


def pt(theme, size: float) -> str:
    """A label size in points, scaled for the theme (presentation mode makes type larger)."""
    return f"{size * theme.font_scale:g}pt"


class WrapLabel(pg.LabelItem):
    """A LabelItem that wraps its text to the width the layout gives it.

    pyqtgraph's LabelItem makes its text's full width its minimum, so one long caption can make
    a view wider than the screen (and keep it so). This one asks only for a sliver of width and
    for the height of its wrapped text.
    """

    MIN_WIDTH = 40

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        width = self.rect().width()
        if width >= self.MIN_WIDTH:
            self.item.setTextWidth(width)
        super().resizeEvent(ev)

    def updateMin(self):  # noqa: N802 - pyqtgraph's name
        bounds = self.itemRect()
        h = bounds.height()
        self.setMinimumWidth(self.MIN_WIDTH)
        self.setMinimumHeight(h)
        hint = QtCore.Qt.SizeHint
        self._sizeHint = {hint.MinimumSize: (self.MIN_WIDTH, h),
                          hint.PreferredSize: (bounds.width(), h),
                          hint.MaximumSize: (-1, -1), hint.MinimumDescent: (0, 0)}
        self.updateGeometry()


def add_label(layout, row: int, col: int, **kw) -> WrapLabel:
    """A wrapping label added to a pyqtgraph layout at (row, col)."""
    label = WrapLabel("", justify=kw.pop("justify", "left"))
    layout.addItem(label, row=row, col=col, **kw)
    return label
