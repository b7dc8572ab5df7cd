"""BidirectionalRNN: BPTT of every cell kind against finite differences of the batched reference."""

import numpy as np
import pytest

import sim
from tests import reference as ref

I, H, O, T = 2, 3, 3, 4
MASKS = {"all": np.ones(T), "some": np.array([1, 0, 1, 1.0]), "first": np.eye(T)[0]}
# (cell, options, output): every cell kind, both outputs; each output with its usual loss
CASES = [("rnn", {"activation": "tanh"}, "softmax"), ("rnn", {"activation": "sigmoid"}, "linear"),
         ("lstm", {"peepholes": True}, "softmax"), ("lstm", {"peepholes": False}, "linear"),
         ("gru", {}, "softmax"), ("gru", {}, "linear")]
LOSS = {"softmax": "cross_entropy", "linear": "mse"}


def make(cell, opts, output, seed=1):
    return ref.jiggle(sim.BidirectionalRNN(I, H, O, cell=cell, output=output, seed=seed, **opts),
                      seed)


def data(loss, seed=3):
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((T, I))
    targets = rng.integers(0, O, T) if loss == "cross_entropy" else rng.standard_normal((T, O))
    return xs, targets


def losses(m, xs, targets, loss):
    def fn(P, inj=None):
        return ref.losses_bidirectional(P, xs, targets, cell=m.cell, loss=loss, output=m.output,
                                        activation=m.activation, peepholes=m.peepholes,
                                        inject=inj)
    return fn


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0]}-{c[2]}")
def fd_case(request):
    cell, opts, output = request.param
    m = make(cell, opts, output)
    loss = LOSS[output]
    xs, targets = data(loss)
    return m, loss, xs, targets, ref.fd_batched(losses(m, xs, targets, loss), m.params, T)


@pytest.mark.parametrize("mask_kind,k", [("all", None), ("some", None), ("first", None),
                                         ("all", 2), ("some", 3), ("all", 1)])
def test_gradients_match_finite_differences(fd_case, mask_kind, k):
    m, loss, xs, targets, G = fd_case
    mask = MASKS[mask_kind]
    bt = m.backward(m.forward(xs), targets, loss=loss, loss_mask=mask, truncation=k)
    ref.assert_backward_matches(bt, m.params, G, mask, k)  # |s - t| < k, both directions
    J = losses(m, xs, targets, loss)(ref.one_copy(m.params, T))[0]
    np.testing.assert_allclose(bt.losses, J * mask, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell,opts", [("rnn", {}), ("lstm", {"peepholes": True}), ("gru", {})])
@pytest.mark.parametrize("k", [None, 2])
def test_delta_by_source_matches_finite_differences(cell, opts, k):
    m = make(cell, opts, "softmax")
    xs, targets = data("cross_entropy")
    mask = MASKS["some"]
    bt = m.backward(m.forward(xs), targets, loss_mask=mask, truncation=k)
    D = ref.fd_state_batched(losses(m, xs, targets, "cross_entropy"), m.params, T, 2 * H)
    D *= ref.kept(T, T, mask, k)[:, :, None]  # (s, t, 2H) dJ(s)/d[h_fwd(t); h_bwd(t)]
    assert bt.delta_by_source.shape == (T, T, 2 * H)
    assert ref.rel_err(bt.delta_by_source, D) <= 1e-6
    np.testing.assert_allclose(bt.delta_by_source.sum(axis=0), bt.deltas["h"], atol=1e-12)


def test_directions_and_trace():
    rng = np.random.default_rng(0)
    Tl = 7
    xs, y = rng.standard_normal((Tl, I)), rng.integers(0, O, Tl)
    m = sim.BidirectionalRNN(I, H, O, cell="lstm", seed=2)
    tr = m.forward(xs)
    # the backward cell run on the reversed sequence is an LSTM over it
    solo = sim.LSTM(I, H, O, seed=0)
    solo.params.update({k[4:]: v for k, v in m.params.items() if k.startswith("bwd.")})
    np.testing.assert_allclose(tr.h_bwd, solo.forward(xs[::-1]).y[::-1], atol=1e-15)
    np.testing.assert_array_equal(tr.h, np.hstack([tr.fwd["y"], tr.bwd["y"]]))
    assert tr.h_fwd.shape == tr.h_bwd.shape == (Tl, H) and tr.n_hidden == H
    assert list(tr.arrays())[:3] == ["x", "fwd.z_bar", "fwd.i_bar"]
    assert all(v.shape[0] == Tl and not v.flags.writeable for v in tr.arrays().values())
    bt = m.backward(tr, y, truncation=3)
    D = bt.delta_by_source
    s, t = np.meshgrid(np.arange(Tl), np.arange(Tl), indexing="ij")
    assert np.all(D[..., :H][s < t] == 0) and np.all(D[..., H:][s > t] == 0)  # causal each way
    assert np.all(D[np.abs(s - t) >= 3] == 0) and np.any(D[..., H:][t - s == 2] != 0)
    assert {"h", "out", "fwd.y", "fwd.c", "bwd.i_bar", "bwd.y"} <= set(bt.deltas)
    for name, g in bt.grads.items():
        np.testing.assert_allclose(bt.grads_per_step[name].sum(axis=0), g, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_same_seed_bit_identical(cell):
    rng = np.random.default_rng(0)
    xs, y = rng.standard_normal((6, I)), rng.integers(0, O, 6)
    a, b = (sim.BidirectionalRNN(I, H, O, cell=cell, seed=5) for _ in range(2))
    ta, tb = a.forward(xs), b.forward(xs)
    for name, v in ta.arrays().items():
        assert v.tobytes() == tb.arrays()[name].tobytes(), name
    ba, bb = a.backward(ta, y, truncation=2), b.backward(tb, y, truncation=2)
    for name in ba.grads:
        assert ba.grads_per_step[name].tobytes() == bb.grads_per_step[name].tobytes(), name
    assert ba.delta_by_source.tobytes() == bb.delta_by_source.tobytes()


def test_parameters_and_repr():
    m = sim.BidirectionalRNN(2, 3, 4, cell="rnn", activation="relu", seed=1)
    assert list(m.params) == ["fwd.U", "fwd.W", "fwd.b", "bwd.U", "bwd.W", "bwd.b", "V", "c"]
    assert m.param_shapes()["V"] == (4, 6)
    assert repr(m) == ("BidirectionalRNN(n_in=2, n_hidden=3, n_out=4, output='softmax', seed=1, "
                       "cell='rnn', activation='relu')")
    lstm = sim.BidirectionalRNN(2, 3, 4, cell="lstm", peepholes=True)
    assert {"fwd.W_z", "fwd.p_o", "bwd.R_f", "bwd.p_i"} <= set(lstm.params)
    assert not np.array_equal(lstm.params["fwd.W_z"], lstm.params["bwd.W_z"])


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="cell must be one of"):
        sim.BidirectionalRNN(2, 3, 2, cell="transformer")
    with pytest.raises(ValueError, match="n_hidden"):
        sim.BidirectionalRNN(2, 257, 2)
    with pytest.raises(ValueError, match="activation"):
        sim.BidirectionalRNN(2, 3, 2, activation="gelu")
    with pytest.raises(ValueError, match="peepholes"):
        sim.BidirectionalRNN(2, 3, 2, cell="lstm", peepholes="yes")
    m = sim.BidirectionalRNN(2, 3, 2, cell="gru")
    with pytest.raises(ValueError, match="xs must have shape"):
        m.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="1000"):
        m.forward(np.zeros((1001, 2)))
    tr = m.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="loss_mask must have shape"):
        m.backward(tr, [0, 0, 0, 0], loss_mask=[1, 0])
    with pytest.raises(ValueError, match="cell='gru'"):
        sim.BidirectionalRNN(2, 3, 2, cell="rnn").backward(tr, [0, 0, 0, 0])
    with pytest.raises(ValueError, match="trace must be a forward trace of a BidirectionalRNN"):
        m.backward(sim.GRU(2, 3, 2).forward(np.zeros((4, 2))), [0, 0, 0, 0])
