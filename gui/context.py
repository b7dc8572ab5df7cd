"""What the window's parts share besides the model's events: the model itself, the Qt adapter,
the one job runner, and controllers made on first use."""

from __future__ import annotations

from functools import cached_property

from .jobs import JobRunner
from .model.app_model import AppModel
from .qt_model import QtModel


class Context:
    """The application model, its Qt adapter, the job runner and the training controller.

    Parameters
    ----------
    app : the AppModel (a new default one if None; computed now when ``compute_now``).
    parent : the QObject owning the adapter and the runner (the window), or None.
    """

    def __init__(self, app: AppModel | None = None, parent=None, *, compute_now: bool = True):
        self.app = app if app is not None else AppModel(compute_now=compute_now)
        self.qt = QtModel(self.app, parent)
        self.runner = JobRunner(parent)
        self._parent = parent

    @cached_property
    def training(self):
        """The training controller (its worker process starts with the first run)."""
        from .controllers.training import TrainingController

        return TrainingController(self, self._parent)

    def close(self) -> None:
        """Stop training, background jobs and event forwarding (the window is closing)."""
        if "training" in self.__dict__:
            self.training.shutdown()
        self.runner.shutdown()
        self.qt.close()
