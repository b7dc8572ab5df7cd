"""One piece of GUI work per event-loop tick: the Geometry tab builds its views and, in its grid,
redraws them one after the other, so the window repaints (and takes the next slider step) between
them instead of blocking for all five at once."""

from __future__ import annotations

from collections import OrderedDict

from PySide6 import QtCore


class StepQueue(QtCore.QObject):
    """Runs queued callables one per timer tick, first queued first; a key queued again keeps
    its place and its newest callable."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._steps: OrderedDict = OrderedDict()
        self._timer = QtCore.QTimer(self)
        self._timer.setObjectName("geometry-steps")
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def add(self, key, step) -> None:
        """Run ``step()`` in a later tick (once, however often ``key`` is queued meanwhile)."""
        self._steps[key] = step
        if not self._timer.isActive():
            self._timer.start()

    def __len__(self) -> int:
        return len(self._steps)

    def clear(self) -> None:
        """Drop what is queued (the tab was hidden: its next frame queues it again)."""
        self._steps.clear()
        self._timer.stop()

    def flush(self) -> None:
        """Run everything queued now (exports, tests)."""
        while self._steps:
            self._step()

    def _step(self) -> None:
        if self._steps:
            _, step = self._steps.popitem(last=False)
            try:
                step()
            except RuntimeError as exc:  # the view was deleted while queued
                if "already deleted" not in str(exc):
                    raise
        if not self._steps:
            self._timer.stop()
