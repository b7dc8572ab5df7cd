"""The error arrows the unfolded view draws: those delta_by_source implies, bundled by squares."""

import numpy as np
import pytest

import sim
from gui.model.present.arrows import error_arrows
from sim import analysis


def test_error_arrows_follow_delta_by_source_and_bundle_by_squares():
    m = sim.SimpleRNN(2, 3, 2, seed=0)
    rng = np.random.default_rng(0)
    T = 9
    bt = m.backward(m.forward(rng.standard_normal((T, 2))), rng.integers(0, 2, T),
                    loss_mask=np.r_[0, np.ones(T - 1)])
    norms = analysis.error_norms(bt.delta_by_source)
    s, k, n = error_arrows(norms, bt.loss_mask, 4)
    assert set(zip(s.tolist(), k.tolist(), strict=True)) == {
        (a, b) for a in range(1, T) for b in range(3, a + 1)}  # J(1) is masked, k >= t - 1
    np.testing.assert_allclose(n, norms[s, k])
    s2, k2, n2 = error_arrows(norms, bt.loss_mask, 1, bundle=3)
    along = s2 != k2
    for a, b, v in zip(s2[along], k2[along], n2[along], strict=True):
        group = [q for q in range(a, a + 3) if q > b and bt.loss_mask[q] == 1]
        assert v == pytest.approx(np.sqrt(np.sum(norms[group, b] ** 2)))
