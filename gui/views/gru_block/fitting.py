"""Large type in the GRU block (slides, presentation mode): the titles and labels would cover
each other where the screen layout puts them, so they are placed with
:func:`gui.graphics.label_place.place`: operators and route numbers where they are; each node's
title on its own side, else on another side, else without unit k's number (the colours still
show it); then the fixed labels, the titles of block t+1 and the neighbours' names. What finds
no room is left out."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from ...graphics.label_place import place
from ...model.present import gru_block_layout as gl
from .drawing import glyph_path

#: (anchor, where on the node's padded box (x0, y0, x1, y1) the title's anchor goes)
SIDES = {
    "top": ((0.5, 1.0), lambda b: ((b[0] + b[2]) / 2, b[3] + 0.05)),
    "bottom": ((0.5, 0.0), lambda b: ((b[0] + b[2]) / 2, b[1] - 0.05)),
    "left": ((1.0, 0.5), lambda b: (b[0] - 0.12, (b[1] + b[3]) / 2)),
    "right": ((0.0, 0.5), lambda b: (b[2] + 0.12, (b[1] + b[3]) / 2)),
    "topleft": ((1.0, 1.0), lambda b: ((b[0] + b[2]) / 2 - 0.06, b[3] + 0.05)),
    "topright": ((0.0, 1.0), lambda b: ((b[0] + b[2]) / 2 + 0.06, b[3] + 0.05)),
    "bottomleft": ((1.0, 0.0), lambda b: ((b[0] + b[2]) / 2 - 0.06, b[1] - 0.05)),
    "bottomright": ((0.0, 0.0), lambda b: ((b[0] + b[2]) / 2 + 0.06, b[1] - 0.05)),
}


def _size(item) -> QtCore.QSizeF:
    """The pixel size of a pg.TextItem's text, without its document's margin."""
    text = item.textItem
    m = text.document().documentMargin()
    r = text.boundingRect()
    return QtCore.QSizeF(r.width() - 2 * m, r.height() - 2 * m)


def _rect(tr, pos, anchor, size) -> QtCore.QRectF:
    p = tr.map(QtCore.QPointF(*pos))
    return QtCore.QRectF(p.x() - anchor[0] * size.width(), p.y() - anchor[1] * size.height(),
                         size.width(), size.height())


def _fixed(item, tr):
    a = item.anchor
    return _rect(tr, (item.pos().x(), item.pos().y()), (a.x(), a.y()), _size(item))


def places(spec, box) -> list:
    """Every (pos, anchor) the title of node ``spec`` may take, its own side first."""
    x0, y0, w, h = box
    b = (x0, y0, x0 + w, y0 + h)
    sides = [spec.side] + [s for s in SIDES if s != spec.side]
    out = [(SIDES[s][1](b), SIDES[s][0]) for s in sides]
    return out + [(((b[0] + b[2]) / 2, b[3] + 0.35), (0.5, 1.0)),  # clear of operators
                  (((b[0] + b[2]) / 2, b[1] - 0.35), (0.5, 0.0))]


def fit_glyphs(block, tr=None) -> None:
    """Boxes of the word operators (tanh, 1 −) as wide as their word in the type drawn (``tr``
    data to pixels), or their usual width (None)."""
    for g, item, text in block.glyphs:
        if len(g.text) > 1:
            width = 0.0 if tr is None else (_size(text).width() + 6) / tr.m11()
            item.setPath(glyph_path(g, width))


def fit(view, wordings: dict) -> None:
    """Place the block's texts in ``view`` (a GruBlockView) so that none covers another or a
    node's cells. ``wordings``: node name -> its title's HTML, longest first."""
    block, vb = view.block, view.vb
    dx, dy = vb.viewPixelSize()
    if not dx or not dy or not block.sizes:
        return
    tr = QtGui.QTransform(1 / dx, 0, 0, -1 / dy, 0, 0)  # data to (unshifted) pixels
    bounds = tr.mapRect(vb.viewRect())
    obstacles = [tr.mapRect(QtCore.QRectF(*box)) for box in block.box_of.values()]
    texts, who = [], []

    def add_fixed(items, gap=(6.0, 1.0)):
        for item in items:
            if item.isVisible() and item.textItem.toPlainText().strip():
                texts.append(([[_fixed(item, tr)]], False, gap))
                who.append((item, None))

    def add_titles(later: bool):
        for spec in gl.NODE_SPECS:
            name, item = spec.name, block.titles[spec.name]
            if name.startswith("next:") != later or not item.textItem.toPlainText().strip():
                continue
            options = places(spec, block.box_of[name])
            tiers = []
            for html in wordings[name]:
                view.block.set_html(item, html)
                size = _size(item)
                tiers.append([_rect(tr, pos, anchor, size) for pos, anchor in options])
            texts.append((tiers, True))
            who.append((item, (wordings[name], options)))

    add_fixed([t for _g, _i, t in block.glyphs], (0.0, 0.0))  # signs in their circles
    fit_glyphs(block, tr)
    obstacles += [tr.mapRect(item.path().boundingRect()) for _g, item, _t in block.glyphs]
    add_fixed([t for t in block.route_numbers if t.isVisible()])
    add_titles(False)
    # the names of the parts before the weights' names (W_u, R_*: the key explains the colours)
    add_fixed([t for text, t in sorted(block.labels, key=lambda lab: "_" in lab[0])])
    add_titles(True)
    add_fixed([t for _label, t in block.hint_titles])
    for pick, (item, title) in zip(place(texts, obstacles, bounds), who, strict=True):
        item.setVisible(pick is not None)
        if pick is not None and title is not None:
            htmls, options = title
            block.set_html(item, htmls[pick[0]])
            pos, anchor = options[pick[1]]
            item.setAnchor(anchor)
            item.setPos(*pos)
