"""What the five geometry views share: the base class, colours and number formats.

A geometry view ignores the RNN session. It draws the "geometry" option section of the frame it is
given: closed forms at once, Monte Carlo results when they have landed in ``frame.derived`` (until
then a "sampling..." note). Its samples are jobs for the one runner (:meth:`GeometryView.needs`),
started after the requests pause :data:`START_DELAY_MS` (a slider drag paints first). Inside the
Geometry tab (``in_panel``) a view draws and samples only while it is in front (the
"geometry-panel" section's ``front``: "all" in the grid, else one view's name), and a frame whose
inputs equal the last one's is skipped, so the window's playback refreshes cost nothing here.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from ... import colors
from ...graphics.labels import add_label as _add_label
from ...graphics.labels import set_label as _set_text
from ...model.present import geometry as gp
from ...model.present.geometry_claims import ARTICLE, VERMILLION, cells_text, share
from ...model.present.numbers import count, fmt, fmt_log10, pct
from ..base import CANCELLED, View, make_canvas

__all__ = ["ARTICLE", "VERMILLION", "ORANGE", "GREEN", "PURPLE", "DIM_HEX", "GeometryView",
           "add_label", "cells_text", "count", "d_range", "fmt", "fmt_log10", "pct", "sci", "share"]

# Okabe-Ito hues, as in the article's figures where it has colours
ORANGE = "#E69F00"  # the small inscribed balls
GREEN = "#009E73"  # sampled values
PURPLE = "#CC79A7"
CHOCOLATE_LIGHT = "#7B3F00"
CHOCOLATE_DARK = "#C8894A"
#: one hue per histogram D (the article's list), the slider's D is VERMILLION
DIM_HEX = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999933")


def sci(x: float, digits: int = 2) -> str:
    """A number for captions: plain when moderate (12,345 with separators), else m×10ⁿ."""
    return fmt(x, digits + 1, thousands=True)


class GeometryView(View):
    """Base of the geometry views: subclasses implement ``build``, ``sample_keys`` and ``paint``.

    ``build()`` creates every plot item once; ``paint(p)`` updates them for parameters ``p`` (a
    GeometryParams) from the closed forms and the landed samples (``self.sample(key)``);
    ``sample_keys(p)`` lists the Monte Carlo jobs the view needs.
    """

    uses_session = False
    tabs = ("Geometry",)
    compact_size = (760, 560)  #: below this width or height the captions get smaller

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        self.canvas = make_canvas(self.theme)
        self.canvas.ci.setContentsMargins(6, 4, 16, 4)  # room for the last x tick label
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.canvas)
        self.in_panel = False  #: set by the Geometry tab: then only drawn while in front
        self.details = True  #: the lines of exact numbers under the pictures
        self.compact = False
        self._drawn = None
        self.draw_count = 0  #: full redraws so far (tests check that unchanged input is skipped)
        self.asked: tuple = ()  #: the jobs the last :meth:`needs` asked for
        self.built = False  #: plot items made (in the tab: the first time the view is in front)
        self.steps = None  #: the tab's StepQueue: building and grid redraws, one per tick

    def _build_now(self) -> None:
        self.build()
        self.built = True
        self._style_axes()
        # built after the canvas got its size: while the items went in, the layout's maximum
        # size (captions have fixed heights) shrank it; give it the canvas' area again
        self.canvas.resizeEvent(None)

    # -- to implement -----------------------------------------------------------------------
    def build(self) -> None:
        """Create the plot items (once); every geometry view defines it."""
        raise TypeError(f"{type(self).__name__} must define build()")

    def sample_keys(self, p) -> tuple:
        """The sampling jobs the view needs for parameters ``p``."""
        return ()

    def paint(self, p) -> None:
        """Update the plot items for parameters ``p``; every geometry view defines it."""
        raise TypeError(f"{type(self).__name__} must define paint()")

    def plots(self) -> list:
        """The PlotItems whose axes follow the theme."""
        return []

    # -- frames ---------------------------------------------------------------------------------
    def showing(self, frame) -> bool:
        """Whether this view is drawn for ``frame``: always outside the tab and for figures,
        inside it while in front."""
        if not self.in_panel or frame.export:
            return True
        return frame.option("geometry-panel").front in ("all", self.name)

    def needs(self, frame) -> dict:
        self.asked = ()
        if not self.showing(frame):
            return {}
        p = frame.option("geometry")
        delay = 0 if frame.export else gp.START_DELAY_MS
        jobs = {k: gp.delayed(k, delay) for k in self.sample_keys(p)}
        self.asked = tuple(jobs)
        return jobs

    def _draw(self, frame) -> None:
        if not self.showing(frame):
            return
        deferred = self.steps is not None and self.in_panel and not frame.export
        if deferred and not self.isVisible():
            return  # drawn from the frame the window gives when the tab is shown again
        if not self.built:
            if deferred:  # opening the tab stays light: build in a later tick, one view a tick
                self.steps.add(("build", self), self._deferred_build)
                return
            self._build_now()
        if self._signature(frame) == self._drawn:
            return
        if deferred and frame.option("geometry-panel").front == "all":
            self.steps.add(("paint", self), self._deferred_paint)  # the grid: one view a tick
            return
        self._paint_frame(frame)

    def _signature(self, frame) -> tuple:
        """What a drawing depends on: equal signatures draw the same picture."""
        p = frame.option("geometry")
        return (p, self.theme, self.exporting, self.compact, self.details,
                tuple(self.status(k) for k in self.sample_keys(p)))

    def _paint_frame(self, frame) -> None:
        sig = self._signature(frame)
        if sig == self._drawn:
            return
        self.paint(frame.option("geometry"))
        self.draw_count += 1
        self._drawn = sig

    def _deferred_build(self) -> None:
        if not self.built and self.frame is not None and self.showing(self.frame):
            self._build_now()
            self.redraw()  # in the grid: painted a tick later

    def _deferred_paint(self) -> None:
        if self.frame is not None and self.showing(self.frame):
            self._paint_frame(self.frame)

    def redraw(self) -> None:
        """Draw the last frame again even if nothing seems to have changed."""
        self._drawn = None
        super().redraw()

    # -- helpers for subclasses ---------------------------------------------------------------
    def sample(self, key):
        """The landed value of sampling job ``key``, or None."""
        return None if self.frame is None else self.frame.derived.get(key)

    def status(self, key) -> str:
        """"ready", "failed", "cancelled" or "sampling"."""
        frame = self.frame
        if frame is None:
            return "sampling"
        if key in frame.derived:
            return "ready"
        if key in frame.failed:
            return "cancelled" if frame.failed[key] == CANCELLED else "failed"
        runner = getattr(self.ctx, "runner", None)
        if runner is not None and runner.status(key) == "cancelled":
            return "cancelled"
        return "sampling"

    def sample_note(self, key) -> str:
        """What to say where a sample is not there yet."""
        st = self.status(key)
        if st == "cancelled":
            return "cancelled (change a setting or press New samples to sample again)"
        if st == "failed":
            return f"failed: {self.frame.failed[key]}"
        return "sampling…"

    @property
    def fg(self) -> str:
        return self.theme.foreground

    @property
    def lw(self) -> float:
        """Line width: thicker for figures and in presentation mode."""
        return (2.0 if self.exporting else 1.5) * self.theme.line_scale

    def font(self, big: bool = False) -> str:  # noqa: D401 - shadows QWidget.font on purpose
        """Caption size: smaller in a small view, larger in presentation mode."""
        if big:
            pt = 10 if self.compact else 12
        else:
            pt = 8 if self.compact else 9
        return f"{pt * self.theme.font_scale:g}pt"

    def set_label(self, label: pg.LabelItem, html: str, *, big: bool = False) -> None:
        """Set a caption (skipped when nothing changed: a new text costs a relayout)."""
        size = self.font(big)
        old = getattr(label, "_unfold_key", None)
        if old is not None and dict(old[1]).get("size") != size:
            label._tallest = 0.0  # a new type size: the height may shrink
        _set_text(label, html, color=self.fg, size=size)

    def set_numbers(self, lines: list[str]) -> None:
        """The exact numbers under the pictures (left out when the tab's claims table shows
        them beside a grid of small views, see :meth:`set_details`)."""
        if not self.details:
            self.numbers._tallest = 0.0
        self.set_label(self.numbers, "<br>".join(lines) if self.details else "")

    def set_details(self, on: bool) -> None:
        """Show the lines of exact numbers under the pictures (the tab's layout decides)."""
        if on != self.details:
            self.details = on
            self.redraw()

    @staticmethod
    def set_yrange(plot: pg.PlotItem, lo: float, hi: float) -> None:
        """setYRange only when it changes (a new range regenerates the axis)."""
        if getattr(plot, "_yrange", None) != (lo, hi):
            plot._yrange = (lo, hi)
            plot.setYRange(lo, hi, padding=0)

    def blue(self) -> str:
        return self.theme.peephole  # the articles' blue, readable in both themes

    def chocolate(self) -> str:
        return CHOCOLATE_DARK if self.theme.name == "dark" else CHOCOLATE_LIGHT

    # -- size, theme and export -----------------------------------------------------------------
    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        compact = (self.width() < self.compact_size[0]
                   or self.height() < self.compact_size[1])
        if compact != self.compact:
            self.compact = compact
            self.redraw()

    def _style_axes(self) -> None:
        if not self.built:
            return
        muted, fg = self.theme.muted, self.theme.foreground
        for plot in self.plots():
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                ax.setPen(colors.pen(muted))
                ax.setTextPen(colors.pen(fg))
                ax.label.setDefaultTextColor(QtGui.QColor(fg))
            plot.titleLabel.setAttr("color", fg)

    def _set_export_style(self, on: bool) -> None:
        for item in self.canvas.scene().items():
            if isinstance(item, (pg.PlotCurveItem, pg.ScatterPlotItem)):
                item.opts["antialias"] = on

    def graphics_item(self):
        return self.canvas.ci


def add_label(layout, row: int, col: int, *, justify: str = "left"):
    """A wrapping caption whose height only grows while its width stays (text changing with D
    must not move the plots below it)."""
    return _add_label(layout, row, col, justify=justify, steady=True)


def d_range(plot: pg.PlotItem) -> None:
    """x from D = 1 to D = 10,000 on a log axis."""
    plot.setXRange(0.0, math.log10(gp.D_MAX), padding=0.02)
