"""The decay of the three one-cell kinds side by side: one small plot per kind (SimpleRNN | LSTM |
GRU, the session's marked), all on one log y range and in the large plot's colours (error =
foreground, Jacobian products = recurrent colour, LSTM highway = highway colour), each titled
with its fitted factor per step. Shown while the comparison is on; the other two kinds ran on the
session's input."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ... import colors
from ...graphics.axes import plain_axes, style_axes
from ...graphics.labels import WrapLabel, add_label, pt, set_label
from ...model.present import gradient_flow as flow
from ...model.present import gradient_flow_text as words
from ...model.present.numbers import decade_label, log10_or_nan
from .distance_plot import curve_style
from .panels import show_panels

CURVES = ("error", "jacobian", "highway")


def sparse_ticks(lo: float, hi: float, T: int) -> tuple[list, list]:
    """Few ticks for a small plot: at most three labelled decades on the log10 range [lo, hi]
    (every decade marked), and the distances 0, about T/2 and T - 1."""
    inset = 0.04 * (hi - lo)  # a label right at an end is not drawn
    a, b = int(np.ceil(lo + inset)), int(np.floor(hi - inset))
    every = max(1, int(np.ceil((b - a) / 2)))
    left = [[(float(n), decade_label(n)) for n in range(a, b + 1) if (b - n) % every == 0],
            [(float(n), "") for n in range(a, b + 1)]]
    xs = sorted({0, (T - 1) // 2, T - 1})
    return left, [[(float(x), str(x)) for x in xs], []]


class KindPlot:
    """One small plot: a kind's per-distance curves and its fitted rate, or a note."""

    def __init__(self):
        # no context menus (a ViewBox's costs milliseconds to build, and a figure never shows it)
        p = pg.PlotItem(viewBox=pg.ViewBox(enableMenu=False), enableMenu=False)
        p.setMenuEnabled(False)
        p.setMouseEnabled(False, False)
        p.hideButtons()
        plain_axes(p)
        p.showGrid(x=False, y=True, alpha=0.25)
        for name in ("left", "bottom"):  # the few labels sit at the ends: keep them
            p.getAxis(name).setStyle(hideOverlappingLabels=False)
        self.plot = p
        self.items = {}
        for key in CURVES:
            item = pg.PlotDataItem()
            item.setZValue(3)
            p.addItem(item)
            self.items[key] = item
        self.fit_line = pg.PlotDataItem()
        self.fit_line.setZValue(2)
        p.addItem(self.fit_line)
        self.note = pg.TextItem(anchor=(0.5, 0.5))
        self.note.setZValue(6)
        p.addItem(self.note)
        # wraps: a long title never widens its plot
        self.title = WrapLabel("", justify="center", steady=True)
        for item in (self.title, p):  # the three share the width equally, and the plots share
            item.setPreferredWidth(10)  # the height with the heat maps as the stretch says
        p.setPreferredHeight(130)
        self.shown = False
        self.kind = ""
        self._key = None  # what the plot was drawn from
        self._curves = None

    def draw(self, panel: flow.Panel, T: int, lo: float, hi: float, theme, export: bool,
             title: str, note: str) -> None:
        """Draw ``panel``'s curves over d = 0..T-1 on the log10 range [lo, hi] (nothing to do
        when the same curves are drawn on the same range: a second kind landing redraws only
        what it changes)."""
        self.kind = panel.kind
        set_label(self.title, title, color=theme.foreground, size=pt(theme, 9))
        key = (id(panel.curves), panel.kind, T, lo, hi, theme, export, note)
        if key == self._key and panel.curves is self._curves:
            return
        self._key, self._curves = key, panel.curves
        p = self.plot
        style_axes(p, theme)
        cu = panel.curves
        pairs = {} if cu is None else {"error": cu.error_curve, "jacobian": cu.jacobian_curve,
                                       "highway": cu.highway_curve}
        d = np.arange(T)  # (T,) distances
        for key, item in self.items.items():
            curve = pairs.get(key)
            if curve is None:
                item.setData([], [])
                continue
            y = log10_or_nan(curve)  # (T,)
            ok = np.isfinite(y)
            pen, symbol, hexc = curve_style(key, theme, export)
            item.setData(d[ok], y[ok], pen=pen, symbol=symbol if T <= 15 else None,
                         symbolSize=5, symbolPen=colors.pen(hexc), symbolBrush=colors.brush(hexc))
        rate = float("nan")
        if cu is not None and cu.jacobian_curve is not None:
            c0, rate = flow.geometric_fit(cu.jacobian_curve)
        if np.isfinite(rate) and rate > 0:
            self.fit_line.setData(d, np.log10(c0) + d * np.log10(rate),
                                  pen=colors.pen(theme.recurrent, 1.0, 200, "dash"))
        else:
            self.fit_line.setData([], [])
        self.note.setText("" if cu is not None else note, color=theme.muted)
        self.note.setPos((T - 1) / 2, (lo + hi) / 2)
        p.setXRange(-0.3, max(T - 1, 1) + 0.3, padding=0)
        p.setYRange(lo, hi, padding=0)
        left, bottom = sparse_ticks(lo, hi, T)
        p.getAxis("left").setTicks(left)
        p.getAxis("bottom").setTicks(bottom)

    def drawn(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.items[key].getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))


class SideBySide:
    """A caption over up to three small plots in a row, at (row, col) of ``layout``; empty (no
    height) while the comparison is off."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        for _ in self._parts(layout, row, col):
            pass

    def _parts(self, layout: pg.GraphicsLayout, row: int, col: int):
        """Build it, yielding after each small plot (a PlotItem: 10 to 25 ms); see
        :func:`gui.views.base.build_in_parts`."""
        self.outer = layout
        self.row = row
        self.layout = layout.addLayout(row=row, col=col)
        self.caption = add_label(self.layout, 0, 0, colspan=len(flow.FLOW_KINDS), steady=True)
        self._count = None
        self.panels: list = []
        self.range = (float("nan"), float("nan"))
        self.plots = []
        for _ in flow.FLOW_KINDS:
            self.plots.append(KindPlot())
            yield

    def _show(self, count: int) -> None:
        if count == self._count:
            return
        show_panels(self.layout, self.plots, count, row=1)
        self.layout.layout.setRowStretchFactor(2, 1)  # the plots take the height, not the words
        self.caption.setVisible(count > 0)
        self.layout.setMaximumHeight(1e6 if count else 0)
        self.layout.setMinimumHeight(0)
        self.outer.layout.setRowStretchFactor(self.row, 4 if count else 0)
        self._count = count

    def draw(self, cu: flow.FlowCurves, comps: dict, config, notes: dict, theme,
             export: bool, *, compact: bool = False) -> None:
        """The session's ``cu`` beside the landed companions ``comps`` (kind -> Companion);
        ``notes`` (kind -> "computing…" or "failed") for the kinds not landed. Nothing when
        ``config`` has no kinds to compare with."""
        if not flow.companion_kinds(config):
            self.panels = []
            self._show(0)
            return
        panels, (lo, hi) = flow.side_by_side(cu, comps, config)
        pad = 0.06 * (hi - lo)  # room for the end decades' labels on a short plot
        lo, hi = lo - pad, hi + pad
        self.panels, self.range = panels, (lo, hi)
        self._show(len(panels))
        hexes = {k: curve_style(k, theme, export)[2] for k in CURVES}
        for plot, panel in zip(self.plots, panels, strict=False):
            note = notes.get(panel.kind, "")
            title = words.panel_title(panel, hexes, note=note, compact=compact)
            plot.draw(panel, cu.T, lo, hi, theme, export, title, note)
        set_label(self.caption, words.side_by_side_caption(tuple(p.kind for p in panels),
                                                           compact=compact),
                  color=theme.foreground, size=pt(theme, 9))

    def hide(self) -> None:
        self.panels = []
        self._show(0)

    def drawn(self, kind: str, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of curve ``key`` of ``kind``'s small plot as drawn (y = log10 of the norm);
        empty when that kind is not shown."""
        for plot, panel in zip(self.plots, self.panels, strict=False):
            if panel.kind == kind:
                return plot.drawn(key)
        return np.zeros(0), np.zeros(0)
