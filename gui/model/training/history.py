"""What a training run has done so far: its curves (:class:`Series`) and the run itself
(:class:`Run`: its trainers, their labels, the update count it aims at). Qt-free; the window's
training controller owns the runs and the Training view draws their series.
"""

from __future__ import annotations

import itertools

import numpy as np

from .process import COLUMNS, metrics_row

#: the metrics a series holds, one row each (the worker process' columns)
METRICS = COLUMNS
#: run kinds: the session's own model, or a SimpleRNN, an LSTM and a GRU of about the same size
KINDS = ("single", "compare")
_serials = itertools.count(1)


class Series:
    """The history of one trained model, as growing arrays the plots read.

    Appends are amortised (the capacity doubles), so collecting a batch of updates costs its own
    size, not the history's.

    Parameters
    ----------
    label : how the legend and the header name the model ("LSTM (H = 6, 270 weights)").
    kind : the model's kind, "SimpleRNN" or "LSTM" (it picks the curves' colour).
    """

    def __init__(self, label: str, kind: str):
        self.label, self.kind = label, kind
        self._n = 0
        #: updates of the run not held here (a saved history keeps at most a number of points),
        #: and how many of them were clipped: the totals still count the whole run
        self.left_out = 0
        self.clipped_left_out = 0
        self._data = np.zeros((len(METRICS), 256))  # (7, capacity) one row per metric

    def extend(self, rows) -> None:
        """Append updates: a list of UpdateMetrics, or a (k, 7) array of rows of METRICS."""
        if len(rows) == 0:
            return
        if not isinstance(rows, np.ndarray):
            rows = np.array([metrics_row(m) for m in rows])  # (k, 7)
        need = self._n + len(rows)
        if need > self._data.shape[1]:
            grown = np.zeros((len(METRICS), max(need, 2 * self._data.shape[1])))  # (7, cap)
            grown[:, : self._n] = self._data[:, : self._n]
            self._data = grown
        self._data[:, self._n : need] = rows.T
        self._n = need

    def __len__(self) -> int:
        return self._n

    @property
    def updates(self) -> int:
        """Updates of the whole run (the points held and those left out)."""
        return self._n + self.left_out

    def arrays(self) -> dict[str, np.ndarray]:
        """update, loss, accuracy, norm_before, norm_after (float), clipped, finite (bool):
        (n,) views, valid until the next :meth:`extend`."""
        a = {name: self._data[i, : self._n] for i, name in enumerate(METRICS)}
        a["clipped"] = a["clipped"] > 0
        a["finite"] = a["finite"] > 0
        return a


class Run:
    """One run: one trainer (the session's model) or two (compare), their labels and curves.

    While the worker process has the trainers, the copies here are stale; the controller
    replaces them by the worker's when the run ends.

    Parameters
    ----------
    kind : "single" or "compare".
    base : the sim.run.SessionConfig the run trains (for compare: the compare task's session).
    trainers : SessionTrainer objects; labels : one name each.
    total : the update count the run aims at.
    key : what must not change for the run to be resumed (model, task, training settings).

    Attributes
    ----------
    series : one :class:`Series` per trainer.
    paused : the run stopped at the user's request and may go on.
    error : the message of the error that ended it, or None.
    serial : a number no other run of this process has.
    """

    def __init__(self, kind: str, base, trainers: list, labels: list[str], total: int, key):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        self.kind, self.base, self.trainers, self.total, self.key = kind, base, trainers, total, key
        self.labels = list(labels)
        self.series = [Series(label, t.model.kind)
                       for t, label in zip(trainers, labels, strict=True)]
        self.paused = False
        self.error: str | None = None
        self.serial = next(_serials)

    @property
    def done(self) -> int:
        """Updates every model of the run has done (what the curves hold)."""
        return min(s.updates for s in self.series)

    @property
    def train_config(self):
        """The sim.train.TrainConfig the run trains with (the same for every model)."""
        return self.trainers[0].config

    def aim(self, n_updates: int) -> int:
        """Set :attr:`total` for a start or resume with ``n_updates`` asked for: that many in
        all, or that many more once the run has reached it. Returns the new total."""
        self.total = n_updates if self.done < n_updates else self.done + n_updates
        return self.total
