"""The cliff's figure: the heat map of a one-unit RNN's loss over (w, b) with its contours, the
two descent paths and their start; beside it the loss along each path and each step's length.

Items are built once; :meth:`CliffFigure.set_scene` draws a scene (once per scene),
:meth:`CliffFigure.set_step` the paths up to the step the cursor shows.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from ... import colors
from ...graphics.axes import keep_text_width, plain_numbers, static_plot, style_axes
from ...graphics.colorbar import ColorBar
from ...graphics.labels import add_label, pt, set_label
from ...model.present import landscape as present
from ...model.present import landscape_text as text
from ...model.present.numbers import decade_label, log_ticks
from ..base import make_canvas

#: the height a tick label needs at type scale 1 (its line and a gap)
LABEL_LINE_PX = 15

UNCLIPPED_HEX = "#D55E00"  # Okabe-Ito vermillion: the path that jumps
CLIPPED_HEX = "#56B4E9"  # Okabe-Ito sky blue: the clipped path
HALO_HEX = "#ffffff"
PATHS = ("unclipped", "clipped")
#: labels the side plots' log axes start wide enough for (10⁻⁹ ... 10⁹, and 0.001)
DECADE_SAMPLES = [decade_label(n) for n in range(-9, 10)] + ["0.001"]


class _Path:
    """One descent path on the map: a halo, the line walked so far, its points and its head."""

    def __init__(self, plot: pg.PlotItem, hex_: str):
        self.hex = hex_
        self.halo = pg.PlotCurveItem()
        self.line = pg.PlotCurveItem()
        self.points = pg.ScatterPlotItem(size=5, pen=None, brush=colors.brush(hex_))
        self.head = pg.ScatterPlotItem(size=13, pen=colors.pen(HALO_HEX, 1.5),
                                       brush=colors.brush(hex_))
        for it in (self.halo, self.line, self.points, self.head):
            plot.addItem(it)
            it.setZValue(10)
        self.width = None

    def set_width(self, width: float) -> None:
        """Pens ``width`` wide (thicker for figures); set only when the width changes."""
        if width != self.width:
            self.width = width
            self.halo.setPen(colors.pen(HALO_HEX, width + 2.5, 200))
            self.line.setPen(colors.pen(self.hex, width))

    def set(self, pts: np.ndarray, width: float) -> None:
        """Draw ``pts`` (k, 2): the (w, b) walked so far."""
        x, y = pts[:, 0], pts[:, 1]
        self.set_width(width)
        self.halo.setData(x, y)
        self.line.setData(x, y)
        self.points.setData(x, y)
        self.head.setData(x[-1:], y[-1:])


class CliffFigure:
    """The cliff's canvas (``canvas``) and its items."""

    def __init__(self, theme):
        for _ in self._parts(theme):
            pass

    def _parts(self, theme):
        """Build it, yielding after each plot and its items (three PlotItems, a colour bar and
        a legend: 120 ms and more at once); see :func:`gui.views.base.build_in_parts`."""
        self.scene = None  # the scene drawn
        self.drawn: dict = {}
        self._legend_key = None
        self.canvas = make_canvas(theme)
        ci = self.canvas.ci
        self.caption = add_label(ci, 0, 0, colspan=2)
        m = static_plot(ci, 1, 0, rowspan=2)
        m.setLabel("bottom", "recurrent weight w")
        m.setLabel("left", "bias b")
        self.map_plot = m
        yield
        self.image = pg.ImageItem()
        m.addItem(self.image)
        self.contours = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        m.addItem(self.contours)
        self.unclipped = _Path(m, UNCLIPPED_HEX)
        self.clipped = _Path(m, CLIPPED_HEX)
        self.start_mark = pg.ScatterPlotItem(size=16, symbol="star")
        self.start_mark.setZValue(12)
        m.addItem(self.start_mark)
        self.note = pg.TextItem(anchor=(0.5, 0.5))  # "computing…" over the map
        self.note.setZValue(20)
        m.addItem(self.note, ignoreBounds=True)
        yield
        self.loss_plot = static_plot(ci, 1, 1)
        yield
        self.step_plot = static_plot(ci, 2, 1)
        self._side_titles(compact=False)
        self.step_plot.setLabel("bottom", "step")
        self.step_plot.setXLink(self.loss_plot)
        self.path_loss = {k: pg.PlotDataItem() for k in PATHS}
        self.path_step = {k: pg.PlotDataItem() for k in PATHS}
        for k in PATHS:
            self.loss_plot.addItem(self.path_loss[k])
            self.step_plot.addItem(self.path_step[k])
        self.max_step_line = pg.InfiniteLine(angle=0, movable=False)
        self.step_plot.addItem(self.max_step_line)
        self.cursor_lines = [pg.InfiniteLine(angle=90, movable=False) for _ in range(2)]
        self.loss_plot.addItem(self.cursor_lines[0])
        self.step_plot.addItem(self.cursor_lines[1])
        for p in (self.loss_plot, self.step_plot):
            p.showGrid(x=True, y=True, alpha=0.15)
        yield
        self.color_bar = ColorBar(ci, row=3, col=0, width_px=300)
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=1, verSpacing=-4)
        ci.addItem(self.legend, row=3, col=1)
        self._samples = {
            "unclipped": pg.PlotDataItem(pen=colors.pen(UNCLIPPED_HEX, 2.5), symbol="o",
                                         symbolBrush=UNCLIPPED_HEX, symbolPen=None, symbolSize=7),
            "clipped": pg.PlotDataItem(pen=colors.pen(CLIPPED_HEX, 2.5), symbol="o",
                                       symbolBrush=CLIPPED_HEX, symbolPen=None, symbolSize=7),
            "start": pg.PlotDataItem(pen=None, symbol="star", symbolSize=12),
            "contour": pg.PlotDataItem(),
            "max": pg.PlotDataItem(),
        }
        ci.layout.setColumnStretchFactor(0, 3)
        ci.layout.setColumnStretchFactor(1, 2)
        ci.layout.setRowStretchFactor(1, 5)
        ci.layout.setRowStretchFactor(2, 4)
        yield
        self.restyle(theme)

    def _side_titles(self, *, compact: bool) -> None:
        """The side plots' y titles; short in large type (presentation, slides), where the long
        rotated ones ran into each other on the two short plots."""
        self.loss_plot.setLabel("left", "L" if compact else "loss L (log)")
        self.step_plot.setLabel("left", "‖Δ(w, b)‖" if compact else "step ‖Δ(w, b)‖ (log)")

    def restyle(self, theme) -> None:
        """Colours that follow the theme."""
        self._side_titles(compact=theme.font_scale > 1.0)
        self.theme = theme
        self.canvas.setBackground(theme.background)
        for plot in (self.map_plot, self.loss_plot, self.step_plot):
            style_axes(plot, theme)
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                plain_numbers(ax)
                ax.label.setDefaultTextColor(pg.mkColor(theme.foreground))
        for plot in (self.loss_plot, self.step_plot):  # their labels change with each scene
            keep_text_width(plot.getAxis("left"), DECADE_SAMPLES)
        self.max_step_line.setPen(colors.pen(theme.foreground, 1.2, 255, "dash"))
        for line in self.cursor_lines:
            line.setPen(colors.pen(theme.muted, 1.0))
        self.start_mark.setPen(colors.pen("#000000", 1.0))
        self.start_mark.setBrush(colors.brush(HALO_HEX))
        s = self._samples
        s["start"].setSymbolPen(colors.pen("#000000", 1.0))
        s["start"].setSymbolBrush(colors.brush(HALO_HEX))
        s["contour"].setPen(colors.pen(theme.muted, 1.0))
        s["max"].setPen(colors.pen(theme.foreground, 1.2, 255, "dash"))
        self.legend.setLabelTextColor(theme.foreground)
        self.legend.opts["labelTextSize"] = pt(theme, 9)
        self._legend_key = None
        self.note.setColor(pg.mkColor(theme.foreground))
        self.note.fill = pg.mkBrush(pg.mkColor(theme.background))

    # -- one scene ----------------------------------------------------------------------------
    def set_scene(self, sc, width: float, export: bool = False) -> None:
        """The surface, contours, side plots and legend of scene ``sc`` (a CliffScene);
        ``export``: for a figure (no screen-only words)."""
        self.scene = sc
        s = sc.surface
        self.heat_range = sc.heat_range
        self.heat_values = s.log10_L  # (n_b, n_w)
        self.rgba = sc.rgba  # (n_w, n_b, 4)
        self.image.setImage(self.rgba, levels=(0, 255))
        dw = (s.w[-1] - s.w[0]) / (s.w.size - 1)
        db = (s.b[-1] - s.b[0]) / (s.b.size - 1)
        self.image.setRect(QtCore.QRectF(s.w[0] - dw / 2, s.b[0] - db / 2,
                                         s.w[-1] - s.w[0] + dw, s.b[-1] - s.b[0] + db))
        seg = sc.contours  # (k, 2, 2)
        self.contours.setData(seg[:, :, 0].ravel(), seg[:, :, 1].ravel(),
                              pen=colors.pen(HALO_HEX, 1.0, 110))
        self.map_plot.setXRange(s.w[0], s.w[-1], padding=0)
        self.map_plot.setYRange(s.b[0], s.b[-1], padding=0)
        lo, hi = sc.heat_range
        self.color_bar.set(present.HEAT_TABLE, text.heat_title(), decade_label(int(lo)),
                           decade_label(int(round((lo + hi) / 2))), decade_label(int(hi)),
                           self.theme.foreground)
        self.set_width(width)
        self.max_step_line.setPos(np.log10(sc.max_step))
        self.set_settings(sc.settings, export)
        self.label_sides()

    def set_settings(self, settings, export: bool = False) -> None:
        """What the scene of ``settings`` (CliffSettings) shows before it is computed: the
        legend and the side plots' steps (drawn while it computes, the scene's landing draw
        has less to do)."""
        self.loss_plot.setXRange(0, settings.n_steps, padding=0.02)
        self._draw_legend(settings, export)
        if self.scene is None:  # the map's axes about as the scene will set them
            self.map_plot.setXRange(*settings.w_range, padding=0)
            self.map_plot.setYRange(*settings.b_range, padding=0)

    def label_sides(self) -> None:
        """The side plots' log axes, with as many labelled decades as their heights hold
        (again when a plot's height changes; nothing else of the scene depends on it)."""
        sc = self.scene
        if sc is None:
            return
        self._set_log_axis(self.loss_plot, [present.path_series(p)[1]
                                            for p in (sc.unclipped, sc.clipped)])
        self._set_log_axis(self.step_plot, [present.path_series(p)[3]
                                            for p in (sc.unclipped, sc.clipped)]
                           + [[np.log10(sc.max_step)]])

    def set_width(self, width: float) -> None:
        """The side plots' curves with pens ``width`` wide (thicker for figures)."""
        sc = self.scene
        for key, path in (("unclipped", sc.unclipped), ("clipped", sc.clipped)):
            hex_ = UNCLIPPED_HEX if key == "unclipped" else CLIPPED_HEX
            x_l, ll, x_s, ls_ = present.path_series(path)
            style = dict(pen=colors.pen(hex_, width), symbol="o", symbolSize=4,
                         symbolBrush=hex_, symbolPen=None)
            self.path_loss[key].setData(x_l, ll, **style)
            self.path_step[key].setData(x_s, ls_, **style)

    def _set_log_axis(self, plot, arrays) -> None:
        lo, hi = present.log_range(arrays)
        major, minor = log_ticks(lo, hi)
        # no more labelled decades than the plot's height holds at the theme's type size (the
        # side plots are short on a 720 px screen, and presentation type is large)
        line = LABEL_LINE_PX * self.theme.font_scale
        px_per_unit = plot.getViewBox().height() / ((hi - lo) * 1.12 or 1.0)  # 6 % padding
        inside = [t for t in major if lo <= t[0] <= hi]
        if len(inside) > 2 and px_per_unit > 0:
            apart = (inside[1][0] - inside[0][0]) * px_per_unit
            step = max(1, int(np.ceil(line / apart)))
            major = inside[::min(step, len(inside) - 1)]
        plot.getAxis("left").setTicks([major, minor])
        plot.setYRange(lo, hi, padding=0.06)

    def _draw_legend(self, settings, export: bool) -> None:
        key = (settings.clip, settings.lr, self.theme, export)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for name, label in text.cliff_legend(settings, export):
            self.legend.addItem(self._samples[name], label)

    # -- every frame --------------------------------------------------------------------------
    def set_step(self, k: int, width: float) -> None:
        """The paths up to step ``k`` (a stopped path ends early) and the caption."""
        sc = self.scene
        u = sc.unclipped.points[: k + 1]  # (<= k + 1, 2)
        c = sc.clipped.points[: k + 1]
        self.unclipped.set(u, width)
        self.clipped.set(c, width)
        self.drawn = {"unclipped": u, "clipped": c}
        for line in self.cursor_lines:
            line.setPos(k)
        set_label(self.caption, text.cliff_caption(sc, k), color=self.theme.foreground,
                  size=pt(self.theme, 10))

    def set_start(self, start) -> None:
        """The start star at ``start`` (w, b): where the next scene's paths begin."""
        self.start_mark.setData([start[0]], [start[1]])

    def set_note(self, note: str) -> None:
        """A note over the middle of the map ("computing…"), or none."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if note:
            (x0, x1), (y0, y1) = self.map_plot.getViewBox().viewRange()
            self.note.setPos((x0 + x1) / 2, (y0 + y1) / 2)
