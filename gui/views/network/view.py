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
from ...model.present import unfolded_text as words
from ...model.present.characters import column_chars_html, column_text
from ...model.present.numbers import fmt
from ...model.present.unfolded_layout import (
    BWD,
    STATE_NODE,
    Y_HAT,
    Y_J,
    Y_OUT,
    Y_X,
    J,
    X,
    layout_for,
)
from ...model.present.unfolded_values import active_steps, node_levels, stack_image_levels
from .. import register
from ..base import View
from .errors import EMPTY, WIDTHS, ErrorsMixin, rect_segments, width_bins
from .hover import HoverMixin

ALPHAS = (50, 100, 160, 230)  # weight edges, by |w| quartile of the strongest
FAINT = 99  # style code of weight edges not yet reached
COLOR_MODES = (("source J(s)", "source"), ("gradient step (the article's)", "step"),
               ("magnitude", "magnitude"))
GATE_NAMES = {"z": "block input", "i": "input gate", "f": "forget gate", "o": "output gate",
              "r": "reset gate", "u": "update gate", "n": "candidate"}


@register
class NetworkView(ErrorsMixin, HoverMixin, View):
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
        self.feedback = EdgeLayer(self.vb, z=1.2, head_px=6)  # a decoder's ŷ(t−1) -> its input
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
        self.picture = None
        self._gates: tuple = ()
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
        self.gate_box.setToolTip("An LSTM has four input and four recurrent matrices, a GRU "
                                 "three, one per gate; the connections drawn are those of one "
                                 "of them")
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
        opts, tr = frame.options["network"], frame.result.forward
        cell = edges.cell_kind(tr)
        gates = edges.GATES[cell]
        for w in (self.color_box, self.split_box, self.gate_box):
            w.blockSignals(True)
        if gates != self._gates:
            self._gates = gates
            self.gate_box.clear()
            for g in gates:
                self.gate_box.addItem(f"W_{g}, R_{g} ({GATE_NAMES[g]})", g)
        self.color_box.setCurrentIndex(self.color_box.findData(opts.color_by))
        self.split_box.setChecked(opts.split)
        self.gate_box.setCurrentIndex(max(0, self.gate_box.findData(
            edges.gate_for(cell, opts.gate))))
        for w in (self.color_box, self.split_box, self.gate_box):
            w.blockSignals(False)
        self.split_box.setVisible(tr.kind == "SimpleRNN")
        self.gate_box.setVisible(bool(gates))
        self.gate_label.setVisible(bool(gates))

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
        self.cell = edges.cell_kind(tr)
        self.gate = edges.gate_for(self.cell, opts.gate)
        self.mats = edges.matrices(lay, self.cell, opts.gate)
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
        mid = (lay.boxes[0, 1] + lay.boxes[0, 3]) / 2
        x_tick = "x(t) · ŷ(t−1)" if lay.t_enc else "x(t)"
        ticks = [(Y_X, x_tick), (Y_OUT, "ŷ(t)"), (Y_J, "J(t)")]
        if lay.bi:
            ticks += [(float(np.mean(lay.stacks[STATE_NODE][1])), "h→(t)"),
                      (float(np.mean(lay.stacks[BWD][1])), "h←(t)")]
        else:
            ticks.append((mid, f"{st}(t)"))
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
            if not lay.t_enc:  # a seq2seq model's rows cover part of the axis: points
                self.cells[X] = CellImage(self.vb, "row", Y_X)
                self.cells[Y_HAT] = CellImage(self.vb, "row", Y_OUT)
        box_pts = [lay.boxes] + ([lay.cell_boxes] if lay.cell_boxes is not None else [])
        segs = np.concatenate([rect_segments(b) for b in box_pts])  # (n, 2, 2)
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
        self._draw_feedback(frame)
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
            s = step[i] - lay.t_enc  # the loss's own index (a seq2seq decoder's step)
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
        # a loss J (1.4 times a node) keeps clear of the ŷ row below it and of the top edge
        # on a low screen (1280 x 720), instead of touching one and being cut by the other
        j_gap = (Y_J - Y_OUT) / px[1] - 4
        j_top = (lay.y_range[1] - Y_J) / px[1] - 1
        return float(np.clip(min(0.3 * col_px, 0.8 * gap, 0.85 * gap_row, j_gap / 1.2,
                                 j_top / 0.7), 3, 22))

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
        on, now = active[t - 1], current[t - 1]  # (n,) each edge's step computed, being computed
        if lay.bi:  # the backward-direction cell's steps run T..1
            back_active, back_now = active_steps(lay.T, cursor, bwd_direction=True)
            into_bwd = np.array([m.dst == BWD for m in self.mats])[meta[:, 0]] if len(meta) \
                else np.zeros(0, bool)
            on = np.where(into_bwd, back_active[t - 1], on)
            now = np.where(into_bwd, back_now[t - 1], now)
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
            self.weights.set(segs, np.where(on, 4 * kind + alpha_bin, FAINT), pens)
        else:
            self.weights.set(empty, np.zeros(0), {})
        cur = now & (cursor.phase == "forward")
        hp = {kd: colors.pen(col, 2.2 if self._export else 1.0, 255) for kd, col in base.items()}
        self.current.set(segs[cur], kind[cur], hp)
        self._draw_highway(frame, lw)

    def _edge_values(self, arrays) -> np.ndarray:
        """(n,) the entry of its matrix in ``arrays`` (params or gradients) for each edge."""
        meta = self.edge_meta
        w = np.zeros(len(meta))
        for m, mat in enumerate(self.mats):
            sel = meta[:, 0] == m
            w[sel] = mat.array(arrays)[meta[sel, 2], meta[sel, 3]]
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
            wbin = width_bins(norm[t_idx], colors.finite_max(norm))
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

    def _draw_feedback(self, frame) -> None:
        """A seq2seq decoder running free: a dashed arrow from ŷ(t−1) to the input it becomes."""
        lay, cursor = self.lay, frame.cursor
        tr = frame.result.forward
        if not lay.t_enc or tr.teacher_forcing or cursor.phase == "backward":
            self.feedback.set(EMPTY, np.zeros(0), {})
            return
        cols = np.arange(lay.t_enc + 2, lay.T + 1)  # (n,) decoder columns fed by the one before
        if cursor.phase == "forward":
            cols = cols[cols <= cursor.t]
        x0 = cols - 1 + 0.5 * lay.out_offsets.max(initial=0.0) + 0.12
        segs = np.stack([np.stack([x0, np.full(cols.size, Y_OUT - 0.2)], axis=1),
                         np.stack([cols - 0.5 * lay.out_offsets.max(initial=0.0) - 0.12,
                                   np.full(cols.size, Y_X + 0.2)], axis=1)], axis=1)
        pen = colors.pen(self.theme.muted, 1.2 * self._scale(), 200)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        self.feedback.set(segs, np.zeros(cols.size, dtype=int), {0: pen})

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
            html = column_chars_html(chars, i, lay.t_enc, fg, muted)
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
            vmax = colors.finite_max(bt.deltas[st if tr.kind in ("SimpleRNN", "LSTM") else "h"])
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
            html = words.forward_legend(tr.kind, self.gate, theme.recurrent, theme.muted,
                                        colors.HIGHWAY_HEX,
                                        bool(getattr(tr, "teacher_forcing", False)))
        elif cursor.phase == "backward":
            html = words.backward_legend(tr.kind, bt.sources, mode, bt.truncation,
                                         bool((bt.loss_mask == 0).any()), self._arrow_bundle,
                                         self.steps)
            if tr.kind == "LSTM":
                html += " · " + words.lstm_cell_words()
            elif lay.bi:
                html += " · " + words.bidirectional_words()
            elif lay.t_enc:
                html += " · " + words.seq2seq_words(lay.t_enc)
        else:
            html = ("the update: edges coloured by ∂J/∂θ, summed over all steps" if not
                    lay.large else "the update: the summed gradient ∂J/∂θ of each matrix is in "
                    "the per-step gradient strip below")
        set_label(self.sources, html, color=fg, size=pt(theme, 9))

    def _caption(self, frame) -> str:
        result, cursor, lay = frame.result, frame.cursor, self.lay
        tr = result.forward
        if cursor.phase == "forward":
            text = words.forward_caption(tr.kind, cursor.t, tr.T, self.gate, lay.split,
                                         self.cell, lay.t_enc)
        elif cursor.phase == "backward" and lay.bi and result.backward.truncation is None:
            text = words.bidirectional_backward_caption(cursor.t, tr.T, len(self._arrow_table))
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
        for layer in (self.weights, self.current, self.errors, self.highway, self.frames,
                      self.feedback):
            layer.set_antialias(on)
        self.nodes.opts["antialias"] = on

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.frame is not None:  # node sizes and arrowheads are in pixels
            QtCore.QTimer.singleShot(0, self, self.redraw)
