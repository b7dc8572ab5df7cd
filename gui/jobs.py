"""The one job runner: every piece of work that may take more than a few milliseconds runs here,
off the GUI thread. (The training loop runs in a process of its own, for the reason given in
gui/model/training/process.py, and reports through its own pipe.)

A job is a frozen, hashable description of the work (a dataclass whose fields are its key) with

- ``compute(progress, should_stop)``: does the work on a worker thread; ``progress(f)`` reports
  a fraction 0..1, ``should_stop()`` says the result is no longer wanted (return or raise early);
- ``cost``: a rough estimate in seconds (above :data:`SHOW_PROGRESS_S` the window shows a
  progress bar with Cancel);
- ``delay_ms`` (optional): start only after requests have paused this long (slider drags);
- ``cached`` (optional, default True): keep the value in the runner's cache;
- ``cancellable`` (optional, default True): False for work that is never worth stopping (the
  session's own run, a few milliseconds);
- ``ahead`` (optional, default False): worth computing before anyone looks, while the user is
  idle, even when slow (it does not depend on the session: the landscape's cliff scene); a
  hidden tab drawn ahead of time asks for it quietly (see :meth:`JobRunner.request`);
- ``urgent`` (optional, default False): start at once, on a thread kept for such jobs, never
  behind other work (the session's run: a slow typeset line held both threads and the window's
  run waited minutes behind it).

Owners (a view, a controller) say what they need with :meth:`JobRunner.request`; a new request
replaces the owner's old one (the latest request per owner wins) and a running job that nobody
wants any more is told to stop. Values land on the GUI thread (:attr:`JobRunner.landed`) and are
cached (least recently used first out), so asking again costs nothing. Nothing here waits on the
GUI thread except :meth:`JobRunner.wait`, which exports and tests call.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Iterable

from PySide6 import QtCore

#: jobs estimated to take longer than this (seconds) show a progress bar and Cancel
SHOW_PROGRESS_S = 0.2
#: every job starts at least this long after the requests last changed: the draw and paint that
#: asked for it finish first (a job thread running Python takes the GIL from them: a tab's first
#: paint took 300 ms beside a starting landscape scene, 115 ms without)
MIN_START_DELAY_MS = 30
CACHE_SIZE = 64
THREADS = 2


class Cancelled(Exception):
    """Raised by a job's compute when ``should_stop()`` turned true (any exception raised after
    a stop was asked for counts as a cancellation)."""


class _Signals(QtCore.QObject):
    progress = QtCore.Signal(int, float)
    finished = QtCore.Signal(int, object, object, str, str)  # id, job, value, status, message


class _Task(QtCore.QRunnable):
    def __init__(self, number: int, job, stop: threading.Event, signals: _Signals):
        super().__init__()
        self.number, self.job, self.stop, self.signals = number, job, stop, signals
        self.setAutoDelete(True)

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the runner is gone (the application is shutting down)
            pass

    def run(self) -> None:
        last = [-1.0]

        def progress(f: float) -> None:
            if f - last[0] >= 0.01 or f >= 1.0:
                last[0] = f
                self._emit(self.signals.progress, self.number, float(f))

        try:
            value = self.job.compute(progress, self.stop.is_set)
        except Exception as exc:  # noqa: BLE001 - the window must survive and say what happened
            if self.stop.is_set() or isinstance(exc, Cancelled):
                self._emit(self.signals.finished, self.number, self.job, None, "cancelled", "")
                return
            if not isinstance(exc, ValueError):  # ValueErrors are messages for the user
                traceback.print_exc()
            message = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            self._emit(self.signals.finished, self.number, self.job, None, "failed", message)
        else:
            status = "cancelled" if self.stop.is_set() else "done"
            self._emit(self.signals.finished, self.number, self.job, value, status, "")


def _urgent(job) -> bool:
    """Whether ``job`` starts at once on a thread of its own (``urgent = True``: the session's
    run, which must never wait behind derived data such as a slow typeset line)."""
    return getattr(job, "urgent", False)


class JobRunner(QtCore.QObject):
    """Runs jobs on a small thread pool, latest request per owner first, and caches values.

    Signals (on the GUI thread)
    ---------------------------
    landed(job, value) : the job is done (its value is also cached unless ``cached = False``).
    failed(job, message) : the job raised; ``message`` is for the user.
    settled(job, status) : a job stopped running: "done", "cancelled" or "failed".
    progress(fraction) : of the jobs started since the runner was last idle, 0..1.
    busy_changed(bool) : whether anything is queued or running.
    cancelled() : :meth:`cancel` stopped something.

    Parameters
    ----------
    threads : worker threads; cache_size : values kept.
    min_delay_ms : quiet time after the requests last changed before any job starts
        (:data:`MIN_START_DELAY_MS`; a job's own ``delay_ms`` may ask for more).
    """

    landed = QtCore.Signal(object, object)
    failed = QtCore.Signal(object, str)
    settled = QtCore.Signal(object, str)
    progress = QtCore.Signal(float)
    busy_changed = QtCore.Signal(bool)
    cancelled = QtCore.Signal()

    def __init__(self, parent=None, *, threads: int = THREADS, cache_size: int = CACHE_SIZE,
                 min_delay_ms: int = MIN_START_DELAY_MS):
        super().__init__(parent)
        self.min_delay_ms = min_delay_ms
        # made before the signals object, so it is destroyed first (waiting for a running task)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(threads + 1)  # one more for urgent jobs (the session run)
        self._threads = threads
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._wanted: dict[str, tuple] = {}
        self._quiet: set[str] = set()  # owners whose last request was quiet
        self._queue: list = []
        self._running: dict = {}  # job -> (number, stop event, start time)
        self._fractions: dict = {}  # job -> progress of a running job
        self._numbers = 0
        self._cancelled: set = set()
        self._errors: dict = {}
        self._batch_done = 0
        self.busy = False
        self.seconds: dict = {}  #: wall time of each computed job (benchmarks)
        self._last_request = 0.0
        self._timer = QtCore.QTimer(self)
        self._timer.setObjectName("job-start-delay")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_next)

    # -- queries ------------------------------------------------------------------------------
    def result(self, job):
        """The cached value of ``job``, or None."""
        value = self._cache.get(job)
        if value is not None:
            self._cache.move_to_end(job)
        return value

    def status(self, job) -> str:
        """"ready", "running", "queued", "cancelled", "failed" or "idle" (nobody asked)."""
        if job in self._cache:
            return "ready"
        if job in self._running:
            return "running"
        if job in self._queue:
            return "queued"
        if job in self._cancelled:
            return "cancelled"
        if job in self._errors:
            return "failed"
        return "idle"

    def error(self, job) -> str:
        return self._errors.get(job, "")

    def running(self) -> list:
        """The jobs on the threads now."""
        return list(self._running)

    def wanted(self, owner: str) -> tuple:
        return self._wanted.get(owner, ())

    @property
    def fraction(self) -> float:
        """Progress of the work since the runner was last idle, 0..1 (1 when idle)."""
        if not self.busy:
            return 1.0
        total = self._batch_done + len(self._running) + len(self._queue)
        done = self._batch_done + sum(self._fractions.values())
        return min(1.0, done / max(total, 1))

    @property
    def slow(self) -> bool:
        """Whether a job that shows progress (cost above SHOW_PROGRESS_S), and that an owner who
        did not ask quietly waits for, is queued or running."""
        loud = {j for owner, jobs in self._wanted.items() if owner not in self._quiet
                for j in jobs}
        return any(getattr(j, "cost", 0.0) > SHOW_PROGRESS_S and j in loud
                   for j in list(self._running) + self._queue)

    # -- requests -----------------------------------------------------------------------------
    def request(self, owner: str, jobs: Iterable = (), *, force: bool = False,
                quiet: bool = False) -> list:
        """Owner ``owner`` needs ``jobs`` (replacing what it asked for before).

        Returns the cached values (None where a job is not ready). ``force`` runs again jobs
        that were cancelled or failed. ``quiet``: nobody is looking (a hidden tab drawn ahead
        of time): its slow jobs show no progress bar until an owner asks for them aloud.
        """
        jobs = tuple(dict.fromkeys(jobs))
        if quiet != (owner in self._quiet):
            (self._quiet.add if quiet else self._quiet.discard)(owner)
            if self.busy:  # work that went on quietly may now show its progress
                self.progress.emit(self.fraction)
        if force:
            for j in jobs:
                self._cancelled.discard(j)
                self._errors.pop(j, None)
        if self._wanted.get(owner) != jobs or force:
            self._wanted[owner] = jobs
            self._schedule()
        return [self.result(j) for j in jobs]

    def release(self, owner: str) -> None:
        """Owner ``owner`` needs nothing any more (a view being closed)."""
        self._quiet.discard(owner)
        if self._wanted.pop(owner, None) is not None:
            self._schedule()

    def resume(self, predicate=None) -> None:
        """Forget cancellations and failures (of the jobs satisfying ``predicate(job)``, or all):
        wanted jobs run again."""
        if predicate is None:
            forgot = bool(self._cancelled or self._errors)
            self._cancelled.clear()
            self._errors.clear()
        else:
            old = len(self._cancelled) + len(self._errors)
            self._cancelled = {j for j in self._cancelled if not predicate(j)}
            self._errors = {j: m for j, m in self._errors.items() if not predicate(j)}
            forgot = len(self._cancelled) + len(self._errors) != old
        if forgot:
            self._schedule()

    def cancel(self, owner: str | None = None, predicate=None) -> None:
        """Stop what ``owner`` (or everyone) waits for, only the jobs satisfying
        ``predicate(job)`` if given; they are not started again until :meth:`resume` or a
        forced request."""
        jobs = {j for j in set(self._queue) | set(self._running)
                if getattr(j, "cancellable", True)}
        if owner is not None:
            jobs &= set(self._wanted.get(owner, ()))
        if predicate is not None:
            jobs = {j for j in jobs if predicate(j)}
        if not jobs:
            return
        self._cancelled.update(jobs)
        self._queue = [j for j in self._queue if j not in jobs]
        for j in jobs & set(self._running):
            self._running[j][1].set()
        if not self._running:
            self._start_next()
        self.cancelled.emit()

    def forget(self, predicate) -> None:
        """Drop cached values whose job satisfies ``predicate(job)`` (e.g. derived from a result
        that is no longer shown)."""
        for job in [j for j in self._cache if predicate(j)]:
            del self._cache[job]

    def _pending(self) -> list:
        seen: dict = {}
        for jobs in self._wanted.values():
            for j in jobs:
                if j not in self._cache and j not in self._cancelled and j not in self._errors:
                    seen.setdefault(j, None)
        return list(seen)

    def _schedule(self) -> None:
        self._last_request = time.monotonic()
        pending = self._pending()
        for job, (_, stop, _) in self._running.items():
            if job not in pending:
                stop.set()  # nobody wants it any more
        self._queue = [j for j in pending if j not in self._running]
        if not self._running and not self._queue:
            self._batch_done = 0
        self._kick()

    def _kick(self) -> None:
        """Start queued jobs, after the quiet time the first of them asks for."""
        if not self._queue:
            self._start_next()
            return
        self._set_busy(True)
        if any(_urgent(j) for j in self._queue):
            self._start_next()  # an urgent job starts now (the rest join if their time has come)
            if not self._queue:
                return
        delay = max(getattr(self._queue[0], "delay_ms", 0), self.min_delay_ms)
        quiet_ms = 1000.0 * (time.monotonic() - self._last_request)
        if quiet_ms >= delay:
            self._start_next()
        else:
            self._timer.start(int(delay - quiet_ms) + 1)

    def _start_next(self) -> None:
        self._timer.stop()
        for job in [j for j in self._queue if _urgent(j)]:  # on the thread kept for them
            self._queue.remove(job)
            self._launch(job)
        while self._queue and sum(not _urgent(j) for j in self._running) < self._threads:
            self._launch(self._queue.pop(0))
        self._set_busy(bool(self._running or self._queue))
        self.progress.emit(self.fraction)

    def _launch(self, job) -> None:
        self._numbers += 1
        stop = threading.Event()
        self._running[job] = (self._numbers, stop, time.perf_counter())
        self._fractions[job] = 0.0
        self._pool.start(_Task(self._numbers, job, stop, self._signals))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            if not busy:
                self._batch_done = 0
            self.busy_changed.emit(busy)

    def _on_progress(self, number: int, f: float) -> None:
        for job, (n, _, _) in self._running.items():
            if n == number:
                self._fractions[job] = f
                self.progress.emit(self.fraction)
                return

    def _on_finished(self, number: int, job, value, status: str, message: str) -> None:
        entry = self._running.get(job)
        if entry is None or entry[0] != number:
            return
        del self._running[job]
        self._fractions.pop(job, None)
        self._batch_done += 1
        if status == "done":
            self.seconds[job] = time.perf_counter() - entry[2]
            if getattr(job, "cached", True):
                self._cache[job] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            else:  # delivered once: nobody waits for it any more
                self._wanted = {o: tuple(j for j in jobs if j != job)
                                for o, jobs in self._wanted.items()}
        elif status == "failed":
            self._errors[job] = message
        # a job stopped because nobody wanted it is neither cached nor marked: if it is wanted
        # again by now, it simply runs again
        self._queue = [j for j in self._pending() if j not in self._running]
        self._kick()
        if status == "done":
            self.landed.emit(job, value)
        elif status == "failed":
            self.failed.emit(job, message)
        self.settled.emit(job, status)

    # -- blocking (exports and tests only) ----------------------------------------------------
    def wait(self, msecs: int = 60_000, jobs=None) -> bool:
        """Block until idle (or until none of ``jobs`` is queued or running); False on timeout."""
        deadline = time.monotonic() + msecs / 1000.0
        jobs = None if jobs is None else tuple(jobs)

        def pending() -> bool:
            if jobs is None:
                return self.busy
            return any(self.status(j) in ("queued", "running") for j in jobs)

        while pending():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._queue and (sum(not _urgent(j) for j in self._running) < self._threads
                                or any(_urgent(j) for j in self._queue)):
                self._start_next()  # do not wait out a start delay
            self._pool.waitForDone(int(min(left, 0.02) * 1000) + 1)
            QtCore.QCoreApplication.sendPostedEvents(self._signals)
            QtCore.QCoreApplication.processEvents()
        return True

    def shutdown(self, msecs: int = 5_000) -> None:
        """Stop everything and wait for the threads (the application is closing)."""
        self._wanted.clear()
        self._queue.clear()
        self._timer.stop()
        for _, stop, _ in self._running.values():
            stop.set()
        self._pool.waitForDone(msecs)
        self._running.clear()
        self._set_busy(False)  # what showed the work (the status bar's indicator) stops too
