"""The Jacobian-product norms as heat maps over (t, k), blue where they shrink and red where they
grow, on one colour scale; the cursor's row (forward) or column (backward) framed. While the
products compute, or for a model without them, an empty map of the session's size says so."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from ... import colors
from ...graphics.axes import plain_axes, style_axes
from ...graphics.colorbar import ColorBar
from ...graphics.labels import WrapLabel, pt, set_label
from ...model.present.numbers import decade_label, log10_or_nan
from .panels import show_panels

MAX_DECADES = 8.0  # colour range, in decades either side of 1
MAPS = 4  # slots: the session's (1 or 2) and each compared kind's (2)


class HeatMap:
    """One heat map of norms over (t, k) with a cursor outline, in its own PlotItem, and its
    title in a label above it (it wraps: four maps side by side never widen the column)."""

    def __init__(self):
        self.plot = pg.PlotItem(enableMenu=False)  # no context menu: cheaper to build
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        plain_axes(self.plot)
        self.plot.setPreferredHeight(110)  # with the small plots above it, they share the height
        self.title = WrapLabel("", justify="center", steady=True)
        for item in (self.title, self.plot):  # the maps share the width equally
            item.setPreferredWidth(10)
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "k")
        self.plot.setLabel("left", "t")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.outline = pg.PlotCurveItem(connect="all", skipFiniteCheck=True)
        self.outline.setZValue(5)
        self.plot.addItem(self.outline)
        self.note = pg.TextItem(anchor=(0.5, 0.5))
        self.note.setZValue(6)
        self.plot.addItem(self.note)
        self.shown = False
        self.rgba = np.zeros((1, 1, 4), np.uint8)
        self.T = 0
        self._frame_key = None
        self.filled = False  # drawn norms (else an empty map with a note)

    def _frame(self, T: int, title: str, theme, ticks: int = 8) -> None:
        self.T = T
        self.image.setRect(QtCore.QRectF(0.5, 0.5, T, T))
        key = (T, title, theme, ticks)
        if key == self._frame_key:
            return  # titles, ranges and ticks cost a layout pass: only when they change
        self._frame_key = key
        self.plot.setRange(xRange=(0.5, T + 0.5), yRange=(0.5, T + 0.5), padding=0.02)
        set_label(self.title, title, color=theme.foreground, size=pt(theme, 9))
        every = max(1, int(np.ceil(T / ticks)))
        marks = [[(s, str(s)) for s in range(1, T + 1, every)], []]
        self.plot.getAxis("bottom").setTicks(marks)
        self.plot.getAxis("left").setTicks(marks)
        style_axes(self.plot, theme)
        self.outline.setPen(colors.pen(theme.highlight, 2.0))

    def set(self, norms: np.ndarray, decades: float, title: str, theme, ticks: int = 8) -> None:
        """Colour ``norms`` (T, T) [t-1, k-1] by log10 on [-decades, decades]."""
        T = norms.shape[0]
        lg = log10_or_nan(norms)  # (T, T)
        idx = colors.signed_index(lg, decades)  # (T, T) NaN -> middle, inf -> grey
        rgba = np.zeros((T, T, 4), np.uint8)
        rgba[..., :3] = colors.rgb("diverging", idx)
        rgba[..., 3] = np.where(np.isnan(lg), 0, 255)  # k > t and zero norms: nothing
        self.rgba = rgba
        self.image.setImage(rgba, levels=None)
        self.note.setText("")
        self.filled = True
        self._frame(T, title, theme, ticks)

    def empty(self, T: int, title: str, note: str, theme, ticks: int = 8) -> None:
        """A transparent map of the session's size with ``note`` in its middle."""
        self.rgba = np.zeros((T, T, 4), np.uint8)
        self.image.setImage(self.rgba, levels=None)
        self.note.setText(note, color=theme.muted)
        self.note.setPos((T + 1) / 2, (T + 1) / 2)
        self.outline.setData([], [])
        self.filled = False
        self._frame(T, title, theme, ticks)

    def mark(self, phase: str, t: int) -> None:
        """Outline row t (forward) or column k = t (backward); nothing at the update."""
        T = self.T
        if phase == "forward":
            x0, x1, y0, y1 = 0.5, t + 0.5, t - 0.5, t + 0.5
        elif phase == "backward":
            x0, x1, y0, y1 = t - 0.5, t + 0.5, t - 0.5, T + 0.5
        else:
            self.outline.setData([], [])
            return
        self.outline.setData([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0])


class HeatMaps:
    """Up to :data:`MAPS` heat maps side by side over a colour bar, at (row, col) of ``layout``;
    with no maps (slides comparing three kinds) neither maps nor bar, and no height."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        for _ in self._parts(layout, row, col):
            pass

    def _parts(self, layout: pg.GraphicsLayout, row: int, col: int):
        """Build it, yielding after each map (a PlotItem: 10 to 20 ms); see
        :func:`gui.views.base.build_in_parts`."""
        right = layout.addLayout(row=row, col=col)
        self.outer = right
        self.layout = right.addLayout(row=0, col=0)
        self.decades = 1.0
        self._count = None
        self.maps = []
        for _ in range(MAPS):
            self.maps.append(HeatMap())
            yield
        self.bar = ColorBar(right, row=1, col=0, width_px=260)

    def _show(self, count: int) -> None:
        if count == self._count:
            return
        show_panels(self.layout, self.maps, count, row=0)
        if (count == 0) != (self._count == 0):  # the bar goes with the last map
            if count == 0:
                self.outer.removeItem(self.bar.vb)
            elif self._count is not None:
                self.outer.addItem(self.bar.vb, row=1, col=0)
            self.outer.setMaximumHeight(1e6 if count else 0)
        self._count = count

    def set(self, specs: list, T: int, theme, *, ticks: int = 8) -> None:
        """Draw ``specs``, a list of (norms (T, T) or None, title, note), on one colour scale:
        None is an empty map of the session's size saying ``note`` (computing, or not drawn for
        this model), so that nothing moves when the products land."""
        specs = specs[:MAPS]
        full = [M for M, _, _ in specs if M is not None]
        lg = np.concatenate([log10_or_nan(M).ravel() for M in full]) if full else np.zeros(0)
        lg = np.abs(lg[np.isfinite(lg)])
        self.decades = float(np.clip(np.ceil(lg.max()) if lg.size else 1.0, 1.0, MAX_DECADES))
        self._show(len(specs))
        for m, (M, title, note) in zip(self.maps, specs, strict=False):
            if M is None:
                m.empty(T, title, note, theme, ticks)
            else:
                m.set(M, self.decades, title, theme, ticks)
        d = int(self.decades)
        lo, hi = (decade_label(-d), decade_label(d)) if full else ("", "")
        self.bar.set("diverging", "‖product‖: blue shrinks, red grows", lo, "1", hi,
                     theme.foreground)

    def mark(self, phase: str, t: int) -> None:
        for m in self.maps:
            if m.shown and m.filled:
                m.mark(phase, t)
