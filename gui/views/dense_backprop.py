"""Backprop of a small densely connected network, the prerequisite the simple-RNN article starts
from (section 1): forward, layer by layer; backward, the red arrows of the errors of every neuron
of the next layer reaching one neuron, delta h_j = sum_k W_kj delta a_k, with the numbers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from .. import colors
from ..graphics.arrows import EdgeLayer
from ..graphics.labels import add_label, pt, set_label
from ..model.present import dense
from ..model.present.numbers import fmt
from . import register
from .base import View, plain_viewbox

RED = "#CA0020"  # the article's red error arrows


@register
class DenseBackpropView(View):
    name = "dense-backprop"
    title = "Backprop of a dense network"
    tabs = ("Backprop basics",)
    order = 1
    uses_session = False
    description = ("A small dense network: values forward layer by layer, then the errors of "
                   "every neuron of a layer flowing back into each neuron of the layer below.")

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        ci = self.add_canvas(self._build_controls())
        self.vb = plain_viewbox(ci, row=1, col=0)
        self.words = add_label(ci, 2, 0)
        ci.layout.setRowStretchFactor(1, 10)
        self.weights = EdgeLayer(self.vb, z=1, head_px=0)
        self.errors = EdgeLayer(self.vb, z=2, head_px=8)
        self.nodes = pg.ScatterPlotItem(pxMode=True, size=22)
        self.nodes.setZValue(3)
        self.vb.addItem(self.nodes)
        self.layer_texts = [pg.TextItem(anchor=(0.5, 0)) for _ in dense.SIZES]
        for t in self.layer_texts:
            self.vb.addItem(t)
        L = len(dense.SIZES) - 1
        self.vb.setRange(xRange=(-0.4, L + 0.4), yRange=(-0.12, 1.0), padding=0)
        self.picked = np.zeros(0)

    def _build_controls(self) -> QtWidgets.QHBoxLayout:
        L = len(dense.SIZES) - 1
        self.step = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.step.setRange(0, dense.n_steps(L) - 1)
        self.step.setToolTip("Forward through the layers, then backward")
        self.step.valueChanged.connect(lambda v: self._set(step=int(v)))
        self.neuron = QtWidgets.QSpinBox()
        self.neuron.setPrefix("neuron j = ")
        self.neuron.setToolTip("The neuron whose incoming errors are drawn")
        self.neuron.valueChanged.connect(lambda v: self._set(neuron=int(v) - 1))
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        head.addWidget(QtWidgets.QLabel("Step"))
        head.addWidget(self.step, 1)
        head.addWidget(self.neuron)
        return head

    def _set(self, **changes) -> None:
        if self.app is not None and self.frame is not None:
            self.app.set_options("dense", **changes)

    def _draw(self, frame) -> None:
        opts = frame.options["dense"]
        net, tr = dense.network()
        L = net.L
        st = dense.step_at(opts.step, L)
        pos = dense.positions(net.sizes)
        theme = self.theme
        backward = st.phase == "backward"
        # the layer whose neuron receives errors: st.layer - 1 (errors computed at st.layer
        # come from st.layer + 1 ... the loss); for the arrows, into layer st.layer - 1 is
        # not yet computed, so draw into st.layer from st.layer + 1 (or from the loss)
        layer = st.layer
        n_here = net.sizes[layer]
        j = min(opts.neuron, n_here - 1)
        self._sync(opts, n_here, j)
        xy = np.concatenate(pos)  # (N, 2)
        values, lit = [], []
        for l in range(len(net.sizes)):
            if backward:
                arr = tr.delta_a[l] if l > 0 else np.zeros(net.sizes[0])
                on = l >= layer and l > 0
            else:
                arr = tr.h[l]
                on = l <= layer
            values.append(arr)
            lit += [on] * net.sizes[l]
        vals = np.concatenate(values)
        vmax = colors.finite_max(np.concatenate(tr.delta_a[1:])) if backward else 1.0
        idx = colors.signed_index(vals, vmax)
        table = colors.brushes("diverging")
        brushes = [table[i] if on else colors.brush(theme.faint) for i, on in zip(idx, lit,
                                                                                  strict=True)]
        pens = [colors.pen(theme.highlight, 3.0) if backward and k == sum(net.sizes[:layer]) + j
                else colors.pen(theme.muted, 1.0) for k in range(len(xy))]
        self.nodes.setData(pos=xy, brush=brushes, pen=pens, size=22 * theme.font_scale)
        segs = [np.stack([np.repeat(pos[l - 1], net.sizes[l], axis=0),
                          np.tile(pos[l], (net.sizes[l - 1], 1))], axis=1)
                for l in range(1, len(net.sizes))]
        all_segs = np.concatenate(segs)  # (m, 2, 2)
        self.weights.set(all_segs, np.zeros(len(all_segs), dtype=int),
                         {0: colors.pen(theme.faint if backward else theme.muted,
                                        1.0, 160)})
        if backward and layer < L:
            terms = dense.incoming_errors(net, tr, layer, j)  # (n_{l+1},)
            self.picked = terms
            src = pos[layer + 1]
            dst = np.repeat(pos[layer][j][None], len(src), axis=0)
            d = dst - src
            arrows = np.stack([src + 0.06 * d, dst - 0.06 * d], axis=1)
            mag = np.abs(terms) / colors.finite_max(terms)
            style = np.minimum((mag * 4).astype(int), 3)
            pens_e = {b: colors.pen(RED, (1.0 + 1.3 * b) * theme.line_scale) for b in range(4)}
            self.errors.set(arrows, style, pens_e)
        else:
            self.picked = np.zeros(0)
            self.errors.set(np.zeros((0, 2, 2)), np.zeros(0), {})
        names = ["x (input)"] + [f"h<sup>({l})</sup>" for l in range(1, L)] + ["ŷ (softmax)"]
        for l, t in enumerate(self.layer_texts):
            t.setHtml(f"<span style='color:{theme.foreground}; font-size:{pt(theme, 10)}'>"
                      f"{names[l]}</span>")
            t.setPos(float(l), 0.02)
        fg = theme.foreground
        set_label(self.caption, self._caption(st, L, tr), color=fg, size=pt(theme, 11))
        set_label(self.words, self._equation(net, tr, st, j), color=fg, size=pt(theme, 11))

    def _sync(self, opts, n_here: int, j: int) -> None:
        for w in (self.step, self.neuron):
            w.blockSignals(True)
        self.step.setValue(opts.step)
        self.neuron.setRange(1, n_here)
        self.neuron.setValue(j + 1)
        for w in (self.step, self.neuron):
            w.blockSignals(False)

    @staticmethod
    def _caption(st, L: int, tr) -> str:
        if st.phase == "forward":
            return (f"<b>forward, layer {st.layer} of {L}</b> · a⁽{st.layer}⁾ = W⁽{st.layer}⁾ "
                    f"h⁽{st.layer - 1}⁾ + b⁽{st.layer}⁾, then g (softmax at the output)")
        if st.layer == L:
            return (f"<b>backward, layer {L}</b> · the output's error δa = ŷ − target, "
                    f"J = −log ŷ[target] = {fmt(tr.loss)}")
        return (f"<b>backward, layer {st.layer}</b> · to adjust the parameters of a layer you "
                f"need the errors of the next layer: every neuron of layer {st.layer + 1} "
                f"sends its error to each neuron of layer {st.layer} (red)")

    def _equation(self, net, tr, st, j: int) -> str:
        if st.phase == "forward" or st.layer == net.L:
            return ("colours: values forward, errors δa backward (diverging map, own scale); "
                    "the red arrows' widths: |W<sub>kj</sub> δa<sub>k</sub>|")
        l = st.layer
        terms = dense.incoming_errors(net, tr, l, j)
        parts = fmt(terms[0]) + "".join(f" − {fmt(-v)}" if v < 0 else f" + {fmt(v)}"
                                        for v in terms[1:])
        return (f"δh<sub>{j + 1}</sub><sup>({l})</sup> = Σ<sub>k</sub> W<sup>({l + 1})</sup>"
                f"<sub>k{j + 1}</sub> δa<sub>k</sub><sup>({l + 1})</sup> = {parts} = "
                f"<b>{fmt(tr.delta_h[l][j])}</b>; then δa = g′(a) δh = "
                f"{fmt(tr.delta_a[l][j])}")

    def graphics_item(self):
        return self.canvas.ci
