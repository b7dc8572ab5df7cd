"""The engine's contract: bad input, exploding values, reproducibility, clipping, analysis."""

import warnings

import numpy as np
import pytest

import sim
from sim import analysis
from tests import reference as ref


def rnn(**kw):
    return sim.SimpleRNN(3, 4, 2, **kw)


# -- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("args,kw,word", [
    ((0, 4, 2), {}, "n_in"),
    ((3, -1, 2), {}, "n_hidden"),
    ((3, 257, 2), {}, "256"),
    ((3, 4, 0), {}, "n_out"),
    ((3, 4.5, 2), {}, "n_hidden"),
    ((3, 4, 2), {"activation": "gelu"}, "activation"),
    ((3, 4, 2), {"output": "sigmoid"}, "output"),
    ((3, 4, 2), {"seed": -1}, "seed"),
])
def test_bad_constructor_arguments(args, kw, word):
    with pytest.raises(ValueError, match=word):
        sim.SimpleRNN(*args, **kw)


def test_bad_lstm_arguments():
    with pytest.raises(ValueError, match="peepholes"):
        sim.LSTM(3, 4, 2, peepholes="yes")
    with pytest.raises(ValueError, match="n_hidden"):
        sim.LSTM(3, 10**8, 2)


@pytest.mark.parametrize("xs,word", [
    (np.zeros((5, 2)), r"xs must have shape \(T, 3\)"),
    (np.zeros(5), "xs must have shape"),
    (np.zeros((1001, 3)), "1000"),
    (np.zeros((0, 3)), "T"),
    (np.array([[0, np.nan, 0]]), "finite"),
    ([["a", "b", "c"]], "xs must be an array of numbers"),
])
def test_bad_inputs(xs, word):
    for m in (rnn(), sim.LSTM(3, 4, 2)):
        with pytest.raises(ValueError, match=word):
            m.forward(xs)


def test_bad_backward_arguments():
    m = rnn()
    tr = m.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="targets must have shape"):
        m.backward(tr, [0, 1])
    with pytest.raises(ValueError, match=r"targets must be classes in \[0, 1\]"):
        m.backward(tr, [0, 1, 2, 0])
    with pytest.raises(ValueError, match="targets must be classes"):
        m.backward(tr, [0, -1, 0, 0])
    with pytest.raises(ValueError, match="integer class"):
        m.backward(tr, [0, 0.5, 0, 0])
    with pytest.raises(ValueError, match="targets must have shape"):
        m.backward(tr, np.zeros((4, 3)), loss="mse")
    with pytest.raises(ValueError, match="targets must be finite"):
        m.backward(tr, np.full((4, 2), np.nan), loss="mse")
    with pytest.raises(ValueError, match="loss must be one of"):
        m.backward(tr, [0, 0, 0, 0], loss="hinge")
    with pytest.raises(ValueError, match="loss_mask must have shape"):
        m.backward(tr, [0, 0, 0, 0], loss_mask=[1, 0])
    with pytest.raises(ValueError, match="loss_mask must hold only 0 and 1"):
        m.backward(tr, [0, 0, 0, 0], loss_mask=[1, 0, 0.5, 1])
    with pytest.raises(ValueError, match="truncation must be >= 1"):
        m.backward(tr, [0, 0, 0, 0], truncation=0)
    with pytest.raises(ValueError, match="trace must be a forward trace of a SimpleRNN"):
        m.backward(sim.LSTM(3, 4, 2).forward(np.zeros((4, 3))), [0, 0, 0, 0])
    with pytest.raises(ValueError, match="sizes"):
        m.backward(sim.SimpleRNN(3, 5, 2).forward(np.zeros((4, 3))), [0, 0, 0, 0])


def test_wrong_param_shape_is_named():
    m = rnn()
    m.params["W"] = np.zeros((4, 5))
    with pytest.raises(ValueError, match=r"params\['W'\] must have shape \(4, 4\)"):
        m.forward(np.zeros((2, 3)))


# -- exploding values --------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("diagonal", [True, False])
def test_exploding_never_raises_or_warns(activation, diagonal):
    m = sim.SimpleRNN(2, 8, 2, activation=activation, output="linear", seed=0)
    if diagonal:  # every unit grows like 5^t under relu
        m.params["W"] = np.eye(8)
        m.params["b"][:] = 1.0
    analysis.scale_recurrent(m.params, 5.0)
    assert analysis.spectral_radius(m.params["W"]) == pytest.approx(5.0)
    xs = np.random.default_rng(0).standard_normal((500, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = m.forward(xs)
        bt = m.backward(tr, np.zeros((500, 2)), loss="mse")
        _ = bt.delta_by_source, bt.grads_per_step
    if activation == "relu" and diagonal:  # 5^t overflows float64 within 500 steps
        assert not tr.finite and not bt.finite
        t = tr.first_nonfinite_step
        assert 1 < t <= 500
        assert np.isfinite(tr.h[: t - 1]).all() and not np.isfinite(tr.h[t - 1]).all()
        assert bt.first_nonfinite_step == t
    elif activation != "relu":  # bounded g keeps h finite; the backward pass may still explode
        assert tr.finite
    assert bt.finite == (bt.first_nonfinite_step is None)
    for d in bt.deltas.values():
        if bt.first_nonfinite_step is None:
            assert np.isfinite(d).all()


def test_exploding_gradient_only_in_backward_is_located():
    m = sim.SimpleRNN(1, 2, 1, activation="relu", output="linear", seed=0)
    m.params.update(W=np.eye(2) * 1e200, U=np.zeros((2, 1)), b=np.zeros(2))  # h stays 0
    m.params["b"][:] = -1.0  # a < 0: relu'(a) = 0 ... keep forward finite
    tr = m.forward(np.zeros((4, 1)))
    assert tr.finite
    m2 = sim.SimpleRNN(1, 2, 1, activation="tanh", output="linear", seed=0)
    m2.params.update(W=np.eye(2) * 1e300, U=np.zeros((2, 1)), b=np.zeros(2), V=np.ones((1, 2)))
    tr2 = m2.forward(np.zeros((5, 1)))
    bt2 = m2.backward(tr2, np.ones((5, 1)), loss="mse")
    assert tr2.finite and not bt2.finite
    assert bt2.first_nonfinite_step is not None and bt2.first_nonfinite_step < 5


# -- reproducibility and immutability --------------------------------------------------------

@pytest.mark.parametrize("cls", [sim.SimpleRNN, sim.LSTM])
def test_same_seed_bit_identical(cls):
    xs = np.random.default_rng(0).standard_normal((7, 3))
    a, b = cls(3, 5, 2, seed=11), cls(3, 5, 2, seed=11)
    ta, tb = a.forward(xs), b.forward(xs)
    for k, v in ta.arrays().items():
        assert np.array_equal(v, tb.arrays()[k]), k
    ba, bb = a.backward(ta, [0, 1, 0, 1, 0, 1, 1]), b.backward(tb, [0, 1, 0, 1, 0, 1, 1])
    for k in ba.grads:
        assert np.array_equal(ba.grads[k], bb.grads[k])
    assert np.array_equal(ba.delta_by_source, bb.delta_by_source)
    c = cls(3, 5, 2, seed=12)
    assert not all(np.array_equal(a.params[k], c.params[k]) for k in a.params)


def test_traces_are_frozen_snapshots():
    m = sim.LSTM(2, 3, 2, seed=0)
    tr = m.forward(np.ones((3, 2)))
    with pytest.raises(ValueError):
        tr.c[0, 0] = 1.0
    with pytest.raises((AttributeError, TypeError)):
        tr.c = None
    y_before = tr.y.copy()
    m.params["R_z"] *= 3.0  # the caller may overwrite params in place...
    np.testing.assert_array_equal(tr.y, y_before)  # ...the trace keeps what it used
    bt = m.backward(tr, [0, 1, 0])
    assert not np.allclose(tr.params["R_z"], m.params["R_z"])
    with pytest.raises(ValueError):
        bt.grads["V"][0, 0] = 0.0
    with pytest.raises(TypeError):
        bt.grads["V"] = 0


def test_everything_is_float64():
    m = sim.LSTM(2, 3, 2, peepholes=True)
    tr = m.forward(np.ones((3, 2), dtype=np.float32))
    assert all(v.dtype == np.float64 for v in tr.arrays().values())
    bt = m.backward(tr, [0, 1, 0])
    assert all(v.dtype == np.float64 for v in bt.grads.values())


# -- clipping --------------------------------------------------------------------------------

def test_clip_global():
    g = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    c, n = sim.clip_by_norm(g, 1.0)
    assert n == pytest.approx(5.0)
    assert np.sqrt(sum((v**2).sum() for v in c.values())) == pytest.approx(1.0)
    np.testing.assert_allclose(c["a"], [0.6, 0.0])
    same, n2 = sim.clip_by_norm(g, 10.0)
    np.testing.assert_array_equal(same["b"], g["b"])
    assert n2 == pytest.approx(5.0)


def test_clip_per_step_against_a_loop():
    m = sim.SimpleRNN(2, 3, 2, seed=0)
    analysis.scale_recurrent(m.params, 2.0)
    rng = np.random.default_rng(0)
    tr = m.forward(rng.standard_normal((6, 2)))
    bt = m.backward(tr, rng.integers(0, 2, 6))
    c, norms = sim.clip_by_norm(bt, 0.5, mode="per_step")
    want = {k: np.zeros_like(v) for k, v in bt.grads.items()}
    for t in range(6):
        step = {k: v[t] for k, v in bt.grads_per_step.items()}
        n = np.sqrt(sum((v**2).sum() for v in step.values()))
        assert norms[t] == pytest.approx(n)
        for k in want:
            want[k] += step[k] * min(1.0, 0.5 / n)
    for k in want:
        np.testing.assert_allclose(c[k], want[k])
    assert (norms > 0.5).any()
    with pytest.raises(ValueError, match="threshold"):
        sim.clip_by_norm(bt.grads, 0.0)
    with pytest.raises(ValueError, match="mode"):
        sim.clip_by_norm(bt.grads, 1.0, mode="layer")


# -- analysis --------------------------------------------------------------------------------

def test_rnn_jacobian_norms_match_finite_differences():
    m = sim.SimpleRNN(2, 3, 2, seed=5)
    xs = np.random.default_rng(2).standard_normal((6, 2))
    flow = analysis.gradient_flow(m.forward(xs))
    eps, T, H = 1e-6, 6, 3
    for k in range(T):
        J = np.zeros((T, H, H))  # dh(t)/dh(k) for all t
        for j in range(H):
            inj = np.zeros((T, H))
            inj[k, j] = eps
            hp = ref.states_rnn(m.params, xs, activation="tanh", inject=inj)
            inj[k, j] = -eps
            hm = ref.states_rnn(m.params, xs, activation="tanh", inject=inj)
            J[:, :, j] = (hp - hm) / (2 * eps)
        for t in range(k, T):
            assert flow.state[t, k] == pytest.approx(np.linalg.norm(J[t], 2), rel=1e-6)
        assert np.isnan(flow.state[:k, k]).all()


@pytest.mark.parametrize("peepholes", [False, True])
def test_lstm_jacobian_norms_match_finite_differences(peepholes):
    m = sim.LSTM(2, 3, 2, peepholes=peepholes, seed=5)
    for v in m.params.values():
        v += 0.2
    xs = np.random.default_rng(2).standard_normal((5, 2))
    tr = m.forward(xs)
    flow = analysis.gradient_flow(tr)
    eps, T, H = 1e-6, 5, 3
    k = 1
    Jy = np.zeros((T, H, H))
    for j in range(H):
        inj = np.zeros((T, H))
        inj[k, j] = eps
        yp, _ = ref.states_lstm(m.params, xs, peepholes=peepholes, inject_y=inj)
        inj[k, j] = -eps
        ym, _ = ref.states_lstm(m.params, xs, peepholes=peepholes, inject_y=inj)
        Jy[:, :, j] = (yp - ym) / (2 * eps)
    for t in range(k + 1, T):
        assert flow.state[t, k] == pytest.approx(np.linalg.norm(Jy[t], 2), rel=1e-6)
    # the highway: dc(t)/dc(t-1) holding y(t-1) fixed is diagonal
    hw = analysis.highway_factors(tr)
    J = analysis.step_jacobians(tr)
    np.testing.assert_allclose(np.diagonal(J[:, H:, H:], axis1=1, axis2=2), hw)
    assert flow.highway[3, 1] == pytest.approx(np.abs(hw[2] * hw[3]).max())


@pytest.mark.parametrize("rho,grows", [(0.5, False), (2.0, True)])
def test_linear_rnn_decays_or_grows_geometrically(rho, grows):
    m = sim.SimpleRNN(1, 6, 1, activation="relu", output="linear", seed=3)
    W = rho * (0.5 * np.eye(6) + 0.5 / 6)  # symmetric, positive: every power has norm rho^d
    m.params.update(W=W, U=np.ones((6, 1)), b=np.full(6, 1.0))  # positive: relu is linear here
    flow = analysis.gradient_flow(m.forward(np.ones((20, 1))))
    slope = analysis.slope_per_step(flow.by_distance())
    assert slope == pytest.approx(rho, rel=1e-6)
    assert (slope > 1) == grows
    assert flow.radius == pytest.approx(rho)


def test_error_norms_are_delta_by_source_norms():
    m = sim.LSTM(2, 3, 2, seed=1)
    tr = m.forward(np.ones((4, 2)))
    bt = m.backward(tr, [0, 1, 1, 0])
    E = analysis.error_norms(bt.delta_by_source)
    assert E.shape == (4, 4)
    assert E[3, 0] == pytest.approx(np.linalg.norm(bt.delta_by_source[3, 0]))


def test_scale_recurrent_lstm():
    m = sim.LSTM(2, 4, 2, seed=0)
    analysis.scale_recurrent(m.params, 1.5)
    assert analysis.recurrent_radius(m.params) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="rho"):
        analysis.scale_recurrent(m.params, -1)


# -- packaging -------------------------------------------------------------------------------

@pytest.mark.parametrize("cls,names", [
    (sim.SimpleRNN, ["x", "a", "h", "o", "y_hat"]),
    (sim.LSTM, ["x", "z_bar", "i_bar", "f_bar", "o_bar", "z", "i", "f", "o", "c", "y", "out",
                "y_hat"]),
])
def test_trace_arrays_lists_every_intermediate(cls, names):
    tr = cls(2, 3, 2).forward(np.ones((4, 2)))
    assert list(tr.arrays()) == names
    assert all(tr.arrays()[n].shape[0] == 4 for n in names)


def test_first_nonfinite_step_sees_hidden_values():
    # a non-finite cell state that never reaches y_hat must still be reported
    m = sim.LSTM(1, 2, 1, output="linear", seed=0)
    m.params["V"][:] = 0.0
    m.params["W_z"][:] = 1e308
    m.params["W_i"][:] = 1e3
    tr = m.forward(np.array([[0.0], [10.0], [10.0]]))
    assert np.isfinite(tr.y_hat).all()
    assert tr.first_nonfinite_step is not None


def test_gru_step_jacobians_match_finite_differences():
    m = sim.GRU(3, 4, 2, seed=5)
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((6, 3))
    tr = m.forward(xs)
    J = analysis.step_jacobians(tr)
    p = m.params

    def step(h_prev, x):  # the GRU's equations, written out here independently
        def sig(v):
            return 1 / (1 + np.exp(-v))

        r = sig(p["W_r"] @ x + p["R_r"] @ h_prev + p["b_r"])
        u = sig(p["W_u"] @ x + p["R_u"] @ h_prev + p["b_u"])
        n = np.tanh(p["W_n"] @ x + p["b_n"] + r * (p["R_n"] @ h_prev))
        return (1 - u) * n + u * h_prev

    for t in (1, 3, 5):  # 0-based rows: the step from h(t) to h(t+1)
        h_prev = tr.h[t - 1]
        np.testing.assert_allclose(step(h_prev, xs[t]), tr.h[t], atol=1e-12)
        num = np.zeros((4, 4))
        for k in range(4):
            e = np.zeros(4)
            e[k] = 1e-6
            num[:, k] = (step(h_prev + e, xs[t]) - step(h_prev - e, xs[t])) / 2e-6
        np.testing.assert_allclose(J[t], num, rtol=1e-6, atol=1e-9)
    flow = analysis.gradient_flow(tr)
    assert flow.state.shape == (6, 6) and flow.highway is None


def test_radius_is_set_per_cell_for_every_model():
    for model in (sim.GRU(3, 4, 2, seed=0), sim.BidirectionalRNN(3, 4, 2, cell="lstm", seed=0),
                  sim.Seq2Seq(3, 4, 2, cell="gru", seed=0)):
        analysis.scale_recurrent(model.params, 1.7)
        for prefix in analysis.recurrent_groups(model.params):
            M = analysis.recurrent_matrix(model.params, prefix)
            assert np.linalg.norm(M, 2) == pytest.approx(1.7)
        assert analysis.recurrent_radius(model.params) == pytest.approx(1.7)
    with pytest.raises(ValueError, match="SimpleRNN, LSTM and GRU"):
        m = sim.Seq2Seq(3, 4, 2, seed=0)
        analysis.step_jacobians(m.forward(np.zeros((3, 3)), np.zeros(3, dtype=int)))
