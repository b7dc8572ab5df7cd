"""The chain rule as a graph (LSTM-backprop article, section 1): nodes are functions of the nodes
below them; the derivative of f is a sum over routes, each route a product of local derivatives,
drawn in purple as the article does, one route at a time or all at once, with the numbers and a
finite difference that the sum must equal. The same graph on the LSTM block is the block views'
"follow one flow" (a button opens it)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from .. import colors
from ..graphics.arrows import EdgeLayer
from ..graphics.labels import add_label, pt, set_label
from ..model.present.chain_rule import EXAMPLES, TITLES, example, route_words
from ..model.present.numbers import fmt
from . import register
from .base import View, plain_viewbox

PURPLE = "#7B3294"  # the article's colour for the flows of differentiation
NODE_R = 0.045  # arrow ends keep this far from a node's centre (data units)
NODE_PX = 40  # a node's diameter on screen at type scale 1
MIN_GRAPH_NODES = 3.5  # the graph's box is at least this many node diameters high


@register
class ChainRuleView(View):
    name = "chain-rule"
    title = "The chain rule as a graph"
    tabs = ("Backprop basics",)
    order = 0
    uses_session = False
    description = ("The chain rule as the LSTM-backprop article draws it: the derivative of f "
                   "is the sum over every route, each route a product of local derivatives.")

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        ci = self.add_canvas(self._build_controls())
        self.vb = plain_viewbox(ci, row=1, col=0)
        self.vb.setRange(xRange=(-0.05, 1.05), yRange=(-0.02, 1.02), padding=0)
        self.vb.sigResized.connect(self.request_redraw)  # margins are in pixels
        self.words = add_label(ci, 2, 0)
        ci.layout.setRowStretchFactor(1, 10)
        self.forward = EdgeLayer(self.vb, z=1, head_px=7)
        self.backward = EdgeLayer(self.vb, z=2, head_px=9)
        self.nodes = pg.ScatterPlotItem(pxMode=True, size=NODE_PX)
        self.nodes.setZValue(3)
        self.vb.addItem(self.nodes)
        self.texts: list[pg.TextItem] = []
        self.graph = None

    def _build_controls(self) -> QtWidgets.QHBoxLayout:
        self.example_box = QtWidgets.QComboBox()
        for name in EXAMPLES:
            self.example_box.addItem(TITLES[name], name)
        self.example_box.setToolTip("The article's three graphs")
        self.example_box.activated.connect(self._on_example)
        self.n_box = QtWidgets.QSpinBox()
        self.n_box.setRange(2, 8)
        self.n_box.setPrefix("n = ")
        self.n_box.setToolTip("How many variables y₁ goes through (2 to 8)")
        self.n_box.valueChanged.connect(self._on_n)
        self.route_box = QtWidgets.QComboBox()
        self.route_box.setToolTip("Light one route in purple, or all of them")
        self.route_box.activated.connect(self._on_route)
        self.next_route = QtWidgets.QPushButton("Next route")
        self.next_route.setToolTip("Light the next route (the sum is over all of them)")
        self.next_route.clicked.connect(self._on_next_route)
        self.lstm = QtWidgets.QPushButton("The same in the LSTM block →")
        self.lstm.setToolTip("Every chain-rule route from c(t) to J in the LSTM circuit "
                             "(its 'follow one flow')")
        self.lstm.clicked.connect(self._on_lstm)
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        for w in (QtWidgets.QLabel("Graph"), self.example_box, self.n_box, self.route_box,
                  self.next_route):
            head.addWidget(w)
        head.addStretch(1)
        head.addWidget(self.lstm)
        return head

    # -- intent -------------------------------------------------------------------------------
    def _set(self, **changes) -> None:
        if self.app is not None:
            self.app.set_options("chain-rule", **changes)

    def _on_example(self, index: int) -> None:
        self._set(example=self.example_box.itemData(index), route=-1)

    def _on_n(self, n: int) -> None:
        if self.frame is not None and n != self.frame.options["chain-rule"].n:
            self._set(n=int(n), route=-1)

    def _on_route(self, index: int) -> None:
        self._set(route=int(self.route_box.itemData(index)))

    def _on_next_route(self) -> None:
        if self.graph is not None and self.frame is not None:
            now = self.frame.options["chain-rule"].route
            self._set(route=(now + 1) % len(self.graph.routes))

    def _on_lstm(self) -> None:
        if self.app is not None:
            if self.app.config.model != "LSTM":
                self.app.update_config(model="LSTM")
            self.app.set_selection(flow="c")
            self.app.set_view("lstm-circuit")

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self, frame) -> None:
        opts = frame.options["chain-rule"]
        g = example(opts.example, opts.n)
        self.graph = g
        route = opts.route if 0 <= opts.route < len(g.routes) else None
        self._sync_controls(opts, g)
        theme = self.theme
        keys = [k for k, *_ in g.nodes]
        pos = {k: np.array([x, y]) for k, _, x, y in g.nodes}
        xy = np.array([pos[k] for k in keys])
        brushes = [colors.brush(theme.background)] * len(keys)
        self.nodes.setData(pos=xy, brush=brushes, pen=colors.pen(theme.foreground, 2.0),
                           size=NODE_PX * theme.font_scale)
        self._fit_nodes(xy[:, 1], NODE_PX * theme.font_scale)
        segs = np.array([_shorten(pos[s], pos[d]) for s, d in g.edges])  # (m, 2, 2)
        self.forward.set(segs, np.zeros(len(segs), dtype=int),
                         {0: colors.pen(theme.muted, 1.5 * theme.line_scale)})
        lit = g.routes if route is None else (g.routes[route],)
        lit_edges = list(dict.fromkeys(e for r in lit for e in r))
        back = np.array([_shorten(pos[d], pos[s], side=0.012) for s, d in lit_edges])
        w = (3.5 if self.exporting else 2.5) * theme.line_scale
        self.backward.set(back.reshape(-1, 2, 2), np.zeros(len(back), dtype=int),
                          {0: colors.pen(PURPLE, w)})
        self._place_texts(g, pos, lit_edges)
        fg = theme.foreground
        which = "every route" if route is None else f"route {route + 1} of {len(g.routes)}"
        set_label(self.caption, f"<b>{g.title}</b> · grey: what depends on what; purple: the "
                  f"flow of differentiation, {which} (the article's purple arrows)", color=fg,
                  size=pt(theme, 11))
        set_label(self.words, route_words(g, route, fmt), color=fg, size=pt(theme, 11))

    def _fit_nodes(self, ys, node_px: float) -> None:
        """Room for the graph's nodes (sized in pixels): the box is at least a few nodes high
        (on a low screen the canvas then scales the whole figure down) and its y range leaves
        half a node and a gap above the top row and below the bottom one, so no node is cut."""
        low = MIN_GRAPH_NODES * node_px
        self.vb.setMinimumHeight(low)
        height = max(self.vb.height(), low)
        margin_px = node_px / 2 + 6
        lo, hi = float(ys.min()), float(ys.max())
        margin = margin_px * (hi - lo) / (height - 2 * margin_px)  # data units
        self.vb.setRange(xRange=(-0.05, 1.05), yRange=(lo - margin, hi + margin), padding=0)

    def _sync_controls(self, opts, g) -> None:
        for w in (self.example_box, self.n_box, self.route_box):
            w.blockSignals(True)
        self.example_box.setCurrentIndex(self.example_box.findData(opts.example))
        self.n_box.setValue(opts.n)
        self.n_box.setVisible(opts.example == "n")
        if self.route_box.count() != len(g.routes) + 1:
            self.route_box.clear()
            self.route_box.addItem("all routes", -1)
            for i in range(len(g.routes)):
                self.route_box.addItem(f"route {i + 1}", i)
        self.route_box.setCurrentIndex(self.route_box.findData(
            opts.route if opts.route < len(g.routes) else -1))
        for w in (self.example_box, self.n_box, self.route_box):
            w.blockSignals(False)

    def _place_texts(self, g, pos, lit_edges) -> None:
        """Node labels with values; each lit route's local derivatives beside its arrows."""
        items = [(f"{label} = {fmt(g.values[k])}", pos[k] + np.array([0.05, 0.0]),
                  self.theme.foreground) for k, label, _, _ in g.nodes]
        labels = {k: label for k, label, _, _ in g.nodes}
        for s, d in lit_edges:
            mid = (pos[s] + pos[d]) / 2 + np.array([0.012, 0.0])
            items.append((f"∂{labels[d]}/∂{labels[s]} = {fmt(g.local[(s, d)])}", mid, PURPLE))
        while len(self.texts) < len(items):
            t = pg.TextItem(anchor=(0, 0.5))
            t.setZValue(4)
            self.vb.addItem(t)
            self.texts.append(t)
        size = pt(self.theme, 10)
        for i, t in enumerate(self.texts):
            t.setVisible(i < len(items))
            if i < len(items):
                text, p, color = items[i]
                t.setHtml(f"<span style='color:{color}; font-size:{size}'>{text}</span>")
                t.setPos(float(p[0]), float(p[1]))

    def graphics_item(self):
        return self.canvas.ci


def _shorten(a: np.ndarray, b: np.ndarray, side: float = 0.0) -> np.ndarray:
    """The segment a -> b, ending NODE_R short of both centres, shifted ``side`` sideways (so
    the purple arrow runs beside the grey one)."""
    d = b - a
    n = np.hypot(*d) or 1.0
    u = d / n
    normal = np.array([-u[1], u[0]]) * side
    return np.stack([a + u * NODE_R + normal, b - u * NODE_R + normal])
