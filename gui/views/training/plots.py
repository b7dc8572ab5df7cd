"""The Training view's figure: a header, a legend and three plots sharing the update axis (loss,
gradient norm before and after clipping, accuracy), built once and updated with setData.

Everything drawn is a number the engine's ``UpdateMetrics`` reported; the smoothed curves are
their running means, and curves longer than :data:`DRAW_BINS` runs of updates are drawn as their
min/max envelope (a redraw then costs the same at 2,000 and at 1,000,000 updates).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ... import colors
from ...graphics.axes import plain_axes, plain_numbers, style_axes
from ...graphics.labels import add_label, pt, set_label
from ...model.present.numbers import count, fmt, log_ticks
from ...model.present.training import envelope, finite_log10, last_updates, running_mean
from ..base import make_canvas

#: one hue per model kind (Okabe-Ito), the same in every plot
MODEL_HEX = {"SimpleRNN": "#E69F00", "LSTM": "#0072B2", "GRU": "#009E73"}
CLIPPED_HEX = "#b2182b"  # the diverging map's red: an update that clipping cut
SMOOTH = 50  # updates in the running mean
MAX_SERIES = 3
DRAW_BINS = 1000


class Curves:
    """The items of one series in one plot: the raw values (thin, faint) and their running
    mean."""

    def __init__(self, plot: pg.PlotItem):
        self.raw = pg.PlotDataItem(connect="finite")
        self.mean = pg.PlotDataItem(connect="finite")
        for it in (self.raw, self.mean):
            plot.addItem(it)

    def set(self, x, raw, mean, hex_: str, width: float) -> None:
        if raw is None:
            self.raw.setData([], [])
        else:
            self.raw.setData(*envelope(x, raw, DRAW_BINS), pen=colors.pen(hex_, 1.0, 80))
        self.mean.setData(*envelope(x, mean, DRAW_BINS), pen=colors.pen(hex_, width))

    def clear(self) -> None:
        self.raw.setData([], [])
        self.mean.setData([], [])


class TrainingPlots:
    """The canvas (``canvas``, a GraphicsLayoutWidget) and its items."""

    def __init__(self, theme):
        for _ in self._parts(theme):
            pass

    def _parts(self, theme):
        """Build the figure, yielding between its plots (see gui.views.base.build_in_parts)."""
        self.theme = theme
        self.canvas = make_canvas(theme)
        ci = self.canvas.ci
        self.header = add_label(ci, 0, 0)
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=2, horSpacing=18)
        ci.addItem(self.legend, row=1, col=0)
        # menus disabled below: ViewBoxes made without them (cheaper to build)
        self.loss_plot = ci.addPlot(row=2, col=0, viewBox=pg.ViewBox(enableMenu=False))
        yield
        self.norm_plot = ci.addPlot(row=3, col=0, viewBox=pg.ViewBox(enableMenu=False))
        yield
        self.acc_plot = ci.addPlot(row=4, col=0, viewBox=pg.ViewBox(enableMenu=False))
        yield
        self.plots = (self.loss_plot, self.norm_plot, self.acc_plot)
        for p in self.plots:
            plain_axes(p)
            p.showGrid(x=True, y=True, alpha=0.15)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.getViewBox().setMouseEnabled(x=True, y=False)
        self.norm_plot.setXLink(self.loss_plot)
        self.acc_plot.setXLink(self.loss_plot)
        self._set_titles(compact=False)
        self.acc_plot.setLabel("bottom", "update")
        self.acc_plot.setYRange(0, 1.02, padding=0)
        yield
        self.loss = [Curves(self.loss_plot) for _ in range(MAX_SERIES)]
        yield
        self.acc = [Curves(self.acc_plot) for _ in range(MAX_SERIES)]
        yield
        self.before = [pg.PlotDataItem(connect="finite") for _ in range(MAX_SERIES)]
        self.after = [pg.PlotDataItem(connect="finite") for _ in range(MAX_SERIES)]
        for it in self.before + self.after:
            self.norm_plot.addItem(it)
        self.clipped_marks = pg.ScatterPlotItem(size=4, symbol="o", pen=None,
                                                brush=colors.brush(CLIPPED_HEX, 170))
        self.norm_plot.addItem(self.clipped_marks)
        self.tau_line = pg.InfiniteLine(angle=0, movable=False)
        self.norm_plot.addItem(self.tau_line)
        self._tau_sample = pg.PlotDataItem()  # the threshold's legend entry (not in the plot)
        self._legend_key = None
        ci.layout.setRowStretchFactor(2, 3)
        ci.layout.setRowStretchFactor(3, 3)
        ci.layout.setRowStretchFactor(4, 2)
        yield
        self.restyle(theme)

    def restyle(self, theme) -> None:
        """Axes, the threshold line and the legend in ``theme``'s colours."""
        self.theme = theme
        self.canvas.setBackground(theme.background)
        for plot in self.plots:
            style_axes(plot, theme)
            for name in ("left", "bottom"):
                plain_numbers(plot.getAxis(name))
                plot.getAxis(name).label.setDefaultTextColor(pg.mkColor(theme.foreground))
            plot.getAxis("left").setWidth(int(58 * theme.font_scale))
        self._set_titles(compact=theme.font_scale > 1.0)
        dash = colors.pen(theme.foreground, 1.2, 255, "dash")
        self.tau_line.setPen(dash)
        self._tau_sample.setPen(dash)
        self.legend.setLabelTextColor(theme.foreground)
        self._legend_key = None

    def _set_titles(self, *, compact: bool) -> None:
        """The y-axis titles; in large type (presentation, slides) short ones, and three
        accuracy ticks: the long rotated titles ran into each other on the short plots."""
        titles = (("J", "‖g‖", "accuracy") if compact else
                  ("loss J (log)", "‖g‖ (log)", f"accuracy (mean of {SMOOTH})"))
        for plot, text in zip(self.plots, titles, strict=True):
            plot.setLabel("left", text)
        self.acc_plot.getAxis("left").setTicks(
            [[(0.0, "0"), (0.5, "0.5"), (1.0, "1")], []] if compact else None)

    # -- drawing ------------------------------------------------------------------------------
    def draw(self, series, tau: float | None, title: str, *, export: bool = False) -> None:
        """Draw ``series`` (gui.model.training.history.Series, at most three), the clipping
        threshold ``tau`` of their run (None: none) and a header starting with ``title``."""
        w = 2.2 if export else 1.6
        lo_hi = []
        clipped_x, clipped_y = [], []
        for i in range(MAX_SERIES):
            if i >= len(series):
                self.loss[i].clear()
                self.acc[i].clear()
                self.before[i].setData([], [])
                self.after[i].setData([], [])
                continue
            a = series[i].arrays()
            hex_ = MODEL_HEX.get(series[i].kind, self.theme.foreground)
            x = a["update"]
            loss = finite_log10(a["loss"])
            mean = finite_log10(running_mean(a["loss"], SMOOTH))
            self.loss[i].set(x, loss, mean, hex_, w)
            # one 0/1 answer per sequence on many-to-one tasks: only the mean says something
            self.acc[i].set(x, None, running_mean(a["accuracy"], SMOOTH), hex_, w)
            before, after = finite_log10(a["norm_before"]), finite_log10(a["norm_after"])
            self.before[i].setData(*envelope(x, before, DRAW_BINS),
                                   pen=colors.pen(hex_, 1.0, 110))
            self.after[i].setData(*envelope(x, after, DRAW_BINS), pen=colors.pen(hex_, w))
            cx, cy = self._clipped(x, before, a["clipped"])
            clipped_x.append(cx)
            clipped_y.append(cy)
            # the loss axis follows the means (single updates reach far below; they are cut)
            lo_hi.append((np.concatenate([mean, loss[:1]]), np.concatenate([before, after])))
        if clipped_x:
            self.clipped_marks.setData(np.concatenate(clipped_x), np.concatenate(clipped_y))
        else:
            self.clipped_marks.setData([], [])
        self.tau_line.setVisible(tau is not None)
        if tau is not None:
            self.tau_line.setPos(np.log10(tau))
        self._set_log_ticks(self.loss_plot, [v[0] for v in lo_hi], None)
        self._set_log_ticks(self.norm_plot, [v[1] for v in lo_hi], tau)
        for p in self.plots:  # no data: whole updates only (not 0.1, 0.2 ... of an update)
            p.getAxis("bottom").setTickSpacing(*((1, 1) if not series else ()))
        self._draw_legend(series, tau)
        self._draw_header(series, title)

    @staticmethod
    def _clipped(x, before, clipped):
        """The clipped updates' marks: each one, or past DRAW_BINS of them one per run of
        updates (its highest clipped norm)."""
        cl = clipped & np.isfinite(before)
        if cl.sum() > DRAW_BINS:
            mx, my = envelope(x, np.where(cl, before, np.nan), DRAW_BINS)
            keep = np.isfinite(my[1::2])
            return mx[1::2][keep], my[1::2][keep]
        return x[cl], before[cl]

    @staticmethod
    def _set_log_ticks(plot, arrays, extra) -> None:
        vals = [v[np.isfinite(v)] for v in arrays]
        vals = np.concatenate(vals) if vals else np.zeros(0)
        if extra is not None:
            vals = np.append(vals, np.log10(extra))
        if vals.size == 0:
            lo, hi = -1.0, 1.0
        else:
            lo, hi = float(vals.min()), float(vals.max())
            if hi - lo < 0.5:
                lo, hi = lo - 0.25, hi + 0.25
        plot.getAxis("left").setTicks(log_ticks(lo, hi))
        plot.setYRange(lo, hi, padding=0.05)

    def _draw_legend(self, series, tau) -> None:
        key = (tuple((s.label, s.kind) for s in series), tau is not None, self.theme.name)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for i, s in enumerate(series):
            self.legend.addItem(self.loss[i].mean, s.label)
        if series:
            self.legend.addItem(self.loss[0].raw, f"each update (thick: mean of {SMOOTH})")
            self.legend.addItem(self.before[0], "‖g‖ before clipping")
            self.legend.addItem(self.after[0], "‖g‖ after clipping (applied)")
            if tau is not None:
                self.legend.addItem(self.clipped_marks, "a clipped update")
                self.legend.addItem(self._tau_sample, "threshold τ")
        self.legend.setVisible(bool(series))
        # the legend does not shrink: past its width the view scrolls instead of cutting plots
        self.legend.updateSize()
        width = self.legend.minimumWidth() if series else 0
        self.canvas.setMinimumWidth(int(width) + 24)

    def _draw_header(self, series, title: str) -> None:
        parts = [title] if title else []
        for s in series:
            if not len(s):
                parts.append(f"<b>{s.label}</b>: starting…")
                continue
            st = last_updates(s.arrays(), SMOOTH)
            n, clipped = st["n"] + s.left_out, st["clipped"] + s.clipped_left_out
            parts.append(f"<b>{s.label}</b>: J ≈ {fmt(st['loss'])}, accuracy ≈ "
                         f"{100 * st['accuracy']:.0f} % (last {st['k']}), {count(clipped)}"
                         f" of {count(n)} updates clipped")
            if s.left_out:
                parts[-1] += (f" <i>(a saved history: {count(len(s))} of {count(n)} updates "
                              f"drawn, evenly spread)</i>")
        set_label(self.header, "<br>".join(parts), color=self.theme.foreground,
                  size=pt(self.theme, 10))
