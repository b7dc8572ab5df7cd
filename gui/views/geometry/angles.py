"""Pac-Man walking: random directions in high dimensions are nearly orthogonal.

One histogram per D of the angle between random pairs of vectors (the article's 2, 3, 50 and 100,
10,000 pairs each, entries uniform in [-1, 1]; the slider's D joins them), each with the exact
density for isotropic directions, proportional to sin^(D-2)(theta), drawn over it. The last panel
shows the spread against D: the exact sd, its large-D form (180/pi)/sqrt(D) and each histogram's
sampled sd.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from sim import geometry

from ... import colors
from ...graphics.items import set_html, text_item, vline
from ...graphics.plots import axis_label, curve, make_plot
from ...model.present import geometry as gs
from .. import register
from .common import (
    DIM_HEX,
    VERMILLION,
    GeometryView,
    add_label,
    count,
    d_range,
)

PANELS = gs.MAX_ANGLE_DIMS + 1  #: the list's D plus the slider's
SAMPLER_TEXT = {"cube": "entries uniform in [−1, 1] (the article's)",
                "ball": "uniform in the unit D-ball", "gaussian": "isotropic Gaussian"}


class _Panel:
    """One histogram: a title above a plot with the bars and the exact density."""

    def __init__(self, owner: AnglesView):
        self.layout = pg.GraphicsLayout()
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.layout.setSpacing(0)
        self.title = add_label(self.layout, 0, 0, justify="center")
        self.plot = make_plot(self.layout, 1, 0)
        self.layout.layout.setRowStretchFactor(1, 10)
        self.plot.setXRange(0, 180, padding=0.01)
        self.plot.getAxis("bottom").setTicks([[(0, "0°"), (45, "45"), (90, "90°"), (135, "135"),
                                               (180, "180°")], []])
        self.bars = pg.PlotCurveItem(x=[0.0, 1.0], y=[0.0], stepMode="center", fillLevel=0.0)
        self.plot.addItem(self.bars)
        self.density = pg.PlotCurveItem()
        self.density.setZValue(5)
        self.plot.addItem(self.density)
        self.note = text_item(self.plot.vb, anchor=(0.5, 0.5))
        self.D: int | None = None


@register
class AnglesView(GeometryView):
    name = "geometry-angles"
    title = "Pac-Man walking: random angles crowd at 90°"
    description = ("Histograms of the angle between random vector pairs for several D, with the "
                   "exact density ∝ sin^(D−2)θ, and the spread shrinking like (180/π)/√D.")
    order = 2

    def build(self) -> None:
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0)
        self.grid = ci.addLayout(row=1, col=0)
        self.keys = add_label(ci, 2, 0)
        self.numbers = add_label(ci, 3, 0)
        ci.layout.setRowStretchFactor(1, 10)
        self.panels = [_Panel(self) for _ in range(PANELS)]
        for panel in self.panels:
            panel.layout.setVisible(False)
        # the spread against D
        self.sd_layout = pg.GraphicsLayout()
        self.sd_layout.setContentsMargins(0, 0, 0, 0)
        self.sd_layout.setSpacing(0)
        self.sd_title = add_label(self.sd_layout, 0, 0, justify="center")
        self.sd_plot = make_plot(self.sd_layout, 1, 0, log_x=True, log_y=True)
        self.sd_layout.layout.setRowStretchFactor(1, 10)
        d_range(self.sd_plot)
        self.sd_plot.setYRange(math.log10(0.3), math.log10(120), padding=0.02)
        self.sd_exact = curve(self.sd_plot)
        self.sd_asym = curve(self.sd_plot)
        self.sd_dots = pg.ScatterPlotItem(size=9)
        self.sd_dots.setZValue(8)
        self.sd_plot.addItem(self.sd_dots)
        self.sd_line = vline(self.sd_plot)
        self.sd_text = text_item(self.sd_plot.vb, anchor=(0, 0))
        self._arrangement = None
        self._static = None

    def plots(self) -> list:
        return [p.plot for p in self.panels] + [self.sd_plot]

    def dims(self, p) -> list[int]:
        """The histograms' D in panel order: the article's list, then the slider's D."""
        return list(p.angle_dims) + ([p.D] if p.D not in p.angle_dims else [])

    def sample_keys(self, p) -> tuple:
        return (*gs.angle_keys(p), gs.SdCurveKey())

    def _arrange(self, n: int) -> None:
        """Put n histogram panels and the spread plot in rows of three (four for seven)."""
        if self._arrangement == n:
            return
        self._arrangement = n
        for item in list(self.grid.items):
            self.grid.removeItem(item)
        cols = 3 if n <= 5 else 4
        for k, panel in enumerate(self.panels):
            panel.layout.setVisible(k < n)
            if k < n:
                self.grid.addItem(panel.layout, row=k // cols, col=k % cols)
        row, col = divmod(n, cols)
        self.grid.addItem(self.sd_layout, row=row, col=col, colspan=cols - col)
        for c in range(cols):
            self.grid.layout.setColumnStretchFactor(c, 1)

    # -- drawing ----------------------------------------------------------------------------
    def paint(self, p) -> None:
        fg, muted = self.fg, self.theme.muted
        dims = self.dims(p)
        self._arrange(len(dims))
        sd_D = gs.exact_angle_sd(p.D)
        self.set_label(self.caption, (
            f"<b>Pac-Man walking</b>: the angle between two random vectors in D = {p.D:,} "
            f"dimensions is 90° ± <b>{sd_D:#.3g}°</b> (exact sd); {count(p.n_pairs)} pairs per "
            f"histogram"), big=True)
        sampled = []
        for k, panel in enumerate(self.panels[: len(dims)]):
            D = dims[k]
            key = gs.AnglesKey(D, p.n_pairs, p.sampler, p.seed)
            hue = VERMILLION if D == p.D else DIM_HEX[k % len(DIM_HEX)]
            h = self.sample(key)
            exact_sd = gs.exact_angle_sd(D)
            slider = " (slider)" if D == p.D else ""
            if h is None:
                panel.bars.setData([0.0, 1.0], [0.0], pen=None, brush=None)
                panel.note.setText(self.sample_note(key), color=muted)
                panel.note.setPos(90, 0.5 * self._ymax(D, None))
                head = f"D = {D:,}{slider}: exact sd {exact_sd:#.3g}°"
            else:
                panel.bars.setData(h.edges, h.heights, pen=colors.pen(hue, 1.0),
                                   brush=colors.brush(hue, 110))
                panel.note.setText("")
                head = (f"D = {D:,}{slider}: sd {h.sd:#.3g}° (exact {exact_sd:#.3g}°), "
                        f"mean {h.mean:.1f}°")
                sampled.append((D, h.sd, hue))
            if D >= 2:
                theta = self._theta(D)
                panel.density.setData(theta, geometry.angle_density(theta, D),
                                      pen=colors.pen(fg, self.lw))
            else:
                panel.density.setData([], [])
                panel.note.setText("1-D: only 0° or 180°", color=fg)
                panel.note.setPos(90, 0.5 * self._ymax(D, h))
            self.set_yrange(panel.plot, 0, self._ymax(D, h))
            self.set_label(panel.title, f"<span style='color:{hue}'>■</span> {head}")
            panel.D = D
        for panel in self.panels[len(dims):]:
            panel.D = None

        # the spread against D
        exact = self.sample(gs.SdCurveKey())  # ~60 ms of integration: a job
        key = (self.theme, self.exporting, exact is not None)
        if self._static != key:
            self._static = key
            if exact is None:
                self.sd_exact.setData([], [])
            else:
                D_sd, sd = exact
                self.sd_exact.setData(D_sd, sd, pen=colors.pen(fg, self.lw))
            x = gs.d_grid()
            self.sd_asym.setData(x, geometry.angle_sd_asymptotic(x),
                                 pen=colors.pen(muted, self.lw, style="dash"))
            self.set_label(self.sd_title, "spread of the angle (sd, degrees) against D")
            axis_label(self.sd_plot, "bottom", "dimension D")
        if sampled:
            xs = np.log10([s[0] for s in sampled])
            ys = np.log10([max(s[1], 1e-3) for s in sampled])
            self.sd_dots.setData(xs, ys, brush=[colors.brush(s[2]) for s in sampled],
                                 pen=colors.pen(fg, 1.0))
        else:
            self.sd_dots.setData([], [])
        self.sd_line.setPos(math.log10(p.D))
        self.sd_line.setPen(colors.pen(VERMILLION, 1.0))
        set_html(self.sd_text,
                      f"<div style='color:{VERMILLION}; font-size:{self.font()}'>"
                      f"D = {p.D:,}: {sd_D:#.3g}°<br>(180/π)/√D = "
                      f"{geometry.angle_sd_asymptotic(p.D):.3g}°</div>")
        right = p.D > 60
        self.sd_text.setAnchor((1.05, 1.05) if right else (-0.05, 1.05))
        self.sd_text.setPos(math.log10(p.D), math.log10(0.35))

        glyph = "<span style='color:{}'>{}</span>"
        self.set_label(self.keys, (
            f"bars: sampled angles (density per degree) &nbsp; {glyph.format(fg, '━━')} exact "
            f"density for isotropic directions ∝ sin<sup>D−2</sup>θ &nbsp; "
            f"{glyph.format(muted, '- - -')} (180/π)/√D &nbsp; "
            f"{glyph.format(VERMILLION, '■')} slider D"))
        lines = [
            f"vectors: {SAMPLER_TEXT[p.sampler]}; seed {p.seed}"
            + (" — the exact density is for isotropic directions, which the cube's vectors "
               "only approach as D grows" if p.sampler == "cube" else ""),
            f"exact sd: 2-D {gs.exact_angle_sd(2):.2f}° (uniform) · 3-D "
            f"{gs.exact_angle_sd(3):.2f}° · 50-D {gs.exact_angle_sd(50):.2f}° · 100-D "
            f"{gs.exact_angle_sd(100):.2f}° · D = {p.D:,}: {sd_D:#.3g}° — most pairs are nearly "
            f"orthogonal, so you can only turn like Pac-Man",
        ]
        self.set_numbers(lines)

    @staticmethod
    def _theta(D: int) -> np.ndarray:
        """Angles (degrees) to draw the density at: fine where the peak is."""
        e = gs.angle_edges(D)
        return np.unique(np.concatenate([np.linspace(0, 180, 721),
                                         np.linspace(e[0], e[-1], 241)]))  # (<= 962,)

    @staticmethod
    def _ymax(D: int, h) -> float:
        peak = 0.26 if D == 1 else geometry.angle_density(90.0, D)
        if h is not None:
            peak = max(peak, float(h.heights.max()))
        return 1.15 * peak

    # -- introspection for tests ----------------------------------------------------------------
    def panel_dims(self) -> list[int]:
        return [p.D for p in self.panels if p.D is not None]

    def histogram(self, D: int) -> tuple[np.ndarray, np.ndarray]:
        """(edges, heights) drawn in the panel of D."""
        panel = next(p for p in self.panels if p.D == D)
        return np.asarray(panel.bars.xData), np.asarray(panel.bars.yData)

    def density(self, D: int) -> tuple[np.ndarray, np.ndarray]:
        panel = next(p for p in self.panels if p.D == D)
        return np.asarray(panel.density.xData), np.asarray(panel.density.yData)

    def sd_points(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.sd_dots.getData()
        return 10.0 ** np.asarray(x), 10.0 ** np.asarray(y)
