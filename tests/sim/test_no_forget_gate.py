"""An LSTM without a forget gate (f fixed at 1, the LSTM before Gers et al.): the cell keeps
everything, the highway never decays, and the gradients still equal finite differences."""

import numpy as np
import pytest

from sim.analysis import gradient_flow, highway_factors
from sim.lstm import LSTM
from sim.run import SessionConfig, compute


def total_loss(model, params, xs, targets):
    model.params = params
    tr = model.forward(xs)
    return float(model.backward(tr, targets).losses.sum())


@pytest.mark.parametrize("peepholes", [False, True])
def test_gradients_equal_finite_differences(peepholes):
    rng = np.random.default_rng(3)
    m = LSTM(3, 4, 2, peepholes=peepholes, forget_gate=False, seed=1)
    xs = rng.standard_normal((6, 3))
    targets = rng.integers(0, 2, 6)
    tr = m.forward(xs)
    assert not tr.forget_gate
    np.testing.assert_array_equal(tr.f, 1.0)
    # c(t) = c(t-1) + z i: nothing is forgotten
    np.testing.assert_allclose(tr.c, np.cumsum(tr.z * tr.i, axis=0), rtol=1e-12, atol=1e-14)
    grads = m.backward(tr, targets).grads
    base = {k: np.array(v) for k, v in m.params.items()}
    eps = 1e-6
    for name in base:
        for idx in list(np.ndindex(base[name].shape))[:6]:
            plus = {k: v.copy() for k, v in base.items()}
            minus = {k: v.copy() for k, v in base.items()}
            plus[name][idx] += eps
            minus[name][idx] -= eps
            fd = (total_loss(m, plus, xs, targets) - total_loss(m, minus, xs, targets)) / (2 * eps)
            assert grads[name][idx] == pytest.approx(fd, rel=1e-5, abs=1e-8), (name, idx)
    for name in ("W_f", "R_f", "b_f") + (("p_f",) if peepholes else ()):
        np.testing.assert_array_equal(grads[name], 0.0)  # the forget gate takes no part


def test_the_highway_does_not_decay_without_a_forget_gate():
    cfg = dict(model="LSTM", hidden=4, length=20, task="delayed-recall")
    with_f = compute(SessionConfig(**cfg)).forward
    without = compute(SessionConfig(**cfg, forget_gate=False)).forward
    np.testing.assert_array_equal(highway_factors(without), 1.0)
    assert (highway_factors(with_f) < 1).all()
    far = gradient_flow(without).highway[19, 0]  # ||dc(20)/dc(1)||, y held fixed
    assert far == pytest.approx(1.0)
    assert gradient_flow(with_f).highway[19, 0] < 0.1 * far


def test_only_an_lstm_can_lose_its_forget_gate():
    with pytest.raises(ValueError, match="forget_gate"):
        SessionConfig(model="GRU", forget_gate=False)
    with pytest.raises(ValueError, match="forget_gate"):
        SessionConfig(model="LSTM", forget_gate="no")
