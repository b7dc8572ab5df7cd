"""Training a session without a window (``--train N``): Qt-free, in this process.

:func:`session_run` makes the run the window's Start would make (the session's model and
weights, its lr, clipping and truncation, its "training" section), or carries on with the run
the session saved when the session's weights are the ones that run ended with.
:func:`trained_session` turns the run back into a session: its weights and, in the option
section "training-history", its curves.

>>> from sim.run import SessionConfig
>>> from gui.model.session_file import Session
>>> run = session_run(Session(config=SessionConfig(hidden=3, length=6)))
>>> _ = step(run)
>>> s = trained_session(Session(config=SessionConfig(hidden=3, length=6)), run)
>>> s.options["training-history"].single.models[0].updates
1
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.run import build_model

from ..options import parse_options
from .history import Run
from .process import metrics_row
from .saved import TrainingHistory, weights_hash
from .trainer import SessionTrainer, params_fit


def label(config, model) -> str:
    """How the legend names a model: "LSTM (H = 6, 270 weights)"."""
    n = sum(p.size for p in model.params.values())
    return f"{config.model} (H = {config.hidden}, {n} weights)"


def session_run(session) -> Run:
    """The run of ``session``'s model (a new one, or the saved one carried on).

    Carrying on needs the saved run's model, task and training settings to be the session's,
    and the session's weights to be those the run ended with; the optimiser starts afresh
    (its state is not saved). ValueError when the model cannot be trained so (e.g. chunks with
    a model that carries no state).
    """
    options = parse_options(session.options)
    settings = options.get("training")
    if settings is None:
        from .settings import TrainingSettings

        settings = TrainingSettings()
    c = session.config
    params = session.params if params_fit(c, session.params) else None
    tc = settings.train_config(c)
    task = c.make_task()
    model = build_model(c, task, params)
    trainer = SessionTrainer(model, task, tc, loss=c.resolved_loss, session_config=c)
    run = Run("single", c, [trainer], [label(c, model)], settings.n_updates, key=None)
    history = options.get("training-history")
    saved = history.single if history is not None else None
    if (saved is not None and saved.config == c
            and dataclasses.replace(saved.training, seed=0) == dataclasses.replace(tc, seed=0)
            and saved.weights is not None and saved.weights == weights_hash(model.params)):
        saved.fill(run.series)
        trainer.count = saved.models[0].updates
        trainer.drawn = saved.models[0].drawn
    return run


def step(run: Run):
    """One update of every model of ``run``, its metrics added to the run's curves."""
    out = []
    with np.errstate(all="ignore"):
        for t, s in zip(run.trainers, run.series, strict=True):
            m = t.step()
            s.extend(np.array([metrics_row(m)]))
            del t.history[:-1]  # the curves hold the history
            out.append(m)
    return out


def trained_session(session, run: Run):
    """``session`` with ``run``'s weights and its curves as the session's training history (a
    compare run the session saved stays)."""
    params = run.trainers[0].params_copy()
    options = parse_options(session.options)
    old = options.get("training-history", TrainingHistory())
    new = TrainingHistory.from_runs({"single": run}, weights_hash(params))
    options["training-history"] = dataclasses.replace(old, single=new.single)
    return dataclasses.replace(session, params=params, options=options)
