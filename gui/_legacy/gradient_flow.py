"""Vanishing and exploding gradients: how far back in time an error survives, and clipping.

Left, on a log scale against the distance d = t - k: the error ||dJ(t)/dh(k)|| from each loss
J(t) reaching the state d steps back (dots, and their geometric mean per d), the Jacobian
products ||dh(t)/dh(k)|| (the articles' prod W^T diag(g'(a(s)))) and, for an LSTM, the cell
highway ||dc(t)/dc(k)|| (the diag(f) path). Right, the Jacobian-product norms as heat maps over
(t, k), blue where they shrink, red where they grow. Below, norm clipping: each step's gradient
contribution ||(dJ/dtheta)^(t)|| and the summed gradient against the threshold tau.

The cursor marks its step: forward t the row t of the heat map (how h(t) depends on the past)
and its points on the curve; backward t the column k = t (every error arriving at h(t)), its
errors coloured by source J(s) as in the unfolded view, and the step's gradient contribution.

Everything drawn comes from gui.model.present.gradient_flow (flow_curves, cursor_points, clip_report, companion);
the Jacobian products of large sessions and the comparison model are computed off the GUI
thread.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.model.present import gradient_flow as compare

from .. import colors
from ..worker import Worker
from . import register
from .base import View, make_canvas
from .legend import ColorBar, fmt

HIGHWAY_HEX = "#6a3d9a"  # not one of the source hues: the LSTM's cell highway
CLIPPED_HEX = "#b2182b"  # the diverging map's red: the part clipping would cut off
KEPT_HEX = "#4393c3"
MAX_DECADES = 8.0  # heat-map colour range, in decades either side of 1
MAPS = 3  # heat-map slots: the session's (1 or 2) and the comparison model's (1 or 2)


def _log10(v: np.ndarray) -> np.ndarray:
    """log10 of norms, NaN where the norm is 0 or NaN (nothing to draw), +-inf kept."""
    v = np.asarray(v, dtype=float)
    out = np.full(v.shape, np.nan)
    with np.errstate(all="ignore"):
        ok = (v > 0) | np.isinf(v)
        out[ok] = np.log10(v[ok])
    return out


SUP = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077"
                    "\u2078\u2079")


def decade_label(n: int) -> str:
    """10^n as a reader writes it: 0.01, 0.1, 1, 10, 100, else 10 with a superscript."""
    if -2 <= n <= 2:
        return {-2: "0.01", -1: "0.1", 0: "1", 1: "10", 2: "100"}[n]
    return "10" + str(n).translate(SUP)


def log_ticks(lo: float, hi: float) -> list:
    """Axis ticks for log10 data spanning [lo, hi]: labelled decades, unlabelled 2..9 between."""
    a, b = int(np.floor(lo)), int(np.ceil(hi))
    every = max(1, int(np.ceil((b - a) / 8)))
    major = [(float(n), decade_label(n)) for n in range(a, b + 1) if n % every == 0]
    minor = []
    if b - a <= 4:
        minor = [(n + float(np.log10(m)), "") for n in range(a, b) for m in range(2, 10)]
    return [major, minor]


def _trend(rate: float) -> str:
    if not np.isfinite(rate):
        return ""
    if rate < 0.97:
        return "vanishing"
    if rate > 1.03:
        return "exploding"
    return "about steady"


def _radius_text(kind: str, radius: float) -> str:
    if kind == "SimpleRNN":
        return f"spectral radius ρ(W) = {radius:.2f}"
    return f"‖[R<sub>z</sub>; R<sub>i</sub>; R<sub>f</sub>; R<sub>o</sub>]‖₂ = {radius:.2f}"


class WrapLabel(pg.GraphicsWidget):
    """Rich text that wraps to the width the layout gives it (a LabelItem insists on its text's
    width and would push the whole layout wider than the window)."""

    def __init__(self):
        super().__init__()
        self.item = QtWidgets.QGraphicsTextItem(self)
        self.text = ""
        self._html = None
        self.setMinimumWidth(60)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Fixed)

    def setText(self, text: str, color: str, size: str = "10pt") -> None:  # noqa: N802
        html = f"<div style='color:{color}; font-size:{size}'>{text}</div>"
        self.text = text
        if html != self._html:
            self._html = html
            self.item.setHtml(html)
            self._fit()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        self._fit()

    def _fit(self) -> None:
        w = self.size().width()
        if w < 10:
            w = 800.0  # not laid out yet
        if abs(self.item.textWidth() - w) > 0.5:
            self.item.setTextWidth(w)
        h = float(np.ceil(self.item.boundingRect().height()))
        if abs(h - self.minimumHeight()) > 0.5:
            self.setMinimumHeight(h)
            self.setMaximumHeight(h)
            self.setPreferredHeight(h)
            self.updateGeometry()


class _HeatMap:
    """One heat map of norms over (t, k) with a cursor outline, in its own PlotItem."""

    def __init__(self, layout: pg.GraphicsLayout):
        self.plot = pg.PlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "k")
        self.plot.setLabel("left", "t")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.outline = pg.PlotCurveItem(connect="all", skipFiniteCheck=True)
        self.outline.setZValue(5)
        self.plot.addItem(self.outline)
        self.layout = layout
        self.shown = False
        self.rgba = np.zeros((1, 1, 4), np.uint8)
        self.T = 0

    def set(self, norms: np.ndarray, decades: float, title: str, fg: str) -> None:
        T = norms.shape[0]
        lg = _log10(norms)  # (T, T)
        idx = colors.signed_index(lg, decades)  # (T, T) NaN -> middle, inf -> grey
        rgba = np.zeros((T, T, 4), np.uint8)
        rgba[..., :3] = colors.rgb("diverging", idx)
        rgba[..., 3] = np.where(np.isnan(lg), 0, 255)  # k > t and zero norms: nothing
        self.rgba = rgba
        self.T = T
        self.image.setImage(rgba, levels=None)
        self.image.setRect(QtCore.QRectF(0.5, 0.5, T, T))
        self.plot.setRange(xRange=(0.5, T + 0.5), yRange=(0.5, T + 0.5), padding=0.02)
        self.plot.setTitle(title, color=fg, size="9pt")
        every = max(1, int(np.ceil(T / 8)))
        ticks = [[(s, str(s)) for s in range(1, T + 1, every)], []]
        self.plot.getAxis("bottom").setTicks(ticks)
        self.plot.getAxis("left").setTicks(ticks)

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


@register
class GradientFlowView(View):
    name = "gradient-flow"
    title = "Vanishing and exploding gradients"
    tabs = ("Gradient flow",)
    order = 0
    stretch = 1
    description = ("How errors shrink or grow as they travel back in time: ||dJ(t)/dh(k)|| "
                   "against t − k, the Jacobian products over (t, k), the LSTM's cell highway, "
                   "a second model of the other kind, and norm clipping.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self._worker = state.ext("gradient-flow.worker", Worker)
        self._worker.done.connect(self._on_job_done)
        self._worker.failed.connect(self._on_job_failed)
        self._jobs: dict[int, tuple] = {}  # running: job id -> (kind, argument)
        self._queued: dict[str, tuple] = {}  # kind -> (function, argument) to run next
        self._result = None
        self._cursor = None
        self._curves = None  # FlowCurves of self._result, or None while computing
        self._companion = None  # compare.Companion for self._result.config, or None
        self._clip = None  # compare.ClipReport
        self._export = False
        self.threshold = float(state.config.clip) if state.config.clip else 1.0
        self._build_controls()
        self.canvas = make_canvas(self.theme)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(self._controls)
        lay.addWidget(self.canvas, 1)
        self._build_plots()
        state.config_changed.connect(self._sync_controls)
        self._sync_controls(state.config)

    # -- construction ---------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.radius = QtWidgets.QDoubleSpinBox()
        self.radius.setRange(0.0, 3.0)
        self.radius.setDecimals(2)
        self.radius.setSingleStep(0.1)
        self.radius.setSpecialValueText("as initialised")
        self.radius.setToolTip("Rescale W (SimpleRNN) or every R (LSTM) to this radius, 0.5 to 3: "
                               "below 1 errors vanish, above 1 they can explode. Recomputes "
                               "the session.")
        self.radius.valueChanged.connect(self._on_radius_changed)
        self.compare = QtWidgets.QCheckBox("Compare with LSTM")
        self.compare.setToolTip("Run a model of the other kind (SimpleRNN ↔ LSTM) on the same "
                                "input, same H and radius, and draw it beside this one (dashed)")
        self.compare.toggled.connect(self._on_compare_toggled)
        self.tau = QtWidgets.QDoubleSpinBox()
        self.tau.setRange(0.001, 1e5)
        self.tau.setDecimals(3)
        self.tau.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.tau.setValue(self.threshold)
        self.tau.setToolTip("Clipping threshold τ: a gradient g with ‖g‖ > τ is rescaled to "
                            "g τ/‖g‖")
        self.tau.valueChanged.connect(self._on_threshold_changed)
        self.apply_clip = QtWidgets.QCheckBox("clip the update")
        self.apply_clip.setToolTip("Clip the session's one update at τ (the update phase and the "
                                   "other views follow)")
        self.apply_clip.toggled.connect(self._on_apply_clip_toggled)
        self.busy = QtWidgets.QLabel("")
        c = QtWidgets.QHBoxLayout()
        c.setContentsMargins(6, 3, 6, 3)
        c.addWidget(QtWidgets.QLabel("Radius"))
        c.addWidget(self.radius)
        c.addSpacing(12)
        c.addWidget(self.compare)
        c.addSpacing(12)
        c.addWidget(QtWidgets.QLabel("Clip at τ ="))
        c.addWidget(self.tau)
        c.addWidget(self.apply_clip)
        c.addStretch(1)
        c.addWidget(self.busy)
        self._controls = c

    def _build_plots(self) -> None:
        ci = self.canvas.ci
        self.caption = WrapLabel()
        ci.addItem(self.caption, row=0, col=0, colspan=2)
        self.cursor_caption = WrapLabel()
        ci.addItem(self.cursor_caption, row=1, col=0, colspan=2)
        # the distance plot, its legend below it
        p = ci.addPlot(row=2, col=0)
        p.setMenuEnabled(False)
        p.hideButtons()
        p.setMouseEnabled(False, False)
        p.setLabel("bottom", "distance t − k (steps back in time)")
        p.setLabel("left", "norm (log scale)")
        p.showGrid(x=False, y=True, alpha=0.25)
        self.dist_plot = p
        self.err_dots = pg.ScatterPlotItem(size=4, pen=None)
        self.err_dots.setZValue(1)
        p.addItem(self.err_dots)
        self.curve_items = {}
        for key in ("error", "jacobian", "highway", "c_error", "c_jacobian", "c_highway"):
            item = pg.PlotDataItem()
            item.setZValue(3)
            p.addItem(item)
            self.curve_items[key] = item
        self.fit_line = pg.PlotDataItem()
        self.fit_line.setZValue(2)
        p.addItem(self.fit_line)
        self.cursor_dots = pg.ScatterPlotItem(size=10)
        self.cursor_dots.setZValue(6)
        p.addItem(self.cursor_dots)
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=3)
        ci.addItem(self.legend, row=3, col=0, colspan=2)
        self._legend_key = None
        # the heat maps, with their colour bar
        right = ci.addLayout(row=2, col=1)
        self.maps_layout = right.addLayout(row=0, col=0)
        self.maps = [_HeatMap(self.maps_layout) for _ in range(MAPS)]
        self._maps_key = None
        self.map_bar = ColorBar(right, row=1, col=0, width_px=260)
        # clipping
        self.clip_caption = WrapLabel()
        ci.addItem(self.clip_caption, row=4, col=0, colspan=2)
        q = ci.addPlot(row=5, col=0, colspan=2)
        q.setMenuEnabled(False)
        q.hideButtons()
        q.setMouseEnabled(False, False)
        q.setLabel("left", "‖(∂J/∂θ)⁽ᵗ⁾‖")
        q.setLabel("bottom", "time step t  (Σ: the summed gradient the update uses)")
        self.clip_plot = q
        self.kept_stems = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        self.cut_stems = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        self.clip_heads = pg.ScatterPlotItem(size=7)
        for it in (self.kept_stems, self.cut_stems, self.clip_heads):
            q.addItem(it)
        self.tau_line = pg.InfiniteLine(angle=0, movable=False)
        q.addItem(self.tau_line)
        self.tau_label = pg.TextItem(anchor=(0, 1))
        q.addItem(self.tau_label)
        self.clip_cursor = pg.LinearRegionItem(movable=False)  # a band behind the step's stem
        self.clip_cursor.setZValue(-10)
        for line in self.clip_cursor.lines:
            line.setPen(colors.pen(self.theme.background, 0.0, 0))
        q.addItem(self.clip_cursor)
        self.clip_cursor.setVisible(False)
        ci.layout.setRowStretchFactor(2, 5)
        ci.layout.setRowStretchFactor(5, 2)
        ci.layout.setColumnStretchFactor(0, 1)
        ci.layout.setColumnStretchFactor(1, 1)
        self._style_axes()

    def _style_axes(self) -> None:
        th = self.theme
        for plot in [self.dist_plot, self.clip_plot] + [m.plot for m in self.maps]:
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                ax.setPen(colors.pen(th.muted))
                ax.setTextPen(colors.pen(th.foreground))
        self.tau_line.setPen(colors.pen(th.foreground, 1.5, 255, "dash"))
        self.clip_cursor.setBrush(colors.brush(th.faint, 200))
        for m in self.maps:
            m.outline.setPen(colors.pen(th.highlight, 2.0))

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        self._legend_key = None
        if self._result is not None:
            self._draw_static()
            self._draw_cursor(self._cursor)

    # -- controls -----------------------------------------------------------------------------
    def _sync_controls(self, config) -> None:
        for w in (self.radius, self.apply_clip, self.tau):
            w.blockSignals(True)
        try:
            self.radius.setValue(config.radius if config.radius is not None else 0.0)
            self.apply_clip.setChecked(config.clip is not None)
            if config.clip is not None:
                self.threshold = float(config.clip)
                self.tau.setValue(self.threshold)
        finally:
            for w in (self.radius, self.apply_clip, self.tau):
                w.blockSignals(False)

    def _on_radius_changed(self, value: float) -> None:
        radius = None if value <= 0 else round(float(value), 2)
        if radius != self.state.config.radius:
            self.state.update_config(radius=radius)

    def set_radius(self, radius: float | None) -> None:
        """Scale the recurrent weights to ``radius`` (what the spin box does)."""
        self.radius.setValue(radius if radius is not None else 0.0)

    def options(self) -> dict:
        """What a session saves of this view: the comparison and the clipping threshold."""
        return {"compare": self.compare.isChecked(), "threshold": float(self.tau.value())}

    def set_options(self, options: dict) -> None:
        if "compare" in options:
            self.compare.setChecked(bool(options["compare"]))
        if "threshold" in options:
            self.tau.setValue(float(options["threshold"]))

    def _on_compare_toggled(self, on: bool) -> None:
        if not on:
            self._companion = None
        if self._result is not None:
            self._request_companion()
            self._draw_static()
            self._draw_cursor(self._cursor)

    def _on_threshold_changed(self, value: float) -> None:
        self.threshold = float(value)
        if self.apply_clip.isChecked():
            self.state.update_config(clip=self.threshold)
        if self._result is not None:
            self._draw_clipping()
            self._draw_cursor(self._cursor)

    def _on_apply_clip_toggled(self, on: bool) -> None:
        self.state.update_config(clip=self.threshold if on else None)

    # -- background work ------------------------------------------------------------------------
    # At most one job of each kind runs; a newer request waits in its place (the latest only),
    # so that stepping through sizes does not queue seconds of stale work.
    def _submit(self, what: str, fn, arg) -> None:
        if any(w == what for w, _ in self._jobs.values()):
            self._queued[what] = (fn, arg)
        else:
            self._jobs[self._worker.submit(fn, arg)] = (what, arg)
        self._update_busy()

    def _wanted(self, what: str, arg) -> bool:
        """Whether a job's argument still matches what the view shows."""
        if self._result is None:
            return False
        if what == "flow":
            return arg is self._result and self._curves is None
        return self.compare.isChecked() and arg == self._result.config

    def _pending(self, what: str) -> list:
        args = [arg for w, arg in self._jobs.values() if w == what]
        return args + ([self._queued[what][1]] if what in self._queued else [])

    def _update_busy(self) -> None:
        kinds = {w for w, _ in self._jobs.values()}
        text = []
        if "flow" in kinds:
            text.append("computing the Jacobian products…")
        if "companion" in kinds:
            text.append("running the other model…")
        self.busy.setText(" ".join(text))

    def _request_companion(self) -> None:
        if not self.compare.isChecked() or self._result is None:
            return
        config = self._result.config
        if self._companion is not None and self._companion.config == config:
            return
        if config in self._pending("companion"):
            return
        self._companion = None
        self._submit("companion", compare.companion, config)

    def _start_queued(self, what: str) -> None:
        fn, arg = self._queued.pop(what, (None, None))
        if fn is not None and self._wanted(what, arg):
            self._jobs[self._worker.submit(fn, arg)] = (what, arg)

    def _on_job_done(self, job_id: int, value) -> None:
        if job_id not in self._jobs:
            return  # not ours
        what, arg = self._jobs.pop(job_id)
        self._start_queued(what)
        self._update_busy()
        if not self._wanted(what, arg):
            return  # stale
        if what == "flow":
            self._curves = value
        else:
            self._companion = value
        self._draw_static()
        self._draw_cursor(self._cursor)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        if job_id in self._jobs:
            what, _ = self._jobs.pop(job_id)
            self._start_queued(what)
            self._update_busy()
            self.busy.setText(f"failed: {message}")

    def wait_ready(self, msecs: int = 60_000) -> bool:
        if self._result is None and self.state.result is not None:
            self.refresh()  # never drawn (headless export): start its work, then wait
        deadline = QtCore.QDeadlineTimer(msecs)
        while self._jobs and not deadline.hasExpired():
            self._worker.wait(max(1, int(deadline.remainingTime())))
            QtCore.QCoreApplication.processEvents()
        return not self._jobs

    # -- rendering ------------------------------------------------------------------------------
    def render(self, result, cursor) -> None:
        if result is None:
            return
        if result is not self._result:
            self._set_result(result)
        self._cursor = cursor
        self._draw_cursor(cursor)

    def _set_result(self, result) -> None:
        self._result = result
        other = compare.other_kind(result.config).model
        self.compare.setText(f"Compare with {other}")
        self._curves = None
        if compare.flow_cost(result) <= compare.SYNC_COST:
            self._curves = compare.flow_curves(result)
        elif result not in self._pending("flow"):
            self._submit("flow", compare.flow_curves, result)
        if self._companion is not None and self._companion.config != result.config:
            self._companion = None
        self._request_companion()
        self._draw_static()

    def _draw_static(self) -> None:
        """Everything that depends on the session, not on the cursor."""
        result, cu = self._result, self._curves
        fg = self.theme.foreground
        comp = self._companion.curves if self._companion is not None else None
        self._draw_legend(result, comp)
        if cu is None:
            for item in self.curve_items.values():
                item.setData([], [])
            self.err_dots.setData([], [])
            self.fit_line.setData([], [])
            for m in self.maps:
                m.image.clear()
                m.outline.setData([], [])
            self.caption.setText(f"<b>{result.kind}</b>, T = {result.T}, H = "
                                 f"{result.forward.n_hidden}: computing the Jacobian products "
                                 "over all (t, k)…", color=fg, size="11pt")
            self._draw_clipping()
            return
        self._draw_curves(cu, comp)
        self._draw_maps(cu, comp)
        self.caption.setText(self._readout(cu, comp), color=fg, size="11pt")
        self._draw_clipping()

    def _curve_style(self, key: str):
        th = self.theme
        w = 2.6 if self._export else 2.0
        base, dash = key.removeprefix("c_"), key.startswith("c_")
        hexes = {"error": th.foreground, "jacobian": th.recurrent, "highway": HIGHWAY_HEX}
        pen = colors.pen(hexes[base], w, 255, "dash" if dash else "solid")
        symbol = {"error": "o", "jacobian": "s", "highway": "t"}[base]
        return pen, symbol, hexes[base]

    def _draw_curves(self, cu, comp) -> None:
        d = cu.distance
        pairs = {"error": cu.error_curve, "jacobian": cu.jacobian_curve,
                 "highway": cu.highway_curve}
        if comp is not None:
            pairs.update({"c_error": comp.error_curve, "c_jacobian": comp.jacobian_curve,
                          "c_highway": comp.highway_curve})
        for key, item in self.curve_items.items():
            curve = pairs.get(key)
            if curve is None:
                item.setData([], [])
                continue
            y = _log10(curve)
            ok = np.isfinite(y)
            pen, symbol, hexc = self._curve_style(key)
            fill = self.theme.background if key.startswith("c_") else hexc  # hollow: the other
            item.setData(d[ok], y[ok], pen=pen, symbol=symbol if cu.T <= 30 else None,
                         symbolSize=6, symbolPen=colors.pen(hexc),
                         symbolBrush=colors.brush(fill))
        # every error ||dJ(s)/dh(k)|| as a faint dot at its distance s - k
        E = cu.error
        s_idx, k_idx = np.nonzero(np.tril(np.ones_like(E, dtype=bool)))
        v = _log10(E[s_idx, k_idx])
        ok = np.isfinite(v)
        self.err_dots.setData(x=(s_idx - k_idx)[ok], y=v[ok],
                              brush=colors.brush(self.theme.muted, 90))
        c0, rate = compare.geometric_fit(cu.jacobian_curve)
        if np.isfinite(rate) and rate > 0:
            y = np.log10(c0) + d * np.log10(rate)  # (T,) the fitted c0 rate^d
            self.fit_line.setData(d, y, pen=colors.pen(self.theme.recurrent, 1.0, 200, "dash"))
        else:
            self.fit_line.setData([], [])
        self.dist_plot.setXRange(-0.3, max(cu.T - 1, 1) + 0.3, padding=0)
        ys = [it.getData()[1] for it in self.curve_items.values()] + [v[ok]]
        ys = np.concatenate([y for y in ys if y is not None and len(y)] or [np.zeros(1)])
        ys = ys[np.isfinite(ys)]
        lo, hi = (float(ys.min()), float(ys.max())) if ys.size else (-1.0, 1.0)
        self.dist_plot.setYRange(lo - 0.15, hi + 0.15, padding=0)
        self.dist_plot.getAxis("left").setTicks(log_ticks(lo - 0.15, hi + 0.15))

    def _draw_legend(self, result, comp) -> None:
        kind = result.kind
        other = None if comp is None else comp.kind
        key = (kind, other, self.theme.name)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        self.legend.setLabelTextColor(self.theme.foreground)
        st = "h" if kind == "SimpleRNN" else "y"
        entries = [("error", f"{kind} ‖∂J(t)/∂{st}(k)‖: dots each t, line their mean"),
                   ("jacobian", f"{kind} ‖∂{st}(t)/∂{st}(k)‖ (thin dashed: fitted rate)")]
        if kind == "LSTM":
            entries.append(("highway", "LSTM highway ‖∂c(t)/∂c(k)‖, the diag(f) path"))
        if other is not None:
            so = "h" if other == "SimpleRNN" else "y"
            entries += [("c_error", f"{other}* ‖∂J(t)/∂{so}(k)‖ (*: same input, dashed)"),
                        ("c_jacobian", f"{other}* ‖∂{so}(t)/∂{so}(k)‖")]
            if other == "LSTM":
                entries.append(("c_highway", "LSTM* highway ‖∂c(t)/∂c(k)‖"))
        for k, text in entries:
            pen, symbol, hexc = self._curve_style(k)
            fill = self.theme.background if k.startswith("c_") else hexc
            sample = pg.PlotDataItem([0, 1], [0, 0], pen=pen, symbol=symbol,
                                     symbolPen=colors.pen(hexc), symbolBrush=colors.brush(fill))
            self.legend.addItem(sample, text)

    def _map_specs(self, cu, comp):
        specs = [(cu.jacobian, f"{cu.kind} ‖∂{cu.state}(t)/∂{cu.state}(k)‖")]
        if cu.highway is not None:
            specs.append((cu.highway, "LSTM highway ‖∂c(t)/∂c(k)‖"))
        if comp is not None:
            specs.append((comp.jacobian, f"{comp.kind}* ‖∂{comp.state}(t)/∂{comp.state}(k)‖"))
            if comp.highway is not None and len(specs) < MAPS:
                specs.append((comp.highway, "LSTM* highway ‖∂c(t)/∂c(k)‖"))
        return specs[:MAPS]

    def _draw_maps(self, cu, comp) -> None:
        specs = self._map_specs(cu, comp)
        # one colour scale for all maps, so that they compare
        lg = np.concatenate([_log10(M).ravel() for M, _ in specs])
        lg = np.abs(lg[np.isfinite(lg)])
        decades = float(np.clip(np.ceil(lg.max()) if lg.size else 1.0, 1.0, MAX_DECADES))
        self.decades = decades
        key = len(specs)
        if key != self._maps_key:
            for m in self.maps:
                if m.shown:
                    self.maps_layout.removeItem(m.plot)
                    m.shown = False
            for i in range(key):
                self.maps_layout.addItem(self.maps[i].plot, row=0, col=i)
                self.maps_layout.layout.setColumnStretchFactor(i, 1)
                self.maps[i].shown = True
            self._maps_key = key
        fg = self.theme.foreground
        for m, (M, title) in zip(self.maps, specs, strict=False):
            m.set(M, decades, title, fg)
        self.map_bar.set("diverging", "‖product‖: blue shrinks, red grows",
                         decade_label(-int(decades)), "1", decade_label(int(decades)), fg)

    def _readout(self, cu, comp) -> str:
        parts = [self._model_readout(cu, "this session")]
        if comp is not None:
            parts.append(self._model_readout(comp, "*, same input and H"))
        elif self.compare.isChecked():
            parts.append("the other model: running…")
        return "<br>".join(parts)

    @staticmethod
    def _model_readout(cu, label: str) -> str:
        st = cu.state
        s = (f"<b>{cu.kind}</b> ({label}): {_radius_text(cu.kind, cu.radius)} · "
             f"‖∂{st}(t)/∂{st}(k)‖ ×{fmt(cu.slope)} per step ({_trend(cu.slope)}) · "
             f"‖∂J(t)/∂{st}(k)‖ ×{fmt(cu.error_slope)} per step")
        if cu.highway_curve is not None:
            s += f" · highway ‖∂c(t)/∂c(k)‖ ×{fmt(cu.highway_slope)} per step"
        return s

    def _draw_clipping(self) -> None:
        result = self._result
        bt = result.backward
        rep = compare.clip_report(bt, self.threshold)
        self._clip = rep
        T = result.T
        x = np.append(np.arange(1, T + 1, dtype=float), T + 1.5)  # (T + 1,) steps, then the sum
        norms = np.append(rep.step_norms, rep.norm)  # (T + 1,)
        y = _log10(norms)
        lt = np.log10(self.threshold)
        fin = y[np.isfinite(y)]
        lo = min(float(fin.min()) if fin.size else lt, lt) - 0.6
        hi = max(float(fin.max()) if fin.size else lt, lt) + 0.4
        y = np.where(np.isnan(y), lo, np.clip(y, lo, hi))  # zero norms sit on the floor
        top = np.minimum(y, lt)  # (T + 1,) the part clipping keeps
        cut = y > lt  # (T + 1,) bool
        w = (1.6 if self._export else 1.0) * float(np.clip(60 / (T + 2), 0.4, 1.0))
        kept = np.stack([np.stack([x, np.full_like(x, lo)], 1), np.stack([x, top], 1)], 1)
        self.kept_stems.setData(kept[:, :, 0].ravel(), kept[:, :, 1].ravel(),
                                pen=colors.pen(KEPT_HEX, 5 * w))
        ex = np.stack([np.stack([x[cut], np.full(cut.sum(), lt)], 1),
                       np.stack([x[cut], y[cut]], 1)], 1)
        self.cut_stems.setData(ex[:, :, 0].ravel(), ex[:, :, 1].ravel(),
                               pen=colors.pen(CLIPPED_HEX, 5 * w))
        self.clip_heads.setData(x=x, y=y, brush=[colors.brush(CLIPPED_HEX if c else KEPT_HEX)
                                                 for c in cut], pen=None)
        self.tau_line.setPos(lt)
        self.tau_label.setText(f"τ = {fmt(self.threshold)}", color=self.theme.foreground)
        self.tau_label.setPos(T + 0.5, lt)  # in the gap between the last step and the sum
        self.clip_plot.setXRange(0.4, T + 2.1, padding=0)
        self.clip_plot.setYRange(lo, hi, padding=0)
        self.clip_plot.getAxis("left").setTicks(log_ticks(lo, hi))
        every = max(1, int(np.ceil(T / 25)))
        ticks = [(float(s), str(s)) for s in range(1, T + 1, every)] + [(T + 1.5, "Σ")]
        self.clip_plot.getAxis("bottom").setTicks([ticks, []])
        self._clip_marks = (cut, np.append(rep.step_scale, rep.scale))
        if rep.clipped:
            glob = (f"‖∂J/∂θ‖ = {fmt(rep.norm)} > τ = {fmt(self.threshold)}: the update would be "
                    f"scaled by τ/‖g‖ = {fmt(rep.scale)} (cut by {fmt(100 * (1 - rep.scale))} %)")
        else:
            glob = (f"‖∂J/∂θ‖ = {fmt(rep.norm)} ≤ τ = {fmt(self.threshold)}: the update is not "
                    "clipped")
        per = (f"per step: {rep.n_clipped} of {T} contributions (∂J/∂θ)<sup>(t)</sup> exceed τ"
               if rep.n_clipped else "per step: no contribution exceeds τ")
        applied = (" · the session clips its update at "
                   f"{fmt(result.config.clip)}" if result.config.clip else "")
        self._clip_text = (f"<b>Clipping</b> · {glob} · {per} · "
                           f"<span style='color:{CLIPPED_HEX}'>■</span> cut off "
                           f"<span style='color:{KEPT_HEX}'>■</span> kept{applied}")

    def _draw_cursor(self, cursor) -> None:
        """What depends on the cursor: its points, the map outlines, the clipping marker."""
        fg = self.theme.foreground
        result, cu = self._result, self._curves
        phase, t = cursor.phase, cursor.t
        at = ""
        if phase == "backward":
            rep = self._clip
            n, sc = rep.step_norms[t - 1], rep.step_scale[t - 1]
            at = (f" · step t = {t}: ‖(∂J/∂θ)<sup>({t})</sup>‖ = {fmt(n)}"
                  + (f", clipped per step by ×{fmt(sc)}" if rep.step_clipped[t - 1] else ""))
            self.clip_cursor.setRegion((t - 0.4, t + 0.4))
            self.clip_cursor.setVisible(True)
        elif phase == "update":
            self.clip_cursor.setRegion((result.T + 1.1, result.T + 1.9))
            self.clip_cursor.setVisible(True)
        else:
            self.clip_cursor.setVisible(False)
        self.clip_caption.setText(self._clip_text + at, color=fg, size="10pt")
        self.cursor_caption.setText(self._cursor_text(result, cursor), color=fg, size="10pt")
        if cu is None:
            self.cursor_dots.setData([], [])
            return
        for m in self.maps:
            if m.shown:
                m.mark(phase, t)
        pts = compare.cursor_points(cu, phase, t)
        self._cursor_points = pts
        if pts.which == "":
            self.cursor_dots.setData([], [])
            return
        y = _log10(pts.value)
        ok = np.isfinite(y)
        if pts.which == "error":
            brushes = [colors.brush(colors.source_hex(int(s))) for s in pts.step[ok]]
        else:
            brushes = colors.brush(self.theme.recurrent)
        self.cursor_dots.setData(x=pts.distance[ok], y=y[ok], brush=brushes,
                                 pen=colors.pen(fg, 1.0))

    @staticmethod
    def _cursor_text(result, cursor) -> str:
        st = result.forward.state_name
        t = cursor.t
        if cursor.phase == "forward":
            return (f"forward t = {t}: large dots and the framed row, how {st}({t}) depends on "
                    f"each {st}(k), k ≤ {t}")
        if cursor.phase == "backward":
            return (f"backward t = {t}: large dots and the framed column, the error from each "
                    f"J(s), s ≥ {t}, reaching {st}({t}), coloured by source")
        return "update: the summed gradient Σ, clipped if it exceeds τ"

    # -- introspection for tests and export -----------------------------------------------------
    def curves(self):
        """The FlowCurves drawn (None while computing)."""
        return self._curves

    def companion(self):
        """The comparison model drawn (compare.Companion) or None."""
        return self._companion

    def drawn_curve(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of curve ``key`` as drawn: y is log10 of the norm."""
        x, y = self.curve_items[key].getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))

    def clip_marks(self) -> tuple[np.ndarray, np.ndarray]:
        """((T + 1,) bool clipped, (T + 1,) scale factor): steps 1..T, then the summed gradient."""
        return self._clip_marks

    def cursor_points(self):
        return self._cursor_points

    def readout_text(self) -> str:
        return self.caption.text

    def graphics_item(self):
        return self.canvas.ci

    def set_export_style(self, on: bool) -> None:
        self._export = on
        if self._result is not None:
            self._draw_static()
            self._draw_cursor(self._cursor)
