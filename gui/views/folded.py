"""The folded network: the whole RNN as one block with its self-loop, the black box the articles
warn about, showing the same values as the unfolded view at the cursor. An LSTM has two loops:
y(t-1) back into the gates (through R_z, R_i, R_f, R_o) and the cell state c(t-1) -> c(t), the
highway (through f(t))."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .. import colors
from ..graphics.colorbar import ColorBar
from ..graphics.labels import pt
from ..model.present.numbers import cursor_label, fmt
from . import register
from .base import View

Y_X, Y_H, Y_OUT, Y_J = 0.0, 2.0, 4.0, 5.2
BLOCK = QtCore.QRectF(-1.6, 1.3, 3.2, 1.4)


@register
class FoldedView(View):
    name = "network-folded"
    title = "Folded network"
    tabs = ("Folded",)
    description = ("The same RNN folded: one block whose output loops back into itself, with the "
                   "values at the cursor.")

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        ci = self.add_canvas()
        self.vb = ci.addViewBox(row=1, col=0)
        self.vb.setMouseEnabled(False, False)
        self.vb.setMenuEnabled(False)
        self.vb.setAspectLocked(True)
        self.bar = ColorBar(ci.addLayout(row=2, col=0), row=0, col=0)
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
                       ("loop", (0.5, 1)), ("block", (0.5, 0)), ("cell", (0.5, 0)))}
        for t in self.texts.values():
            self.vb.addItem(t)
        self.vb.setRange(xRange=(-3.8, 3.8), yRange=(-0.7, 6.0), padding=0)
        self._positions = {}

    @staticmethod
    def _row(n: int, y: float, half: float = 1.3) -> np.ndarray:
        xs = np.zeros(n) if n == 1 else np.linspace(-half, half, n)
        return np.stack([xs, np.full(n, y)], axis=1)

    def _draw(self, frame) -> None:
        result, cursor = frame.result, frame.cursor
        tr, bt = result.forward, result.backward
        theme = self.theme
        fg = theme.foreground
        t = cursor.t
        k = t - 1
        st = tr.state_name
        px = {"x": self._row(tr.n_in, Y_X), "h": self._row(tr.n_hidden, Y_H),
              "out": self._row(tr.n_out, Y_OUT), "J": np.array([[0.0, Y_J]])}
        self._positions = px
        backward = cursor.phase == "backward"
        if backward:
            vmax = colors.finite_max(bt.deltas[st])
            h_vals = bt.deltas[st][k]
            ro = "o" if tr.kind == "SimpleRNN" else "out"
            out_vals = bt.deltas[ro][k]
            self.bar.set("diverging", f"error δ{st}, δ{ro} at t = {t}", fmt(-vmax), "0",
                         fmt(vmax), fg)
        else:
            vmax = 1.0
            h_vals = tr.state[k]
            out_vals = tr.y_hat[k]
            self.bar.set("diverging", f"value at t = {t}", "-1", "0", "1", fg)
        table = colors.brushes("diverging")
        if backward:  # inputs receive no error: drawn faint, like in the unfolded view
            brushes = [colors.brush(theme.faint)] * tr.n_in
        else:
            brushes = [table[i] for i in colors.signed_index(tr.x[k], colors.finite_max(tr.x))]
        brushes += [table[i] for i in colors.signed_index(h_vals, vmax)]
        brushes += [table[i] for i in colors.signed_index(
            out_vals, vmax if backward else colors.finite_max(tr.y_hat))]
        on = bt.loss_mask[k] == 1
        brushes.append(colors.brush(colors.source_hex(t)) if on else colors.brush(theme.background))
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
        lstm = tr.kind == "LSTM"
        self.cell_loop.setVisible(lstm)
        tx_cell = self.texts["cell"]
        tx_cell.setVisible(lstm)
        if lstm:  # the highway loops on the left, the cell state's own recurrence
            self.cell_loop.setPath(_loop_path(BLOCK.left(), Y_H, -1.6, 1.3))
            self.cell_loop.setPen(colors.pen(colors.HIGHWAY_HEX, 3.0))
            tx_cell.setText("c(t−1) → c(t): ⊙ f(t)" if not backward else
                            "δc from t + 1, ⊙ f(t+1)", color=colors.HIGHWAY_HEX)
            tx_cell.setPos(BLOCK.left() - 0.9, Y_H + 1.35)
        rec = "W" if tr.kind == "SimpleRNN" else "R_z, R_i, R_f, R_o"
        tx = self.texts
        tx["x"].setText(f"x({t})", color=fg)
        tx["x"].setPos(-1.6, Y_X)
        tx["h"].setText(f"{st}({t})", color=fg)
        tx["h"].setPos(BLOCK.left() + 0.05, BLOCK.bottom() - 0.2)
        tx["out"].setText(f"ŷ({t})", color=fg)
        tx["out"].setPos(-1.6, Y_OUT)
        tx["J"].setText(f"J({t}) = {fmt(bt.losses[k])}" if on else f"J({t}): no loss", color=fg)
        tx["J"].setPos(0.3, Y_J)
        into = f"the gates at {t}" if lstm else f"{st}({t})"
        tx["loop"].setText(f"{rec}: {st}({t - 1}) → {into}" if not backward else
                           f"{rec}ᵀ: δ from t + 1 = {t + 1}", color=theme.recurrent)
        tx["loop"].setPos(BLOCK.right() + 0.9, Y_H + 1.35)
        tx["block"].setText(f"{tr.kind}, H = {tr.n_hidden}", color=fg)
        tx["block"].setPos(BLOCK.right() - 0.7, BLOCK.bottom() - 0.05)
        what = {"forward": "values", "backward": "errors", "update": "values"}[cursor.phase]
        self.caption.setText(f"<b>{cursor_label(cursor, tr.T)}</b> · the folded view hides time: "
                             f"one block, its {what} at this moment only", color=fg,
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
