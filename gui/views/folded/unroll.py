"""The folded view's unroll mode: the recurrent connections h(1) -> h(2) -> ... as a stack of
dense layers whose every gap is the one W (its strongest entries, the same lines in every gap,
coloured by the entry), the one W drawn once beside the stack as an H x H image, and the norm of
the product of n factors against n beside rho(W)^n. Numbers from
gui/model/present/unrolled_chain.py; this module only draws them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ... import colors
from ...graphics.axes import NumberLogAxis, style_axes
from ...graphics.labels import pt, set_label
from ...graphics.plots import axis_label, curve, titled_plot
from ...model.present import unrolled_chain as uc
from ...model.present.numbers import fmt

#: colour bins of the connections (one PlotCurveItem each)
N_BINS = 11
DY = 1.0  # layer spacing (view units)
HALF = 1.5  # a layer spans x in [-HALF, HALF]
IMG_X, IMG_W = 5.4, 3.0  # where the one W is drawn, and its width
PLOT_WIDTH = 420  # px: the norm plot's least width
SCATTER_MAX = 16  # up to this many units a layer is a row of circles, beyond a row of cells


class PowerLogAxis(NumberLogAxis):
    """A log axis labelled 1, 0.1, 0.01 near 1 and 10⁻⁵, 10⁻¹² further out (a vanishing
    product reaches far below 0.0001)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        out = super().tickStrings(values, scale, spacing)
        if not self.logMode:
            return out
        for i, v in enumerate(values):
            if not out[i] and abs(v - round(v)) < 1e-6:
                out[i] = f"10{_superscript(round(v))}"
        return out


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def unit_x(H: int) -> np.ndarray:
    """(H,) x of a layer's units."""
    return np.zeros(1) if H == 1 else np.linspace(-HALF, HALF, H)


class UnrollDrawing:
    """The items of the unroll mode, built once in ``vb`` (the folded view's diagram) and in a
    plot added to ``layout`` at (``row``, ``col``)."""

    def __init__(self, vb: pg.ViewBox, layout: pg.GraphicsLayout, row: int, col: int):
        for _ in self._parts(vb, layout, row, col):
            pass

    def _parts(self, vb, layout, row, col):
        """Build the items, yielding between groups (see gui.views.base.build_in_parts)."""
        self.vb = vb
        self.edges = []
        for _ in range(N_BINS):
            item = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
            item.setZValue(1)
            vb.addItem(item)
            self.edges.append(item)
        self.fold_line = pg.PlotCurveItem(connect="pairs")
        vb.addItem(self.fold_line)
        self.nodes = pg.ScatterPlotItem(pxMode=True)  # H <= SCATTER_MAX: one circle per unit
        self.nodes.setZValue(3)
        vb.addItem(self.nodes)
        yield
        self.rows = []  # larger H: one image row of H cells per drawn layer (one setImage)
        for _ in range(uc.MAX_LAYERS):
            item = pg.ImageItem()
            item.setZValue(3)
            vb.addItem(item)
            self.rows.append(item)
        self.cursor_box = QtWidgets.QGraphicsRectItem()
        self.cursor_box.setZValue(2)
        vb.addItem(self.cursor_box)
        self.direction = QtWidgets.QGraphicsPathItem()
        vb.addItem(self.direction)
        self.image = pg.ImageItem()
        self.image.setZValue(1)
        vb.addItem(self.image)
        self.image_frame = QtWidgets.QGraphicsRectItem()
        self.image_frame.setZValue(2)
        vb.addItem(self.image_frame)
        yield
        self.layer_texts: list[pg.TextItem] = []
        self.norm_texts: list[pg.TextItem] = []
        self.gap_texts: list[pg.TextItem] = []
        for _ in range(uc.MAX_LAYERS):
            for store, anchor in ((self.layer_texts, (1, 0.5)), (self.norm_texts, (0, 0.5)),
                                  (self.gap_texts, (0, 0.5))):
                item = pg.TextItem(anchor=anchor)
                vb.addItem(item)
                store.append(item)
        self.texts = {k: pg.TextItem(anchor=a) for k, a in
                      (("fold", (0, 0.5)), ("w_title", (0.5, 1)), ("w_scale", (0.5, 0)),
                       ("direction", (0, 0)))}
        for item in self.texts.values():
            vb.addItem(item)
        yield
        self.plot, self.plot_title = titled_plot(layout, row, col, log_y=True,
                                                 left_axis=PowerLogAxis("left"))
        self.plot_box = self.plot.parentItem()  # the sub-layout holding title and plot
        self.legend = self.plot.addLegend(offset=(-6, 6))
        self.norm_curve = curve(self.plot, name="‖product of n factors‖")
        self.rho_curve = curve(self.plot, name="ρ(W)ⁿ: W alone, no g′")
        self.marker = pg.ScatterPlotItem(pxMode=True, size=13)
        self.marker.setZValue(5)
        self.plot.addItem(self.marker)
        self.legend.addItem(self.marker, "the cursor's n")
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False)
        self.plot.addItem(self.cursor_line)
        self.gap_edges: list[np.ndarray] = []  # (E, 3) (i, j, w) drawn in each gap, for tests
        self.node_levels = np.zeros((0, 0), dtype=np.int64)  # (L', H) colour levels drawn
        self._edge_key = self._matrix_key = self._curve_key = None  # what is drawn already
        self._items = ([*self.edges, self.fold_line, self.nodes, *self.rows, self.cursor_box,
                        self.direction,
                        self.image, self.image_frame, *self.layer_texts, *self.norm_texts,
                        *self.gap_texts, *self.texts.values()])

    def restyle(self, theme) -> None:
        """Axes and legend in ``theme``'s colours."""
        style_axes(self.plot, theme)
        self.legend.setLabelTextColor(theme.foreground)
        for _, label in self.legend.items:  # setLabelTextColor leaves rendered labels as they are
            label.setText(label.text, color=theme.foreground)

    def set_visible(self, on: bool) -> None:
        for item in self._items:
            item.setVisible(on)
        self.plot_box.setVisible(on)
        # a hidden plot gives its column back to the folded block
        self.plot_box.setMinimumWidth(PLOT_WIDTH if on else 0)
        self.plot_box.setMaximumWidth(10_000 if on else 0)

    # -- drawing ----------------------------------------------------------------------------
    def draw(self, chain: uc.UnrolledChain, curve_data, note: str, theme,
             compact: bool = False, width: float = 0.0) -> tuple:
        """Draw ``chain`` and its norm curve (``curve_data``: a ChainCurve, or None with
        ``note`` saying why: computing, failed or cancelled); ``compact`` (a small figure, a
        slide, ``width`` px wide) leaves out the per-layer norms and draws W closer; returns the
        (x, y) range the diagram needs."""
        fg = theme.foreground
        # compact: leaves the colour bars under the diagram their width (a slide is 800 px wide)
        self.plot_box.setMinimumWidth(0.38 * width if compact else PLOT_WIDTH)
        L, H = len(chain.layers), chain.W.shape[0]
        xs = unit_x(H)
        ys = np.arange(L) * DY  # (L,) the layers, bottom to top
        self._draw_nodes(chain, xs, ys, theme, compact)
        key = (L, chain.layers.index(None) if None in chain.layers else -1)
        if self._edge_key is None or self._edge_key[0] is not chain.W or \
                self._edge_key[1:] != key:
            self._edge_key = (chain.W, *key)  # the lines change only with W and the gaps drawn
            self._draw_edges(chain, xs, ys, theme)
        for r in range(uc.MAX_LAYERS):
            lt, nt, gt = self.layer_texts[r], self.norm_texts[r], self.gap_texts[r]
            on = r < L and chain.layers[r] is not None
            lt.setVisible(on)
            nt.setVisible(on and not compact)
            if on:
                m = chain.layers[r]
                set_label(lt, f"h({m})", color=fg)
                lt.setPos(-HALF - 0.25, ys[r])
                what = (f"‖∂J({chain.source})/∂h({m})‖" if chain.source is not None
                        else f"‖δh({m})‖") if chain.direction == "backward" else f"‖h({m})‖"
                set_label(nt, f"{what} = {fmt(chain.layer_norms[r])}", color=theme.muted)
                nt.setPos(HALF + 0.25, ys[r])
            label = chain.gap_labels[r] if r < L - 1 else ""
            gt.setVisible(bool(label))
            if label:
                set_label(gt, label, color=theme.recurrent)
                gt.setPos(HALF + 0.25, ys[r] + DY / 2)
        fold = self.texts["fold"]
        fold.setVisible(bool(chain.fold_label))
        if chain.fold_label:
            r = chain.layers.index(None)
            set_label(fold, uc.fold_label(chain.layers, compact), color=theme.recurrent)
            fold.setPos(0.2, ys[r])
            self.fold_line.setData([0, 0], [ys[r - 1] + 0.25, ys[r + 1] - 0.25],
                                   pen=colors.pen(theme.recurrent, 2.0, style="dash"))
        else:
            self.fold_line.setData([], [])
        self._draw_direction(chain, ys, theme)
        x0 = HALF + 3.7 if compact else IMG_X
        self._draw_matrix(chain, ys, theme, x0, compact)
        self._draw_curve(chain, curve_data, note, theme, compact)
        top = ys[-1] if L else 0.0
        return (-HALF - 1.7, x0 + IMG_W + 0.4), (-0.9, max(top, 3.2) + 0.8)

    def _draw_nodes(self, chain, xs, ys, theme, compact: bool) -> None:
        L, H = len(chain.layers), len(xs)
        drawn = [r for r in range(L) if chain.layers[r] is not None]
        levels = colors.signed_index(chain.values[drawn], chain.value_max)  # (L', H)
        self.node_levels = levels
        if H <= SCATTER_MAX:
            pos = np.stack([np.tile(xs, len(drawn)), np.repeat(ys[drawn], H)], axis=1)  # (L'H, 2)
            table = colors.brushes("diverging")
            size = 20 if H <= 8 else 14
            self.nodes.setData(pos=pos, brush=[table[i] for i in levels.ravel()],
                               size=int(size * 0.8) if compact else size,
                               pen=colors.pen(theme.muted))
            for item in self.rows:
                if item.isVisible():
                    item.setVisible(False)
        else:
            if len(self.nodes.data):
                self.nodes.setData([], [])
            step = 2 * HALF / (H - 1)
            rgb = colors.TABLES["diverging"][np.minimum(levels, colors.NONFINITE)]  # (L', H, 3)
            for k, item in enumerate(self.rows):
                if item.isVisible() != (k < len(drawn)):
                    item.setVisible(k < len(drawn))
                if k < len(drawn):
                    item.setImage(np.ascontiguousarray(rgb[k][:, None, :]), levels=(0, 255))
                    item.setRect(-HALF - step / 2, ys[drawn[k]] - 0.16, 2 * HALF + step, 0.32)
        r = chain.layers.index(chain.cursor_step)
        self.cursor_box.setRect(QtCore.QRectF(-HALF - 0.15, ys[r] - 0.28, 2 * HALF + 0.3, 0.56))
        self.cursor_box.setPen(colors.pen(theme.highlight, 2.0, style="dash"))

    def _draw_edges(self, chain, xs, ys, theme) -> None:
        """The strongest entries of W in every gap between two drawn layers: unit j of the
        lower layer to unit i of the upper one, coloured by W[i, j] on W's own scale."""
        e = chain.edges  # (E, 3) i, j, w
        i, j = e[:, 0].astype(int), e[:, 1].astype(int)
        wmax = colors.finite_max(chain.W)
        bins = np.minimum(colors.signed_index(e[:, 2], wmax) * N_BINS // colors.LEVELS,
                          N_BINS - 1)  # (E,)
        gaps = [r for r in range(len(chain.layers) - 1)
                if chain.layers[r] is not None and chain.layers[r + 1] is not None]
        self.gap_edges = [e.copy() for _ in gaps]
        lift = 0.12  # the lines end short of the nodes
        for b, item in enumerate(self.edges):
            sel = bins == b
            n = int(sel.sum()) * len(gaps)
            if n == 0:
                item.setData([], [])
                continue
            x = np.empty(2 * n)
            y = np.empty(2 * n)
            for g, r in enumerate(gaps):
                k = slice(2 * g * int(sel.sum()), 2 * (g + 1) * int(sel.sum()))
                x[k] = np.stack([xs[j[sel]], xs[i[sel]]], axis=1).ravel()  # lower j -> upper i
                y[k] = np.tile([ys[r] + lift, ys[r + 1] - lift], int(sel.sum()))
            level = int((b + 0.5) * colors.LEVELS / N_BINS)
            rgb = tuple(int(c) for c in colors.TABLES["diverging"][level])
            strength = abs(level - colors.LEVELS / 2) / (colors.LEVELS / 2)  # |w| / max|w|
            item.setData(x, y, pen=colors.pen(rgb, 1.5, alpha=int(70 + 185 * strength)))

    def _draw_direction(self, chain, ys, theme) -> None:
        """A long arrow left of the stack: errors travel down, values up."""
        x = -HALF - 1.45
        lo, hi = float(ys[0]), float(ys[-1])
        path = QtGui.QPainterPath()
        if hi > lo:
            down = chain.direction == "backward"
            a, b = (hi, lo) if down else (lo, hi)
            path.moveTo(x, a)
            path.lineTo(x, b)
            s = -1.0 if down else 1.0
            path.moveTo(x - 0.12, b - 0.2 * s)
            path.lineTo(x, b)
            path.lineTo(x + 0.12, b - 0.2 * s)
        self.direction.setPath(path)
        self.direction.setPen(colors.pen(theme.muted, 2.0))
        t = self.texts["direction"]
        set_label(t, "the error travels down" if chain.direction == "backward"
                  else "the values travel up", color=theme.muted)
        t.setPos(x - 0.2, lo - 0.3)

    def _draw_matrix(self, chain, ys, theme, x0: float, compact: bool) -> None:
        """The one W, H x H, on the connections' colour scale: row i (unit i of the upper layer)
        from the top, column j (unit j of the lower layer) from the left."""
        key = (chain.W, float(ys[-1]), theme, x0, compact, chain.rho)
        if self._matrix_key is not None and key[0] is self._matrix_key[0] and \
                key[1:] == self._matrix_key[1:]:
            return
        self._matrix_key = key
        W = chain.W
        H = W.shape[0]
        wmax = colors.finite_max(W)
        rgb = colors.TABLES["diverging"][colors.signed_index(W, wmax)]  # (H, H, 3)
        img = np.ascontiguousarray(np.transpose(rgb[::-1], (1, 0, 2)))  # (x = j, y = i up)
        side = min(IMG_W, max(float(ys[-1] - ys[0]), 2.4) * 0.8)
        y0 = float(ys[0] + ys[-1]) / 2 - side / 2
        self.image.setImage(img, levels=(0, 255))
        self.image.setRect(x0, y0, side, side)
        self.image_frame.setRect(QtCore.QRectF(x0, y0, side, side))
        self.image_frame.setPen(colors.pen(theme.recurrent, 3.0))
        fg = theme.foreground
        set_label(self.texts["w_title"], f"the one W ({H} × {H})" if compact else
                  f"W ({H} × {H}): the one matrix of every gap", color=theme.recurrent)
        self.texts["w_title"].setPos(x0 + side / 2, y0 + side + 0.08)
        set_label(self.texts["w_scale"], f"ρ(W) = {fmt(chain.rho)}" if compact else
                  f"spectral radius ρ(W) = {fmt(chain.rho)}", color=fg)
        self.texts["w_scale"].setPos(x0 + side / 2, y0 - 0.08)

    def _draw_curve(self, chain, data, note: str, theme, compact: bool) -> None:
        fg = theme.foreground
        title = uc.curve_title(chain, compact) if data is not None else note
        set_label(self.plot_title, title, color=fg, size=pt(theme, 10))
        if data is None:
            self._curve_key = None
            self.norm_curve.setData([], [])
            self.rho_curve.setData([], [])
            self.marker.setData([], [])
            return
        shown = chain.n if chain.direction == "forward" else len(data.n) - 1  # no future
        key = (data, theme, shown)
        if self._curve_key is None or key[0] is not self._curve_key[0] or \
                key[1:] != self._curve_key[1:]:
            old = self._curve_key
            restyle = old is None or key[0] is not old[0] or old[1] != theme
            self._curve_key = key  # the curves change with the landed data (and, forward, n)
            self.norm_curve.setData(data.n[: shown + 1], data.norms[: shown + 1],
                                    connect="finite", pen=colors.pen(theme.recurrent, 2.5))
            if restyle:
                self.rho_curve.setData(data.n, data.rho_power, connect="finite",
                                       pen=colors.pen(fg, 1.5, style="dash"))
                self.plot.setXRange(0, max(len(data.n) - 1, 1), padding=0.05)  # the marker fits
                ok = np.isfinite(data.norms)
                falls = ok.sum() > 1 and data.norms[ok][-1] < data.norms[0]
                self.legend.setOffset((6, -6) if falls else (6, 6))  # bottom or top left: empty
                self.cursor_line.setPen(colors.pen(theme.muted, 1.0, style="dash"))
                axis_label(self.plot, "bottom", "n, the number of factors (W in each)")
                axis_label(self.plot, "left", "spectral norm (log)")
                for side in ("bottom", "left"):
                    self.plot.getAxis(side).label.setDefaultTextColor(QtGui.QColor(fg))
        n = min(chain.n, len(data.n) - 1)
        y = data.norms[n]
        self.marker.setData([n] if np.isfinite(y) else [], [np.log10(y)] if np.isfinite(y)
                            else [], brush=colors.brush(theme.recurrent),
                            pen=colors.pen(fg, 1.5))
        self.cursor_line.setPos(n)
