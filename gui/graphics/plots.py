"""Static plots for figures against a dimension or a count: log axes written as numbers, a title
that wraps, curves added in one call."""

from __future__ import annotations

import pyqtgraph as pg

from .axes import NumberLogAxis, static_plot
from .labels import WrapLabel, add_label


def make_plot(layout: pg.GraphicsLayout, row: int, col: int, *, log_x: bool = False,
              log_y: bool = False, left_axis=None, **kw) -> pg.PlotItem:
    """A static PlotItem (no mouse, menu or buttons) whose log axes read 1, 10, 100, 1,000."""
    left = left_axis or NumberLogAxis("left")
    plot = static_plot(layout, row, col,
                       axisItems={"bottom": NumberLogAxis("bottom"), "left": left}, **kw)
    plot.setLogMode(x=log_x, y=log_y)
    plot.getViewBox().setDefaultPadding(0.02)
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
    return plot


def titled_plot(layout: pg.GraphicsLayout, row: int, col: int, *, rowspan: int = 1,
                colspan: int = 1, **kw) -> tuple[pg.PlotItem, WrapLabel]:
    """A :func:`make_plot` under a wrapping title (PlotItem's own title would not wrap)."""
    sub = layout.addLayout(row=row, col=col, rowspan=rowspan, colspan=colspan)
    sub.setContentsMargins(0, 0, 0, 0)
    sub.setSpacing(0)
    title = add_label(sub, 0, 0, justify="center", steady=True)
    plot = make_plot(sub, 1, 0, **kw)
    sub.layout.setRowStretchFactor(1, 10)
    return plot, title


def curve(plot, **kw) -> pg.PlotDataItem:
    """An empty PlotDataItem added to ``plot`` (filled later with setData)."""
    item = pg.PlotDataItem(**kw)
    plot.addItem(item)
    return item


def axis_label(plot: pg.PlotItem, side: str, text: str, size: str = "9pt") -> None:
    """An axis title, set only when it changed (a new label re-lays the axis out)."""
    key = (text, size)
    if getattr(plot, f"_unfold_{side}_label", None) != key:
        setattr(plot, f"_unfold_{side}_label", key)
        plot.setLabel(side, text, **{"font-size": size})
