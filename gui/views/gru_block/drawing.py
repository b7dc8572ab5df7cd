"""The plot items of the GRU block drawing, built once and updated with setData: node cells,
boxes, operators, wires with arrowheads (forward from source to target, backward the other way),
the followed flow in purple, and the texts."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ... import colors
from ...graphics.arrows import EdgeLayer
from ...model.present import gru_block_layout as gl

FLOW_HEX = "#8e44ad"  # the articles' purple arrows


@lru_cache(maxsize=512)
def polyline_segments(points: tuple) -> np.ndarray:
    """(n - 1, 2, 2) consecutive segments of a polyline ((x, y), ...); layouts are static, so
    each polyline is converted once (read-only)."""
    p = np.asarray(points, dtype=float)  # (n, 2)
    seg = np.empty((len(p) - 1, 2, 2))  # (n - 1, 2, 2)
    seg[:, 0], seg[:, 1] = p[:-1], p[1:]
    seg.flags.writeable = False
    return seg


class Arrows:
    """Polylines with one arrowhead at their end: shafts in one layer, last segments (with
    heads) in another, both styled per polyline."""

    def __init__(self, vb, z: float, head_px: float):
        self.shafts = EdgeLayer(vb, z=z, head_px=0)
        self.heads = EdgeLayer(vb, z=z, head_px=head_px)

    def set(self, polylines: list, styles: list, pens: dict, *, reverse: bool = False) -> None:
        shafts, s_style, lasts, l_style = [], [], [], []
        for pts, st in zip(polylines, styles, strict=True):
            segs = polyline_segments(pts)  # (m, 2, 2)
            if reverse:
                segs = segs[::-1, ::-1]
            shafts.append(segs[:-1])
            s_style += [st] * (len(segs) - 1)
            lasts.append(segs[-1:])
            l_style.append(st)
        empty = np.zeros((0, 2, 2))
        self.shafts.set(np.concatenate(shafts) if shafts else empty, np.array(s_style, int),
                        pens)
        self.heads.set(np.concatenate(lasts) if lasts else empty, np.array(l_style, int), pens)

    def drawn(self) -> dict:
        """style -> (m, 2, 2) every segment drawn with it."""
        out = {}
        for layer in (self.shafts, self.heads):
            for k, v in layer.drawn().items():
                out[k] = np.concatenate([out[k], v]) if k in out else v
        return out

    def set_antialias(self, on: bool) -> None:
        self.shafts.set_antialias(on)
        self.heads.set_antialias(on)


def _rect_pairs(boxes) -> np.ndarray:
    """(4 n, 2) segment end points of the outlines of boxes (x0, y0, w, h)."""
    out = []
    for x0, y0, w, h in boxes:
        c = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]
        for i in range(4):
            out += [c[i], c[(i + 1) % 4]]
    return np.asarray(out, dtype=float).reshape(-1, 2)


def glyph_path(g, width: float = 0.0) -> QtGui.QPainterPath:
    """The outline of operator ``g``: a circle (×, +, σ), or for a word (tanh, 1 −) a rounded
    box at least ``width`` data units wide (large type: the word stays inside)."""
    path = QtGui.QPainterPath()
    if len(g.text) > 1:
        w = max(3.2 * g.r, width)
        path.addRoundedRect(QtCore.QRectF(g.x - w / 2, g.y - g.r, w, 2 * g.r), 0.12, 0.12)
    else:
        path.addEllipse(QtCore.QPointF(g.x, g.y), g.r, g.r)
    return path


class BlockDrawing:
    """Every item of the block diagram in viewbox ``vb``."""

    PAD = 0.08

    def __init__(self, vb):
        for _ in self._parts(vb):
            pass

    def _parts(self, vb):
        """Build the items, yielding between groups (see gui.views.base.build_in_parts)."""
        self.vb = vb
        self.hints = []
        for x0, y0, x1, y1, _ in gl.HINTS:
            rect = QtWidgets.QGraphicsRectItem(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
            rect.setZValue(-5)
            vb.addItem(rect)
            self.hints.append(rect)
        self.decor = pg.PlotCurveItem(connect="pairs")
        vb.addItem(self.decor)
        self.x_bus = pg.PlotCurveItem()
        self.x_bus.setZValue(1)
        vb.addItem(self.x_bus)
        self.flow = Arrows(vb, z=1.8, head_px=12)
        self.wires = Arrows(vb, z=1, head_px=8)
        self.trunks = EdgeLayer(vb, z=1.5, head_px=0)
        self.boxes = pg.PlotCurveItem(connect="pairs")
        self.boxes.setZValue(2)
        vb.addItem(self.boxes)
        self.stage_boxes = pg.PlotCurveItem(connect="pairs")
        self.stage_boxes.setZValue(2.1)
        vb.addItem(self.stage_boxes)
        yield
        self.glyphs = []
        for g in gl.GLYPHS:
            item = QtWidgets.QGraphicsPathItem(glyph_path(g))
            item.setZValue(3)
            vb.addItem(item)
            text = pg.TextItem(anchor=(0.5, 0.5))
            text.setZValue(4)
            text.setPos(g.x, g.y)
            vb.addItem(text)
            self.glyphs.append((g, item, text))
        yield
        self.cells = {}
        for spec in gl.NODE_SPECS:
            img = pg.ImageItem()
            img.setZValue(5)
            vb.addItem(img)
            self.cells[spec.name] = img
        self.marks = pg.PlotCurveItem(connect="pairs")
        self.marks.setZValue(5.5)
        vb.addItem(self.marks)
        self.dots = pg.ScatterPlotItem(pxMode=True, size=6)
        self.dots.setZValue(3)
        vb.addItem(self.dots)
        yield
        self.titles = {}
        for spec in gl.NODE_SPECS:
            anchor = {"top": (0.5, 1.0), "bottom": (0.5, 0.0), "left": (1.0, 0.5),
                      "right": (0.0, 0.5)}[spec.side]
            t = pg.TextItem(anchor=anchor)
            t.setZValue(6)
            vb.addItem(t)
            self.titles[spec.name] = t
        yield
        self.labels = []
        for text, x, y, anchor, _role, _size in gl.LABELS:
            t = pg.TextItem(anchor=anchor)
            t.setZValue(4)
            t.setPos(x, y)
            vb.addItem(t)
            self.labels.append((text, t))
        self.hint_titles = []
        for x0, _y0, x1, y1, label in gl.HINTS:
            t = pg.TextItem(anchor=(0.5, 0.0))
            t.setPos((x0 + x1) / 2, y1 - 0.05)
            vb.addItem(t)
            self.hint_titles.append((label, t))
        self.route_numbers: list[pg.TextItem] = []
        self._html: dict = {}
        self._built = None
        self.sizes: dict = {}

    # -- geometry that depends on the sizes ---------------------------------------------------
    def build(self, sizes: dict) -> None:
        """Place the cells and boxes for node sizes ``sizes`` (name -> n)."""
        if self._built == sizes:
            return
        self._built = dict(sizes)
        self.sizes = dict(sizes)
        boxes = []
        self.box_of = {}
        self.rect_of = {}
        for spec in gl.NODE_SPECS:
            x0, y0, w, h = gl.node_box(spec, sizes[spec.name])
            self.rect_of[spec.name] = QtCore.QRectF(x0, y0, w, h)
            p = self.PAD
            self.box_of[spec.name] = (x0 - p, y0 - p, w + 2 * p, h + 2 * p)
            boxes.append(self.box_of[spec.name])
            d = {"top": (spec.x, y0 + h + p + 0.05), "bottom": (spec.x, y0 - p - 0.05),
                 "left": (x0 - p - 0.12, spec.y), "right": (x0 + w + p + 0.12, spec.y)}
            self.titles[spec.name].setPos(*d[spec.side])
        pairs = _rect_pairs(boxes)
        self.boxes.setData(pairs[:, 0], pairs[:, 1])

    def style_static(self, theme) -> None:
        """Colours that change only with the theme."""
        for rect in self.hints:
            rect.setPen(colors.pen(theme.muted, 1.0, 160, "dash"))
            rect.setBrush(colors.brush(theme.faint, 50))
        for _g, item, _t in self.glyphs:
            item.setBrush(colors.brush(theme.background))
            item.setPen(colors.pen(theme.foreground, 1.2))
        self.boxes.setPen(colors.pen(theme.muted, 1.0))
        pairs = np.asarray([p for line in gl.DECOR for p in line], dtype=float)
        self.decor.setData(pairs[:, 0], pairs[:, 1], pen=colors.pen(theme.foreground, 2.5, 110))
        bus = np.asarray(gl.X_BUS, dtype=float)
        self.x_bus.setData(bus[:, 0], bus[:, 1], pen=colors.pen(theme.muted, 1.4))
        fill = colors.brush(theme.background, 200)
        for t in self.titles.values():
            t.fill = fill
        d = np.asarray(gl.DOTS, dtype=float)
        self.dots.setData(pos=d, brush=colors.brush(theme.foreground), pen=None)

    def set_html(self, item, html: str) -> None:
        """``item.setHtml`` only when the text changed."""
        if self._html.get(id(item)) != html:
            self._html[id(item)] = html
            item.setHtml(html)

    def set_cells(self, name: str, levels: np.ndarray | None, cols: int, faint: str | None,
                  background: str) -> np.ndarray:
        """Node ``name``'s cells from colour ``levels`` (n,), faint where ``faint`` is a colour;
        returns the (n, 3) colours drawn."""
        img = self.cells[name]
        if levels is None:
            img.setVisible(False)
            return np.zeros((0, 3), np.uint8)
        n = len(levels)
        rgb = colors.TABLES["diverging"][np.minimum(levels, colors.NONFINITE)]  # (n, 3)
        if faint is not None:
            rgb = np.tile(np.asarray(colors.hex_to_rgb(faint), np.uint8), (n, 1))
        rows = int(np.ceil(n / cols))
        px = 6  # pixels per cell in the image, the last row and column of each left as a gap
        grid = np.zeros((rows * cols, 4), np.uint8)  # (cells, rgba) in reading order
        grid[:n, :3] = rgb
        grid[:n, 3] = 255
        grid = grid.reshape(rows, cols, 4)[::-1].transpose(1, 0, 2)  # (x, y, rgba), row 0 on top
        a = np.repeat(np.repeat(grid, px, axis=0), px, axis=1)  # (cols px, rows px, 4)
        a[px - 1::px, :, 3] = 0  # the gaps between cells
        a[:, px - 1::px, 3] = 0
        img.setImage(a, levels=(0, 255))
        img.setRect(self.rect_of[name])  # after setImage: the scale follows the image's size
        img.setVisible(True)
        return rgb

    def set_marks(self, centres: list, side: float, pen) -> None:
        """Outline the selected unit's cells (squares of ``side`` at ``centres``)."""
        boxes = [(x - side / 2, y - side / 2, side, side) for x, y in centres]
        pairs = _rect_pairs(boxes) if boxes else np.zeros((0, 2))
        self.marks.setData(pairs[:, 0], pairs[:, 1], pen=pen)

    def set_stage_boxes(self, names: list, pen) -> None:
        pairs = _rect_pairs([self.box_of[n] for n in names]) if names else np.zeros((0, 2))
        self.stage_boxes.setData(pairs[:, 0], pairs[:, 1], pen=pen)

    def set_route_numbers(self, items: list, size: str) -> None:
        """Route numbers: (text, (x, y)) in purple."""
        while len(self.route_numbers) < len(items):
            t = pg.TextItem(anchor=(0.5, 0.5))
            t.setZValue(7)
            self.vb.addItem(t)
            self.route_numbers.append(t)
        for i, t in enumerate(self.route_numbers):
            t.setVisible(i < len(items))
            if i < len(items):
                text, (x, y) = items[i]
                self.set_html(t, f"<span style='color:{FLOW_HEX}; font-size:{size}; "
                                 f"font-weight:bold'>{text}</span>")
                t.setPos(x, y)

    def set_antialias(self, on: bool) -> None:
        for layer in (self.flow, self.wires, self.trunks):
            layer.set_antialias(on)
