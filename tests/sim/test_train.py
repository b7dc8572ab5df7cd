"""Training lowers the loss, clipping limits the norm, and an LSTM learns delayed recall."""

import numpy as np
import pytest

import sim
from sim import tasks, train


@pytest.mark.parametrize("name", tasks.names())
@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM"])
def test_training_lowers_the_loss(name, kind):
    task = tasks.make(name)
    T = min(task.default_length, 12)
    cls = sim.SimpleRNN if kind == "SimpleRNN" else sim.LSTM
    m = cls(task.n_in, 8, task.n_out, output=task.output, seed=0)
    before = train.evaluate(m, task, T, n=16)[0]
    cfg = train.TrainConfig(optimizer="adam", lr=0.02, batch_size=4, length=T, seed=1)
    train.train(m, task, 60, cfg)
    after = train.evaluate(m, task, T, n=16)[0]
    assert after < before


@pytest.mark.parametrize("opt", train.OPTIMIZERS)
def test_each_optimizer_descends(opt):
    task = tasks.make("sign-of-sum")
    m = sim.LSTM(task.n_in, 6, task.n_out, seed=0)
    before = train.evaluate(m, task, 8, n=32)[0]
    lr = {"sgd": 0.1, "momentum": 0.03, "adam": 0.02}[opt]
    train.train(m, task, 80, train.TrainConfig(optimizer=opt, lr=lr, length=8, batch_size=8))
    assert train.evaluate(m, task, 8, n=32)[0] < before


def test_clipping_marks_and_limits():
    task = tasks.make("delayed-recall")
    m = sim.SimpleRNN(task.n_in, 8, task.n_out, seed=0)
    sim.analysis.scale_recurrent(m.params, 3.0)
    t = train.train(m, task, 10, train.TrainConfig(optimizer="sgd", lr=0.01, clip=0.5))
    h = t.arrays()
    assert h["clipped"].any()
    assert np.all(h["norm_after"] <= 0.5 + 1e-9)
    assert np.all(h["clipped"] == (h["norm_before"] > 0.5))
    np.testing.assert_allclose(h["norm_after"][~h["clipped"]], h["norm_before"][~h["clipped"]])


def test_one_update_equals_the_engine_update():
    task = tasks.make("delayed-recall")
    m = sim.LSTM(task.n_in, 5, task.n_out, seed=0)
    cfg = train.TrainConfig(optimizer="sgd", lr=0.1, clip=None, batch_size=1, length=12)
    trainer = train.Trainer(m, task, cfg)
    (s,) = trainer.next_samples()
    before = {k: v.copy() for k, v in m.params.items()}
    bt = m.backward(m.forward(s.xs), s.targets, loss_mask=s.loss_mask)
    trainer.step()
    for k in before:
        np.testing.assert_allclose(m.params[k], before[k] - 0.1 * bt.grads[k], atol=1e-14)


def test_non_finite_gradients_are_not_applied():
    task = tasks.make("adding")
    m = sim.SimpleRNN(task.n_in, 4, task.n_out, activation="relu", output="linear", seed=0)
    m.params["W"][:] = np.eye(4) * 1e200
    m.params["b"][:] = 1.0
    before = {k: v.copy() for k, v in m.params.items()}
    t = train.train(m, task, 2, train.TrainConfig(clip=None, length=10))
    assert not t.history[-1].finite
    for k in before:
        np.testing.assert_array_equal(m.params[k], before[k])


def test_bad_config():
    with pytest.raises(ValueError, match="optimizer"):
        train.TrainConfig(optimizer="rmsprop")
    with pytest.raises(ValueError, match="lr"):
        train.TrainConfig(lr=0)
    with pytest.raises(ValueError, match="clip"):
        train.TrainConfig(clip=-1.0)
    with pytest.raises(ValueError, match="batch_size"):
        train.TrainConfig(batch_size=0)


@pytest.mark.slow
def test_lstm_learns_delayed_recall_with_delay_5():
    task = tasks.make("delayed-recall", delay=5)
    m = sim.LSTM(task.n_in, 16, task.n_out, seed=0)
    cfg = train.TrainConfig(optimizer="adam", lr=0.05, clip=5.0, batch_size=8, length=14, seed=0)
    train.train(m, task, 800, cfg)
    _, acc = train.evaluate(m, task, 14, n=64)
    assert acc >= 0.95
