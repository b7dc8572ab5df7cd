"""Typeset lines on the GUI thread: the SVG a typesetting job landed (gui/model/present/equations/
typeset.py) as its size, a pixmap recoloured for the theme, or a vector renderer for figures.

Parsing an SVG and rasterising it costs a few milliseconds, so each is done once per line, size,
colour and pixel ratio and kept (:class:`MathLines`, one per process: every view that shows
equations shares it). A line that landed once stays drawable even when the job runner's cache has
let its SVG go.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtSvg

from ..model.present.equations.typeset import SIZE, math_font_path

#: rasterised pixmaps kept before the cache starts again (each is a few kB)
MAX_PIXMAPS = 400
_FONT_FAMILY: str | None = None


def math_font_family() -> str:
    """The family of ziamath's STIX Two Math, registered with Qt once ("serif" if missing): the
    numbers under a typeset line are drawn in the same font."""
    global _FONT_FAMILY
    if _FONT_FAMILY is None:
        _FONT_FAMILY = "serif"
        path = math_font_path()
        if path is not None:
            fid = QtGui.QFontDatabase.addApplicationFont(str(path))
            families = QtGui.QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if families:
                _FONT_FAMILY = families[0]
    return _FONT_FAMILY


class MathLines:
    """The typeset lines that have landed, by their LaTeX, ready to draw.

    Every line was typeset at font size :data:`SIZE` px; sizes, pixmaps and renderers are asked
    for at a font size ``px`` and scale from it.
    """

    def __init__(self):
        self._svg: dict[str, bytes] = {}
        self._sizes: dict[str, QtCore.QSizeF] = {}
        self._vector: dict[tuple, QtSvg.QSvgRenderer] = {}
        self._pixmaps: dict[tuple, QtGui.QPixmap] = {}

    def add(self, latex: str, svg: bytes) -> None:
        """Line ``latex`` landed as ``svg`` (SVG bytes)."""
        if latex not in self._svg:
            self._svg[latex] = bytes(svg)

    def has(self, latex: str) -> bool:
        return latex in self._svg

    def size(self, latex: str, px: float) -> QtCore.QSizeF | None:
        """The size in pixels of the line at font size ``px``, or None until it has landed."""
        base = self._sizes.get(latex)
        if base is None:
            svg = self._svg.get(latex)
            if svg is None:
                return None
            base = QtCore.QSizeF(QtSvg.QSvgRenderer(QtCore.QByteArray(svg)).defaultSize())
            self._sizes[latex] = base
        scale = px / SIZE
        return QtCore.QSizeF(round(base.width() * scale), round(base.height() * scale))

    def renderer(self, latex: str, color: str) -> QtSvg.QSvgRenderer | None:
        """A renderer of the line with glyphs in ``color`` (vector drawing for figures), or
        None."""
        key = (latex, color)
        r = self._vector.get(key)
        if r is None:
            svg = self._svg.get(latex)
            if svg is None:
                return None
            svg = svg.replace(b'fill="black"', f'fill="{color}"'.encode())
            r = self._vector[key] = QtSvg.QSvgRenderer(QtCore.QByteArray(svg))
        return r

    def pixmap(self, latex: str, px: float, color: str, dpr: float) -> QtGui.QPixmap | None:
        """The line at font size ``px`` with glyphs in ``color``, for a device pixel ratio
        ``dpr``; None until it has landed."""
        key = (latex, round(px, 1), color, dpr)
        pm = self._pixmaps.get(key)
        if pm is not None:
            return pm
        svg = self._svg.get(latex)
        if svg is None:
            return None
        size = self.size(latex, px)
        w, h = max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr))
        img = QtGui.QImage(w, h, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        QtSvg.QSvgRenderer(QtCore.QByteArray(svg)).render(p, QtCore.QRectF(0, 0, w, h))
        p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_SourceIn)
        p.fillRect(img.rect(), QtGui.QColor(color))  # recolour the glyphs for the theme
        p.end()
        pm = QtGui.QPixmap.fromImage(img)
        pm.setDevicePixelRatio(dpr)
        if len(self._pixmaps) >= MAX_PIXMAPS:
            self._pixmaps.clear()
        self._pixmaps[key] = pm
        return pm


_SHARED: MathLines | None = None


def shared() -> MathLines:
    """The process's lines: the Equations tab and the strips under the block views share them."""
    global _SHARED
    if _SHARED is None:
        _SHARED = MathLines()
    return _SHARED
