"""Figures and animations of any registered view: PNG, SVG, GIF, MP4.

The same views that draw in the window are rendered offscreen here, so an exported figure is what
the window shows at that cursor. Used by the File menu and by the headless command line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from . import views
from .frames import draw_now, frame_for, owner_of
from .model.cursor import Cursor
from .model.present.numbers import cursor_label

#: the logical size views are laid out at for export; the pixel width scales it
EXPORT_SIZE = (1280, 720)
#: figure layouts by aspect ratio
ASPECTS = {"16:9": (1280, 720), "4:3": (1280, 960)}
#: slides are laid out this small and painted at the slide's width (1600 px: twice the size)
SLIDE_LAYOUT = {"16:9": (800, 450), "4:3": (800, 600)}


def layout_size(*, slide: bool = False, aspect: str = "16:9") -> tuple[int, int]:
    """The logical size a figure is laid out at (``aspect`` "16:9" or "4:3")."""
    table = SLIDE_LAYOUT if slide else ASPECTS
    if aspect not in table:
        raise ValueError(f"aspect must be one of {', '.join(table)}, got {aspect!r}")
    return table[aspect]
FORMATS = (".png", ".svg")
ANIMATION_FORMATS = (".gif", ".mp4")


class ExportCancelled(Exception):
    """The user cancelled an animation export."""


def make_view(name: str, ctx, *, size=EXPORT_SIZE):
    """An offscreen instance of view ``name`` on ``ctx`` (a gui.context.Context), laid out at
    ``size``."""
    cls = views.get(name)
    view = cls(ctx)
    view.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(*size)
    view.show()
    QtWidgets.QApplication.processEvents()
    figure = figure_widget(view)
    if figure is not view and figure.height() < size[1]:  # the figure, not the controls above
        view.resize(size[0], size[1] + view.height() - figure.height())  # it, gets ``size``
        QtWidgets.QApplication.processEvents()
    return view


def _set_quality(view, on: bool) -> None:
    for gv in view.findChildren(QtWidgets.QGraphicsView) + (
            [view] if isinstance(view, QtWidgets.QGraphicsView) else []):
        gv.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, on)
        gv.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)


#: asked between the passes of every export drawing; True stops the export (ExportCancelled).
#: The command line points it at its interrupt flag, so Ctrl+C stops within a pass.
should_stop_hook = None


def _check_stop() -> None:
    if should_stop_hook is not None and should_stop_hook():
        raise ExportCancelled


def draw(view, ctx, cursor: Cursor | None, *, export: bool = True, theme=None) -> None:
    """Draw the model of ``ctx`` at ``cursor`` into ``view`` (waiting for its derived data) and
    let it settle; ``theme`` overrides the model's (slides)."""
    _check_stop()
    if cursor is not None:
        ctx.app.set_cursor(cursor)
    if ctx.app.pending is not None:
        ctx.app.compute_now()
    # sizes in pixels (nodes, arrowheads) follow the layout, and wrapped text settles the
    # layout: draw until the geometry stops changing (a view lays itself out as it draws, so
    # one pass when the layout stays, as between the frames of an animation; else two)
    before = _geometry(view)
    for _ in range(4):
        draw_now(view, ctx, export=export, theme=theme)
        _settle(view)
        _check_stop()
        now = _geometry(view)
        if now == before:
            break
        before = now


def _settle(view) -> None:
    """Let Qt lay the view out and paint it once, its curves without antialiasing.

    A pass needs the paint (axes size themselves to their tick labels while painting), not its
    pixels, and the figure is painted afresh afterwards; an antialiased wide curve of a few
    thousand segments (the unfolded network's mesh) takes a second to paint.
    """
    import pyqtgraph as pg

    curves = [item for gv in view.findChildren(QtWidgets.QGraphicsView)
              for item in gv.scene().items()
              if isinstance(item, pg.PlotCurveItem) and item.opts["antialias"]]
    for item in curves:
        item.opts["antialias"] = False
    try:
        QtWidgets.QApplication.processEvents()
    finally:
        for item in curves:
            item.opts["antialias"] = True


def _back_to_screen(view, ctx, restore: bool = True) -> None:
    """Draw the view in its screen style again after an export, without waiting for data (the
    window's painter draws it again when its jobs land); a view made only for the figure is
    not drawn again, and the jobs it asked for are dropped."""
    if restore:
        view.draw(frame_for(view, ctx))
    else:
        ctx.runner.release(owner_of(view))


def _geometry(view) -> tuple:
    """The scene rectangles of the view's graphics items: equal when its layout has settled."""
    canvas = getattr(view, "canvas", None)
    if canvas is None:
        return (view.size().width(), view.size().height())
    return tuple((round(r.x(), 2), round(r.y(), 2), round(r.width(), 2), round(r.height(), 2))
                 for r in (item.sceneBoundingRect() for item in canvas.ci.items))


def figure_widget(view):
    """What a figure shows: the view's plotting canvas, without its interactive controls (spin
    boxes, combos); the whole view when it has no single canvas."""
    canvas = getattr(view, "canvas", None)
    return canvas if isinstance(canvas, QtWidgets.QWidget) and canvas.isVisible() else view


def to_image(view, width: int, *, supersample: int = 1,
             transparent: bool = False) -> QtGui.QImage:
    """The view painted into an image ``width`` pixels wide (vector content scaled, so crisp).

    ``supersample`` > 1 paints that many times larger and scales down smoothly: antialiasing at
    a fraction of the cost of antialiased wide strokes, which is what animations need.
    ``transparent``: no background (a slide's own shows through).
    """
    if transparent:
        return _transparent_image(view, width)
    if supersample > 1:
        big = to_image(view, width * supersample)
        return big.scaledToWidth(width, QtCore.Qt.TransformationMode.SmoothTransformation)
    target = figure_widget(view)
    scale = width / target.width()
    height = max(1, round(target.height() * scale))
    img = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32)
    img.fill(QtGui.QColor(view.theme.background))
    painter = QtGui.QPainter(img)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
    painter.scale(scale, scale)
    # QWidget.render paints the widget; QGraphicsView.render would paint only its scene
    QtWidgets.QWidget.render(target, painter, QtCore.QPoint(0, 0))
    painter.end()
    return img


def _transparent_image(view, width: int) -> QtGui.QImage:
    """The figure without any background: its scene painted on a transparent image."""
    from pyqtgraph import GraphicsView

    target = figure_widget(view)
    canvases = view.findChildren(GraphicsView)
    for v in canvases:
        v.setBackground(None)
    try:
        scale = width / target.width()
        img = QtGui.QImage(width, max(1, round(target.height() * scale)),
                           QtGui.QImage.Format.Format_ARGB32)
        img.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(img)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        if isinstance(target, QtWidgets.QGraphicsView):  # the scene only: no widget background
            QtWidgets.QGraphicsView.render(target, painter, QtCore.QRectF(img.rect()),
                                           target.viewport().rect())
        else:  # a view of several canvases: each one's scene at its place
            for v in canvases:
                if not v.isVisible():
                    continue
                top_left = v.mapTo(target, QtCore.QPoint(0, 0))
                rect = QtCore.QRectF(top_left.x() * scale, top_left.y() * scale,
                                     v.width() * scale, v.height() * scale)
                QtWidgets.QGraphicsView.render(v, painter, rect, v.viewport().rect())
        painter.end()
    finally:
        for v in canvases:
            v.setBackground(view.theme.background)
    return img


def export_png(view, ctx, path, *, width: int = 1600, cursor: Cursor | None = None,
               theme=None, transparent: bool = False, restore: bool = True) -> Path:
    """Write the view at ``cursor`` as a PNG ``width`` pixels wide, antialiased; ``theme``
    overrides the model's (:func:`gui.theme.slide` for slides), ``transparent`` leaves out
    the background. ``restore``: draw the view in its screen style afterwards (False for a
    view made only for this figure)."""
    path = Path(path)
    _set_quality(view, True)
    try:
        draw(view, ctx, cursor, theme=theme)
        img = to_image(view, width, transparent=transparent)
        if not img.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
    finally:
        _set_quality(view, False)
        _back_to_screen(view, ctx, restore)
    return path


def export_svg(view, ctx, path, *, cursor: Cursor | None = None, theme=None,
               restore: bool = True) -> Path:
    """Write the view as SVG (pyqtgraph's exporter: text stays text where it can);
    ``restore`` as for :func:`export_png`."""
    from pyqtgraph.exporters import SVGExporter

    path = Path(path)
    _set_quality(view, True)
    try:
        draw(view, ctx, cursor, theme=theme)
        item = view.graphics_item()
        if item is not None:
            SVGExporter(item).export(str(path))
        else:
            _widget_svg(view, path)
    finally:
        _set_quality(view, False)
        _back_to_screen(view, ctx, restore)
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
    return path


def _widget_svg(view, path: Path) -> None:
    from PySide6 import QtSvg

    gen = QtSvg.QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(view.size())
    gen.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), view.size()))
    gen.setTitle(f"Unfold: {view.title}")
    painter = QtGui.QPainter(gen)
    QtWidgets.QWidget.render(view, painter, QtCore.QPoint(0, 0))
    painter.end()


def animation_cursors(T: int, start: Cursor, stop: Cursor) -> list[Cursor]:
    """Every cursor from ``start`` to ``stop`` (inclusive) in playback order."""
    a, b = start.frame(T), stop.frame(T)
    if b < a:
        raise ValueError(f"--to ({cursor_label(stop, T)}) comes before --from "
                         f"({cursor_label(start, T)})")
    return [Cursor.from_frame(f, T) for f in range(a, b + 1)]


def animation_dims(start: int, stop: int, frames: int = 40) -> list[int]:
    """The dimensions D of a geometry animation from ``start`` to ``stop`` (either order):
    ``frames`` values spaced evenly on a log scale, rounded, repeats dropped."""
    from .model.present.geometry import D_MAX

    for name, d in (("from", start), ("to", stop)):
        if not 1 <= d <= D_MAX:
            raise ValueError(f"--{name} must be a dimension 1..{D_MAX}, got {d}")
    if start == stop:
        return [start]
    lo, hi = sorted((start, stop))
    dims = np.unique(np.round(np.geomspace(lo, hi, max(2, frames))).astype(int)).tolist()
    return dims if start < stop else dims[::-1]


def _go_to(ctx, moment) -> None:
    """Put the model at one frame of an animation: a Cursor, or a dimension D (geometry)."""
    if isinstance(moment, Cursor):
        ctx.app.set_cursor(moment)
    else:
        ctx.app.set_options("geometry", D=int(moment))


def render_frames(view, ctx, cursors, *, width: int = 800, progress=None, should_stop=None,
                  theme=None):
    """Yield the view at each of ``cursors`` (Cursors, or dimensions D for a geometry view) as
    an (h, w, 3) uint8 image, ``width`` wide.

    Export pens (thicker) without per-stroke antialiasing; smoothness comes from drawing twice
    as large and scaling down. ``should_stop()`` is asked before each frame (True raises
    ExportCancelled), ``progress(done, total)`` told after each.
    """
    draw(view, ctx, None, theme=theme)
    _item_antialias(view, False)
    try:
        for i, c in enumerate(cursors):
            if should_stop is not None and should_stop():
                raise ExportCancelled
            _go_to(ctx, c)
            draw(view, ctx, None, theme=theme)
            _item_antialias(view, False)
            yield _rgb_array(to_image(view, width, supersample=2))
            if progress is not None:
                progress(i + 1, len(cursors))
    finally:
        _back_to_screen(view, ctx)


def export_animation(view, ctx, path, cursors, *, fps: float = 8, width: int = 800,
                     progress=None, should_stop=None, theme=None) -> int:
    """Write the view over ``cursors`` as a GIF (Pillow; one palette that keeps every
    categorical colour exact, gui/gif.py) or MP4 (imageio-ffmpeg, optional).

    ``progress(done, total)`` is called after each frame; ``should_stop()`` before each, and a
    True answer raises ExportCancelled and writes nothing. Returns the number of frames.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise ValueError(f"animation format must be .gif or .mp4, got {path.suffix or 'none'}")
    frames = render_frames(view, ctx, cursors, width=width, progress=progress,
                           should_stop=should_stop, theme=theme)
    if suffix == ".mp4":
        writer = _mp4_writer(path, fps)
        try:
            for rgb in frames:
                writer.append_data(rgb)
        except BaseException:
            writer.close()
            path.unlink(missing_ok=True)
            raise
        writer.close()
        return len(cursors)
    from .gif import write_gif

    images = list(frames)
    if not write_gif(images, path, fps, should_stop):
        raise ExportCancelled
    return len(images)


def _item_antialias(view, on: bool) -> None:
    """Switch antialiasing of every pyqtgraph curve and scatter item in the view."""
    import pyqtgraph as pg

    for gv in view.findChildren(QtWidgets.QGraphicsView):
        for item in gv.scene().items():
            if isinstance(item, (pg.PlotCurveItem, pg.ScatterPlotItem)):
                item.opts["antialias"] = on
        gv.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, on)


def _rgb_array(img: QtGui.QImage) -> np.ndarray:
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    h, w, bpl = img.height(), img.width(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), dtype=np.uint8, count=h * bpl).reshape(h, bpl)
    return buf[:, : 3 * w].reshape(h, w, 3).copy()


def _mp4_writer(path: Path, fps: float):
    try:
        import imageio.v2 as imageio
    except ImportError:
        raise ValueError("MP4 export needs the optional extra: python -m pip install -e "
                         '".[mp4]" (imageio and imageio-ffmpeg); GIF works without it') from None
    try:
        return imageio.get_writer(str(path), fps=fps, codec="libx264", quality=8,
                                  macro_block_size=16)
    except Exception as exc:  # noqa: BLE001 - ffmpeg missing or broken: say so, plainly
        raise ValueError(f"MP4 export could not start ffmpeg: {exc}") from None




def export_slide(name: str, ctx, path, *, aspect: str = "16:9", transparent: bool = False,
                 width: int = 1600, cursor: Cursor | None = None) -> Path:
    """View ``name`` as a slide PNG: laid out at :data:`SLIDE_LAYOUT` and painted ``width``
    wide in the slide theme (gui.theme.slide), figure only, optionally without background."""
    from . import theme as themes

    view = make_view(name, ctx, size=layout_size(slide=True, aspect=aspect))
    try:
        return export_png(view, ctx, path, width=width, cursor=cursor, transparent=transparent,
                          theme=themes.slide(themes.get(ctx.app.theme)), restore=False)
    finally:
        view.close()
        view.deleteLater()
