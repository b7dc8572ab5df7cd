"""The line's figure: the session's loss J along its steepest-descent direction, the first-order
prediction, the session's weights and where its update (clipped or not) lands."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ... import colors
from ...graphics.axes import plain_numbers, static_plot, style_axes
from ...graphics.labels import add_label, pt, set_label
from ...model.present import landscape_text as text
from ..base import make_canvas
from .cliff import CLIPPED_HEX, UNCLIPPED_HEX


class LineFigure:
    """The line's canvas (``canvas``) and its items."""

    def __init__(self, theme):
        self.canvas = make_canvas(theme)
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0)
        p = static_plot(ci, 1, 0)
        p.showGrid(x=True, y=True, alpha=0.15)
        p.setLabel("bottom", "α: distance from θ along −g/‖g‖ (steepest descent)")
        p.setLabel("left", "loss J(θ − α g/‖g‖)")
        self.plot = p
        self.curve = pg.PlotDataItem()
        self.tangent = pg.PlotDataItem()
        p.addItem(self.tangent)
        p.addItem(self.curve)
        self.here = pg.ScatterPlotItem(size=12, symbol="o", pen=None)
        self.update_mark = pg.ScatterPlotItem(size=14, symbol="t", pen=None,
                                              brush=colors.brush(UNCLIPPED_HEX))
        self.clipped_mark = pg.ScatterPlotItem(size=14, symbol="t", pen=None,
                                               brush=colors.brush(CLIPPED_HEX))
        for it in (self.here, self.update_mark, self.clipped_mark):
            it.setZValue(5)
            p.addItem(it)
        self.note = pg.TextItem(anchor=(0.5, 0.5))
        self.note.setZValue(20)
        p.addItem(self.note, ignoreBounds=True)
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=2)
        ci.addItem(self.legend, row=2, col=0)
        self._items = {"curve": self.curve, "tangent": self.tangent, "here": self.here,
                       "update": self.update_mark, "clipped": self.clipped_mark}
        self._legend_key = None
        self.line = None
        self.restyle(theme)

    def restyle(self, theme) -> None:
        self.theme = theme
        self.canvas.setBackground(theme.background)
        style_axes(self.plot, theme)
        for name in ("left", "bottom"):
            ax = self.plot.getAxis(name)
            plain_numbers(ax)
            ax.label.setDefaultTextColor(pg.mkColor(theme.foreground))
        self.here.setBrush(colors.brush(theme.foreground))
        self.legend.setLabelTextColor(theme.foreground)
        self.legend.opts["labelTextSize"] = pt(theme, 9)
        self.note.setColor(pg.mkColor(theme.foreground))
        self._legend_key = None

    def set_line(self, ln, config, width: float) -> None:
        """Draw ``ln`` (a SessionLine) of the session with ``config``."""
        self.line = ln
        th = self.theme
        self.curve.setData(ln.alphas, ln.losses, pen=colors.pen(th.foreground, width))
        # the first-order prediction J(theta) - alpha ||g||: where it parts from the curve, a
        # step that long is no longer steered by the gradient
        self.tangent.setData(ln.alphas, ln.loss0 - ln.alphas * ln.grad_norm,
                             pen=colors.pen(th.muted, 1.2, 255, "dash"))
        self.here.setData([0.0], [ln.loss0])
        # the marks sit on the drawn curve
        if ln.ok and abs(ln.step) <= ln.alphas[-1]:
            self.update_mark.setData([ln.step], [np.interp(ln.step, ln.alphas, ln.losses)])
        else:
            self.update_mark.setData([], [])
        shown = (ln.ok and ln.clipped_step is not None
                 and (ln.clipped_step < ln.step or ln.clip_mode == "per_step")
                 and abs(ln.clipped_step) <= ln.alphas[-1])
        if shown:
            self.clipped_mark.setData([ln.clipped_step],
                                      [np.interp(ln.clipped_step, ln.alphas, ln.losses)])
        else:
            self.clipped_mark.setData([], [])
        fin = ln.losses[np.isfinite(ln.losses)]
        if fin.size:
            lo, hi = float(fin.min()), float(fin.max())
            pad = 0.08 * (hi - lo or 1.0)
            self.plot.setYRange(lo - pad, hi + pad, padding=0)
        self.plot.setXRange(ln.alphas[0], ln.alphas[-1], padding=0.02)
        set_label(self.caption, text.line_caption(ln, config), color=th.foreground,
                  size=pt(th, 10))
        entries = text.line_legend(ln)
        key = (th, tuple(entries))
        if key != self._legend_key:
            self._legend_key = key
            self.legend.clear()
            for name, label in entries:
                self.legend.addItem(self._items[name], label)

    def set_note(self, note: str) -> None:
        """A note over the middle of the plot ("computing…"), or none."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if note:
            (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
            self.note.setPos((x0 + x1) / 2, (y0 + y1) / 2)
