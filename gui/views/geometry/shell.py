"""Empty M&M's chocolate: the volume of a D-ball lives in a thin shell under its surface.

Three pictures, all closed forms from ``sim.geometry``:

- a cut through the unit D-ball, split into ten rings that each hold 10 % of the volume
  (radii (k/10)^(1/D)), shaded by how much volume each ring holds per unit of drawn area: in 2-D
  the chocolate is even, in high D the inside is nearly empty and it all sits under the crust;
- the share of the volume within eps of the surface, 1 - (1 - eps)^D, against D with the 50 %,
  90 % and 99 % crossings, next to the article's "~90 % when D is over 400";
- the volume of the unit ball against D, with its peak at D = 5.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from sim import geometry

from ... import colors
from ...graphics.items import circle, set_circle, set_html, text_item, vline
from ...graphics.plots import axis_label, curve, titled_plot
from ...model.present import geometry as gs
from .. import register
from ..base import plain_viewbox
from .common import (
    ARTICLE,
    VERMILLION,
    GeometryView,
    add_label,
    d_range,
    fmt_log10,
    pct,
)

LEVELS = (0.5, 0.9, 0.99)  #: shares of the volume whose crossings are marked
ARTICLE_D = 400  #: "when D is over 400, around 90 % of the volume is in the outer 1 %"
RINGS = 10
V_MAX_D = 40  #: the ball-volume plot runs D = 1..40 (the peak at 5 and the fall to ~0)


@register
class ShellView(GeometryView):
    name = "geometry-shell"
    title = "Empty M&M's: the volume sits in the shell"
    description = ("Share of a D-ball's volume within ε of its surface, 1 − (1 − ε)^D, with its "
                   "crossings; a cut through the ball in equal-volume rings; V_D against D.")
    order = 3

    def build(self) -> None:
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0)
        body = ci.addLayout(row=1, col=0)
        self.numbers = add_label(ci, 2, 0)
        ci.layout.setRowStretchFactor(1, 10)

        # the cut-away disc
        disc = body.addLayout(row=0, col=0, rowspan=2)
        self.disc_title = add_label(disc, 0, 0, justify="center")
        self.disc = plain_viewbox(disc, row=1, col=0)
        self.disc.setAspectLocked(True)
        self.disc.setRange(xRange=(-1.08, 1.08), yRange=(-1.08, 1.12), padding=0)
        self.rings = [QtWidgets.QGraphicsPathItem() for _ in range(RINGS)]  # innermost first
        for item in self.rings:
            self.disc.addItem(item, ignoreBounds=True)
        self.eps_circle = circle(self.disc, z=RINGS + 1)
        self.disc_text = text_item(self.disc, anchor=(0.5, 0.5), z=RINGS + 2)
        # the crust, magnified: where each tenth of the volume lies along the radius
        self.zoom, self.zoom_title = titled_plot(disc, 2, 0)
        self.zoom.hideAxis("left")
        self.zoom.setYRange(0, 1, padding=0)
        self.zoom.setMaximumHeight(90)
        self.zoom_rings = [QtWidgets.QGraphicsRectItem() for _ in range(RINGS)]
        for item in self.zoom_rings:
            self.zoom.vb.addItem(item, ignoreBounds=True)
        self.zoom_eps = vline(self.zoom)
        self.disc_key = add_label(disc, 4, 0, justify="center")
        disc.layout.setRowStretchFactor(1, 10)
        self._body = body
        self._set_columns()

        # share in the shell against D
        self.shell_plot, self.shell_title = titled_plot(body, 0, 1, log_x=True)
        d_range(self.shell_plot)
        self.shell_plot.setYRange(-0.02, 1.1, padding=0)
        self.shell_plot.getAxis("left").setTicks(
            [[(0.0, "0"), (0.25, "25"), (0.5, "50"), (0.75, "75"), (0.9, "90"), (1.0, "100 %")],
             []])
        self.shell_curve = curve(self.shell_plot)
        self.level_lines = pg.PlotCurveItem(connect="pairs")
        self.shell_plot.addItem(self.level_lines)
        self.crossings = pg.ScatterPlotItem(size=9, symbol="o")
        self.crossings.setZValue(8)
        self.shell_plot.addItem(self.crossings)
        # the crossing D at the foot of its line
        self.crossing_text = [text_item(self.shell_plot.vb, anchor=(0, 1)) for _ in LEVELS]
        self.article_line = pg.PlotCurveItem()
        self.shell_plot.addItem(self.article_line)
        self.article_text = text_item(self.shell_plot.vb, anchor=(1, 0))
        self.d_line = vline(self.shell_plot)
        self.d_dot = pg.ScatterPlotItem(size=11, symbol="o")
        self.d_dot.setZValue(9)
        self.shell_plot.addItem(self.d_dot)

        # volume of the unit ball
        self.vol_plot, self.vol_title = titled_plot(body, 1, 1)
        self.vol_plot.setXRange(1, V_MAX_D, padding=0.02)
        self.vol_curve = curve(self.vol_plot, symbol="o", symbolSize=4)
        self.vol_peak = pg.ScatterPlotItem(size=10, symbol="star")
        self.vol_peak.setZValue(8)
        self.vol_plot.addItem(self.vol_peak)
        self.vol_peak_text = text_item(self.vol_plot.vb, anchor=(-0.1, 0.2))
        self.vol_line = vline(self.vol_plot)
        self.vol_text = text_item(self.vol_plot.vb, anchor=(1, 0))
        self._eps_drawn = None

    def plots(self) -> list:
        return [self.shell_plot, self.vol_plot, self.zoom]

    def _set_columns(self) -> None:
        """The disc's column about as wide as the body is high (a round picture, not a sliver)."""
        share = min(0.45, max(0.25, 0.75 * self.height() / max(self.width(), 1)))
        self._body.layout.setColumnStretchFactor(0, int(100 * share))
        self._body.layout.setColumnStretchFactor(1, int(100 * (1 - share)))

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        if self.built:
            self._set_columns()
        super().resizeEvent(ev)

    # -- drawing ----------------------------------------------------------------------------
    def paint(self, p) -> None:
        fg, muted = self.fg, self.theme.muted
        eps, D = p.eps, p.D
        accent = colors.pen(VERMILLION, self.lw)
        f_D = geometry.shell_fraction(D, eps)
        self.set_label(self.caption, f"<b>Empty M&amp;M's</b>: at D = {D:,}, the outer "
                       f"ε = {eps:g} of the radius holds <b>{pct(f_D)}</b> of the ball's "
                       f"volume", big=True)

        # the disc -----------------------------------------------------------------------------
        radii = gs.equal_volume_radii(D, RINGS)  # (11,)
        dens = gs.ring_density(radii)  # (10,)
        choc = colors.hex_to_rgb(self.chocolate())
        for j, item in enumerate(self.rings):  # ring j: radii[j] < r < radii[j + 1]
            item.setPath(_annulus(float(radii[j]), float(radii[j + 1])))
            alpha = int(round(255 * min(1.0, float(dens[j]))))
            item.setBrush(colors.brush(choc, max(alpha, 8)))
            item.setPen(colors.pen(self.theme.background, 0.6, 140))
        set_circle(self.eps_circle, 0.0, 0.0, 1.0 - eps)
        self.eps_circle.setPen(colors.pen(VERMILLION, self.lw, style="dash"))
        self.eps_circle.setBrush(colors.brush(fg, 0))
        set_html(self.disc_text,
                      f"<div style='color:{fg}; font-size:{self.font()}; background:"
                      f"{self.theme.background}; text-align:center'>half the volume lies<br>beyond "
                      f"r = {_radius(radii[RINGS // 2])}</div>")
        self.disc_text.setPos(0.0, -0.22 if D < 6 else 0.0)
        self.set_label(self.disc_title, f"cut through the {D:,}-ball: ten rings of 10 % each")
        lo = max(0.0, float(radii[1]) - 0.3 * (1.0 - float(radii[1])))
        if 1.0 - eps > lo - 0.5 * (1.0 - lo):  # the ε circle fits without losing the rings
            lo = min(lo, 1.0 - 1.5 * eps)
        for j, item in enumerate(self.zoom_rings):
            item.setRect(QtCore.QRectF(float(radii[j]), 0.0, float(radii[j + 1] - radii[j]), 1.0))
            alpha = int(round(255 * min(1.0, float(dens[j]))))
            item.setBrush(colors.brush(choc, max(alpha, 8)))
            item.setPen(colors.pen(self.theme.background, 1.0))
        self.zoom.setXRange(lo, 1.0, padding=0.0)
        self.zoom_eps.setPos(1.0 - eps)
        self.zoom_eps.setPen(colors.pen(VERMILLION, self.lw, style="dash"))
        beyond = "" if 1.0 - eps >= lo else f" (r = 1 − ε = {1 - eps:g} lies left of it)"
        self.set_label(self.zoom_title, f"magnified: radius r from {_radius(lo)} to 1, the "
                       f"same rings{beyond}")
        self.set_label(self.disc_key, f"shade: volume per drawn area · "
                       f"<span style='color:{VERMILLION}'>- - -</span> r = 1 − ε")

        # shell share against D ----------------------------------------------------------------
        key = (eps, self.theme, self.exporting, self.compact)
        if self._eps_drawn != key:
            self._eps_drawn = key
            x = gs.d_grid()  # (400,)
            self.shell_curve.setData(x, geometry.shell_fraction(x, eps),
                                     pen=colors.pen(self.chocolate(), self.lw + 0.5))
            Dc = [geometry.shell_crossing(eps, f) for f in LEVELS]
            fc = [geometry.shell_fraction(d, eps) for d in Dc]
            lx = np.log10(Dc)
            segs = np.array([[[0.0, f], [math.log10(gs.D_MAX), f]] for f in LEVELS]
                            + [[[x0, 0.0], [x0, f]] for x0, f in zip(lx, fc, strict=True)])
            self.level_lines.setData(segs[:, :, 0].ravel(), segs[:, :, 1].ravel(),
                                     pen=colors.pen(muted, 1.0, style="dash"))
            self.crossings.setData(lx, fc, brush=colors.brush(self.chocolate()),
                                   pen=colors.pen(fg, 1.0))
            for item, d in zip(self.crossing_text, Dc, strict=True):
                item.setText(f"{d:,}", color=fg)
                item.setPos(math.log10(d), 0.0)
            f400 = geometry.shell_fraction(ARTICLE_D, eps)
            self.article_line.setData([math.log10(ARTICLE_D), math.log10(gs.D_MAX)], [0.9, 0.9],
                                      pen=colors.pen(ARTICLE, self.lw + 1.5, 200))
            claim = (f"exact at 400: {pct(f400)}" if eps == 0.01 else
                     f"(that is ε = 0.01; this ε at 400: {pct(f400)})")
            text = ("article" if self.compact else
                    f"article: ≈ 90 % for D &gt; 400<br>{claim}")
            set_html(self.article_text,
                          f"<div style='color:{ARTICLE}; font-size:{self.font()}; "
                          f"text-align:right'>{text}</div>")
            self.article_text.setPos(math.log10(gs.D_MAX), 0.84)
        self.d_line.setPos(math.log10(D))
        self.d_line.setPen(accent)
        self.d_dot.setData([math.log10(D)], [f_D], brush=colors.brush(VERMILLION),
                           pen=colors.pen(fg, 1.0))
        self.set_label(self.shell_title, f"share of the volume within ε = {eps:g} of the "
                       f"surface: 1 − (1 − ε)<sup>D</sup>; dashed: 50, 90, 99 % and where "
                       f"they are reached")
        axis_label(self.shell_plot, "bottom", "dimension D")

        # unit-ball volume -----------------------------------------------------------------------
        Dv = np.arange(1, V_MAX_D + 1)  # (40,)
        V = geometry.ball_volume(Dv)  # (40,)
        self.vol_curve.setData(Dv, V, pen=colors.pen(self.blue(), self.lw),
                               symbolBrush=colors.brush(self.blue()), symbolPen=None)
        peak = int(Dv[np.argmax(V)])
        self.vol_peak.setData([peak], [V.max()], brush=colors.brush(VERMILLION),
                              pen=colors.pen(fg, 1.0))
        self.vol_peak_text.setText(f"peak at D = {peak}: V = {V.max():.4f}", color=fg)
        self.vol_peak_text.setPos(peak, float(V.max()))
        self.vol_line.setPen(accent)
        self.vol_line.setVisible(D <= V_MAX_D)
        self.vol_line.setPos(D)
        log_v = geometry.log_ball_volume(D) / math.log(10)
        set_html(self.vol_text,
                      f"<div style='color:{VERMILLION}; font-size:{self.font()}'>"
                      f"D = {D:,}: V<sub>D</sub> = {fmt_log10(log_v, 3)}</div>")
        self.vol_text.setPos(V_MAX_D, 0.55 * float(V.max()))
        self.set_label(self.vol_title, "volume of the unit ball V<sub>D</sub> = "
                       "π<sup>D/2</sup> / Γ(D/2 + 1)")
        self.set_yrange(self.vol_plot, 0, float(V.max()) * 1.15)
        axis_label(self.vol_plot, "bottom", "dimension D")

        # the numbers ----------------------------------------------------------------------------
        c90 = geometry.shell_crossing(eps, 0.9)
        lines = [
            f"2-D: 1 − (1 − ε)² = {pct(geometry.shell_fraction(2, eps))} · 3-D: 1 − (1 − ε)³ = "
            f"{pct(geometry.shell_fraction(3, eps))} · D = {D:,}: {pct(f_D)}",
            "crossings: " + " · ".join(
                f"{round(100 * f)} % from D = {geometry.shell_crossing(eps, f):,}"
                for f in LEVELS),
            f"90 % exactly: D* = {gs.real_crossing(eps, 0.9):.1f}, so from D = {c90:,} "
            f"(D = {c90 - 1:,} holds {pct(geometry.shell_fraction(c90 - 1, eps))}, "
            f"D = {c90:,} holds {pct(geometry.shell_fraction(c90, eps))})"
            if c90 > 1 else f"90 % from D = {c90}",
            f"the article: “when D is over 400, around 90 % of the volume is in the outer 1 %” "
            f"— exact: 90 % from D = {geometry.shell_crossing(0.01, 0.9)}; at D = 400 it is "
            f"{pct(geometry.shell_fraction(400, 0.01))}",
        ]
        self.set_numbers(lines)

    # -- introspection for tests ----------------------------------------------------------------
    def shell_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(D, share) of the drawn shell curve."""
        return np.asarray(self.shell_curve.xData), np.asarray(self.shell_curve.yData)

    def crossing_points(self) -> tuple[np.ndarray, np.ndarray]:
        """(D, share) of the marked crossings, in the order of LEVELS."""
        x, y = self.crossings.getData()
        return 10.0 ** np.asarray(x), np.asarray(y)

    def ring_radii(self) -> np.ndarray:
        """Outer radii of the drawn rings, innermost first."""
        return np.array([r.path().boundingRect().width() / 2 for r in self.rings])

    def zoom_edges(self) -> np.ndarray:
        """Inner and outer radius of each ring in the magnified strip, innermost first."""
        return np.array([[r.rect().left(), r.rect().right()] for r in self.zoom_rings])

    def ring_alphas(self) -> np.ndarray:
        """Opacity (0..255) of each ring's chocolate, innermost first."""
        return np.array([r.brush().color().alpha() for r in self.rings])

    def volume_data(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.vol_curve.xData), np.asarray(self.vol_curve.yData)

    def marker_D(self) -> float:
        return 10.0 ** self.d_line.value()



def _annulus(r0: float, r1: float) -> QtGui.QPainterPath:
    """The ring r0 < r < r1 around the origin (a disc when r0 = 0)."""
    path = QtGui.QPainterPath()
    path.setFillRule(QtCore.Qt.FillRule.OddEvenFill)
    path.addEllipse(QtCore.QPointF(0.0, 0.0), r1, r1)
    if r0 > 0:
        path.addEllipse(QtCore.QPointF(0.0, 0.0), r0, r0)
    return path


def _radius(r: float) -> str:
    """A radius close to 1 with enough digits to tell it from 1 (0.99993, not 0.9999)."""
    r = float(r)
    digits = 4 if r >= 1.0 or r <= 0.0 else max(4, math.ceil(-math.log10(1.0 - r)) + 2)
    return f"{r:.{digits}f}"
