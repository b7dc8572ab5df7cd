"""The folded view's unroll mode, its numbers (issue 11): the chain of W's the backward pass
multiplies equals the engine's BPTT and finite differences of the forward pass; its norm curve,
the bound and rho(W)^n; the layers drawn and the connections (W's own entries)."""

import numpy as np
import pytest

from gui.model.cursor import Cursor
from gui.model.present import unrolled_chain as uc
from gui.model.present.numbers import fmt
from sim.activations import apply
from sim.analysis import spectral_radius
from sim.run import SessionConfig, compute


@pytest.fixture(scope="module")
def run():
    return compute(SessionConfig(model="SimpleRNN", hidden=5, length=14, radius=0.9))


def forward_from(tr, k: int, h_k: np.ndarray, s: int) -> np.ndarray:
    """(H,) h(s) when h(k) is replaced by ``h_k``, by the recurrence written out here:
    h(m) = g(b + W h(m-1) + U x(m))."""
    P = tr.params
    h = h_k
    for m in range(k + 1, s + 1):
        h = apply(tr.activation, P["b"] + P["W"] @ h + P["U"] @ tr.x[m - 1])  # (H,)
    return h


def jacobian_fd(tr, k: int, s: int, eps: float = 1e-6) -> np.ndarray:
    """(H, H) dh(s)/dh(k) by centred finite differences of the forward pass."""
    H = tr.n_hidden
    J = np.zeros((H, H))
    for j in range(H):
        e = np.zeros(H)
        e[j] = eps
        J[:, j] = (forward_from(tr, k, tr.h[k - 1] + e, s)
                   - forward_from(tr, k, tr.h[k - 1] - e, s)) / (2 * eps)
    return J


def test_the_recurrence_written_out_reproduces_the_trace(run):
    tr = run.forward
    for k, s in ((1, 5), (3, 14)):
        np.testing.assert_allclose(forward_from(tr, k, tr.h[k - 1], s), tr.h[s - 1],
                                   rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("k", [1, 4, 9])
def test_the_backward_chain_is_the_engines_error_and_the_finite_difference(run, k):
    tr, bt = run.forward, run.backward
    chain = uc.unrolled_chain(run, Cursor("backward", k))
    s = chain.source
    assert s == int(bt.sources[-1]) and (chain.bottom, chain.top) == (k, s)
    assert chain.n == s - k and f"W appears {s - k} times" in chain.formula
    P = uc.chain_product(tr, "backward", k, s)  # (H, H) (dh(s)/dh(k))^T
    fd = jacobian_fd(tr, k, s)
    assert np.linalg.norm(P.T - fd) <= 1e-6 * np.linalg.norm(fd)
    # the engine's BPTT: the error of J(s) at h(k) is the chain applied to its error at h(s)
    d = np.asarray(bt.delta_by_source)
    np.testing.assert_allclose(P @ d[s - 1, s - 1], d[s - 1, k - 1], rtol=1e-9, atol=1e-14)
    # the curve (a job) carries the same norm at n = s - k, and the chain reads it
    curve = uc.ChainCurveJob.of(run, Cursor("backward", k)).compute(None, lambda: False)
    assert curve.norms[s - k] == pytest.approx(np.linalg.norm(fd, 2), rel=1e-6)
    landed = uc.unrolled_chain(run, Cursor("backward", k), curve=curve)
    assert landed.product_norm == pytest.approx(np.linalg.norm(P, 2), rel=1e-12)
    assert fmt(landed.product_norm) in uc.readout(landed)
    assert chain.product_norm is None and "computing" in uc.readout(chain)


def test_the_forward_chain_is_dh_t_dh_1(run):
    tr = run.forward
    t = 8
    chain = uc.unrolled_chain(run, Cursor("forward", t))
    assert (chain.direction, chain.bottom, chain.top, chain.n) == ("forward", 1, t, t - 1)
    P = uc.chain_product(tr, "forward", 1, t)
    fd = jacobian_fd(tr, 1, t)
    assert np.linalg.norm(P - fd) <= 1e-6 * np.linalg.norm(fd)
    curve = uc.chain_curve(tr, "forward", 1)
    assert curve.norms[t - 1] == pytest.approx(np.linalg.norm(fd, 2), rel=1e-6)
    np.testing.assert_array_equal(chain.values[-1], tr.h[t - 1])  # the top layer is h(t)


def test_the_curve_its_bound_and_rho_to_the_n(run):
    tr = run.forward
    curve = uc.chain_curve(tr, "backward", 14)
    W = np.asarray(tr.params["W"])
    rho = spectral_radius(W)
    assert rho == pytest.approx(0.9)
    n = np.arange(14)
    np.testing.assert_allclose(curve.rho_power, rho ** n)
    assert curve.norms[0] == 1.0 and np.all(curve.bounds >= curve.norms * (1 - 1e-12))
    # tanh' <= 1 and rho < 1: the product vanishes, far below rho^n by the end
    assert curve.norms[-1] < curve.rho_power[-1] < 1
    for k in (2, 7):
        P = uc.chain_product(tr, "backward", k, 14)
        assert curve.norms[14 - k] == pytest.approx(np.linalg.norm(P, 2), rel=1e-12)


def test_no_later_loss_means_no_product(run):
    T = run.T
    chain = uc.unrolled_chain(run, Cursor("backward", T))
    assert chain.source is None and chain.n == 0 and chain.layers == (T,)
    assert "no product of W" in chain.formula
    update = uc.unrolled_chain(run, Cursor("update", T))
    assert update.bottom == 1 and update.top == int(run.backward.sources[-1])  # all the way


def test_truncation_bounds_the_chain():
    r = compute(SessionConfig(model="SimpleRNN", hidden=3, length=12, truncation=4))
    chain = uc.unrolled_chain(r, Cursor("backward", 5))
    assert chain.source is not None and chain.source - 5 < 4
    s = chain.source
    assert s == max(int(s) for s in r.backward.sources if 5 < s < 5 + 4)
    d = np.asarray(r.backward.delta_by_source)  # the truncated engine still carries it to h(5)
    P = uc.chain_product(r.forward, "backward", 5, s)
    np.testing.assert_allclose(P @ d[s - 1, s - 1], d[s - 1, 4], rtol=1e-9, atol=1e-14)
    assert np.abs(d[s - 1, 4]).max() > 0


@pytest.mark.parametrize("bottom, top, near_bottom, want", [
    (3, 5, True, (3, 4, 5)),
    (1, 7, True, (1, 2, 3, 4, 5, 6, 7)),
    (1, 40, True, (1, 2, 3, 4, None, 39, 40)),
    (1, 40, False, (1, 2, None, 37, 38, 39, 40)),
])
def test_long_chains_fold_their_middle(bottom, top, near_bottom, want):
    assert uc.drawn_layers(bottom, top, near_bottom) == want


@pytest.mark.parametrize("k", [1, 6, 10, 13])
def test_gaps_and_fold_account_for_every_factor(run, k):
    chain = uc.unrolled_chain(run, Cursor("backward", k), max_layers=5)
    drawn = sum(1 for g in chain.gap_labels if g)
    folded = 0
    if chain.fold_label:
        folded = int(chain.fold_label.split("the same W ")[1].split(" more")[0])
        assert f"W {folded} more times" in uc.fold_label(chain.layers, short=True)
    assert drawn + folded == chain.n
    assert all("W" in g for g in chain.gap_labels if g)  # the same matrix in every gap


def test_the_connections_are_ws_strongest_entries():
    r = compute(SessionConfig(model="SimpleRNN", hidden=16, length=6))
    chain = uc.unrolled_chain(r, Cursor("backward", 1))
    W = np.asarray(r.forward.params["W"])
    e = chain.edges
    assert e.shape == (uc.MAX_EDGES, 3)
    i, j = e[:, 0].astype(int), e[:, 1].astype(int)
    np.testing.assert_array_equal(e[:, 2], W[i, j])
    assert np.all(np.diff(np.abs(e[:, 2])) <= 0)  # strongest first
    assert np.abs(e[:, 2]).min() >= np.sort(np.abs(W).ravel())[-uc.MAX_EDGES]
    small = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert uc.strongest_edges(small).shape == (4, 3)  # all of a small W


@pytest.mark.parametrize("config, word", [
    (SessionConfig(model="LSTM", hidden=3, length=5), "highway"),
    (SessionConfig(model="GRU", hidden=3, length=5), "interpolation"),
    (SessionConfig(model="BidirectionalRNN", cell="rnn", hidden=3, length=5), "one-cell"),
])
def test_other_models_say_why_they_keep_the_block(config, word):
    r = compute(config)
    assert not uc.applies(r) and uc.unrolled_chain(r, Cursor("backward", 1)) is None
    assert word in uc.other_note(r)
