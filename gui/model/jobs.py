"""Job descriptions of the application (Qt-free): frozen keys with ``compute(progress,
should_stop)``, for the window's one job runner (gui/jobs.py). Presenters keep the jobs of their
own derived data beside them (gui/model/present/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.run import compute

from .app_model import RunRequest


@dataclass(frozen=True)
class RunJob:
    """The model's run: ``sim.run.compute(config, params)``; its value goes to
    :meth:`gui.model.app_model.AppModel.land` (not cached: the model keeps it)."""

    request: RunRequest
    cost: ClassVar[float] = 0.05
    cached: ClassVar[bool] = False
    cancellable: ClassVar[bool] = False
    urgent: ClassVar[bool] = True  # never queued behind derived data (gui/jobs.py)

    def compute(self, progress, should_stop):
        return compute(self.request.config, self.request.params)
