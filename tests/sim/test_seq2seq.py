"""Seq2Seq: BPTT on the one time axis against finite differences of the batched reference.

Teacher-forced and free-running decoders; with a linear output the free-running gradient flows
through the fed-back y_hat(j - 1), and truncation cuts those paths too.
"""

import numpy as np
import pytest

import sim
from tests import reference as ref

I, H, O = 2, 3, 3
T_ENC, T_DEC = 3, 3
T = T_ENC + T_DEC
MASKS = {"all": np.ones(T_DEC), "some": np.array([0, 1, 1.0]), "first": np.eye(T_DEC)[0]}
# (cell, options, output, teacher forcing): every cell and output, both decoding modes
CASES = [("rnn", {}, "softmax", True), ("rnn", {"activation": "relu"}, "linear", False),
         ("lstm", {"peepholes": True}, "softmax", True), ("lstm", {"peepholes": True}, "linear",
                                                          False),
         ("gru", {}, "linear", True), ("gru", {}, "linear", False),
         ("lstm", {}, "softmax", False)]
LOSS = {"softmax": "cross_entropy", "linear": "mse"}


def make(cell, opts, output, seed=1):
    return ref.jiggle(sim.Seq2Seq(I, H, O, cell=cell, output=output, seed=seed, **opts), seed)


def data(loss, seed=3, T_dec=T_DEC):
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((T_ENC, I))
    targets = (rng.integers(0, O, T_dec) if loss == "cross_entropy"
               else rng.standard_normal((T_dec, O)))
    return xs, targets


def losses(m, xs, targets, loss, teacher_forcing):
    def fn(P, inj=None):
        return ref.losses_seq2seq(P, xs, targets, cell=m.cell, loss=loss, output=m.output,
                                  teacher_forcing=teacher_forcing, activation=m.activation,
                                  peepholes=m.peepholes, inject=inj)
    return fn


def run(m, xs, targets, teacher_forcing):
    return m.forward(xs, targets) if teacher_forcing else m.forward(xs, steps=len(targets))


@pytest.fixture(scope="module", params=CASES,
                ids=lambda c: f"{c[0]}-{c[2]}-{'teacher' if c[3] else 'free'}")
def fd_case(request):
    cell, opts, output, teacher = request.param
    m = make(cell, opts, output)
    loss = LOSS[output]
    xs, targets = data(loss)
    G = ref.fd_batched(losses(m, xs, targets, loss, teacher), m.params, T)  # (T_dec, T, ...)
    return m, loss, teacher, xs, targets, G


@pytest.mark.parametrize("mask_kind,k", [("all", None), ("some", None), ("first", None),
                                         ("all", 2), ("some", 3), ("all", 1)])
def test_gradients_match_finite_differences(fd_case, mask_kind, k):
    m, loss, teacher, xs, targets, G = fd_case
    mask = MASKS[mask_kind]
    bt = m.backward(run(m, xs, targets, teacher), targets, loss=loss, loss_mask=mask,
                    truncation=k)
    # J(j) sits at step T_enc + j of the axis: (T_enc + j) - t < k
    ref.assert_backward_matches(bt, m.params, G, mask, k, offset=T_ENC)
    J = losses(m, xs, targets, loss, teacher)(ref.one_copy(m.params, T))[0]
    np.testing.assert_allclose(bt.losses, J * mask, rtol=1e-12, atol=1e-14)


def test_feedback_carries_gradient_only_when_linear_and_free(fd_case):
    m, loss, teacher, xs, targets, G = fd_case
    # dJ(3)/dV at step T_enc + 1 reaches J(3) only through the fed-back outputs
    through_feedback = np.abs(G["V"][2, T_ENC]).max()
    assert (through_feedback > 0) == (m.output == "linear" and not teacher)


@pytest.mark.parametrize("cell,opts,output,teacher", [
    ("rnn", {}, "linear", False), ("lstm", {"peepholes": True}, "softmax", True),
    ("gru", {}, "linear", False)])
@pytest.mark.parametrize("k", [None, 3])
def test_delta_by_source_matches_finite_differences(cell, opts, output, teacher, k):
    m = make(cell, opts, output)
    loss = LOSS[output]
    xs, targets = data(loss)
    mask = MASKS["some"]
    bt = m.backward(run(m, xs, targets, teacher), targets, loss=loss, loss_mask=mask,
                    truncation=k)
    D = ref.fd_state_batched(losses(m, xs, targets, loss, teacher), m.params, T, H)
    D *= ref.kept(T_DEC, T, mask, k, offset=T_ENC)[:, :, None]  # (j, t, H) dJ(j)/dh(t)
    assert bt.delta_by_source.shape == (T_DEC, T, H)
    assert ref.rel_err(bt.delta_by_source, D) <= 1e-6
    np.testing.assert_allclose(bt.delta_by_source.sum(axis=0), bt.deltas["h"], atol=1e-12)


def test_decoder_inputs_and_trace_fields():
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((4, I))
    m = sim.Seq2Seq(I, H, O, cell="lstm", seed=3)
    tr = m.forward(xs, [2, 0, 1])
    np.testing.assert_array_equal(tr.x_dec, [[0, 0, 0], [0, 0, 1], [1, 0, 0]])
    assert (tr.T_enc, tr.T_dec, tr.T, tr.teacher_forcing) == (4, 3, 7, True)
    assert tr.y_hat.shape == tr.out.shape == (3, O) and tr.h.shape == (7, H)
    np.testing.assert_array_equal(tr.h, np.vstack([tr.enc["y"], tr.dec["y"]]))
    np.testing.assert_array_equal(tr.h_dec, tr.dec["y"])
    np.testing.assert_array_equal(tr.h_enc, tr.enc["y"])
    free = m.forward(xs, steps=5)
    assert not free.teacher_forcing and free.T_dec == 5
    np.testing.assert_array_equal(free.x_dec[1:], np.eye(O)[free.y_hat[:-1].argmax(axis=1)])
    lin = sim.Seq2Seq(I, H, O, cell="gru", output="linear", seed=3)
    tl = lin.forward(xs, steps=4)
    np.testing.assert_array_equal(tl.x_dec[0], 0)
    np.testing.assert_array_equal(tl.x_dec[1:], tl.y_hat[:-1])
    values = rng.standard_normal((3, O))
    np.testing.assert_array_equal(lin.forward(xs, values).x_dec[1:], values[:-1])
    # the decoder's first step: from the encoder's final y and c, on zeros, with dec.* weights
    start = (tr.enc["y"][-1][None], tr.enc["c"][-1][None])
    y1, c1 = ref.cell_step("lstm", ref.one_copy(m.params, 7), "dec.", 4, np.zeros((1, O)), start)
    np.testing.assert_allclose(tr.dec["y"][0], y1[0], atol=1e-15)
    np.testing.assert_allclose(tr.dec["c"][0], c1[0], atol=1e-15)
    keys = list(tr.arrays())
    assert keys[0] == "x" and "enc.c" in keys and "x_dec" in keys and keys[-3:] == [
        "h", "out", "y_hat"]
    assert all(not v.flags.writeable for v in tr.arrays().values())
    bt = m.backward(tr, [2, 0, 1])
    assert bt.losses.shape == (3,) and bt.T == 3
    assert bt.deltas["h"].shape == (7, H) and bt.deltas["enc.c"].shape == (4, H)
    assert bt.deltas["dec.o_bar"].shape == (3, H) and bt.deltas["out"].shape == (3, O)


def test_grads_per_step_are_zero_where_a_part_is_idle():
    rng = np.random.default_rng(1)
    m = sim.Seq2Seq(I, 4, O, cell="gru", output="linear", seed=2)
    tr = m.forward(rng.standard_normal((5, I)), steps=3)
    bt = m.backward(tr, rng.standard_normal((3, O)), loss="mse")
    for name, g in bt.grads_per_step.items():
        assert g.shape == (8,) + m.params[name].shape
        idle = slice(5, 8) if name.startswith("enc.") else slice(0, 5)
        assert np.all(g[idle] == 0), name
        assert np.any(g != 0), name
        np.testing.assert_allclose(g.sum(axis=0), bt.grads[name], atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_same_seed_bit_identical(cell):
    rng = np.random.default_rng(0)
    xs, y = rng.standard_normal((4, I)), rng.standard_normal((3, O))
    a, b = (sim.Seq2Seq(I, H, O, cell=cell, output="linear", seed=5) for _ in range(2))
    ta, tb = a.forward(xs, steps=3), b.forward(xs, steps=3)
    for name, v in ta.arrays().items():
        assert v.tobytes() == tb.arrays()[name].tobytes(), name
    ba, bb = (m.backward(t, y, loss="mse", truncation=4) for m, t in ((a, ta), (b, tb)))
    for name in ba.grads:
        assert ba.grads_per_step[name].tobytes() == bb.grads_per_step[name].tobytes(), name
    assert ba.delta_by_source.tobytes() == bb.delta_by_source.tobytes()


def test_parameters_and_repr():
    m = sim.Seq2Seq(2, 3, 4, cell="gru", seed=1)
    shapes = m.param_shapes()
    assert shapes["enc.W_r"] == (3, 2) and shapes["dec.W_r"] == (3, 4) and shapes["V"] == (4, 3)
    assert list(m.params)[-2:] == ["V", "c"]
    assert repr(m) == "Seq2Seq(n_in=2, n_hidden=3, n_out=4, output='softmax', seed=1, cell='gru')"


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="cell must be one of"):
        sim.Seq2Seq(2, 3, 2, cell="attention")
    with pytest.raises(ValueError, match="n_hidden"):
        sim.Seq2Seq(2, 300, 2)
    m = sim.Seq2Seq(2, 3, 2, cell="lstm")
    xs = np.zeros((4, 2))
    with pytest.raises(ValueError, match="targets .* or steps"):
        m.forward(xs)
    with pytest.raises(ValueError, match="steps must be None"):
        m.forward(xs, [0, 1], steps=2)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        m.forward(xs, steps=0)
    with pytest.raises(ValueError, match="T_enc \\+ T_dec must be <= 1000"):
        m.forward(np.zeros((600, 2)), steps=401)
    with pytest.raises(ValueError, match=r"targets must be classes in \[0, 1\]"):
        m.forward(xs, [0, 2])
    with pytest.raises(ValueError, match="targets must have shape"):
        m.forward(xs, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="at least one step"):
        m.forward(xs, [])
    with pytest.raises(ValueError, match="xs must have shape"):
        m.forward(np.zeros((4, 3)), [0])
    tr = m.forward(xs, [0, 1, 1])
    with pytest.raises(ValueError, match=r"targets must have shape \(3,\)"):
        m.backward(tr, [0, 1, 1, 0])  # T_dec targets, not T_enc + T_dec
    with pytest.raises(ValueError, match=r"loss_mask must have shape \(3\)"):
        m.backward(tr, [0, 1, 1], loss_mask=[1, 1, 1, 1, 1, 1, 1])
    with pytest.raises(ValueError, match="cell='lstm'"):
        sim.Seq2Seq(2, 3, 2, cell="gru").backward(tr, [0, 1, 1])
