"""What the five geometry views share: the base class, axes against D, colours and number formats.

A geometry view ignores the RNN session. It draws the :class:`~gui.geometry_state.GeometryState`
it finds on the application state: closed forms at once, Monte Carlo results when the runner has
them (until then a "sampling..." note). It redraws when a parameter changes or one of its samples
lands, only while it is visible (a hidden view redraws when shown), and skips a redraw whose inputs
are unchanged, so the window's playback refreshes cost nothing here.
"""

from __future__ import annotations

import math

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
    if 1e3 <= a < 1e5:
        return f"{x:,.0f}"
    if 1e-3 <= a < 1e3:
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
# text that wraps to the width it is given
# ---------------------------------------------------------------------------------------------


class WrapLabel(pg.LabelItem):
    """A LabelItem that wraps its text to its width instead of forcing the layout wider.

    pyqtgraph's LabelItem makes its unwrapped text width the minimum width, so one long caption
    pushes a narrow view's plots out of the window; this one asks only for a small minimum width
    and as much height as the wrapped text needs.
    """

    MIN_WIDTH = 60

    def __init__(self, text=" ", parent=None, **kw):
        super().__init__(text, parent, **kw)
        if self.opts.get("justify") == "center":
            option = self.item.document().defaultTextOption()
            option.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
            self.item.document().setDefaultTextOption(option)

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        w = self.width()
        if w > 0 and abs(self.item.textWidth() - w) > 0.5:
            self.item.setTextWidth(w)
            self._tallest = 0.0  # a new width: wrap afresh
        super().resizeEvent(ev)

    def updateMin(self):  # noqa: N802 - pyqtgraph's name
        # the height only grows while the width stays: a caption that wraps onto one line fewer
        # for another D must not make every plot below it move (and repaint its axes)
        h = max(self.itemRect().height(), getattr(self, "_tallest", 0.0))
        self._tallest = h
        self.setMinimumWidth(self.MIN_WIDTH)
        self.setMinimumHeight(h)
        self.setMaximumHeight(h)
        self._sizeHint = {
            QtCore.Qt.SizeHint.MinimumSize: (self.MIN_WIDTH, h),
            # a constant preferred width: new text must not move the plots beside it
            QtCore.Qt.SizeHint.PreferredSize: (self.MIN_WIDTH, h),
            QtCore.Qt.SizeHint.MaximumSize: (-1, h),
            QtCore.Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()


def add_label(layout: pg.GraphicsLayout, row: int, col: int, *, justify: str = "left",
              **kw) -> WrapLabel:
    label = WrapLabel("", justify=justify)
    layout.addItem(label, row=row, col=col, **kw)
    return label


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


def make_plot(layout: pg.GraphicsLayout, row: int, col: int, *, log_x: bool = False,
              log_y: bool = False, left_axis=None, **kw) -> pg.PlotItem:
    """A static PlotItem (no mouse, no menu, no buttons) with D-style tick labels."""
    left = left_axis or DAxis("left")
    plot = layout.addPlot(row=row, col=col, axisItems={"bottom": DAxis("bottom"), "left": left},
                          **kw)
    plot.setMouseEnabled(False, False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setLogMode(x=log_x, y=log_y)
    plot.getViewBox().setDefaultPadding(0.02)
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
    return plot


def titled_plot(layout: pg.GraphicsLayout, row: int, col: int, *, rowspan: int = 1,
                colspan: int = 1, **kw) -> tuple[pg.PlotItem, WrapLabel]:
    """A plot under a wrapping title (PlotItem's own title would not wrap)."""
    sub = layout.addLayout(row=row, col=col, rowspan=rowspan, colspan=colspan)
    sub.setContentsMargins(0, 0, 0, 0)
    sub.setSpacing(0)
    title = add_label(sub, 0, 0, justify="center")
    plot = make_plot(sub, 1, 0, **kw)
    sub.layout.setRowStretchFactor(1, 10)
    return plot, title


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
    compact_size = (760, 560)  #: below this width or height the captions get smaller

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.geo: GeometryState = state.ext("geometry", GeometryState)
        self.canvas = make_canvas(self.theme)
        self.canvas.ci.setContentsMargins(6, 4, 16, 4)  # room for the last x tick label
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.canvas)
        self._owner = f"{self.name}#{id(self):x}"
        self._export = False
        self._compact = False
        self.details = True  #: the lines of exact numbers under the pictures
        self._drawn = None
        self._dirty = True
        self._keys: tuple = ()
        self.draw_count = 0  #: full redraws so far (tests check that unchanged input is skipped)
        self.build()
        self._style_axes()
        self.geo.changed.connect(self._on_params_changed)
        self.geo.runner.settled.connect(self._on_sample_settled)
        self.geo.runner.cancelled.connect(self._follow)

    # -- to implement -----------------------------------------------------------------------
    def build(self) -> None:
        """Create the plot items (once); every geometry view defines it."""
        raise TypeError(f"{type(self).__name__} must define build()")

    def sample_keys(self, p) -> tuple:
        return ()

    def draw(self, p) -> None:
        """Update the plot items for parameters ``p``; every geometry view defines it."""
        raise TypeError(f"{type(self).__name__} must define draw()")

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
        """Line width: thicker for figures and in presentation mode."""
        return (2.0 if self._export else 1.5) * self.theme.line_scale

    def font(self, big: bool = False) -> str:
        """Caption size: smaller in a small view, larger in presentation mode."""
        if big:
            pt = 10 if self._compact else 12
        else:
            pt = 8 if self._compact else 9
        return f"{pt * self.theme.font_scale:g}pt"

    def set_label(self, label: pg.LabelItem, html: str, *, big: bool = False) -> None:
        """Set a caption (skipped when nothing changed: a new text costs a relayout)."""
        key = (html, self.fg, self.font(big))
        old = getattr(label, "_shown", None)
        if old != key:
            if old is not None and old[2] != key[2]:
                label._tallest = 0.0  # a new type size: the height may shrink
            label._shown = key
            label.setText(html, color=self.fg, size=self.font(big))

    def set_numbers(self, lines: list[str]) -> None:
        """The exact numbers under the pictures (left out when the tab's claims table shows
        them beside a grid of small views, see :meth:`set_details`)."""
        if not self.details:
            self.numbers._tallest = 0.0
        self.set_label(self.numbers, "<br>".join(lines) if self.details else "")

    def set_details(self, on: bool) -> None:
        """Show the lines of exact numbers under the pictures (on by default)."""
        if on != self.details:
            self.details = on
            self._drawn = None
            self._follow()

    @staticmethod
    def set_html(item: pg.TextItem, html: str) -> None:
        """TextItem.setHtml, skipped when the text is unchanged."""
        if getattr(item, "_shown", None) != html:
            item._shown = html
            item.setHtml(html)

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

    # -- rendering ----------------------------------------------------------------------------
    def render(self, result=None, cursor=None) -> None:
        """Draw the geometry state (``result`` and ``cursor`` are the RNN session's: ignored)."""
        p = self.geo.params
        keys = tuple(self.sample_keys(p))
        self._keys = keys
        runner = self.geo.runner
        runner.request(self._owner, keys)
        sig = (p, self.theme, self._export, self._compact, self.details,
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

    def _on_sample_settled(self, key, status: str) -> None:
        if key in self._keys:  # landed, cancelled or failed: the picture says which
            self._follow()

    def showEvent(self, ev):  # noqa: N802 - Qt's name
        super().showEvent(ev)
        if self._dirty:
            self.render()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        compact = (self.width() < self.compact_size[0]
                   or self.height() < self.compact_size[1])
        if compact != self._compact:
            self._compact = compact
            if self.isVisible():
                self.render()
            else:
                self._dirty = True

    def set_options(self, options: dict) -> None:
        """Restore geometry parameters given as view options (unknown keys ignored; a bad value
        raises ValueError). Sessions save them once, in their "geometry" section."""
        if options:
            self.geo.apply(options)

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

