"""Run engine work off the GUI thread; results come back by signal on the GUI thread."""

from __future__ import annotations

import itertools
import traceback

from PySide6 import QtCore


class _Signals(QtCore.QObject):
    done = QtCore.Signal(int, object)
    failed = QtCore.Signal(int, str)


class _Job(QtCore.QRunnable):
    def __init__(self, job_id, fn, args, signals):
        super().__init__()
        self.job_id, self.fn, self.args, self.signals = job_id, fn, args, signals
        self.setAutoDelete(True)

    def run(self):
        try:
            result = self.fn(*self.args)
        except ValueError as exc:  # a user-facing message from the engine's checks
            self.signals.failed.emit(self.job_id, str(exc))
        except Exception as exc:  # noqa: BLE001 - the GUI must survive and say what happened
            traceback.print_exc()
            self.signals.failed.emit(self.job_id, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(self.job_id, result)


class Worker(QtCore.QObject):
    """A one-thread pool: jobs run in order; each gets an id so stale results can be ignored."""

    done = QtCore.Signal(int, object)
    failed = QtCore.Signal(int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self.done)
        self._signals.failed.connect(self.failed)

    def submit(self, fn, *args) -> int:
        job_id = next(self._ids)
        self._pool.start(_Job(job_id, fn, args, self._signals))
        return job_id

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job has finished (for tests and headless export)."""
        ok = self._pool.waitForDone(msecs)
        QtCore.QCoreApplication.processEvents()
        return ok
