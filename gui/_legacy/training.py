"""Training: the session's model trained on its task, live, with the loss, the gradient norm before
and after clipping and the accuracy; a compare run of a SimpleRNN and an LSTM of similar size;
samples the model writes (char-text, generate) as it learns.

The run itself is :class:`gui.training.TrainingController` (off the GUI thread); this widget holds
the controls and draws what the controller collected. Everything drawn is a number the engine's
``UpdateMetrics`` reported; the smoothed curves are ``gui.model.training.trainer.running_mean`` of them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from gui.model.training.trainer import envelope, running_mean
from sim import generate as gen

from .. import colors
from ..training import COMPARE_TASKS, TrainingController, TrainingSettings
from . import register
from .base import View, make_canvas
from .gradient_flow import log_ticks
from .legend import fmt, set_label

#: one hue per model kind (Okabe-Ito), the same in every plot
MODEL_HEX = {"SimpleRNN": "#E69F00", "LSTM": "#0072B2"}
CLIPPED_HEX = "#b2182b"  # the diverging map's red: an update that clipping cut
SMOOTH = 50  # updates in the running mean
OPTIMIZER_LABELS = (("SGD", "sgd"), ("momentum", "momentum"), ("Adam", "adam"))
CLIP_MODES = (("global ‖g‖", "global"), ("per step ‖g⁽ᵗ⁾‖", "per_step"))
MAX_SERIES = 2
SAMPLE_HISTORY = 6  # sample blocks kept on screen
#: longer curves are drawn as the min/max envelope over this many runs of updates (the redraw
#: then costs the same at 2,000 and at 1,000,000 updates)
DRAW_BINS = 1000


def _log10(v: np.ndarray) -> np.ndarray:
    """log10 of positive finite values, NaN elsewhere (not drawn)."""
    v = np.asarray(v, dtype=float)
    out = np.full(v.shape, np.nan)
    ok = np.isfinite(v) & (v > 0)
    out[ok] = np.log10(v[ok])
    return out


def log_axis_ticks(lo: float, hi: float) -> list:
    """Ticks for log10 data spanning [lo, hi]: decades, and 2 and 5 times them when the span is
    under two decades (a narrow range would otherwise show a single label)."""
    if hi - lo >= 2:
        return log_ticks(lo, hi)
    major = []
    for n in range(int(np.floor(lo)) - 1, int(np.ceil(hi)) + 1):
        for m in (1, 2, 5):
            v = n + float(np.log10(m))
            if lo <= v <= hi:
                major.append((v, fmt(m * 10.0 ** n)))
    return [major, []]


def plain_numbers(axis: pg.AxisItem) -> None:
    """Tick labels as the numbers themselves: no SI prefix (pyqtgraph would write 10000 steps as
    "10 (x1e3)"). Disabling it still computes a scale from the current range, so reset that."""
    axis.enableAutoSIPrefix(False)
    axis.autoSIPrefixScale = 1.0
    axis.labelUnitPrefix = ""


def training_controller(state) -> TrainingController:
    """The state's one training controller (shared by every widget that trains)."""
    return state.ext("training", lambda st: TrainingController(st, st))


class _Curves:
    """The items of one series in one plot: the raw values (thin, faint) and their running mean."""

    def __init__(self, plot: pg.PlotItem):
        self.raw = pg.PlotDataItem(connect="finite")
        self.mean = pg.PlotDataItem(connect="finite")
        for it in (self.raw, self.mean):
            plot.addItem(it)

    def set(self, x, raw, mean, hex_, width: float) -> None:
        if raw is None:
            self.raw.setData([], [])
        else:
            self.raw.setData(*envelope(x, raw, DRAW_BINS), pen=colors.pen(hex_, 1.0, 80))
        self.mean.setData(*envelope(x, mean, DRAW_BINS), pen=colors.pen(hex_, width))

    def clear(self) -> None:
        self.raw.setData([], [])
        self.mean.setData([], [])


@register
class TrainingView(View):
    name = "training"
    title = "Training"
    tabs = ("Training",)
    order = 0
    description = ("Train the session's model on its task: loss, gradient norm before and after "
                   "clipping, accuracy; compare a SimpleRNN with an LSTM; samples as it learns.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.controller = training_controller(state)
        self._export = False
        self._syncing = False
        self._session_key = None
        self.sample_history: list[str] = []
        self._build_controls()
        self._build_plots()
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.controls)
        right = QtWidgets.QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(2)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 0)
        top.addWidget(self.progress, 2)
        top.addWidget(self.status, 3)
        right.addLayout(top)
        right.addWidget(self.canvas, 1)
        right.addWidget(self.samples_box)
        lay.addLayout(right, 1)
        c = self.controller
        c.metrics_changed.connect(self._on_metrics)
        c.progress.connect(self._on_progress)
        c.samples_changed.connect(self._on_samples)
        c.running_changed.connect(lambda _: self._sync_buttons())
        c.finished.connect(self._on_finished)
        c.message.connect(self.status.setText)
        self.set_settings(c.settings)
        self._sync_buttons()
        self._on_metrics()

    # -- construction ---------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.controls = QtWidgets.QWidget()
        self.controls.setMaximumWidth(290)
        form = QtWidgets.QFormLayout(self.controls)
        form.setContentsMargins(6, 6, 6, 6)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        form.addRow(self.caption)
        self.optimizer = QtWidgets.QComboBox()
        for label, value in OPTIMIZER_LABELS:
            self.optimizer.addItem(label, value)
        self.optimizer.setToolTip("SGD: θ ← θ − η g · momentum: v ← 0.9 v + g, θ ← θ − η v · "
                                  "Adam: steps scaled by running moments of g")
        self.lr = QtWidgets.QDoubleSpinBox()
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 10.0)
        self.lr.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr.setToolTip("Learning rate η")
        self.clip = QtWidgets.QDoubleSpinBox()
        self.clip.setDecimals(2)
        self.clip.setRange(0.0, 1000.0)
        self.clip.setSingleStep(0.5)
        self.clip.setSpecialValueText("off")
        self.clip.setToolTip("Clipping threshold τ: g ← g τ/‖g‖ when ‖g‖ > τ (0: no clipping)")
        self.clip_mode = QtWidgets.QComboBox()
        for label, value in CLIP_MODES:
            self.clip_mode.addItem(label, value)
        self.clip_mode.setToolTip("Clip the summed gradient, or each step's contribution "
                                  "(∂J/∂θ)⁽ᵗ⁾ before summing")
        self.truncation = QtWidgets.QSpinBox()
        self.truncation.setRange(0, 100)
        self.truncation.setSpecialValueText("off")
        self.truncation.setToolTip("Truncated BPTT: each error travels back at most k steps")
        self.batch = QtWidgets.QSpinBox()
        self.batch.setRange(1, 256)
        self.batch.setToolTip("Sequences per update (their gradients are averaged)")
        self.updates = QtWidgets.QSpinBox()
        self.updates.setRange(1, 1_000_000)
        self.updates.setSingleStep(500)
        self.updates.setToolTip("Updates per run")
        form.addRow("Optimiser", self.optimizer)
        form.addRow("Learning rate η", self.lr)
        form.addRow("Clip threshold τ", self.clip)
        form.addRow("Clip", self.clip_mode)
        form.addRow("Truncation k", self.truncation)
        form.addRow("Batch", self.batch)
        form.addRow("Updates", self.updates)
        self.start_button = QtWidgets.QPushButton("Start")
        self.start_button.setToolTip("Train the session's model (continues a paused run)")
        self.pause_button = QtWidgets.QPushButton("Pause")
        self.pause_button.setToolTip("Pause: every other view shows the weights so far")
        self.stop_button = QtWidgets.QPushButton("Stop")
        self.stop_button.setToolTip("End the run; the weights stay in the session")
        self.one_button = QtWidgets.QPushButton("One update")
        self.one_button.setToolTip("One update on one sequence, played forward → backward → "
                                   "update in the session's views")
        self.follow = QtWidgets.QCheckBox("play it in the Unfolded tab")
        self.follow.setChecked(True)
        self.reset_button = QtWidgets.QPushButton("Reset weights")
        self.reset_button.setToolTip("Back to the seeded initial weights")
        grid = QtWidgets.QGridLayout()
        grid.addWidget(self.start_button, 0, 0)
        grid.addWidget(self.pause_button, 0, 1)
        grid.addWidget(self.stop_button, 0, 2)
        grid.addWidget(self.one_button, 1, 0, 1, 2)
        grid.addWidget(self.reset_button, 1, 2)
        form.addRow(grid)
        form.addRow(self.follow)
        self.compare_task = QtWidgets.QComboBox()
        for label in COMPARE_TASKS:
            self.compare_task.addItem(label)
        self.compare_task.setToolTip("The task of the compare run. The adding problem (T = 30, "
                                     "4000 updates) shows the LSTM learning where the SimpleRNN "
                                     "stalls; the session task runs for 'Updates' updates")
        self.compare_button = QtWidgets.QPushButton("Compare SimpleRNN / LSTM")
        self.compare_button.setToolTip("Train a SimpleRNN and an LSTM with about the same number "
                                       "of weights on the same task and samples, side by side")
        form.addRow(QtWidgets.QLabel("<b>Compare</b>"))
        form.addRow("Task", self.compare_task)
        form.addRow(self.compare_button)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFormat("%v / %m updates")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)

        self.samples_box = QtWidgets.QWidget()
        sl = QtWidgets.QVBoxLayout(self.samples_box)
        sl.setContentsMargins(6, 0, 6, 4)
        head = QtWidgets.QHBoxLayout()
        head.addWidget(QtWidgets.QLabel("<b>Samples</b> the model writes, temperature τ"))
        self.temperature = QtWidgets.QDoubleSpinBox()
        self.temperature.setRange(0.0, 3.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setSpecialValueText("0 (argmax)")
        self.temperature.setToolTip("p = softmax(r/τ): small τ picks the likeliest symbol, "
                                    "large τ writes more freely")
        head.addWidget(self.temperature)
        head.addStretch(1)
        sl.addLayout(head)
        self.samples = QtWidgets.QPlainTextEdit()
        self.samples.setReadOnly(True)
        self.samples.setMaximumHeight(110)
        self.samples.setPlaceholderText("Samples appear while training on char-text or generate.")
        sl.addWidget(self.samples)
        self.samples_box.setVisible(False)

        for w in (self.optimizer, self.clip_mode, self.compare_task):
            w.currentIndexChanged.connect(self._on_control_changed)
        for w in (self.lr, self.clip, self.truncation, self.batch, self.updates, self.temperature):
            w.valueChanged.connect(self._on_control_changed)
        self.temperature.valueChanged.connect(lambda _: self.controller.request_sample())
        self.start_button.clicked.connect(self._on_start)
        self.pause_button.clicked.connect(self.controller.pause)
        self.stop_button.clicked.connect(self.controller.stop)
        self.one_button.clicked.connect(self._on_one_update)
        self.compare_button.clicked.connect(self._on_compare)
        self.reset_button.clicked.connect(self._on_reset)

    def _build_plots(self) -> None:
        self.canvas = make_canvas(self.theme)
        ci = self.canvas.ci
        self.header = ci.addLabel("", row=0, col=0, justify="left")
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=3, horSpacing=18)
        ci.addItem(self.legend, row=1, col=0)
        self.loss_plot = ci.addPlot(row=2, col=0)
        self.norm_plot = ci.addPlot(row=3, col=0)
        self.acc_plot = ci.addPlot(row=4, col=0)
        self.plots = (self.loss_plot, self.norm_plot, self.acc_plot)
        for p in self.plots:
            p.showGrid(x=True, y=True, alpha=0.15)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.getViewBox().setMouseEnabled(x=True, y=False)
        self.norm_plot.setXLink(self.loss_plot)
        self.acc_plot.setXLink(self.loss_plot)
        self.loss_plot.setLabel("left", "loss J (log)")
        self.norm_plot.setLabel("left", "‖g‖ (log)")
        self.acc_plot.setLabel("left", f"accuracy (mean of {SMOOTH})")
        self.acc_plot.setLabel("bottom", "update")
        self.acc_plot.setYRange(0, 1.02, padding=0)
        self.loss = [_Curves(self.loss_plot) for _ in range(MAX_SERIES)]
        self.acc = [_Curves(self.acc_plot) for _ in range(MAX_SERIES)]
        self.before = [pg.PlotDataItem(connect="finite") for _ in range(MAX_SERIES)]
        self.after = [pg.PlotDataItem(connect="finite") for _ in range(MAX_SERIES)]
        for it in self.before + self.after:
            self.norm_plot.addItem(it)
        self.clipped_marks = pg.ScatterPlotItem(size=4, symbol="o", pen=None,
                                                brush=colors.brush(CLIPPED_HEX, 170))
        self.norm_plot.addItem(self.clipped_marks)
        self.tau_line = pg.InfiniteLine(angle=0, movable=False)
        self.norm_plot.addItem(self.tau_line)
        self._tau_sample = pg.PlotDataItem()  # the threshold's legend entry (not in the plot)
        self._legend_key = None
        ci.layout.setRowStretchFactor(2, 3)
        ci.layout.setRowStretchFactor(3, 3)
        ci.layout.setRowStretchFactor(4, 2)
        self._style_axes()

    def _style_axes(self) -> None:
        th = self.theme
        for plot in self.plots:
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                plain_numbers(ax)
                ax.setPen(colors.pen(th.muted))
                ax.setTextPen(colors.pen(th.foreground))
            plot.getAxis("left").setWidth(58)
            plot.getAxis("left").label.setDefaultTextColor(pg.mkColor(th.foreground))
            plot.getAxis("bottom").label.setDefaultTextColor(pg.mkColor(th.foreground))
        self.tau_line.setPen(colors.pen(th.foreground, 1.2, 255, "dash"))
        self._tau_sample.setPen(colors.pen(th.foreground, 1.2, 255, "dash"))
        self.legend.setLabelTextColor(th.foreground)
        self._legend_key = None

    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        self._on_metrics()

    def graphics_item(self):
        return self.canvas.ci

    def set_export_style(self, on: bool) -> None:
        self._export = on
        self.canvas.setAntialiasing(on)
        self._on_metrics()

    def wait_ready(self, msecs: int = 60_000) -> bool:
        return self.controller.wait(msecs)

    # -- settings -------------------------------------------------------------------------------
    def settings(self) -> TrainingSettings:
        """What the controls say."""
        return TrainingSettings(
            optimizer=self.optimizer.currentData(), lr=float(self.lr.value()),
            clip=float(self.clip.value()) or None, clip_mode=self.clip_mode.currentData(),
            truncation=self.truncation.value() or None, batch_size=self.batch.value(),
            n_updates=self.updates.value(), temperature=float(self.temperature.value()),
            compare_task=self.compare_task.currentText())

    def set_settings(self, s: TrainingSettings) -> None:
        self._syncing = True
        try:
            self.optimizer.setCurrentIndex(self.optimizer.findData(s.optimizer))
            self.lr.setValue(s.lr)
            self.clip.setValue(s.clip or 0.0)
            self.clip_mode.setCurrentIndex(self.clip_mode.findData(s.clip_mode))
            self.truncation.setValue(s.truncation or 0)
            self.batch.setValue(s.batch_size)
            self.updates.setValue(s.n_updates)
            self.temperature.setValue(s.temperature)
            self.compare_task.setCurrentText(s.compare_task)
        finally:
            self._syncing = False
        self.controller.set_settings(self.settings())

    def options(self) -> dict:
        return {**self.settings().to_dict(), "follow": self.follow.isChecked()}

    def set_options(self, options: dict) -> None:
        if not isinstance(options, dict):
            return
        try:
            s = TrainingSettings.from_dict(options)
        except ValueError as exc:
            self.status.setText(f"training settings not restored: {exc}")
            return
        self.set_settings(s)
        if "follow" in options:
            self.follow.setChecked(bool(options["follow"]))

    def _on_control_changed(self, *_) -> None:
        if self._syncing:
            return
        try:
            self.controller.set_settings(self.settings())
        except ValueError as exc:
            self.status.setText(str(exc))

    # -- intent ---------------------------------------------------------------------------------
    def _on_start(self) -> None:
        if not self.controller.can_resume:
            self.sample_history = []
            self.samples.clear()
        self.controller.start(self.settings())

    def _on_compare(self) -> None:
        self.controller.compare(self.settings())

    def _on_one_update(self) -> None:
        m = self.controller.one_update(self.settings())
        if m is None:
            return
        self.status.setText(
            f"update {m.update}: J = {fmt(m.loss)}, ‖g‖ = {fmt(m.norm_before)}"
            + (f" → clipped to {fmt(m.norm_after)}" if m.clipped else "")
            + ("" if self.controller.shows_update_exactly else
               " · the session's update phase shows θ − η g; "
               f"{self.optimizer.currentText()} steps differently"))
        win = self.window()
        if self.follow.isChecked() and hasattr(win, "show_tab"):
            win.show_tab("Unfolded")

    def _on_reset(self) -> None:
        self.controller.reset_weights()

    # -- following the controller ---------------------------------------------------------------
    def _sync_buttons(self) -> None:
        c = self.controller
        running = c.running
        self.start_button.setText("Resume" if c.can_resume and c.run.kind == "single"
                                  else "Start")
        self.compare_button.setText("Resume compare" if c.can_resume and c.run.kind == "compare"
                                    else "Compare SimpleRNN / LSTM")
        for w in (self.start_button, self.one_button, self.compare_button, self.reset_button,
                  self.optimizer, self.lr, self.clip, self.clip_mode, self.truncation,
                  self.batch, self.updates, self.compare_task):
            w.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running or c.paused)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        if self.controller.running:
            rate = self.controller.rate
            self.status.setText(f"training… {rate:.0f} updates/s" if rate else "training…")

    def _on_finished(self, reason: str) -> None:
        c = self.controller
        done = c.run.done if c.run is not None else 0
        if reason.startswith("failed"):
            self.status.setText(reason)
        elif reason == "paused":
            self.status.setText(f"paused after {done} updates: every view shows these weights")
        elif reason == "reset":
            self.status.setText("weights reset to the seeded initial ones")
        elif reason == "stopped":
            self.status.setText(f"stopped after {done} updates")
        else:
            self.status.setText(f"done: {done} updates")
        self._sync_buttons()

    def _on_samples(self, samples) -> None:
        """Newest first; the last few stay, so the text's progress shows as training proceeds."""
        self.samples_box.setVisible(True)
        c = self.controller
        block = []
        for label, g in samples:
            head = f"{label}, after {c.run.done if c.run else 0} updates, τ = {fmt(g.temperature)}"
            if g.targets is not None:
                body = (f"start {g.prime}: {g.text}   (wanted: "
                        + " ".join(str(int(s)) for s in g.targets)
                        + f"; {100 * g.correct:.0f} % right)")
            else:
                body = f"{g.prime}|{g.text}"
            block.append(f"{head}:  {body}")
        self.sample_history = (["\n".join(block)] + self.sample_history)[:SAMPLE_HISTORY]
        self.samples.setPlainText("\n".join(self.sample_history))

    def _on_metrics(self) -> None:
        series = self.controller.series
        w = 2.2 if self._export else 1.6
        lo_hi = []
        clipped_x, clipped_y = [], []
        for i in range(MAX_SERIES):
            if i >= len(series):
                self.loss[i].clear()
                self.acc[i].clear()
                self.before[i].setData([], [])
                self.after[i].setData([], [])
                continue
            s = series[i]
            a = s.arrays()
            hex_ = MODEL_HEX.get(s.kind, self.theme.foreground)
            x = a["update"]
            loss = _log10(a["loss"])
            mean = _log10(running_mean(a["loss"], SMOOTH))
            self.loss[i].set(x, loss, mean, hex_, w)
            # one 0/1 answer per sequence on many-to-one tasks: only the mean says something
            self.acc[i].set(x, None, running_mean(a["accuracy"], SMOOTH), hex_, w)
            before, after = _log10(a["norm_before"]), _log10(a["norm_after"])
            self.before[i].setData(*envelope(x, before, DRAW_BINS),
                                   pen=colors.pen(hex_, 1.0, 110))
            self.after[i].setData(*envelope(x, after, DRAW_BINS), pen=colors.pen(hex_, w))
            cl = a["clipped"] & np.isfinite(before)
            if cl.sum() > DRAW_BINS:  # one mark per run of updates: its highest clipped norm
                mx, my = envelope(x, np.where(cl, before, np.nan), DRAW_BINS)
                keep = np.isfinite(my[1::2])
                clipped_x.append(mx[1::2][keep])
                clipped_y.append(my[1::2][keep])
            else:
                clipped_x.append(x[cl])
                clipped_y.append(before[cl])
            # the loss axis follows the means (single updates reach far below; they are clipped)
            lo_hi.append((np.concatenate([mean, loss[:1]]), np.concatenate([before, after])))
        if clipped_x:
            self.clipped_marks.setData(np.concatenate(clipped_x), np.concatenate(clipped_y))
        else:
            self.clipped_marks.setData([], [])
        tau = self.controller.run_clip
        self.tau_line.setVisible(tau is not None)
        if tau is not None:
            self.tau_line.setPos(np.log10(tau))
        self._set_log_ticks(self.loss_plot, [v[0] for v in lo_hi], None)
        self._set_log_ticks(self.norm_plot, [v[1] for v in lo_hi], tau)
        self._draw_legends(series, tau)
        self._draw_header(series)

    def _set_log_ticks(self, plot, arrays, extra) -> None:
        vals = [v[np.isfinite(v)] for v in arrays]
        vals = np.concatenate(vals) if vals else np.zeros(0)
        if extra is not None:
            vals = np.append(vals, np.log10(extra))
        if vals.size == 0:
            lo, hi = -1.0, 1.0
        else:
            lo, hi = float(vals.min()), float(vals.max())
            if hi - lo < 0.5:
                lo, hi = lo - 0.25, hi + 0.25
        plot.getAxis("left").setTicks(log_axis_ticks(lo, hi))
        plot.setYRange(lo, hi, padding=0.05)

    def _draw_legends(self, series, tau) -> None:
        key = (tuple((s.label, s.kind) for s in series), tau is not None, self.theme.name)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for i, s in enumerate(series):
            self.legend.addItem(self.loss[i].mean, s.label)
        if series:
            self.legend.addItem(self.loss[0].raw, f"each update (thick: mean of {SMOOTH})")
            self.legend.addItem(self.before[0], "‖g‖ before clipping")
            self.legend.addItem(self.after[0], "‖g‖ after clipping (applied)")
            self.legend.addItem(self.clipped_marks, "a clipped update")
            if tau is not None:
                self.legend.addItem(self._tau_sample, "threshold τ")
        self.legend.setVisible(bool(series))

    def _draw_header(self, series) -> None:
        c = self.controller
        if not series:
            text = ("Press <b>Start</b> to train the session's model, <b>One update</b> to watch "
                    "a single update, or <b>Compare</b>.")
        else:
            parts = []
            for s in series:
                a = s.arrays()
                n = len(s)
                k = min(n, SMOOTH)
                loss = float(np.nanmean(a["loss"][n - k:])) if n else float("nan")
                acc = float(np.mean(a["accuracy"][n - k:])) if n else float("nan")
                clipped = int(a["clipped"].sum())
                parts.append(f"<b>{s.label}</b>: J ≈ {fmt(loss)}, accuracy ≈ {100 * acc:.0f} % "
                             f"(last {k}), {clipped} of {n} updates clipped")
            what = c.run_title
            text = f"{what}<br>" + "<br>".join(parts)
        set_label(self.header, text, color=self.theme.foreground, size="10pt")

    # -- the session ----------------------------------------------------------------------------
    def render(self, result, cursor) -> None:
        if result is None:
            return
        c = result.config
        key = (c.model, c.hidden, c.task, c.task_settings, c.length)
        if key == self._session_key:
            return
        self._session_key = key
        self.caption.setText(f"Trains the session's <b>{c.model}</b> (H = {c.hidden}) on "
                             f"<b>{c.task}</b>, T = {c.length}.")
        self.samples_box.setVisible(gen.supports(result.task)
                                    or bool(self.samples.toPlainText()))

