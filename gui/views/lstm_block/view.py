"""The view both LSTM block drawings share: one :class:`~.layout.Layout` drawn from a frame.

What a block view draws at cursor (phase, t):

- every node as a row of small cells, one per unit (x: I cells, ŷ: O cells), coloured by the
  diverging map; the selected unit k (``selection.unit``) outlined, its number in the title;
- forward: the values of step t; backward: the errors of step t, and every wire carries its term
  of the chain rule for unit k: colour = sign and size on the error scale, width = magnitude;
- the stage of the equations each node belongs to, numbered (①…); the stage control walks
  through them (``selection.stage``), greying what is not computed yet;
- "follow one flow" (``selection.flow``): every route of BlockGraph.flow in purple, the articles'
  purple arrows, with the terms and their sum for unit k.

The block graph comes from a job (:class:`gui.model.present.lstm_block.BlockGraphJob`); until it
lands the cells are faint and the caption says it is computing.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ...graphics.arrows import polyline_segments
from ...graphics.axes import plain_viewbox
from ...graphics.label_place import place
from ...graphics.labels import add_label, pt, set_label
from ...model.present import lstm_block as pres
from ...model.present.numbers import cursor_label, fmt
from ..base import View, make_canvas
from .controls import ControlsMixin
from .layout import BOX_PAD, PX_PER_UNIT, Layout, point_segment
from .legend import LegendMixin
from .nodes import NodesMixin, glyph_path
from .wires import WiresMixin

#: the smallest text of the drawing on a slide, in points of its layout (slides are painted at
#: twice their layout's size: 9.3 pt is 12.4 px, 24.8 px on the 1600 px slide)
SLIDE_PT = 9.3


class LstmBlockView(ControlsMixin, NodesMixin, WiresMixin, LegendMixin, View):
    """Base of the LSTM block views: subclasses set ``layout``, ``reading`` and the registry
    attributes."""

    layout: Layout = None
    #: one sentence under the diagram on how to read this drawing
    reading = ""

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        self._build_controls()
        self.canvas = make_canvas(self.theme)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.rnn_bar)
        lay.addWidget(self.canvas, 1)
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0, colspan=2)
        self.vb = plain_viewbox(ci, row=1, col=0)
        self.vb.setAspectLocked(True)
        self._build_legend(ci)
        self._shown: dict = {}
        self._flow = None
        self._k = 0
        self._phase = "forward"
        self._build_wires()
        self._build_nodes()
        self.vb.setRange(xRange=self.layout.xrange, yRange=self.layout.yrange, padding=0.0)
        self.canvas.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        # texts are sized and placed in pixels: the drawing's own size counts, not only the
        # view's (the key beside it grows with the type)
        self._refit_due = False
        self.vb.sigResized.connect(self._on_drawing_resized)
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # -- frames -------------------------------------------------------------------------------
    def needs(self, frame) -> dict:
        if frame.result is None or frame.result.kind != "LSTM":
            return {}
        return {"block": pres.BlockGraphJob(frame.result)}

    def _draw(self, frame) -> None:
        result, cursor = frame.result, frame.cursor
        if result.kind != "LSTM":
            self._draw_not_lstm(frame)
            return
        self.vb.setVisible(True)
        self.legend.setVisible(True)
        tr = result.forward
        if self._built != (tr.n_hidden, tr.n_in, tr.n_out):
            self._build_cells(tr.n_hidden, tr.n_in, tr.n_out)
        if self._static_theme is not self.theme:
            self._style_static()
        if self._peep_styled != tr.peepholes:
            self._style_peepholes(tr.peepholes)
        phase = pres.phase_of(cursor)
        t = min(max(cursor.t, 1), result.T)  # the update shows block T
        k = min(max(frame.selection.unit, 0), tr.n_hidden - 1)
        stage = pres.shown_stage(frame.selection.stage, phase)
        self._phase, self._k = phase, k
        self._sync_controls(frame, phase)
        self._apply_density()
        data = frame.derived.get("block")
        if data is None:  # the graph job has not landed: faint cells, no numbers
            arrays, scales, errors, flow = None, None, {}, None
        else:
            graph, scales = data.graph, data.scales
            arrays = pres.node_arrays(graph, [s.name for s in self.layout.nodes], phase, t)
            errors = graph.wire_errors(t) if phase == "backward" else {}
            flow = pres.current_flow(graph, frame.selection.flow, t)
        self._flow = flow
        self._draw_nodes(result, arrays, scales, phase, t, k, stage, flow)
        if self._crowded():
            self._fit_texts()
        elif self._glyphs_wide:
            self._fit_glyphs()
        self._draw_wires(result, errors, scales, phase, t, k, stage)
        self._draw_flow(flow, t)
        self._draw_legend(frame, scales, phase, k, stage, flow)

    def _apply_density(self) -> None:
        """Texts and arrowheads follow the drawing's size (it shrinks with the window)."""
        px = self.vb.viewPixelSize()[0]
        ppu = 1.0 / px if px else PX_PER_UNIT
        scale = float(np.clip(ppu / PX_PER_UNIT, 0.7, 1.25))
        if self.exporting:
            scale *= 1.1
        scale *= self.theme.font_scale  # presentation mode and slides: larger type
        size = round(9.0 * scale, 1)
        if self.exporting and self._crowded():  # a slide: 24 px or more at 1600 px
            size = max(size, SLIDE_PT * self.theme.font_scale / 1.25)
        self.title_texts.set_point_size(size)
        self.static_texts.set_point_size(size)
        self.wires.head_px = 8.0 * scale
        self.flow_lines.head_px = 12.0 * scale

    def _crowded(self) -> bool:
        """Large type (slides, presentation mode): titles and labels would cover each other
        where they stand, so :meth:`_fit_texts` places them."""
        return self.theme.font_scale > 1.0

    def _fit_texts(self) -> None:
        """Place every text so that none covers another or a node's cells: the operators where
        they are; each node's title on its own side, else on another side, else without unit
        k's number (the colours still show it); then the fixed labels; then the titles of block
        t+1 and the neighbours' names. What finds no room is left out (a slide is read from
        afar: fewer, larger words)."""
        dx, dy = self.vb.viewPixelSize()
        if not dx or not dy or self._geo is None:
            return
        tr = QtGui.QTransform(1 / dx, 0, 0, -1 / dy, 0, 0)  # data to (unshifted) pixels
        bounds = tr.mapRect(self.vb.viewRect())
        geo, pad = self._geo, BOX_PAD
        obstacles = [tr.mapRect(QtCore.QRectF(x0 - pad, y0 - pad, w + 2 * pad, h + 2 * pad))
                     for x0, y0, w, h, _cell in geo.boxes.values()]
        obstacles += [tr.mapRect(item.path().boundingRect()) for _g, item in self.glyph_items]
        statics, titles = self.static_texts, self.title_texts
        fill = titles.entries[0][4] if titles.entries else None
        texts, who = [], []  # who: ("static", index) or ("title", name, [[entry, ...], ...])

        def add_static(kind):  # the parts' names before the weights' (W_z, R_*)
            order = sorted(range(len(statics.entries)),
                           key=lambda n: "_" in statics.plain(n))
            for n in order:
                entry = statics.entries[n]
                if self._static_kinds[n] == kind:  # signs sit in their circles: no gap
                    gap = (0.0, 0.0) if kind == "glyph" else (6.0, 1.0)
                    texts.append(([[statics.entry_rect(entry, tr)]], False, gap))
                    who.append(("static", n))

        def add_titles(later: bool):
            for name in self._title_names:
                if name.startswith("next:") != later:
                    continue
                wordings = [[(x, y, anchor, parts, fill) for x, y, anchor in geo.places[name]]
                            for parts in self._wordings[name]]
                texts.append(([[titles.entry_rect(e, tr) for e in w] for w in wordings], True))
                who.append(("title", name, wordings))

        add_static("glyph")
        self._fit_glyphs(tr)
        add_titles(False)
        add_static("label")
        add_titles(True)
        add_static("hint")
        chosen = place(texts, obstacles, bounds)
        hidden_static, hidden_titles = set(), set()
        entries = dict(zip(self._title_names, titles.entries, strict=True))
        for pick, w in zip(chosen, who, strict=True):
            if w[0] == "static":
                if pick is None:
                    hidden_static.add(w[1])
            elif pick is None:
                hidden_titles.add(self._title_names.index(w[1]))
            else:
                entries[w[1]] = w[2][pick[0]][pick[1]]
        titles.set_entries([entries[n] for n in self._title_names], hidden_titles)
        statics.hidden = hidden_static
        statics.update()

    def _fit_glyphs(self, tr=None) -> None:
        """Boxes of the word operators (tanh) as wide as their word in the type drawn (``tr``
        data to pixels), or their usual width (None)."""
        words = [e for e, kind in zip(self.static_texts.entries, self._static_kinds,
                                      strict=True) if kind == "glyph"]
        for (g, item), entry in zip(self.glyph_items, words, strict=True):
            if len(g.text) > 1:
                width = 0.0 if tr is None else \
                    (self.static_texts.entry_rect(entry, tr).width() + 6) / tr.m11()
                item.setPath(glyph_path(g, width))
        self._glyphs_wide = tr is not None

    def _draw_not_lstm(self, frame) -> None:
        result = frame.result
        self._show_not_lstm(result.kind)
        self.vb.setVisible(False)
        self.legend.setVisible(False)
        self._flow = None
        self._flow_keys = set()
        self._shown = {}
        th = self.theme
        when = cursor_label(frame.cursor, result.T)
        set_label(self.caption, f"<b>{when}</b> · this session is a {result.kind}: there is no "
                  "LSTM block to draw. Switch the model to LSTM (button above, or the session "
                  "panel).", color=th.foreground, size=pt(th, 11))
        set_label(self.readout, "", color=th.foreground, size=pt(th, 10))

    def _on_drawing_resized(self, *_):
        """Large type: the texts' sizes and places follow the drawing's pixels. Only the
        texts inside the drawing are redone (they change no layout, so this settles)."""
        if not self._refit_due and self._crowded() and self._is_drawn():
            self._refit_due = True
            QtCore.QTimer.singleShot(0, self, self._refit)  # dropped if the view is gone

    def _refit(self) -> None:
        self._refit_due = False
        if self._crowded() and self._is_drawn():
            self._apply_density()
            self._fit_texts()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.frame is not None:  # texts and arrowheads are sized in pixels
            QtCore.QTimer.singleShot(0, self, self.redraw)  # dropped if the view is gone

    def _restyle(self, theme) -> None:
        super()._restyle(theme)
        self._static_theme = None
        self._peep_styled = None
        self._unit_key = None

    def _set_export_style(self, on: bool) -> None:
        for layer in self._layers():
            layer.set_antialias(on)
        self.dots.opts["antialias"] = on

    # -- interaction ----------------------------------------------------------------------------
    def _is_drawn(self) -> bool:
        f = self.frame
        return f is not None and f.result is not None and f.result.kind == "LSTM" \
            and self._geo is not None

    def _on_mouse_clicked(self, ev) -> None:
        if self._is_drawn() and self.vb.sceneBoundingRect().contains(ev.scenePos()):
            self.click_at(self.vb.mapSceneToView(ev.scenePos()))

    def cell_at(self, p) -> int | None:
        """Index of the cell under view point ``p``, or None."""
        geo = self._geo
        d = np.hypot(geo.pos[:, 0] - p.x(), geo.pos[:, 1] - p.y())  # (N,)
        n = int(np.argmin(d))
        return n if d[n] <= geo.boxes[geo.node_of[n]][4] * 0.6 else None

    def click_at(self, p) -> None:
        """A click at view point ``p``: on a cell of a hidden node, select that unit."""
        n = self.cell_at(p)
        if n is not None and self._geo.node_of[n] not in ("x", "out"):
            self._select(unit=int(self._geo.unit_of[n]))

    def _on_mouse_moved(self, pos) -> None:
        if not self._is_drawn() or not self.vb.sceneBoundingRect().contains(pos):
            return
        text = self.describe_at(self.vb.mapSceneToView(pos))
        if text:
            self.canvas.setToolTip(text)

    def describe_at(self, p) -> str | None:
        """Hover text for view point ``p``: the cell under it, or the wire nearest to it."""
        n = self.cell_at(p)
        if n is not None:
            name, unit = self._geo.node_of[n], int(self._geo.unit_of[n])
            arr = self._shown.get(name)
            what = "δ" if self._phase == "backward" else ""
            val = "not computed yet" if arr is None else fmt(float(arr[unit]))
            return f"{what}{pres.node_title(name)}, unit {unit + 1}: {val}"
        best, key_best = 0.35, None
        q = np.array([p.x(), p.y()])
        for key, pts in zip(self._wire_keys, self._wire_polys, strict=True):
            for a, b in polyline_segments(pts):
                dist = point_segment(q, a, b)
                if dist < best:
                    best, key_best = dist, key
        if key_best is None:
            return None
        text = pres.wire_text(key_best)
        if key_best in self._wire_shown:
            text += f"; carries back {fmt(self._wire_shown[key_best])} (unit {self._k + 1})"
        return text

    # -- introspection for tests and export -----------------------------------------------------
    @property
    def _pos(self) -> np.ndarray:
        return self._geo.pos

    @property
    def _node_of(self) -> np.ndarray:
        return self._geo.node_of

    @property
    def _unit_of(self) -> np.ndarray:
        return self._geo.unit_of

    def shown_values(self) -> dict:
        """name -> the array the node's cells show now (None: greyed, nothing to show)."""
        return dict(self._shown)

    def cell_colors(self, name: str) -> list:
        """(r, g, b) of every cell of node ``name``."""
        brushes = [b for b, n in zip(self.cells.brushes, self._geo.node_of, strict=True)
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
