"""The distance plot: the session's norms against the distance d = t - k on a log scale, with
every error as a faint dot, the per-distance curves, the fitted rate and the cursor's points (the
compared kinds have small plots of their own, side_by_side.py, in the same colours)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from ... import colors
from ...graphics.axes import set_log_axis, static_plot, style_axes
from ...graphics.labels import add_label, pt, set_label
from ...model.present import gradient_flow as flow
from ...model.present.numbers import log10_or_nan, log_range

KEYS = ("error", "jacobian", "highway")


def curve_style(key: str, theme, export: bool):
    """(pen, symbol, hex) of curve ``key``: error = foreground, Jacobian products = recurrent
    colour, LSTM highway = highway colour (the same in every plot of the view)."""
    w = 2.6 if export else 2.0
    hexes = {"error": theme.foreground, "jacobian": theme.recurrent,
             "highway": colors.HIGHWAY_HEX}
    symbol = {"error": "o", "jacobian": "s", "highway": "t"}[key]
    return colors.pen(hexes[key], w), symbol, hexes[key]


class DistancePlot:
    """The plot at (row, col) of ``layout`` and its legend at (legend_row, 0, colspan 2)."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, legend_row: int):
        for _ in self._parts(layout, row, col, legend_row):
            pass

    def _parts(self, layout: pg.GraphicsLayout, row: int, col: int, legend_row: int):
        """Build it, yielding between the plot and its items (30 to 40 ms in all); see
        :func:`gui.views.base.build_in_parts`."""
        p = static_plot(layout, row, col, enableMenu=False)
        p.setLabel("bottom", "distance t − k (steps back in time)")
        p.setLabel("left", "norm (log scale)")
        p.showGrid(x=False, y=True, alpha=0.25)
        self.plot = p
        yield
        # every error as a dot: zero-length segments with round caps (a scatter item of T^2/2
        # spots costs tens of milliseconds to set)
        self.err_dots = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        self.err_dots.setZValue(1)
        p.addItem(self.err_dots)
        self.items: dict[str, pg.PlotDataItem] = {}
        for key in KEYS:
            item = pg.PlotDataItem()
            item.setZValue(3)
            p.addItem(item)
            self.items[key] = item
        self.fit_line = pg.PlotDataItem()
        self.fit_line.setZValue(2)
        p.addItem(self.fit_line)
        self.cursor_dots = pg.ScatterPlotItem(size=10)
        self.cursor_dots.setZValue(6)
        p.addItem(self.cursor_dots)
        self.legend = add_label(layout, legend_row, 0, colspan=2)  # HTML: cheap to change
        self.points = None

    def style(self, key: str, theme, export: bool):
        """(pen, symbol, hex) of curve ``key`` (:func:`curve_style`)."""
        return curve_style(key, theme, export)

    def draw(self, cu: flow.FlowCurves, theme, export: bool) -> None:
        """The curves of ``cu``, the error dots, the fitted rate and the axes."""
        style_axes(self.plot, theme)
        d = cu.distance
        pairs = {"error": cu.error_curve, "jacobian": cu.jacobian_curve,
                 "highway": cu.highway_curve}
        drawn = []
        for key, item in self.items.items():
            curve = pairs.get(key)
            if curve is None:
                item.setData([], [])
                continue
            y = log10_or_nan(curve)
            ok = np.isfinite(y)
            pen, symbol, hexc = self.style(key, theme, export)
            item.setData(d[ok], y[ok], pen=pen, symbol=symbol if cu.T <= 30 else None,
                         symbolSize=6, symbolPen=colors.pen(hexc), symbolBrush=colors.brush(hexc))
            drawn.append(curve)
        # every error ||dJ(s)/dh(k)|| as a faint dot at its distance s - k
        E = cu.error
        s_idx, k_idx = np.tril_indices(E.shape[0])
        v = log10_or_nan(E[s_idx, k_idx])
        ok = np.isfinite(v)
        dx = np.repeat((s_idx - k_idx)[ok].astype(float), 2)  # (2n,) each dot's two ends
        dx[1::2] += 1e-3
        pen = QtGui.QPen(colors.pen(theme.muted, 4.0, 90))  # a copy: colors' pens are shared
        pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
        self.err_dots.setData(dx, np.repeat(v[ok], 2), pen=pen)
        c0, rate = (flow.geometric_fit(cu.jacobian_curve) if cu.jacobian_curve is not None
                    else (float("nan"), float("nan")))
        if np.isfinite(rate) and rate > 0:
            y = np.log10(c0) + d * np.log10(rate)  # (T,) the fitted c0 rate^d
            self.fit_line.setData(d, y, pen=colors.pen(theme.recurrent, 1.0, 200, "dash"))
        else:
            self.fit_line.setData([], [])
        self.plot.setXRange(-0.3, max(cu.T - 1, 1) + 0.3, padding=0)
        lo, hi = log_range(E[s_idx, k_idx][ok], *drawn)
        self.plot.setYRange(lo, hi, padding=0)
        set_log_axis(self.plot.getAxis("left"), lo, hi)

    def draw_legend(self, entries: list, theme, export: bool) -> None:
        """A sample of each curve's line and symbol, then its words, on one line."""
        marks = {"o": "●", "s": "■", "t": "▼"}
        parts = []
        for k, text in entries:
            _, symbol, hexc = self.style(k, theme, export)
            words = text.replace(" ", "&nbsp;")  # an entry never wraps inside itself
            parts.append(f"<span style='color:{hexc}'>━{marks[symbol]}━</span>&nbsp;{words}")
        html = " &nbsp;&nbsp; ".join(parts)
        set_label(self.legend, html, color=theme.foreground, size=pt(theme, 9))

    def draw_cursor(self, pts: flow.CursorPoints, theme) -> None:
        """The cursor's points: its row's products (forward) or the errors reaching it
        (backward, coloured by source J(s))."""
        self.points = pts
        if pts.which == "":
            self.cursor_dots.setData([], [])
            return
        y = log10_or_nan(pts.value)
        ok = np.isfinite(y)
        if pts.which == "error":
            brushes = [colors.brush(colors.source_hex(int(s))) for s in pts.step[ok]]
        else:
            brushes = colors.brush(theme.recurrent)
        self.cursor_dots.setData(x=pts.distance[ok], y=y[ok], brush=brushes,
                                 pen=colors.pen(theme.foreground, 1.0))

    def drawn(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of curve ``key`` as drawn: y is log10 of the norm."""
        x, y = self.items[key].getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))
