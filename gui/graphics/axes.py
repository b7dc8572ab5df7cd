"""Axes helpers shared by views: static plots, plain tick numbers, log axes written as numbers,
and theme colours for axes."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from .. import colors


def plain_numbers(axis: pg.AxisItem) -> None:
    """Tick labels as the numbers themselves: no SI prefix (pyqtgraph would write 10000 steps as
    "10 (x1e3)"). Disabling it still computes a scale from the current range, so reset that."""
    axis.enableAutoSIPrefix(False)
    axis.autoSIPrefixScale = 1.0
    axis.labelUnitPrefix = ""


class NumberLogAxis(pg.AxisItem):
    """A log axis labelled 1, 10, 100, 1,000, 10,000 (not 1e+03)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        out = []
        for v in values:
            if abs(v - round(v)) < 1e-6 and -4 <= round(v) <= 6:
                out.append(f"{10 ** round(v):,.{max(0, -round(v))}f}")
            else:
                out.append("")
        return out


def static_plot(layout: pg.GraphicsLayout, row: int, col: int, **kw) -> pg.PlotItem:
    """A PlotItem without mouse interaction, menu or buttons (figures with fixed ranges).

    Its ViewBox is made without the context menu it would never show: building that menu was
    a third of a plot's cost (tabs with several plots took over 100 ms to open). Its axes write
    plain numbers (:func:`plain_numbers`).
    """
    kw.setdefault("viewBox", pg.ViewBox(enableMenu=False))
    plot = layout.addPlot(row=row, col=col, **kw)
    plot.setMouseEnabled(False, False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plain_axes(plot)
    return plot


def plain_axes(plot: pg.PlotItem) -> None:
    """Every axis of ``plot`` writes plain numbers (:func:`plain_numbers`); and pyqtgraph's
    SI-prefix bookkeeping, which rewrote each axis's title (QGraphicsTextItem.setHtml) on every
    range change (17 ms of a first gradient-flow draw), is off."""
    for name in ("left", "bottom", "right", "top"):
        plain_numbers(plot.getAxis(name))


def plain_viewbox(layout: pg.GraphicsLayout, row=None, col=None, **kw) -> pg.ViewBox:
    """A ViewBox without mouse interaction or context menu, for diagrams with fixed geometry
    (made without the menu: building it costs several milliseconds per box)."""
    vb = pg.ViewBox(enableMouse=False, enableMenu=False, **kw)
    layout.addItem(vb, row=row, col=col)
    return vb


def style_axes(plot: pg.PlotItem, theme, names=("left", "bottom")) -> None:
    """Axis lines in the theme's muted colour, tick text in its foreground."""
    for name in names:
        ax = plot.getAxis(name)
        ax.setPen(colors.pen(theme.muted))
        ax.setTextPen(colors.pen(theme.foreground))


def set_log_axis(axis: pg.AxisItem, lo: float, hi: float) -> None:
    """Ticks of an axis whose data are log10 values spanning [lo, hi]: decades written as
    numbers (0.01, 1, 10³), unlabelled 2..9 between them
    (:func:`gui.model.present.numbers.log_ticks`)."""
    from ..model.present.numbers import log_ticks

    axis.setTicks(log_ticks(lo, hi))


def keep_text_width(axis: pg.AxisItem, samples) -> None:
    """A vertical axis whose tick labels change often (a new scene, a new run): it widens for
    wider labels but keeps its width for narrower ones, starting as wide as the widest of the
    label strings ``samples`` in its tick font. Its plot then neither shifts sideways nor is laid
    out (and its figure drawn) a second time each time the labels change."""
    font = axis.style["tickFont"] or QtGui.QFont()
    metrics = QtGui.QFontMetricsF(font)
    axis.setStyle(autoReduceTextSpace=False)
    axis.textWidth = max((metrics.boundingRect(s).width() for s in samples), default=0)
    axis._updateWidth()  # (pyqtgraph 0.14's measured width; the pinned version)


def activate_layouts(scene) -> bool:
    """Lay out now every layout in ``scene`` that waits for its posted layout request; True if
    one did. (Activating the figure's own layout places the plots, but a plot whose size did
    not change lays out its title, axes and legend only when its request arrives: after the
    draw, and then the figure is painted again.)"""
    done = False
    for item in scene.items():
        if isinstance(item, QtWidgets.QGraphicsWidget):
            layout = QtWidgets.QGraphicsWidget.layout(item)  # pyqtgraph shadows layout()
            if layout is not None and not layout.isActivated():
                layout.activate()
                done = True
    return done


def draw_axis_pictures(scene) -> bool:
    """Draw now the tick pictures the visible axes of ``scene`` would draw at their next paint;
    True if an axis changed its width or height for its tick labels.

    pyqtgraph measures tick labels while painting and then widens the axis to fit them: the
    layout changes after the paint and the figure is painted again (twice more on a scene
    whose ranges all changed: 150 ms for the landscape at 1600 x 1000). Done while drawing,
    the layout settles before the one paint, which then only plays the pictures. (Uses the
    picture cache of pyqtgraph 0.14's AxisItem, the version pyproject.toml pins.)
    """
    changed = False
    scene.prepareForPaint()  # the view boxes apply their new ranges (pyqtgraph defers that)
    for item in scene.items():
        if isinstance(item, (pg.ScatterPlotItem, pg.InfiniteLine)) and item.isVisible():
            item.boundingRect()  # pixel-sized bounds: measured now, not in the paint, which
            continue  # would then schedule another paint of their region
        if not isinstance(item, pg.AxisItem) or item.picture is not None or \
                not item.isVisible():
            continue
        size = (item.maximumWidth(), item.maximumHeight())
        picture = QtGui.QPicture()
        painter = QtGui.QPainter(picture)
        try:
            if item.style["tickFont"]:
                painter.setFont(item.style["tickFont"])
            specs = item.generateDrawSpecs(painter)
            if specs is not None:
                item.drawPicture(painter, *specs)
        finally:
            painter.end()
        if (item.maximumWidth(), item.maximumHeight()) != size:
            changed = True  # its new size clears the picture: drawn again once laid out
        else:
            item.picture = picture
    return changed
