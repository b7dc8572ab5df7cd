"""The GRU block, drawn in the style of the LSTM circuit: the state highway on top, where the
update gate interpolates between h(t−1) and the candidate n(t); the reset gate on the recurrent
path R_n h(t−1); live values forward, errors on every node and wire backward; "follow one flow"
lights every chain-rule route of one variable to J in purple, numbered, with their terms and sum.

What it draws comes from gui.model.present.gru_block; the step's graph numbers are a job
(truncated BPTT sums up to k steps for what is passed back)."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from sim.gru_graph import FLOW_NAMES, pretty

from ... import colors
from ...graphics.colorbar import ColorBar
from ...graphics.labels import add_label, pt, set_label
from ...model.present import gru_block as gb
from ...model.present import gru_block_layout as gl
from ...model.present.numbers import cursor_label
from .. import register
from ..base import View, build_in_parts, plain_viewbox
from . import fitting
from .drawing import FLOW_HEX, BlockDrawing, polyline_segments

NOT_GRU = ("The GRU block shows a GRU session; load the preset gru-vs-lstm or switch Model to "
           "GRU.")
#: error wires fade with their size (by width class), so small errors recede on either theme
WIRE_ALPHA = (80, 140, 210, 255)
PX_PER_UNIT = 46.0  # the drawing's design scale (a 1600 px export): its texts' sizes hold there
#: the smallest text of the drawing on a slide, in points of its layout (slides are painted at
#: twice their layout's size: 9.3 pt is 12.4 px, 24.8 px on the 1600 px slide)
SLIDE_PT = 9.3
KIND_HEX = {"input": "muted", "recurrent": "recurrent", "gate": "foreground",
            "state": "foreground", "output": "muted"}


@register
class GruBlockView(View):
    name = "gru-block"
    title = "GRU block"
    tabs = ("GRU",)
    order = 0
    stretch = 4
    description = ("Inside one GRU block: the update gate interpolates between h(t−1) and the "
                   "candidate n(t), the reset gate scales the recurrent path R_n h(t−1); live "
                   "values forward, errors backward, and every route of one variable to J in "
                   "purple.")

    def _build_parts(self):
        ci = self.add_canvas(self._build_controls())
        self.vb = plain_viewbox(ci, row=1, col=0)
        self.vb.setAspectLocked(True)
        self.vb.setRange(xRange=gl.XRANGE, yRange=gl.YRANGE, padding=0)
        yield
        legend = ci.addLayout(row=1, col=1)
        self.bar_a = ColorBar(legend, 0, 0, width_px=200)
        self.bar_b = ColorBar(legend, 1, 0, width_px=200)
        yield
        self.key = add_label(legend, 2, 0)
        legend.setMaximumWidth(215)
        legend.layout.setRowStretchFactor(3, 10)
        legend.addLabel("", row=3, col=0)
        self.readout = add_label(ci, 2, 0, colspan=2)
        ci.layout.setRowStretchFactor(1, 10)
        ci.layout.setColumnStretchFactor(0, 10)
        yield
        self.block = yield from build_in_parts(BlockDrawing, self.vb)
        self.canvas.scene().sigMouseClicked.connect(self._on_click)
        # texts are sized and placed in pixels: the drawing's own size counts, not only the
        # view's (the key beside it grows with the type)
        self._refit_due = False
        self.vb.sigResized.connect(self._on_drawing_resized)
        self.picture: gb.Picture | None = None
        self.drawn_rgb: dict = {}
        self._static_theme = None
        self._density = 1.0
        self._glyphs_wide = False  # the last texts were placed for large type (moved, hidden)

    # -- controls: intent goes to the model ------------------------------------------------
    def _build_controls(self) -> QtWidgets.QVBoxLayout:
        self.unit_spin = QtWidgets.QSpinBox()
        self.unit_spin.setMinimum(1)
        self.unit_spin.setPrefix("unit k = ")
        self.unit_spin.setToolTip("The hidden unit k whose numbers the titles and routes show")
        self.unit_spin.valueChanged.connect(self._on_unit)
        self.flow_box = QtWidgets.QComboBox()
        self.flow_box.addItem("none", None)
        for name in FLOW_NAMES:
            self.flow_box.addItem(pretty(name), name)
        self.flow_box.setToolTip("Follow one flow: every route from this variable to J, in "
                                 "purple, each route's term numbered; they sum to its error")
        self.flow_box.activated.connect(self._on_flow)
        self.stage_box = QtWidgets.QComboBox()
        self.stage_box.setToolTip("Walk through the equations of one step: later stages are "
                                  "drawn faint (not computed yet)")
        self.stage_box.activated.connect(self._on_stage)
        # wide enough for "all stages" in any font (presentation mode); the list shows the rest
        self.stage_box.setMinimumContentsLength(len("all stages") + 2)
        self.stage_box.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.prev_stage = QtWidgets.QToolButton(text="◀")
        self.next_stage = QtWidgets.QToolButton(text="▶")
        self.prev_stage.clicked.connect(lambda: self._step_stage(-1))
        self.next_stage.clicked.connect(lambda: self._step_stage(1))
        self.switch = QtWidgets.QPushButton("Switch Model to GRU")
        self.switch.clicked.connect(self._on_switch)
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        self.gru_controls = [self.unit_spin, self.flow_box, self.prev_stage, self.stage_box,
                             self.next_stage]
        for w in (self.unit_spin, QtWidgets.QLabel("  follow one flow"), self.flow_box,
                  QtWidgets.QLabel("  stage"), self.prev_stage, self.stage_box,
                  self.next_stage):
            head.addWidget(w)
        head.addStretch(1)
        head.addWidget(self.switch)
        return head

    def _on_unit(self, value: int) -> None:
        if self.app is not None and self.frame is not None \
                and value - 1 != self.frame.selection.unit:
            self.app.set_selection(unit=int(value) - 1)

    def _on_click(self, event) -> None:
        """A click on a hidden unit's cell picks that unit."""
        if self.app is None or self.picture is None or not self.vb.isVisible():
            return
        p = self.vb.mapSceneToView(event.scenePos())
        hit = gl.unit_at(p.x(), p.y(), self.block.sizes)
        if hit is not None:
            self.app.set_selection(unit=hit[1])

    def _on_flow(self, index: int) -> None:
        if self.app is not None:
            self.app.set_selection(flow=self.flow_box.itemData(index))

    def _on_stage(self, index: int) -> None:
        if self.app is not None:
            self.app.set_selection(stage=self.stage_box.itemData(index))

    def _step_stage(self, delta: int) -> None:
        """The next (previous) stage; past the last (first) stage, the next (previous) moment."""
        if self.app is None or self.picture is None:
            return
        n = len(self.picture.stage_texts)
        now = self.picture.stage - 1 if self.picture.stage is not None else (
            -1 if delta > 0 else n)
        new = now + delta
        if 0 <= new < n:
            self.app.set_selection(stage=new)
        else:
            self.app.step(delta)
            self.app.set_selection(stage=0 if delta > 0 else None)

    def _on_switch(self) -> None:
        if self.app is not None:
            self.app.update_config(model="GRU")

    # -- jobs --------------------------------------------------------------------------------
    def needs(self, frame) -> dict:
        if frame.result is None or frame.result.kind != "GRU":
            return {}
        return {"step": gb.GruStepJob(frame.result, self._step(frame))}

    @staticmethod
    def _step(frame) -> int:
        return min(max(frame.cursor.t, 1), frame.result.T)

    def _on_drawing_resized(self, *_):
        """Large type: the texts' sizes and places follow the drawing's pixels. Only the
        texts inside the drawing are redone (they change no layout, so this settles)."""
        if not self._refit_due and self._crowded() and self.picture is not None:
            self._refit_due = True
            QtCore.QTimer.singleShot(0, self, self._refit)  # dropped if the view is gone

    def _refit(self) -> None:
        self._refit_due = False
        if self._crowded() and self.picture is not None and self.vb.isVisible():
            self._set_density()
            self._draw_flow(self.picture)
            self._draw_block_texts(self.picture)

    # -- drawing -----------------------------------------------------------------------------
    def _draw(self, frame) -> None:
        result, theme = frame.result, self.theme
        fg = theme.foreground
        gru = result.kind == "GRU"
        self.vb.setVisible(gru)
        for w in self.gru_controls:
            w.setEnabled(gru)
        self.switch.setVisible(not gru)
        for bar in (self.bar_a, self.bar_b):
            bar.vb.setVisible(gru)
        if not gru:
            self.picture = None
            kind = result.kind
            cells = (f" of {result.config.cell} cells"
                     if kind in ("BidirectionalRNN", "Seq2Seq") else "")
            article = "an" if kind == "LSTM" else "a"
            set_label(self.caption, f"<b>{NOT_GRU}</b><br>This session is {article} {kind}"
                      f"{cells}: it has no GRU block of its own to draw.", color=fg,
                      size=pt(theme, 14))
            set_label(self.readout, "", color=fg)
            set_label(self.key, "", color=fg)
            return
        data = frame.derived.get("step")
        what = f"<b>{cursor_label(frame.cursor, result.T)}</b>"
        if data is None or data.t != self._step(frame):
            note = frame.failed.get("step", "computing this step's routes …")
            set_label(self.caption, f"{what} · {note}", color=fg, size=pt(theme, 11))
            return
        sel = frame.selection
        pic = gb.picture(result, data, frame.cursor.phase, sel.unit, sel.flow, sel.stage)
        self.picture = pic
        self._sync_controls(result, pic, sel)
        if self._static_theme is not theme:
            self._static_theme = theme
            self.block.style_static(theme)
        self._set_density()
        self._draw_nodes(result, pic)
        self._draw_wires(pic)
        self._draw_flow(pic)
        self._draw_texts(pic, what)

    def _set_density(self) -> None:
        px = self.vb.viewPixelSize()[0]  # data units per pixel
        self._density = float(np.clip(1.0 / (px * PX_PER_UNIT), 0.5, 1.4)) if px > 0 else 1.0

    def _sync_controls(self, result, pic, sel) -> None:
        for w in (self.unit_spin, self.flow_box, self.stage_box):
            w.blockSignals(True)
        self.unit_spin.setMaximum(result.forward.n_hidden)
        self.unit_spin.setValue(pic.unit + 1)
        i = self.flow_box.findData(sel.flow)
        self.flow_box.setCurrentIndex(max(i, 0))
        texts = ("all stages",) + tuple(f"{gb.CIRCLED[n + 1]} {s}"
                                        for n, s in enumerate(pic.stage_texts))
        if [self.stage_box.itemText(n) for n in range(self.stage_box.count())] != list(texts):
            self.stage_box.clear()
            for n, text in enumerate(texts):
                self.stage_box.addItem(text, None if n == 0 else n - 1)
        self.stage_box.setCurrentIndex(0 if pic.stage is None else pic.stage)
        for w in (self.unit_spin, self.flow_box, self.stage_box):
            w.blockSignals(False)

    def _draw_nodes(self, result, pic) -> None:
        tr, theme = result.forward, self.theme
        sizes = {s.name: {"x": tr.n_in, "out": tr.n_out}.get(s.name, tr.n_hidden)
                 for s in gl.NODE_SPECS}
        self.block.build(sizes)
        self.drawn_rgb = {}
        marks = []
        for spec in gl.NODE_SPECS:
            n = sizes[spec.name]
            cols, _, cell = gl.cell_size(n, spec.width)
            faint = None if pic.lit[spec.name] else theme.faint
            self.drawn_rgb[spec.name] = self.block.set_cells(
                spec.name, pic.levels.get(spec.name), cols, faint, theme.background)
            if spec.name not in ("x", "out") and pic.cells[spec.name] is not None:
                marks.append(gl.cell_centre(spec, n, pic.unit))
        side = gl.cell_size(tr.n_hidden, 1.8)[2] * 1.05
        self.block.set_marks(marks, side, colors.pen(theme.highlight, 1.6))
        now = [n for n, s in pic.stage_of.items() if pic.stage is not None and s == pic.stage]
        self.block.set_stage_boxes(now, colors.pen(theme.highlight, 2.5))

    def _pt(self, size: float) -> str:
        """A size in points for text inside the drawing: it follows the drawing's scale (data
        units per pixel), so titles keep their places when the view is small; on a slide never
        under :data:`SLIDE_PT` (24 px or more at 1600 px)."""
        size *= self._density
        if self.exporting and self._crowded():
            size = max(size, SLIDE_PT / self.theme.font_scale)
        return pt(self.theme, size)

    def _crowded(self) -> bool:
        """Large type (slides, presentation mode): the texts are placed so none covers another
        (:func:`.fitting.fit`)."""
        return self.theme.font_scale > 1.0

    def _reset_places(self) -> None:
        """Every text where the screen layout puts it, shown (after large type moved or hid
        some; on screen nothing is moved, so nothing is done)."""
        block = self.block
        if not self._glyphs_wide and not self._crowded():
            return
        for spec in gl.NODE_SPECS:
            (x, y), anchor = fitting.places(spec, block.box_of[spec.name])[0]
            item = block.titles[spec.name]
            item.setAnchor(anchor)
            item.setPos(x, y)
            item.setVisible(True)
        if self._glyphs_wide:
            fitting.fit_glyphs(block)
        self._glyphs_wide = self._crowded()
        for item in ([t for _g, _i, t in block.glyphs] + [t for _x, t in block.labels]
                     + [t for _x, t in block.hint_titles]):
            item.setVisible(True)

    def _hex(self, role: str) -> str:
        return getattr(self.theme, role)

    def _draw_wires(self, pic) -> None:
        theme = self.theme
        keys = list(gl.WIRES)
        polys = [gl.WIRES[k] for k in keys]
        lw = theme.line_scale * (1.4 if self.exporting else 1.0)
        if pic.phase == "forward":
            from sim.gru_graph import WIRE

            styles, pens = [], {}
            for off, wid in keys:
                kind = WIRE[wid].kind
                code = list(KIND_HEX).index(kind) + (10 if off != 0 else 0)
                alpha = 255 if off == 0 else 120
                pens[code] = colors.pen(self._hex(KIND_HEX[kind]),
                                        (2.6 if kind == "state" else 1.4) * lw, alpha)
                styles.append(code)
            self.block.wires.set(polys, styles, pens)
            trunk_pen = {0: colors.pen(theme.recurrent, 1.4 * lw),
                         1: colors.pen(theme.foreground, 1.4 * lw)}
            segs = [_segs(p) for p, _ in gl.TRUNKS]
            st = [np.full(len(sg), 0 if m[0][1].startswith("h_prev") else 1)
                  for sg, (_, m) in zip(segs, gl.TRUNKS, strict=True)]
            self.block.trunks.set(np.concatenate(segs), np.concatenate(st), trunk_pen)
            return
        table = colors.TABLES["diverging"]
        styles, pens = [], {}
        for key in keys:
            level, width, _ = pic.wires.get(key, (128, 0, 0.0))
            code = level * 8 + width
            pens[code] = colors.pen(tuple(int(c) for c in table[level]),
                                    gb.ERROR_WIDTHS[width] * lw, WIRE_ALPHA[width])
            styles.append(code)
        self.block.wires.set(polys, styles, pens, reverse=True)  # errors flow back
        segs, st = [], []
        for (poly, _), (level, width, _) in zip(gl.TRUNKS, pic.trunks, strict=True):
            s = _segs(poly)
            segs.append(s)
            code = level * 8 + width
            pens[code] = colors.pen(tuple(int(c) for c in table[level]),
                                    gb.ERROR_WIDTHS[width] * lw, WIRE_ALPHA[width])
            st += [code] * len(s)
        self.block.trunks.set(np.concatenate(segs), np.array(st), pens)

    def _draw_flow(self, pic) -> None:
        polys = [p for r in pic.routes for p in r.polylines]
        uniq = list(dict.fromkeys(polys))
        pen = {0: colors.pen(FLOW_HEX, 3.5 * self.theme.line_scale, 210)}
        self.block.flow.set(uniq, [0] * len(uniq), pen, reverse=True)
        self.block.set_route_numbers([(gb.number(r.number), r.at) for r in pic.routes],
                                     self._pt(11))

    def _draw_block_texts(self, pic) -> None:
        """The texts inside the drawing: titles, operators, labels, the neighbours' names."""
        theme = self.theme
        fg, size = theme.foreground, self._pt(10)
        wordings = {}
        self._reset_places()
        for spec in gl.NODE_SPECS:
            s = pic.stage_of[spec.name]
            num = f"{gb.CIRCLED[s]} " if 1 <= s <= len(pic.stage_texts) else ""
            color = fg if pic.lit[spec.name] else theme.muted
            title = pic.titles[spec.name]
            wordings[spec.name] = [f"<span style='color:{color}; font-size:{size}'>{num}{t}"
                                   "</span>" for t in dict.fromkeys((title,
                                                                     title.split(" = ")[0]))]
            self.block.set_html(self.block.titles[spec.name], wordings[spec.name][0])
        for g, _item, text in self.block.glyphs:
            self.block.set_html(text, f"<span style='color:{fg}; font-size:{self._pt(10)}'>"
                                      f"{g.text}</span>")
        for (text, item), spec in zip(self.block.labels, gl.LABELS, strict=True):
            color = self._hex(spec[4])
            self.block.set_html(item, f"<span style='color:{color}; font-size:"
                                      f"{self._pt(10 * spec[5])}'>{text}</span>")
        for label, item in self.block.hint_titles:
            if pic.last and label == "block t+1":
                label = "no block t+1: t = T"
            self.block.set_html(item, f"<span style='color:{theme.muted}; font-size:"
                                      f"{self._pt(9)}'>{label}</span>")
        if self._crowded():
            fitting.fit(self, wordings)

    def _draw_texts(self, pic, what: str) -> None:
        theme = self.theme
        fg = theme.foreground
        self._draw_block_texts(pic)
        for bar, (title, lo, hi) in zip((self.bar_a, self.bar_b), pic.bars, strict=True):
            bar.set("diverging", title, lo, "0", hi, fg)
        k = pic.unit + 1
        if pic.phase == "forward":
            how = (f"forward: the values of step {pic.t}; the outlined cells are unit k = {k}, "
                   "whose numbers the titles give")
        else:
            how = (f"backward: the errors δ of step {pic.t}, unit k = {k} on the titles; every "
                   "wire carries its term of the chain rule back (colour: sign, width: size)")
        set_label(self.caption, f"{what} · {how}", color=fg, size=pt(theme, 11))
        stage = ("" if pic.stage is None else
                 f"<b>stage {gb.CIRCLED[pic.stage]}</b> {pic.stage_texts[pic.stage - 1]}<br>")
        pick = "" if self.exporting else (" Pick “follow one flow” to light every route of "
                                          "a variable to J.")  # a control: not on a figure
        body = pic.flow_text or f"Read left to right: u⊙h(t−1) + (1 − u)⊙n = h(t).{pick}"
        set_label(self.readout, stage + body, color=fg,
                  size=pt(theme, 10))
        set_label(self.key, f"<span style='color:{FLOW_HEX}'>━ purple: the followed flow</span>"
                  f"<br><span style='color:{theme.recurrent}'>━ yellow: h(t−1) through R_*"
                  "</span><br>━ thick: the state highway", color=fg, size=pt(theme, 9))

    def _set_export_style(self, on: bool) -> None:
        self.block.set_antialias(on)

    def graphics_item(self):
        return self.canvas.ci


def _segs(poly) -> np.ndarray:
    return polyline_segments(tuple(poly))
