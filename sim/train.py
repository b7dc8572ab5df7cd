"""Training: SGD, momentum and Adam on a task, with optional clipping and truncated BPTT.

Two truncations: ``truncation`` k cuts every error path longer than k - 1 steps inside a whole
pass (one update per sequence); ``chunk`` K cuts the sequence itself into chunks of K steps and
makes one update per chunk, each chunk starting from the state the previous one ended in (held
fixed: no error crosses a chunk's start). The second is the truncation of the simple-RNN
article: update the parameters from a part of the sequence, chunk by chunk.

The GUI runs a :class:`Trainer` off its thread one update at a time; scripts call :func:`train`.
Every model trains the same way: ``model.forward_for(xs, targets)`` is its forward pass for a
sample (a Seq2Seq decoder is fed the targets, teacher forcing; the others read only xs), then
``model.backward``. :func:`evaluate` lets a Seq2Seq decoder feed itself (free running).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from . import _checks
from .clipping import clip_by_norm, global_norm

OPTIMIZERS = ("sgd", "momentum", "adam")


class SGD:
    """theta <- theta - lr g."""

    def __init__(self, lr: float):
        self.lr = lr

    def step(self, params: dict, grads: dict) -> None:
        for k, g in grads.items():
            params[k] -= self.lr * g  # (shape of theta)


class Momentum:
    """v <- beta v + g; theta <- theta - lr v (heavy ball)."""

    def __init__(self, lr: float, beta: float = 0.9):
        self.lr, self.beta = lr, beta
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict, grads: dict) -> None:
        for k, g in grads.items():
            v = self.v.setdefault(k, np.zeros_like(g))
            v *= self.beta
            v += g  # (shape) velocity
            params[k] -= self.lr * v


class Adam:
    """Kingma and Ba (2015), with bias correction."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.n = 0

    def step(self, params: dict, grads: dict) -> None:
        self.n += 1
        c1 = 1 - self.b1 ** self.n  # bias corrections
        c2 = 1 - self.b2 ** self.n
        for k, g in grads.items():
            m = self.m.setdefault(k, np.zeros_like(g))
            v = self.v.setdefault(k, np.zeros_like(g))
            m += (1 - self.b1) * (g - m)  # (shape) first moment
            v += (1 - self.b2) * (g * g - v)  # (shape) second moment
            params[k] -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def make_optimizer(name: str, lr: float):
    """An optimiser by name: "sgd", "momentum" or "adam"."""
    name = _checks.choice("optimizer", name, OPTIMIZERS)
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    return {"sgd": SGD, "momentum": Momentum, "adam": Adam}[name](lr)


@dataclass(frozen=True)
class TrainConfig:
    """How to train.

    Attributes
    ----------
    optimizer : "sgd", "momentum" or "adam".
    lr : learning rate.
    clip : norm threshold, or None for no clipping.
    clip_mode : "global" (the summed gradient) or "per_step" (each step's contribution).
    truncation : k for truncated BPTT, or None.
    batch_size : sequences per update; their gradients are averaged.
    length : sequence length T of the training samples.
    seed : seeds the training samples (update u uses seed + u).
    chunk : K, one update per chunk of K steps with the state carried across chunks (models
        that carry a state only); None for one update per sequence.
    """

    optimizer: str = "adam"
    lr: float = 0.01
    clip: float | None = 1.0
    clip_mode: str = "global"
    truncation: int | None = None
    batch_size: int = 8
    length: int = 12
    seed: int = 0
    chunk: int | None = None

    def __post_init__(self):
        _checks.choice("optimizer", self.optimizer, OPTIMIZERS)
        if not np.isfinite(self.lr) or self.lr <= 0:
            raise ValueError(f"lr must be a number > 0, got {self.lr!r}")
        if self.clip is not None and not (np.isfinite(self.clip) and self.clip > 0):
            raise ValueError(f"clip must be None or a number > 0, got {self.clip!r}")
        _checks.choice("clip_mode", self.clip_mode, ("global", "per_step"))
        if self.truncation is not None:
            _checks.size("truncation", self.truncation, cap=_checks.MAX_LENGTH)
        _checks.size("batch_size", self.batch_size, cap=1024)
        _checks.length("length", self.length)
        _checks.size("seed", self.seed, minimum=0)
        if self.chunk is not None:
            _checks.size("chunk", self.chunk, cap=_checks.MAX_LENGTH)


@dataclass(frozen=True)
class UpdateMetrics:
    """What one update did."""

    update: int
    loss: float  # mean loss over the batch before the update
    accuracy: float  # mean task accuracy over the batch before the update
    norm_before: float  # global norm of the averaged gradient before clipping
    norm_after: float  # and after
    clipped: bool
    finite: bool


def targets_for(task, sample, loss: str, n_out: int) -> np.ndarray:
    """Targets in the form ``loss`` needs: class indices stay, or become one-hot rows for mse."""
    if loss == task.loss:
        return sample.targets
    if loss == "mse" and task.loss == "cross_entropy":
        return np.eye(n_out)[sample.targets]  # (T, O) one-hot
    raise ValueError(f"loss={loss!r} does not fit task {task.name!r}, whose targets are values")


def batch_gradient(model, task, samples, config: TrainConfig, loss: str | None = None):
    """Average gradient, loss and accuracy over ``samples``, with per-step clipping if asked.

    Returns
    -------
    grads : name -> array, averaged over the batch (per-step clipping already applied).
    loss : mean J over the batch.
    accuracy : mean task accuracy (of a Seq2Seq's teacher-forced outputs).
    finite : whether every pass stayed finite.
    """
    loss = loss or task.loss
    total = {k: np.zeros_like(v) for k, v in model.params.items()}
    J, acc, finite = 0.0, 0.0, True
    for s in samples:
        targets = targets_for(task, s, loss, model.n_out)
        tr = model.forward_for(s.xs, targets)  # a Seq2Seq decoder reads the targets
        bt = model.backward(tr, targets, loss=loss, loss_mask=s.loss_mask,
                            truncation=config.truncation)
        g = _sample_gradient(bt, config)
        for k in total:
            total[k] += g[k]
        J += bt.loss
        acc += task.accuracy(tr.y_hat, s)
        finite &= bt.finite
    n = len(samples)
    return {k: v / n for k, v in total.items()}, J / n, acc / n, finite


def _sample_gradient(bt, config: TrainConfig) -> dict:
    """One sequence's gradient: the summed dJ/dtheta, or with per-step clipping the sum of the
    clipped (dJ/dtheta)^(t) (global clipping is applied to the batch's average later)."""
    if config.clip is not None and config.clip_mode == "per_step":
        return clip_by_norm(bt.grads_per_step, config.clip, mode="per_step")[0]
    return bt.grads


def chunk_slice(sample, lo: int, hi: int):
    """Steps lo..hi-1 (0-based) of ``sample``: a Sample of hi - lo steps."""
    return replace(sample, xs=sample.xs[lo:hi], targets=sample.targets[lo:hi],
                   loss_mask=sample.loss_mask[lo:hi])


def chunk_gradient(model, task, samples, states, lo: int, hi: int, config: TrainConfig,
                   loss: str | None = None):
    """Average gradient over steps lo..hi-1 of ``samples``, each chunk starting from its carried
    state (a constant: the errors stop at the chunk's start).

    Parameters
    ----------
    samples : the batch's whole sequences.
    states : per sample, the state its chunk starts from (``model.final_state`` of its
        previous chunk), or None for zeros (the first chunk).
    lo, hi : the chunk's steps, 0-based, hi exclusive.

    Returns
    -------
    grads, loss, accuracy, finite : as :func:`batch_gradient`, over the chunk.
    states : per sample, the state the chunk ended in (what the next chunk starts from).
    """
    if not getattr(model, "carries_state", False):
        raise ValueError(f"chunk: a {model.kind} cannot carry its state from chunk to chunk")
    loss = loss or task.loss
    total = {k: np.zeros_like(v) for k, v in model.params.items()}
    J, acc, finite, ends = 0.0, 0.0, True, []
    for s, state0 in zip(samples, states, strict=True):
        part = chunk_slice(s, lo, hi)
        targets = targets_for(task, part, loss, model.n_out)
        tr = model.forward_for(part.xs, targets, state0=state0)
        bt = model.backward(tr, targets, loss=loss, loss_mask=part.loss_mask,
                            truncation=config.truncation)
        g = _sample_gradient(bt, config)
        for k in total:
            total[k] += g[k]
        J += bt.loss
        acc += task.accuracy(tr.y_hat, part) if part.loss_mask.any() else 0.0
        finite &= bt.finite
        ends.append(model.final_state(tr))
    n = len(samples)
    return {k: v / n for k, v in total.items()}, J / n, acc / n, finite, ends


@dataclass
class Trainer:
    """Trains ``model`` in place on ``task``, one update per :meth:`step`.

    The history lists grow by one entry per update; a GUI can read them between steps. With
    ``config.chunk`` K each update trains on the next K steps of the current batch, carrying
    each sequence's state from the chunk before; a new batch is drawn when the sequences end.
    """

    model: object
    task: object
    config: TrainConfig = field(default_factory=TrainConfig)
    loss: str | None = None
    history: list[UpdateMetrics] = field(default_factory=list)

    def __post_init__(self):
        self.optimizer = make_optimizer(self.config.optimizer, self.config.lr)
        self.loss = self.loss or self.task.loss
        if self.config.chunk is not None and not getattr(self.model, "carries_state", False):
            raise ValueError(f"chunk: a {self.model.kind} cannot carry its state from chunk to "
                             f"chunk; train it on whole sequences")
        self._chunking = None  # (samples, next step, states) while a batch is being chunked

    @property
    def updates(self) -> int:
        return len(self.history)

    def next_samples(self):
        """The batch the next update will use (deterministic in config.seed and the update)."""
        return self.task.batch(self.config.length, self.config.batch_size,
                               seed=self.config.seed + 7919 * self.updates)

    def draws_next(self) -> bool:
        """Whether the next update draws a new batch (always, unless chunking mid-batch)."""
        ch = self._chunking
        return self.config.chunk is None or ch is None or ch[1] >= ch[0][0].T

    @property
    def chunk_position(self) -> tuple[int, int] | None:
        """(first step, steps) of the chunk the next update trains on (0-based), or None."""
        if self.config.chunk is None:
            return None
        lo = 0 if self.draws_next() else self._chunking[1]
        return lo, self.config.chunk

    def _gradient(self):
        cfg = self.config
        if cfg.chunk is None:
            return batch_gradient(self.model, self.task, self.next_samples(), cfg, self.loss)
        if self.draws_next():
            samples = self.next_samples()
            self._chunking = (samples, 0, [None] * len(samples))
        samples, lo, states = self._chunking
        hi = min(lo + cfg.chunk, samples[0].T)
        grads, J, acc, finite, ends = chunk_gradient(self.model, self.task, samples, states,
                                                     lo, hi, cfg, self.loss)
        self._chunking = (samples, hi, ends)
        return grads, J, acc, finite

    def step(self) -> UpdateMetrics:
        """One update: average the batch gradient (of the next chunk, when chunking), clip,
        apply the optimiser."""
        cfg = self.config
        with np.errstate(all="ignore"):
            grads, J, acc, finite = self._gradient()
            before = global_norm(grads)
            clipped = False
            if cfg.clip is not None and cfg.clip_mode == "global" and np.isfinite(before):
                grads, _ = clip_by_norm(grads, cfg.clip)
                clipped = before > cfg.clip
            elif cfg.clip is not None and cfg.clip_mode == "per_step":
                clipped = before > cfg.clip  # reported against the same threshold
            after = global_norm(grads)
            ok = finite and np.isfinite(after)
            if ok:  # a non-finite gradient is reported, never applied
                self.optimizer.step(self.model.params, grads)
        m = UpdateMetrics(self.updates + 1, float(J), float(acc), float(before), float(after),
                          bool(clipped), bool(ok))
        self.history.append(m)
        return m

    def arrays(self) -> dict[str, np.ndarray]:
        """The history as arrays (update, loss, accuracy, norm_before, norm_after, clipped)."""
        names = ("update", "loss", "accuracy", "norm_before", "norm_after", "clipped", "finite")
        return {n: np.array([getattr(m, n) for m in self.history]) for n in names}


def evaluate(model, task, length: int, n: int = 64, *, seed: int = 12345,
             loss: str | None = None, teacher_forcing: bool = False) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` on ``n`` fresh samples of ``task``.

    A Seq2Seq decoder runs free, feeding itself its own outputs as it would in use, unless
    ``teacher_forcing`` (then it reads the targets, as in training); other models ignore it.
    """
    loss = loss or task.loss
    J = acc = 0.0
    for s in task.batch(length, n, seed=seed):
        targets = targets_for(task, s, loss, model.n_out)
        tr = model.forward_for(s.xs, targets, teacher_forcing=teacher_forcing)
        bt = model.backward(tr, targets, loss=loss, loss_mask=s.loss_mask)
        J += bt.loss
        acc += task.accuracy(tr.y_hat, s)
    return J / n, acc / n


def train(model, task, n_updates: int, config: TrainConfig | None = None, *, callback=None,
          should_stop=None) -> Trainer:
    """Run ``n_updates`` updates: ``callback(metrics)`` after each, ``should_stop()`` before."""
    _checks.size("n_updates", n_updates, cap=1_000_000)
    trainer = Trainer(model, task, config or TrainConfig())
    for _ in range(n_updates):
        if should_stop is not None and should_stop():
            break
        m = trainer.step()
        if callback is not None:
            callback(m)
    return trainer
