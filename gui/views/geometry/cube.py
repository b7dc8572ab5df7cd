"""Spiky cubes: 2^D unit cubes stacked around the origin, a ball of diameter 1 in each, and the
blue ball in the middle touching them all.

Top row: the article's two pictures, drawn to scale (D = 2: four squares, four orange circles,
the blue circle of diameter sqrt(2) - 1; D = 3: eight cubes in an oblique projection), then a
radial sketch of the same arrangement at the slider's D: the side-2 box as a star whose spikes are
its corners (at sqrt(D)) and whose notches are its faces (at 1), the orange balls at sqrt(D)/2 and
the blue ball of radius (sqrt(D) - 1)/2 (the D = 2 sketch is exactly the square). Bottom row: the
radii against D with the thresholds D = 4 (blue as big as orange) and D = 9 (blue reaches the
box's faces; beyond, it sticks out), and the share of a cube inside its inscribed ball.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from sim import geometry

from ... import colors
from ...graphics.items import circle, set_circle, set_html, text_item, vline
from ...graphics.plots import axis_label, curve, titled_plot
from ...model.present import geometry as gs
from .. import register
from ..base import plain_viewbox
from .common import (
    ORANGE,
    VERMILLION,
    GeometryView,
    add_label,
    count,
    d_range,
    fmt_log10,
    pct,
)

MAX_SPIKES = 32  #: corners drawn in the radial sketch (of 2^D)
THRESHOLDS = (4, 9)  #: blue = orange (radius 1/2); blue reaches the faces (radius 1)
OBLIQUE = (0.5 * math.cos(math.radians(35)), 0.5 * math.sin(math.radians(35)))


def _oblique(xyz: np.ndarray) -> np.ndarray:
    """(n, 2) cabinet projection of points (n, 3): depth z drawn half length up and right."""
    return np.stack([xyz[:, 0] + OBLIQUE[0] * xyz[:, 2],
                     xyz[:, 1] + OBLIQUE[1] * xyz[:, 2]], axis=1)  # (n, 2)


class ShareAxis(pg.AxisItem):
    """Log axis of y = -log10(share): ticks read as the share itself, 10^-0.1 ... 10^-10000."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        out = []
        for v in values:
            if abs(v - round(v)) < 1e-6 and -2 <= round(v) <= 6:
                e = 10.0 ** round(v)
                out.append("10" + ("⁻" + _sup_num(e)))
            else:
                out.append("")
        return out


def _sup_num(e: float) -> str:
    s = f"{e:g}" if e < 1 else f"{int(e)}"
    return s.translate(str.maketrans("0123456789.", "⁰¹²³⁴⁵⁶⁷⁸⁹·"))


@register
class CubeView(GeometryView):
    name = "geometry-cube"
    title = "Spiky cubes"
    description = ("2^D stacked unit cubes with inscribed balls and the blue ball between them: "
                   "drawn for D = 2 and 3, sketched radially at any D; radii and the share of "
                   "the cube inside its ball against D.")
    order = 1

    def build(self) -> None:
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0)
        pics = ci.addLayout(row=1, col=0)
        charts = ci.addLayout(row=2, col=0)
        self.keys = add_label(ci, 3, 0)
        self.numbers = add_label(ci, 4, 0)
        ci.layout.setRowStretchFactor(1, 6)
        ci.layout.setRowStretchFactor(2, 5)

        self.pic_titles = []
        self.vbs = []
        for col in range(3):
            self.pic_titles.append(add_label(pics, 0, col, justify="center"))
            vb = plain_viewbox(pics, row=1, col=col)
            vb.setAspectLocked(True)
            self.vbs.append(vb)
        pics.layout.setRowStretchFactor(1, 10)
        vb2, vb3, vbD = self.vbs

        # D = 2, to scale
        vb2.setRange(xRange=(-1.15, 1.15), yRange=(-1.15, 1.15), padding=0)
        self.grid2 = pg.PlotCurveItem(connect="pairs")
        vb2.addItem(self.grid2)
        self.orange2 = [circle(vb2, z=1) for _ in range(4)]
        self.blue2 = circle(vb2, z=3)
        self.diag2 = pg.PlotCurveItem()
        self.diag2.setZValue(4)
        vb2.addItem(self.diag2)
        self.diag2_text = text_item(vb2, anchor=(0, 1))

        # D = 3, oblique projection
        vb3.setRange(xRange=(-1.3, 1.75), yRange=(-1.3, 1.6), padding=0)
        self.grid3 = pg.PlotCurveItem(connect="pairs")
        vb3.addItem(self.grid3)
        self._centres3 = np.array([[x, y, z] for z in (0.5, -0.5) for x in (-0.5, 0.5)
                                   for y in (-0.5, 0.5)])  # (8, 3) back (z = +0.5) first
        self.orange3 = [circle(vb3, z=1 + (k >= 4) * 4) for k in range(8)]
        self.blue3 = circle(vb3, z=3)
        self.diag3 = pg.PlotCurveItem()
        self.diag3.setZValue(9)
        vb3.addItem(self.diag3)
        self.diag3_text = text_item(vb3, anchor=(1.1, 0.0))

        # the radial sketch at D
        self.star = pg.PlotCurveItem()
        self.star.setZValue(5)  # over the blue ball: where it shows between the spikes, it is
        # outside the box
        vbD.addItem(self.star)
        self.faces = circle(vbD, z=1)
        self.small = pg.ScatterPlotItem(pxMode=False)
        self.small.setZValue(3)
        vbD.addItem(self.small)
        self.blueD = circle(vbD, z=4)

        # radii against D
        self.radius_plot, self.radius_title = titled_plot(charts, 0, 0, log_x=True, log_y=True)
        d_range(self.radius_plot)
        self.radius_plot.setYRange(math.log10(0.05), math.log10(150), padding=0)
        self.r_corner = curve(self.radius_plot)
        self.r_faces = curve(self.radius_plot)
        self.r_orange = curve(self.radius_plot)
        self.r_blue = curve(self.radius_plot)
        self.thr_lines = [vline(self.radius_plot) for _ in THRESHOLDS]
        self.thr_text = [text_item(self.radius_plot.vb, anchor=a)
                         for a in ((1.05, 0.0), (-0.05, 0.0))]  # left of 4, right of 9
        self.r_dot = pg.ScatterPlotItem(size=10)
        self.r_dot.setZValue(9)
        self.radius_plot.addItem(self.r_dot)
        self.r_line = vline(self.radius_plot)

        # share of the cube inside its inscribed ball
        self.share_plot, self.share_title = titled_plot(charts, 0, 1, log_x=True, log_y=True,
                                                        left_axis=ShareAxis("left"))
        self.share_plot.invertY(True)
        d_range(self.share_plot)
        self.share_plot.setYRange(math.log10(0.05), math.log10(3e4), padding=0.02)
        self.share_curve = curve(self.share_plot)
        self.share_marks = pg.ScatterPlotItem(size=8)
        self.share_marks.setZValue(8)
        self.share_plot.addItem(self.share_marks)
        self.share_text = text_item(self.share_plot.vb, anchor=(1, 0))
        self.share_dot = pg.ScatterPlotItem(size=10)
        self.share_dot.setZValue(9)
        self.share_plot.addItem(self.share_dot)
        self.share_line = vline(self.share_plot)
        self.share_d_text = text_item(self.share_plot.vb, anchor=(1.05, -0.1))
        self._static_drawn = None

    def plots(self) -> list:
        return [self.radius_plot, self.share_plot]

    # -- drawing ----------------------------------------------------------------------------
    def paint(self, p) -> None:
        D = p.D
        fg, muted = self.fg, self.theme.muted
        blue = self.blue()
        r_in = geometry.inner_ball_radius(D)
        corner = geometry.corner_distance(D)
        log_share = geometry.log10_inscribed_ball_fraction(D)
        sticks = r_in > 1.0
        self.set_label(self.caption, (
            f"<b>Spiky cubes</b>: at D = {D:,} the blue ball's diameter √D − 1 = "
            f"<b>{2 * r_in:.4g}</b>" + (" &gt; 2: it sticks out of the box of side 2"
                                        if sticks else " ≤ 2: inside the box of side 2")),
            big=True)
        key = (self.theme, self.exporting, self.compact)
        if self._static_drawn != key:
            self._static_drawn = key
            self._draw_articles_pictures()
            self._draw_static_curves()

        # the radial sketch --------------------------------------------------------------------
        vbD = self.vbs[2]
        M = min(2**D, MAX_SPIKES) if D < 40 else MAX_SPIKES
        tip = 2.0 * corner  # corners of the side-2 box, sqrt(D)
        if D == 1:  # the "box" is the segment [-1, 1], the balls are its halves
            self.star.setData([-1.0, 1.0], [0.0, 0.0], pen=colors.pen(fg, self.lw + 1))
            tip_ang = np.array([0.0, np.pi])  # (2,)
        else:
            ang = 2.0 * np.pi * np.arange(2 * M + 1) / (2 * M)  # (2M + 1,) valley, tip, ...
            rad = np.where(np.arange(2 * M + 1) % 2 == 1, tip, 1.0)  # (2M + 1,)
            self.star.setData(rad * np.cos(ang), rad * np.sin(ang), pen=colors.pen(fg, self.lw))
            tip_ang = ang[1::2]  # (M,)
        self.small.setData(corner * np.cos(tip_ang), corner * np.sin(tip_ang),
                           size=1.0, brush=colors.brush(ORANGE, 150),
                           pen=colors.pen(ORANGE, 1.0))
        set_circle(self.faces, 0, 0, 1.0)
        self.faces.setPen(colors.pen(muted, 1.0, style="dash"))
        set_circle(self.blueD, 0, 0, max(r_in, 0.0))
        self.blueD.setBrush(colors.brush(blue, 150))
        self.blueD.setPen(colors.pen(blue, self.lw))
        span = max(1.25, 1.06 * tip)
        vbD.setRange(xRange=(-span, span), yRange=(-span, span), padding=0)
        corners = f"2<sup>{D}</sup>" if D > 20 else count(2**D)
        drawn = f" ({M} drawn)" if 2**min(D, 60) > M else ""
        if self.compact:
            title = (f"D = {D:,}: corners at √D = {tip:.4g}, faces at 1, blue r = {r_in:.3g}"
                     + (" &gt; 1" if sticks else ""))
        else:
            title = (f"D = {D:,}, radially: {corners} corners{drawn} at √D = {tip:.4g}, faces "
                     f"at 1; blue r = {r_in:.4g} " + ("&gt; 1: outside the box" if sticks
                                                      else "≤ 1"))
        self.set_label(self.pic_titles[2], title)

        # radii and share at D -------------------------------------------------------------------
        lx = math.log10(D)
        self.r_line.setPos(lx)
        self.r_line.setPen(colors.pen(VERMILLION, 1.0))
        pts = [(lx, math.log10(2 * corner)), (lx, 0.0), (lx, math.log10(0.5))]
        if r_in > 0:
            pts.append((lx, math.log10(r_in)))
        xy = np.array(pts)
        self.r_dot.setData(xy[:, 0], xy[:, 1], brush=colors.brush(VERMILLION),
                           pen=colors.pen(fg, 1.0), size=7)
        self.share_line.setPos(lx)
        self.share_line.setPen(colors.pen(VERMILLION, 1.0))
        y = -log_share
        self.share_dot.setData([lx], [math.log10(max(y, 1e-3))], brush=colors.brush(VERMILLION),
                               pen=colors.pen(fg, 1.0))
        set_html(self.share_d_text,
                      f"<div style='color:{VERMILLION}; font-size:{self.font()}'>"
                      f"D = {D:,}: {self._share_text(log_share)}</div>")
        self.share_d_text.setPos(lx, math.log10(max(y, 1e-3)))
        self.share_d_text.setAnchor((1.05, 0.5) if D > 30 else (-0.08, 1.0))

        # numbers --------------------------------------------------------------------------------
        r4, r9 = (geometry.inner_ball_radius(d) for d in THRESHOLDS)
        lines = [
            f"square: diagonal √2 = {math.sqrt(2):.4f}, blue circle Ø √2 − 1 = "
            f"{2 * geometry.inner_ball_radius(2):.4f} · cube: diagonal √3 = {math.sqrt(3):.4f}, "
            f"blue sphere Ø √3 − 1 = {2 * geometry.inner_ball_radius(3):.4f}",
            f"D = {D:,}: unit-cube corners at √D/2 = {corner:.4g} from its centre, faces at 1/2; "
            f"blue Ø = {2 * r_in:.4g}",
            f"blue radius = orange radius 1/2 at D = 4 ({r4:g}); = 1, touching the box's faces, "
            f"at D = 9 ({r9:g}); beyond D = 9 it sticks out",
            f"share of a cube inside its ball: 2-D π/4 = {pct(geometry.inscribed_ball_fraction(2))}"
            f", 3-D π/6 = {pct(geometry.inscribed_ball_fraction(3))}, D = {D:,}: "
            f"{self._share_text(log_share)}"
            + (": the volume sits in the corners" if log_share < math.log10(0.5) else ""),
        ]
        self.set_numbers(lines)

    @staticmethod
    def _share_text(log_share: float) -> str:
        return pct(10.0**log_share) if log_share > -4 else fmt_log10(log_share)

    def _draw_articles_pictures(self) -> None:
        fg, muted, blue = self.fg, self.theme.muted, self.blue()
        lw = self.lw
        # D = 2
        g = np.array([[-1, 0, 1]], dtype=float)  # (1, 3)
        xs = np.concatenate([np.repeat(g[0], 2), np.tile([-1.0, 1.0], 3)])  # (12,)
        ys = np.concatenate([np.tile([-1.0, 1.0], 3), np.repeat(g[0], 2)])  # (12,)
        self.grid2.setData(xs, ys, pen=colors.pen(fg, lw))
        for item, (cx, cy) in zip(self.orange2, [(-0.5, -0.5), (-0.5, 0.5), (0.5, -0.5),
                                                 (0.5, 0.5)], strict=True):
            set_circle(item, cx, cy, 0.5)
            item.setBrush(colors.brush(ORANGE, 170))
            item.setPen(colors.pen(ORANGE, lw))
        set_circle(self.blue2, 0, 0, geometry.inner_ball_radius(2))
        self.blue2.setBrush(colors.brush(blue, 220))
        self.blue2.setPen(colors.pen(blue, lw))
        self.diag2.setData([0.0, 1.0], [0.0, 1.0], pen=colors.pen(fg, lw, style="dash"))
        self.diag2_text.setText("√2", color=fg)
        self.diag2_text.setPos(0.62, 0.55)
        self.set_label(self.pic_titles[0], f"D = 2: blue Ø √2 − 1 = "
                       f"{2 * geometry.inner_ball_radius(2):.3f}")
        # D = 3
        lines = []
        for a in (-1.0, 0.0, 1.0):
            for b in (-1.0, 0.0, 1.0):
                lines += [[(-1, a, b), (1, a, b)], [(a, -1, b), (a, 1, b)],
                          [(a, b, -1), (a, b, 1)]]
        seg = np.array(lines, dtype=float).reshape(-1, 3)  # (54, 3) pairs of ends
        xy = _oblique(seg)  # (54, 2)
        self.grid3.setData(xy[:, 0], xy[:, 1], pen=colors.pen(muted, 1.0))
        c2 = _oblique(self._centres3)  # (8, 2)
        for k, item in enumerate(self.orange3):
            set_circle(item, float(c2[k, 0]), float(c2[k, 1]), 0.5)
            front = k >= 4
            item.setBrush(colors.brush(ORANGE, 90 if front else 200))
            item.setPen(colors.pen(ORANGE, lw))
        set_circle(self.blue3, 0, 0, geometry.inner_ball_radius(3))
        self.blue3.setBrush(colors.brush(blue, 230))
        self.blue3.setPen(colors.pen(blue, lw))
        d3 = _oblique(np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]))  # (2, 2)
        self.diag3.setData(d3[:, 0], d3[:, 1], pen=colors.pen(fg, lw, style="dash"))
        self.diag3_text.setText("√3", color=fg)
        self.diag3_text.setPos(float(d3.mean(axis=0)[0]), float(d3.mean(axis=0)[1]))
        self.set_label(self.pic_titles[1], f"D = 3: blue Ø √3 − 1 = "
                       f"{2 * geometry.inner_ball_radius(3):.3f}")

    def _draw_static_curves(self) -> None:
        fg, muted, blue = self.fg, self.theme.muted, self.blue()
        x = gs.d_grid(1.2, gs.D_MAX)  # (400,) the blue radius is 0 at D = 1
        self.r_corner.setData(x, 2 * geometry.corner_distance(x), pen=colors.pen(fg, self.lw))
        self.r_faces.setData(x, np.ones_like(x), pen=colors.pen(muted, self.lw, style="dash"))
        self.r_orange.setData(x, np.full_like(x, 0.5), pen=colors.pen(ORANGE, self.lw))
        self.r_blue.setData(x, geometry.inner_ball_radius(x), pen=colors.pen(blue, self.lw + 1))
        for line, item, d in zip(self.thr_lines, self.thr_text, THRESHOLDS, strict=True):
            line.setPos(math.log10(d))
            line.setPen(colors.pen(muted, 1.0, style="dash"))
            item.setText(f"D = {d}", color=fg)
            item.setPos(math.log10(d), math.log10(150))
        glyph = "<span style='color:{}'>━━</span>"
        self.set_label(self.keys, (
            f"distances: {glyph.format(fg)} box corners √D &nbsp; {glyph.format(blue)} blue ball "
            f"(√D − 1)/2 &nbsp; {glyph.format(ORANGE)} the orange balls' radius 1/2 (a size, "
            f"not a distance from the centre) &nbsp; "
            f"<span style='color:{muted}'>- - -</span> box faces 1 &nbsp; "
            f"<span style='color:{VERMILLION}'>●</span> slider D"))
        self.set_label(self.radius_title, "distances from the centre of the side-2 box "
                       "(and, for scale, the orange balls' radius)")
        axis_label(self.radius_plot, "bottom", "dimension D")
        xs = gs.d_grid(1.5, gs.D_MAX)  # (400,) the share is 1 at D = 1
        self.share_curve.setData(xs, -geometry.log10_inscribed_ball_fraction(xs),
                                 pen=colors.pen(blue, self.lw + 0.5))
        marks = np.array([2.0, 3.0])
        ys = -geometry.log10_inscribed_ball_fraction(marks)
        self.share_marks.setData(np.log10(marks), np.log10(ys), brush=colors.brush(blue),
                                 pen=colors.pen(fg, 1.0))
        set_html(self.share_text,
                      f"<div style='color:{fg}; font-size:{self.font()}; text-align:right'>"
                      f"● 2-D: π/4 = {pct(geometry.inscribed_ball_fraction(2))}<br>"
                      f"● 3-D: π/6 = {pct(geometry.inscribed_ball_fraction(3))}</div>")
        self.share_text.setPos(math.log10(gs.D_MAX), math.log10(0.05))
        self.set_label(self.share_title, "share of a unit cube inside its inscribed ball")
        axis_label(self.share_plot, "bottom", "dimension D")

    # -- introspection for tests ----------------------------------------------------------------
    def blue_radii(self) -> dict:
        """Radius of the drawn blue ball in each picture: {2: ..., 3: ..., "D": ...}."""
        return {2: self.blue2.rect().width() / 2, 3: self.blue3.rect().width() / 2,
                "D": self.blueD.rect().width() / 2}

    def spike_radii(self) -> np.ndarray:
        """Distances from the centre of the sketch's star vertices (valleys and tips)."""
        x, y = self.star.getData()
        return np.hypot(x, y)

    def share_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(D, log10 share) of the share curve (the item holds -log10(share))."""
        return np.asarray(self.share_curve.xData), -np.asarray(self.share_curve.yData)

    def radius_data(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.r_blue.xData), np.asarray(self.r_blue.yData)

