"""Training the session's model, so that every update can be shown as a session.

The window shows one session: one model on one task sample, forward, backward and one update
theta - lr g (:func:`sim.run.compute`). Training draws many samples; here every sample a
:class:`SessionTrainer` draws is a session sample (``task.sample(T, seed=input_seed)``) with a
known input seed, so any update of a batch of one can be replayed in the window:
:func:`update_session` gives the (SessionConfig, params) pair whose ``compute(...).new_params``
are the weights the engine's update produces (plain SGD; momentum and Adam scale the step by
their own state, which the session's one update does not know).

Also here: whether weights fit a config (:func:`params_fit`), whether two sets of weights are the
same (:func:`same_params`) and a SimpleRNN, an LSTM and a GRU with about the same number of weights
(:func:`similar_size`).

>>> from sim.run import SessionConfig, build_model, compute
>>> from sim.train import TrainConfig
>>> base = SessionConfig(model="SimpleRNN", hidden=4)
>>> trainer = SessionTrainer(build_model(base), base.make_task(),
...                          TrainConfig(optimizer="sgd", lr=0.1, batch_size=1, length=12))
>>> config, params = update_session(base, trainer)
>>> shown = compute(config, params).new_params
>>> _ = trainer.step()          # trainer.model.params now equal shown
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.run import SessionConfig, build_model
from sim.train import TrainConfig, Trainer

from ..limits import MAX_HIDDEN, MAX_LENGTH


def params_fit(config: SessionConfig, params: dict | None) -> bool:
    """Whether ``params`` have exactly the names and shapes of ``config``'s model."""
    if params is None:
        return False
    shapes = build_model(config).param_shapes()
    return set(params) == set(shapes) and all(np.shape(params[k]) == s
                                              for k, s in shapes.items())


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
    #: the sim.run.SessionConfig of the model (a saved history names it), or None
    session_config: object = None

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
        fresh = self.draws_next()
        m = super().step()
        if fresh:  # chunking: a batch serves several updates
            self.drawn += self.config.batch_size
        self.count += 1
        if self.history_limit is not None:
            del self.history[: max(len(self.history) - self.history_limit, 0)]
        return m

    def params_copy(self) -> dict[str, np.ndarray]:
        """The current weights, copied (the model's arrays change in place while training)."""
        return {k: np.array(v) for k, v in self.model.params.items()}


def same_params(a: dict | None, b: dict | None) -> bool:
    """Whether ``a`` and ``b`` are the same weights (equal names and values; None is no
    weights and equals nothing)."""
    if a is None or b is None or set(a) != set(b):
        return False
    return all(np.array_equal(a[k], b[k]) for k in a)


def shows_update_exactly(config: TrainConfig) -> bool:
    """Whether the session's update phase (theta - lr clip(g)) is the step this optimiser takes:
    plain SGD. Momentum and Adam rescale g by their own state."""
    return config.optimizer == "sgd"


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
        learning rate and clipping.
    params : the weights before the update (a copy).
    """
    if not isinstance(trainer, SessionTrainer):
        raise ValueError("trainer must be a SessionTrainer (its samples are session samples)")
    if trainer.config.batch_size != 1:
        raise ValueError(f"the session shows a batch of one; batch_size is "
                         f"{trainer.config.batch_size}")
    tc = trainer.config
    k = tc.truncation
    if k is not None and k > MAX_LENGTH:
        k = None  # a window longer than the GUI's cap on T is full BPTT there
    config = base.replace(
        input_seed=trainer.next_seeds()[0], length=min(tc.length, MAX_LENGTH),
        truncation=k, lr=float(tc.lr), clip=tc.clip, clip_mode=tc.clip_mode,
    )
    return config, trainer.params_copy()


def param_count(config: SessionConfig) -> int:
    """The number of weights of ``config``'s model."""
    shapes = build_model(config).param_shapes()
    return int(sum(int(np.prod(s)) for s in shapes.values()))


#: the kinds a compare run trains side by side
COMPARED = ("SimpleRNN", "LSTM", "GRU")


def similar_size(config: SessionConfig) -> tuple[SessionConfig, SessionConfig, SessionConfig]:
    """A SimpleRNN, an LSTM and a GRU on ``config``'s task with about the same number of weights.

    The session's own model keeps its H when it is one of the three; the others get the H
    (1..MAX_HIDDEN) whose weight count is nearest the session model's (an LSTM has about four
    times the weights of a SimpleRNN of the same H, a GRU about three times).

    Returns
    -------
    (SimpleRNN config, LSTM config, GRU config), each otherwise equal to ``config``.
    """
    target = param_count(config)
    out = []
    for kind in COMPARED:
        if kind == config.model:
            out.append(config)
            continue
        best, best_gap = None, None
        for H in range(1, MAX_HIDDEN + 1):
            cand = config.replace(model=kind, hidden=H)
            gap = abs(param_count(cand) - target)
            if best_gap is None or gap < best_gap:
                best, best_gap = cand, gap
        out.append(best)
    return tuple(out)
