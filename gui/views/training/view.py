"""Training: the session's model trained on its task, live, with the loss, the gradient norm before
and after clipping and the accuracy; a compare run of a SimpleRNN, an LSTM and a GRU of similar
size; samples the model writes (char-text, generate) as it learns.

The runs are the training controller's (``ctx.training``, gui/controllers/training.py); this view
holds the controls, draws the frame it is given (the settings, the session's lr and clipping, the
model it trains) and the curves the controller collected, which it redraws when the controller
says they grew. It connects to the controller's signals with its own methods only, so nothing
reaches it once it is destroyed.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from sim import generate as gen

from ...model.present.numbers import count, fmt
from ...model.present.training import compare_hint
from ...model.training.settings import COMPARE_TASKS
from .. import register
from ..base import View, build_in_parts
from .controls import TrainingControls
from .plots import TrainingPlots
from .samples import SamplesBox

EMPTY = ("Press <b>Start</b> to train the session's model, <b>One update</b> to watch a single "
         "update, or <b>Compare</b>.")
#: an exported figure of a session never trained (no word about the window's buttons)
EMPTY_EXPORT = ("This session's model has not been trained: no curves yet "
                "(<tt>python main.py --train N</tt> trains it and exports the curves).")
EARLIER = {"single": "<i>Curves of an earlier run: the session's model, settings or weights "
                     "have changed since, so Start begins a new run.</i>",
           "compare": "<i>Curves of an earlier compare run: its settings have changed since, so "
                      "Compare begins a new one.</i>"}


@register
class TrainingView(View):
    name = "training"
    title = "Training"
    tabs = ("Training",)
    order = 0
    description = ("Train the session's model on its task: loss, gradient norm before and after "
                   "clipping, accuracy; compare a SimpleRNN, an LSTM and a GRU; samples as it "
                   "learns.")

    def _build_parts(self):
        self.controller = self.ctx.training if self.ctx is not None else None
        self.controls = TrainingControls(self.app)
        yield
        self.figure = yield from build_in_parts(TrainingPlots, self.theme)
        self.canvas = self.figure.canvas
        yield
        self.samples_box = SamplesBox(self.app)
        self.samples_box.setVisible(False)
        self.progress = QtWidgets.QProgressBar()
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self._layout()
        yield
        self._name_parts()
        self._drawn = None  # what the controls and curves were last drawn from
        self._stale = False  # curves grew while the view was hidden
        self._connect()
        self._sync_buttons()
        self._on_progress(*self._progress_numbers())

    # -- construction -------------------------------------------------------------------------
    def _layout(self) -> None:
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # the form scrolls up and down when the screen is low (1280 x 720, presentation type)
        # instead of squeezing its wrapped notes into lines that overlap
        self.side = QtWidgets.QScrollArea()
        self.side.setWidget(self.controls)
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.side.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed,
                                QtWidgets.QSizePolicy.Policy.Preferred)
        self._fit_side()
        lay.addWidget(self.side)
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

    def _fit_side(self) -> None:
        bar = self.side.verticalScrollBar().sizeHint().width()
        self.side.setFixedWidth(self.controls.fit_width() + bar)

    def changeEvent(self, ev):  # noqa: N802 - Qt's name
        super().changeEvent(ev)
        if ev.type() == QtCore.QEvent.Type.FontChange and hasattr(self, "side"):
            self._fit_side()

    def _name_parts(self) -> None:
        """The parts' widgets and items under the names the tests and the window use."""
        for name in ("caption", "optimizer", "lr", "clip", "clip_mode", "truncation", "chunk",
                     "truncation_note", "batch",
                     "updates", "start_button", "pause_button", "stop_button", "one_button",
                     "reset_button", "follow", "compare_task", "compare_button", "compare_hint",
                     "show_single", "show_compare", "clear_button"):
            setattr(self, name, getattr(self.controls, name))
        for name in ("header", "legend", "loss", "acc", "before", "after", "clipped_marks",
                     "tau_line"):
            setattr(self, name, getattr(self.figure, name))
        self.samples = self.samples_box.text
        self.temperature = self.samples_box.temperature

    def _connect(self) -> None:
        self.start_button.clicked.connect(self._on_start)
        self.pause_button.clicked.connect(self._on_pause)
        self.stop_button.clicked.connect(self._on_stop)
        self.one_button.clicked.connect(self._on_one_update)
        self.compare_button.clicked.connect(self._on_compare)
        self.reset_button.clicked.connect(self._on_reset)
        self.clear_button.clicked.connect(self._on_clear)
        self.show_single.toggled.connect(self._on_show_single)
        self.show_compare.toggled.connect(self._on_show_compare)
        c = self.controller
        if c is None:
            return
        c.metrics_changed.connect(self._on_metrics)
        c.run_changed.connect(self._on_run_changed)
        c.progress.connect(self._on_progress)
        c.samples_changed.connect(self._on_samples)
        c.running_changed.connect(self._on_running_changed)
        c.updating_changed.connect(self._on_running_changed)
        c.updated.connect(self._on_updated)
        c.finished.connect(self._on_finished)
        c.message.connect(self._on_message)

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self, frame) -> None:
        settings = frame.option("training")
        config = frame.result.config
        key = (settings, frame.result, frame.theme, frame.export)  # a result is itself only
        if key == self._drawn:
            return  # the cursor moved: nothing here depends on it
        self._drawn = key
        self.controls.sync(settings, config)
        self.samples_box.sync(settings)
        self.caption.setText(f"Trains the session's <b>{config.model}</b> (H = {config.hidden})"
                             f" on <b>{config.task}</b>, T = {config.length}.")
        self.compare_hint.setText(compare_hint(settings.compare_task,
                                               COMPARE_TASKS[settings.compare_task],
                                               settings.n_updates))
        self.samples_box.setVisible(gen.supports(frame.result.task)
                                    or bool(self.samples_box.history))
        if self.controller is None or not self.controller.busy:
            self._on_progress(*self._progress_numbers())
        self._draw_curves()

    def _draw_curves(self) -> None:
        self._stale = False
        c = self.controller
        if c is None or c.run is None:
            title = EMPTY_EXPORT if self.exporting else EMPTY
            self.figure.draw([], None, title, export=self.exporting)
            return
        title = c.run_title
        if not c.run_is_current:
            title += "<br>" + EARLIER[c.run.kind]
        self.figure.draw(c.series, c.run_clip, title, export=self.exporting)

    def _restyle(self, theme) -> None:
        self.figure.restyle(theme)

    def _set_export_style(self, on: bool) -> None:
        self.canvas.setAntialiasing(on)

    def graphics_item(self):
        return self.canvas.ci

    def showEvent(self, ev):  # noqa: N802 - Qt's name
        super().showEvent(ev)
        if self._stale:
            self._draw_curves()

    # -- intent -------------------------------------------------------------------------------
    def _on_start(self) -> None:
        c = self.controller
        if c is None:
            return
        if not (c.runs["single"] is not None and c.runs["single"].paused):
            self.samples_box.clear()
        c.start()

    def _on_pause(self) -> None:
        if self.controller is not None:
            self.controller.pause()

    def _on_stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def _on_compare(self) -> None:
        if self.controller is not None:
            self.controller.compare()

    def _on_one_update(self) -> None:
        if self.controller is not None and self.controller.one_update():
            self.status.setText("one update: computing…")

    def _on_reset(self) -> None:
        if self.controller is not None:
            self.controller.reset_weights()

    def _on_clear(self) -> None:
        if self.controller is not None:
            self.controller.clear()

    def _on_show_single(self, on: bool) -> None:
        if on and self.controller is not None:
            self.controller.show("single")

    def _on_show_compare(self, on: bool) -> None:
        if on and self.controller is not None:
            self.controller.show("compare")

    # -- following the controller ---------------------------------------------------------------
    def _progress_numbers(self) -> tuple[int, int]:
        if self.controller is not None:
            return self.controller.progress_numbers()
        settings = self.app.options["training"] if self.app is not None else None
        return 0, settings.n_updates if settings is not None else 1

    def _sync_buttons(self) -> None:
        c = self.controller
        if c is None:
            for w in (self.start_button, self.pause_button, self.stop_button, self.one_button,
                      self.compare_button, self.reset_button, self.clear_button,
                      self.show_single, self.show_compare):
                w.setEnabled(False)
            return
        busy = c.busy
        single, comp = c.runs["single"], c.runs["compare"]
        self.start_button.setText("Resume" if single is not None and single.paused and not busy
                                  else "Start")
        self.compare_button.setText("Resume compare" if comp is not None and comp.paused
                                    and not busy else "Compare SimpleRNN / LSTM / GRU")
        for w in (self.start_button, self.one_button, self.compare_button, self.reset_button):
            w.setEnabled(not busy)
        self.pause_button.setEnabled(c.running)
        self.stop_button.setEnabled(c.running or (c.paused and not busy))
        self.clear_button.setEnabled(c.run is not None and not c.running)
        self.controls.set_locked(busy)
        for button, kind in ((self.show_single, "single"), (self.show_compare, "compare")):
            button.blockSignals(True)
            button.setChecked(c.shown == kind)
            button.setEnabled(not c.running and (c.runs[kind] is not None or c.shown == kind))
            button.blockSignals(False)

    def _on_metrics(self) -> None:
        if self.isVisible() or self.exporting:
            self._draw_curves()
        else:
            self._stale = True

    def _on_run_changed(self) -> None:
        self._sync_buttons()
        self._on_metrics()

    def _on_running_changed(self, _running: bool) -> None:
        self._sync_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        total = max(total, 1)
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{count(done)} / {count(total)} updates")
        c = self.controller
        if c is not None and c.running:
            rate = c.rate
            text = f"training… {rate:.0f} updates/s" if rate else "training…"
            self.status.setText(text + (f" · {c.note}" if c.note else ""))

    def _on_finished(self, reason: str) -> None:
        c = self.controller
        done = c.run.done if c.run is not None else 0
        texts = {"paused": f"paused after {count(done)} updates: every view shows these weights",
                 "reset": "weights reset to the seeded initial ones",
                 "stopped": f"stopped after {count(done)} updates",
                 "abandoned": "the session was replaced: the run was abandoned"}
        text = reason if reason.startswith("failed") else texts.get(
            reason, f"done: {count(done)} updates")
        self.status.setText(text)
        self._sync_buttons()

    def _on_updated(self, m) -> None:
        c = self.controller
        optimizer = self.optimizer.currentText()
        self.status.setText(
            f"update {m.update}: J = {fmt(m.loss)}, ‖g‖ = {fmt(m.norm_before)}"
            + (f" → clipped to {fmt(m.norm_after)}" if m.clipped else "")
            + ("" if c.shows_update_exactly else
               f" · the session's update phase shows θ − η g; {optimizer} steps differently"))

    def _on_samples(self, samples) -> None:
        """Newest first; the last few stay, so the text's progress shows as training goes."""
        c = self.controller
        self.samples_box.setVisible(True)
        self.samples_box.add(samples, c.run.done if c.run is not None else 0)

    def _on_message(self, text: str) -> None:
        self.status.setText(text)
