"""Grids against data: b cells per axis make b^D cells, and N samples cannot fill them for long.

Top row: the article's 1-, 2- and 3-D grids (10, 100 and 1,000 cells for b = 10) with the N
samples (uniform in the cube) drawn in them and, for 1-D and 2-D, the cells that hold a sample
shaded. Below: the expected share of empty cells (1 - b^-D)^N against D for the chosen N and b,
the shares sampled by ``sample_empty_cells`` where the grid is small enough to fill, and the D at
which the grid has as many cells as there are samples.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from sim import geometry

from ... import colors
from ...graphics.items import set_html, text_item, vline
from ...graphics.plots import axis_label, curve, titled_plot
from ...model.present import geometry as gs
from .. import register
from ..base import plain_viewbox
from .common import (
    GREEN,
    VERMILLION,
    GeometryView,
    add_label,
    cells_text,
    count,
    pct,
)

X_MAX = 100  #: the empty-share plot runs D = 1..100 (every transition happens well before)
OBLIQUE = (0.5 * math.cos(math.radians(35)), 0.5 * math.sin(math.radians(35)))


def _oblique(xyz: np.ndarray) -> np.ndarray:
    """(n, 2) cabinet projection of (n, 3) points: depth drawn half length up and right."""
    return np.stack([xyz[:, 0] + OBLIQUE[0] * xyz[:, 2],
                     xyz[:, 1] + OBLIQUE[1] * xyz[:, 2]], axis=1)  # (n, 2)


@register
class GridView(GeometryView):
    name = "geometry-grid"
    title = "Grids outgrow the data"
    description = ("N samples in the article's 1-, 2- and 3-D grids of b cells per axis, and the "
                   "share of empty cells (1 − b^−D)^N against D.")
    order = 0

    def build(self) -> None:
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0)
        pics = ci.addLayout(row=1, col=0)
        self.plot, self.plot_title = titled_plot(ci, 2, 0, log_x=True)
        self.keys = add_label(ci, 3, 0)
        self.numbers = add_label(ci, 4, 0)
        ci.layout.setRowStretchFactor(1, 6)
        ci.layout.setRowStretchFactor(2, 5)

        self.pic_titles, self.vbs, self.gridlines, self.points, self.images = [], [], [], [], []
        for col in range(3):
            self.pic_titles.append(add_label(pics, 0, col, justify="center"))
            vb = plain_viewbox(pics, row=1, col=col)
            vb.setAspectLocked(True)
            self.vbs.append(vb)
            img = pg.ImageItem()
            img.setZValue(0)
            vb.addItem(img)
            self.images.append(img)
            lines = pg.PlotCurveItem(connect="pairs")
            lines.setZValue(1)
            vb.addItem(lines)
            self.gridlines.append(lines)
            pts = pg.ScatterPlotItem(size=3, pen=None)
            pts.setZValue(2)
            vb.addItem(pts)
            self.points.append(pts)
        self.note = [text_item(vb, anchor=(0.5, 0.5), z=5) for vb in self.vbs]
        pics.layout.setRowStretchFactor(1, 10)
        self.images[2].setVisible(False)  # 3-D cells are not shaded

        p = self.plot
        p.setXRange(0.0, math.log10(X_MAX), padding=0.02)
        p.setYRange(-0.02, 1.08, padding=0)
        p.getAxis("left").setTicks([[(0.0, "0"), (0.25, "25"), (0.5, "50"), (0.75, "75"),
                                     (1.0, "100 %")], []])
        self.expected = curve(p)
        self.sampled = pg.ScatterPlotItem(size=8, symbol="o")
        self.sampled.setZValue(6)
        p.addItem(self.sampled)
        self.equal_line = vline(p)
        self.equal_text = text_item(p.vb, anchor=(-0.05, 1))
        self.d_line = vline(p)
        self.d_dot = pg.ScatterPlotItem(size=11)
        self.d_dot.setZValue(9)
        p.addItem(self.d_dot)
        self.d_text = text_item(p.vb, anchor=(0, 1))
        self.plot_note = text_item(p.vb, anchor=(1, 1))
        self._cells_drawn = None

    def plots(self) -> list:
        return [self.plot]

    def sample_keys(self, p) -> tuple:
        return (gs.grid_points_key(p), gs.cells_key(p))

    # -- drawing ----------------------------------------------------------------------------
    def paint(self, p) -> None:
        D, N, b = p.D, p.N, p.b
        fg = self.fg
        f_D = geometry.empty_cell_fraction(D, N, b)
        log_cells = float(gs.cells_log10(D, b))
        self.set_label(self.caption, (
            f"<b>Grids outgrow the data</b>: {b} cells per axis make {b}<sup>D</sup> cells; "
            f"at D = {D:,} that is {cells_text(log_cells)} cells for N = {count(N)} samples: "
            + (f"<b>{pct(f_D)}</b> of them stay empty" if f_D < 1.0 else
               f"all but at most {count(N)} of them stay empty")), big=True)
        self._draw_pictures(p)
        self._draw_curve(p)

        lx = math.log10(min(D, X_MAX))
        self.d_line.setPos(lx)
        self.d_line.setPen(colors.pen(VERMILLION, 1.0 if D <= X_MAX else 3.0,
                                      style="solid" if D <= X_MAX else "dash"))
        self.d_dot.setData([lx], [f_D], brush=colors.brush(VERMILLION), pen=colors.pen(fg, 1.0),
                           symbol="o" if D <= X_MAX else "t2")
        where = "" if D <= X_MAX else " (off the axis, →)"
        set_html(self.d_text,
                      f"<div style='color:{VERMILLION}; font-size:{self.font()}; "
                      f"font-weight:bold'>D = {D:,}{where}: {pct(f_D)} empty</div>")
        right = lx > 1.3
        self.d_text.setAnchor((1.03, 1.2) if right else (-0.03, 1.2))
        self.d_text.setPos(lx, 0.35)

        # numbers
        pts = self.sample(gs.grid_points_key(p))
        exp = [geometry.empty_cell_fraction(d, N, b) for d in (1, 2, 3)]
        lines = [
            f"cells b<sup>D</sup>: 1-D {count(b)} · 2-D {count(b**2)} · 3-D {count(b**3)} · "
            f"D = {D:,}: {cells_text(log_cells)}",
            f"expected empty (1 − b<sup>−D</sup>)<sup>N</sup> for N = {count(N)}: "
            + " · ".join(f"{d}-D {pct(e)}" for d, e in zip((1, 2, 3), exp, strict=True))
            + f" · D = {D:,}: {pct(f_D)}",
        ]
        if pts is not None:
            lines.append("the samples drawn: " + " · ".join(
                f"{d}-D {count(b**d - pts.occupied[d])} of {count(b**d)} cells empty "
                f"({pct(1 - pts.occupied[d] / b**d)})" for d in (1, 2, 3)))
        d_eq = gs.cells_equal_samples(N, b)
        lines.append(f"b<sup>D</sup> passes N at D = log N / log b = {d_eq:.2f}: beyond it most "
                     f"cells must stay empty (at most N of b<sup>D</sup> can hold a sample)")
        self.set_numbers(lines)

    def _draw_pictures(self, p) -> None:
        b, N = p.b, p.N
        fg, muted = self.fg, self.theme.muted
        pts = self.sample(gs.grid_points_key(p))
        shade = colors.hex_to_rgb(GREEN)
        ticks = np.arange(b + 1, dtype=float)  # (b + 1,)
        # 1-D: a strip of b cells
        xs = np.concatenate([np.repeat(ticks, 2), [0.0, b, 0.0, b]])
        ys = np.concatenate([np.tile([0.0, 1.0], b + 1), [0.0, 0.0, 1.0, 1.0]])
        self.gridlines[0].setData(xs, ys, pen=colors.pen(fg, 1.0))
        self.vbs[0].setRange(xRange=(-0.3, b + 0.3), yRange=(-1.5, 2.5), padding=0)
        # 2-D: b x b cells
        xs = np.concatenate([np.repeat(ticks, 2), np.tile([0.0, b], b + 1)])
        ys = np.concatenate([np.tile([0.0, b], b + 1), np.repeat(ticks, 2)])
        self.gridlines[1].setData(xs, ys, pen=colors.pen(muted, 1.0))
        self.vbs[1].setRange(xRange=(-0.3, b + 0.3), yRange=(-0.3, b + 0.3), padding=0)
        # 3-D: the cube with its cells marked on three faces
        segs = []
        for t in ticks:  # cell lines on the three back faces, so they do not cover the samples
            segs += [[(t, 0, b), (t, b, b)], [(0, t, b), (b, t, b)],  # back face z = b
                     [(0, t, 0), (0, t, b)], [(0, 0, t), (0, b, t)],  # left face x = 0
                     [(t, 0, 0), (t, 0, b)], [(0, 0, t), (b, 0, t)]]  # floor y = 0
        corners = [(0, 0, 0), (b, 0, 0), (b, b, 0), (0, b, 0)]
        edges = [[corners[i], corners[(i + 1) % 4]] for i in range(4)]  # the front face
        edges += [[(x, y, 0), (x, y, b)] for x, y, _ in corners]  # depth edges
        edges += [[(b, 0, b), (b, b, b)], [(0, b, b), (b, b, b)]]  # the back face's far side
        xy = _oblique(np.array(segs + edges, dtype=float).reshape(-1, 3))  # (2n, 2)
        self.gridlines[2].setData(xy[:, 0], xy[:, 1], pen=colors.pen(muted, 0.8))
        top = _oblique(np.array([[b, b, b]], dtype=float))[0]
        self.vbs[2].setRange(xRange=(-0.3, top[0] + 0.3), yRange=(-0.3, top[1] + 0.3),
                             padding=0)
        shown = min(N, gs.GRID_SHOWN)
        note = "" if shown == N else f" ({count(shown)} drawn)"
        for d in (1, 2, 3):
            title = f"{d}-D: {count(b**d)} cells"
            if pts is not None:
                title += f", {count(b**d - pts.occupied[d])} empty"
            self.set_label(self.pic_titles[d - 1], title + note)
        if pts is None:
            msg = self.sample_note(gs.grid_points_key(p))
            for d in range(3):
                self.points[d].setData([], [])
                self.images[d].clear()
                self.note[d].setText(msg, color=fg)
                self.note[d].setPos(b / 2, b / 2 if d else 0.5)
            return
        for n in self.note:
            n.setText("")
        dot = colors.brush(self.blue(), 170 if N <= 300 else 110)
        x1 = pts.shown[1][:, 0]  # (shown,)
        jitter = 0.15 + 0.7 * ((np.arange(x1.size) * 0.6180339887) % 1.0)  # (shown,) to see them
        self.points[0].setData(x1, jitter, brush=dot)
        self.points[1].setData(pts.shown[2][:, 0], pts.shown[2][:, 1], brush=dot)
        p3 = _oblique(pts.shown[3])  # (shown, 2)
        self.points[2].setData(p3[:, 0], p3[:, 1], brush=dot)
        for d in (1, 2):
            occ = pts.occupancy[d].reshape(b, -1)  # (b, 1) or (b, b): [x, y]
            rgba = np.zeros(occ.shape + (4,), dtype=np.uint8)  # (b, rows, 4)
            rgba[occ] = (*shade, 70)
            self.images[d - 1].setImage(rgba, levels=(0, 255))
            self.images[d - 1].setRect(0, 0, b, 1 if d == 1 else b)

    def _draw_curve(self, p) -> None:
        N, b = p.N, p.b
        fg, muted = self.fg, self.theme.muted
        key = (N, b, self.theme, self.exporting)
        if self._cells_drawn != key:
            self._cells_drawn = key
            x = gs.d_grid(1.0, X_MAX, 300)  # (300,)
            self.expected.setData(x, geometry.empty_cell_fraction(x, N, b),
                                  pen=colors.pen(fg, self.lw + 0.5))
            d_eq = gs.cells_equal_samples(N, b)
            self.equal_line.setPos(math.log10(max(d_eq, 1.0)))
            self.equal_line.setPen(colors.pen(muted, 1.0, style="dash"))
            set_html(self.equal_text,
                          f"<span style='color:{muted}'>b<sup>D</sup> = N at D = "
                          f"{d_eq:.2f}</span>")
            self.equal_text.setPos(math.log10(max(d_eq, 1.0)), 0.12)
            self.set_label(self.plot_title, f"share of the {b}<sup>D</sup> cells left empty by "
                           f"N = {count(N)} samples")
            axis_label(self.plot, "bottom", "dimension D")
        cells = self.sample(gs.cells_key(p))
        if cells is None:
            self.sampled.setData([], [])
            self.plot_note.setText(self.sample_note(gs.cells_key(p)), color=muted)
        else:
            self.sampled.setData(np.log10(cells.dims), cells.empty, brush=colors.brush(GREEN),
                                 pen=colors.pen(fg, 1.0))
            self.plot_note.setText("")
        self.plot_note.setPos(math.log10(X_MAX), 0.3)
        glyph = "<span style='color:{}'>{}</span>"
        self.set_label(self.keys, (
            f"{glyph.format(fg, '━━')} expected (1 − b<sup>−D</sup>)<sup>N</sup> &nbsp; "
            f"{glyph.format(GREEN, '●')} sampled: N samples dropped into the b<sup>D</sup> cells "
            f"(D with b<sup>D</sup> ≤ {count(geometry.MAX_CELLS)}) &nbsp; "
            f"{glyph.format(muted, '- - -')} b<sup>D</sup> = N &nbsp; "
            f"{glyph.format(VERMILLION, '●')} slider D &nbsp; "
            f"pictures: {glyph.format(self.blue(), '●')} samples, "
            f"{glyph.format(GREEN, '■')} cells holding one"))

    # -- introspection for tests ----------------------------------------------------------------
    def expected_data(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.expected.xData), np.asarray(self.expected.yData)

    def sampled_data(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.sampled.getData()
        return 10.0 ** np.asarray(x), np.asarray(y)

    def drawn_points(self, d: int) -> np.ndarray:
        """(n, 2) positions of the samples drawn in the d-D picture (1-D: y is the spread)."""
        x, y = self.points[d - 1].getData()
        return np.stack([x, y], axis=1)

    def shaded_cells(self, d: int) -> np.ndarray:
        """Bool array of the shaded (occupied) cells of the 1- or 2-D picture."""
        img = self.images[d - 1].image
        return np.zeros(0, bool) if img is None else img[..., 3] > 0
