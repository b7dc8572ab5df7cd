"""The unfolded network: one column per time step, values forward, coloured errors backward.

Layout of column t (x = t): inputs x(t) in a row at the bottom, the hidden state h(t) (an LSTM's
block output y(t)) as a vertical stack in the middle, the outputs y_hat(t) in a row above and the
loss J(t) on top. U and V connect within a column, W (R for an LSTM) between neighbouring stacks,
in the articles' yellow.

Backward, every loss J(s) owns a horizontal lane through the stacks: its error comes down from
J(s) into h(s) and runs right to left along the lane, one arrow per step it reaches, in the
colour of J(s) and as wide as ||dJ(s)/dh(t)|| (``delta_by_source``). Truncation ends a lane k
steps back; a masked J(s) has no lane.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from .. import colors
from ..graphics.arrows import EdgeLayer
from ..graphics.colorbar import ColorBar
from ..graphics.labels import add_label, pt, set_label
from ..model.present.arrows import error_arrows
from ..model.present.numbers import fmt
from . import register
from .base import View

# vertical layout (data units)
Y_X, Y_H0, Y_H1, Y_OUT, Y_J = 0.4, 1.8, 6.2, 7.6, 9.0
ROW_HALF = 0.3  # half width of the x and y_hat rows within a column
LOD_HIDDEN, LOD_LENGTH = 16, 40
MAX_LANES = 16  # error lanes at large T: neighbouring sources are bundled beyond this
ALPHAS = (50, 100, 160, 230)  # weight edges, by |w| quartile of the strongest
WIDTHS = (1.0, 2.0, 3.5, 5.5)  # error arrows, by log |delta|
DECADES = 3.0  # error magnitudes spanning this many decades below the largest get widths
FAINT = 99  # style code of weight edges not yet reached


@dataclass(frozen=True)
class Node:
    """What hovering a neuron shows."""

    layer: str  # "x", "h"/"y", "y_hat", "J"
    t: int  # 1-based step
    k: int  # unit index (0-based)


def _combined(params, prefix: str) -> np.ndarray:
    """An LSTM's four gate matrices as one signed matrix for drawing: their sum."""
    return sum(np.asarray(params[f"{prefix}_{g}"]) for g in "zifo")


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
        ci = self.add_canvas()
        plot = ci.addLayout(row=1, col=0)
        self.vb = pg.ViewBox(enableMouse=False, enableMenu=False)
        self.left_axis = pg.AxisItem("left", linkView=self.vb)
        self.bottom_axis = pg.AxisItem("bottom", linkView=self.vb)
        plot.addItem(self.left_axis, row=0, col=0)
        plot.addItem(self.vb, row=0, col=1)
        plot.addItem(self.bottom_axis, row=1, col=1)
        self.bottom_axis.setLabel("time step t")
        legend = ci.addLayout(row=2, col=0)
        self.value_bar = ColorBar(legend, row=0, col=0)
        self.error_bar = ColorBar(legend, row=0, col=1)
        self.sources = add_label(legend, 0, 2)
        legend.layout.setColumnStretchFactor(2, 1)  # the wrapping text takes the rest
        self.info = add_label(ci, 3, 0)
        ci.layout.setRowStretchFactor(1, 10)
        self.weights = EdgeLayer(self.vb, z=1, head_px=6)
        self.current = EdgeLayer(self.vb, z=2, head_px=7)
        self.errors = EdgeLayer(self.vb, z=4, head_px=8)
        self.nodes = pg.ScatterPlotItem(pxMode=True, size=10)
        self.nodes.setZValue(3)
        self.vb.addItem(self.nodes)
        self._shape = None  # (kind, T, I, H, O): the geometry built
        self._result = None
        self._cursor = None
        self.lod = False
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._arrow_table = np.zeros((0, 3))  # (n, 3): s, t, ||delta|| of drawn error arrows
        self._brush_idx = np.zeros(0, dtype=int)
        self._export = False
        self._node_geometry = None
        self._brush_ids = None

    # -- geometry (rebuilt only when sizes change) ----------------------------------------------
    def _build(self, tr) -> None:
        T, I, H, O = tr.T, tr.n_in, tr.n_hidden, tr.n_out
        self._shape = (tr.kind, T, I, H, O)
        self.lod = H > LOD_HIDDEN or T > LOD_LENGTH
        t = np.arange(1, T + 1, dtype=float)

        def row(n):
            return np.zeros(n) if n == 1 else np.linspace(-ROW_HALF, ROW_HALF, n)

        hy = np.full(H, (Y_H0 + Y_H1) / 2) if H == 1 else np.linspace(Y_H1, Y_H0, H)
        # node table: layer code, t, k, x, y (layer 0 x, 1 h, 2 y_hat, 3 J)
        parts = []
        for code, n, xs, ys in ((0, I, row(I), np.full(I, Y_X)), (1, H, np.zeros(H), hy),
                                (2, O, row(O), np.full(O, Y_OUT)), (3, 1, [0.0], [Y_J])):
            tt, kk = np.meshgrid(t, np.arange(n), indexing="ij")  # (T, n)
            parts.append(np.stack([np.full(tt.size, code), tt.ravel(), kk.ravel(),
                                   (tt + np.asarray(xs)[None]).ravel(),
                                   np.broadcast_to(np.asarray(ys)[None], tt.shape).ravel()],
                                  axis=1))
        self.node_table = np.concatenate(parts)  # (N, 5)
        self._hy = hy
        self._offsets = {"x": row(I), "out": row(O)}
        # weight edges: kind code (0 U, 1 W/R, 2 V), target step t, j (to), k (from), segment
        self._edge_pick = self._pick_edges(tr)
        self._edges = self._edge_geometry(T)
        # lanes for error sources
        # one lane per loss source; past LOD_LENGTH sources share lanes in bundles of
        # self.bundle neighbours, so at most MAX_LANES lanes run through the stacks
        self.bundle = 1 if T <= LOD_LENGTH else int(np.ceil(T / MAX_LANES))
        n_lanes = int(np.ceil(T / self.bundle))
        self._lane = (np.linspace(Y_H0 + 0.1, Y_H1 - 0.1, n_lanes) if n_lanes > 1
                      else np.array([4.0]))
        self.vb.setRange(xRange=(0.45, T + 0.55), yRange=(0.0, Y_J + 0.45), padding=0.0)
        self.left_axis.setTicks([[(Y_X, "x(t)"), ((Y_H0 + Y_H1) / 2, f"{tr.state_name}(t)"),
                                  (Y_OUT, "ŷ(t)"), (Y_J, "J(t)")], []])
        every = max(1, int(np.ceil(T / 25)))
        self.bottom_axis.setTicks([[(s, str(s)) for s in range(1, T + 1, every)], []])
        self._style_axes()

    def _style_axes(self) -> None:
        fg = self.theme.foreground
        for ax in (self.left_axis, self.bottom_axis):
            ax.setPen(colors.pen(self.theme.muted))
            ax.setTextPen(colors.pen(fg))
            ax.setStyle(tickLength=0)

    def _pick_edges(self, tr):
        """Which (j, k) of U, W, V are drawn: all, or the strongest at large sizes."""
        p = tr.params
        if tr.kind == "LSTM":
            mats = (_combined(p, "W"), _combined(p, "R"), p["V"])
        else:
            mats = (p["U"], p["W"], p["V"])
        picks = []
        for M in mats:
            M = np.asarray(M)
            n = M.size
            keep = n if not self.lod else min(n, 2 * max(M.shape))
            with np.errstate(invalid="ignore"):
                mag = np.nan_to_num(np.abs(M).ravel(), nan=np.inf)
            order = np.argsort(-mag, kind="stable")[:keep]
            j, k = np.unravel_index(np.sort(order), M.shape)
            picks.append((j, k, n))
        return picks

    def _edge_geometry(self, T):
        """Segments of all drawn weight edges for all steps, and their (kind, t, j, k)."""
        ox, oo, hy = self._offsets["x"], self._offsets["out"], self._hy
        segs, meta = [], []
        for kind, (j, k, _) in enumerate(self._edge_pick):
            for t in range(1, T + 1):
                if kind == 0:  # U: x_k(t) -> h_j(t)
                    a = np.stack([t + ox[k], np.full(k.size, Y_X)], axis=1)
                    b = np.stack([np.full(j.size, float(t)), hy[j]], axis=1)
                elif kind == 1:  # W: h_k(t-1) -> h_j(t)
                    if t == 1:
                        continue
                    a = np.stack([np.full(k.size, t - 1.0), hy[k]], axis=1)
                    b = np.stack([np.full(j.size, float(t)), hy[j]], axis=1)
                else:  # V: h_k(t) -> y_hat_j(t)
                    a = np.stack([np.full(k.size, float(t)), hy[k]], axis=1)
                    b = np.stack([t + oo[j], np.full(j.size, Y_OUT)], axis=1)
                # shorten so the arrowhead ends at the node's rim rather than its centre
                d = b - a
                a2, b2 = a + 0.06 * d, b - 0.06 * d
                segs.append(np.stack([a2, b2], axis=1))
                meta.append(np.stack([np.full(j.size, kind), np.full(j.size, t), j, k], axis=1))
        if not segs:
            return np.zeros((0, 2, 2)), np.zeros((0, 4), dtype=int)
        return np.concatenate(segs), np.concatenate(meta).astype(int)

    # -- drawing --------------------------------------------------------------------------
    def _draw(self, frame) -> None:
        result, cursor = frame.result, frame.cursor
        tr = result.forward
        shape = (tr.kind, tr.T, tr.n_in, tr.n_hidden, tr.n_out)
        if shape != self._shape or result is not self._result:
            if shape != self._shape or self.lod:
                self._build(tr)
            else:
                self._edge_pick = self._pick_edges(tr)
        if (result, cursor) != (self._result, self._cursor):
            set_label(self.info, "")  # a hover readout belongs to the frame it was made on
        self._result, self._cursor = result, cursor
        self._draw_nodes(result, cursor)
        self._draw_weights(result, cursor)
        self._draw_errors(result, cursor)
        self._draw_legend(result, cursor)

    def _phase_masks(self, T, cursor):
        t = np.arange(1, T + 1)
        if cursor.phase == "forward":
            return t <= cursor.t, t == cursor.t
        if cursor.phase == "backward":
            return t >= cursor.t, t == cursor.t
        return np.ones(T, bool), np.zeros(T, bool)

    def _draw_nodes(self, result, cursor) -> None:
        tr, bt = result.forward, result.backward
        T = tr.T
        table = self.node_table
        layer, step, k = table[:, 0].astype(int), table[:, 1].astype(int) - 1, \
            table[:, 2].astype(int)
        idx = np.full(len(table), colors.NONFINITE, dtype=int)
        lit = np.zeros(len(table), bool)
        phase = cursor.phase
        if phase == "backward":
            active, _ = self._phase_masks(T, cursor)
            d_state = bt.deltas[tr.state_name]
            d_out = bt.deltas["o" if tr.kind == "SimpleRNN" else "out"]
            vx = np.max(np.abs(tr.x)) if np.isfinite(tr.x).all() else 1.0
            vmax = self._err_max(result)
            values = {0: (tr.x, vx), 1: (d_state, vmax), 2: (d_out, vmax)}
        else:
            active, _ = self._phase_masks(T, cursor)
            values = {0: (tr.x, colors.finite_max(tr.x)), 1: (tr.state, 1.0),
                      2: (tr.y_hat, colors.finite_max(tr.y_hat))}
        for code, (arr, vmax) in values.items():
            sel = layer == code
            idx[sel] = colors.signed_index(arr[step[sel], k[sel]], vmax)
        # losses: J(t) takes its source colour when it carries a loss
        sel = layer == 3
        lit[:] = active[step]
        if phase == "backward":
            lit[layer == 0] = False  # inputs receive no error
        brushes = colors.brushes("diverging")
        faint = colors.brush(self.theme.faint)
        out = [brushes[i] if on else faint for i, on in zip(idx, lit, strict=True)]
        mask = bt.loss_mask
        for n in np.flatnonzero(sel):
            s = step[n]
            if mask[s] and (lit[n] or phase == "update"):
                out[n] = colors.brush(colors.source_hex(s + 1))
            elif not mask[s]:
                out[n] = colors.brush(self.theme.background)
        self._brush_idx = np.where(lit, idx, -1)
        self._brush_idx[sel] = -1
        size = self._node_size(tr)
        if self._node_geometry != (len(table), size, self.theme.muted):
            self._node_geometry = (len(table), size, self.theme.muted)
            self.nodes.setData(x=table[:, 3], y=table[:, 4],
                               size=np.where(layer == 3, size * 1.4, size),
                               pen=colors.pen(self.theme.muted, 1.0), brush=out)
            self._brush_ids = None
        ids = tuple(map(id, out))
        if ids != self._brush_ids:  # only the colours change from frame to frame
            self._brush_ids = ids
            self.nodes.setBrush(out)

    def _node_size(self, tr) -> float:
        px = self.vb.viewPixelSize()
        if not px[0] or not px[1]:
            return 8.0
        col_px = 1.0 / px[0]
        gap_h = (Y_H1 - Y_H0) / max(tr.n_hidden - 1, 1) / px[1]
        gap_row = 2 * ROW_HALF / max(max(tr.n_in, tr.n_out) - 1, 1) / px[0]
        return float(np.clip(min(0.5 * col_px, 0.8 * gap_h, 0.85 * gap_row), 3, 22))

    def _err_max(self, result) -> float:
        bt = result.backward
        d = np.asarray(bt.deltas[result.forward.state_name])
        return colors.finite_max(d)

    def _draw_weights(self, result, cursor) -> None:
        tr = result.forward
        segs, meta = self._edges
        if not len(segs):
            self.weights.set(segs, np.zeros(0), {})
            self.current.set(segs, np.zeros(0), {})
            return
        kind, t = meta[:, 0], meta[:, 1]
        p = tr.params
        if cursor.phase == "update":
            g = result.applied_gradient
            if tr.kind == "LSTM":
                mats = (_combined(g, "W"), _combined(g, "R"), g["V"])
            else:
                mats = (g["U"], g["W"], g["V"])
        elif tr.kind == "LSTM":
            mats = (_combined(p, "W"), _combined(p, "R"), p["V"])
        else:
            mats = (p["U"], p["W"], p["V"])
        w = np.empty(len(meta))
        for kd, M in enumerate(mats):
            sel = kind == kd
            w[sel] = np.asarray(M)[meta[sel, 2], meta[sel, 3]]
        theme = self.theme
        base = {0: theme.muted, 1: theme.recurrent, 2: theme.muted}
        active, current = self._phase_masks(tr.T, cursor)
        lit = active[t - 1]
        if cursor.phase == "backward":
            lit[:] = False  # errors take the stage; weights step back
        pens = {}
        # 1-px pens on screen: Qt strokes a wider pen over thousands of segments ~1000x slower
        # (End at H = 64, T = 100 took 22 s to paint with 1.5-px update pens)
        lw = 1.6 * self.theme.line_scale if self._export else 1.0
        if cursor.phase == "update":
            vmax = max(colors.finite_max(np.asarray(M)) for M in mats)
            ci = colors.signed_index(w, vmax) // 32  # 8 colour bins; 8 = non-finite
            for b in range(9):
                rgb = colors.TABLES["diverging"][min(b * 32 + 16, 255) if b < 8 else
                                                 colors.NONFINITE]
                pens[100 + b] = colors.pen(tuple(int(v) for v in rgb),
                                           lw * 1.5 if self._export else lw, 230)
            style = 100 + np.minimum(ci, 8)
        else:
            mags = np.abs(w)
            alpha_bin = np.zeros(len(w), dtype=int)
            for kd in range(3):
                sel = kind == kd
                if sel.any():
                    vmax = colors.finite_max(mags[sel])
                    with np.errstate(invalid="ignore"):
                        q = np.nan_to_num(mags[sel] / vmax, nan=1.0)
                    alpha_bin[sel] = np.clip((q * 4).astype(int), 0, 3)
            for kd, col in base.items():
                for a, alpha in enumerate(ALPHAS):
                    pens[4 * kd + a] = colors.pen(col, lw, alpha)
            pens[FAINT] = colors.pen(theme.faint, lw, 255 if self._export else 180)
            style = np.where(lit, 4 * kind + alpha_bin, FAINT)
        if cursor.phase == "backward" and self.lod:
            # the errors are the picture; thousands of faint lines would only cost paint time
            self.weights.set(segs[:0], style[:0], pens)
        else:
            self.weights.set(segs, style, pens)
        # the current step's incoming connections, highlighted
        cur = current[t - 1] & (cursor.phase == "forward")
        hp = {kd: colors.pen(col, 2.2 if not self._export else 3.0, 255)
              for kd, col in base.items()}
        self.current.set(segs[cur], kind[cur], hp)

    def _draw_errors(self, result, cursor) -> None:
        """Backward: one arrow per (source s, step t) that delta_by_source says an error reaches."""
        _tr, bt = result.forward, result.backward
        if cursor.phase != "backward":
            self._arrow_table = np.zeros((0, 3))
            self.errors.set(np.zeros((0, 2, 2)), np.zeros(0), {})
            return
        norms = result.error_norms  # (T_s, T_t), computed once per result, not per frame
        s_idx, t_idx, mags = error_arrows(norms, bt.loss_mask, cursor.t, self.bundle)
        self._arrow_table = np.stack([s_idx + 1, t_idx + 1, mags], axis=1)
        lane = self._lane[s_idx // self.bundle]
        segs = np.empty((len(s_idx), 2, 2))
        inj = s_idx == t_idx  # J(s) into h(s): from the loss node down to its lane
        segs[inj, 0] = np.stack([s_idx[inj] + 1.0, np.full(inj.sum(), Y_J - 0.25)], axis=1)
        segs[inj, 1] = np.stack([s_idx[inj] + 1.12, lane[inj]], axis=1)
        tr_ = ~inj  # h(t+1) -> h(t) along the lane
        segs[tr_, 0] = np.stack([t_idx[tr_] + 2 - 0.12, lane[tr_]], axis=1)
        segs[tr_, 1] = np.stack([t_idx[tr_] + 1 + 0.12, lane[tr_]], axis=1)
        vmax = colors.finite_max(norms)
        with np.errstate(all="ignore"):
            level = 1 + np.log10(mags / vmax) / DECADES  # (n,) 1 = largest, 0 = DECADES below
        level = np.clip(np.nan_to_num(level, nan=1.0, posinf=1.0, neginf=0.0), 0, 1)
        wbin = np.minimum((level * 4).astype(int), 3)
        scale = (1.5 if self._export else 1.0) * self.theme.line_scale
        n_hues = len(colors.SOURCE_HEX)
        if self.frame.selection.color_by == "magnitude":
            hue = 100 + np.minimum((level * 8).astype(int), 7)  # 8 viridis bins
        else:
            hue = s_idx % n_hues  # the colour of J(s): sources sharing a hue share an item
        hue = np.where(np.isfinite(mags), hue, 200)
        style = hue * 4 + wbin
        pens = {}
        for code in np.unique(style):
            h, b = divmod(int(code), 4)
            if h == 200:
                rgb = colors.NONFINITE_RGB
            elif h >= 100:
                rgb = tuple(int(v) for v in colors.TABLES["viridis"][(h - 100) * 36 + 3])
            else:
                rgb = colors.hex_to_rgb(colors.SOURCE_HEX[h])
            pens[int(code)] = colors.pen(rgb, WIDTHS[b] * scale)
        self.errors.set(segs, style, pens)

    def _draw_legend(self, result, cursor) -> None:
        tr, bt = result.forward, result.backward
        fg = self.theme.foreground
        state = tr.state_name
        if cursor.phase == "backward":
            vmax = self._err_max(result)
            self.value_bar.set("diverging", f"error δ{state}, δo (neurons)", fmt(-vmax), "0",
                               fmt(vmax), fg)
        else:
            self.value_bar.set("diverging", f"value of {state}(t) (ŷ, x: own scale)", "-1", "0",
                               "1", fg)
        by_mag = self.frame.selection.color_by == "magnitude"
        # the viridis bar explains arrow colours only when they encode magnitude
        self.error_bar.vb.setVisible(cursor.phase == "update"
                                     or (cursor.phase == "backward" and by_mag))
        if cursor.phase == "update":
            self.error_bar.set("diverging", "edges: ∂J/∂θ summed over t", "−", "0", "+", fg)
        else:
            self.error_bar.set("viridis", f"arrows: ‖∂J(s)/∂{state}(t)‖", f"10^-{DECADES:g} max",
                               "", "max", fg)
        set_label(self.caption, self._caption(result, cursor), color=fg, size=pt(self.theme, 11))
        sources = bt.sources
        rec = "W" if tr.kind == "SimpleRNN" else "R (Σ of R_z, R_i, R_f, R_o)"
        if cursor.phase == "forward":
            html = (f"<span style='color:{self.theme.recurrent}'>━</span> recurrent {rec}, "
                    f"<span style='color:{self.theme.muted}'>━</span> "
                    f"{'U' if tr.kind == 'SimpleRNN' else 'W'} and V; opacity ∝ |weight|; "
                    "bold: this step's inputs · J(t) takes the colour its error will carry "
                    "back; ○ no loss at that step")
            set_label(self.sources, html, color=fg, size=pt(self.theme, 9))
            return
        no_loss = "○ J(t) without a loss (masked)" if (bt.loss_mask == 0).any() else ""
        width = f"arrow width: ‖∂J(s)/∂{state}(t)‖, log over {DECADES:g} decades"
        if len(sources) == 0:
            src_html = "no loss carries an error"
        elif by_mag and cursor.phase == "backward":
            src_html = f"arrows coloured by magnitude (M: by source) · {width}"
        else:
            shown = sources[:8]
            chips = " ".join(f"<span style='color:{colors.source_hex(int(s))}'>■</span>J({s})"
                             for s in shown)
            more = f" … J({sources[-1]})" if len(sources) > 8 else ""
            src_html = f"error from each J(s) in its colour: {chips}{more} · {width}"
        if no_loss:
            src_html += f" · {no_loss}"
        if bt.truncation is not None:
            src_html += f" · truncated BPTT, k = {bt.truncation}"
        if self.bundle > 1:
            src_html += (f" · T > {LOD_LENGTH}: every {self.bundle} neighbouring J(s) share a "
                         "lane, coloured as the first")
        set_label(self.sources, src_html, color=fg, size=pt(self.theme, 9))

    def _caption(self, result, cursor) -> str:
        tr = result.forward
        T, t = tr.T, cursor.t
        lod = ""
        if self.lod:
            picks = self._edge_pick
            lod = (f" · large network: drawing the {len(picks[1][0])} strongest of "
                   f"{picks[1][2]} recurrent and {len(picks[0][0])} of {picks[0][2]} input "
                   "connections")
        if cursor.phase == "forward":
            if tr.kind == "SimpleRNN":
                eq = f"a({t}) = b + W h({t - 1}) + U x({t}),  h({t}) = g(a({t}))"
            else:
                eq = f"y({t}) = o({t}) ⊙ tanh(c({t})), gates from x({t}) and y({t - 1})"
            return f"<b>forward t = {t} / {T}</b> · {eq}{lod}"
        if cursor.phase == "backward":
            n = int((self._arrow_table[:, 0] >= 1).sum()) if len(self._arrow_table) else 0
            k = result.backward.truncation
            which = f"s ≥ {t}" if k is None else f"{t} ≤ s < {t} + k, k = {k}"
            return (f"<b>backward t = {t}</b> · errors from every J(s), {which}, reach "
                    f"{tr.state_name}({t}): {n} error arrow{'' if n == 1 else 's'}{lod}")
        norm = result.norm_before
        clip = (f", clipped to {fmt(result.config.clip)}" if result.clipped else "")
        return (f"<b>update</b> · θ ← θ − η Σ<sub>t</sub> (∂J/∂θ)<sup>(t)</sup>, η = "
                f"{fmt(result.config.lr)}, ‖∂J/∂θ‖ = {fmt(norm)}{clip}{lod}")

    # -- hover ----------------------------------------------------------------------------
    def _on_mouse_moved(self, pos) -> None:
        if self._result is None or not self.vb.sceneBoundingRect().contains(pos):
            return
        text = self.describe_at(self.vb.mapSceneToView(pos))
        set_label(self.info, text or "", color=self.theme.foreground, size=pt(self.theme, 10))
        if text:
            QtWidgets.QToolTip.showText(QtCore.QPoint(*_global(self, pos)),
                                        text.replace("<br>", "\n"), self)

    def describe_at(self, p) -> str | None:
        """The hover text for the point ``p`` (view coordinates), or None if nothing is near."""
        result, cursor = self._result, self._cursor
        tr, bt = result.forward, result.backward
        px, py = self.vb.viewPixelSize()
        table = self.node_table
        dx = (table[:, 3] - p.x()) / px
        dy = (table[:, 4] - p.y()) / py
        d = np.hypot(dx, dy)
        n = int(np.argmin(d))
        if d[n] <= 12:
            code, t, k = int(table[n, 0]), int(table[n, 1]), int(table[n, 2])
            return self._describe_node(tr, bt, code, t, k)
        if cursor.phase == "backward" and len(self._arrow_table):
            segs = self.errors.segments
            mid = segs.mean(axis=1)
            dm = np.hypot((mid[:, 0] - p.x()) / px, (mid[:, 1] - p.y()) / py)
            a = int(np.argmin(dm))
            if dm[a] <= 10:
                s, t, m = self._arrow_table[a]
                st = tr.state_name
                return (f"error from J({int(s)}) arriving at {st}({int(t)}): "
                        f"‖∂J({int(s)})/∂{st}({int(t)})‖ = {fmt(m)}")
        segs, meta = self._edges
        if len(segs):
            mid = segs.mean(axis=1)
            dm = np.hypot((mid[:, 0] - p.x()) / px, (mid[:, 1] - p.y()) / py)
            a = int(np.argmin(dm))
            if dm[a] <= 8:
                return self._describe_edge(tr, result, meta[a])
        return None

    def _describe_node(self, tr, bt, code, t, k) -> str:
        st = tr.state_name
        if code == 0:
            return f"x<sub>{k + 1}</sub>({t}) = {fmt(tr.x[t - 1, k])}"
        if code == 1:
            v, e = tr.state[t - 1, k], bt.deltas[st][t - 1, k]
            extra = ""
            if tr.kind == "SimpleRNN":
                extra = f", a = {fmt(tr.a[t - 1, k])}"
            else:
                extra = f", c = {fmt(tr.c[t - 1, k])}"
            return (f"{st}<sub>{k + 1}</sub>({t}) = {fmt(v)}{extra}<br>error δ{st} = ∂J/∂{st} = "
                    f"{fmt(e)}")
        if code == 2:
            ro = "o" if tr.kind == "SimpleRNN" else "out"
            return (f"ŷ<sub>{k + 1}</sub>({t}) = {fmt(tr.y_hat[t - 1, k])}, {ro} = "
                    f"{fmt(tr.readout[t - 1, k])}<br>error δ{ro} = "
                    f"{fmt(bt.deltas[ro][t - 1, k])}")
        on = bt.loss_mask[t - 1] == 1
        return (f"J({t}) = {fmt(bt.losses[t - 1])}" if on else
                f"J({t}): no loss at this step (masked)")

    def _describe_edge(self, tr, result, m) -> str:
        kind, t, j, k = (int(v) for v in m)
        st = tr.state_name
        p, g = tr.params, result.applied_gradient
        if tr.kind == "SimpleRNN":
            name = ("U", "W", "V")[kind]
            w, gw = p[name][j, k], g[name][j, k]
            vals = f"{name}[{j + 1},{k + 1}] = {fmt(w)}, ∂J/∂{name} = {fmt(gw)}"
        else:
            pre = ("W", "R", None)[kind]
            if pre is None:
                vals = f"V[{j + 1},{k + 1}] = {fmt(p['V'][j, k])}, ∂J/∂V = {fmt(g['V'][j, k])}"
            else:
                vals = ", ".join(f"{pre}<sub>{q}</sub> = {fmt(p[f'{pre}_{q}'][j, k])}"
                                 for q in "zifo")
                vals = f"[{j + 1},{k + 1}]: {vals}"
        src = (f"x<sub>{k + 1}</sub>({t})", f"{st}<sub>{k + 1}</sub>({t - 1})",
               f"{st}<sub>{k + 1}</sub>({t})")[kind]
        dst = (f"{st}<sub>{j + 1}</sub>({t})", f"{st}<sub>{j + 1}</sub>({t})",
               f"ŷ<sub>{j + 1}</sub>({t})")[kind]
        return f"{src} → {dst}: {vals}"

    # -- introspection for tests and export ----------------------------------------------------
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
        """The QBrush of every neuron, in the order of ``node_table``."""
        return [pt.brush() for pt in self.nodes.points()]

    def graphics_item(self):
        return self.canvas.ci

    def _set_export_style(self, on: bool) -> None:
        self._export = on
        self._node_geometry = None
        for layer in (self.weights, self.current, self.errors):
            layer.set_antialias(on)
        self.nodes.opts["antialias"] = on

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.frame is not None:  # node sizes and arrowheads are in pixels
            QtCore.QTimer.singleShot(0, self, self.redraw)




def _global(widget, scene_pos):
    view_pt = widget.canvas.mapFromScene(scene_pos)
    g = widget.canvas.mapToGlobal(view_pt)
    return g.x(), g.y()
