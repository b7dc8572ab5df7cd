"""The folded network: the whole RNN as one block with its self-loop, the black box the articles
warn about, showing the same values as the unfolded view at the cursor. An LSTM has two loops:
y(t-1) back into the gates (through R_z, R_i, R_f, R_o) and the cell state c(t-1) -> c(t), the
highway (through f(t)).

Its unroll mode (option ``folded.unroll``) redraws a simple RNN's block as the deep network it
is: h(1) -> h(2) -> ... as dense layers that all use the one W, with the product the backward
pass multiplies and its norm against the number of factors (unroll.py). Other models keep the
block and say why in the caption."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ... import colors
from ...graphics.axes import plain_viewbox
from ...graphics.colorbar import ColorBar
from ...graphics.labels import pt
from ...model.present import unrolled_chain as uc
from ...model.present.numbers import cursor_label, fmt
from ...model.present.unfolded_edges import cell_kind
from ...model.present.unfolded_text import CELL_NAMES
from .. import register
from ..base import View, build_in_parts, failure_text
from .unroll import UnrollDrawing

#: the recurrent matrices of each kind of cell
RECURRENT_NAMES = {"rnn": "W", "lstm": "R_z, R_i, R_f, R_o", "gru": "R_r, R_u, R_n"}
Y_X, Y_H, Y_OUT, Y_J = 0.0, 2.0, 4.0, 5.2
BLOCK = QtCore.QRectF(-1.6, 1.3, 3.2, 1.4)
COMPACT_PX = 1000  # narrower than this x font_scale, the unroll mode draws fewer layers and words
COMPACT_LAYERS = 5


@register
class FoldedView(View):
    name = "network-folded"
    title = "Folded network"
    tabs = ("Folded",)
    description = ("The same RNN folded: one block whose output loops back into itself, with the "
                   "values at the cursor.")

    def _build_parts(self):
        self.unroll_box = QtWidgets.QCheckBox("unroll: the same W at every step")
        self.unroll_box.setToolTip("Draw a simple RNN's recurrent connections h(1) → h(2) → … as "
                                   "a deep dense network whose every layer uses the one W, with "
                                   "the product of W's the backward pass multiplies")
        self.unroll_box.toggled.connect(self._on_unroll_toggled)
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        head.addWidget(self.unroll_box)
        head.addStretch(1)
        ci = self.add_canvas(head)
        self.vb = plain_viewbox(ci, row=1, col=0)
        self.vb.setAspectLocked(True)
        yield
        bars = ci.addLayout(row=2, col=0)
        self.bar = ColorBar(bars, row=0, col=0)
        yield
        self.w_bar = ColorBar(bars, row=0, col=1)  # the unroll mode's W entries
        yield
        bars.layout.setColumnStretchFactor(2, 1)
        ci.layout.setRowStretchFactor(1, 10)
        self.block = QtWidgets.QGraphicsRectItem(BLOCK)
        self.vb.addItem(self.block)
        self.loop = QtWidgets.QGraphicsPathItem()
        self.vb.addItem(self.loop)
        self.cell_loop = QtWidgets.QGraphicsPathItem()  # an LSTM's second loop: c(t-1) -> c(t)
        self.vb.addItem(self.cell_loop)
        self.links = pg.PlotCurveItem(connect="pairs")
        self.vb.addItem(self.links)
        self.nodes = pg.ScatterPlotItem(pxMode=True, size=16)
        self.nodes.setZValue(3)
        self.vb.addItem(self.nodes)
        self.texts = {k: pg.TextItem(anchor=a) for k, a in
                      (("x", (1, 0.5)), ("h", (0, 0.5)), ("out", (1, 0.5)), ("J", (0, 0.5)),
                       ("loop", (0.5, 1)), ("block", (0, 0)), ("cell", (0.5, 0)))}
        for t in self.texts.values():
            self.vb.addItem(t)
        self.vb.setRange(xRange=(-3.8, 3.8), yRange=(-0.7, 6.0), padding=0)
        self._positions = {}
        self.folded_items = [self.block, self.loop, self.cell_loop, self.links, self.nodes,
                             *self.texts.values()]
        yield
        self.unroll = yield from build_in_parts(UnrollDrawing, self.vb, ci, 1, 1)
        ci.layout.setColumnStretchFactor(0, 3)
        ci.layout.setColumnStretchFactor(1, 2)
        self.unroll.set_visible(False)
        self._showing = "folded"
        self.unroll.restyle(self.theme)
        self.w_bar.vb.setVisible(False)
        self.chain = None  # the unrolled chain drawn last (tests read it)

    def _restyle(self, theme) -> None:
        super()._restyle(theme)
        self.unroll.restyle(theme)

    # -- intent and jobs --------------------------------------------------------------------
    def _on_unroll_toggled(self, on: bool) -> None:
        if self.app is not None:
            self.app.set_options("folded", unroll=bool(on))

    def needs(self, frame) -> dict:
        if frame.options["folded"].unroll and uc.applies(frame.result):
            return {"chain-curve": uc.ChainCurveJob.of(frame.result, frame.cursor)}
        return {}

    @staticmethod
    def _row(n: int, y: float, half: float = 1.3) -> np.ndarray:
        xs = np.zeros(n) if n == 1 else np.linspace(-half, half, n)
        return np.stack([xs, np.full(n, y)], axis=1)

    def _draw(self, frame) -> None:
        unroll = frame.options["folded"].unroll
        self.unroll_box.blockSignals(True)
        self.unroll_box.setChecked(unroll)
        self.unroll_box.blockSignals(False)
        if unroll and uc.applies(frame.result):
            self._draw_unrolled(frame)
            return
        self.chain = None
        self._show("folded")
        self.cell_loop.setVisible(frame.result.forward.kind == "LSTM")
        self.vb.setRange(xRange=(-3.8, 3.8), yRange=(-0.7, 6.0), padding=0)
        self._draw_folded(frame, uc.other_note(frame.result) if unroll else "")

    def _show(self, mode: str) -> None:
        """Show the items of ``mode`` ("folded" or "unroll") and hide the other's (once per
        switch: a hundred setVisible calls cost a few milliseconds per frame)."""
        if mode == self._showing:
            return
        self._showing = mode
        unroll = mode == "unroll"
        for item in self.folded_items:
            item.setVisible(not unroll)
        self.unroll.set_visible(unroll)
        self.w_bar.vb.setVisible(unroll)

    def _draw_unrolled(self, frame) -> None:
        self._show("unroll")
        # a slide (laid out 800 px wide) or large type (presentation): fewer layers and words
        compact = self.width() < COMPACT_PX * self.theme.font_scale
        data = frame.derived.get("chain-curve")
        chain = self.chain = uc.unrolled_chain(frame.result, frame.cursor,
                                               COMPACT_LAYERS if compact else uc.MAX_LAYERS, data)
        note = ("computing the norms…" if "chain-curve" in frame.pending else
                failure_text(frame.failed["chain-curve"]) if "chain-curve" in frame.failed
                else "")
        xr, yr = self.unroll.draw(chain, data, note, self.theme, compact, self.width())
        self.vb.setRange(xRange=xr, yRange=yr, padding=0)
        fg = self.theme.foreground
        values = ("errors ∂J/∂h" if chain.direction == "backward" else "values h")
        self.bar.set("diverging", f"nodes: {values}", fmt(-chain.value_max),
                     "0", fmt(chain.value_max), fg)
        wmax = colors.finite_max(chain.W)
        self.w_bar.set("diverging", "lines: entries of W", fmt(-wmax), "0",
                       fmt(wmax), fg)
        H = chain.W.shape[0]
        lines = (f"all {H * H} entries" if len(chain.edges) == H * H
                 else f"its {len(chain.edges)} strongest of {H * H} entries")
        tr = frame.result.forward
        if compact:
            self.caption.setText(f"<b>{cursor_label(frame.cursor, tr.T)}</b> (dashed) · "
                                 f"unrolled: every layer uses the same W · "
                                 f"{uc.short_formula(chain)}", color=fg, size=pt(self.theme, 11))
            return
        self.caption.setText(
            f"<b>{cursor_label(frame.cursor, tr.T)}</b> · unrolled, the recurrent connections "
            f"are a {tr.T}-layer dense network whose every layer uses the same W (lines: "
            f"{lines}; dashed frame: the cursor's step)<br>"
            f"{chain.formula}<br>{uc.readout(chain)}", color=fg, size=pt(self.theme, 11))

    def _draw_folded(self, frame, note: str) -> None:
        result, cursor = frame.result, frame.cursor
        tr, bt = result.forward, result.backward
        theme = self.theme
        fg = theme.foreground
        t = cursor.t
        k = t - 1
        st = tr.state_name
        kind, cell = tr.kind, cell_kind(tr)
        t_enc = tr.T_enc if kind == "Seq2Seq" else 0
        j = k - t_enc  # the row of ŷ, J (a seq2seq model's decoder step - 1), < 0 before
        backward = cursor.phase == "backward"
        x_vals = tr.x_dec[j] if t_enc and j >= 0 else tr.x[k]
        x_scale = colors.finite_max(tr.x_dec if t_enc and j >= 0 else tr.x)
        ro = tr.readout_name
        if backward:
            states = np.asarray(bt.deltas[st if kind in ("SimpleRNN", "LSTM") else "h"])
            vmax = colors.finite_max(states)
            h_vals = states[k]
            out_vals = np.asarray(bt.deltas[ro])[j] if j >= 0 else None
            self.bar.set("diverging", f"error δ{st}, δ{ro} at t = {t}", fmt(-vmax), "0",
                         fmt(vmax), fg)
        else:
            vmax = 1.0
            h_vals = tr.state[k]
            out_vals = tr.y_hat[j] if j >= 0 else None
            self.bar.set("diverging", f"value at t = {t}", "-1", "0", "1", fg)
        px = {"x": self._row(len(x_vals), Y_X), "h": self._row(len(h_vals), Y_H),
              "out": self._row(tr.n_out, Y_OUT), "J": np.array([[0.0, Y_J]])}
        self._positions = px
        table = colors.brushes("diverging")
        if backward:  # inputs receive no error: drawn faint, like in the unfolded view
            brushes = [colors.brush(theme.faint)] * len(x_vals)
        else:
            brushes = [table[i] for i in colors.signed_index(x_vals, x_scale)]
        brushes += [table[i] for i in colors.signed_index(h_vals, vmax)]
        if out_vals is None:  # an encoder step reads out nothing
            brushes += [colors.brush(theme.background)] * tr.n_out
        else:
            brushes += [table[i] for i in colors.signed_index(
                out_vals, vmax if backward else colors.finite_max(tr.y_hat))]
        on = j >= 0 and bt.loss_mask[j] == 1
        brushes.append(colors.brush(colors.source_hex(j + 1)) if on
                       else colors.brush(theme.background))
        pos = np.concatenate([px["x"], px["h"], px["out"], px["J"]])
        self.nodes.setData(pos=pos, brush=brushes, pen=colors.pen(theme.muted),
                           size=[22] * (len(pos) - 1) + [30])
        # U into the block, V out of it, the loss on top
        segs = [(px["x"][:, 0].mean(), Y_X + 0.25, 0, BLOCK.top()),
                (0, BLOCK.bottom(), 0, Y_OUT - 0.25), (0, Y_OUT + 0.25, 0, Y_J - 0.25)]
        xy = np.array([[a, b] for x0, y0, x1, y1 in segs for a, b in ((x0, y0), (x1, y1))])
        self.links.setData(xy[:, 0], xy[:, 1], pen=colors.pen(theme.muted, 2.0))
        self.block.setPen(colors.pen(fg, 2.0))
        self.block.setBrush(colors.brush(theme.faint, 90))
        self.loop.setPath(_loop_path(BLOCK.right(), Y_H, 1.6, 1.3))
        self.loop.setPen(colors.pen(theme.recurrent, 3.0))
        lstm = kind == "LSTM"
        self.cell_loop.setVisible(lstm)
        tx_cell = self.texts["cell"]
        tx_cell.setVisible(lstm)
        if lstm:  # the highway loops on the left, the cell state's own recurrence
            self.cell_loop.setPath(_loop_path(BLOCK.left(), Y_H, -1.6, 1.3))
            self.cell_loop.setPen(colors.pen(colors.HIGHWAY_HEX, 3.0))
            tx_cell.setText("c(t−1) → c(t): ⊙ f(t)" if not backward else
                            "δc from t + 1, ⊙ f(t+1)", color=colors.HIGHWAY_HEX)
            tx_cell.setPos(BLOCK.left() - 0.9, Y_H + 1.35)
        rec = RECURRENT_NAMES[cell]
        if kind == "BidirectionalRNN":
            rec = f"fwd.{rec} from t − 1 and bwd.{rec} from t + 1"
        elif t_enc:
            rec = ("enc." if t <= t_enc else "dec.") + rec
        tx = self.texts
        x_text = f"x({t})" if j < 0 or not t_enc else (
            "zeros" if j == 0 else f"ŷ({j}) fed back" if not tr.teacher_forcing
            else f"target({j})")
        tx["x"].setText(x_text, color=fg)
        tx["x"].setPos(-1.6, Y_X)
        tx["h"].setText(f"{st}({t})", color=fg)
        tx["h"].setPos(BLOCK.left() + 0.05, BLOCK.bottom() - 0.2)
        n = j + 1 if t_enc else t  # ŷ and J are numbered by the decoder's own steps
        tx["out"].setText(f"ŷ({n})" if j >= 0 else "no output (encoder)", color=fg)
        tx["out"].setPos(-1.6, Y_OUT)
        tx["J"].setText(f"J({n}) = {fmt(bt.losses[j])}" if on else
                        f"J({n}): no loss" if j >= 0 else "", color=fg)
        tx["J"].setPos(0.3, Y_J)
        into = f"the gates at {t}" if lstm else f"{st}({t})"
        tx["loop"].setText(f"{rec}: {st}({t - 1}) → {into}" if not backward else
                           f"{rec}ᵀ: δ from t + 1 = {t + 1}", color=theme.recurrent)
        tx["loop"].setPos(BLOCK.right() + 0.9, Y_H + 1.35)
        what_block = {"BidirectionalRNN": f"bidirectional {CELL_NAMES[cell]}s, 2 × H",
                      "Seq2Seq": ("encoder" if j < 0 else "decoder") + f" {CELL_NAMES[cell]}, H"
                      }.get(kind, f"{kind}, H")
        # under the block, right of the input's line, on two lines (inside the block, large
        # type ran into the loop's arrow; an LSTM's c loop takes its left side)
        tx["block"].setText(f"{what_block} = {tr.n_hidden}".replace(", ", ",\n", 1), color=fg)
        tx["block"].setPos(0.15, BLOCK.top() - 0.05)
        what = {"forward": "values", "backward": "errors", "update": "values"}[cursor.phase]
        note = f"<br>unroll: {note}" if note else ""
        self.caption.setText(f"<b>{cursor_label(cursor, tr.T)}</b> · the folded view hides time: "
                             f"one block, its {what} at this moment only{note}", color=fg,
                             size=pt(self.theme, 11))

    def graphics_item(self):
        return self.canvas.ci


def _loop_path(x: float, y: float, reach: float, height: float) -> QtGui.QPainterPath:
    """A loop leaving the block's side at ``x`` above ``y`` and coming back below it, bulging
    ``reach`` outwards (negative: to the left), with an arrowhead pointing back in."""
    path = QtGui.QPainterPath(QtCore.QPointF(x, y + 0.3))
    path.cubicTo(QtCore.QPointF(x + reach, y + height), QtCore.QPointF(x + reach, y - height),
                 QtCore.QPointF(x, y - 0.3))
    tip = QtCore.QPointF(x, y - 0.3)
    side = 1.0 if reach > 0 else -1.0
    path.moveTo(tip + QtCore.QPointF(0.25 * side, -0.12))
    path.lineTo(tip)
    path.lineTo(tip + QtCore.QPointF(0.22 * side, 0.18))
    return path
