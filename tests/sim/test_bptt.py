"""BPTT against finite differences of an independent implementation (tests/reference.py)."""

import numpy as np
import pytest

import sim
from tests import reference as ref

I, H, O, T = 2, 3, 3, 5
TOL = 1e-6


def make(kind, *, activation="tanh", peepholes=False, output="softmax", seed=1):
    if kind == "rnn":
        m = sim.SimpleRNN(I, H, O, activation=activation, output=output, seed=seed)
    else:
        m = sim.LSTM(I, H, O, peepholes=peepholes, output=output, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for v in m.params.values():  # random biases too, so no gradient is trivially zero
        v += 0.3 * rng.standard_normal(v.shape)
    return m


def data(loss, seed=3):
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((T, I))
    targets = rng.integers(0, O, T) if loss == "cross_entropy" else rng.standard_normal((T, O))
    return xs, targets


def losses_fn(m, xs, targets, loss):
    if isinstance(m, sim.SimpleRNN):
        return lambda P: ref.losses_rnn(P, xs, targets, activation=m.activation, loss=loss,
                                        output=m.output)
    return lambda P: ref.losses_lstm(P, xs, targets, peepholes=m.peepholes, loss=loss,
                                     output=m.output)


CASES = (
    [("rnn", dict(activation=a, output=o)) for a in ("tanh", "relu", "sigmoid")
     for o in ("softmax", "linear")]
    + [("lstm", dict(peepholes=p, output=o)) for p in (False, True) for o in ("softmax", "linear")]
)


def case_id(c):
    return c[0] + "-" + "-".join(f"{v}" for v in c[1].values())


@pytest.fixture(scope="module", params=CASES, ids=case_id)
def fd_case(request):
    """One model, two losses, and finite-difference dJ(s)/dtheta_t for each."""
    kind, cfg = request.param
    m = make(kind, **cfg)
    out = {}
    for loss in ("cross_entropy", "mse"):
        xs, targets = data(loss)
        out[loss] = (xs, targets, ref.fd_source_step(losses_fn(m, xs, targets, loss), m.params, T))
    return m, out


def expected(G, mask, k=None):
    """Sum dJ(s)/dtheta_t over (s, t) with mask(s) = 1 and 0 <= s - t < k."""
    s, t = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")
    keep = (s >= t) & (mask[:, None] == 1)
    if k is not None:
        keep &= s - t < k
    w = keep.astype(float)  # (s, t)
    per_step = np.einsum("st,st...->t...", w, G)  # (t, *shape)
    return per_step.sum(axis=0), per_step


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("mask_kind,k", [("all", None), ("last", None), ("some", None),
                                         ("all", 2), ("some", 3), ("all", 1)])
def test_gradients_match_finite_differences(fd_case, loss, mask_kind, k):
    m, out = fd_case
    xs, targets, G = out[loss]
    masks = {"all": np.ones(T), "last": np.eye(T)[-1], "some": np.array([0, 1, 0, 1, 1.0])}
    mask = masks[mask_kind]
    tr = m.forward(xs)
    bt = m.backward(tr, targets, loss=loss, loss_mask=mask, truncation=k)
    assert set(bt.grads) == set(m.params)
    for name in m.params:
        total, per_step = expected(G[name], mask, k)
        assert ref.rel_err(bt.grads[name], total) <= TOL, name
        assert ref.rel_err(bt.grads_per_step[name], per_step) <= TOL, name
        assert np.abs(bt.grads[name]).max() > 0 or np.abs(total).max() == 0
    # the loss itself, against the reference forward
    J = losses_fn(m, xs, targets, loss)(ref.per_step_params(m.params, T))
    np.testing.assert_allclose(bt.losses, J * mask, rtol=1e-12, atol=1e-14)
    assert bt.loss == pytest.approx(float((J * mask).sum()), rel=1e-12)


@pytest.mark.parametrize("kind,cfg", [("rnn", {}), ("rnn", {"activation": "sigmoid"}),
                                      ("lstm", {}), ("lstm", {"peepholes": True})])
@pytest.mark.parametrize("k", [None, 2])
def test_delta_by_source_matches_finite_differences(kind, cfg, k):
    m = make(kind, **cfg)
    xs, targets = data("cross_entropy")
    mask = np.array([1, 0, 1, 1, 1.0])
    tr = m.forward(xs)
    bt = m.backward(tr, targets, loss_mask=mask, truncation=k)
    if kind == "rnn":
        def fn(inj):
            return ref.losses_rnn(ref.per_step_params(m.params, T), xs, targets,
                                  activation=m.activation, loss="cross_entropy",
                                  output=m.output, inject=inj)
    else:
        def fn(inj):
            return ref.losses_lstm(ref.per_step_params(m.params, T), xs, targets,
                                   peepholes=m.peepholes, loss="cross_entropy",
                                   output=m.output, inject=inj)
    D = ref.fd_state(fn, T, H) * mask[:, None, None]  # (s, t, H) dJ(s)/dstate(t)
    if k is not None:
        s, t = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")
        D[(s - t) >= k] = 0.0
    assert ref.rel_err(bt.delta_by_source, D) <= TOL
    state = "h" if kind == "rnn" else "y"
    np.testing.assert_allclose(bt.delta_by_source.sum(axis=0), bt.deltas[state], atol=1e-12)


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
@pytest.mark.parametrize("k", [None, 1, 3])
def test_structure_of_per_step_and_by_source(kind, k):
    rng = np.random.default_rng(0)
    Tl = 9
    m = sim.SimpleRNN(3, 4, 2, seed=2) if kind == "rnn" else sim.LSTM(3, 4, 2, peepholes=True,
                                                                        seed=2)
    tr = m.forward(rng.standard_normal((Tl, 3)))
    bt = m.backward(tr, rng.integers(0, 2, Tl), truncation=k)
    for name, g in bt.grads.items():
        assert bt.grads_per_step[name].shape == (Tl,) + g.shape
        np.testing.assert_allclose(bt.grads_per_step[name].sum(axis=0), g, atol=1e-12)
    D = bt.delta_by_source
    assert D.shape == (Tl, Tl, 4)
    s, t = np.meshgrid(np.arange(Tl), np.arange(Tl), indexing="ij")
    assert np.all(D[s < t] == 0)
    if k is not None:
        assert np.all(D[(s - t) >= k] == 0)
        assert np.any(D[(s - t) == k - 1] != 0)
    else:
        assert np.any(D[(s - t) == Tl - 1] != 0)  # the first step hears from the last loss


def test_truncation_at_least_T_is_full_bptt():
    m = sim.LSTM(2, 3, 2, seed=4)
    rng = np.random.default_rng(1)
    tr = m.forward(rng.standard_normal((6, 2)))
    y = rng.integers(0, 2, 6)
    full, cut = m.backward(tr, y), m.backward(tr, y, truncation=6)
    for name in full.grads:
        np.testing.assert_array_equal(full.grads[name], cut.grads[name])
    assert cut.truncation is None


def test_truncation_changes_gradient():
    m = sim.SimpleRNN(2, 3, 2, seed=4)
    rng = np.random.default_rng(1)
    tr = m.forward(rng.standard_normal((8, 2)))
    y = rng.integers(0, 2, 8)
    full, cut = m.backward(tr, y), m.backward(tr, y, truncation=2)
    assert not np.allclose(full.grads["W"], cut.grads["W"])
    np.testing.assert_allclose(full.grads["V"], cut.grads["V"])  # V is used only at s itself
