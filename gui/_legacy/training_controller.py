"""Training in the window: a controller that runs the engine's Trainer off the GUI thread.

The trainers run in a worker process (``gui.model.training.process``: a thread would hold the GIL and
starve the GUI thread, see there), one update per iteration, checking a stop flag before each,
so pause and stop act within one update (milliseconds for the GUI's model sizes). The worker
sends its metrics in batches at most ~30 times a second; a timer on the GUI thread collects them
and emits one signal per batch, so the plots redraw at a steady rate whatever the update rate.
At the end of a run the trainers (weights, optimiser state) come back, so a paused run resumes.

Pausing, stopping or finishing a run of the session's model writes its weights back into the app
state (``state.set_config(state.config, params=weights)``): every other view then shows the
trained model. "One update" replays one update in the session: the state gets exactly the sample
(a batch of one) and the weights before the update, and plays forward -> backward -> update.
A "compare" run trains a SimpleRNN and an LSTM with about the same number of weights on the same
task and samples, side by side; it leaves the session's weights alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import sys
import time
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore

from gui.model.training import process as training_worker
from gui.model.training.trainer import (
    SessionTrainer,
    model_for,
    params_fit,
    shows_update_exactly,
    similar_size,
    train_config,
    update_session,
)
from sim import generate as gen
from sim.run import SessionConfig
from sim.train import OPTIMIZERS, TrainConfig, UpdateMetrics

from .worker import Worker

#: how often the GUI collects the worker's metrics (ms): at most ~30 redraws a second
POLL_MS = 33
SAMPLE_LENGTH = training_worker.SAMPLE_LENGTH
METRICS = training_worker.COLUMNS
#: the session keys that decide the shapes of the weights
SHAPE_KEYS = ("model", "hidden", "peepholes", "task", "task_settings")
#: compare presets: label -> (task, settings, T, updates), or None for the session's own task
#: and length with the view's number of updates. On the adding problem with T = 30 a SimpleRNN
#: of ~220 weights stays at the loss of guessing the mean while the LSTM of the same size learns
#: (Adam, eta = 0.03, batch 1: its loss drops ~20x between updates ~2000 and ~3000).
COMPARE_TASKS = {
    "adding, T = 30": ("adding", (), 30, 4000),
    "session task": None,
}


@dataclass(frozen=True)
class TrainingSettings:
    """What the training view's controls say (saved with a session).

    Attributes
    ----------
    optimizer : "sgd", "momentum" or "adam".
    lr : learning rate.
    clip : norm threshold, or None for no clipping.
    clip_mode : "global" or "per_step".
    truncation : k for truncated BPTT, or None.
    batch_size : sequences per update.
    n_updates : updates per run.
    temperature : tau of the generated samples.
    compare_task : a key of :data:`COMPARE_TASKS`.
    """

    optimizer: str = "adam"
    lr: float = 0.03
    clip: float | None = 10.0
    clip_mode: str = "global"
    truncation: int | None = None
    batch_size: int = 1
    n_updates: int = 2000
    temperature: float = 0.7
    compare_task: str = "adding, T = 30"

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}")
        if self.compare_task not in COMPARE_TASKS:
            raise ValueError(f"compare_task must be one of {', '.join(COMPARE_TASKS)}")
        if not 1 <= int(self.n_updates) <= 1_000_000:
            raise ValueError(f"n_updates must be in 1..1000000, got {self.n_updates}")
        # the rest is checked by TrainConfig and sim.generate
        TrainConfig(optimizer=self.optimizer, lr=self.lr, clip=self.clip,
                    clip_mode=self.clip_mode, truncation=self.truncation,
                    batch_size=self.batch_size)

    def train_config(self, config: SessionConfig, **changes) -> TrainConfig:
        return dataclasses.replace(
            train_config(config, optimizer=self.optimizer, lr=self.lr, clip=self.clip,
                         clip_mode=self.clip_mode, truncation=self.truncation,
                         batch_size=self.batch_size), **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> TrainingSettings:
        """From :meth:`to_dict` output; unknown keys are ignored, bad values raise ValueError."""
        known = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in dict(d).items() if k in known})
        except TypeError as exc:
            raise ValueError(str(exc)) from None


@contextlib.contextmanager
def _main_hidden():
    """Start a spawned process without it re-running the ``__main__`` script: the worker needs
    nothing from it, and a script without an ``if __name__ == "__main__"`` guard would otherwise
    start again in the child (multiprocessing imports the parent's main module there)."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    try:
        main.__dict__.pop("__file__", None)
        if "__spec__" in saved:
            main.__spec__ = None
        yield
    finally:
        main.__dict__.update(saved)


class Series:
    """The history of one trained model, as growing arrays the plots read (amortised appends,
    so collecting a batch costs its own size, not the history's)."""

    def __init__(self, label: str, kind: str):
        self.label, self.kind = label, kind
        self._n = 0
        self._data = np.zeros((len(METRICS), 256))  # (7, capacity) one row per metric

    def extend(self, rows) -> None:
        """Append updates: a list of UpdateMetrics, or a (k, 7) array of rows of METRICS."""
        if len(rows) == 0:
            return
        if not isinstance(rows, np.ndarray):
            rows = np.array([training_worker.metrics_row(m) for m in rows])  # (k, 7)
        need = self._n + len(rows)
        if need > self._data.shape[1]:
            grown = np.zeros((len(METRICS), max(need, 2 * self._data.shape[1])))  # (7, cap)
            grown[:, : self._n] = self._data[:, : self._n]
            self._data = grown
        self._data[:, self._n : need] = rows.T
        self._n = need

    def __len__(self) -> int:
        return self._n

    def arrays(self) -> dict[str, np.ndarray]:
        """update, loss, accuracy, norm_before, norm_after (float), clipped, finite (bool):
        (n,) views, valid until the next :meth:`extend`."""
        a = {name: self._data[i, : self._n] for i, name in enumerate(METRICS)}
        a["clipped"] = a["clipped"] > 0
        a["finite"] = a["finite"] > 0
        return a


class _Run:
    """One run: one trainer (the session's model) or two (compare), their labels and curves.

    While the worker process has the trainers, the copies here are stale; they are replaced by
    the worker's when it is done."""

    def __init__(self, kind: str, base: SessionConfig, trainers: list, labels: list[str],
                 total: int, key):
        self.kind, self.base, self.trainers, self.total, self.key = kind, base, trainers, total, key
        self.labels = labels
        self.series = [Series(label, t.model.kind) for t, label in zip(trainers, labels,
                                                                        strict=True)]
        self.error: str | None = None

    @property
    def done(self) -> int:
        """Updates every model of the run has done (what the curves hold)."""
        return min(len(s) for s in self.series)


class TrainingController(QtCore.QObject):
    """Runs training for the window. Signals arrive on the GUI thread.

    Signals
    -------
    metrics_changed : new metrics were collected (at most ~30 times a second).
    progress : (done, total) updates of the run.
    samples_changed : list of (label, sim.generate.Generated), one per model.
    running_changed : bool.
    finished : str, why the run ended: "done", "paused", "stopped", "failed: ...".
    message : str, something to tell the user.
    """

    metrics_changed = QtCore.Signal()
    progress = QtCore.Signal(int, int)
    samples_changed = QtCore.Signal(object)
    running_changed = QtCore.Signal(bool)
    finished = QtCore.Signal(str)
    message = QtCore.Signal(str)

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.settings = TrainingSettings()
        self.run: _Run | None = None
        self.paused = False
        self._active = False  # a run is in the worker process
        self._run_id = 0
        self._proc = None  # the worker process, started on the first run
        self._conn = None
        self._stop = None
        self._tau = None
        self._reason = "done"
        self._written: dict | None = None  # the weights this controller last gave the state
        self._play_config: SessionConfig | None = None
        self._rates: list[tuple[float, int]] = []  # (time, updates done) of recent polls
        self._timer = QtCore.QTimer(self)
        self._timer.setObjectName("training-poll")
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._sampler = Worker(self)
        self._sample_job = 0
        self._sampler.done.connect(self._on_sampled)
        self._sampler.failed.connect(lambda _id, msg: self.message.emit(msg))
        state.result_changed.connect(self._on_result_changed)
        state.config_changed.connect(self._on_config_changed)
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # no worker left running as the app quits

    # -- queries ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._active

    @property
    def series(self) -> list[Series]:
        return self.run.series if self.run is not None else []

    @property
    def shows_update_exactly(self) -> bool:
        """Whether the session's update phase is exactly the step "one update" takes."""
        return shows_update_exactly(self.settings.train_config(self.state.config))

    @property
    def run_clip(self) -> float | None:
        """The clipping threshold of the current run (None: no run or no clipping)."""
        return self.run.trainers[0].config.clip if self.run is not None else None

    @property
    def rate(self) -> float:
        """Updates per second over the last second or so of the run (0 when unknown)."""
        if len(self._rates) < 2:
            return 0.0
        (t0, n0), (t1, n1) = self._rates[0], self._rates[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0

    @property
    def run_title(self) -> str:
        """One line on what the current run trains and how."""
        run = self.run
        if run is None:
            return ""
        tc = run.trainers[0].config
        opt = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}[tc.optimizer]
        how = f"{opt}, η = {tc.lr:g}, batch {tc.batch_size}"
        how += f", clip τ = {tc.clip:g} ({tc.clip_mode.replace('_', ' ')})" if tc.clip else ""
        how += f", truncation k = {tc.truncation}" if tc.truncation else ""
        b = run.base
        task = f"{b.task}, T = {tc.length}"
        if run.kind == "compare":
            return f"Compare on {task} (same samples, seed {b.seed}): {how}"
        return f"Training {b.model} on {task}: {how}"

    @property
    def can_resume(self) -> bool:
        return self.run is not None and self.paused and not self.running

    # -- intent -----------------------------------------------------------------------------
    def set_settings(self, settings: TrainingSettings) -> None:
        self.settings = settings
        if self._tau is not None:
            self._tau.value = settings.temperature  # a running run samples at the new tau

    def start(self, settings: TrainingSettings | None = None) -> bool:
        """Train the session's model for ``settings.n_updates`` updates (or resume a paused run
        with the same settings and weights). False if a run is already going."""
        if self.running:
            return False
        s = settings or self.settings
        self.settings = s
        run = self.run
        if not (run is not None and run.kind == "single" and self.paused
                and run.key == self._single_key(s) and self._state_holds_run_weights()):
            run = self._new_single_run(s)
            if run is None:
                return False
        run.total = s.n_updates if run.done < s.n_updates else run.done + s.n_updates
        self._launch(run)
        return True

    def compare(self, settings: TrainingSettings | None = None) -> bool:
        """Train a SimpleRNN and an LSTM of similar size side by side (resume if paused)."""
        if self.running:
            return False
        s = settings or self.settings
        self.settings = s
        run = self.run
        key = ("compare", self._compare_base(s), self._train_key(s))
        if not (run is not None and run.kind == "compare" and self.paused and run.key == key):
            try:
                base = self._compare_base(s)
                rnn, lstm = similar_size(base)
                tc = s.train_config(base)
                trainers, labels = [], []
                for cfg in (rnn, lstm):
                    task = cfg.make_task()
                    model = model_for(cfg, task=task)
                    n = sum(p.size for p in model.params.values())
                    trainers.append(SessionTrainer(model, task, tc, loss=cfg.resolved_loss))
                    labels.append(f"{cfg.model} (H = {cfg.hidden}, {n} weights)")
            except ValueError as exc:
                self.message.emit(str(exc))
                return False
            run = _Run("compare", base, trainers, labels, s.n_updates, key)
        preset = COMPARE_TASKS[s.compare_task]
        n = s.n_updates if preset is None else preset[3]
        run.total = n if run.done < n else run.done + n
        self._launch(run)
        return True

    def pause(self) -> None:
        """Stop after the current update, keep the run for resuming; weights go to the state."""
        if self.running:
            self._reason = "paused"
            self._stop.set()

    def stop(self) -> None:
        """End the run after the current update; weights go to the state."""
        if self.running:
            self._reason = "stopped"
            self._stop.set()
        elif self.paused:
            self.paused = False  # the next Start begins a new run
            self.finished.emit("stopped")

    def one_update(self, settings: TrainingSettings | None = None) -> UpdateMetrics | None:
        """One update of the session's model on a batch of one sequence, replayed in the session:
        the state gets that sample and the weights before the update, then plays the forward ->
        backward -> update sequence. Synchronous (one update takes milliseconds)."""
        if self.running:
            return None
        s = settings or self.settings
        self.settings = s
        run = self.run
        if not (run is not None and run.kind == "single"
                and run.key == self._single_key(s) and self._state_holds_run_weights()):
            run = self._new_single_run(s)
            if run is None:
                return None
            self.run = run
        trainer = run.trainers[0]
        config = trainer.config
        trainer.config = dataclasses.replace(config, batch_size=1)
        try:
            session, before = update_session(run.base, trainer)
            with np.errstate(all="ignore"):
                m = trainer.step()
        finally:
            trainer.config = config
        run.series[0].extend([m])
        self.paused = True  # the run can go on with Start
        self._written = before
        self._play_config = session
        self.state.set_config(session, params=before)
        self.metrics_changed.emit()
        self.progress.emit(run.done, max(run.total, run.done))
        return m

    def request_sample(self) -> bool:
        """A new sample from the current run's model(s) at the current temperature, computed off
        the GUI thread (a running run samples by itself). False if there is nothing to sample."""
        run = self.run
        if run is None or self.running or not gen.supports(run.trainers[0].task):
            return False
        jobs = training_worker.sample_jobs(run.trainers, run.labels)
        self._sample_job = self._sampler.submit(training_worker.sample_all, jobs,
                                                self.settings.temperature)
        return True

    def reset_weights(self) -> None:
        """The session back to its seeded initial weights (the run's curves stay)."""
        if self.running:
            return
        self.paused = False
        self._written = None
        self.state.reset_params()
        self.finished.emit("reset")

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the run has ended and its results are collected (tests, export)."""
        deadline = time.monotonic() + msecs / 1000
        while self._active:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._conn.poll(min(left, 0.05)):
                self._poll()
            elif not self._proc.is_alive():
                self._poll()
        return True

    def shutdown(self) -> None:
        """End any run without writing weights back and the worker process (app closing)."""
        self._timer.stop()
        if self._proc is None:
            return
        if self._active:
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
        self._active = False

    # -- runs -------------------------------------------------------------------------------
    def _train_key(self, s: TrainingSettings):
        return (s.optimizer, s.lr, s.clip, s.clip_mode, s.truncation, s.batch_size)

    def _single_key(self, s: TrainingSettings):
        c = self.state.config
        return ("single", tuple(getattr(c, k) for k in SHAPE_KEYS), c.activation, c.length,
                c.loss, self._train_key(s))

    def _state_holds_run_weights(self) -> bool:
        return self._written is not None and self.state.params is self._written

    def _compare_base(self, s: TrainingSettings) -> SessionConfig:
        preset = COMPARE_TASKS[s.compare_task]
        c = self.state.config
        if preset is None:
            return c.replace(radius=None, truncation=None)
        task, settings, T, _ = preset
        return c.replace(task=task, task_settings=settings, length=T, loss=None, radius=None,
                         truncation=None)

    def _new_single_run(self, s: TrainingSettings) -> _Run | None:
        c = self.state.config
        params = self.state.params if params_fit(c, self.state.params) else None
        try:
            task = c.make_task()
            model = model_for(c, params, task)
            trainer = SessionTrainer(model, task, s.train_config(c), loss=c.resolved_loss)
        except ValueError as exc:
            self.message.emit(str(exc))
            return None
        n = sum(p.size for p in model.params.values())
        label = f"{c.model} (H = {c.hidden}, {n} weights)"
        self.paused = False
        return _Run("single", c, [trainer], [label], s.n_updates, self._single_key(s))

    def _ensure_process(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        # spawn, not fork: the GUI process has threads (Qt's, the thread pools, BLAS)
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._stop = ctx.Event()
        self._tau = ctx.Value("d", float(self.settings.temperature))
        self._proc = ctx.Process(target=training_worker.serve, args=(child, self._stop, self._tau),
                                 name="unfold-training", daemon=True)
        with _main_hidden():
            self._proc.start()
        child.close()

    def _launch(self, run: _Run) -> None:
        self._ensure_process()
        self.run = run
        self.paused = False
        self._reason = "done"
        self._run_id += 1
        self._stop.clear()
        self._tau.value = float(self.settings.temperature)
        for t in run.trainers:
            t.history_limit = 1  # the curves are here; the trainers travel light
            del t.history[:-1]
        sample = gen.supports(run.trainers[0].task)
        self._conn.send(("run", self._run_id, run.trainers, run.labels, run.total, sample))
        self._active = True
        self._rates = [(time.monotonic(), run.done)]
        self._timer.start()
        self.running_changed.emit(True)
        self.progress.emit(run.done, run.total)
        self.metrics_changed.emit()

    # -- the GUI thread: collecting what the worker sends ---------------------------------------
    def _poll(self) -> None:
        """Read every message the worker has sent; finish the run when it is done."""
        run = self.run
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
        if done is None and self._active and not self._proc.is_alive():
            done = ("done", self._run_id, None, "the training process ended unexpectedly")
        if got:
            now = time.monotonic()
            self._rates = [r for r in self._rates if now - r[0] < 1.5] + [(now, run.done)]
            self.metrics_changed.emit()
            self.progress.emit(run.done, run.total)
        if done is not None:
            self._finish(done[2], done[3])

    def _finish(self, trainers, error) -> None:
        self._active = False
        self._timer.stop()
        run = self.run
        if trainers is not None:
            run.trainers = trainers
        reason = self._reason if error is None else f"failed: {error}"
        run.error = error
        self.paused = reason == "paused"
        if run.kind == "single" and trainers is not None:
            self._write_back(run)
        self.progress.emit(run.done, run.total)
        self.running_changed.emit(False)
        self.finished.emit(reason)

    def _write_back(self, run: _Run) -> None:
        """The run's weights into the state, if the session still has this model."""
        c = self.state.config
        if any(getattr(c, k) != getattr(run.base, k) for k in SHAPE_KEYS):
            self.message.emit("the session's model changed during training: the trained "
                              "weights were not written back")
            return
        weights = run.trainers[0].params_copy()
        self._written = weights
        self.state.set_config(c, params=weights)

    def _on_sampled(self, job_id: int, samples) -> None:
        if job_id == self._sample_job:
            self.samples_changed.emit(samples)

    # -- following the state ----------------------------------------------------------------
    def _on_result_changed(self, result) -> None:
        if self._play_config is not None and result.config == self._play_config:
            self._play_config = None
            self.state.home()
            self.state.set_playing(True)

    def _on_config_changed(self, config: SessionConfig) -> None:
        run = self.run
        if run is None or run.kind != "single" or self.running:
            return
        if any(getattr(config, k) != getattr(run.base, k) for k in SHAPE_KEYS):
            self.run = None  # the paused run's model is no longer the session's
            self.paused = False
