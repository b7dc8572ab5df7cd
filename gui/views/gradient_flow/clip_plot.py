"""Norm clipping: each step's gradient contribution ||(dJ/dtheta)^(t)|| as a stem and the summed
gradient Σ, on a log scale, against the session's threshold τ (red: the part clipping cuts off);
with clipping off the norms alone, no τ line. The cursor's step is banded."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ... import colors
from ...graphics.axes import set_log_axis, static_plot, style_axes
from ...graphics.labels import add_label, pt, set_label
from ...model.present import gradient_flow_text as words
from ...model.present.gradient_flow import ClipReport
from ...model.present.numbers import fmt, log10_or_nan, log_ticks

BOTTOM = "time step t  (Σ: the summed gradient the update uses)"
LEFT = "‖(∂J/∂θ)⁽ᵗ⁾‖"


class ClipPlot:
    """The caption at (caption_row, 0) and the plot at (row, 0) of ``layout``, both 2 wide."""

    def __init__(self, layout: pg.GraphicsLayout, caption_row: int, row: int):
        for _ in self._parts(layout, caption_row, row):
            pass

    def _parts(self, layout: pg.GraphicsLayout, caption_row: int, row: int):
        """Build it, yielding between the plot and its items (30 to 45 ms in all); see
        :func:`gui.views.base.build_in_parts`."""
        self.caption = add_label(layout, caption_row, 0, colspan=2)
        q = static_plot(layout, row, 0, colspan=2, enableMenu=False)
        q.setLabel("left", LEFT)
        q.setLabel("bottom", BOTTOM)
        self.plot = q
        yield
        self.kept_stems = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        self.cut_stems = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        self.heads = pg.ScatterPlotItem(size=7)
        for it in (self.kept_stems, self.cut_stems, self.heads):
            q.addItem(it)
        self.tau_line = pg.InfiniteLine(angle=0, movable=False)
        q.addItem(self.tau_line)
        self.tau_label = pg.TextItem(anchor=(1, 1))  # ends in the gap before Σ
        self.tau_label.setZValue(5)
        q.addItem(self.tau_label)
        self.band = pg.LinearRegionItem(movable=False)  # behind the cursor's stem
        self.band.setZValue(-10)
        q.addItem(self.band)
        self.band.setVisible(False)
        self.report: ClipReport | None = None
        self.marks = (np.zeros(0, bool), np.zeros(0))
        self.text = ""

    def draw(self, rep: ClipReport, T: int, theme, export: bool, *, compact: bool = False) -> None:
        """Stems 1..T and Σ of ``rep``, cut at τ where clipping cuts."""
        style_axes(self.plot, theme)
        self.report = rep
        x = np.append(np.arange(1, T + 1, dtype=float), T + 1.5)  # (T + 1,) steps, then the sum
        norms = np.append(rep.step_norms, rep.norm)  # (T + 1,)
        y = log10_or_nan(norms)
        fin = y[np.isfinite(y)]
        lt = np.log10(rep.threshold) if rep.on else None
        ref = [lt] if lt is not None else []
        lo = min([float(fin.min())] + ref if fin.size else ref or [0.0]) - 0.6
        hi = max([float(fin.max())] + ref if fin.size else ref or [0.0]) + 0.4
        y = np.where(np.isnan(y), lo, np.clip(y, lo, hi))  # zero norms sit on the floor
        scale = np.append(rep.step_scale, rep.scale)  # (T + 1,) what each bar is scaled by
        if rep.on and rep.mode == "global":
            # the whole g is scaled by τ/‖g‖: every step's contribution by the same factor
            cut = np.full(T + 1, bool(rep.clipped)) & np.isfinite(norms) & (norms > 0)
            scale = np.where(cut, rep.scale, 1.0)
            top = np.where(cut, np.clip(y + np.log10(rep.scale), lo, hi), y)
        elif rep.on:  # per step: each contribution cut at τ on its own; Σ of what is kept
            cut = np.append(rep.step_clipped, rep.clipped)  # (T + 1,) bool
            top = np.where(cut, lt, y)  # (T + 1,) the part clipping keeps
        else:
            cut = np.zeros(T + 1, bool)
            top = y
        w = (1.6 if export else 1.0) * float(np.clip(60 / (T + 2), 0.4, 1.0))
        kx = np.repeat(x, 2)
        ky = np.stack([np.full_like(x, lo), top], 1).ravel()
        self.kept_stems.setData(kx, ky, pen=colors.pen(words.KEPT_HEX, 5 * w))
        cx = np.repeat(x[cut], 2)
        cy = np.stack([top[cut], y[cut]], 1).ravel()  # the part clipping removes
        self.cut_stems.setData(cx, cy, pen=colors.pen(words.CLIPPED_HEX, 5 * w))
        self.heads.setData(x=x, y=y, pen=None, brush=[
            colors.brush(words.CLIPPED_HEX if c else words.KEPT_HEX) for c in cut])
        self.tau_line.setVisible(rep.on)
        self.tau_label.setVisible(rep.on)
        if rep.on:
            self.tau_line.setPen(colors.pen(theme.foreground, 1.5, 255, "dash"))
            self.tau_line.setPos(lt)
            mode = "" if rep.mode == "global" else ", per step"
            self.tau_label.fill = colors.brush(theme.background, 220)  # readable over stems
            self.tau_label.setText(f"τ = {fmt(rep.threshold)}{mode}", color=theme.foreground)
            self.tau_label.setPos(T + 1.2, lt)  # in the gap between the last step and the sum
        self.plot.setXRange(0.4, T + 2.1, padding=0)
        self.plot.setYRange(lo, hi, padding=0)
        set_log_axis(self.plot.getAxis("left"), lo, hi)
        # large type in a short plot: no room for the rotated title (the clipping line names
        # the bars) and only the end decades labelled, so the tick labels do not pile up
        self.plot.setLabel("left", "" if compact else LEFT)
        # the end decades sit at the plot's edges: let their labels reach past them, in an axis
        # wide enough for them (without a title the axis would not widen by itself)
        self.plot.getAxis("left").setStyle(
            hideOverlappingLabels=not compact,
            textFillLimits=[(0, 1.0)] if compact else [(0, 0.8), (2, 0.6), (4, 0.4), (6, 0.2)])
        self.plot.getAxis("left").setWidth(int(46 * theme.font_scale) if compact else None)
        if compact:
            major, minor = log_ticks(lo, hi)
            inside = [m for m in major if lo <= m[0] <= hi]  # the decades the plot shows
            ends = [inside[0], inside[-1]] if len(inside) > 2 else inside
            self.plot.getAxis("left").setTicks([ends, minor + [(v, "") for v, _ in major]])
        every = max(1, int(np.ceil(T / (10 if compact else 25))))
        self.plot.setLabel("bottom", "" if compact else BOTTOM)  # compact: the ticks say it
        ticks = [(float(s), str(s)) for s in range(1, T + 1, every)] + [(T + 1.5, "Σ")]
        self.plot.getAxis("bottom").setTicks([ticks, []])
        self.band.setBrush(colors.brush(theme.faint, 200))
        for line in self.band.lines:
            line.setPen(colors.pen(theme.background, 0.0, 0))
        self.marks = (cut, scale)
        self.text = words.short_clip_text(rep, T) if compact else words.clip_text(rep, T)

    def draw_cursor(self, phase: str, t: int, T: int, theme, *, compact: bool = False) -> None:
        """The band at the cursor's step (backward) or at Σ (update), and the caption."""
        if phase == "backward":
            self.band.setRegion((t - 0.4, t + 0.4))
            self.band.setVisible(True)
        elif phase == "update":
            self.band.setRegion((T + 1.1, T + 1.9))
            self.band.setVisible(True)
        else:
            self.band.setVisible(False)
        at = ("" if compact or self.report is None
              else words.clip_cursor_text(self.report, phase, t))
        set_label(self.caption, self.text + at, color=theme.foreground, size=pt(theme, 10))
