"""Chunked truncation: a pass that starts from a carried state, its gradient (the state held
fixed), and a trainer that makes one update per chunk."""

import numpy as np
import pytest

import sim
from sim import tasks
from sim.train import TrainConfig, Trainer, chunk_gradient
from tests import reference as ref

I, H, O, T, K = 2, 3, 3, 8, 4


def models():
    return {"SimpleRNN": ref.jiggle(sim.SimpleRNN(I, H, O, seed=1), 1),
            "LSTM": ref.jiggle(sim.LSTM(I, H, O, peepholes=True, seed=2), 2),
            "GRU": ref.jiggle(sim.GRU(I, H, O, seed=3), 3)}


def data(seed=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((T, I)), rng.integers(0, O, T)


def chunk_loss(m, xs, targets, state0):
    return m.backward(m.forward(xs, state0), targets).loss


def fd_grads(m, fn, eps=1e-6):
    """Centred finite differences of fn() with respect to every parameter of m."""
    out = {}
    for name, p in m.params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = fn()
            p[idx] = old - eps
            down = fn()
            p[idx] = old
            g[idx] = (up - down) / (2 * eps)
        out[name] = g
    return out


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_a_chunks_gradient_holds_the_carried_state_fixed(kind):
    m = models()[kind]
    xs, targets = data()
    first = m.forward(xs[:K])
    state = m.final_state(first)  # computed once, then a constant
    tr = m.forward(xs[K:], state)
    assert all(np.array_equal(a, b) for a, b in zip(tr.state0, state, strict=True))
    bt = m.backward(tr, targets[K:])
    fd = fd_grads(m, lambda: chunk_loss(m, xs[K:], targets[K:], state))
    for name in m.params:
        np.testing.assert_allclose(bt.grads[name], fd[name], atol=1e-6, rtol=1e-6,
                                   err_msg=name)
    # through the state (the state recomputed from the first chunk with the same weights) the
    # gradient is another one: the chunk's truncation drops those paths
    fd_through = fd_grads(m, lambda: chunk_loss(m, xs[K:], targets[K:],
                                                m.final_state(m.forward(xs[:K]))))
    gap = max(np.abs(bt.grads[n] - fd_through[n]).max() for n in m.params)
    assert gap > 1e-4


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_chunks_put_together_are_the_whole_pass(kind):
    m = models()[kind]
    xs, _ = data()
    whole = m.forward(xs)
    a = m.forward(xs[:3])
    b = m.forward(xs[3:6], m.final_state(a))
    c = m.forward(xs[6:], m.final_state(b))
    for name in whole.array_names:
        if name == "x":
            continue
        joined = np.concatenate([getattr(p, name) for p in (a, b, c)])
        np.testing.assert_allclose(joined, getattr(whole, name), rtol=0, atol=1e-14,
                                   err_msg=name)
    assert whole.state0 is None and a.state0 is None


def test_state0_is_checked():
    m = models()["LSTM"]
    xs, _ = data()
    with pytest.raises(ValueError, match="state0"):
        m.forward(xs, (np.zeros(H),))
    with pytest.raises(ValueError, match="state0"):
        m.forward(xs, (np.zeros(H), np.zeros(H + 1)))
    rnn = models()["SimpleRNN"]
    assert np.array_equal(rnn.forward(xs, np.zeros(H)).h, rnn.forward(xs).h)


def test_models_without_a_state_to_carry_refuse_chunks():
    task = tasks.make("char-text")
    bi = sim.BidirectionalRNN(task.n_in, 4, task.n_out)
    s2s = sim.Seq2Seq(2, 4, 3)
    for m in (bi, s2s):
        with pytest.raises(ValueError, match="chunk"):
            Trainer(m, task, TrainConfig(chunk=5, length=20, batch_size=1))
    xs = np.zeros((5, task.n_in))
    with pytest.raises(ValueError, match="carried state"):
        bi.forward_for(xs, None, state0=(np.zeros(4),))


def test_the_chunk_trainer_makes_one_update_per_chunk_and_carries_the_state():
    task = tasks.make("char-text")
    m = sim.SimpleRNN(task.n_in, 8, task.n_out, seed=0)
    cfg = TrainConfig(optimizer="sgd", lr=0.1, clip=None, chunk=10, length=30, batch_size=2)
    tr = Trainer(m, task, cfg)
    samples = tr.next_samples()
    start = {k: v.copy() for k, v in m.params.items()}
    assert tr.draws_next() and tr.chunk_position == (0, 10)
    tr.step()
    assert not tr.draws_next() and tr.chunk_position == (10, 10)
    # the second update is the gradient of steps 10..19 from the states the first chunk ended in,
    # with the weights after the first update
    probe = sim.SimpleRNN(task.n_in, 8, task.n_out)
    probe.params = {k: v.copy() for k, v in start.items()}
    _, _, _, _, ends = chunk_gradient(probe, task, samples, [None, None], 0, 10, cfg)
    probe.params = {k: v.copy() for k, v in m.params.items()}
    g, J, _, _, _ = chunk_gradient(probe, task, samples, ends, 10, 20, cfg)
    before = {k: v.copy() for k, v in m.params.items()}
    metrics = tr.step()
    assert metrics.loss == pytest.approx(J, rel=1e-12)
    for k in m.params:
        np.testing.assert_allclose(m.params[k], before[k] - 0.1 * g[k], rtol=1e-12, atol=1e-15)
    tr.step()
    assert tr.draws_next()  # 30 steps: three chunks, then a new batch
    tr.step()
    assert tr.updates == 4


def test_train_config_checks_chunk():
    with pytest.raises(ValueError, match="chunk"):
        TrainConfig(chunk=0)
    assert TrainConfig(chunk=5).chunk == 5
