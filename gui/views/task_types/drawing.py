"""One panel of the Task types view (a small model of one kind drawn as the article draws it), and
the key that explains the panels with their own drawings."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ... import colors
from ...graphics.arrows import EdgeLayer
from ...graphics.box_cells import BoxCells
from ...graphics.labels import add_label, pt, set_label
from ...model.present.task_types import ARROWS, PanelScene, sentence
from ..base import plain_viewbox

#: rows' heights in the panel (y up); J sits above the outputs
ROW_Y = {"x": 0.0, "h": 1.0, "h_fwd": 1.0, "h_bwd": 1.85, "y_hat": 2.0, "J": 2.75}
#: frame styles of the boxes
SOLID, DASHED, CURRENT, SOLID_FAINT, DASHED_FAINT, FWD, BWD = range(7)
#: alpha of an output's cells that no loss reads
UNREAD_ALPHA = 90
#: pixels a unit of y needs at type scale 1, so row labels (J(t), ŷ(t): 0.75 apart) never
#: overlap; with larger type the canvas lays out taller and, on a small screen, scales down.
#: A slide packs its rows closer (ROW_PX_SLIDE): its five panels must keep 24 px type
ROW_PX, ROW_PX_SLIDE = 17, 14
KEY_MIN_HEIGHT = 5.2 * ROW_PX_SLIDE  # the key's five lines of words, at type scale 1


def rows_of(kind: str) -> tuple[str, ...]:
    """The rows of boxes a panel of ``kind`` draws (gui.model.present.task_types.scene)."""
    return ("x", "h_fwd", "h_bwd", "y_hat") if kind == "bidirectional" else ("x", "h", "y_hat")


def row_heights(sc: PanelScene) -> dict[str, float]:
    """Row name -> y; a bidirectional panel's outputs and losses sit above its two state rows."""
    y = dict(ROW_Y)
    if sc.kind == "bidirectional":
        y["y_hat"], y["J"] = 2.85, 3.6
    return y


def cell_rgba(values: np.ndarray, vmax: float, lit: np.ndarray, faint: np.ndarray,
              theme) -> np.ndarray:
    """(T, n, 4) colours of a row's cells: diverging by value; not yet computed: the theme's
    faint grey; an output no loss reads: see-through; NaN (no cell): clear."""
    T, n = values.shape
    rgba = np.zeros((T, n, 4), np.uint8)
    idx = colors.signed_index(np.nan_to_num(values), vmax)  # (T, n)
    rgba[..., :3] = colors.TABLES["diverging"][idx]
    rgba[~lit, :, :3] = colors.hex_to_rgb(theme.faint)
    rgba[..., 3] = 255
    rgba[faint, :, 3] = UNREAD_ALPHA
    rgba[np.isnan(values), 3] = 0
    return rgba


def box_pens(theme, export: bool) -> dict:
    w = 1.6 if export else 1.2
    return {SOLID: colors.pen(theme.muted, w), DASHED: colors.pen(theme.muted, w, style="dash"),
            CURRENT: colors.pen(theme.highlight, 2.6 * theme.line_scale),
            SOLID_FAINT: colors.pen(theme.faint, w),
            DASHED_FAINT: colors.pen(theme.faint, w, style="dash"),
            FWD: colors.pen(theme.recurrent, w + 0.6), BWD: colors.pen(theme.peephole, w + 0.6)}


def arrow_pens(theme, export: bool) -> dict:
    """Style code (index into ARROWS, + len(ARROWS) when not lit yet) -> pen."""
    w = (1.6 if export else 1.2) * theme.line_scale
    lit = {"input": colors.pen(theme.muted, w), "recurrent": colors.pen(theme.recurrent, w + 1),
           "recurrent_back": colors.pen(theme.peephole, w + 1),
           "output": colors.pen(theme.muted, w), "loss": colors.pen(theme.muted, w),
           "handoff": colors.pen(theme.foreground, 3.5 * theme.line_scale),
           "feedback": colors.pen(theme.foreground, w, style="dash")}
    pens = {i: lit[a] for i, a in enumerate(ARROWS)}
    for i, a in enumerate(ARROWS):
        style = "dash" if a == "feedback" else "solid"
        width = 3.5 * theme.line_scale if a == "handoff" else w
        pens[i + len(ARROWS)] = colors.pen(theme.faint, width, style=style)
    return pens


def short(word: str, room: int) -> str:
    """``word`` cut to ``room`` characters (with an ellipsis) when it does not fit."""
    return word if len(word) <= max(room, 3) else word[: max(room, 3) - 1] + "\u2026"


class PanelDrawing:
    """A titled panel: rows of boxes, arrows, losses, words, in a sub-layout of ``layout``.

    After :meth:`draw`: ``scene`` (the PanelScene drawn), ``boxes`` (row name -> BoxCells),
    ``arrows`` (EdgeLayer), ``losses`` (J markers), ``status`` ("computing…" or "").
    """

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, title: str,
                 rows: tuple[str, ...] = ()):
        self.layout = layout.addLayout(row=row, col=col)
        self.layout.setContentsMargins(2, 2, 2, 2)
        self.title_text = title
        self.title = add_label(self.layout, 0, 0, steady=True)
        self.vb = plain_viewbox(self.layout, row=1, col=0)
        self.layout.layout.setRowStretchFactor(1, 10)
        self.arrows = EdgeLayer(self.vb, z=1, head_px=6)
        self.arrows.reserve(range(2 * len(ARROWS)))  # every kind, lit and faint: made now
        self.boxes: dict[str, BoxCells] = {}
        self.losses = pg.ScatterPlotItem(pxMode=True, symbol="s", size=13)
        self.losses.setZValue(4)
        self.vb.addItem(self.losses)
        self.labels: dict[str, pg.TextItem] = {}
        self.words: list[pg.TextItem] = []
        self.message = pg.TextItem(anchor=(0.5, 0.5))
        self.message.setZValue(6)
        self.vb.addItem(self.message)
        for name in rows:  # the rows its kind draws, made now (hidden) rather than when its
            self._boxes(name).frames.reserve(range(7))  # run lands: 20 to 30 ms a panel
            self._label_item(name).setVisible(False)
        if rows:
            self._label_item("J").setVisible(False)
        self.scene: PanelScene | None = None
        self.status = ""
        self.loss_colors: list[str] = []
        self._key = None
        self.drawn_size = None  #: (width, height) of the box when last drawn

    # -- states ---------------------------------------------------------------------------------
    def show_status(self, text: str, theme) -> None:
        """No run yet: say ``text`` ("computing…", or why it failed) instead of a drawing."""
        if self.status == text and self._key == ("status", theme):
            return
        self._key = ("status", theme)
        self.status = text
        self.scene = None
        for b in self.boxes.values():
            b.clear()
        self.arrows.set(np.zeros((0, 2, 2)), np.zeros(0), {})
        self.losses.setData([], [])
        for item in list(self.labels.values()) + self.words:
            item.setVisible(False)
        self.message.setText(text, color=theme.muted)
        self.message.setPos(3, 1.4)
        self.message.setVisible(True)
        self.vb.setRange(xRange=(-0.5, 6.5), yRange=(-0.8, 3.6), padding=0)
        set_label(self.title, f"<b>{self.title_text}</b>", color=theme.foreground,
                  size=pt(theme, 11))

    def draw(self, sc: PanelScene, theme, export: bool, key=None) -> bool:
        """Draw ``sc``; nothing is done when ``key`` equals the last one (same moment). True
        when something was drawn."""
        if key is not None and key == self._key:
            return False
        self._key = key
        self.scene, self.status = sc, ""
        self.message.setVisible(False)
        ys = row_heights(sc)
        fg = theme.foreground
        pens = box_pens(theme, export)
        current = set(sc.current)
        for r in sc.rows:
            boxes = self._boxes(r.name)
            styles = np.full(sc.T, -1, dtype=np.int64)
            for i in range(sc.T):
                kind = r.box[i]
                if kind == "none":
                    continue
                if (r.name, i + 1) in current:
                    styles[i] = CURRENT
                elif kind == "dashed":
                    styles[i] = DASHED if r.lit[i] else DASHED_FAINT
                elif r.name == "h_fwd":
                    styles[i] = FWD if r.lit[i] else SOLID_FAINT
                elif r.name == "h_bwd":
                    styles[i] = BWD if r.lit[i] else SOLID_FAINT
                else:
                    styles[i] = SOLID if r.lit[i] else SOLID_FAINT
            boxes.set(1.0, ys[r.name], cell_rgba(r.values, r.vmax, r.lit, r.faint, theme),
                      styles, pens)
            self._label(r.name, r.label, ys[r.name], theme, {"h_fwd": theme.recurrent,
                                                             "h_bwd": theme.peephole}.get(r.name,
                                                                                          fg))
        for name in set(self.boxes) - {r.name for r in sc.rows}:
            self.boxes[name].clear()
            self.labels[name].setVisible(False)
        self._draw_losses(sc, ys, theme)
        self._label("J", "J(t)", ys["J"], theme, fg)
        top = ys["J"] + 0.45
        bottom = -0.95 if sc.words else -0.5
        self.vb.setRange(xRange=(-0.7, sc.T + 0.75), yRange=(bottom, top), padding=0)
        row_px = ROW_PX_SLIDE if export else ROW_PX
        self.vb.setMinimumHeight((top - bottom) * row_px * theme.font_scale)
        self.draw_pixel_sized(theme, export)  # at the range just set
        # a slide (an export with large type) has room for five panels only without the grey
        # sentence under each title: the speaker says it
        blurb = "" if export and theme.font_scale > 1.0 else (
            f"<br><span style='color:{theme.muted}'>{sc.blurb}</span>")
        set_label(self.title, f"<b>{sc.title}</b> · {sc.caption}{blurb}", color=fg,
                  size=pt(theme, 10))
        return True

    def draw_pixel_sized(self, theme, export: bool, *, only_if_resized: bool = False) -> None:
        """What depends on the panel's size in pixels: the arrows (their heads) and the words
        under the inputs (as many letters as a column holds). ``only_if_resized``: nothing
        when the panel's box has the size it had when they were last drawn (the same moment
        in a resized panel draws only these)."""
        size = (self.vb.width(), self.vb.height())
        if self.scene is None or (only_if_resized and size == self.drawn_size):
            return
        self.drawn_size = size
        self._draw_arrows(self.scene, row_heights(self.scene), theme, export)
        self._draw_words(self.scene, theme)

    def _boxes(self, name: str) -> BoxCells:
        boxes = self.boxes.get(name)
        if boxes is None:
            boxes = self.boxes[name] = BoxCells(self.vb)
        return boxes

    def _label_item(self, name: str) -> pg.TextItem:
        item = self.labels.get(name)
        if item is None:
            item = self.labels[name] = pg.TextItem(anchor=(1, 0.5))
            self.vb.addItem(item)
        return item

    def _label(self, name: str, text: str, y: float, theme, color: str) -> None:
        item = self._label_item(name)
        set_label(item, text, color=color)
        item.setPos(0.5, y)
        item.setVisible(True)

    def _draw_losses(self, sc: PanelScene, ys: dict, theme) -> None:
        cols = np.flatnonzero(sc.loss)  # (n,) 0-based columns with a loss
        self.loss_colors = [colors.source_hex(int(sc.source[c])) for c in cols]
        brushes = [colors.brush(h) if sc.loss_lit[c] else colors.brush(theme.faint)
                   for h, c in zip(self.loss_colors, cols, strict=True)]
        self.losses.setData(x=cols + 1.0, y=np.full(len(cols), ys["J"]), brush=brushes,
                            pen=colors.pen(theme.muted), size=13 * theme.font_scale)

    def _draw_arrows(self, sc: PanelScene, ys: dict, theme, export: bool) -> None:
        half_w, half_h = 0.36, 0.21  # a box's half extent (BoxCells' default size)
        # a bidirectional panel's two state rows: the forward row's vertical arrows run a little
        # left of the column's centre, the backward row's a little right
        shift = {"h_fwd": -0.2, "h_bwd": 0.2}
        segs, style = [], []
        for name, (c0, r0), (c1, r1), lit in sc.arrows:
            y0, y1 = ys[r0], ys[r1]
            if name in ("recurrent", "recurrent_back", "handoff"):
                sign = 1 if c1 > c0 else -1
                a, b = (c0 + sign * half_w, y0), (c1 - sign * half_w, y1)
            elif name == "feedback":  # from y_hat(j - 1) down to x(j)
                a, b = (c0 + half_w, y0 - half_h), (c1 - half_w, y1 + half_h * 0.4)
            elif name == "loss":
                a, b = (c0, y0 + half_h), (c1, y1 - 0.12)
            else:  # input, output: from the top of one box to the bottom of the next
                dx = shift.get(r1 if name == "input" else r0, 0.0)
                a, b = (c0 + dx, y0 + half_h), (c1 + dx, y1 - half_h)
            segs.append((a, b))
            style.append(ARROWS.index(name) + (0 if lit else len(ARROWS)))
        self.arrows.set(np.asarray(segs, dtype=float).reshape(-1, 2, 2),
                        np.asarray(style, dtype=np.int64), arrow_pens(theme, export))

    def _draw_words(self, sc: PanelScene, theme) -> None:
        px = self.vb.viewPixelSize()[0]  # data units per pixel
        room = int(0.9 / px / 7) if px > 0 else 99  # characters a column holds (~7 px each)
        while len(self.words) < len(sc.words):
            item = pg.TextItem(anchor=(0.5, 0))
            self.vb.addItem(item)
            self.words.append(item)
        for i, item in enumerate(self.words):
            on = i < len(sc.words)
            item.setVisible(on)
            if on:
                teddy = sc.words[i] == "Teddy"
                set_label(item, short(sc.words[i], room), color=theme.foreground if teddy
                          else theme.muted)
                item.setPos(i + 1, -0.3)

    def words_text(self) -> str:
        return sentence(self.scene.words) if self.scene is not None else ""

    def set_antialias(self, on: bool) -> None:
        self.arrows.set_antialias(on)
        for b in self.boxes.values():
            b.set_antialias(on)
        self._key = None

    def contains(self, scene_pos) -> bool:
        return self.layout.sceneBoundingRect().contains(scene_pos)


#: the key's entries: (column, line, sample, words); a sample is a box style or an arrow style
KEY = (
    (0, 0, "cells", "a unit, by value"),
    (0, 1, "current", "computed now"),
    (0, 2, "not-yet", "not yet computed"),
    (0, 3, "missing", "no input"),
    (0, 4, "unread", "no loss reads it"),
    (1, 0, "J", "J(t): a loss, its colour"),
    (1, 1, "recurrent", "h\u2192: left to right"),
    (1, 2, "recurrent_back", "h\u2190: right to left"),
    (1, 3, "handoff", "encoder \u2192 decoder"),
    (1, 4, "feedback", "\u0177(j\u22121) fed back"),
)
KEY_VALUES = np.array([[-0.9, -0.3, 0.35, 0.9]])  # (1, 4) a sample box's values


class KeyDrawing:
    """What the panels' boxes, losses and arrows mean, drawn with the panels' own items, and the
    colour bar of their cells."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        from ...graphics.colorbar import ColorBar

        self.layout = layout.addLayout(row=row, col=col)
        self.title = add_label(self.layout, 0, 0, steady=True)
        self.vb = plain_viewbox(self.layout, row=1, col=0)
        self.vb.setRange(xRange=(-0.2, 11.5), yRange=(-4.6, 0.6), padding=0)
        self.layout.layout.setRowStretchFactor(1, 10)
        self.bar = ColorBar(self.layout, row=2, col=0, width_px=300)
        self.boxes = {name: BoxCells(self.vb, width=0.9, height=0.5)
                      for c, _, name, _ in KEY if c == 0}
        self.arrows = EdgeLayer(self.vb, z=1, head_px=6)
        self.loss = pg.ScatterPlotItem(pxMode=True, symbol="s", size=13)
        self.vb.addItem(self.loss)
        self.texts = []
        for c, line, _, words in KEY:
            item = pg.TextItem(words, anchor=(0, 0.5))
            item.setPos(1.0 + 5.6 * c, -line)
            self.vb.addItem(item)
            self.texts.append(item)
        self._key = None

    def draw(self, theme, export: bool) -> None:
        # the arrowheads are sized in pixels: draw again when the key's box changed size
        key = (theme, export, self.vb.width(), self.vb.height())
        if self._key == key:
            return
        self._key = key
        fg = theme.foreground
        self.vb.setMinimumHeight(KEY_MIN_HEIGHT * theme.font_scale)
        set_label(self.title, "<b>Key</b>", color=fg, size=pt(theme, 10))
        pens = box_pens(theme, export)
        one = np.ones(1, bool)
        for name, (lit, faint, values, style) in {
                "cells": (one, ~one, KEY_VALUES, SOLID),
                "current": (one, ~one, KEY_VALUES, CURRENT),
                "not-yet": (~one, ~one, KEY_VALUES, SOLID_FAINT),
                "missing": (one, ~one, np.full((1, 4), np.nan), DASHED),
                "unread": (one, one, KEY_VALUES, DASHED)}.items():
            line = next(ln for c, ln, n, _ in KEY if n == name)
            self.boxes[name].set(0.35, -line, cell_rgba(values, 1.0, lit, faint, theme),
                                 np.array([style]), pens)
        segs, style = [], []
        for _, line, name, _ in KEY:
            if name in ARROWS:
                a, b = (5.1, -line), (6.3, -line)
                if name == "recurrent_back":
                    a, b = b, a
                segs.append((a, b))
                style.append(ARROWS.index(name))
        self.arrows.set(np.asarray(segs, dtype=float), np.asarray(style), arrow_pens(theme, export))
        self.loss.setData(x=[5.7], y=[0.0], brush=[colors.brush(colors.source_hex(1))],
                          pen=colors.pen(theme.muted), size=13 * theme.font_scale)
        for item, (_, _, _, words) in zip(self.texts, KEY, strict=True):
            item.setText(words, color=fg)
        self.bar.set("diverging", "colour: value \u00f7 its row's max |value|",
                     "\u2212max", "0", "+max", fg)

    def set_antialias(self, on: bool) -> None:
        self.arrows.set_antialias(on)
        self._key = None
