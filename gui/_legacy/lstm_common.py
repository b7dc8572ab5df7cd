"""What the two LSTM block views share: the block diagram, its live values, errors and flows.

A block drawing is a :class:`Layout` (pure geometry: where each node, operator and wire of
:data:`sim.lstm_graph.WIRES` goes) rendered by :class:`LstmBlockView`. The "electronic circuit" view
(lstm_circuit.py) and the "Space Odyssey" view (lstm_odyssey.py) are two layouts of the same nodes
and wires, so they show the same numbers and follow the same flows.

What a block view draws at cursor (phase, t):

- every node as a row of small cells, one per unit (x: I cells, ŷ: O cells), coloured by the
  diverging map; the selected unit k (``state.selection.unit``) outlined, its number in the title;
- forward: the values of step t (sim.lstm_graph.BlockGraph.values); backward: the errors of step t
  (BlockGraph.errors), and every wire carries its term of the chain rule for unit k
  (BlockGraph.wire_errors): colour = sign and size on the error scale, width = magnitude;
- the stage of the equations each node belongs to, numbered (①…); the stage control walks through
  them, greying what is not computed yet (:class:`BlockStage`, shared by both views);
- "follow one flow" (``state.selection.flow``): every route of BlockGraph.flow in purple, the
  articles' purple arrows, with the terms and their sum for unit k.

Neighbouring blocks are hinted: wires keyed (-1, id) belong to block t-1, (+1, id) to block t+1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from sim.lstm_graph import FLOW_NAMES, GATE_BARS, TRACED, WIRE, BlockGraph, pretty

from .. import colors
from .base import View, make_canvas
from .legend import ColorBar, fmt

#: the articles' purple arrows (the routes of the followed flow)
FLOW_HEX = "#8e44ad"
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
#: the nodes of block t+1 whose errors come back to block t
NEXT_NODES = ("next:c", "next:z_bar", "next:i_bar", "next:f_bar", "next:o_bar")
#: forward stages in the order of the equations (sim/lstm.py)
FORWARD_STAGES = ("z̄ = W_z x + R_z y(t−1) + b_z,  z = tanh z̄",
                  "ī = W_i x + R_i y(t−1) (+ p_i⊙c(t−1)) + b_i,  i = σ(ī)",
                  "f̄ = W_f x + R_f y(t−1) (+ p_f⊙c(t−1)) + b_f,  f = σ(f̄)",
                  "c(t) = z⊙i + c(t−1)⊙f",
                  "ō = W_o x + R_o y(t−1) (+ p_o⊙c(t)) + b_o,  o = σ(ō)",
                  "y(t) = o⊙tanh c(t)",
                  "out = c + V y(t),  ŷ = f(out),  J(t)")
BACKWARD_STAGES = ("δy(t) = Vᵀδout(t) + Σ R_*ᵀ δ*̄(t+1)",
                   "δō(t) = δy(t)⊙tanh c(t)⊙o(1−o)",
                   "δc(t) = δy⊙o⊙(1−tanh²c) (+ p_o⊙δō) + δc(t+1)⊙f(t+1)"
                   " (+ p_i⊙δī(t+1) + p_f⊙δf̄(t+1))",
                   "δf̄, δī, δz̄ = δc(t) ⊙ ∂c(t)/∂(f̄, ī, z̄)",
                   "passed back to block t−1: R_*ᵀδ*̄(t), δc(t)⊙f(t), peepholes")
NODE_STAGE = {
    "forward": {"x": 0, "y_prev": 0, "c_prev": 0, "z_bar": 1, "z": 1, "i_bar": 2, "i": 2,
                "f_bar": 3, "f": 3, "zi": 4, "cf": 4, "c": 4, "o_bar": 5, "o": 5, "tanh_c": 6,
                "y": 6, "out": 7, **{n: 9 for n in NEXT_NODES}},
    "backward": {"out": 1, "y": 1, **{n: 0 for n in NEXT_NODES}, "tanh_c": 2, "o": 2,
                 "o_bar": 2, "c": 3, "zi": 3, "cf": 3, "z": 4, "i": 4, "f": 4, "z_bar": 4,
                 "i_bar": 4, "f_bar": 4, "y_prev": 5, "c_prev": 5, "x": 9},
}
ERROR_WIDTHS = (1.0, 2.0, 3.5, 5.5)  # error wires by log |delta|
DECADES = 3.0
HINT_ALPHA = 120
KEY_PX = 200  # width of the legend column
PX_PER_UNIT = 44.0  # the drawing's design density: texts and arrowheads scale from here


# -- geometry ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class NodeSpec:
    """A node drawn as a row (or grid) of cells centred at (x, y), ``width`` data units wide."""

    name: str
    x: float
    y: float
    width: float = 2.0
    title_side: str = "top"  # top, bottom, left, right, topleft, topright (beside a wire)
    circle: float = 0.0  # > 0: drawn inside a circle of this radius (the odyssey's cell)


@dataclass(frozen=True)
class GlyphSpec:
    """An operator: ×, +, σ, tanh. Follows the stage of ``node``."""

    text: str
    x: float
    y: float
    node: str
    r: float = 0.3


@dataclass(frozen=True)
class TrunkSpec:
    """A wire segment shared by several wires (a bus): drawn once, carrying their sum."""

    points: tuple
    members: tuple


@dataclass(frozen=True)
class LabelSpec:
    text: str
    x: float
    y: float
    anchor: tuple = (0.5, 0.5)
    color: str = "muted"  # a Theme attribute
    size: str = "9pt"
    peephole: bool = False  # shown only when the model has peepholes


@dataclass(frozen=True)
class Layout:
    """The geometry of one block drawing (data units, aspect locked).

    wires : (offset, wire id) -> polyline ((x, y), ...) drawn from source to target; offset -1,
        0, +1 is the block t-1, t, t+1.
    dashed : wire keys drawn dashed (information from the past).
    hints : (x0, y0, x1, y1, label) faint boxes of the neighbouring blocks.
    decor : (polyline, kind, dashed) lines that are no wire of the flows (highways in the hints).
    """

    nodes: tuple
    glyphs: tuple
    wires: dict
    trunks: tuple = ()
    labels: tuple = ()
    hints: tuple = ()
    decor: tuple = ()
    dots: tuple = ()
    peephole_dots: tuple = ()  # junctions of peephole taps
    dashed: frozenset = frozenset()
    xrange: tuple = (0.0, 20.0)
    yrange: tuple = (0.0, 12.0)

    def node(self, name: str) -> NodeSpec:
        return next(n for n in self.nodes if n.name == name)


def node_title(name: str) -> str:
    """The articles' symbol of a drawn node, with t symbolic: "f̄(t)", "c(t−1)", "δ…" added by
    the caller in the backward phase."""
    if name.startswith("next:"):
        return pretty(name[5:]).replace("(t)", "(t+1)")
    if name == "out":
        return "ŷ(t)"
    return pretty(name)


# -- shared sub-state and caches ------------------------------------------------------------
class BlockStage(QtCore.QObject):
    """The stage of the equations the block views (and the equation strip) highlight.

    ``stage`` is an index into FORWARD_STAGES / BACKWARD_STAGES (0-based: 0 is stage ①), or
    None for all stages at once, numbered.
    """

    changed = QtCore.Signal(object)

    def __init__(self, state):
        super().__init__(state)
        self.stage: int | None = None

    def set(self, stage: int | None) -> None:
        if stage != self.stage:
            self.stage = stage
            self.changed.emit(stage)


def block_stage(state) -> BlockStage:
    return state.ext("lstm-block-stage", BlockStage)


def n_stages(phase: str) -> int:
    return len(BACKWARD_STAGES) if phase == "backward" else len(FORWARD_STAGES)


@lru_cache(maxsize=4)
def graph_for(result) -> BlockGraph:
    """One BlockGraph per session result, shared by both views."""
    return BlockGraph(result.forward, result.backward)


@lru_cache(maxsize=4)
def scales_for(result) -> dict:
    """Fixed colour scales of a session, so colours compare across steps.

    act: z, i, f, o, tanh c, y in [-1, 1]; pre: z_bar..o_bar and c; err: every delta.
    """
    tr, bt = result.forward, result.backward
    pre = colors.finite_max(np.concatenate([getattr(tr, n).ravel() for n in GATE_BARS + ("c",)]))
    err = colors.finite_max(np.concatenate([np.asarray(bt.deltas[n]).ravel() for n in TRACED]))
    return {"act": 1.0, "pre": pre, "err": err, "x": colors.finite_max(tr.x),
            "y_hat": colors.finite_max(tr.y_hat),
            "err_out": colors.finite_max(bt.deltas["out"])}


SCALE_OF = {"z_bar": "pre", "i_bar": "pre", "f_bar": "pre", "o_bar": "pre", "c": "pre",
            "c_prev": "pre", "cf": "pre", "x": "x", "out": "y_hat"}


@lru_cache(maxsize=512)
def _polyline_segments(points: tuple) -> np.ndarray:
    """(n - 1, 2, 2) consecutive segments of a polyline ((x, y), ...); layouts are static, so
    each polyline is converted once."""
    p = np.asarray(points, dtype=float)  # (n, 2)
    seg = np.stack([p[:-1], p[1:]], axis=1)  # (n - 1, 2, 2)
    seg.flags.writeable = False
    return seg


def _circle_path(x, y, r) -> QtGui.QPainterPath:
    path = QtGui.QPainterPath()
    path.addEllipse(QtCore.QPointF(x, y), r, r)
    return path


class _Lines:
    """Polylines with an arrowhead at their end, grouped by style: one curve item per style.

    Items are created the first time a style appears and afterwards only updated with setData
    (hidden when a style is unused); arrowheads are two chevron segments computed in pixels.
    """

    def __init__(self, vb, z, head_px=8.0):
        self.vb = vb
        self.z = z
        self.head_px = head_px
        self._items: dict = {}
        self._antialias = False
        self.drawn: dict = {}  # style -> (m, 2, 2) shaft segments drawn with it

    def _item(self, key, pen):
        item = self._items.get(key)
        if item is None:
            item = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True,
                                    antialias=self._antialias)
            item.setZValue(self.z)
            self.vb.addItem(item, ignoreBounds=True)
            self._items[key] = item
        item.setPen(pen)
        return item

    def set(self, polylines: list, styles: list, pens: dict, *, reverse=None) -> None:
        """Draw ``polylines[n]`` with ``pens[styles[n]]``; reversed (head at the start) where
        ``reverse[n]``."""
        groups: dict = {}
        for n, (pts, st) in enumerate(zip(polylines, styles, strict=True)):
            segs = _polyline_segments(pts)  # (m, 2, 2)
            if reverse is not None and reverse[n]:
                segs = segs[::-1, ::-1]
            groups.setdefault(st, []).append(segs)
        self.drawn = {}
        px = self.vb.viewPixelSize()
        for st, parts in groups.items():
            segs = np.concatenate(parts)  # (m, 2, 2)
            self.drawn[st] = segs
            if self.head_px:
                last = np.stack([p[-1] for p in parts])  # (n, 2, 2) the final segments
                segs = np.concatenate([segs, *_heads(last, self.head_px, px)])  # (m + 2n, 2, 2)
            pts = segs.reshape(-1, 2)  # (2m, 2) pairs
            item = self._item(st, pens[st])
            item.setData(pts[:, 0], pts[:, 1])
            if not item.isVisible():
                item.setVisible(True)
        for st, item in self._items.items():
            if st not in groups and item.isVisible():
                item.setVisible(False)

    def set_antialias(self, on: bool) -> None:
        self._antialias = on
        for item in self._items.values():
            item.opts["antialias"] = on
            item.update()


def _heads(segments: np.ndarray, head_px: float, px) -> list:
    """Two chevron segments (N, 2, 2) each at the end of every segment, ``head_px`` long."""
    sx, sy = (px[0] or 1.0), (px[1] or 1.0)
    scale = np.array([sx, sy])  # data units per pixel
    p0, p1 = segments[:, 0], segments[:, 1]  # (N, 2)
    d = (p1 - p0) / scale  # (N, 2) in pixels
    n = np.hypot(d[:, 0], d[:, 1])[:, None]  # (N, 1)
    n[n == 0] = 1.0
    d = d / n  # (N, 2) unit direction in pixels
    out = []
    for ang in (0.45, -0.45):
        c, s = np.cos(ang), np.sin(ang)
        r = np.stack([c * d[:, 0] - s * d[:, 1], s * d[:, 0] + c * d[:, 1]], axis=1)  # (N, 2)
        out.append(np.stack([p1 - r * head_px * scale, p1], axis=1))  # (N, 2, 2)
    return out


class _Cells(pg.GraphicsObject):
    """Every unit cell of every node as a filled square, painted in one pass.

    Much cheaper per frame than a ScatterPlotItem with data-sized symbols: a new brush per
    cell is just a reference into the pre-built table, and painting is one fillRect per cell.
    """

    def __init__(self):
        super().__init__()
        self._rects: list = []
        self.brushes: list = []
        self._marks: list = []
        self._mark_pen = None
        self._bounds = QtCore.QRectF()

    def set_geometry(self, centres: np.ndarray, sizes: np.ndarray) -> None:
        """Squares of side ``sizes`` (N,) centred at ``centres`` (N, 2), in data units."""
        self.prepareGeometryChange()
        self._rects = [QtCore.QRectF(x - s / 2, y - s / 2, s, s)
                       for (x, y), s in zip(centres, sizes, strict=True)]
        lo = (centres - sizes[:, None]).min(axis=0) if len(centres) else (0, 0)  # (2,)
        hi = (centres + sizes[:, None]).max(axis=0) if len(centres) else (0, 0)  # (2,)
        self._bounds = QtCore.QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.brushes = [None] * len(self._rects)
        self._marks = []

    def set_brushes(self, brushes: list) -> None:
        self.brushes = brushes
        self.update()

    def set_marks(self, indices, pen) -> None:
        """Outline the cells ``indices`` (the selected unit) with ``pen``."""
        self._marks = [self._rects[i] for i in indices]
        self._mark_pen = pen
        self.update()

    def boundingRect(self):  # noqa: N802 - Qt's name
        return self._bounds

    def paint(self, p, *_):
        for r, b in zip(self._rects, self.brushes, strict=True):
            if b is not None:
                p.fillRect(r, b)
        if self._marks:
            p.setPen(self._mark_pen)
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            for r in self._marks:
                p.drawRect(r)


class _Texts(pg.GraphicsObject):
    """Many short texts at data positions, at a fixed pixel size, painted in one pass.

    Each entry is (x, y, anchor, parts, fill): parts are (text, QColor, bold) drawn one after
    the other; fill is a QColor painted behind (so a wire crossing a title stays behind it), or
    None. Cheaper than one rich-text item per title when every title changes every frame.
    """

    def __init__(self, bounds: QtCore.QRectF, point_size: float = 9.0):
        super().__init__()
        self._bounds = bounds
        self.entries: list = []
        self.point_size = point_size
        self._fonts: dict = {}

    def font(self, size: float, bold: bool):
        """(QFont, QFontMetricsF) at ``size`` points, built once."""
        key = (round(size, 1), bold)
        if key not in self._fonts:
            f = QtGui.QFont()
            f.setPointSizeF(key[0])
            f.setBold(bold)
            self._fonts[key] = (f, QtGui.QFontMetricsF(f))
        return self._fonts[key]

    def set_point_size(self, size: float) -> None:
        if size != self.point_size:
            self.point_size = size
            self.update()

    def set_entries(self, entries: list) -> None:
        self.entries = entries
        self.update()

    def plain(self, n: int) -> str:
        return "".join(part[0] for part in self.entries[n][3])

    def boundingRect(self):  # noqa: N802 - Qt's name
        return self._bounds

    def paint(self, p, *_):
        tr = p.transform()
        p.resetTransform()
        for x, y, (ax, ay), parts, fill, *scale in self.entries:
            size = self.point_size * (scale[0] if scale else 1.0)
            fonts = [self.font(size, b) for _, _, b in parts]
            widths = [fm.horizontalAdvance(t) for (t, _, _), (_, fm) in zip(parts, fonts,
                                                                             strict=True)]
            pt = tr.map(QtCore.QPointF(x, y))
            fm = self.font(size, False)[1]
            w, h = sum(widths), fm.height()
            x0, y0 = pt.x() - ax * w, pt.y() - ay * h
            if fill is not None:
                p.fillRect(QtCore.QRectF(x0 - 2, y0, w + 4, h), fill)
            base = y0 + fm.ascent()
            for (text, color, _bold), width, (font, _) in zip(parts, widths, fonts, strict=True):
                p.setFont(font)
                p.setPen(color)
                p.drawText(QtCore.QPointF(x0, base), text)
                x0 += width


# -- the view ---------------------------------------------------------------------------------
class LstmBlockView(View):
    """Base of the LSTM block views: subclasses set ``layout`` and the registry attributes."""

    layout: Layout = None
    #: one sentence under the diagram on how to read this drawing
    reading = ""

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self._stage_state = block_stage(state)
        self._stage_state.changed.connect(self._on_stage_changed)
        state.selection_changed.connect(self._sync_controls)
        self._build_controls()
        self.canvas = make_canvas(self.theme)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.rnn_bar)
        lay.addWidget(self.canvas, 1)
        ci = self.canvas.ci
        self.caption = ci.addLabel("", row=0, col=0, colspan=2, justify="left")
        self.vb = ci.addViewBox(row=1, col=0)
        self.vb.setMouseEnabled(False, False)
        self.vb.setMenuEnabled(False)
        self.vb.setAspectLocked(True)
        self.readout = ci.addLabel("", row=2, col=0, colspan=2, justify="left")
        legend = ci.addLayout(row=1, col=1)  # beside the diagram: it is wide, rows are scarce
        self.bar_act = ColorBar(legend, row=0, col=0, width_px=KEY_PX - 20)
        self.bar_pre = ColorBar(legend, row=1, col=0, width_px=KEY_PX - 20)
        self.key = legend.addLabel("", row=2, col=0, justify="left")
        self.key.item.setTextWidth(KEY_PX)
        legend.addLabel("", row=3, col=0)
        legend.layout.setRowStretchFactor(3, 10)
        legend.setMaximumWidth(KEY_PX + 10)
        ci.layout.setColumnStretchFactor(0, 10)
        ci.layout.setRowStretchFactor(1, 10)
        self._result = None
        self._cursor = None
        self._export = False
        self._built = None  # (H, I, O) the cells were built for
        self._static_theme = None
        self._shown: dict = {}
        self._title_names: list = []
        self._wire_shown: dict = {}
        self._wire_style: dict = {}
        self._flow = None
        self._flow_keys: set = set()
        self._build_static()
        self.canvas.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # -- construction ---------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.controls = QtWidgets.QWidget()
        h = QtWidgets.QHBoxLayout(self.controls)
        h.setContentsMargins(6, 2, 6, 2)
        self.unit_spin = QtWidgets.QSpinBox()
        self.unit_spin.setMinimum(1)
        self.unit_spin.setToolTip("The hidden unit k whose numbers are written on the nodes "
                                  "(or click a cell)")
        self.unit_spin.valueChanged.connect(
            lambda v: self.state.set_selection(unit=int(v) - 1))
        self.flow_combo = QtWidgets.QComboBox()
        self.flow_combo.addItem("none", None)
        for name in FLOW_NAMES:
            self.flow_combo.addItem(pretty(name), name)
        self.flow_combo.setToolTip("Follow one flow: every route from this variable to J, in "
                                   "purple (the articles' purple arrows)")
        self.flow_combo.activated.connect(
            lambda i: self.state.set_selection(flow=self.flow_combo.itemData(i)))
        self.stage_combo = QtWidgets.QComboBox()
        self.stage_combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stage_combo.setMinimumContentsLength(28)
        self.stage_combo.setToolTip("Walk through the equations of one step: later stages are "
                                    "greyed (not computed yet)")
        self.stage_combo.activated.connect(
            lambda i: self._stage_state.set(self.stage_combo.itemData(i)))
        self.prev_stage = QtWidgets.QToolButton(text="◀")
        self.next_stage = QtWidgets.QToolButton(text="▶")
        self.prev_stage.setToolTip("Previous stage (before the first: the previous step)")
        self.next_stage.setToolTip("Next stage (after the last: the next step)")
        self.prev_stage.clicked.connect(lambda: self.step_stage(-1))
        self.next_stage.clicked.connect(lambda: self.step_stage(1))
        for w in (QtWidgets.QLabel("unit k"), self.unit_spin, QtWidgets.QLabel("  follow one flow"),
                  self.flow_combo, QtWidgets.QLabel("  stage"), self.prev_stage,
                  self.stage_combo, self.next_stage):
            h.addWidget(w)
        h.addStretch(1)
        self._stage_phase = None
        self.rnn_bar = QtWidgets.QWidget()
        r = QtWidgets.QHBoxLayout(self.rnn_bar)
        r.setContentsMargins(6, 4, 6, 4)
        self.rnn_label = QtWidgets.QLabel("This session is a SimpleRNN: it has no LSTM block "
                                          "(no cell, no gates) to draw.")
        self.rnn_button = QtWidgets.QPushButton("Switch the session to an LSTM")
        self.rnn_button.clicked.connect(lambda: self.state.update_config(model="LSTM"))
        r.addWidget(self.rnn_label)
        r.addWidget(self.rnn_button)
        r.addStretch(1)
        self.rnn_bar.setVisible(False)

    def _build_static(self) -> None:
        lay = self.layout
        vb = self.vb
        self.hint_items = []
        for x0, y0, x1, y1, _label in lay.hints:
            rect = QtWidgets.QGraphicsRectItem(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
            rect.setZValue(-5)
            vb.addItem(rect)
            self.hint_items.append(rect)
        self.decor = _Lines(vb, z=0, head_px=0)
        self.wires = _Lines(vb, z=1)
        self.trunk_lines = _Lines(vb, z=1, head_px=0)
        self.flow_lines = _Lines(vb, z=0.5, head_px=12)
        self.flow_trunks = _Lines(vb, z=0.5, head_px=0)
        self.boxes = {}
        for spec in lay.nodes:
            if spec.circle:
                item = QtWidgets.QGraphicsPathItem(_circle_path(spec.x, spec.y, spec.circle))
            else:
                item = QtWidgets.QGraphicsRectItem()
            item.setZValue(2)
            vb.addItem(item)
            self.boxes[spec.name] = item
        self.glyph_items = []
        for g in lay.glyphs:
            if len(g.text) > 1:  # tanh: a rounded box
                path = QtGui.QPainterPath()
                path.addRoundedRect(QtCore.QRectF(g.x - 1.6 * g.r, g.y - g.r, 3.2 * g.r, 2 * g.r),
                                    0.12, 0.12)
                item = QtWidgets.QGraphicsPathItem(path)
            else:
                item = QtWidgets.QGraphicsPathItem(_circle_path(g.x, g.y, g.r))
            item.setZValue(3)
            vb.addItem(item)
            self.glyph_items.append((g, item))
        (x0, x1), (y0, y1) = lay.xrange, lay.yrange
        bounds = QtCore.QRectF(x0 - 2, y0 - 2, x1 - x0 + 4, y1 - y0 + 4)
        self.static_texts = _Texts(bounds)
        self.static_texts.setZValue(4)
        vb.addItem(self.static_texts)
        self.title_texts = _Texts(bounds)
        self.title_texts.setZValue(6)
        vb.addItem(self.title_texts)
        self._title_anchor = {}
        self.dots = pg.ScatterPlotItem(pxMode=True, size=6)
        self.dots.setZValue(3)
        vb.addItem(self.dots)
        self.cells = _Cells()
        self.cells.setZValue(5)
        vb.addItem(self.cells)
        self.vb.setRange(xRange=lay.xrange, yRange=lay.yrange, padding=0.0)
        self._wire_keys = [k for k in lay.wires]
        self._wire_polys = [lay.wires[k] for k in self._wire_keys]

    def _build_cells(self, H: int, I: int, O: int) -> None:
        """Cell positions of every node: a grid of up to 16 columns inside its width."""
        self._built = (H, I, O)
        pos, size, node_of, unit_of = [], [], [], []
        self._geometry = {}
        for spec in self.layout.nodes:
            n = {"x": I, "out": O}.get(spec.name, H)
            cols = min(n, 16)
            rows = int(np.ceil(n / cols))
            cell = min(0.42, spec.width / cols)
            w, h = cols * cell, rows * cell
            k = np.arange(n)
            cx = spec.x - w / 2 + (k % cols + 0.5) * cell  # (n,)
            cy = spec.y + h / 2 - (k // cols + 0.5) * cell  # (n,) first row on top
            self._geometry[spec.name] = (spec.x - w / 2, spec.y - h / 2, w, h, cell)
            pos.append(np.stack([cx, cy], axis=1))
            size.append(np.full(n, cell * 0.88))
            node_of += [spec.name] * n
            unit_of.append(k)
            pad = 0.08
            if not spec.circle:
                self.boxes[spec.name].setRect(QtCore.QRectF(spec.x - w / 2 - pad,
                                                            spec.y - h / 2 - pad,
                                                            w + 2 * pad, h + 2 * pad))
            gap, top, bot = 0.12, spec.y + h / 2 + pad + 0.02, spec.y - h / 2 - pad - 0.02
            anchor = {"top": (0.5, 1.0), "bottom": (0.5, 0.0), "left": (1.0, 0.5),
                      "right": (0.0, 0.5), "topleft": (1.0, 1.0),
                      "topright": (0.0, 1.0)}[spec.title_side]
            at = {"top": (spec.x, top), "bottom": (spec.x, bot),
                  "topleft": (spec.x - 0.06, top), "topright": (spec.x + 0.06, top),
                  "left": (spec.x - w / 2 - pad - gap, spec.y),
                  "right": (spec.x + w / 2 + pad + gap, spec.y)}[spec.title_side]
            if spec.circle:
                anchor, at = (0.5, 1.0), (spec.x, spec.y + h / 2 + gap + 0.35)
            self._title_anchor[spec.name] = (at[0], at[1], anchor)
        self._pos = np.concatenate(pos)  # (N, 2)
        self._node_of = np.array(node_of, dtype=object)  # (N,)
        self._unit_of = np.concatenate(unit_of)  # (N,)
        self.cells.set_geometry(self._pos, np.concatenate(size))
        self._node_runs = [(spec.name, int((self._node_of == spec.name).sum()))
                           for spec in self.layout.nodes]  # cells are stored node by node
        self._unit_key = None

    def _style_static(self) -> None:
        """Colours of what never changes with the cursor; redone when the theme changes."""
        th = self.theme
        self._static_theme = th
        for rect in self.hint_items:
            rect.setPen(colors.pen(th.muted, 1.0, 160, "dash"))
            rect.setBrush(colors.brush(th.faint, 60))
        for _g, item in self.glyph_items:
            item.setBrush(colors.brush(th.background))
        polys = [d[0] for d in self.layout.decor]
        pens, styles = {}, []
        for _, kind, dashed in self.layout.decor:
            key = (kind, dashed)
            pens[key] = colors.pen(self._kind_hex(kind), 2.0 if kind == "cell" else 1.2,
                                   HINT_ALPHA, "dash" if dashed else "solid")
            styles.append(key)
        self.decor.set(polys, styles, pens)
        self._peep_styled = None

    def _style_peepholes(self, peep: bool) -> None:
        """Static texts (labels, operators, hint titles); peephole labels and junctions appear
        only when the model has peepholes."""
        self._peep_styled = peep
        th = self.theme
        fill = QtGui.QColor(th.background)
        fill.setAlpha(170)
        entries = []
        for x0, _y0, x1, y1, label in self.layout.hints:
            entries.append(((x0 + x1) / 2, y1 - 0.1, (0.5, 0.0),
                            [(label, QtGui.QColor(th.muted), False)], None))
        for g, _item in self.glyph_items:
            entries.append((g.x, g.y, (0.5, 0.5), [(g.text, QtGui.QColor(th.foreground), False)],
                            None))
        for lab in self.layout.labels:
            if lab.peephole and not peep:
                continue
            entries.append((lab.x, lab.y, lab.anchor,
                            [(lab.text, QtGui.QColor(getattr(th, lab.color)), False)], fill,
                            float(lab.size.rstrip("pt")) / 9.0))
        self.static_texts.set_entries(entries)
        dots = list(self.layout.dots) + (list(self.layout.peephole_dots) if peep else [])
        d = np.asarray(dots, dtype=float).reshape(-1, 2)
        self.dots.setData(pos=d, brush=colors.brush(th.foreground), pen=None)

    def _kind_hex(self, kind: str) -> str:
        th = self.theme
        return {"input": th.muted, "recurrent": th.recurrent, "peephole": th.peephole,
                "cell": th.foreground, "gate": th.foreground, "output": th.muted}[kind]

    # -- rendering ------------------------------------------------------------------------------
    def render(self, result, cursor) -> None:
        if result is None:
            return
        self._result, self._cursor = result, cursor
        if result.kind != "LSTM":
            self._render_not_lstm(result, cursor)
            return
        self.rnn_bar.setVisible(False)
        self.controls.setEnabled(True)
        self.vb.setVisible(True)
        tr = result.forward
        if self._built != (tr.n_hidden, tr.n_in, tr.n_out):
            self._build_cells(tr.n_hidden, tr.n_in, tr.n_out)
        if self._static_theme is not self.theme:
            self._style_static()
        if self._peep_styled != tr.peepholes:
            self._style_peepholes(tr.peepholes)
        phase = "backward" if cursor.phase == "backward" else "forward"
        t = cursor.t
        self._phase, self._t = phase, t
        graph = graph_for(result)
        scales = scales_for(result)
        H = tr.n_hidden
        k = min(max(self.state.selection.unit, 0), H - 1)
        self._k = k
        stage = self._stage_state.stage  # 0-based index; below, stage numbers ① = 1
        stage = None if stage is None else stage + 1
        if stage is not None and stage > n_stages(phase):
            stage = None
        self._stage = stage
        self._sync_controls()
        self._apply_density()
        self._flow = self._current_flow(graph, t)
        self._draw_nodes(result, graph, scales, phase, t, k, stage)
        self._draw_wires(result, graph, scales, phase, t, k, stage)
        self._draw_flow(t)
        self._draw_text(result, scales, phase, t, k, stage)

    def _apply_density(self) -> None:
        """Texts and arrowheads follow the drawing's size (it shrinks with the window)."""
        px = self.vb.viewPixelSize()[0]
        ppu = 1.0 / px if px else PX_PER_UNIT
        scale = float(np.clip(ppu / PX_PER_UNIT, 0.7, 1.25))
        if self._export:
            scale *= 1.1
        self.title_texts.set_point_size(round(9.0 * scale, 1))
        self.static_texts.set_point_size(round(9.0 * scale, 1))
        self.wires.head_px = 8.0 * scale
        self.flow_lines.head_px = 12.0 * scale

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self._result is not None:  # texts and arrowheads are sized in pixels
            QtCore.QTimer.singleShot(0, self._rerender)

    def _rerender(self) -> None:
        if self._result is not None:
            self.render(self._result, self._cursor)

    def _render_not_lstm(self, result, cursor) -> None:
        self.rnn_bar.setVisible(True)
        self.controls.setEnabled(False)
        self.vb.setVisible(False)
        self._flow = None
        self._flow_keys = set()
        self._shown = {}
        self._label(self.caption, f"<b>{cursor.label(result.T)}</b> · this session is a "
                    f"{result.kind}: there is no LSTM block to draw. Switch the model to LSTM "
                    "(button above, or the session panel).", self.theme.foreground, "11pt")
        self._label(self.readout, "", self.theme.foreground, "10pt")

    def _node_stage(self, phase, name) -> int:
        return NODE_STAGE[phase].get(name, 0)

    def _state_of(self, phase, name, stage) -> str:
        """"later" (not computed yet at this stage), "now" (being computed) or "done"."""
        s = self._node_stage(phase, name)
        if stage is None or s == 0:
            return "done" if s < 9 else "later"
        if s > stage:
            return "later"
        return "now" if s == stage else "done"

    def _node_arrays(self, result, graph, phase, t):
        """name -> (array or None when nothing to show, scale name, prefix)."""
        out = {}
        T = result.T
        if phase == "forward":
            v = graph.values(t)
            for spec in self.layout.nodes:
                n = spec.name
                if n.startswith("next:"):
                    out[n] = (None, "act")
                elif n == "out":
                    out[n] = (v["y_hat"], "y_hat")
                else:
                    out[n] = (v[n], SCALE_OF.get(n, "act"))
            return out
        err = graph.errors(t)
        nxt = graph.carried(t + 1) if t < T else None
        for spec in self.layout.nodes:
            n = spec.name
            if n.startswith("next:"):
                out[n] = (None if nxt is None else nxt[n[5:]], "err")
            elif n in ("x", "y_prev", "c_prev"):
                out[n] = (None, "err")  # x gets no error; y(t-1), c(t-1) complete at step t-1
            else:
                out[n] = (err[n], "err_out" if n == "out" else "err")
        return out

    def _draw_nodes(self, result, graph, scales, phase, t, k, stage) -> None:
        arrays = self._node_arrays(result, graph, phase, t)
        table = colors.brushes("diverging")
        faint = colors.brush(self.theme.faint)
        shown = {}
        by_scale: dict = {}  # scale -> names, so each scale is one signed_index call
        for name, (arr, scale) in arrays.items():
            if arr is None or self._state_of(phase, name, stage) == "later":
                shown[name] = None
            else:
                shown[name] = np.asarray(arr)
                by_scale.setdefault(scale, []).append(name)
        idx_of = {}
        for scale, names in by_scale.items():
            idx = colors.signed_index(np.concatenate([shown[n] for n in names]),
                                      scales[scale])  # (sum n,)
            for name, part in zip(names, np.split(idx, np.cumsum(
                    [len(shown[n]) for n in names])[:-1]), strict=True):
                idx_of[name] = part
        brushes = []
        for name, n in self._node_runs:
            part = idx_of.get(name)
            brushes += [faint] * n if part is None else [table[i] for i in part]
        self.cells.set_brushes(brushes)
        self._shown = shown
        th = self.theme
        unit_key = (k, self._built, th.highlight)
        if unit_key != self._unit_key:
            self._unit_key = unit_key
            sel = np.flatnonzero((self._unit_of == k) & ~np.isin(self._node_of, ["x", "out"]))
            self.cells.set_marks(sel, colors.pen(th.highlight, 2.0))
        # boxes and titles
        flow_nodes = self._flow_node_names(t)
        entries = []
        fill = QtGui.QColor(th.background)
        fill.setAlpha(215)  # a wire crossing a title stays behind it
        for spec in self.layout.nodes:
            name = spec.name
            st = self._state_of(phase, name, stage)
            if name in flow_nodes.get("start", ()):
                pen = colors.pen(FLOW_HEX, 3.0)
            elif name in flow_nodes.get("end", ()):
                pen = colors.pen(FLOW_HEX, 2.0, 255, "dash")
            elif st == "now":
                pen = colors.pen(th.highlight, 3.0)
            elif st == "later":
                pen = colors.pen(th.faint, 1.0)
            else:
                pen = colors.pen(th.muted, 1.0)
            box = self.boxes[name]
            if box.pen() != pen:
                box.setPen(pen)
            if spec.circle:
                box.setBrush(colors.brush(th.faint, 70))
            x, y, anchor = self._title_anchor[name]
            entries.append((x, y, anchor, self._title(result, phase, name, shown.get(name), k, t,
                                                      st), fill))
        for g, item in self.glyph_items:
            st = self._state_of(phase, g.node, stage)
            col = th.faint if st == "later" else (th.highlight if st == "now" else th.foreground)
            item.setPen(colors.pen(col, 2.0 if st == "now" else 1.2))
        self.title_texts.set_entries(entries)
        self._title_names = [spec.name for spec in self.layout.nodes]

    def _title(self, result, phase, name, arr, k, t, state) -> list:
        """The title of node ``name`` as (text, QColor, bold) parts: stage, symbol, unit k's
        number."""
        th = self.theme
        s = self._node_stage(phase, name)
        badge = CIRCLED[s] + " " if 0 < s < 9 else ""
        sym = node_title(name)
        if phase == "backward" and name != "x":
            sym = "δ" + sym
        col = _qcolor(th.faint if state == "later" else th.foreground)
        value, extra = "", ""
        if arr is not None and name not in ("x", "out"):
            value = " " + fmt(float(arr[k]))
        elif name == "out" and phase == "forward" and arr is not None:
            bt = result.backward
            if bt.loss_mask[t - 1] == 1:
                extra, value = " J(t) =", " " + fmt(float(bt.losses[t - 1]))
            else:
                extra = " (no loss)"
        elif name == "out" and arr is not None:
            sym = "δout(t) from J(t)"
        elif name in ("y_prev", "c_prev") and phase == "backward":
            extra = " (at step t−1)"
        elif name.startswith("next:") and phase == "backward" and arr is None:
            extra = " (none: t = T)"
        parts = [(badge + sym + extra, col, False)]
        if value:
            parts.append((value, col, True))
        return parts

    def _wire_state(self, phase, key, stage) -> str:
        off, wid = key
        w = WIRE[wid]
        if phase == "forward":
            if off == -1:
                return "hint"
            if off == 1:  # y(t), c(t) on their way out: there once computed
                st = self._state_of(phase, w.src_name, stage)
                return "later" if st == "later" else "hint"
            return self._state_of(phase, w.dst, stage)
        if off == -1:
            return "hint"
        if off == 1:
            src_stage = 1 if w.src == "y_prev" else 3
            return self._state_of_stage(src_stage, stage)
        return self._state_of(phase, w.src, stage)

    @staticmethod
    def _state_of_stage(s, stage) -> str:
        if stage is None:
            return "done"
        return "later" if s > stage else ("now" if s == stage else "done")

    def _draw_wires(self, result, graph, scales, phase, t, k, stage) -> None:
        th = self.theme
        lw = 1.5 if self._export else 1.0
        peep = result.forward.peepholes
        keys, polys, styles, pens, reverse = [], [], [], {}, []
        errors = graph.wire_errors(t) if phase == "backward" else {}
        shown = {}
        vmax = scales["err"]

        def err_style(v, dashed):
            if not np.isfinite(v):
                key = ("nan", dashed)
                pens[key] = colors.pen(colors.NONFINITE_RGB, 3.0 * lw, 255,
                                       "dash" if dashed else "solid")
                return key
            if v == 0:
                key = ("zero", dashed)
                pens[key] = colors.pen(th.faint, lw, 255, "dash" if dashed else "solid")
                return key
            with np.errstate(divide="ignore"):
                level = min(max(1 + np.log10(abs(v) / vmax) / DECADES, 0.0), 1.0)
            wbin = int(min(level * 4, 3))
            # sign by the diverging map, kept out of its pale middle so thin wires stay visible
            depth = 0.5 + 0.5 * wbin / 3  # 0.5 .. 1 of the way from white to the darkest
            cidx = int(round(127.5 + np.sign(v) * depth * 127.5))
            key = ("err", int(np.sign(v)), wbin, dashed)
            rgb = colors.TABLES["diverging"][min(max(cidx, 0), 255)]
            pens[key] = colors.pen(tuple(int(c) for c in rgb), ERROR_WIDTHS[wbin] * lw * 1.2, 255,
                                   "dash" if dashed else "solid")
            return key

        def fwd_style(kind, state, dashed, off):
            key = ("fwd", kind, state, dashed)
            col = self._kind_hex(kind)
            width = (2.6 if kind == "cell" else 1.5) * lw
            alpha = 255
            if state == "now":
                width *= 1.9
            elif state == "later":
                col = th.faint
            elif state == "hint":
                alpha = HINT_ALPHA
            pens[key] = colors.pen(col, width, alpha, "dash" if dashed else "solid")
            return key

        for key, pts in zip(self._wire_keys, self._wire_polys, strict=True):
            w = WIRE[key[1]]
            if w.peephole and not peep:
                continue
            dashed = key in self.layout.dashed
            state = self._wire_state(phase, key, stage)
            if phase == "backward":
                ekey = (t + key[0], key[1])
                if w.src == "x" or ekey not in errors or state in ("later", "hint"):
                    st = fwd_style(w.kind, "later", dashed, key[0])  # nothing flows here now
                    reverse.append(False)
                else:
                    v = float(errors[ekey][k])
                    shown[key] = v
                    st = err_style(v, dashed)
                    reverse.append(True)
            else:
                st = fwd_style(w.kind, state, dashed, key[0])
                reverse.append(False)
            keys.append(key)
            polys.append(pts)
            styles.append(st)
        self.wires.set(polys, styles, pens, reverse=reverse)
        self._wire_style = dict(zip(keys, styles, strict=True))
        polys, styles = [], []
        for trunk in self.layout.trunks:
            members = [m for m in trunk.members if not WIRE[m[1]].peephole or peep]
            if not members:
                continue
            w = WIRE[members[0][1]]
            dashed = members[0] in self.layout.dashed
            states = [self._wire_state(phase, m, stage) for m in members]
            state = states[0]
            if phase == "backward" and members and all(m in shown for m in members):
                v = float(sum(shown[m] for m in members))
                st = err_style(v, dashed)
                shown[("trunk",) + tuple(members)] = v
            else:
                st = fwd_style(w.kind, state if phase == "forward" else "later", dashed,
                               members[0][0])
            polys.append(trunk.points)
            styles.append(st)
        self.trunk_lines.set(polys, styles, pens)
        self._wire_shown = shown

    def _flow_node_names(self, t) -> dict:
        flow = self._flow
        if flow is None:
            return {}
        start = self._drawn_name(flow.node, t)
        ends = {self._drawn_name(r.end, t) for r in flow.routes}
        return {"start": {start}, "end": ends - {None}}

    @staticmethod
    def _drawn_name(node, t) -> str | None:
        if node.step == t:
            return node.name
        if node.step == t - 1 and node.name in ("y", "c"):
            return node.name + "_prev"
        if node.step == t + 1 and node.name in ("c",) + GATE_BARS:
            return "next:" + node.name
        return None

    def _current_flow(self, graph, t):
        name = self.state.selection.flow
        if name is None:
            return None
        try:
            return graph.flow(name, t)
        except ValueError:
            return None  # a name another view uses (e.g. a SimpleRNN's "h"), or c(0) at t = 1

    def _draw_flow(self, t) -> None:
        flow = self._flow
        if flow is None:
            self._flow_keys = set()
            self.flow_lines.set([], [], {})
            self.flow_trunks.set([], [], {})
            return
        keys = {(b - t, wid) for b, wid in flow.keys}
        self._flow_keys = keys
        lw = 15.0 if self._export else 12.0
        pen = {"flow": colors.pen(FLOW_HEX, lw, 95)}
        polys = [self.layout.wires[key] for key in self._wire_keys if key in keys]
        self.flow_lines.set(polys, ["flow"] * len(polys), pen)
        polys = [tr.points for tr in self.layout.trunks if any(m in keys for m in tr.members)]
        self.flow_trunks.set(polys, ["flow"] * len(polys), pen)

    def _draw_text(self, result, scales, phase, t, k, stage) -> None:
        th = self.theme
        fg = th.foreground
        cursor = self._cursor
        T = result.T
        stages = BACKWARD_STAGES if phase == "backward" else FORWARD_STAGES
        if stage is None:
            order = "stages in the order of the equations: " + "  ".join(
                f"{CIRCLED[i + 1]}" for i in range(len(stages)))
            now = "all stages of this step, numbered (the stage control walks through them)"
        else:
            order = f"stage {CIRCLED[stage]} of {len(stages)}"
            now = stages[stage - 1]
        what = "errors δ" if phase == "backward" else "values"
        upd = " (the update: step T's block)" if cursor.phase == "update" else ""
        H = result.forward.n_hidden
        self._label(
            self.caption, f"<b>{cursor.label(T)}</b>{upd} · {what} of all {H} units "
            f"(cells), unit k = {k + 1} outlined and written · {order}<br>"
            f"<span style='color:{th.highlight}'>{now}</span>", fg, "10pt")
        if phase == "backward":
            e = scales["err"]
            self.bar_act.set("diverging", "error δ of the hidden nodes", fmt(-e), "0", fmt(e),
                             fg)
            o = scales["err_out"]
            self.bar_pre.set("diverging", "δout(t) (own scale)", fmt(-o), "0", fmt(o), fg)
        else:
            p = scales["pre"]
            self.bar_act.set("diverging", "z, i, f, o, y, tanh c, z⊙i", "-1", "0", "1", fg)
            self.bar_pre.set("diverging", "z̄, ī, f̄, ō, c, c⊙f (x, ŷ: own)", fmt(-p), "0",
                             fmt(p), fg)
        self._label(self.key, self._key_html(result), fg, "9pt")
        self._label(self.readout, self._readout_html(result, phase, t, k), fg, "10pt")

    def _label(self, item, text: str, color: str, size: str) -> None:
        """setText only when something changed (a LabelItem relayouts on every setText); the
        caption and readout wrap at the canvas width instead of widening the layout."""
        width = None
        if item is not self.key:
            width = max(200.0, self.canvas.width() - 16.0)
            if item.item.textWidth() != width:
                item.item.setTextWidth(width)
        key = (text, color, size, width)
        if getattr(item, "_unfold_key", None) != key:
            item._unfold_key = key
            item.setText(text, color=color, size=size)
            if width is not None:
                item.setMinimumWidth(10)  # wrapped: let the layout be narrower than the text

    def _key_html(self, result) -> str:
        th = self.theme

        def chip(col, text, dash=False):
            line = "┄┄" if dash else "━━"
            return f"<span style='color:{col}'>{line}</span> {text}"

        items = [chip(th.foreground, "cell highway / on-ramp"),
                 chip(th.muted, "input x(t) via W"),
                 chip(th.recurrent, "recurrent y(t−1) via R", self._dashed_recurrent())]
        if result.forward.peepholes:
            items.append(chip(th.peephole, "peephole p"))
        items.append(chip(FLOW_HEX, "routes of the followed flow"))
        if self._dashed_recurrent():
            items.append("dashed: from the past (time lag)")
        items.append(f"<span style='color:{th.highlight}'>□</span> unit k")
        if self._phase == "backward":
            items.append("errors: arrows point back<br>along each chain-rule term;<br>"
                         "width = |term| of unit k<br>(log, 3 decades); colour =<br>sign: "
                         "<span style='color:#b2182b'>red +</span> "
                         "<span style='color:#2166ac'>blue −</span>")
        return f"<span style='color:{th.foreground}'>" + "<br>".join(items) + "</span>"

    def _dashed_recurrent(self) -> bool:
        return any(WIRE[w].kind == "recurrent" for _, w in self.layout.dashed)

    def _readout_html(self, result, phase, t, k) -> str:
        th = self.theme
        parts = [f"<span style='color:{th.muted}'>{self.reading}</span>"]
        flow = self._flow
        if flow is not None:
            node = flow.node
            # one sum written once with symbols, once with the unit's numbers:
            # δc = a + b + c = 0.1 + (−0.2) + 0.3 = 0.2 (never a chain of false equalities)
            symbols = [r.symbol.removesuffix(" · 1").removesuffix("·1") for r in flow.terms]
            values = [float(r.contribution()[k]) for r in flow.terms]
            total = float(flow.term_sum()[k]) if flow.terms else 0.0
            engine = "" if flow.delta is None else f" (engine: {fmt(float(flow.delta[k]))})"
            when = " — errors from the backward pass" if phase == "forward" else ""
            sym_lines = [" + ".join(symbols[i:i + 3]) for i in range(0, len(symbols), 3)]
            nums = " + ".join(fmt(v) if v >= 0 else f"({fmt(v)})" for v in values)
            parts.append(
                f"<span style='color:{FLOW_HEX}'><b>following {node.label}</b>: "
                f"{len(flow.routes)} routes to J in purple{when}; unit k = {k + 1}:<br>"
                f"δ{node.label} = " + "<br>&nbsp;&nbsp;+ ".join(sym_lines)
                + f"<br>&nbsp;&nbsp;= {nums} = <b>{fmt(total)}</b>{engine}</span>")
        elif self.state.selection.flow is not None:
            parts.append(f"no flow of {self.state.selection.flow!r} at this step")
        bt = result.backward
        if phase == "backward" and bt.truncation is not None:
            parts.append(f"truncated BPTT k = {bt.truncation}: errors from t+1 exclude "
                         f"J(t+{bt.truncation})")
        return "<br>".join(parts)

    # -- controls and interaction ------------------------------------------------------------
    def _sync_controls(self, *_):
        sel = self.state.selection
        res = self._result if self._result is not None else self.state.result
        if res is not None:
            self.unit_spin.blockSignals(True)
            self.unit_spin.setMaximum(max(1, res.forward.n_hidden))
            self.unit_spin.setValue(sel.unit + 1)
            self.unit_spin.blockSignals(False)
        i = self.flow_combo.findData(sel.flow)
        self.flow_combo.setCurrentIndex(max(i, 0))
        phase = "backward" if (self._cursor and self._cursor.phase == "backward") else "forward"
        if phase != self._stage_phase:
            self._stage_phase = phase
            self.stage_combo.clear()
            self.stage_combo.addItem("all, numbered", None)
            stages = BACKWARD_STAGES if phase == "backward" else FORWARD_STAGES
            for i, text in enumerate(stages):
                self.stage_combo.addItem(f"{CIRCLED[i + 1]} {text}", i)
        j = self.stage_combo.findData(self._stage_state.stage)
        self.stage_combo.setCurrentIndex(max(j, 0))

    def step_stage(self, delta: int) -> None:
        """Walk through the stages of the equations; past either end, move the cursor a step."""
        phase = "backward" if self.state.cursor.phase == "backward" else "forward"
        n = n_stages(phase)
        stage = self._stage_state.stage
        stage = None if stage is None else stage + 1  # stage numbers 1..n
        if stage is None:
            stage = 0 if delta > 0 else n + 1
        stage += delta
        if stage < 1 or stage > n:
            frame = self.state.frame
            self.state.step(delta)
            if self.state.frame == frame:
                return
            phase = "backward" if self.state.cursor.phase == "backward" else "forward"
            stage = 1 if delta > 0 else n_stages(phase)
        self._stage_state.set(stage - 1)

    def _on_stage_changed(self, _stage) -> None:
        if self.isVisible() and self._result is not None:
            self.refresh()

    def _on_mouse_clicked(self, ev) -> None:
        if self._result is None or self._result.kind != "LSTM":
            return
        if self.vb.sceneBoundingRect().contains(ev.scenePos()):
            self.click_at(self.vb.mapSceneToView(ev.scenePos()))

    def cell_at(self, p) -> int | None:
        """Index of the cell under view point ``p``, or None."""
        d = np.hypot(self._pos[:, 0] - p.x(), self._pos[:, 1] - p.y())  # (N,)
        n = int(np.argmin(d))
        return n if d[n] <= self._geometry[self._node_of[n]][4] * 0.6 else None

    def click_at(self, p) -> None:
        """A click at view point ``p``: on a cell of a hidden node, select that unit."""
        n = self.cell_at(p)
        if n is not None and self._node_of[n] not in ("x", "out"):
            self.state.set_selection(unit=int(self._unit_of[n]))

    def _on_mouse_moved(self, pos) -> None:
        if self._result is None or self._result.kind != "LSTM":
            return
        if not self.vb.sceneBoundingRect().contains(pos):
            return
        text = self.describe_at(self.vb.mapSceneToView(pos))
        if text:
            self.canvas.setToolTip(text)

    def describe_at(self, p) -> str | None:
        """Hover text for view point ``p``: the cell under it, or the wire nearest to it."""
        n = self.cell_at(p)
        if n is not None:
            name, unit = self._node_of[n], int(self._unit_of[n])
            arr = self._shown.get(name)
            what = "δ" if self._phase == "backward" else ""
            val = "not computed yet" if arr is None else fmt(float(arr[unit]))
            return f"{what}{node_title(name)}, unit {unit + 1}: {val}"
        best, key_best = 0.35, None
        for key, pts in zip(self._wire_keys, self._wire_polys, strict=True):
            for a, b in _polyline_segments(pts):
                dist = _point_segment(np.array([p.x(), p.y()]), a, b)
                if dist < best:
                    best, key_best = dist, key
        if key_best is None:
            return None
        off, wid = key_best
        w = WIRE[wid]
        block = {-1: "block t−1", 0: "block t", 1: "block t+1"}[off]
        text = (f"{pretty(w.src)} → {pretty(w.dst)} ({block}): "
                f"∂{pretty(w.dst)}/∂{pretty(w.src)} = {w.symbol}")
        if key_best in self._wire_shown:
            text += f"; carries back {fmt(self._wire_shown[key_best])} (unit {self._k + 1})"
        return text

    # -- introspection for tests and export -----------------------------------------------------
    def shown_values(self) -> dict:
        """name -> the array the node's cells show now (None: greyed, nothing to show)."""
        return dict(self._shown)

    def cell_colors(self, name: str) -> list:
        """(r, g, b) of every cell of node ``name``."""
        brushes = [b for b, n in zip(self.cells.brushes, self._node_of, strict=True)
                   if n == name]
        return [(b.color().red(), b.color().green(), b.color().blue()) for b in brushes]

    def node_texts(self) -> dict:
        """name -> plain text of the node's title (symbol, stage number, unit k's number)."""
        return {n: self.title_texts.plain(i) for i, n in enumerate(self._title_names)}

    def wire_errors_shown(self) -> dict:
        """(offset, wire id) -> the error for unit k a wire carries back (backward phase)."""
        return {k: v for k, v in self._wire_shown.items() if k[0] != "trunk"}

    def wire_style(self, key) -> tuple:
        """The drawing style of wire ``key``: ("err", sign, width bin, dashed) for an error,
        ("fwd", kind, state, dashed) otherwise."""
        return self._wire_style[key]

    def flow_keys(self) -> set:
        """(offset, wire id) of every wire highlighted in purple."""
        return set(self._flow_keys)

    def current_flow(self):
        return self._flow

    def box_pen_color(self, name: str) -> tuple:
        c = self.boxes[name].pen().color()
        return c.red(), c.green(), c.blue()

    def graphics_item(self):
        return self.canvas.ci

    def set_export_style(self, on: bool) -> None:
        self._export = on
        for layer in (self.wires, self.trunk_lines, self.flow_lines, self.flow_trunks, self.decor):
            layer.set_antialias(on)
        self.dots.opts["antialias"] = on
        if self._result is not None:
            self.render(self._result, self._cursor)

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        self._peep_styled = None


@lru_cache(maxsize=64)
def _qcolor(hex_: str) -> QtGui.QColor:
    return QtGui.QColor(hex_)


def _point_segment(p, a, b) -> float:
    ab = b - a
    L = float(ab @ ab)
    s = 0.0 if L == 0 else float(np.clip((p - a) @ ab / L, 0, 1))
    return float(np.hypot(*(a + s * ab - p)))
