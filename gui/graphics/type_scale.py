"""Type that grows with the theme: presentation mode and slides scale every text a view's scene
holds (axis ticks and titles, colour-bar titles, in-plot labels), not only the HTML labels that
size themselves with :func:`gui.graphics.labels.pt`.

Each item's own font is remembered the first time it is scaled, so scaling is always from the
font the view chose, never compounded; an item whose text sets its size in points (``pt``)
keeps that size (it already follows the theme).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

_BASE = "_unfold_base_font"
#: an item with a callable of this name is told when its scene's type was scaled
FIT = "unfold_type_scaled"


def _scaled(font: QtGui.QFont, scale: float) -> QtGui.QFont:
    out = QtGui.QFont(font)
    if font.pixelSize() > 0:
        out.setPixelSize(max(1, round(font.pixelSize() * scale)))
    else:
        out.setPointSizeF(font.pointSizeF() * scale)
    return out


_app_font_scale = 1.0


def set_app_font_scale(scale: float) -> None:
    """Say that the application's font is ``scale`` times its usual size (presentation mode
    enlarges the controls' font). Text that took the application's font then counts from the
    usual size, so it is scaled once by the theme, not twice (1.5 x 1.5)."""
    global _app_font_scale
    _app_font_scale = float(scale)


def app_font_scale() -> float:
    """How many times its usual size the application's font is now (1.5 while presenting)."""
    return _app_font_scale


def _base(item, font: QtGui.QFont) -> QtGui.QFont:
    base = getattr(item, _BASE, None)
    if base is None:
        base = QtGui.QFont(font)
        app = QtWidgets.QApplication.font()
        if _app_font_scale != 1.0 and font.pixelSize() <= 0 and \
                abs(font.pointSizeF() - app.pointSizeF()) < 0.01:
            base.setPointSizeF(font.pointSizeF() / _app_font_scale)
        setattr(item, _BASE, base)
    return base


def scale_scene(scene: QtWidgets.QGraphicsScene, scale: float) -> int:
    """Set every axis' tick and label font and every text item's default font to ``scale``
    times the font it was made with; returns how many items changed."""
    changed = 0
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            current = item.style.get("tickFont") or QtWidgets.QApplication.font()
            want = _scaled(_base(item, current), scale)
            if current != want:  # the title first: setStyle sizes the axis for both
                item.label.setFont(_scaled(_base(item.label, item.label.font()), scale))
                item.setStyle(tickFont=want)
                changed += 1
        elif isinstance(item, QtWidgets.QGraphicsTextItem):
            want = _scaled(_base(item, item.font()), scale)
            if item.font() != want:
                item.setFont(want)
                changed += 1
    for item in scene.items():  # items that size themselves to their text (colour bars)
        fit = getattr(item, FIT, None)
        if fit is not None:
            fit()
    return changed


def scale_widget(widget: QtWidgets.QWidget, scale: float) -> int:
    """:func:`scale_scene` for every graphics view inside ``widget``."""
    views = widget.findChildren(QtWidgets.QGraphicsView)
    if isinstance(widget, QtWidgets.QGraphicsView):
        views.append(widget)
    return sum(scale_scene(v.scene(), scale) for v in views if v.scene() is not None)


#: a scene item with a callable of this name paints its own texts (several in one pass) and
#: says where: ``item.unfold_text_runs(to_device)`` -> [(QRectF in device pixels, px, text)]
#: for ``to_device`` the item's transform to its view's viewport
RUNS = "unfold_text_runs"


def _px(font: QtGui.QFont, dpi: float) -> float:
    return font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * dpi / 72


def _tight(item: QtWidgets.QGraphicsTextItem) -> QtCore.QRectF:
    """The text item's rectangle without its document's margin (where its glyphs go)."""
    m = item.document().documentMargin()
    return item.boundingRect().adjusted(m, m, -m, -m)


def text_runs(widget: QtWidgets.QWidget) -> list[tuple[QtCore.QRectF, float, str]]:
    """Every run of text the widget's scenes draw, as drawn: (rectangle in ``widget``'s pixels,
    size in pixels, text). Tick labels of axes count by size only (their rectangle is empty);
    text items, HTML sizes in points included; items that paint texts themselves (:data:`RUNS`)
    and widgets that paint their own text (``text_pixel_sizes``, rectangle empty). A canvas
    scaled down to fit its figure (gui.views.base.Canvas) draws its text smaller, and counts so.
    """
    import math
    import re

    dpi = widget.logicalDpiY() or 96
    runs = []
    nowhere = QtCore.QRectF()
    for w in widget.findChildren(QtWidgets.QWidget):  # widgets that paint their own text
        if w.isVisible() and hasattr(w, "text_pixel_sizes"):
            runs.extend((nowhere, size, "") for size in w.text_pixel_sizes())
    views = widget.findChildren(QtWidgets.QGraphicsView)
    if isinstance(widget, QtWidgets.QGraphicsView):
        views.append(widget)
    for v in views:
        if v.scene() is None or not v.isVisible():
            continue
        zoom = v.transform().m22()  # a canvas scaled down to fit draws its text smaller
        vt = v.viewportTransform()

        def to_widget(rect: QtCore.QRectF, v=v) -> QtCore.QRectF:
            at = v.viewport().mapTo(widget, QtCore.QPoint(0, 0))
            return rect.translated(at.x(), at.y())

        for item in v.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.AxisItem) and item.style.get("showValues", True):
                runs.append((nowhere, zoom * _px(item.style.get("tickFont")
                                                 or QtWidgets.QApplication.font(), dpi), ""))
            elif isinstance(item, QtWidgets.QGraphicsTextItem) and item.toPlainText().strip():
                html = item.toHtml()
                body = html[html.find("<body"):]
                found = [float(s) * dpi / 72 for s in re.findall(r"font-size:([\d.]+)pt", body)]
                found += [float(s) for s in re.findall(r"font-size:([\d.]+)px", body)]
                dt = item.deviceTransform(vt)  # pg.TextItem undoes the view's scaling
                rect = to_widget(dt.mapRect(_tight(item)))
                drawn = math.hypot(dt.m12(), dt.m22())
                text = item.toPlainText()
                runs.extend((rect, drawn * s, text) for s in (found or [_px(item.font(), dpi)]))
            elif callable(getattr(item, RUNS, None)):
                for rect, size, text in getattr(item, RUNS)(item.deviceTransform(vt)):
                    runs.append((to_widget(rect), size, text))
    return runs


def text_pixel_sizes(widget: QtWidgets.QWidget) -> list[float]:
    """The pixel size of every run of text the widget's scenes draw (:func:`text_runs`)."""
    return [size for _rect, size, _text in text_runs(widget)]


def overlapping_texts(widget: QtWidgets.QWidget, slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts (plain text) whose rectangles overlap by more than ``slack`` pixels each
    way, over every text :func:`text_runs` places."""
    boxes = []
    for rect, _size, text in text_runs(widget):
        if rect.isEmpty() or any(r == rect and t == text for r, t in boxes):
            continue  # one text item with several sizes is one rectangle
        boxes.append((rect, text))
    out = []
    for i, (a, ta) in enumerate(boxes):
        for b, tb in boxes[i + 1:]:
            both = a.intersected(b)
            if both.width() > slack and both.height() > slack:
                out.append((ta, tb))
    return out
