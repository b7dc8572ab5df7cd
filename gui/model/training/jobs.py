"""Training's work for the window's job runner (gui/jobs.py), Qt-free: "one update" of the
session's model and the samples a trained model writes.

Each job works on its own copy of what it changes, so a trainer is never shared between the GUI
thread and a worker thread: :class:`OneUpdateJob` steps a deep copy of the trainer and hands the
copy back with the result.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .process import sample_all
from .trainer import update_session


@dataclass(frozen=True)
class OneUpdate:
    """What one update did, ready to be shown as a session.

    Attributes
    ----------
    session : the sim.run.SessionConfig that shows the update (its sample's input seed).
    before : the weights the update started from (the session's weights).
    metrics : the engine's sim.train.UpdateMetrics of the update.
    trainer : the trainer after the update (a copy of the one the job was given).
    """

    session: Any
    before: dict
    metrics: Any
    trainer: Any


@dataclass(frozen=True)
class OneUpdateJob:
    """One update of ``trainer`` on a batch of one sequence (about 50 ms at H = 64, T = 100).

    The key is ``number`` alone (each press of "One update" is a new job); ``base`` (the session
    config the update is shown in) and ``trainer`` travel with it without being compared.
    """

    number: int
    base: Any = field(compare=False, repr=False)
    trainer: Any = field(compare=False, repr=False)
    cost: ClassVar[float] = 0.05
    cached: ClassVar[bool] = False
    cancellable: ClassVar[bool] = False

    def compute(self, progress, should_stop) -> OneUpdate:
        trainer = copy.deepcopy(self.trainer)
        config = trainer.config
        trainer.config = dataclasses.replace(config, batch_size=1)
        try:
            session, before = update_session(self.base, trainer)
            with np.errstate(all="ignore"):
                metrics = trainer.step()
        finally:
            trainer.config = config
        return OneUpdate(session, before, metrics, trainer)


@dataclass(frozen=True)
class SampleJob:
    """Samples of the models of run ``run`` after ``updates`` updates at ``temperature``.

    ``jobs`` are the (label, model, task, T, updates) tuples of
    :func:`gui.model.training.process.sample_jobs` (not compared: the key says which run and
    when). The models are only read.
    """

    run: int
    updates: int
    temperature: float
    jobs: tuple = field(compare=False, repr=False)
    cost: ClassVar[float] = 0.05
    cached: ClassVar[bool] = False

    def compute(self, progress, should_stop) -> list:
        return sample_all(self.jobs, self.temperature)
