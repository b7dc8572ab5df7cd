"""What every task is: a Sample, and the Task base that samples and scores (see :mod:`sim.tasks`).

The concrete tasks and their registry live in :mod:`sim.tasks`, which exports both classes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from . import _checks

MAX_BATCH = 100_000


def freeze(arr: np.ndarray) -> np.ndarray:
    """Mark ``arr`` read-only and return it."""
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class Sample:
    """One sequence of a task.

    Attributes
    ----------
    xs : (T, n_in) float64, inputs x(1..T).
    targets : (T,) int64 class indices when the task's loss is "cross_entropy";
        (T, n_out) float64 values when it is "mse". Rows with mask 0 hold 0 and mean nothing.
    loss_mask : (T,) float64 of 0/1: 1 where the loss J(t) counts.

    All three arrays are read-only. For a seq2seq task ``xs`` has T_enc rows and ``targets``
    and ``loss_mask`` have T_dec rows, one per output step.
    """

    xs: np.ndarray
    targets: np.ndarray
    loss_mask: np.ndarray

    @property
    def T(self) -> int:
        """Sequence length T (of the inputs: T_enc for a seq2seq task)."""
        return int(self.xs.shape[0])

    @property
    def T_enc(self) -> int:
        """Input steps: the rows of ``xs``."""
        return int(self.xs.shape[0])

    @property
    def T_dec(self) -> int:
        """Output steps: the rows of ``targets`` and ``loss_mask`` (T for one-sequence tasks)."""
        return int(self.loss_mask.shape[0])


@dataclass(frozen=True)
class Task(ABC):
    """A task with resolved settings; build one with :func:`sim.tasks.make`.

    Attributes
    ----------
    name : the task's name, one of :func:`names`.
    kind : "many-to-one", "one-to-many", "many-to-many" or "seq2seq".
    description : one line for the GUI.
    n_in, n_out : input size I and output size O for these settings.
    loss : "cross_entropy" (targets (T,) int64) or "mse" (targets (T, n_out) float64).
    output : the readout the models should use: "softmax" or "linear".
    default_length : a sensible sequence length T for these settings.
    min_length, max_length : the range of T that :meth:`sample` accepts for these settings.
    tolerance : for "mse" tasks, the largest |error| that :meth:`accuracy` counts as correct;
        None for classification tasks.
    settings : dict of the resolved settings (a fresh copy on each access).
    """

    name: str
    kind: str
    description: str
    n_in: int
    n_out: int
    loss: str
    output: str
    default_length: int
    min_length: int
    max_length: int
    tolerance: float | None
    _settings: tuple = field(repr=False)

    @property
    def settings(self) -> dict:
        """The resolved settings, defaults filled in (a copy: changing it changes nothing)."""
        return dict(self._settings)

    def __repr__(self) -> str:
        # A user text can be long: show its length, not the text.
        args = [
            f"{k}=<{len(v)} characters>" if isinstance(v, str) and v else f"{k}={v!r}"
            for k, v in self._settings
        ]
        return f"Task({', '.join([repr(self.name), *args])})"

    # -- sampling -----------------------------------------------------------------------------

    def check_length(self, T) -> int:
        """Return ``T`` as an int, or raise a ValueError naming T if this task cannot use it."""
        T = _checks.length("T", T)
        if T < self.min_length:
            raise ValueError(f"T must be >= {self.min_length} for {self._what()}, got {T}")
        if T > self.max_length:
            raise ValueError(f"T must be <= {self.max_length} for {self._what()}, got {T}")
        return T

    def sample(self, T, *, seed=0) -> Sample:
        """One sequence of length ``T``, the same for the same (settings, T, seed).

        Parameters
        ----------
        T : int, sequence length, ``min_length..max_length`` (at most 1000).
        seed : int >= 0, seeds ``np.random.default_rng``.

        Returns
        -------
        Sample with xs (T, n_in), targets (T,) or (T, n_out), loss_mask (T,).
        """
        T = self.check_length(T)
        seed = _check_seed(seed)
        return self._sample(T, np.random.default_rng(seed))

    def batch(self, T, n, *, seed=0) -> list[Sample]:
        """``n`` independent sequences of length ``T``.

        Sample i is drawn from the i-th child of ``np.random.SeedSequence(seed)``, so a batch is
        reproducible and ``batch(T, k, seed=s)`` is the first k samples of
        ``batch(T, n, seed=s)``. (Sample i is not ``sample(T, seed=i)``.)
        """
        T = self.check_length(T)
        n = _checks.size("n", n, cap=MAX_BATCH)
        seed = _check_seed(seed)
        children = np.random.SeedSequence(seed).spawn(n)
        return [self._sample(T, np.random.default_rng(c)) for c in children]

    def _sample(self, T: int, rng: np.random.Generator) -> Sample:
        xs, targets, mask = self._draw(T, rng)
        return Sample(xs=freeze(xs), targets=freeze(targets), loss_mask=freeze(mask))

    @abstractmethod
    def _draw(self, T: int, rng: np.random.Generator):
        """(xs, targets, loss_mask) of one sample: what each task defines."""

    def _what(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self._settings if not isinstance(v, str))
        return f"task {self.name!r}" + (f" with {extra}" if extra else "")

    # -- scoring ------------------------------------------------------------------------------

    def accuracy(self, y_hat, sample: Sample, *, steps=None) -> float:
        """Fraction of the masked steps that ``y_hat`` gets right.

        Classification: the argmax of y_hat(t) equals the target class. Regression: every
        component of |y_hat(t) - target(t)| is below :attr:`tolerance`.

        Parameters
        ----------
        y_hat : (T_dec, n_out) predictions, one row per target (probabilities or raw scores; only
            the argmax matters for classification).
        sample : the Sample the predictions are for.
        steps : optional (T_dec,) bool: count only these of the masked steps (for instance
            :meth:`future_dependent`).

        Returns
        -------
        float in [0, 1].
        """
        correct, on = self._correct(y_hat, sample, steps)
        return float(np.mean(correct[on]))

    def sequence_accuracy(self, y_hat, sample: Sample) -> float:
        """1.0 when ``y_hat`` gets every masked step right, else 0.0 (a whole reversed or
        sorted sequence, say)."""
        correct, on = self._correct(y_hat, sample, None)
        return float(np.all(correct[on]))

    def future_dependent(self, sample: Sample) -> np.ndarray:
        """(T_dec,) bool: the steps whose target depends on an input that comes after them, when
        target t is read against input t (what a one-directional model cannot know yet)."""
        if not isinstance(sample, Sample):
            raise ValueError(f"sample must be a Sample, got {type(sample).__name__}")
        return self._future(sample)

    def _future(self, sample: Sample) -> np.ndarray:
        return np.zeros(sample.T_dec, dtype=bool)  # (T,) no task before next-word looks ahead

    def _correct(self, y_hat, sample: Sample, steps) -> tuple[np.ndarray, np.ndarray]:
        """(T_dec,) which steps are right, and (T_dec,) which of them count."""
        if not isinstance(sample, Sample):
            raise ValueError(f"sample must be a Sample, got {type(sample).__name__}")
        T = sample.T_dec
        if sample.xs.shape[1] != self.n_in:
            raise ValueError(
                f"sample has {sample.xs.shape[1]} inputs per step; {self._what()} has {self.n_in}"
            )
        # An exploding model's predictions may be inf or NaN: they count as wrong, never raise.
        y_hat = _checks.array("y_hat", y_hat, (T, self.n_out), finite=False)  # (T, O)
        on = sample.loss_mask > 0  # (T,) steps that count
        ok = np.isfinite(y_hat).all(axis=1)  # (T,)
        if self.loss == "cross_entropy":
            correct = ok & (np.argmax(np.where(ok[:, None], y_hat, 0.0), axis=1)
                            == sample.targets)  # (T,)
        else:
            with np.errstate(invalid="ignore"):
                err = np.abs(y_hat - sample.targets)  # (T, O)
            correct = ok & np.all(err < self.tolerance, axis=1)  # (T,)
        if steps is not None:
            on = on & _checks.array("steps", steps, (T,), dtype=bool)  # (T,)
        if not on.any():
            raise ValueError("sample has no step with loss_mask 1"
                             + ("" if steps is None else " among steps"))
        return correct, on


def _check_seed(seed) -> int:
    return _checks.size("seed", seed, minimum=0)
