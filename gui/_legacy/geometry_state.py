"""The geometry panel's shared state: one D, the sampling parameters, and the Monte Carlo runner.

The five geometry views (``gui/views/geometry_*.py``) share one :class:`GeometryState`, attached
to the application state with ``state.ext("geometry", GeometryState)``. It holds the parameters as
one frozen :class:`GeometryParams` and says which changed (``changed``, a frozenset of field
names). Closed forms are drawn straight from ``sim.geometry``; Monte Carlo work is described by
hashable keys (:class:`AnglesKey`, ...) that a view asks the :class:`SampleRunner` for. The runner
computes them one at a time on a worker thread (cancelled through ``should_stop``), reports
progress, caches the results per key and says when one has landed.

Nothing here draws; :func:`compute` and the small helpers below are plain NumPy so that tests can
call them without Qt.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import fields

from PySide6 import QtCore

from gui.model.present.geometry import (  # noqa: F401 - re-exported for the views and tests
    B_MAX,
    CONTRAST_DIMS,
    CONTRAST_SEEDS,
    D_LINEAR,
    D_MAX,
    DISTANCE_BINS,
    DISTANCE_KINDS,
    GRID_SHOWN,
    MAX_ANGLE_DIMS,
    N_MAX,
    N_PAIRS_CHOICES,
    N_PAIRS_MAX,
    N_POINTS_CHOICES,
    N_POINTS_MAX,
    PRESETS,
    SLIDER_LOG_STEPS,
    SLIDER_MAX,
    START_DELAY_MS,
    AngleHistogram,
    AnglesKey,
    CellCounts,
    CellsKey,
    ContrastCurve,
    ContrastKey,
    DistanceHistogram,
    DistancesKey,
    GeometryParams,
    GridPoints,
    GridPointsKey,
    _int_in,
    _sub_progress,
    angle_edges,
    angle_keys,
    cells_equal_samples,
    cells_key,
    cells_log10,
    compute,
    contrast_key,
    d_grid,
    d_to_slider,
    distances_key,
    equal_volume_radii,
    exact_angle_sd,
    grid_cells,
    grid_points_key,
    parse_dims,
    real_crossing,
    ring_density,
    sd_curve,
    slider_to_d,
)
from sim import geometry


class _Signals(QtCore.QObject):
    progress = QtCore.Signal(int, float)
    finished = QtCore.Signal(int, object, object, str, str)  # id, key, result, status, message


class _Job(QtCore.QRunnable):
    def __init__(self, job_id: int, key, stop: threading.Event, signals: _Signals):
        super().__init__()
        self.job_id, self.key, self.stop, self.signals = job_id, key, stop, signals
        self.setAutoDelete(True)

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the runner is gone (application shutting down)
            pass

    def run(self) -> None:
        last = [-1.0]

        def progress(f: float) -> None:
            if f - last[0] >= 0.01 or f >= 1.0:
                last[0] = f
                self._emit(self.signals.progress, self.job_id, float(f))

        try:
            result = compute(self.key, progress, self.stop)
        except geometry.Cancelled:
            self._emit(self.signals.finished, self.job_id, self.key, None, "cancelled", "")
        except Exception as exc:  # noqa: BLE001 - the panel must survive and say what happened
            if not isinstance(exc, ValueError):
                traceback.print_exc()
            self._emit(self.signals.finished, self.job_id, self.key, None, "failed",
                       f"{type(exc).__name__}: {exc}")
        else:
            self._emit(self.signals.finished, self.job_id, self.key, result, "done", "")


class SampleRunner(QtCore.QObject):
    """Computes sampling keys one at a time on a worker thread and caches the results.

    Views say what they need with :meth:`request` (per owner: a new request replaces the
    owner's old one). The runner works through the union of all owners' keys that are neither
    cached nor cancelled, in request order; a running key that nobody wants any more is stopped
    at its next chunk. :meth:`cancel` stops everything; the cancelled keys are not started again
    until :meth:`resume` (the state calls it whenever a parameter changes).
    """

    progress = QtCore.Signal(float)  #: fraction done of the current batch of keys
    busy_changed = QtCore.Signal(bool)
    landed = QtCore.Signal(object)  #: a key whose result is now cached
    failed = QtCore.Signal(object, str)
    settled = QtCore.Signal(object, str)  #: a key stopped running: "done", "cancelled", "failed"
    cancelled = QtCore.Signal()

    def __init__(self, parent=None, *, cache_size: int = 256):
        super().__init__(parent)
        # created before the signals object, so that it is destroyed (and waits for a running
        # job) before the object the job reports to
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._wanted: dict[str, tuple] = {}
        self._queue: list = []
        self._running = None  # (job id, key, stop event) of the job on the thread
        self._ids = 0
        self._cancelled: set = set()
        self._errors: dict = {}
        self._batch_total = 0  # keys in the current batch (done, running and queued)
        self._batch_done = 0
        self._fraction = 0.0
        self.busy = False
        self.last_job_seconds: dict = {}  #: wall time of each computed key (benchmarks)
        self._t0 = 0.0
        self._last_request = 0.0
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_next)

    # -- queries ------------------------------------------------------------------------------
    def result(self, key):
        """The cached result for ``key``, or None."""
        r = self._cache.get(key)
        if r is not None:
            self._cache.move_to_end(key)
        return r

    def status(self, key) -> str:
        """"ready", "running", "queued", "cancelled", "failed" or "idle" (nobody asked)."""
        if key in self._cache:
            return "ready"
        if self._running is not None and self._running[1] == key:
            return "running"
        if key in self._queue:
            return "queued"
        if key in self._cancelled:
            return "cancelled"
        if key in self._errors:
            return "failed"
        return "idle"

    def error(self, key) -> str:
        return self._errors.get(key, "")

    @property
    def fraction(self) -> float:
        """Progress of the current batch, 0..1 (1 when idle)."""
        return self._fraction

    def running_key(self):
        return None if self._running is None else self._running[1]

    # -- requests -----------------------------------------------------------------------------
    def request(self, owner: str, keys, *, force: bool = False) -> None:
        """Owner ``owner`` needs ``keys`` (replacing what it asked for before).

        ``force`` restarts keys that were cancelled or failed (headless export waits for them).
        """
        keys = tuple(keys)
        if force:
            for k in keys:
                self._cancelled.discard(k)
                self._errors.pop(k, None)
        if self._wanted.get(owner) == keys and not force:
            return
        self._wanted[owner] = keys
        self._schedule()

    def release(self, owner: str) -> None:
        """Owner ``owner`` needs nothing any more."""
        if self._wanted.pop(owner, None) is not None:
            self._schedule()

    def resume(self) -> None:
        """Forget cancellations and failures: wanted keys are computed again."""
        if self._cancelled or self._errors:
            self._cancelled.clear()
            self._errors.clear()
            self._schedule()

    def cancel(self) -> None:
        """Stop the running key at its next chunk and drop the queue (the Cancel button)."""
        if not self.busy:
            return
        self._cancelled.update(self._queue)
        self._queue.clear()
        if self._running is not None:
            self._cancelled.add(self._running[1])
            self._running[2].set()
        else:
            self._start_next()  # nothing on the thread: idle now
        self.cancelled.emit()

    def _pending(self) -> list:
        seen: dict = {}
        for keys in self._wanted.values():
            for k in keys:
                if k not in self._cache and k not in self._cancelled and k not in self._errors:
                    seen.setdefault(k, None)
        return list(seen)

    def _schedule(self) -> None:
        self._last_request = time.monotonic()
        pending = self._pending()
        running = self.running_key()
        if running is not None and running not in pending:
            self._running[2].set()  # nobody wants it any more
        self._queue = [k for k in pending if k != running]
        if self._running is None:
            self._batch_done = 0  # a new batch starts
            self._kick()
        else:
            self._batch_total = self._batch_done + len(self._queue) + 1

    def _kick(self) -> None:
        """Start the next key, or wait until the requests have paused for START_DELAY_MS."""
        if not self._queue:
            self._start_next()  # idle
            return
        self._set_busy(True)
        quiet_ms = 1000.0 * (time.monotonic() - self._last_request)
        if quiet_ms >= START_DELAY_MS:
            self._start_next()
        else:
            self._timer.start(int(START_DELAY_MS - quiet_ms) + 1)

    def _start_next(self) -> None:
        self._timer.stop()
        if self._running is not None:
            return
        if not self._queue:
            self._running = None
            self._fraction = 1.0
            self._set_busy(False)
            return
        key = self._queue.pop(0)
        self._ids += 1
        stop = threading.Event()
        self._running = (self._ids, key, stop)
        self._batch_total = self._batch_done + len(self._queue) + 1
        self._set_busy(True)
        self._emit_progress(0.0)
        self._t0 = time.perf_counter()
        self._pool.start(_Job(self._ids, key, stop, self._signals))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)
            if not busy:
                self.progress.emit(1.0)

    def _emit_progress(self, f: float) -> None:
        total = max(self._batch_total, 1)
        self._fraction = min(1.0, (self._batch_done + f) / total)
        self.progress.emit(self._fraction)

    def _on_progress(self, job_id: int, f: float) -> None:
        if self._running is not None and self._running[0] == job_id:
            self._emit_progress(f)

    def _on_finished(self, job_id: int, key, result, status: str, message: str) -> None:
        if self._running is None or self._running[0] != job_id:
            return
        self._running = None
        self._batch_done += 1
        if status == "done":
            self.last_job_seconds[key] = time.perf_counter() - self._t0
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        elif status == "failed":
            self._errors[key] = message
        # a key stopped because nobody wanted it is neither cached nor marked: if it is wanted
        # again by now, it simply runs again
        self._queue = self._pending()
        self._kick()
        if status == "done":
            self.landed.emit(key)
        elif status == "failed":
            self.failed.emit(key, message)
        self.settled.emit(key, status)

    # -- blocking (tests, headless export) ----------------------------------------------------
    def wait(self, msecs: int = 60_000, keys=None) -> bool:
        """Block until idle (or until none of ``keys`` is queued or running); False on timeout."""
        deadline = time.monotonic() + msecs / 1000.0

        def pending() -> bool:
            if keys is None:
                return self.busy
            return any(self.status(k) in ("queued", "running") for k in keys)

        while pending():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._running is None:  # a start is pending: do not wait for the quiet time
                self._start_next()
            self._pool.waitForDone(int(min(left, 0.05) * 1000) + 1)
            QtCore.QCoreApplication.sendPostedEvents(self._signals)
            QtCore.QCoreApplication.sendPostedEvents(self)
            QtCore.QCoreApplication.processEvents()
        return True


# ---------------------------------------------------------------------------------------------
# the state
# ---------------------------------------------------------------------------------------------


class GeometryState(QtCore.QObject):
    """D, the sampling parameters and the runner the geometry views share."""

    changed = QtCore.Signal(object)  #: frozenset of the GeometryParams fields that changed

    def __init__(self, app_state=None, params: GeometryParams | None = None):
        super().__init__(app_state if isinstance(app_state, QtCore.QObject) else None)
        self.params = params or GeometryParams()
        self.runner = SampleRunner(self)
        pending = getattr(app_state, "pending_settings", {}).get("geometry")
        if pending:  # a session or preset opened before the panel existed
            self.apply(pending)

    def settings(self) -> dict:
        """The parameters as JSON-ready values, for the "geometry" section of a session."""
        p = self.params
        return {f.name: (list(v) if isinstance(v, tuple) else v)
                for f in fields(p) for v in (getattr(p, f.name),)}

    def apply(self, settings: dict) -> frozenset:
        """Restore :meth:`settings`; unknown keys are ignored, a bad value raises ValueError."""
        names = {f.name for f in fields(self.params)}
        known = {k: (tuple(v) if isinstance(v, list) else v) for k, v in settings.items()
                 if k in names}
        return self.set(**known) if known else frozenset()

    def set(self, **changes) -> frozenset:
        """Change parameters (ValueError naming the argument if invalid); returns what changed."""
        new = self.params.replace(**changes)
        diff = frozenset(f.name for f in fields(new)
                         if getattr(new, f.name) != getattr(self.params, f.name))
        if diff:
            self.params = new
            self.runner.resume()  # a new question: cancelled keys may run again
            self.changed.emit(diff)
        return diff

    def set_D(self, D: int) -> frozenset:
        return self.set(D=int(D))

    def resample(self) -> None:
        """New random samples everywhere (the seed moves on)."""
        self.set(seed=self.params.seed + 1)

    def cancel(self) -> None:
        """Stop the sampling (the Cancel button)."""
        self.runner.cancel()

    def resume(self) -> None:
        """Sample again what was cancelled."""
        self.runner.resume()

    def wait(self, msecs: int = 60_000) -> bool:
        return self.runner.wait(msecs)
