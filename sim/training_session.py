"""Training the session's model, so that every update can be shown as a session.

The window shows one session: one model on one task sample, forward, backward and one update
theta - lr g (:func:`sim.session.compute`). Training draws many samples; here every sample a
:class:`SessionTrainer` draws is a session sample (``task.sample(T, seed=input_seed)``) with a
known input seed, so any update of a batch of one can be replayed in the window:
:func:`update_session` gives the (SessionConfig, params) pair whose ``compute(...).new_params``
are the weights the engine's update produces (plain SGD with global or no clipping; momentum and
Adam scale the step by their own state, which the session's one update does not know).

Also here: the model a run starts from (:func:`model_for`), models of the two kinds with about
the same number of weights (:func:`similar_size`) and a running mean for noisy curves.

>>> from sim.session import SessionConfig, compute
>>> from sim.train import TrainConfig
>>> base = SessionConfig(model="SimpleRNN", hidden=4)
>>> trainer = SessionTrainer(model_for(base), base.make_task(),
...                          TrainConfig(optimizer="sgd", lr=0.1, batch_size=1, length=12))
>>> config, params = update_session(base, trainer)
>>> shown = compute(config, params).new_params
>>> _ = trainer.step()          # trainer.model.params now equal shown
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .session import GUI_MAX_LENGTH, MODELS, SessionConfig, build_model
from .train import TrainConfig, Trainer


def model_for(config: SessionConfig, params: dict | None = None, task=None):
    """The session's model: seeded weights, or ``params`` (trained weights) when given.

    Parameters
    ----------
    config : the session config.
    params : name -> array shaped like the model's parameters, or None.
    task : the config's task, if already built.

    Returns
    -------
    SimpleRNN or LSTM whose ``params`` are fresh copies (training may change them in place).
    """
    return build_model(config, task, params)


def params_fit(config: SessionConfig, params: dict | None) -> bool:
    """Whether ``params`` have exactly the names and shapes of ``config``'s model."""
    if params is None:
        return False
    shapes = build_model(config).param_shapes()
    return set(params) == set(shapes) and all(np.shape(params[k]) == s
                                              for k, s in shapes.items())


def train_config(config: SessionConfig, *, optimizer: str = "adam", lr: float = 0.03,
                 clip: float | None = 1.0, clip_mode: str = "global",
                 truncation: int | None = None, batch_size: int = 1,
                 seed: int | None = None) -> TrainConfig:
    """A TrainConfig for the session's model: sequences of the session's length T, and the
    first sample drawn is the session's own (``seed`` defaults to its ``input_seed``)."""
    return TrainConfig(optimizer=optimizer, lr=lr, clip=clip, clip_mode=clip_mode,
                       truncation=truncation, batch_size=batch_size, length=config.length,
                       seed=config.input_seed if seed is None else seed)


@dataclass
class SessionTrainer(Trainer):
    """A Trainer whose samples are session samples.

    Sample j of the run (counting across updates) is ``task.sample(T, seed=config.seed + j)``,
    the sample a session with ``input_seed = config.seed + j`` shows. ``drawn`` counts the
    samples used so far, so the batch size may change between updates (the window's "one update"
    uses a batch of one). ``count`` counts the updates; ``history`` keeps only the last
    ``history_limit`` of them when that is set (the GUI keeps its own history, and a trainer
    sent between processes stays small).
    """

    drawn: int = 0
    count: int = 0
    history_limit: int | None = None

    @property
    def updates(self) -> int:
        return self.count

    def next_seeds(self) -> list[int]:
        """The input seeds of the batch the next update uses."""
        first = self.config.seed + self.drawn
        return list(range(first, first + self.config.batch_size))

    def next_samples(self):
        return [self.task.sample(self.config.length, seed=s) for s in self.next_seeds()]

    def step(self):
        m = super().step()
        self.drawn += self.config.batch_size
        self.count += 1
        if self.history_limit is not None:
            del self.history[: max(len(self.history) - self.history_limit, 0)]
        return m

    def params_copy(self) -> dict[str, np.ndarray]:
        """The current weights, copied (the model's arrays change in place while training)."""
        return {k: np.array(v) for k, v in self.model.params.items()}


def shows_update_exactly(config: TrainConfig) -> bool:
    """Whether the session's update phase (theta - lr clip(g)) is the step this optimiser takes:
    plain SGD with global or no clipping. Momentum and Adam rescale g by their own state;
    per-step clipping clips each step's contribution, which the session does not."""
    return config.optimizer == "sgd" and (config.clip is None or config.clip_mode == "global")


def update_session(base: SessionConfig, trainer: Trainer) -> tuple[SessionConfig, dict]:
    """The session that shows ``trainer``'s next update on a batch of one.

    Call it before ``trainer.step()`` with ``trainer.config.batch_size == 1``.

    Parameters
    ----------
    base : the session config the run trains (model, H, task, loss, seeds...).
    trainer : a :class:`SessionTrainer` of that model.

    Returns
    -------
    config : ``base`` with the sample's ``input_seed``, and the trainer's length T, truncation k,
        learning rate and clipping threshold (None for per-step clipping, which the session's
        update does not do).
    params : the weights before the update (a copy).
    """
    if not isinstance(trainer, SessionTrainer):
        raise ValueError("trainer must be a SessionTrainer (its samples are session samples)")
    if trainer.config.batch_size != 1:
        raise ValueError(f"the session shows a batch of one; batch_size is "
                         f"{trainer.config.batch_size}")
    tc = trainer.config
    k = tc.truncation
    if k is not None and k >= tc.length:
        k = None  # a window at least T long is full BPTT (and may exceed the GUI's cap)
    config = base.replace(
        input_seed=trainer.next_seeds()[0], length=min(tc.length, GUI_MAX_LENGTH),
        truncation=k, lr=float(tc.lr), clip=tc.clip if tc.clip_mode == "global" else None,
    )
    return config, trainer.params_copy()


def param_count(config: SessionConfig) -> int:
    """The number of weights of ``config``'s model."""
    shapes = build_model(config).param_shapes()
    return int(sum(int(np.prod(s)) for s in shapes.values()))


def similar_size(config: SessionConfig) -> tuple[SessionConfig, SessionConfig]:
    """A SimpleRNN and an LSTM on ``config``'s task with about the same number of weights.

    The session's own model keeps its H; the other kind gets the H (1..64) whose weight count is
    nearest (an LSTM has about four times the weights of a SimpleRNN of the same H).

    Returns
    -------
    (SimpleRNN config, LSTM config), both otherwise equal to ``config``.
    """
    own = config
    other_kind = MODELS[1 - MODELS.index(config.model)]
    target = param_count(own)
    best, best_gap = None, None
    for H in range(1, 65):
        cand = config.replace(model=other_kind, hidden=H)
        gap = abs(param_count(cand) - target)
        if best_gap is None or gap < best_gap:
            best, best_gap = cand, gap
    return (own, best) if own.model == "SimpleRNN" else (best, own)


def running_mean(values, window: int) -> np.ndarray:
    """Trailing mean over the last ``window`` finite values (fewer at the start).

    Parameters
    ----------
    values : (n,) numbers; NaN and inf are skipped.
    window : >= 1.

    Returns
    -------
    (n,) float64; NaN where no finite value has been seen yet.
    """
    window = _checks.size("window", window, cap=10**7)
    v = np.asarray(values, dtype=float)  # (n,)
    ok = np.isfinite(v)  # (n,)
    s = np.concatenate([[0.0], np.cumsum(np.where(ok, v, 0.0))])  # (n + 1,) prefix sums
    c = np.concatenate([[0], np.cumsum(ok)])  # (n + 1,) prefix counts
    lo = np.maximum(np.arange(1, v.size + 1) - window, 0)  # (n,) window starts
    hi = np.arange(1, v.size + 1)  # (n,) window ends (exclusive, in prefix terms)
    count = c[hi] - c[lo]  # (n,)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, (s[hi] - s[lo]) / np.maximum(count, 1), np.nan)  # (n,)



def envelope(x, y, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Peak decimation for drawing a long curve: the minimum and maximum of ``y`` over each of
    ``bins`` runs of consecutive points, so every spike stays visible at any length.

    Parameters
    ----------
    x, y : (n,) the curve; NaN in y is skipped (a run of only NaN stays NaN).
    bins : the number of runs; when n <= 2 * bins the curve is returned unchanged.

    Returns
    -------
    xs, ys : (2 * bins,) each run's first x twice, with its min then its max (or the inputs).
    """
    x = np.asarray(x, dtype=float)  # (n,)
    y = np.asarray(y, dtype=float)  # (n,)
    bins = _checks.size("bins", bins, cap=10**7)
    n = y.size
    if n <= 2 * bins:
        return x, y
    starts = (np.arange(bins) * n) // bins  # (bins,) first index of each run
    with np.errstate(invalid="ignore"):
        lo = np.fmin.reduceat(y, starts)  # (bins,) NaN only if the whole run is NaN
        hi = np.fmax.reduceat(y, starts)  # (bins,)
    xs = np.repeat(x[starts], 2)  # (2 bins,)
    ys = np.stack([lo, hi], axis=1).ravel()  # (2 bins,) min, max, min, max, ...
    return xs, ys
