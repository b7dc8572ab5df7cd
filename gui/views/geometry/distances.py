"""Points squashed onto a sphere's surface: in high D every point is about as far as every other.

Left: the distances from one random query to n uniform points in the unit cube (or all pairwise
distances) at the slider's D, as a histogram of d / d_max: in 2-D they spread from 0 to the
farthest, in high D they crowd just below it, so "nearest" and "farthest" are nearly the same.
Right: the relative contrast (d_max - d_min) / d_min against D, five random queries per D (their
median joined), with the slider's D marked.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from ... import colors
from ...graphics.items import set_html, text_item, vline
from ...graphics.plots import axis_label, curve, titled_plot
from ...model.present import geometry as gs
from .. import register
from .common import (
    GREEN,
    VERMILLION,
    GeometryView,
    add_label,
    count,
    d_range,
    sci,
)


@register
class DistancesView(GeometryView):
    name = "geometry-distances"
    title = "Near and far become the same"
    description = ("Histogram of query or pairwise distances in the unit cube at the slider's D "
                   "(as a share of the farthest), and the relative contrast against D.")
    order = 4

    def build(self) -> None:
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0)
        body = ci.addLayout(row=1, col=0)
        self.keys = add_label(ci, 2, 0)
        self.numbers = add_label(ci, 3, 0)
        ci.layout.setRowStretchFactor(1, 10)
        self.hist_plot, self.hist_title = titled_plot(body, 0, 0)
        self.hist_plot.setXRange(0, 1, padding=0.01)
        self.bars = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0], stepMode="center", fillLevel=0.0)
        self.hist_plot.addItem(self.bars)
        self.min_line = vline(self.hist_plot)
        self.mean_line = vline(self.hist_plot)
        self.hist_note = text_item(self.hist_plot.vb, anchor=(0.5, 0.5))
        self.hist_text = text_item(self.hist_plot.vb, anchor=(0, 0))

        self.rc_plot, self.rc_title = titled_plot(body, 0, 1, log_x=True, log_y=True)
        d_range(self.rc_plot)
        self.rc_all = pg.ScatterPlotItem(size=5)
        self.rc_plot.addItem(self.rc_all)
        self.rc_median = curve(self.rc_plot)
        self.rc_dot = pg.ScatterPlotItem(size=12)
        self.rc_dot.setZValue(9)
        self.rc_plot.addItem(self.rc_dot)
        self.rc_line = vline(self.rc_plot)
        self.rc_note = text_item(self.rc_plot.vb, anchor=(0.5, 0.5))
        self.rc_text = text_item(self.rc_plot.vb, anchor=(0, 1))
        body.layout.setColumnStretchFactor(0, 1)
        body.layout.setColumnStretchFactor(1, 1)

    def plots(self) -> list:
        return [self.hist_plot, self.rc_plot]

    def sample_keys(self, p) -> tuple:
        return (gs.distances_key(p), gs.contrast_key(p))

    # -- drawing ----------------------------------------------------------------------------
    def paint(self, p) -> None:
        fg, muted = self.fg, self.theme.muted
        if getattr(self.hist_plot, "_yrange", None) is None:
            self.set_yrange(self.hist_plot, 0, 1)
        D = p.D
        hkey, ckey = gs.distances_key(p), gs.contrast_key(p)
        h = self.sample(hkey)
        what = ("from one random query to {n} random points" if p.distance_kind == "query"
                else "between all pairs of {n} random points")
        what = what.format(n=count(p.n_points))
        self.set_label(self.hist_title, f"D = {D:,}: distances {what} in the unit cube, "
                       f"as a share of the farthest")
        axis_label(self.hist_plot, "bottom", "distance / farthest distance d<sub>max</sub>")
        if h is None:
            self.bars.setData([0.0, 1.0], [0.0], pen=None, brush=None)
            self.hist_note.setText(self.sample_note(hkey), color=muted)
            lo, hi = getattr(self.hist_plot, "_yrange", (0.0, 1.0))
            self.hist_note.setPos(0.5, 0.5 * (lo + hi))  # the old range stays: no axis redraw
            self.min_line.setVisible(False)
            self.mean_line.setVisible(False)
            self.hist_text.setText("")
            self.set_label(self.caption, f"<b>Near and far become the same</b>: D = {D:,}, "
                           f"sampling…", big=True)
        else:
            self.hist_note.setText("")
            self.bars.setData(h.edges, h.heights, pen=colors.pen(VERMILLION, 1.0),
                              brush=colors.brush(VERMILLION, 110))
            self.set_yrange(self.hist_plot, 0, 1.15 * float(h.heights.max()))
            self.min_line.setVisible(True)
            self.mean_line.setVisible(True)
            self.min_line.setPos(h.d_min / h.d_max)
            self.min_line.setPen(colors.pen(self.blue(), self.lw, style="dash"))
            self.mean_line.setPos(h.d_mean / h.d_max)
            self.mean_line.setPen(colors.pen(fg, self.lw, style="dash"))
            ratio = h.d_min / h.d_max
            set_html(self.hist_text,
                          f"<div style='color:{fg}; font-size:{self.font()}'>nearest = "
                          f"{ratio:.3f} × farthest</div>")
            self.hist_text.setPos(0.02, 1.12 * float(h.heights.max()))
            self.set_label(self.caption, (
                f"<b>Near and far become the same</b>: at D = {D:,} the nearest point is "
                f"<b>{ratio:.3f}</b> × the farthest away (relative contrast "
                f"{_rc(h.contrast)})"), big=True)

        c = self.sample(ckey)
        if c is None:
            self.rc_all.setData([], [])
            self.rc_median.setData([], [])
            self.rc_note.setText(self.sample_note(ckey), color=muted)
            self.rc_note.setPos(2.0, 0.0)
        else:
            self.rc_note.setText("")
            xs = np.repeat(c.dims, c.values.shape[1])  # (k * s,)
            self.rc_all.setData(np.log10(xs), np.log10(c.values.ravel()),
                                brush=colors.brush(GREEN, 120), pen=None)
            self.rc_median.setData(c.dims, c.median, pen=colors.pen(GREEN, self.lw + 0.5))
        if h is not None and math.isfinite(h.query_contrast) and h.query_contrast > 0:
            y = math.log10(h.query_contrast)
            self.rc_dot.setData([math.log10(D)], [y], brush=colors.brush(VERMILLION),
                                pen=colors.pen(fg, 1.0))
            set_html(self.rc_text,
                          f"<div style='color:{VERMILLION}; font-size:{self.font()}'>"
                          f"&nbsp;D = {D:,}: {_rc(h.query_contrast)}</div>")
            self.rc_text.setPos(math.log10(D), y)
            self.rc_text.setAnchor((1.05, 1.0) if D > 60 else (-0.05, 1.0))
        else:
            self.rc_dot.setData([], [])
            self.rc_text.setText("")
        self.rc_line.setPos(math.log10(D))
        self.rc_line.setPen(colors.pen(VERMILLION, 1.0))
        self.set_label(self.rc_title, f"relative contrast (d<sub>max</sub> − d<sub>min</sub>) / "
                       f"d<sub>min</sub>, one query to {count(p.n_points)} points")
        axis_label(self.rc_plot, "bottom", "dimension D")

        glyph = "<span style='color:{}'>{}</span>"
        self.set_label(self.keys, (
            f"histogram: {glyph.format(VERMILLION, '■')} distances &nbsp; "
            f"{glyph.format(self.blue(), '- - -')} nearest &nbsp; {glyph.format(fg, '- - -')} "
            f"mean &nbsp;·&nbsp; contrast: {glyph.format(GREEN, '●')} one random query each "
            f"(5 per D) {glyph.format(GREEN, '━━')} their median {glyph.format(VERMILLION, '●')}"
            f" slider D"))
        lines = []
        if h is not None:
            lines.append(
                f"{count(h.n)} distances: min {h.d_min:.4g}, mean {h.d_mean:.4g}, max "
                f"{h.d_max:.4g}, sd / mean {h.d_sd / h.d_mean:.3g} · in the unit cube "
                f"the largest possible is √D = {math.sqrt(D):.4g}")
        if c is not None:
            pick = [i for i, d in enumerate(c.dims) if d in (2, 100, 10_000)]
            lines.append("median relative contrast: " + " · ".join(
                f"D = {int(c.dims[i]):,}: {_rc(c.median[i])}" for i in pick)
                + " — the nearest neighbour stops standing out")
        lines.append("the article: from any centre the other points are squashed onto a sphere’s "
                     "surface; for each of them all the others are about equally far")
        self.set_numbers(lines)

    # -- introspection for tests ----------------------------------------------------------------
    def histogram(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.bars.xData), np.asarray(self.bars.yData)

    def contrast_points(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.rc_all.getData()
        return 10.0 ** np.asarray(x), 10.0 ** np.asarray(y)

    def marker(self) -> tuple[float, float] | None:
        x, y = self.rc_dot.getData()
        return None if len(x) == 0 else (10.0 ** float(x[0]), 10.0 ** float(y[0]))


def _rc(v: float) -> str:
    return sci(v, 2) if math.isfinite(v) else "∞ (a point on the query)"

