"""Training in a worker process: the loop the GUI's training controller runs off its thread.

Why a process and not a thread: an update is many small NumPy calls, so a training thread holds
the GIL almost all the time, and every call the GUI thread makes back into Python (pyqtgraph
paints through Python) then waits for it. Measured on the default LSTM: with a training thread
a 10 ms GUI timer fired a handful of times in 3 s. In its own process the trainer runs on the
other core and the window stays live.

The loop is pure Python and NumPy (no Qt) and talks through a ``send`` callable, so it is tested
in-process; :func:`serve` wraps it for the pipe to the process (which only
gui/controllers/training.py starts).

Messages sent (each a tuple; ``run_id`` lets the receiver drop a stale run's messages):

- ``("metrics", run_id, [rows_0, rows_1, ...])``: per trainer, a (k, 7) array of the k updates
  done since the last message, columns :data:`COLUMNS`. At most every :data:`SEND_EVERY` s.
- ``("samples", run_id, [(label, Generated), ...])``: generated sequences (char-text, generate).
- ``("done", run_id, trainers, error)``: the trainers after the last update (weights, optimiser
  state, samples drawn), and None or the error message that ended the run.
"""

from __future__ import annotations

import time

import numpy as np

from sim import generate as gen

COLUMNS = ("update", "loss", "accuracy", "norm_before", "norm_after", "clipped", "finite")
#: seconds between metrics messages (the GUI redraws at most ~30 times a second anyway)
SEND_EVERY = 0.03
#: wall-clock seconds between generated samples while training
SAMPLE_EVERY = 0.75
SAMPLE_LENGTH = 60


def metrics_row(m) -> tuple:
    """An UpdateMetrics as a row of :data:`COLUMNS` (floats; clipped and finite as 0/1)."""
    return tuple(float(getattr(m, c)) for c in COLUMNS)


def sample_all(jobs, temperature: float) -> list:
    """(label, Generated) for each (label, model, task, T, updates): seeded by the update count;
    the model reads at most its training length T of recent characters."""
    return [(label, gen.generate(model, task, SAMPLE_LENGTH, temperature=temperature,
                                 seed=updates, context=T))
            for label, model, task, T, updates in jobs]


def sample_jobs(trainers, labels) -> list:
    """The (label, model, task, T, updates) jobs :func:`sample_all` takes, one per trainer."""
    return [(label, t.model, t.task, t.config.length, t.updates)
            for t, label in zip(trainers, labels, strict=True)]


def run_loop(send, stop, temperature, run_id: int, trainers: list, labels: list, total: int,
             sample: bool, *, send_every: float = SEND_EVERY,
             sample_every: float = SAMPLE_EVERY) -> None:
    """Step every trainer in turn until each has done ``total`` updates or ``stop`` is set.

    Parameters
    ----------
    send : callable taking one message tuple.
    stop : an object with ``is_set()`` (an event shared with the process, or threading.Event in
        tests), checked before every round of updates.
    temperature : an object with a float ``value`` (a shared double), read at each sample.
    run_id : echoed in every message.
    trainers : sim.train.Trainer objects (changed in place); labels : one name each.
    total : the update count to stop at.
    sample : whether to send generated samples (the task supports them).
    """
    pending: list[list[tuple]] = [[] for _ in trainers]
    last = time.monotonic()
    next_sample = last
    error = None

    def flush():
        if any(pending):
            send(("metrics", run_id, [np.array(p, dtype=float).reshape(-1, len(COLUMNS))
                                      for p in pending]))
            for p in pending:
                p.clear()

    try:
        with np.errstate(all="ignore"):
            while not stop.is_set() and min(t.updates for t in trainers) < total:
                for i, trainer in enumerate(trainers):
                    pending[i].append(metrics_row(trainer.step()))
                now = time.monotonic()
                if now - last >= send_every:
                    flush()
                    last = now
                if sample and now >= next_sample:
                    send(("samples", run_id, sample_all(sample_jobs(trainers, labels),
                                                        float(temperature.value))))
                    next_sample = time.monotonic() + sample_every
            flush()
            if sample:
                send(("samples", run_id, sample_all(sample_jobs(trainers, labels),
                                                    float(temperature.value))))
    except Exception as exc:  # noqa: BLE001 - the GUI shows it and carries on
        flush()
        error = f"{type(exc).__name__}: {exc}"
    send(("done", run_id, trainers, error))


def serve(conn, stop, temperature) -> None:
    """The worker process: run each ``("run", run_id, trainers, labels, total, sample)`` that
    arrives on ``conn``; end on ``("quit",)`` or when the other end closes."""
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg[0] == "quit":
            return
        if msg[0] == "run":
            _, run_id, trainers, labels, total, sample = msg
            run_loop(conn.send, stop, temperature, run_id, trainers, labels, total, sample)
