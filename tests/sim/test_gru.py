"""GRU: BPTT against finite differences of the batched reference, and the model's contract."""

import numpy as np
import pytest

import sim
from tests import reference as ref

I, H, O, T = 2, 3, 3, 5
LOSSES = ("cross_entropy", "mse")
MASKS = {"all": np.ones(T), "last": np.eye(T)[-1], "some": np.array([0, 1, 0, 1, 1.0])}


def make(output="softmax", seed=1):
    return ref.jiggle(sim.GRU(I, H, O, output=output, seed=seed), seed)


def data(loss, seed=3):
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((T, I))
    targets = rng.integers(0, O, T) if loss == "cross_entropy" else rng.standard_normal((T, O))
    return xs, targets


def losses(m, xs, targets, loss):
    def fn(P, inj=None):
        return ref.losses_single(P, xs, targets, cell="gru", loss=loss, output=m.output,
                                 inject=inj)
    return fn


@pytest.fixture(scope="module", params=["softmax", "linear"])
def fd_case(request):
    """One GRU, both losses, and finite-difference dJ(s)/dtheta_t for each."""
    m = make(request.param)
    out = {}
    for loss in LOSSES:
        xs, targets = data(loss)
        out[loss] = (xs, targets, ref.fd_batched(losses(m, xs, targets, loss), m.params, T))
    return m, out


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("mask_kind,k", [("all", None), ("last", None), ("some", None),
                                         ("all", 2), ("some", 3), ("all", 1)])
def test_gradients_match_finite_differences(fd_case, loss, mask_kind, k):
    m, out = fd_case
    xs, targets, G = out[loss]
    mask = MASKS[mask_kind]
    tr = m.forward(xs)
    bt = m.backward(tr, targets, loss=loss, loss_mask=mask, truncation=k)
    ref.assert_backward_matches(bt, m.params, G, mask, k)
    J = losses(m, xs, targets, loss)(ref.one_copy(m.params, T))[0]
    np.testing.assert_allclose(bt.losses, J * mask, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("k", [None, 2])
def test_delta_by_source_matches_finite_differences(k):
    m = make()
    xs, targets = data("cross_entropy")
    mask = MASKS["some"]
    bt = m.backward(m.forward(xs), targets, loss_mask=mask, truncation=k)
    D = ref.fd_state_batched(losses(m, xs, targets, "cross_entropy"), m.params, T, H)
    D *= ref.kept(T, T, mask, k)[:, :, None]  # (s, t, H) dJ(s)/dh(t) where it counts
    assert ref.rel_err(bt.delta_by_source, D) <= 1e-6
    np.testing.assert_allclose(bt.delta_by_source.sum(axis=0), bt.deltas["h"], atol=1e-12)


def test_trace_follows_the_equations():
    m = make()
    xs, _ = data("mse")
    tr = m.forward(xs)
    p = m.params
    h_prev = np.vstack([np.zeros((1, H)), tr.h[:-1]])  # (T, H) h(t-1)
    sig = sim.activations.sigmoid
    np.testing.assert_allclose(tr.n_rec, h_prev @ p["R_n"].T, atol=1e-14)
    np.testing.assert_allclose(tr.r, sig(xs @ p["W_r"].T + h_prev @ p["R_r"].T + p["b_r"]))
    np.testing.assert_allclose(tr.u, sig(tr.u_bar))
    np.testing.assert_allclose(tr.n_bar, xs @ p["W_n"].T + p["b_n"] + tr.r * tr.n_rec)
    np.testing.assert_allclose(tr.h, (1 - tr.u) * tr.n + tr.u * h_prev, atol=1e-15)
    np.testing.assert_allclose(tr.out, tr.h @ p["V"].T + p["c"])
    assert list(tr.arrays()) == ["x", "r_bar", "u_bar", "n_rec", "n_bar", "r", "u", "n", "h",
                                 "out", "y_hat"]
    assert (tr.kind, tr.state_name, tr.readout_name) == ("GRU", "h", "out")
    assert tr.n_hidden == H and tr.state is tr.h and tr.readout is tr.out


def test_structure_deltas_and_reproducibility():
    rng = np.random.default_rng(0)
    xs, y = rng.standard_normal((9, 3)), rng.integers(0, 2, 9)
    a, b = sim.GRU(3, 4, 2, seed=7), sim.GRU(3, 4, 2, seed=7)
    ta, tb = a.forward(xs), b.forward(xs)
    for name, v in ta.arrays().items():
        assert v.tobytes() == tb.arrays()[name].tobytes() and not v.flags.writeable, name
    ba, bb = a.backward(ta, y, truncation=3), b.backward(tb, y, truncation=3)
    assert {"h", "r_bar", "u_bar", "n_bar", "n_rec", "out"} <= set(ba.deltas)
    for name in ba.grads:
        assert ba.grads_per_step[name].tobytes() == bb.grads_per_step[name].tobytes()
        np.testing.assert_allclose(ba.grads_per_step[name].sum(axis=0), ba.grads[name],
                                   atol=1e-12)
    D = ba.delta_by_source
    s, t = np.meshgrid(np.arange(9), np.arange(9), indexing="ij")
    assert D.shape == (9, 9, 4) and np.all(D[(s < t) | (s - t >= 3)] == 0)
    assert np.any(D[s - t == 2] != 0)
    assert ba.delta_by_source.tobytes() == bb.delta_by_source.tobytes()
    assert repr(a) == "GRU(n_in=3, n_hidden=4, n_out=2, output='softmax', seed=7)"
    assert not np.array_equal(a.params["R_u"], sim.GRU(3, 4, 2, seed=8).params["R_u"])


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="n_hidden"):
        sim.GRU(2, 257, 2)
    with pytest.raises(ValueError, match="output"):
        sim.GRU(2, 3, 2, output="tanh")
    m = sim.GRU(2, 3, 2)
    with pytest.raises(ValueError, match="xs must have shape"):
        m.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="1000"):
        m.forward(np.zeros((1001, 2)))
    tr = m.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="targets must have shape"):
        m.backward(tr, [0, 1])
    with pytest.raises(ValueError, match="trace must be a forward trace of a GRU"):
        m.backward(sim.LSTM(2, 3, 2).forward(np.zeros((4, 2))), [0, 0, 0, 0])
