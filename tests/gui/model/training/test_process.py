"""The training loop the worker process runs, tested in this process."""

import threading

import numpy as np

from gui.model.training.process import COLUMNS, run_loop, sample_all
from gui.model.training.settings import TrainingSettings
from gui.model.training.trainer import SessionTrainer
from sim import generate as gen
from sim.run import SessionConfig, build_model


class Tau:
    value = 0.5


def trainer(config=None, **kw):
    config = config or SessionConfig(hidden=3)
    settings = TrainingSettings(**{k: v for k, v in kw.items() if k in ("optimizer",
                                                                        "batch_size")})
    changes = {k: v for k, v in kw.items() if k not in ("optimizer", "batch_size")}
    return SessionTrainer(build_model(config), config.make_task(),
                          settings.train_config(config, **changes))


def test_the_loop_sends_every_update_then_the_trainers():
    sent = []
    ts = [trainer(), trainer(SessionConfig(model="SimpleRNN", hidden=5))]
    run_loop(sent.append, threading.Event(), Tau(), 7, ts, ["a", "b"], 25, False, send_every=0)
    assert all(m[1] == 7 for m in sent)
    kinds = [m[0] for m in sent]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"metrics"}
    rows = [np.concatenate([m[2][i] for m in sent[:-1]]) for i in range(2)]
    for r in rows:
        assert r.shape == (25, len(COLUMNS))
        np.testing.assert_array_equal(r[:, 0], np.arange(1, 26))  # the update numbers
    _, _, back, error = sent[-1]
    assert error is None and back is ts and [t.updates for t in ts] == [25, 25]
    # the rows are the engine's metrics: replay the first trainer from scratch
    again = trainer()
    for k in range(3):
        m = again.step()
        assert rows[0][k, 1] == m.loss and rows[0][k, 3] == m.norm_before


def test_stop_ends_the_loop_before_the_next_update():
    sent = []
    stop = threading.Event()
    t = trainer()

    def send(msg):
        sent.append(msg)
        if msg[0] == "metrics":
            stop.set()  # the user presses Stop after the first batch arrives

    run_loop(send, stop, Tau(), 1, [t], ["a"], 10_000, False, send_every=0)
    assert sent[-1][0] == "done" and sent[-1][3] is None
    assert t.updates == sum(len(m[2][0]) for m in sent if m[0] == "metrics") == 1


def test_samples_are_sent_for_text_and_generation():
    sent = []
    config = SessionConfig(task="char-text", hidden=3, length=12)
    t = trainer(config)
    run_loop(sent.append, threading.Event(), Tau(), 2, [t], ["lstm"], 3, True, send_every=0,
             sample_every=0)
    samples = [m[2] for m in sent if m[0] == "samples"]
    assert len(samples) >= 2
    (label, g), = samples[-1]
    assert label == "lstm" and g.temperature == 0.5
    want = gen.generate(t.model, t.task, g.indices.size, temperature=0.5, seed=3, context=12)
    np.testing.assert_array_equal(g.indices, want.indices)
    assert sample_all([("x", t.model, t.task, 12, 3)], 0.5)[0][1].text == want.text


def test_an_error_is_reported_with_the_trainers():
    sent = []
    t = trainer()

    def broken():
        raise RuntimeError("boom")

    t.step = broken
    run_loop(sent.append, threading.Event(), Tau(), 3, [t], ["a"], 5, False)
    assert sent[-1][0] == "done" and sent[-1][3] == "RuntimeError: boom"
