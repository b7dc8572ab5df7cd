"""The nodes of a block drawing: their cells (coloured by value or error), boxes, titles, and the
fixed parts around them (operators, labels, hint boxes of the neighbouring blocks)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ... import colors
from ...model.present import lstm_block as pres
from .draw import Cells, Texts, qcolor
from .layout import BOX_PAD, cell_geometry

HINT_ALPHA = 120


def _circle_path(x, y, r) -> QtGui.QPainterPath:
    path = QtGui.QPainterPath()
    path.addEllipse(QtCore.QPointF(x, y), r, r)
    return path


def glyph_path(g, width: float = 0.0) -> QtGui.QPainterPath:
    """The outline of operator ``g``: a circle, or for a word (tanh) a rounded box at least
    ``width`` data units wide (large type: the word stays inside)."""
    if len(g.text) == 1:
        return _circle_path(g.x, g.y, g.r)
    w = max(3.2 * g.r, width)
    path = QtGui.QPainterPath()
    path.addRoundedRect(QtCore.QRectF(g.x - w / 2, g.y - g.r, w, 2 * g.r), 0.12, 0.12)
    return path


class NodesMixin:
    """Builds and draws the nodes of ``self.layout`` in ``self.vb``."""

    def _build_nodes(self) -> None:
        lay, vb = self.layout, self.vb
        self.hint_items = []
        for x0, y0, x1, y1, _label in lay.hints:
            rect = QtWidgets.QGraphicsRectItem(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
            rect.setZValue(-5)
            vb.addItem(rect)
            self.hint_items.append(rect)
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
            item = QtWidgets.QGraphicsPathItem(glyph_path(g))
            item.setZValue(3)
            vb.addItem(item)
            self.glyph_items.append((g, item))
        (x0, x1), (y0, y1) = lay.xrange, lay.yrange
        bounds = QtCore.QRectF(x0 - 2, y0 - 2, x1 - x0 + 4, y1 - y0 + 4)
        self.static_texts = Texts(bounds)
        self.static_texts.setZValue(4)
        vb.addItem(self.static_texts)
        self.title_texts = Texts(bounds)
        self.title_texts.setZValue(6)
        vb.addItem(self.title_texts)
        self.dots = pg.ScatterPlotItem(pxMode=True, size=6)
        self.dots.setZValue(3)
        vb.addItem(self.dots)
        self.cells = Cells()
        self.cells.setZValue(5)
        vb.addItem(self.cells)
        self._title_names = [spec.name for spec in lay.nodes]
        self._static_kinds: list = []  # of static_texts' entries: hint, glyph, label
        self._glyphs_wide = False  # word operators' boxes widened for large type
        self._built = None  # (H, I, O) the cells were built for
        self._geo = None
        self._unit_key = None
        self._static_theme = None
        self._peep_styled = None

    def _build_cells(self, H: int, I: int, O: int) -> None:
        self._built = (H, I, O)
        geo = cell_geometry(self.layout, H, I, O)
        self._geo = geo
        pad = BOX_PAD
        for spec in self.layout.nodes:
            if not spec.circle:
                x0, y0, w, h, _cell = geo.boxes[spec.name]
                self.boxes[spec.name].setRect(QtCore.QRectF(x0 - pad, y0 - pad, w + 2 * pad,
                                                            h + 2 * pad))
        self.cells.set_geometry(geo.pos, geo.size)
        self._unit_key = None

    # -- what never changes with the cursor ---------------------------------------------------
    def _style_static(self) -> None:
        """Colours of what never changes with the cursor; redone when the theme changes."""
        th = self.theme
        self._static_theme = th
        for rect in self.hint_items:
            rect.setPen(colors.pen(th.muted, 1.0, 160, "dash"))
            rect.setBrush(colors.brush(th.faint, 60))
        for _g, item in self.glyph_items:
            item.setBrush(colors.brush(th.background))
        polys, styles, pens = [], [], {}
        for pts, kind, dashed in self.layout.decor:
            key = (kind, dashed)
            pens[key] = colors.pen(self._kind_hex(kind), 2.0 if kind == "cell" else 1.2,
                                   HINT_ALPHA, "dash" if dashed else "solid")
            polys.append(pts)
            styles.append(key)
        self.decor.set_polylines(polys, styles, pens)
        self._peep_styled = None

    def _style_peepholes(self, peep: bool) -> None:
        """Static texts (labels, operators, hint titles); peephole labels and junctions appear
        only when the model has peepholes."""
        self._peep_styled = peep
        th = self.theme
        fill = QtGui.QColor(th.background)
        fill.setAlpha(170)
        entries, kinds = [], []
        for x0, _y0, x1, y1, label in self.layout.hints:
            kinds.append("hint")
            entries.append(((x0 + x1) / 2, y1 - 0.1, (0.5, 0.0),
                            [(label, QtGui.QColor(th.muted), False)], None))
        for g, _item in self.glyph_items:
            kinds.append("glyph")
            entries.append((g.x, g.y, (0.5, 0.5), [(g.text, QtGui.QColor(th.foreground), False)],
                            None))
        for lab in self.layout.labels:
            if lab.peephole and not peep:
                continue
            kinds.append("label")
            size = 1.0 if self._crowded() else float(lab.size.rstrip("pt")) / 9.0
            entries.append((lab.x, lab.y, lab.anchor,
                            [(lab.text, QtGui.QColor(getattr(th, lab.color)), False)], fill,
                            size))
        self.static_texts.set_entries(entries)
        self._static_kinds = kinds
        dots = list(self.layout.dots) + (list(self.layout.peephole_dots) if peep else [])
        d = np.asarray(dots, dtype=float).reshape(-1, 2)
        self.dots.setData(pos=d, brush=colors.brush(th.foreground), pen=None)

    def _kind_hex(self, kind: str) -> str:
        th = self.theme
        return {"input": th.muted, "recurrent": th.recurrent, "peephole": th.peephole,
                "cell": th.foreground, "gate": th.foreground, "output": th.muted}[kind]

    # -- per frame ----------------------------------------------------------------------------
    def _draw_nodes(self, result, arrays, scales, phase, t, k, stage, flow) -> None:
        """Cells, boxes and titles. ``arrays``: name -> (array or None, scale name), or None
        while the block graph is computing (every cell faint)."""
        th = self.theme
        table = colors.brushes("diverging")
        faint = colors.brush(th.faint)
        shown = {}
        by_scale: dict = {}  # scale -> names, so each scale is one signed_index call
        for spec in self.layout.nodes:
            name = spec.name
            arr, scale = (None, None) if arrays is None else arrays[name]
            if arr is None or pres.node_state(phase, name, stage) == "later":
                shown[name] = None
            else:
                shown[name] = np.asarray(arr)
                by_scale.setdefault(scale, []).append(name)
        idx_of = {}
        for scale, names in by_scale.items():
            idx = colors.signed_index(np.concatenate([shown[n] for n in names]),
                                      scales[scale])  # (sum n,)
            cuts = np.cumsum([len(shown[n]) for n in names])[:-1]
            for name, part in zip(names, np.split(idx, cuts), strict=True):
                idx_of[name] = part
        brushes = []
        for name, n in self._geo.runs:
            part = idx_of.get(name)
            brushes += [faint] * n if part is None else [table[i] for i in part]
        self.cells.set_brushes(brushes)
        self._shown = shown if arrays is not None else {}
        geo = self._geo
        unit_key = (k, self._built, th.highlight)
        if unit_key != self._unit_key:
            self._unit_key = unit_key
            sel = np.flatnonzero((geo.unit_of == k) & ~np.isin(geo.node_of, ["x", "out"]))
            self.cells.set_marks(sel, colors.pen(th.highlight, 2.0))
        ends = pres.flow_nodes(flow, t)
        entries, wordings = [], {}
        fill = QtGui.QColor(th.background)
        fill.setAlpha(215)  # a wire crossing a title stays behind it
        for spec in self.layout.nodes:
            name = spec.name
            st = pres.node_state(phase, name, stage)
            if name in ends.get("start", ()):
                pen = colors.pen(pres.FLOW_HEX, 3.0)
            elif name in ends.get("end", ()):
                pen = colors.pen(pres.FLOW_HEX, 2.0, 255, "dash")
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
            x, y, anchor = geo.titles[name]
            text, value = pres.title_parts(result, phase, name, shown.get(name), k, t)
            col = qcolor(th.faint if st == "later" else th.foreground)
            parts = [(text, col, False)] + ([(value, col, True)] if value else [])
            entries.append((x, y, anchor, parts, fill))
            short = text.split(" (")[0] if " (" in text else text  # without its note
            wordings[name] = [parts] + ([[(short, col, False)]] if value or short != text
                                        else [])
        for g, item in self.glyph_items:
            st = pres.node_state(phase, g.node, stage)
            col = th.faint if st == "later" else (th.highlight if st == "now" else th.foreground)
            item.setPen(colors.pen(col, 2.0 if st == "now" else 1.2))
        self.title_texts.set_entries(entries)
        self._wordings = wordings  # name -> its title's parts, longest first (crowded slides)
