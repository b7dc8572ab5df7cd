"""Training in the window: the controller that trains the session's model off the GUI thread.

Runs go to a worker process (``gui.model.training.process``: a thread would hold the GIL and
starve the GUI thread, see there), one update per iteration, checking a stop flag before each,
so pause and stop act within one update. The worker sends its metrics in batches at most ~30
times a second; a timer on the GUI thread collects them and emits one signal per batch, so the
plots redraw at a steady rate whatever the update rate. At the end of a run the trainers
(weights, optimiser state) come back, so a paused run resumes.

Everything the controller reads and writes is the application model's (``ctx.app``): the
training settings are its option section "training"; the learning rate, clipping and truncation
are the session's own (one of each per session); pausing, stopping or finishing a run of the
session's model writes the weights back with ``app.set_config(app.config, params=...)`` (the
session is then dirty: the window asks before anything replaces it), and while a run goes the
model refuses changes of the weights' shapes (``app.set_training_running``).

"One update" is a job on the window's job runner (:class:`~gui.model.training.jobs.OneUpdateJob`):
it replays one update of a batch of one in the session, which gets exactly that sample and the
weights before the update and plays forward -> backward -> update. Samples of the text a model
writes are jobs there too. A "compare" run trains a SimpleRNN and an LSTM with about the same
number of weights side by side; it has curves of its own and leaves the session's weights and
the session's run alone.

The runs' curves are the session's too: after every run, update or clear the controller writes
them to the option section "training-history" (gui.model.training.saved), and when a session
brings its own history (opening a file, a preset) the controller makes its runs from it. Start
carries on from a saved run when the session's weights are the ones it ended with (their hash);
the optimiser's state is not saved, so Adam and momentum start afresh.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import multiprocessing
import sys
import time

import numpy as np
from PySide6 import QtCore

from sim import generate as gen
from sim.run import SessionConfig, build_model
from sim.train import make_optimizer

from ..model.app_model import SHAPE_KEYS, same_shapes
from ..model.present.training import OPTIMIZER_NAMES, run_title
from ..model.training import process as training_worker
from ..model.training.headless import label as _model_label
from ..model.training.history import KINDS, Run, Series
from ..model.training.jobs import OneUpdateJob, SampleJob
from ..model.training.saved import SECTION as HISTORY
from ..model.training.saved import TrainingHistory, weights_hash
from ..model.training.settings import COMPARE_TASKS, TrainingSettings
from ..model.training.trainer import (
    SessionTrainer,
    params_fit,
    same_params,
    shows_update_exactly,
    similar_size,
)

#: how often the GUI collects the worker's metrics (ms): at most ~30 redraws a second
POLL_MS = 33
#: the job runner's owners of training's jobs
UPDATE_OWNER = "training:update"
SAMPLE_OWNER = "training:sample"


@contextlib.contextmanager
def _main_hidden():
    """Start a spawned process without it re-running the ``__main__`` script: the worker needs
    nothing from it, and a script without an ``if __name__ == "__main__"`` guard would otherwise
    start again in the child (the spawn start method imports the parent's main module there)."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    try:
        main.__dict__.pop("__file__", None)
        if "__spec__" in saved:
            main.__spec__ = None
        yield
    finally:
        main.__dict__.update(saved)


def _label(config: SessionConfig, model) -> str:
    return _model_label(config, model)


class TrainingController(QtCore.QObject):
    """Runs training for the window on ``ctx`` (a gui.context.Context). Signals arrive on the
    GUI thread.

    Signals
    -------
    metrics_changed : the shown run's curves grew (at most ~30 times a second) or changed.
    run_changed : the shown run was replaced, dropped or switched (redraw everything).
    progress : (done, total) updates of the shown run.
    samples_changed : list of (label, sim.generate.Generated), one per model.
    running_changed : bool, a run is in the worker process.
    updating_changed : bool, a "one update" job is on the job runner.
    updated : the sim.train.UpdateMetrics of a "one update" that landed.
    finished : str, why the run ended: "done", "paused", "stopped", "reset", "abandoned",
        "failed: ...".
    message : str, something to tell the user.
    """

    metrics_changed = QtCore.Signal()
    run_changed = QtCore.Signal()
    progress = QtCore.Signal(int, int)
    samples_changed = QtCore.Signal(object)
    running_changed = QtCore.Signal(bool)
    updating_changed = QtCore.Signal(bool)
    updated = QtCore.Signal(object)
    finished = QtCore.Signal(str)
    message = QtCore.Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.app = ctx.app
        self.runs: dict[str, Run | None] = {"single": None, "compare": None}
        self.shown = "single"
        self._active: Run | None = None  # the run in the worker process
        self._run_id = 0
        self._proc = None  # the worker process, started on the first run
        self._conn = None
        self._stop = None
        self._tau = None
        self._reason = "done"
        self._written: dict | None = None  # the weights this controller last gave the model
        self._play_config: SessionConfig | None = None
        self._rates: list[tuple[float, int]] = []  # (time, updates done) of recent polls
        self._numbers = itertools.count(1)
        self._update_job: OneUpdateJob | None = None
        self._sample_job: SampleJob | None = None
        self._temperature = self.settings.temperature
        self.note = ""  #: what the user should know about the run going now, or ""
        self._history = None  # the training-history section this controller wrote or read
        self._saved_weights: str | None = None  # hash of the weights a saved run ended with
        self._timer = QtCore.QTimer(self)
        self._timer.setObjectName("training-poll")
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        qt = ctx.qt
        qt.result_changed.connect(self._on_result_changed)
        qt.config_changed.connect(self._on_config_changed)
        qt.options_changed.connect(self._on_options_changed)
        qt.training_running_changed.connect(self._on_training_running_changed)
        ctx.runner.landed.connect(self._on_landed)
        ctx.runner.failed.connect(self._on_failed)
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # no worker left running as the app quits
        self._restore_history(self.app.options[HISTORY], changed=False)

    # -- queries ----------------------------------------------------------------------------
    @property
    def settings(self) -> TrainingSettings:
        """The model's training section."""
        return self.app.options["training"]

    @property
    def run(self) -> Run | None:
        """The run the view shows (the session's model's, or the compare run)."""
        return self.runs[self.shown]

    @property
    def series(self) -> list[Series]:
        return self.run.series if self.run is not None else []

    @property
    def running(self) -> bool:
        """A run is in the worker process."""
        return self._active is not None

    @property
    def updating(self) -> bool:
        """A "one update" is computing."""
        return self._update_job is not None

    @property
    def busy(self) -> bool:
        return self.running or self.updating

    @property
    def paused(self) -> bool:
        return self.run is not None and self.run.paused

    @property
    def can_resume(self) -> bool:
        return self.paused and not self.busy

    @property
    def shows_update_exactly(self) -> bool:
        """Whether the session's update phase is exactly the step "one update" takes."""
        return shows_update_exactly(self.settings.train_config(self.app.config))

    @property
    def run_clip(self) -> float | None:
        """The clipping threshold of the shown run (None: no run or no clipping)."""
        return self.run.train_config.clip if self.run is not None else None

    @property
    def rate(self) -> float:
        """Updates per second over the last second or so of the run (0 when unknown)."""
        if len(self._rates) < 2:
            return 0.0
        (t0, n0), (t1, n1) = self._rates[0], self._rates[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0

    @property
    def run_title(self) -> str:
        """One line on what the shown run trains and how."""
        return run_title(self.run) if self.run is not None else ""

    @property
    def run_is_current(self) -> bool:
        """Whether Start (or Compare) would go on with the shown run: the session's model,
        task and training settings are still the run's."""
        run = self.run
        if run is None or run is self._active:
            return run is not None
        if run.kind == "compare":
            return run.key == self._compare_key()
        return run.key == self._single_key() and self._session_holds_run_weights()

    def progress_numbers(self) -> tuple[int, int]:
        """(done, total) for a progress bar: the shown run's, or 0 of the updates Start makes."""
        run = self.run
        if run is None:
            return 0, self.settings.n_updates
        return run.done, max(run.total, run.done, 1)

    # -- intent -----------------------------------------------------------------------------
    def show(self, kind: str) -> None:
        """Show the curves of the session's run ("single") or of the compare run."""
        if kind not in self.runs:
            raise ValueError(f"kind must be one of {', '.join(self.runs)}, got {kind!r}")
        if kind != self.shown:
            self.shown = kind
            self._changed()

    def start(self) -> bool:
        """Train the session's model for the section's ``n_updates`` updates (or resume a
        paused run with the same settings and weights). False if busy or refused."""
        if self.busy:
            return False
        run = self.runs["single"]
        if not (run is not None and run.paused and run.key == self._single_key()
                and self._session_holds_run_weights()):
            run = self._new_single_run()
            if run is None:
                return False
        self.note = ""
        if getattr(run, "restored", False):
            self._resume_restored(run)
        run.aim(self.settings.n_updates)
        self._launch(run)
        return True

    def compare(self) -> bool:
        """Train a SimpleRNN, an LSTM and a GRU of similar size side by side for the section's
        ``n_updates`` updates (resume if paused). The session's run and weights stay."""
        if self.busy:
            return False
        run = self.runs["compare"]
        if not (run is not None and run.paused and run.key == self._compare_key()):
            run = self._new_compare_run()
            if run is None:
                return False
        run.aim(self.settings.n_updates)
        self._launch(run)
        return True

    def pause(self) -> None:
        """Stop after the current update, keep the run for resuming; weights go to the model."""
        if self.running:
            self._reason = "paused"
            self._stop.set()

    def stop(self) -> None:
        """End the run after the current update; weights go to the model."""
        if self.running:
            self._reason = "stopped"
            self._stop.set()
        elif self.paused:
            self.run.paused = False  # the next Start begins a new run
            self.finished.emit("stopped")

    def clear(self) -> None:
        """Forget the shown run's curves (not while it runs)."""
        if self.run is not None and self._active is not self.run:
            self.runs[self.shown] = None
            self._save_history()
            self._changed()

    def one_update(self) -> bool:
        """One update of the session's model on a batch of one sequence, computed on the job
        runner and then replayed in the session: the model gets that sample and the weights
        before the update, and plays forward -> backward -> update. False if busy."""
        if self.busy:
            return False
        if self.settings.chunk is not None:
            self.message.emit("One update shows one whole sequence: turn chunks off (Chunks K: "
                              "off) to watch one")
            return False
        run = self.runs["single"]
        if not (run is not None and run.key == self._single_key()
                and self._session_holds_run_weights()):
            run = self._new_single_run()
            if run is None:
                return False
            self.runs["single"] = run
        self.shown = "single"
        self._update_job = OneUpdateJob(next(self._numbers), self.app.config, run.trainers[0])
        self.updating_changed.emit(True)
        self.ctx.runner.request(UPDATE_OWNER, [self._update_job])
        return True

    def request_sample(self) -> bool:
        """A new sample from the shown run's model(s) at the section's temperature, on the job
        runner (a running run samples by itself). False if there is nothing to sample."""
        run = self.run
        if run is None or self.busy or not gen.supports(run.trainers[0].task):
            return False
        jobs = tuple(training_worker.sample_jobs(run.trainers, run.labels))
        self._sample_job = SampleJob(run.serial, run.done, float(self.settings.temperature),
                                     jobs)
        self.ctx.runner.request(SAMPLE_OWNER, [self._sample_job])
        return True

    def reset_weights(self) -> None:
        """The session back to its seeded initial weights (the run's curves stay)."""
        if self.busy:
            return
        if self.runs["single"] is not None:
            self.runs["single"].paused = False
        self._written = None
        self.app.reset_params()
        self.finished.emit("reset")

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the run has ended and its results are collected, and until a pending
        "one update" or sample has landed (tests, export)."""
        deadline = time.monotonic() + msecs / 1000
        while self._active is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._conn.poll(min(left, 0.05)) or not self._proc.is_alive():
                self._poll()
        jobs = [j for j in (self._update_job, self._sample_job) if j is not None]
        left = max(int(1000 * (deadline - time.monotonic())), 1)
        return self.ctx.runner.wait(left, jobs=jobs) if jobs else True

    def shutdown(self) -> None:
        """End any run without writing weights back, and the worker process (app closing)."""
        self._timer.stop()
        self.ctx.runner.release(UPDATE_OWNER)
        self.ctx.runner.release(SAMPLE_OWNER)
        if self._proc is None:
            return
        if self._active is not None:
            self._stop.set()
        try:
            self._conn.send(("quit",))
        except (OSError, ValueError):
            pass
        self._proc.join(2.0)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(1.0)
        self._conn.close()
        self._proc = self._conn = None
        self._active = None

    # -- runs -------------------------------------------------------------------------------
    def _train_key(self, config: SessionConfig):
        """The training settings a run is made with (the samples' seed aside)."""
        return dataclasses.replace(self.settings.train_config(config), seed=0)

    @staticmethod
    def _key(kind: str, c: SessionConfig, train_key):
        if kind == "compare":
            return ("compare", c, train_key)
        return ("single", tuple(getattr(c, k) for k in SHAPE_KEYS), c.activation, c.loss,
                train_key)

    def _single_key(self):
        c = self.app.config
        return self._key("single", c, self._train_key(c))

    def _compare_key(self):
        base = self._compare_base()
        return self._key("compare", base, self._train_key(base))

    def _session_holds_run_weights(self) -> bool:
        if self._written is None and self._saved_weights is not None:
            return weights_hash(self.app.params) == self._saved_weights
        return same_params(self.app.params, self._written)

    # -- the session's training history ---------------------------------------------------------
    def _save_history(self, *, user: bool = True) -> None:
        """The runs' curves into the model's "training-history" section."""
        written = self._written if self._written is not None else None
        weights = weights_hash(written) if written is not None else self._saved_weights
        self._history = TrainingHistory.from_runs(self.runs, weights)
        self.app.replace_options(HISTORY, self._history, user=user)

    def _restore_history(self, history, *, changed: bool = True) -> None:
        """Runs from a saved history (a session was opened): its curves, and the session's run
        ready to carry on when the session's weights are the ones it ended with."""
        if history is None or history is self._history:
            return
        self._history = history
        for kind in KINDS:
            if self._active is not None and self._active.kind == kind:
                continue
            saved = history.run(kind)
            self.runs[kind] = None if saved is None else self._run_from_saved(kind, saved)
        self._written = None
        self._saved_weights = history.single.weights if history.single is not None else None
        if self.runs[self.shown] is None and self.runs["compare"] is not None:
            self.shown = "compare"
        if changed:
            self._changed()

    def _run_from_saved(self, kind: str, saved) -> Run | None:
        try:
            trainers, labels = [], []
            for m in saved.models:
                task = m.config.make_task()
                model = build_model(m.config, task)
                trainers.append(SessionTrainer(model, task, saved.training,
                                               loss=m.config.resolved_loss,
                                               session_config=m.config, drawn=m.drawn,
                                               count=m.updates))
                labels.append(m.label)
        except ValueError as exc:
            self.message.emit(f"the saved {kind} run cannot be restored: {exc}")
            return None
        run = Run(kind, saved.config, trainers, labels, saved.total,
                  self._key(kind, saved.config, dataclasses.replace(saved.training, seed=0)))
        saved.fill(run.series)
        run.paused = kind == "single"  # Start carries on (if the weights are the run's)
        run.restored = True
        run.points_left_out = saved.points_left_out
        return run

    def _resume_restored(self, run: Run) -> None:
        """Carry on with a run read from a session file: its model starts from the session's
        weights (those it ended with); the optimiser starts afresh."""
        t = run.trainers[0]
        t.model.params = {k: np.array(v) for k, v in self.app.params.items()}
        t.optimizer = make_optimizer(t.config.optimizer, t.config.lr)
        run.restored = False
        if t.config.optimizer != "sgd":
            self.note = (f"carrying on from the saved run; its optimiser state is not saved, "
                         f"so {OPTIMIZER_NAMES[t.config.optimizer]} starts afresh")
            self.message.emit(self.note)

    def _compare_base(self) -> SessionConfig:
        preset = COMPARE_TASKS[self.settings.compare_task]
        c = self.app.config
        if preset is None:
            return c.replace(radius=None)
        task, settings, T, _ = preset
        return c.replace(task=task, task_settings=settings, length=T, loss=None, radius=None)

    def _new_single_run(self) -> Run | None:
        c = self.app.config
        params = self.app.params if params_fit(c, self.app.params) else None
        try:
            task = c.make_task()
            model = build_model(c, task, params)
            trainer = SessionTrainer(model, task, self.settings.train_config(c),
                                     loss=c.resolved_loss, session_config=c)
        except ValueError as exc:
            self.message.emit(str(exc))
            return None
        return Run("single", c, [trainer], [_label(c, model)], self.settings.n_updates,
                   self._single_key())

    def _new_compare_run(self) -> Run | None:
        try:
            base = self._compare_base()
            tc = self.settings.train_config(base)
            trainers, labels = [], []
            for cfg in similar_size(base):
                task = cfg.make_task()
                model = build_model(cfg, task)
                trainers.append(SessionTrainer(model, task, tc, loss=cfg.resolved_loss,
                                               session_config=cfg))
                labels.append(_label(cfg, model))
        except ValueError as exc:
            self.message.emit(str(exc))
            return None
        return Run("compare", base, trainers, labels, self.settings.n_updates,
                   ("compare", base, self._train_key(base)))

    def _ensure_process(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        # spawn, not fork: the GUI process has threads (Qt's, the job runner's, BLAS). The child
        # gets this process' sys.path, so it imports this very package.
        mp = multiprocessing.get_context("spawn")
        self._conn, child = mp.Pipe()
        self._stop = mp.Event()
        self._tau = mp.Value("d", float(self.settings.temperature))
        self._proc = mp.Process(target=training_worker.serve, args=(child, self._stop, self._tau),
                                name="unfold-training", daemon=True)
        with _main_hidden():
            self._proc.start()
        child.close()

    def _launch(self, run: Run) -> None:
        self._ensure_process()
        self.runs[run.kind] = run
        self.shown = run.kind
        run.paused = False
        run.error = None
        self._reason = "done"
        self._run_id += 1
        self._stop.clear()
        self._tau.value = float(self.settings.temperature)
        for t in run.trainers:
            t.history_limit = 1  # the curves are here; the trainers travel light
            del t.history[:-1]
        sample = gen.supports(run.trainers[0].task)
        self._conn.send(("run", self._run_id, run.trainers, run.labels, run.total, sample))
        self._active = run
        self._rates = [(time.monotonic(), run.done)]
        self._timer.start()
        self.app.set_training_running(True)
        self.running_changed.emit(True)
        self._changed()

    def _changed(self) -> None:
        """The shown run is another one now: say so, with its progress and curves."""
        self.run_changed.emit()
        self.progress.emit(*self.progress_numbers())
        self.metrics_changed.emit()

    # -- the GUI thread: collecting what the worker sends ---------------------------------------
    def _poll(self) -> None:
        """Read every message the worker has sent; finish the run when it is done."""
        run = self._active
        got, done = False, None
        try:
            while self._conn is not None and self._conn.poll():
                msg = self._conn.recv()
                if msg[1] != self._run_id:
                    continue  # from a run that was replaced
                if msg[0] == "metrics":
                    for series, rows in zip(run.series, msg[2], strict=True):
                        series.extend(rows)
                    got = True
                elif msg[0] == "samples":
                    self.samples_changed.emit(msg[2])
                elif msg[0] == "done":
                    done = msg
                    break
        except (EOFError, OSError) as exc:
            done = ("done", self._run_id, None, f"the training process ended: {exc}")
        if done is None and run is not None and not self._proc.is_alive():
            done = ("done", self._run_id, None, "the training process ended unexpectedly")
        if got:
            now = time.monotonic()
            self._rates = [r for r in self._rates if now - r[0] < 1.5] + [(now, run.done)]
            if run is self.run:
                self.metrics_changed.emit()
                self.progress.emit(run.done, run.total)
        if done is not None and run is not None:
            self._finish(run, done[2], done[3])

    def _finish(self, run: Run, trainers, error) -> None:
        self._active = None
        self._timer.stop()
        if trainers is not None:
            run.trainers = trainers
        reason = self._reason if error is None else f"failed: {error}"
        run.error = error
        run.paused = reason == "paused"
        if reason == "abandoned":  # the session was replaced: the run was its
            if self.runs[run.kind] is run and run.kind == "single":
                self.runs["single"] = None
        elif run.kind == "single" and trainers is not None:
            self._write_back(run)
        if reason != "abandoned":
            self._save_history()
        self.app.set_training_running(False)
        self.running_changed.emit(False)
        self._changed()
        self.finished.emit(reason)

    def _write_back(self, run: Run) -> None:
        """The run's weights into the model (as the user's work: the session is dirty)."""
        if not same_shapes(self.app.config, run.base):
            self.message.emit("the session's model changed during training: the trained "
                              "weights were not written back")
            return
        weights = run.trainers[0].params_copy()
        self._written = weights
        self.app.set_config(self.app.config, params=weights)

    # -- the job runner ---------------------------------------------------------------------
    def _on_landed(self, job, value) -> None:
        if self._sample_job is not None and job == self._sample_job:
            self._sample_job = None
            self.samples_changed.emit(value)
        elif self._update_job is not None and job == self._update_job:
            self._update_job = None
            self._land_update(job.base, value)
            self.updating_changed.emit(False)

    def _on_failed(self, job, message: str) -> None:
        if self._update_job is not None and job == self._update_job:
            self._update_job = None
            self.updating_changed.emit(False)
            self.message.emit(f"one update failed: {message}")
        elif self._sample_job is not None and job == self._sample_job:
            self._sample_job = None
            self.message.emit(message)

    def _land_update(self, base: SessionConfig, done) -> None:
        run = self.runs["single"]
        if run is None or self.app.config != base:
            # showing it now would undo what the user changed meanwhile
            self.message.emit("the session changed while the update was computed: it was "
                              "not shown")
            return
        run.trainers[0] = done.trainer
        run.series[0].extend([done.metrics])
        run.paused = True  # the run can go on with Start
        self._written = done.before
        self._play_config = done.session
        self.shown = "single"
        self.app.set_config(done.session, params=done.before)
        self._save_history()
        if self.settings.follow:
            self.app.set_view("network")
        self._changed()
        self.updated.emit(done.metrics)

    # -- following the model ----------------------------------------------------------------
    def _on_result_changed(self, result) -> None:
        if self._play_config is not None and result.config == self._play_config:
            self._play_config = None
            self.app.home()
            self.app.set_playing(True)

    def _on_config_changed(self, config: SessionConfig) -> None:
        run = self.runs["single"]
        if run is None or run is self._active or same_shapes(config, run.base):
            return
        # another model: its curves would describe a model the views no longer show
        self.runs["single"] = None
        self._save_history(user=False)
        if self.shown == "single":
            self._changed()

    def _on_options_changed(self, section: str, options) -> None:
        if section == HISTORY:
            self._restore_history(options)
            return
        if section != "training" or options.temperature == self._temperature:
            return
        self._temperature = options.temperature
        if self._tau is not None:
            self._tau.value = float(options.temperature)  # a running run samples at the new tau
        if not self.running:
            self.request_sample()  # the trained model writes again at the new tau

    def _on_training_running_changed(self, running: bool) -> None:
        if not running and self._active is not None:
            # someone else ended it: the session was replaced (a preset, Open). The run's
            # weights belong to the old session and are not written back.
            self._reason = "abandoned"
            self._stop.set()
