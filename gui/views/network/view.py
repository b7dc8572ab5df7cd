"""The unfolded network: one column per time step, values forward, errors backward.

Where things go is gui/model/present/unfolded_layout.py; which connections, unfolded_edges.py;
the words, unfolded_text.py. This module builds the plot items once and sets their data per
frame. Backward, each loss J(s) owns a lane in a band of its own above the state stacks: its
error comes down into the column h(s) (the whole column: the arrow ends on its outline) and
travels back along the lane, one arrow per step it reaches, as wide as ||dJ(s)/dh(t)||, the norm
over all units. Coloured by source J(s), by the per-step gradient that needs it (the article's
figure) or by magnitude. Long sequences (T >= 40) show only the arrows into the cursor's column
and a heat map of every error norm; large networks draw their stacks as cell images.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ... import colors
from ...graphics.arrows import EdgeLayer
from ...graphics.cells import CellImage
from ...graphics.colorbar import ColorBar
from ...graphics.labels import add_label, pt, set_label
from ...graphics.norm_map import NormMap
from ...model.present import unfolded_edges as edges
from ...model.present import unfolded_hover as hover
from ...model.present import unfolded_text as words
from ...model.present.arrows import error_arrows
from ...model.present.characters import column_text
from ...model.present.numbers import fmt
from ...model.present.unfolded_layout import (
    STATE_NODE,
    Y_HAT,
    Y_J,
    Y_OUT,
    Y_X,
    A,
    C,
    J,
    X,
    article_steps,
    error_segments,
    gradient_step_arrows,
    layout_for,
    long_segments,
    overview_arrows,
)
from ...model.present.unfolded_values import active_steps, node_levels, stack_image_levels
from .. import register
from ..base import View

ALPHAS = (50, 100, 160, 230)  # weight edges, by |w| quartile of the strongest
WIDTHS = (1.0, 2.0, 3.0, 4.5)  # error arrows, by log |delta|
FAINT = 99  # style code of weight edges not yet reached
COLOR_MODES = (("source J(s)", "source"), ("gradient step (the article's)", "step"),
               ("magnitude", "magnitude"))
GATE_NAMES = {"z": "block input", "i": "input gate", "f": "forget gate", "o": "output gate"}


@register
class NetworkView(View):
    name = "network"
    title = "Unfolded network"
    tabs = ("Unfolded",)
    order = 0
    stretch = 3
    description = ("The RNN unfolded through time: values flow up and right; errors from each "
                   "loss J(s) flow back in J(s)'s colour.")

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        ci = self.add_canvas(self._build_controls())
        plot = ci.addLayout(row=1, col=0)
        self.vb = pg.ViewBox(enableMouse=False, enableMenu=False)
        self.left_axis = pg.AxisItem("left", linkView=self.vb)
        self.bottom_axis = pg.AxisItem("bottom", linkView=self.vb)
        plot.addItem(self.left_axis, row=0, col=0)
        plot.addItem(self.vb, row=0, col=1)
        plot.addItem(self.bottom_axis, row=1, col=1)
        plot.layout.setColumnStretchFactor(1, 4)
        self.bottom_axis.setLabel("time step t")
        self.norm_map = NormMap(plot, row=0, col=2)
        plot.layout.setColumnStretchFactor(2, 1)
        self.norm_map.set_visible(False)
        legend = ci.addLayout(row=2, col=0)
        self.value_bar = ColorBar(legend, row=0, col=0)
        self.error_bar = ColorBar(legend, row=0, col=1)
        self.sources = add_label(legend, 0, 2)
        legend.layout.setColumnStretchFactor(2, 1)
        ci.layout.setRowStretchFactor(1, 10)
        self.boxes = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        self.boxes.setZValue(0)
        self.vb.addItem(self.boxes, ignoreBounds=True)
        self.frames = EdgeLayer(self.vb, z=0.5, head_px=0)  # coloured frames of gradient steps
        self.weights = EdgeLayer(self.vb, z=1, head_px=6)
        self.highway = EdgeLayer(self.vb, z=1.5, head_px=6)
        self.current = EdgeLayer(self.vb, z=2, head_px=7)
        self.errors = EdgeLayer(self.vb, z=4, head_px=8)
        self.nodes = pg.ScatterPlotItem(pxMode=True, size=10)
        self.nodes.setZValue(5)  # above the error arrows that pass the ŷ row
        self.vb.addItem(self.nodes)
        self.cells: dict = {}
        self.char_items: list[pg.TextItem] = []
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.lay = None
        self._key = None  # (layout, result) the static geometry belongs to
        self._arrow_table = np.zeros((0, 3))  # (n, 3): s, t, ||delta|| of drawn error arrows
        self._arrow_bundle = 1
        self._export = False
        self._node_key = None
        self._brush_ids = None
        self._drawn_codes = np.zeros(0, dtype=int)
        self.steps: tuple = ()
        self.chars = None
        self.hover_text = ""

    # -- controls (screen only: the figure is the canvas) -------------------------------------
    def _build_controls(self) -> QtWidgets.QHBoxLayout:
        self.color_box = QtWidgets.QComboBox()
        for label, value in COLOR_MODES:
            self.color_box.addItem(label, value)
        self.color_box.setToolTip("Colour the error arrows by the loss J(s) they come from, by "
                                  "the per-step gradient (∂J/∂θ)⁽ᵏ⁾ that needs them (the "
                                  "simple-RNN article's figure), or by their size (M cycles)")
        self.color_box.activated.connect(self._on_color_chosen)
        self.split_box = QtWidgets.QCheckBox("a(t) and h(t) as two layers")
        self.split_box.setToolTip("Draw the middle layer as a(t) = b + W h(t−1) + U x(t) and "
                                  "h(t) = g(a(t)), as the simple-RNN article's figure does")
        self.split_box.toggled.connect(self._on_split_toggled)
        self.gate_box = QtWidgets.QComboBox()
        for g in "zifo":
            self.gate_box.addItem(f"W_{g}, R_{g} ({GATE_NAMES[g]})", g)
        self.gate_box.setToolTip("The LSTM has four input and four recurrent matrices, one per "
                                 "gate; the connections drawn are those of one of them")
        self.gate_box.activated.connect(self._on_gate_chosen)
        self.gate_label = QtWidgets.QLabel("connections:")
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        head.addWidget(QtWidgets.QLabel("Colour errors by"))
        head.addWidget(self.color_box)
        head.addSpacing(12)
        head.addWidget(self.split_box)
        head.addWidget(self.gate_label)
        head.addWidget(self.gate_box)
        head.addStretch(1)
        return head

    def _on_color_chosen(self, index: int) -> None:
        if self.app is not None:
            self.app.set_options("network", color_by=self.color_box.itemData(index))

    def _on_split_toggled(self, on: bool) -> None:
        if self.app is not None:
            self.app.set_options("network", split=bool(on))

    def _on_gate_chosen(self, index: int) -> None:
        if self.app is not None:
            self.app.set_options("network", gate=self.gate_box.itemData(index))

    def _sync_controls(self, frame) -> None:
        opts, kind = frame.options["network"], frame.result.kind
        for w in (self.color_box, self.split_box, self.gate_box):
            w.blockSignals(True)
        self.color_box.setCurrentIndex(self.color_box.findData(frame.options["network"].color_by))
        self.split_box.setChecked(opts.split)
        self.gate_box.setCurrentIndex(self.gate_box.findData(opts.gate))
        for w in (self.color_box, self.split_box, self.gate_box):
            w.blockSignals(False)
        self.split_box.setVisible(kind == "SimpleRNN")
        self.gate_box.setVisible(kind == "LSTM")
        self.gate_label.setVisible(kind == "LSTM")

    # -- static geometry (rebuilt when sizes, options or the result change) -------------------
    def _build(self, frame) -> None:
        result, opts = frame.result, frame.options["network"]
        tr = result.forward
        lay = layout_for(tr, opts.split)
        key = (id(lay), result, opts.gate)
        if key == self._key:
            return
        new_sizes = lay is not self.lay
        self.lay, self._key = lay, key
        self.mats = edges.matrices(tr.kind, lay.split, opts.gate)
        self.picks = edges.pick(tr.params, self.mats, keep_all=lay.all_edges)
        self.edge_segs, self.edge_meta = edges.segments(lay, self.mats, self.picks)
        meta = self.edge_meta
        self.edge_kind = np.array([m.kind for m in self.mats], dtype=int)[meta[:, 0]] \
            if len(meta) else np.zeros(0, dtype=int)
        self.highway_segs = edges.highway_segments(lay)
        self.activation_segs = edges.activation_segments(lay)
        if not new_sizes:
            return
        self._node_key = None
        self.vb.setRange(xRange=lay.x_range, yRange=lay.y_range, padding=0.0)
        st = tr.state_name
        ticks = [(Y_X, "x(t)"), ((lay.boxes[0, 1] + lay.boxes[0, 3]) / 2, f"{st}(t)"),
                 (Y_OUT, "ŷ(t)"), (Y_J, "J(t)")]
        if lay.cell_boxes is not None:
            ticks.append(((lay.cell_boxes[0, 1] + lay.cell_boxes[0, 3]) / 2, "c(t)"))
        self.left_axis.setTicks([ticks, []])
        every = max(1, int(np.ceil(lay.T / 25)))
        self.bottom_axis.setTicks([[(s, str(s)) for s in range(1, lay.T + 1, every)], []])
        for item in self.cells.values():
            item.hide()
        self.cells = {}
        if lay.large:
            for code, (dx, ys) in lay.stacks.items():
                self.cells[code] = CellImage(self.vb, "stack", float(ys.min()),
                                             float(ys.max()), dx=dx)
            self.cells[X] = CellImage(self.vb, "row", Y_X)
            self.cells[Y_HAT] = CellImage(self.vb, "row", Y_OUT)
        box_pts = [lay.boxes] + ([lay.cell_boxes] if lay.cell_boxes is not None else [])
        segs = np.concatenate([_rect_segments(b) for b in box_pts])  # (n, 2, 2)
        pts = segs.reshape(-1, 2)
        self.boxes.setData(pts[:, 0], pts[:, 1])
        self._style_axes()

    def _style_axes(self) -> None:
        fg = self.theme.foreground
        for ax in (self.left_axis, self.bottom_axis):
            ax.setPen(colors.pen(self.theme.muted))
            ax.setTextPen(colors.pen(fg))
            ax.setStyle(tickLength=0)
        self.boxes.setPen(colors.pen(self.theme.faint, 1.0))

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self, frame) -> None:
        if self.frame is None or (frame.result, frame.cursor) != getattr(self, "_last", None):
            QtWidgets.QToolTip.hideText()  # a hover readout belongs to the frame it was made on
        self._last = (frame.result, frame.cursor)
        self._sync_controls(frame)
        self._build(frame)
        self.chars = column_text(frame.result)
        self._draw_nodes(frame)
        self._draw_weights(frame)
        self._draw_errors(frame)
        self._draw_chars(frame)
        self._draw_legend(frame)

    def _draw_nodes(self, frame) -> None:
        result, cursor, lay = frame.result, frame.cursor, self.lay
        level, lit = node_levels(result, cursor, lay)
        table = lay.nodes
        code = table[:, 0].astype(int)
        step = table[:, 1].astype(int) - 1
        as_points = ~np.isin(code, list(self.cells)) if lay.large else np.ones(len(table), bool)
        for c, item in self.cells.items():
            if c in (X, Y_HAT):
                levels = level[code == c].reshape(lay.T, -1)
                active, _ = active_steps(lay.T, cursor)
                on = active & (cursor.phase != "backward" or c != X)
                item.set(levels, on, self.theme.faint)
            else:
                levels, on = stack_image_levels(result, cursor, lay, c)
                item.set(levels, on, self.theme.faint)
        brushes = colors.brushes("diverging")
        faint = colors.brush(self.theme.faint)
        idx = np.flatnonzero(as_points)  # the nodes drawn as points
        pts = [brushes[lv] if on else faint for lv, on in zip(np.maximum(level[idx], 0),
                                                              lit[idx], strict=True)]
        mask = result.backward.loss_mask
        by_step = frame.options["network"].color_by == "step"
        for n, i in enumerate(idx):
            if code[i] != J:
                continue
            s = step[i]
            if not mask[s]:
                pts[n] = colors.brush(self.theme.background)
            elif by_step:
                pts[n] = colors.brush(self.theme.muted) if lit[i] or cursor.phase == "update" \
                    else faint
            elif lit[i] or cursor.phase == "update":
                pts[n] = colors.brush(colors.source_hex(s + 1))
        self._drawn_codes = idx
        self._brush_idx = np.where(lit & (code != J), level, -1)
        size = self._node_size()
        key = (len(idx), size, self.theme.muted, id(lay))
        if key != self._node_key:
            self._node_key = key
            sizes = np.where(code[idx] == J, size * 1.4, size)
            self.nodes.setData(x=table[idx, 3], y=table[idx, 4], size=sizes,
                               pen=colors.pen(self.theme.muted, 1.0), brush=pts)
            self._brush_ids = None
        ids = tuple(map(id, pts))
        if ids != self._brush_ids:  # only the colours change from frame to frame
            self._brush_ids = ids
            self.nodes.setBrush(pts)

    def _node_size(self) -> float:
        px = self.vb.viewPixelSize()
        if not px[0] or not px[1]:
            return 8.0
        lay = self.lay
        col_px = 1.0 / px[0]
        ys = lay.stacks[STATE_NODE][1]
        gap = (ys.max() - ys.min()) / max(lay.H - 1, 1) / px[1]
        gap_row = 0.6 / max(max(lay.I, lay.O) - 1, 1) / px[0]
        return float(np.clip(min(0.3 * col_px, 0.8 * gap, 0.85 * gap_row), 3, 22))

    def _draw_weights(self, frame) -> None:
        result, cursor, lay = frame.result, frame.cursor, self.lay
        segs, meta = self.edge_segs, self.edge_meta
        theme = self.theme
        lw = 1.6 * theme.line_scale if self._export else 1.0
        active, current = active_steps(lay.T, cursor)
        empty = np.zeros((0, 2, 2))
        base = {edges.INPUT: theme.muted, edges.RECURRENT: theme.recurrent,
                edges.OUTPUT: theme.muted}
        kind = self.edge_kind
        t = meta[:, 1]
        if cursor.phase == "update" and not lay.large:
            w = self._edge_values(result.applied_gradient)
            vmax = colors.finite_max(w)
            ci = colors.signed_index(w, vmax) // 32  # 8 colour bins; 8 = non-finite
            pens = {}
            for b in range(9):
                rgb = colors.TABLES["diverging"][min(b * 32 + 16, 255) if b < 8 else
                                                 colors.NONFINITE]
                pens[100 + b] = colors.pen(tuple(int(v) for v in rgb),
                                           lw * 1.5 if self._export else lw, 230)
            self.weights.set(segs, 100 + np.minimum(ci, 8), pens)
        elif cursor.phase == "forward" and not lay.large:
            w = self._edge_values(result.forward.params)
            mags = np.abs(w)
            alpha_bin = np.zeros(len(w), dtype=int)
            for m in range(len(self.mats)):
                sel = meta[:, 0] == m
                if sel.any():
                    with np.errstate(invalid="ignore"):
                        q = np.nan_to_num(mags[sel] / colors.finite_max(mags[sel]), nan=1.0)
                    alpha_bin[sel] = np.clip((q * 4).astype(int), 0, 3)
            pens = {4 * kd + a: colors.pen(col, lw, alpha) for kd, col in base.items()
                    for a, alpha in enumerate(ALPHAS)}
            pens[FAINT] = colors.pen(theme.faint, lw, 255 if self._export else 180)
            self.weights.set(segs, np.where(active[t - 1], 4 * kind + alpha_bin, FAINT), pens)
        else:
            self.weights.set(empty, np.zeros(0), {})
        cur = current[t - 1] & (cursor.phase == "forward")
        hp = {kd: colors.pen(col, 2.2 if self._export else 1.0, 255) for kd, col in base.items()}
        self.current.set(segs[cur], kind[cur], hp)
        self._draw_highway(frame, lw)

    def _edge_values(self, arrays) -> np.ndarray:
        """(n,) the entry of its matrix in ``arrays`` (params or gradients) for each edge."""
        meta = self.edge_meta
        w = np.zeros(len(meta))
        for m, mat in enumerate(self.mats):
            sel = meta[:, 0] == m
            w[sel] = np.asarray(arrays[mat.name])[meta[sel, 2], meta[sel, 3]]
        return w

    def _draw_highway(self, frame, lw: float) -> None:
        """The LSTM's cell highway forward; backward, the error ‖δc(t)‖ travelling along it."""
        cursor, lay, theme = frame.cursor, self.lay, self.theme
        if lay.cell_boxes is None and not len(self.activation_segs):
            self.highway.set(np.zeros((0, 2, 2)), np.zeros(0), {})
            return
        active, _ = active_steps(lay.T, cursor)
        if len(self.activation_segs):  # a(t) -> h(t) = g(a(t)), unit by unit
            H = lay.H
            on = np.repeat(active, H) & (cursor.phase != "backward")
            self.highway.set(self.activation_segs, np.where(on, 0, 1),
                             {0: colors.pen(theme.muted, lw, 200),
                              1: colors.pen(theme.faint, lw, 150)})
            return
        if cursor.phase == "backward":
            dc = np.asarray(frame.result.backward.deltas["c"])  # (T, H)
            with np.errstate(all="ignore"):
                norm = np.linalg.norm(dc, axis=1)  # (T,) ||delta c(t)||
            t_idx = np.arange(lay.T - 1)  # arrows c(t+1) -> c(t), t = 1..T-1
            keep = (t_idx + 1 >= cursor.t) & (norm[:-1] != 0)
            t_idx = t_idx[keep]
            mid = (lay.cell_boxes[0, 1] + lay.cell_boxes[0, 3]) / 2
            segs = np.stack([np.stack([lay.cell_boxes[t_idx + 1, 0], np.full(t_idx.size, mid)],
                                      axis=1),
                             np.stack([lay.cell_boxes[t_idx, 2], np.full(t_idx.size, mid)],
                                      axis=1)], axis=1)
            wbin = _width_bins(norm[t_idx], colors.finite_max(norm))
            pens = {b: colors.pen(colors.HIGHWAY_HEX, WIDTHS[b] * self._scale()) for b in
                    range(4)}
            self.highway.set(segs, wbin, pens)
            return
        if lay.large or not len(self.highway_segs):
            self.highway.set(np.zeros((0, 2, 2)), np.zeros(0), {})
            return
        t = np.repeat(np.arange(2, lay.T + 1), lay.H)  # (n,) the step each segment enters
        on = active[t - 1] | (cursor.phase == "update")
        self.highway.set(self.highway_segs, np.where(on, 0, 1),
                         {0: colors.pen(colors.HIGHWAY_HEX, lw, 170),
                          1: colors.pen(theme.faint, lw, 150)})

    def _scale(self) -> float:
        return (1.5 if self._export else 1.0) * self.theme.line_scale

    def _draw_errors(self, frame) -> None:
        """Backward: the arrows of errors that have reached steps t..T, by the chosen colouring."""
        result, cursor, lay = frame.result, frame.cursor, self.lay
        bt = result.backward
        empty = np.zeros((0, 2, 2))
        self.frames.set(empty, np.zeros(0), {})
        if cursor.phase != "backward":
            self._arrow_table = np.zeros((0, 3))
            self.errors.set(empty, np.zeros(0), {})
            self._draw_map(frame, visible=cursor.phase == "update")
            return
        norms = result.error_norms  # (T, T)
        vmax = colors.finite_max(norms)
        mode = frame.options["network"].color_by
        self.steps = ()
        if lay.overview:
            segs, s_idx, t_idx, mags, hue = self._overview_arrows(frame, norms, vmax, mode)
        elif mode == "step":
            self.steps = article_steps(lay.T, cursor)
            groups = gradient_step_arrows(norms, bt.loss_mask, self.steps, cursor.t)
            s_l, t_l, m_l, hue_l, off_l = [], [], [], [], []
            n = len(groups)
            for i, (_k, s_idx, j_idx, mags) in enumerate(groups):
                s_l.append(s_idx)
                t_l.append(j_idx)
                m_l.append(mags)
                hue_l.append(np.full(s_idx.size, 300 + i))
                off_l.append(np.full(s_idx.size, (i - (n - 1) / 2) * 0.09))
            s_idx, t_idx, mags = (np.concatenate(v) for v in (s_l, t_l, m_l))
            hue = np.concatenate(hue_l)
            segs = error_segments(lay, s_idx, t_idx, np.concatenate(off_l))
            self._arrow_bundle = 1
            self._draw_step_frames(lay)
        else:
            s_idx, t_idx, mags = error_arrows(norms, bt.loss_mask, cursor.t, lay.bundle)
            self._arrow_bundle = lay.bundle
            hue = self._hues(mode, s_idx, mags, vmax)
            segs = error_segments(lay, s_idx, t_idx)
        self._arrow_table = np.stack([s_idx + 1, t_idx + 1, mags], axis=1)
        hue = np.where(np.isfinite(mags), hue, 200)
        style = hue * 4 + _width_bins(mags, vmax)
        if lay.overview:  # the entering losses stay thin: the lanes carry the story
            style = np.where(s_idx == t_idx, hue * 4, style)
        pens = {}
        for code in np.unique(style):
            h, b = divmod(int(code), 4)
            if h == 200:
                rgb = colors.NONFINITE_RGB
            elif h >= 300:
                rgb = colors.hex_to_rgb(colors.STEP_HEX[(h - 300) % len(colors.STEP_HEX)])
            elif h >= 100:
                rgb = tuple(int(v) for v in colors.TABLES["viridis"][(h - 100) * 36 + 3])
            else:
                rgb = colors.hex_to_rgb(colors.SOURCE_HEX[h])
            pens[int(code)] = colors.pen(rgb, WIDTHS[b] * self._scale())
        self.errors.set(segs, style, pens)
        self._draw_map(frame, visible=True)

    @staticmethod
    def _hues(mode: str, s_idx: np.ndarray, mags: np.ndarray, vmax: float) -> np.ndarray:
        """Hue codes: the source's colour (0..), a viridis bin (100..) or a step's (300..)."""
        if mode == "magnitude":
            return 100 + np.minimum((_levels(mags, vmax) * 8).astype(int), 7)
        return s_idx % len(colors.SOURCE_HEX)

    def _overview_arrows(self, frame, norms, vmax, mode):
        """Long sequences: every loss reaching h(t) as one arrow along its lane, as wide as it
        arrives; each J(s), s >= t, entering its column. Rows of the arrow table: (s, t, norm),
        s the lane's first source (arrows into h(t)) or the entering loss (s == t)."""
        lay, t = self.lay, frame.cursor.t
        lane_s, start, norm, own, own_norm = overview_arrows(
            norms, frame.result.backward.loss_mask, t, lay.bundle)
        self._arrow_bundle = lay.bundle
        segs = np.concatenate([long_segments(lay, lane_s, start, t),
                               error_segments(lay, own, own)])
        s_idx = np.concatenate([lane_s, own])
        t_idx = np.concatenate([np.full(lane_s.size, t - 1), own])
        mags = np.concatenate([norm, own_norm])
        if mode == "step":  # the errors (dJ/dtheta)^(t) needs: exactly those arriving at h(t)
            self.steps = (t,)
            hue = np.where(t_idx == t - 1, 300, 300)
            self._draw_step_frames(lay)
        else:
            hue = self._hues(mode, s_idx, mags, vmax)
        return segs, s_idx, t_idx, mags, hue

    def _draw_step_frames(self, lay) -> None:
        """A frame in each coloured step's colour around its column h(k) (the article's coloured
        frames around the per-step gradients)."""
        segs, style = [], []
        for i, k in enumerate(self.steps):
            box = lay.boxes[k - 1].copy()
            grow = 0.05 + 0.04 * i
            box += np.array([-grow, -grow, grow, grow])
            r = _rect_segments(box[None])
            segs.append(r)
            style.append(np.full(len(r), i))
        pens = {i: colors.pen(colors.STEP_HEX[i % len(colors.STEP_HEX)], 2.0 * self._scale())
                for i in range(len(self.steps))}
        self.frames.set(np.concatenate(segs), np.concatenate(style), pens)

    def _draw_map(self, frame, *, visible: bool) -> None:
        lay = self.lay
        on = lay.overview and visible
        self.norm_map.set_visible(on)
        if not on:
            return
        norms = frame.result.error_norms
        T = lay.T
        s, t = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")
        shown = (s >= t) & (frame.result.backward.loss_mask[s] == 1)
        cursor_t = None
        if frame.cursor.phase == "backward":
            shown &= t + 1 >= frame.cursor.t
            cursor_t = frame.cursor.t
        self.norm_map.set(norms, shown, words.DECADES, cursor_t, self.theme)

    def _draw_chars(self, frame) -> None:
        """Characters of a text task under each column: input, and target / most likely output."""
        chars, lay = self.chars, self.lay
        want = 0 if chars is None or lay.T > 60 else lay.T
        while len(self.char_items) < want:
            item = pg.TextItem(anchor=(0.5, 0.0))
            self.vb.addItem(item)
            self.char_items.append(item)
        for i, item in enumerate(self.char_items):
            item.setVisible(i < want)
        if not want:
            return
        fg, muted = self.theme.foreground, self.theme.muted
        for i in range(want):
            item = self.char_items[i]
            html = (f"<span style='color:{fg}'><b>{_esc(chars.inputs[i])}</b></span><br>"
                    f"<span style='color:{muted}'>→{_esc(chars.targets[i])}"
                    f" ({_esc(chars.predicted[i])})</span>")
            if getattr(item, "_html", None) != html:
                item._html = html
                item.setHtml(f"<div style='text-align:center; font-size:"
                             f"{pt(self.theme, 8)}'>{html}</div>")
            item.setPos(i + 1, Y_X - 0.18)

    def _draw_legend(self, frame) -> None:
        result, cursor, lay = frame.result, frame.cursor, self.lay
        tr, bt = result.forward, result.backward
        theme = self.theme
        fg = theme.foreground
        st, ro = tr.state_name, tr.readout_name
        mode = frame.options["network"].color_by
        if cursor.phase == "backward":
            vmax = colors.finite_max(bt.deltas[st])
            self.value_bar.set("diverging", f"error δ{st}, δ{ro} (units)", fmt(-vmax), "0",
                               fmt(vmax), fg)
        else:
            self.value_bar.set("diverging", f"value of {st}(t) (ŷ, x: own scale)", "−1", "0",
                               "1", fg)
        self.error_bar.vb.setVisible(cursor.phase == "update" and not lay.large
                                     or cursor.phase == "backward" and mode == "magnitude"
                                     or lay.overview and cursor.phase != "forward")
        if cursor.phase == "update" and not lay.large:
            self.error_bar.set("diverging", "edges: ∂J/∂θ summed over t", "−", "0", "+", fg)
        else:
            self.error_bar.set("viridis", f"‖∂J(s)/∂{st}(t)‖", f"10⁻{words.DECADES:g} max",
                               "", "max", fg)
        set_label(self.caption, self._caption(frame), color=fg, size=pt(theme, 11))
        if cursor.phase == "forward":
            html = words.forward_legend(tr.kind, frame.options["network"].gate,
                                        theme.recurrent, theme.muted, colors.HIGHWAY_HEX)
        elif cursor.phase == "backward":
            html = words.backward_legend(tr.kind, bt.sources, mode, bt.truncation,
                                         bool((bt.loss_mask == 0).any()), self._arrow_bundle,
                                         self.steps)
            if tr.kind == "LSTM":
                html += " · " + words.lstm_cell_words()
        else:
            html = ("the update: edges coloured by ∂J/∂θ, summed over all steps" if not
                    lay.large else "the update: the summed gradient ∂J/∂θ of each matrix is in "
                    "the per-step gradient strip below")
        set_label(self.sources, html, color=fg, size=pt(theme, 9))

    def _caption(self, frame) -> str:
        result, cursor, lay = frame.result, frame.cursor, self.lay
        tr = result.forward
        if cursor.phase == "forward":
            text = words.forward_caption(tr.kind, cursor.t, tr.T,
                                         frame.options["network"].gate, lay.split)
        elif cursor.phase == "backward":
            text = words.backward_caption(tr.kind, cursor.t, result.backward.truncation,
                                          len(self._arrow_table), frame.options["network"].color_by,
                                          lay.overview)
        else:
            c = result.config
            text = words.update_caption(c.lr, result.norm_before, c.clip, c.clip_mode,
                                        result.clipped)
        if lay.all_edges or cursor.phase not in ("forward", "update"):
            return text
        picks = self.picks
        return (text + f" · drawing the {len(picks[1][0])} strongest of {picks[1][2]} "
                f"recurrent connections, at the current step")

    # -- hover ----------------------------------------------------------------------------
    def _on_mouse_moved(self, pos) -> None:
        if self.frame is None or self.lay is None or \
                not self.vb.sceneBoundingRect().contains(pos):
            return
        text = self.describe_at(self.vb.mapSceneToView(pos))
        self.hover_text = text or ""  # a tooltip: the layout never moves under the mouse
        if text:
            view_pt = self.canvas.mapFromScene(pos)
            QtWidgets.QToolTip.showText(self.canvas.mapToGlobal(view_pt),
                                        text.replace("<br>", "\n"), self)

    def describe_at(self, p) -> str | None:
        """The hover text for the point ``p`` (view coordinates), or None if nothing is near."""
        frame, lay = self.frame, self.lay
        px, py = self.vb.viewPixelSize()
        table = lay.nodes
        d = np.hypot((table[:, 3] - p.x()) / px, (table[:, 4] - p.y()) / py)
        n = int(np.argmin(d))
        if d[n] <= 12:
            code, t, k = (int(v) for v in table[n, :3])
            return hover.node(frame.result, code, t, k, self.chars)
        if frame.cursor.phase == "backward" and len(self._arrow_table):
            a, dist = _nearest_segment(self.errors.segments, p.x(), p.y(), px, py)
            if dist <= 8:
                s, t, m = self._arrow_table[a]
                return hover.error(frame.result.forward.state_name, int(s), int(t), m,
                                   self._arrow_bundle if s != t else 1)
        if len(self.edge_segs) and frame.cursor.phase != "backward":
            a, dist = _nearest_segment(self.edge_segs, p.x(), p.y(), px, py)
            if dist <= 6:
                m, t, j, k = (int(v) for v in self.edge_meta[a])
                mat = self.mats[m]
                names = {X: "x", STATE_NODE: frame.result.forward.state_name, Y_HAT: "ŷ",
                         A: "a", C: "c"}
                return hover.edge(frame.result, mat.name, names[mat.src], names[mat.dst], j, k,
                                  t, mat.previous)
        return None

    # -- introspection for tests and export ---------------------------------------------------
    @property
    def node_table(self) -> np.ndarray:
        """(N, 5) rows (layer code, t, k, x, y) of every neuron (gui.model.present
        .unfolded_layout)."""
        return self.lay.nodes

    def error_arrows(self) -> np.ndarray:
        """(n, 3) rows (s, t, ||dJ(s)/dh(t)||) of the error arrows drawn now (1-based s, t)."""
        return self._arrow_table.copy()

    def error_arrow_colors(self) -> list:
        """Pen colour (r, g, b) of each drawn error arrow, in the order of :meth:`error_arrows`."""
        out = []
        for code in self.errors.style:
            c = self.errors.pen_of(code).color()
            out.append((c.red(), c.green(), c.blue()))
        return out

    def node_brushes(self) -> list:
        """The QBrush of every neuron drawn as a point, in the order of ``node_table`` (all
        neurons, unless the network is drawn with cell images)."""
        return [point.brush() for point in self.nodes.points()]

    def node_colors(self) -> np.ndarray:
        """(N, 3) the colour each neuron of ``node_table`` is drawn in, as a point or as a
        cell of an image."""
        table = self.lay.nodes
        out = np.zeros((len(table), 3), dtype=int)
        for i, b in zip(self._drawn_codes, self.node_brushes(), strict=True):
            c = b.color()
            out[i] = (c.red(), c.green(), c.blue())
        code = table[:, 0].astype(int)
        for c, item in self.cells.items():
            sel = np.flatnonzero(code == c)
            t = table[sel, 1].astype(int) - 1
            k = table[sel, 2].astype(int)
            out[sel] = item.rgb[t, k]
        return out

    def graphics_item(self):
        return self.canvas.ci

    def _set_export_style(self, on: bool) -> None:
        self._export = on
        self._node_key = None
        for layer in (self.weights, self.current, self.errors, self.highway, self.frames):
            layer.set_antialias(on)
        self.nodes.opts["antialias"] = on

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.frame is not None:  # node sizes and arrowheads are in pixels
            QtCore.QTimer.singleShot(0, self, self.redraw)


def _levels(mags: np.ndarray, vmax: float) -> np.ndarray:
    """(n,) 1 for the largest error, 0 for DECADES below it (log scale)."""
    with np.errstate(all="ignore"):
        level = 1 + np.log10(mags / vmax) / words.DECADES
    return np.clip(np.nan_to_num(level, nan=1.0, posinf=1.0, neginf=0.0), 0, 1)


def _width_bins(mags: np.ndarray, vmax: float) -> np.ndarray:
    return np.minimum((_levels(mags, vmax) * 4).astype(int), 3)


def _rect_segments(boxes: np.ndarray) -> np.ndarray:
    """(4n, 2, 2) the sides of rectangles (n, 4) x0, y0, x1, y1."""
    x0, y0, x1, y1 = boxes.T
    corners = [np.stack([x0, y0], 1), np.stack([x1, y0], 1), np.stack([x1, y1], 1),
               np.stack([x0, y1], 1)]
    return np.concatenate([np.stack([corners[i], corners[(i + 1) % 4]], axis=1)
                           for i in range(4)])


def _nearest_segment(segs: np.ndarray, x: float, y: float, px: float, py: float):
    """Index of the segment nearest to (x, y) and its distance in pixels."""
    if not len(segs):
        return 0, np.inf
    a = segs[:, 0] / [px, py]  # (n, 2) in pixels
    b = segs[:, 1] / [px, py]
    q = np.array([x / px, y / py])
    ab = b - a
    with np.errstate(all="ignore"):
        u = np.clip(np.sum((q - a) * ab, axis=1) / np.sum(ab * ab, axis=1), 0, 1)
    u = np.nan_to_num(u)
    closest = a + u[:, None] * ab  # (n, 2)
    dist = np.hypot(*(closest - q).T)
    i = int(np.argmin(dist))
    return i, float(dist[i])


def _esc(c: str) -> str:
    return {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(c, c)
