"""What the five geometry views share: the base class, axes against D, colours and number formats.

A geometry view ignores the RNN session. It draws the :class:`~gui.geometry_state.GeometryState`
it finds on the application state: closed forms at once, Monte Carlo results when the runner has
them (until then a "sampling..." note). It redraws when a parameter changes or one of its samples
lands, only while it is visible (a hidden view redraws when shown), and skips a redraw whose inputs
are unchanged, so the window's playback refreshes cost nothing here.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .. import colors
from ..geometry_state import D_MAX, GeometryState
from .base import View, make_canvas

# Okabe-Ito hues, as in the article's figures where it has colours
ORANGE = "#E69F00"  # the small inscribed balls
VERMILLION = "#D55E00"  # the slider's D, everywhere
GREEN = "#009E73"  # sampled values
PURPLE = "#CC79A7"
ARTICLE = PURPLE  # what the article claims, where it is only approximate
SKY = "#56B4E9"
CHOCOLATE_LIGHT = "#7B3F00"
CHOCOLATE_DARK = "#C8894A"
#: one hue per histogram D (the article's list), the slider's D is VERMILLION
DIM_HEX = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999933")

_SUPER = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(n) -> str:
    """Superscript digits: sup(-70) -> '⁻⁷⁰'."""
    return str(n).translate(_SUPER)


def pow10(e: float) -> str:
    """10 to a (rounded) power, written out: 10⁻¹⁶⁸⁵⁰."""
    return f"10{sup(int(round(e)))}"


def sci(x: float, digits: int = 2) -> str:
    """A number for captions: plain when moderate, else m × 10ⁿ."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else ("∞" if x > 0 else "−∞" if x < 0 else "nan")
    a = abs(x)
    if 1e-3 <= a < 1e5:
        return f"{x:.{digits + 1}g}"
    e = math.floor(math.log10(a))
    m = x / 10.0**e
    return f"{m:.{digits}g} × {pow10(e)}"


def sci_log10(log10_x: float, digits: int = 2) -> str:
    """A positive number given by its log10 (it may underflow as a float): m × 10ⁿ."""
    if log10_x > -300:
        return sci(10.0**log10_x, digits)
    e = math.floor(log10_x)
    m = 10.0 ** (log10_x - e)
    return f"{m:.{digits}g} × {pow10(e)}"


def pct(x: float) -> str:
    """A fraction as a percentage with enough digits not to round 0.9999 up to 100 %."""
    if x >= 1.0:
        return "100 %"
    if x <= 0.0:
        return "0 %"
    digits = 2
    while digits < 8 and round(100 * x, digits) >= 100.0:
        digits += 1
    if x < 1e-4:
        return f"{sci(100 * x)} %"
    return f"{100 * x:.{digits}f} %"


def count(n: int) -> str:
    return f"{int(n):,}"


def cells_text(log10_cells: float) -> str:
    """b^D as a number when it is printable, else as a power of ten."""
    if log10_cells < 15:
        return count(round(10**log10_cells))
    return pow10(log10_cells) if abs(log10_cells - round(log10_cells)) < 1e-9 else \
        f"{10 ** (log10_cells % 1):.2g} × {pow10(math.floor(log10_cells))}"


# ---------------------------------------------------------------------------------------------
# axes
# ---------------------------------------------------------------------------------------------


class DAxis(pg.AxisItem):
    """A log axis labelled 1, 10, 100, 1,000, 10,000 (not 1e+03)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        out = []
        for v in values:
            if abs(v - round(v)) < 1e-6 and -4 <= round(v) <= 6:
                out.append(f"{10 ** round(v):,.{max(0, -round(v))}f}")
            else:
                out.append("")
        return out


class PowerAxis(pg.AxisItem):
    """An axis of log10 values labelled as powers of ten (for numbers far below float range)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        out = []
        for v in values:
            if abs(v - round(v)) < 1e-6:
                r = int(round(v))
                out.append("1" if r == 0 else "10" if r == 1 else pow10(r))
            else:
                out.append("")
        return out


def make_plot(layout: pg.GraphicsLayout, row: int, col: int, *, log_x: bool = False,
              log_y: bool = False, power_y: bool = False, **kw) -> pg.PlotItem:
    """A static PlotItem (no mouse, no menu, no buttons) with D-style tick labels."""
    axes = {"bottom": DAxis("bottom"), "left": PowerAxis("left") if power_y else DAxis("left")}
    plot = layout.addPlot(row=row, col=col, axisItems=axes, **kw)
    plot.setMouseEnabled(False, False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setLogMode(x=log_x, y=log_y)
    plot.getViewBox().setDefaultPadding(0.02)
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
    return plot


def d_range(plot: pg.PlotItem) -> None:
    """x from D = 1 to D = 10,000 on a log axis."""
    plot.setXRange(0.0, math.log10(D_MAX), padding=0.02)


def curve(plot, **kw) -> pg.PlotDataItem:
    item = pg.PlotDataItem(**kw)
    plot.addItem(item)
    return item


def text_item(vb, anchor=(0, 0), z: float = 10) -> pg.TextItem:
    item = pg.TextItem(anchor=anchor)
    item.setZValue(z)
    vb.addItem(item, ignoreBounds=True)
    return item


def vline(plot, z: float = 5, **kw) -> pg.InfiniteLine:
    line = pg.InfiniteLine(angle=90, movable=False, **kw)
    line.setZValue(z)
    plot.addItem(line, ignoreBounds=True)
    return line


def hline(plot, z: float = 5, **kw) -> pg.InfiniteLine:
    line = pg.InfiniteLine(angle=0, movable=False, **kw)
    line.setZValue(z)
    plot.addItem(line, ignoreBounds=True)
    return line


def circle(vb, z: float = 0) -> QtWidgets.QGraphicsEllipseItem:
    item = QtWidgets.QGraphicsEllipseItem()
    item.setZValue(z)
    vb.addItem(item, ignoreBounds=True)
    return item


def set_circle(item: QtWidgets.QGraphicsEllipseItem, x: float, y: float, r: float) -> None:
    item.setRect(QtCore.QRectF(x - r, y - r, 2 * r, 2 * r))


# ---------------------------------------------------------------------------------------------
# the base class
# ---------------------------------------------------------------------------------------------


class GeometryView(View):
    """Base of the geometry views: subclasses implement ``build``, ``sample_keys`` and ``draw``.

    ``build()`` creates every plot item once; ``draw(params)`` updates them from the closed forms
    and the cached samples (``self.sample(key)``); ``sample_keys(params)`` lists the Monte Carlo
    results the view needs.
    """

    uses_session = False
    tabs = ("Geometry",)
    compact_width = 640  #: below this width the captions get smaller

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.geo: GeometryState = state.ext("geometry", GeometryState)
        self.canvas = make_canvas(self.theme)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.canvas)
        self._owner = f"{self.name}#{id(self):x}"
        self._export = False
        self._compact = False
        self._drawn = None
        self._dirty = True
        self._keys: tuple = ()
        self.draw_count = 0  #: full redraws so far (tests check that unchanged input is skipped)
        self.build()
        self._style_axes()
        self.geo.changed.connect(self._on_params_changed)
        self.geo.runner.landed.connect(self._on_sample_event)
        self.geo.runner.failed.connect(self._on_sample_failed)
        self.geo.runner.cancelled.connect(self._on_cancelled)

    # -- to implement -----------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def sample_keys(self, p) -> tuple:
        return ()

    def draw(self, p) -> None:
        raise NotImplementedError

    def plots(self) -> list:
        """The PlotItems whose axes follow the theme."""
        return []

    # -- helpers for subclasses ---------------------------------------------------------------
    def sample(self, key):
        return self.geo.runner.result(key)

    def sample_note(self, key) -> str:
        """What to say where a sample is not there yet."""
        st = self.geo.runner.status(key)
        if st == "cancelled":
            return "cancelled (change a setting or press New samples to sample again)"
        if st == "failed":
            return f"failed: {self.geo.runner.error(key)}"
        return "sampling…"

    @property
    def fg(self) -> str:
        return self.theme.foreground

    @property
    def lw(self) -> float:
        """Line width: thicker for figures."""
        return 2.0 if self._export else 1.5

    def font(self, big: bool = False) -> str:
        if big:
            return "10pt" if self._compact else "12pt"
        return "8pt" if self._compact else "10pt"

    def set_label(self, label: pg.LabelItem, html: str, *, big: bool = False) -> None:
        label.setText(html, color=self.fg, size=self.font(big))

    def blue(self) -> str:
        return self.theme.peephole  # the articles' blue, readable in both themes

    def chocolate(self) -> str:
        return CHOCOLATE_DARK if self.theme.name == "dark" else CHOCOLATE_LIGHT

    # -- rendering ----------------------------------------------------------------------------
    def render(self, result=None, cursor=None) -> None:
        """Draw the geometry state (``result`` and ``cursor`` are the RNN session's: ignored)."""
        p = self.geo.params
        keys = tuple(self.sample_keys(p))
        self._keys = keys
        runner = self.geo.runner
        runner.request(self._owner, keys)
        sig = (p, self.theme.name, self._export, self._compact,
               tuple(runner.status(k) for k in keys))
        if sig == self._drawn:
            return
        self.draw(p)
        self.draw_count += 1
        self._drawn = sig
        self._dirty = False

    def redraw(self) -> None:
        """Draw again even if nothing seems to have changed."""
        self._drawn = None
        self.render()

    def _follow(self) -> None:
        if self.isVisible():
            self.render()
        else:
            self._dirty = True

    def _on_params_changed(self, changed) -> None:
        self._follow()

    def _on_sample_event(self, key) -> None:
        if key in self._keys:
            self._follow()

    def _on_sample_failed(self, key, message) -> None:
        if key in self._keys:
            self._follow()

    def _on_cancelled(self) -> None:
        self._follow()

    def showEvent(self, ev):  # noqa: N802 - Qt's name
        super().showEvent(ev)
        if self._dirty:
            self.render()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        compact = self.width() < self.compact_width
        if compact != self._compact:
            self._compact = compact
            if self.isVisible():
                self.render()
            else:
                self._dirty = True

    def wait_ready(self, msecs: int = 60_000) -> bool:
        """Block until this view's samples have landed (headless export), then draw them."""
        self.render()
        self.geo.runner.request(self._owner, self._keys, force=True)
        ok = self.geo.runner.wait(msecs, keys=self._keys)
        self.render()
        return ok and all(self.geo.runner.status(k) == "ready" for k in self._keys)

    # -- theme and export ---------------------------------------------------------------------
    def _style_axes(self) -> None:
        muted, fg = self.theme.muted, self.theme.foreground
        for plot in self.plots():
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                ax.setPen(colors.pen(muted))
                ax.setTextPen(colors.pen(fg))
                ax.label.setDefaultTextColor(QtGui.QColor(fg))
            plot.titleLabel.setAttr("color", fg)

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        self._drawn = None
        if self.isVisible():
            self.render()
        else:
            self._dirty = True

    def set_export_style(self, on: bool) -> None:
        self._export = on
        for item in self.canvas.scene().items():
            if isinstance(item, (pg.PlotCurveItem, pg.ScatterPlotItem)):
                item.opts["antialias"] = on
        self.redraw()

    def graphics_item(self):
        return self.canvas.ci


def axis_label(plot: pg.PlotItem, side: str, text: str, size: str = "9pt") -> None:
    plot.setLabel(side, text, **{"font-size": size})


def finite(a) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[np.isfinite(a)]
