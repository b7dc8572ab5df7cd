"""The articles' vanishing-gradient formulas beside the true derivatives: the true product equals
the engine's errors, the article's ordering differs from it, the bound holds, and the LSTM's
||dJ(s)/dc(k)|| equals the engine's delta_c when J(s) is the only loss."""

import numpy as np
import pytest

from sim.run import SessionConfig, build_model, compute
from sim.vanishing import cell_errors, simple_rnn_product


def test_the_true_product_carries_the_engines_error_back():
    r = compute(SessionConfig(model="SimpleRNN", hidden=5, length=10, radius=1.2))
    tr, bt = r.forward, r.backward
    D = np.asarray(bt.delta_by_source)  # (T, T, H) dJ(s)/dh(t)
    s = int(bt.sources[-1])
    for k in (1, 4, s - 1):
        p = simple_rnn_product(tr, s, k)
        np.testing.assert_allclose(p.true @ D[s - 1, s - 1], D[s - 1, k - 1], rtol=1e-10,
                                   atol=1e-14)
        assert p.true_norm <= p.bound * (1 + 1e-12)  # the article's inequality holds
        if s - k > 1:  # the article's ordering is not the derivative
            assert p.relative_error > 1e-3
        else:  # one step: W^T diag(g') either way
            assert p.relative_error < 1e-12


def test_the_product_refuses_what_it_cannot_be():
    r = compute(SessionConfig(model="LSTM", hidden=3, length=5))
    with pytest.raises(ValueError, match="simple RNN"):
        simple_rnn_product(r.forward, 3, 1)
    r = compute(SessionConfig(model="SimpleRNN", hidden=3, length=5))
    with pytest.raises(ValueError, match="k < t"):
        simple_rnn_product(r.forward, 3, 3)


@pytest.mark.parametrize("peepholes", [False, True])
@pytest.mark.parametrize("truncation", [None, 3])
def test_cell_errors_equal_the_engines_delta_c_of_one_loss(peepholes, truncation):
    cfg = SessionConfig(model="LSTM", hidden=4, length=8, peepholes=peepholes,
                        truncation=truncation)
    r = compute(cfg)
    tr = r.forward
    norms = cell_errors(tr, np.asarray(r.backward.deltas["out"]), r.backward.loss_mask,
                        truncation)
    model = build_model(cfg, params=tr.params)
    for s in range(tr.T):
        if r.backward.loss_mask[s] != 1:
            assert not norms[s].any()
            continue
        only = np.zeros(tr.T)
        only[s] = 1
        bt = model.backward(tr, r.targets, loss=cfg.resolved_loss, loss_mask=only,
                            truncation=truncation)
        dc = np.linalg.norm(np.asarray(bt.deltas["c"]), axis=1)  # (T,) ||dJ(s)/dc(k)||
        np.testing.assert_allclose(norms[s], dc, rtol=1e-9, atol=1e-15)
