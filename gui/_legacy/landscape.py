"""The cliff: the loss of a one-unit RNN over its recurrent weight w and bias b (Pascanu, Mikolov
and Bengio 2013), with two gradient-descent paths from one start, unclipped and clipped; and the
same question asked of the session's model, the loss along a line through its weights.

Playback: the paths follow the window's playback cursor. Frame 0 shows the start, the last frame
(the session's update) the whole paths, and the frames between map linearly onto the steps
(``gui.model.present.landscape.step_at``). The view stays a pure renderer of (result, cursor): Space,
the arrow keys, the scrubber, export of frame k and the tests all drive it the same way, and no
second clock can drift from the window's. The price: a short session (small T) has 2T + 1 frames,
so one frame may advance the paths by several steps.

Everything drawn comes from ``gui.model.present.landscape`` (surface, contours, paths, the session line),
computed off the GUI thread and cached.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.model.cursor import Cursor
from gui.model.present.landscape import CliffSettings, cliff_scene, session_line, step_at
from sim import landscape

from .. import colors
from ..worker import Worker
from . import register
from .base import View, make_canvas
from .gradient_flow import decade_label
from .legend import ColorBar, fmt, set_label
from .training import log_axis_ticks, plain_numbers

UNCLIPPED_HEX = "#D55E00"  # Okabe-Ito vermillion: the path that jumps
CLIPPED_HEX = "#56B4E9"  # Okabe-Ito sky blue: the clipped path
HALO_HEX = "#ffffff"
MODES = (("Cliff: one-unit RNN", "cliff"), ("Line through the session's model", "line"))
TABLE = "viridis"


def heat_rgba(log10_L: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """(n_w, n_b, 4) uint8 image of (n_b, n_w) log10 losses on [lo, hi] (x = w first, as
    pyqtgraph's ImageItem wants); non-finite cells grey."""
    x = (np.asarray(log10_L, dtype=float) - lo) / (hi - lo)  # (n_b, n_w) in [0, 1] on the scale
    with np.errstate(invalid="ignore"):
        idx = np.round(np.clip(x, 0, 1) * (colors.LEVELS - 1))
    idx = np.where(np.isfinite(x), idx, colors.NONFINITE).astype(np.int64)  # (n_b, n_w)
    rgba = np.empty(idx.shape + (4,), np.uint8)  # (n_b, n_w, 4)
    rgba[..., :3] = colors.rgb(TABLE, idx)
    rgba[..., 3] = 255
    return np.ascontiguousarray(rgba.transpose(1, 0, 2))  # (n_w, n_b, 4)


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

    def set(self, pts: np.ndarray, width: float) -> None:
        x, y = pts[:, 0], pts[:, 1]
        self.halo.setData(x, y, pen=colors.pen(HALO_HEX, width + 2.5, 200))
        self.line.setData(x, y, pen=colors.pen(self.hex, width))
        self.points.setData(x, y)
        self.head.setData(x[-1:], y[-1:])


@register
class LandscapeView(View):
    name = "landscape"
    title = "Loss landscape"
    tabs = ("Landscape",)
    order = 0
    description = ("The cliff of a one-unit RNN's loss over (w, b), with gradient descent jumping "
                   "off it and clipped descent not; and the loss along a line through the "
                   "session's model.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.settings = CliffSettings()
        self.mode = "cliff"
        self.span: float | None = None  # None: automatic
        self.scene = None
        self.line = None
        self._line_for = None  # (result, span) the drawn line belongs to
        self._result = None
        self._cursor = Cursor()
        self._export = False
        self._syncing = False
        self._jobs: dict[int, tuple] = {}
        self._worker = Worker(self)
        self._worker.done.connect(self._on_job_done)
        self._worker.failed.connect(self._on_job_failed)
        self._build_controls()
        self.stack = QtWidgets.QStackedWidget()
        self._build_cliff()
        self._build_line()
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.bar)
        lay.addWidget(self.stack, 1)
        self._style_axes()
        self._sync_controls()
        self._request_scene()

    # -- construction ---------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.bar = QtWidgets.QWidget()
        h = QtWidgets.QHBoxLayout(self.bar)
        h.setContentsMargins(6, 3, 6, 3)
        self.mode_box = QtWidgets.QComboBox()
        for label, value in MODES:
            self.mode_box.addItem(label, value)
        h.addWidget(self.mode_box)
        self.cliff_controls = QtWidgets.QWidget()
        c = QtWidgets.QHBoxLayout(self.cliff_controls)
        c.setContentsMargins(8, 0, 0, 0)
        self.T = QtWidgets.QSpinBox()
        self.T.setRange(1, 200)
        self.T.setToolTip("Sequence length T: x(t) = w σ(x(t−1)) + b for t = 1..T")
        self.target = QtWidgets.QDoubleSpinBox()
        self.target.setRange(-5.0, 5.0)
        self.target.setSingleStep(0.1)
        self.target.setToolTip("The loss is (x(T) − target)²")
        self.lr = QtWidgets.QDoubleSpinBox()
        self.lr.setDecimals(3)
        self.lr.setRange(0.001, 5.0)
        self.lr.setSingleStep(0.01)
        self.lr.setToolTip("Learning rate η of both paths")
        self.clip = QtWidgets.QDoubleSpinBox()
        self.clip.setRange(0.01, 1000.0)
        self.clip.setSingleStep(0.5)
        self.clip.setToolTip("Clipping threshold τ of the clipped path: no step is longer "
                             "than τ·η")
        self.steps = QtWidgets.QSpinBox()
        self.steps.setRange(1, 200)
        self.steps.setToolTip("Gradient-descent steps of each path")
        self.default_button = QtWidgets.QPushButton("Default")
        self.default_button.setToolTip("Pascanu et al.'s setting with a start above the cliff")
        for label, w in (("T", self.T), ("target", self.target), ("η", self.lr),
                         ("τ", self.clip), ("steps", self.steps)):
            c.addWidget(QtWidgets.QLabel(label))
            c.addWidget(w)
        c.addWidget(self.default_button)
        self.start_label = QtWidgets.QLabel()
        c.addWidget(self.start_label)
        h.addWidget(self.cliff_controls)
        self.line_controls = QtWidgets.QWidget()
        lc = QtWidgets.QHBoxLayout(self.line_controls)
        lc.setContentsMargins(8, 0, 0, 0)
        self.span_box = QtWidgets.QDoubleSpinBox()
        self.span_box.setRange(0.0, 100.0)
        self.span_box.setDecimals(2)
        self.span_box.setSingleStep(0.1)
        self.span_box.setSpecialValueText("auto")
        self.span_box.setToolTip("Half-width of the α range (auto: 1.5 × the update's length)")
        lc.addWidget(QtWidgets.QLabel("α range ±"))
        lc.addWidget(self.span_box)
        h.addWidget(self.line_controls)
        h.addStretch(1)
        self.busy = QtWidgets.QLabel()
        h.addWidget(self.busy)
        self.mode_box.currentIndexChanged.connect(self._on_mode_changed)
        for w in (self.T, self.steps):
            w.valueChanged.connect(self._on_settings_changed)
        for w in (self.target, self.lr, self.clip):
            w.valueChanged.connect(self._on_settings_changed)
        self.default_button.clicked.connect(self._on_default)
        self.span_box.valueChanged.connect(self._on_span_changed)

    def _build_cliff(self) -> None:
        self.canvas = make_canvas(self.theme)
        ci = self.canvas.ci
        self.caption = ci.addLabel("", row=0, col=0, colspan=2, justify="left")
        m = ci.addPlot(row=1, col=0, rowspan=2)
        m.setMenuEnabled(False)
        m.hideButtons()
        m.setMouseEnabled(False, False)
        m.setLabel("bottom", "recurrent weight w")
        m.setLabel("left", "bias b")
        self.map_plot = m
        self.image = pg.ImageItem()
        m.addItem(self.image)
        self.contours = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True)
        m.addItem(self.contours)
        self.unclipped = _Path(m, UNCLIPPED_HEX)
        self.clipped = _Path(m, CLIPPED_HEX)
        self.start_mark = pg.ScatterPlotItem(size=16, symbol="star")
        self.start_mark.setZValue(12)
        m.addItem(self.start_mark)
        m.scene().sigMouseClicked.connect(self._on_map_clicked)
        self.loss_plot = ci.addPlot(row=1, col=1)
        self.loss_plot.setLabel("left", "loss L (log)")
        self.step_plot = ci.addPlot(row=2, col=1)
        self.step_plot.setLabel("left", "step ‖Δ(w, b)‖ (log)")
        self.step_plot.setLabel("bottom", "step")
        self.step_plot.setXLink(self.loss_plot)
        self.path_loss = {k: pg.PlotDataItem() for k in ("unclipped", "clipped")}
        self.path_step = {k: pg.PlotDataItem() for k in ("unclipped", "clipped")}
        for k in ("unclipped", "clipped"):
            self.loss_plot.addItem(self.path_loss[k])
            self.step_plot.addItem(self.path_step[k])
        self.max_step_line = pg.InfiniteLine(angle=0, movable=False)
        self.step_plot.addItem(self.max_step_line)
        self.cursor_lines = [pg.InfiniteLine(angle=90, movable=False) for _ in range(2)]
        self.loss_plot.addItem(self.cursor_lines[0])
        self.step_plot.addItem(self.cursor_lines[1])
        for p in (self.loss_plot, self.step_plot):
            p.setMenuEnabled(False)
            p.hideButtons()
            p.setMouseEnabled(False, False)
            p.showGrid(x=True, y=True, alpha=0.15)
        self.color_bar = ColorBar(ci, row=3, col=0, width_px=300)
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=2)
        ci.addItem(self.legend, row=3, col=1)
        self._legend_samples = {
            "unclipped": pg.PlotDataItem(pen=colors.pen(UNCLIPPED_HEX, 2.5), symbol="o",
                                         symbolBrush=UNCLIPPED_HEX, symbolPen=None, symbolSize=7),
            "clipped": pg.PlotDataItem(pen=colors.pen(CLIPPED_HEX, 2.5), symbol="o",
                                       symbolBrush=CLIPPED_HEX, symbolPen=None, symbolSize=7),
            "start": pg.PlotDataItem(pen=None, symbol="star", symbolSize=12),
            "contour": pg.PlotDataItem(),
            "max": pg.PlotDataItem(),
        }
        self._legend_key = None
        ci.layout.setColumnStretchFactor(0, 3)
        ci.layout.setColumnStretchFactor(1, 2)
        ci.layout.setRowStretchFactor(1, 5)
        ci.layout.setRowStretchFactor(2, 4)
        self.legend.setMaximumHeight(110)
        self.stack.addWidget(self.canvas)
        self._style_axes()

    def _build_line(self) -> None:
        self.line_canvas = make_canvas(self.theme)
        ci = self.line_canvas.ci
        self.line_caption = ci.addLabel("", row=0, col=0, justify="left")
        p = ci.addPlot(row=1, col=0)
        p.setMenuEnabled(False)
        p.hideButtons()
        p.setMouseEnabled(False, False)
        p.showGrid(x=True, y=True, alpha=0.15)
        p.setLabel("bottom", "α: distance from θ along −g/‖g‖ (steepest descent)")
        p.setLabel("left", "loss J(θ − α g/‖g‖)")
        self.line_plot = p
        self.line_curve = pg.PlotDataItem()
        self.tangent = pg.PlotDataItem()
        p.addItem(self.tangent)
        p.addItem(self.line_curve)
        self.here = pg.ScatterPlotItem(size=12, symbol="o", pen=None)
        self.update_mark = pg.ScatterPlotItem(size=14, symbol="t", pen=None,
                                              brush=colors.brush(UNCLIPPED_HEX))
        self.clipped_mark = pg.ScatterPlotItem(size=14, symbol="t", pen=None,
                                               brush=colors.brush(CLIPPED_HEX))
        for it in (self.here, self.update_mark, self.clipped_mark):
            it.setZValue(5)
            p.addItem(it)
        self.line_legend = pg.LegendItem(labelTextSize="9pt", colCount=2)
        ci.addItem(self.line_legend, row=2, col=0)
        self._line_legend_key = None
        self.stack.addWidget(self.line_canvas)

    def _style_axes(self) -> None:
        th = self.theme
        plots = [self.map_plot, self.loss_plot, self.step_plot]
        if hasattr(self, "line_plot"):
            plots.append(self.line_plot)
        for plot in plots:
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                plain_numbers(ax)
                ax.setPen(colors.pen(th.muted))
                ax.setTextPen(colors.pen(th.foreground))
                ax.label.setDefaultTextColor(pg.mkColor(th.foreground))
        self.max_step_line.setPen(colors.pen(th.foreground, 1.2, 255, "dash"))
        for line in self.cursor_lines:
            line.setPen(colors.pen(th.muted, 1.0))
        self.start_mark.setPen(colors.pen("#000000", 1.0))
        self.start_mark.setBrush(colors.brush(HALO_HEX))
        self._legend_samples["start"].setSymbolPen(colors.pen("#000000", 1.0))
        self._legend_samples["start"].setSymbolBrush(colors.brush(HALO_HEX))
        self._legend_samples["contour"].setPen(colors.pen(th.muted, 1.0))
        self._legend_samples["max"].setPen(colors.pen(th.foreground, 1.2, 255, "dash"))
        self.legend.setLabelTextColor(th.foreground)
        if hasattr(self, "line_legend"):
            self.here.setBrush(colors.brush(th.foreground))
            self.line_legend.setLabelTextColor(th.foreground)
            self.line_canvas.setBackground(th.background)
        self._legend_key = None
        self._line_legend_key = None

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        self._style_axes()
        self._draw_scene()
        self._draw_line()

    def graphics_item(self):
        return (self.canvas if self.mode == "cliff" else self.line_canvas).ci

    def set_export_style(self, on: bool) -> None:
        self._export = on
        self.canvas.setAntialiasing(on)
        self.line_canvas.setAntialiasing(on)
        self._draw_scene()
        self._draw_line()

    # -- settings -------------------------------------------------------------------------------
    def _sync_controls(self) -> None:
        s = self.settings
        self._syncing = True
        try:
            self.mode_box.setCurrentIndex(self.mode_box.findData(self.mode))
            self.T.setValue(s.model.T)
            self.target.setValue(s.model.target)
            self.lr.setValue(s.lr)
            self.clip.setValue(s.clip)
            self.steps.setValue(s.n_steps)
            self.span_box.setValue(self.span or 0.0)
        finally:
            self._syncing = False
        self.cliff_controls.setVisible(self.mode == "cliff")
        self.line_controls.setVisible(self.mode == "line")
        self.stack.setCurrentIndex(0 if self.mode == "cliff" else 1)
        w, b = s.start
        self.start_label.setText(f"start (w, b) = ({w:.2f}, {b:.2f}): click the map to move it")

    def set_settings(self, settings: CliffSettings) -> None:
        """Show the scene of ``settings`` (computed off the GUI thread)."""
        self.settings = settings
        self._sync_controls()
        self._request_scene()

    def set_start(self, w: float, b: float) -> None:
        """Start both paths at (w, b), clamped into the map shown."""
        s = self.settings
        wr, br = ((self.scene.surface.w[[0, -1]], self.scene.surface.b[[0, -1]])
                  if self.scene is not None else (s.w_range, s.b_range))
        w = float(np.clip(w, *wr))
        b = float(np.clip(b, *br))
        self.set_settings(dataclasses.replace(s, start=(w, b)))

    def set_mode(self, mode: str) -> None:
        if mode not in dict((v, k) for k, v in MODES):
            raise ValueError(f"mode must be 'cliff' or 'line', got {mode!r}")
        self.mode = mode
        self._sync_controls()
        if mode == "line" and self._result is not None:
            self._request_line(self._result)

    def _on_mode_changed(self, index: int) -> None:
        if not self._syncing:
            self.set_mode(self.mode_box.itemData(index))

    def _on_settings_changed(self, *_) -> None:
        if self._syncing:
            return
        s = self.settings
        model = dataclasses.replace(s.model, T=self.T.value(), target=float(self.target.value()))
        self.set_settings(dataclasses.replace(s, model=model, lr=float(self.lr.value()),
                                              clip=float(self.clip.value()),
                                              n_steps=self.steps.value()))

    def _on_default(self) -> None:
        self.set_settings(CliffSettings())

    def _on_span_changed(self, value: float) -> None:
        if self._syncing:
            return
        self.span = float(value) or None
        if self._result is not None and self.mode == "line":
            self._request_line(self._result)

    def options(self) -> dict:
        s = self.settings
        return {"mode": self.mode, "T": s.model.T, "target": s.model.target, "lr": s.lr,
                "clip": s.clip, "steps": s.n_steps, "start": list(s.start),
                "span": self.span}

    def set_options(self, options: dict) -> None:
        if not isinstance(options, dict):
            return
        s = self.settings
        try:
            model = dataclasses.replace(s.model, T=int(options.get("T", s.model.T)),
                                        target=float(options.get("target", s.model.target)))
            start = tuple(float(v) for v in options.get("start", s.start))
            new = dataclasses.replace(s, model=model, lr=float(options.get("lr", s.lr)),
                                      clip=float(options.get("clip", s.clip)),
                                      n_steps=int(options.get("steps", s.n_steps)), start=start)
            landscape.descend(new.model, new.start, new.lr, 0, clip=new.clip)  # checks them
            span = options.get("span", self.span)
            span = None if span is None else float(span)
            mode = options.get("mode", self.mode)
            if mode not in ("cliff", "line"):
                raise ValueError(f"mode must be 'cliff' or 'line', got {mode!r}")
        except (TypeError, ValueError) as exc:
            self.busy.setText(f"landscape settings not restored: {exc}")
            return
        self.span = span
        self.mode = mode
        self.set_settings(new)
        if mode == "line" and self._result is not None:
            self._request_line(self._result)

    # -- background work ------------------------------------------------------------------------
    def _request_scene(self) -> None:
        if any(what == "scene" and arg == self.settings for what, arg in self._jobs.values()):
            return
        job = self._worker.submit(cliff_scene, self.settings)
        self._jobs[job] = ("scene", self.settings)
        self._update_busy()

    def _request_line(self, result) -> None:
        key = (result, self.span)
        if self._line_for == key or any(what == "line" and arg == key
                                        for what, arg in self._jobs.values()):
            return
        job = self._worker.submit(session_line, result, 201, self.span)
        self._jobs[job] = ("line", key)
        self._update_busy()

    def _on_job_done(self, job_id: int, value) -> None:
        if job_id not in self._jobs:
            return
        what, arg = self._jobs.pop(job_id)
        self._update_busy()
        if what == "scene" and arg == self.settings:
            self.scene = value
            self._draw_scene()
        elif what == "line" and arg == (self._result, self.span):
            self.line = value
            self._line_for = arg
            self._draw_line()

    def _on_job_failed(self, job_id: int, message: str) -> None:
        if self._jobs.pop(job_id, None) is not None:
            self._update_busy()
            self.busy.setText(f"failed: {message}")

    def _update_busy(self) -> None:
        self.busy.setText("computing…" if self._jobs else "")

    def wait_ready(self, msecs: int = 60_000) -> bool:
        deadline = QtCore.QDeadlineTimer(msecs)
        while self._jobs and not deadline.hasExpired():
            self._worker.wait(max(1, int(deadline.remainingTime())))
            QtCore.QCoreApplication.processEvents()
        return not self._jobs

    # -- input ----------------------------------------------------------------------------------
    def _on_map_clicked(self, ev) -> None:
        if self.mode != "cliff" or ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        vb = self.map_plot.getViewBox()
        pos = ev.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        self.set_start(p.x(), p.y())
        ev.accept()

    # -- rendering ------------------------------------------------------------------------------
    def render(self, result, cursor) -> None:
        if result is None:
            return
        self._result = result
        self._cursor = cursor
        if self.mode == "line":
            self._request_line(result)
        self._draw_cursor()

    @property
    def step(self) -> int:
        """The path step the cursor shows."""
        n = self.settings.n_steps if self.scene is None else self.scene.settings.n_steps
        if self._result is None:
            return n
        T = self._result.T
        return step_at(self._cursor.frame(T), Cursor.n_frames(T), n)

    def _draw_scene(self) -> None:
        """The surface, contours and legends of the current scene (once per scene)."""
        sc = self.scene
        if sc is None:
            return
        s = sc.surface
        Z = s.log10_L  # (n_b, n_w)
        fin = Z[np.isfinite(Z)]
        hi = float(np.ceil(fin.max())) if fin.size else 1.0
        lo = float(np.floor(fin.min())) if fin.size else 0.0
        lo = max(lo, hi - 8)
        self.heat_range = (lo, hi)
        self.heat_values = Z
        self.rgba = heat_rgba(Z, lo, hi)
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
        self.start_mark.setData([sc.settings.start[0]], [sc.settings.start[1]])
        fg = self.theme.foreground
        self.color_bar.set(TABLE, "loss L = (x(T) − target)², log scale", decade_label(int(lo)),
                           decade_label(int(round((lo + hi) / 2))), decade_label(int(hi)), fg)
        w = 2.4 if self._export else 1.6
        n = sc.settings.n_steps
        for key, path in (("unclipped", sc.unclipped), ("clipped", sc.clipped)):
            hex_ = UNCLIPPED_HEX if key == "unclipped" else CLIPPED_HEX
            with np.errstate(all="ignore"):
                ll = np.log10(np.maximum(path.losses, 1e-12))  # (m + 1,)
                ls_ = np.log10(np.maximum(path.steps, 1e-12))  # (m,)
            self.path_loss[key].setData(np.arange(ll.size), ll, pen=colors.pen(hex_, w),
                                        symbol="o", symbolSize=4, symbolBrush=hex_,
                                        symbolPen=None)
            self.path_step[key].setData(np.arange(1, ls_.size + 1), ls_,
                                        pen=colors.pen(hex_, w), symbol="o", symbolSize=4,
                                        symbolBrush=hex_, symbolPen=None)
        self.max_step_line.setPos(np.log10(sc.max_step))
        self.loss_plot.setXRange(0, n, padding=0.02)
        self._set_log_axis(self.loss_plot, [self.path_loss[k].getData()[1]
                                            for k in self.path_loss])
        self._set_log_axis(self.step_plot, [self.path_step[k].getData()[1]
                                            for k in self.path_step] + [[np.log10(sc.max_step)]])
        self._draw_legend()
        self._draw_cursor()

    @staticmethod
    def _set_log_axis(plot, arrays) -> None:
        vals = np.concatenate([np.asarray(a, float) for a in arrays if a is not None])
        vals = vals[np.isfinite(vals)]
        lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (-1.0, 1.0)
        if hi - lo < 0.5:
            lo, hi = lo - 0.25, hi + 0.25
        plot.getAxis("left").setTicks(log_axis_ticks(lo, hi))
        plot.setYRange(lo, hi, padding=0.06)

    def _draw_legend(self) -> None:
        sc = self.scene
        st = sc.settings
        key = (st.clip, st.lr, self.theme.name)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        ls_ = self._legend_samples
        self.legend.addItem(ls_["unclipped"], "gradient descent, unclipped")
        self.legend.addItem(ls_["clipped"], f"clipped at ‖g‖ ≤ τ = {fmt(st.clip)}")
        self.legend.addItem(ls_["start"], "start (click the map)")
        self.legend.addItem(ls_["contour"], "contours: each decade of L")
        self.legend.addItem(ls_["max"], f"τ·η = {fmt(st.clip * st.lr)}: the longest clipped step")

    def _draw_cursor(self) -> None:
        sc = self.scene
        if sc is None:
            return
        k = self.step
        w = 2.4 if self._export else 1.6
        u = sc.unclipped.points[: k + 1]  # (<= k + 1, 2): a stopped path ends early
        c = sc.clipped.points[: k + 1]
        self.unclipped.set(u, w)
        self.clipped.set(c, w)
        self.drawn = {"unclipped": u, "clipped": c}
        for line in self.cursor_lines:
            line.setPos(k)
        st = sc.settings
        ku, kc = u.shape[0] - 1, c.shape[0] - 1
        lu, lc = sc.unclipped.losses[ku], sc.clipped.losses[kc]
        jump = float(sc.unclipped.steps.max()) if sc.unclipped.steps.size else 0.0
        text = (f"<b>The cliff</b> (Pascanu et al. 2013): x(t) = w σ(x(t−1)) + b, x(0) = "
                f"{fmt(st.model.x0)}, T = {st.model.T}, L = (x(T) − {fmt(st.model.target)})²<br>"
                f"step {k} / {st.n_steps}: unclipped L = {fmt(lu)}, clipped L = {fmt(lc)} · "
                f"longest step: unclipped {fmt(jump)}, clipped ≤ τ·η = {fmt(sc.max_step)}")
        if sc.unclipped.stopped:
            text += f" · unclipped path stopped: {sc.unclipped.stopped}"
        set_label(self.caption, text, color=self.theme.foreground, size="10pt")

    def _draw_line(self) -> None:
        ln = self.line
        if ln is None:
            return
        th = self.theme
        w = 2.4 if self._export else 1.8
        self.line_curve.setData(ln.alphas, ln.losses, pen=colors.pen(th.foreground, w))
        # the first-order prediction J(theta) - alpha ||g||: where it parts from the curve, a
        # step that long is no longer steered by the gradient
        self.tangent.setData(ln.alphas, ln.loss0 - ln.alphas * ln.grad_norm,
                             pen=colors.pen(th.muted, 1.2, 255, "dash"))
        self.here.setData([0.0], [ln.loss0])
        # the marks sit on the drawn curve
        if ln.ok and abs(ln.step) <= ln.alphas[-1]:
            self.update_mark.setData([ln.step], [np.interp(ln.step, ln.alphas, ln.losses)])
        else:
            self.update_mark.setData([], [])
        if ln.ok and ln.clipped_step is not None and ln.clipped_step < ln.step:
            self.clipped_mark.setData([ln.clipped_step],
                                      [np.interp(ln.clipped_step, ln.alphas, ln.losses)])
        else:
            self.clipped_mark.setData([], [])
        fin = ln.losses[np.isfinite(ln.losses)]
        if fin.size:
            lo, hi = float(fin.min()), float(fin.max())
            pad = 0.08 * (hi - lo or 1.0)
            self.line_plot.setYRange(lo - pad, hi + pad, padding=0)
        self.line_plot.setXRange(ln.alphas[0], ln.alphas[-1], padding=0.02)
        r = self._line_for[0]
        c = r.config
        if ln.ok:
            where = (f"the update θ − η g (η = {fmt(c.lr)}) lands at α = η‖g‖ = {fmt(ln.step)}"
                     + ("" if abs(ln.step) <= ln.alphas[-1] else ", outside this range"))
            if ln.clipped_step is not None and ln.clipped_step < ln.step:
                where += f"; clipped at τ = {fmt(c.clip)}, at α = {fmt(ln.clipped_step)}"
        else:
            where = "the gradient is zero or not finite: no direction to follow"
        set_label(self.line_caption,
                  f"<b>The session's {c.model}</b> on its {c.task} sample: J along θ − α g/‖g‖ "
                  f"through its weights θ, ‖g‖ = {fmt(ln.grad_norm)} · {where}",
                  color=th.foreground, size="10pt")
        key = (th.name, ln.clipped_step is not None)
        if key != self._line_legend_key:
            self._line_legend_key = key
            self.line_legend.clear()
            self.line_legend.addItem(self.line_curve, "loss J along the line")
            self.line_legend.addItem(self.tangent, "first-order prediction J(θ) − α‖g‖")
            self.line_legend.addItem(self.here, "the session's weights θ (α = 0)")
            self.line_legend.addItem(self.update_mark, "where the update θ − η g lands")
            if ln.clipped_step is not None:
                self.line_legend.addItem(self.clipped_mark, "where the clipped update lands")
