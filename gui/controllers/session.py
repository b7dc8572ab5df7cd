"""Runs the model's session off the GUI thread: each run request becomes a job, its result is
landed in the model, and cached derived data of results no longer shown is dropped."""

from __future__ import annotations

from PySide6 import QtCore

from ..model.jobs import RunJob

OWNER = "session"


class SessionController(QtCore.QObject):
    """Connects ``ctx.app.run_requested`` to the job runner and the runner back to the model."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.qt.run_requested.connect(self._on_run_requested)
        ctx.qt.result_changed.connect(self._on_result_changed)
        ctx.runner.landed.connect(self._on_landed)
        ctx.runner.failed.connect(self._on_failed)
        if ctx.app.pending is not None:
            self._on_run_requested(ctx.app.pending)

    def _on_run_requested(self, request) -> None:
        self.ctx.runner.request(OWNER, [RunJob(request)])

    def _on_landed(self, job, value) -> None:
        if isinstance(job, RunJob):
            self.ctx.app.land(job.request, value)

    def _on_failed(self, job, message: str) -> None:
        if isinstance(job, RunJob):
            self.ctx.app.fail(job.request, message)

    def _on_result_changed(self, result) -> None:
        # derived data of earlier results is never shown again: free it
        self.ctx.runner.forget(lambda job: getattr(job, "result", result) is not result)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pending run has landed (tests, headless export)."""
        pending = self.ctx.app.pending
        if pending is None:
            return True
        return self.ctx.runner.wait(msecs, jobs=[RunJob(pending)])
