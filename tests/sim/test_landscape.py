"""The cliff of a one-unit RNN: the surface, its gradient, descent with and without clipping."""

import math
import warnings

import numpy as np
import pytest

from sim import landscape as ls


def direct_loss(model, w, b):
    """A plain scalar loop, written independently of the module."""
    x = model.x0
    for _ in range(model.T):
        s = 1 / (1 + math.exp(-x)) if model.activation == "sigmoid" else math.tanh(x)
        x = w * s + b
    return (x - model.target) ** 2


def test_surface_equals_direct_evaluation_at_sampled_points():
    s = ls.loss_surface(ls.CliffRNN(), n=60)
    assert s.L.shape == s.grad_norm.shape == s.log10_L.shape == (60, 60)
    assert s.w.shape == s.b.shape == (60,)
    assert (s.w[0], s.w[-1]) == ls.DEFAULT_W_RANGE and (s.b[0], s.b[-1]) == ls.DEFAULT_B_RANGE
    rng = np.random.default_rng(0)
    for j, i in rng.integers(0, 60, size=(25, 2)):  # rows along b, columns along w
        want = direct_loss(s.model, s.w[i], s.b[j])
        assert s.L[j, i] == pytest.approx(want, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(s.grad_norm, np.hypot(s.dL_dw, s.dL_db))
    np.testing.assert_allclose(s.log10_L, np.log10(np.maximum(s.L, 1e-16)))


def test_surface_with_tanh_equals_direct_evaluation():
    m = ls.CliffRNN(T=30, x0=0.5, target=-0.2, activation="tanh")
    s = ls.loss_surface(m, (-3.0, 3.0), (-1.0, 1.0), n=17)
    for j, i in [(0, 0), (16, 16), (3, 11), (8, 8), (12, 2)]:
        assert s.L[j, i] == pytest.approx(direct_loss(m, s.w[i], s.b[j]), rel=1e-9, abs=1e-12)


def test_loss_and_grad_keeps_the_shape_and_broadcasts():
    m = ls.CliffRNN(T=7)
    w = np.linspace(1, 6, 12).reshape(3, 4)
    L, dw, db = ls.loss_and_grad(m, w, -2.0)
    assert L.shape == dw.shape == db.shape == (3, 4)
    assert L[2, 1] == pytest.approx(direct_loss(m, w[2, 1], -2.0), rel=1e-12)
    L0, _, _ = ls.loss_and_grad(m, 3.0, -1.0)
    assert L0.shape == () and float(L0) == pytest.approx(direct_loss(m, 3.0, -1.0), rel=1e-12)
    with pytest.raises(ValueError, match="w and b"):
        ls.loss_and_grad(m, np.zeros(3), np.zeros(4))


def test_chunked_evaluation_equals_one_piece(monkeypatch):
    m = ls.CliffRNN(T=12)
    W, B = np.meshgrid(np.linspace(3, 9, 23), np.linspace(-6, 0, 19))
    whole = ls.loss_and_grad(m, W, B)
    monkeypatch.setattr(ls, "_CHUNK_POINTS", 10)  # 44 chunks, the last one short
    for a, b in zip(ls.loss_and_grad(m, W, B), whole, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("x0", [2.0, 0.5])
def test_gradient_matches_centred_finite_differences(activation, x0):
    m = ls.CliffRNN(T=50, x0=x0, activation=activation)
    eps = 1e-6
    for w, b in [(1.0, -0.5), (3.0, -1.2), (-2.0, 0.3), (6.0, -1.0), (7.0, -5.5), (0.5, 0.8)]:
        _, dw, db = ls.loss_and_grad(m, w, b)
        fw = (direct_loss(m, w + eps, b) - direct_loss(m, w - eps, b)) / (2 * eps)
        fb = (direct_loss(m, w, b + eps) - direct_loss(m, w, b - eps)) / (2 * eps)
        assert float(dw) == pytest.approx(fw, rel=1e-6, abs=1e-9), (w, b)
        assert float(db) == pytest.approx(fb, rel=1e-6, abs=1e-9), (w, b)


def test_default_surface_has_a_cliff():
    s = ls.loss_surface()
    assert s.L.shape == (ls.DEFAULT_N, ls.DEFAULT_N) == (200, 200)
    g = s.grad_norm
    assert np.isfinite(g).all()
    assert g.max() >= 1000 * np.median(g)
    assert s.cliff_ratio() == pytest.approx(g.max() / np.median(g))
    # narrow: a handful of cells, not a region
    assert np.count_nonzero(g > 100 * np.median(g)) < 0.005 * g.size
    # and the loss itself jumps across it, between neighbouring cells along b
    assert np.max(np.abs(np.diff(s.L, axis=0))) > 10
    # the article's x0 = 0.5 puts the wall on an exponentially thin basin boundary: not seen
    thin = ls.loss_surface(ls.CliffRNN(x0=0.5))
    assert thin.cliff_ratio() < 0.2 * s.cliff_ratio()


def test_surface_is_cached_and_read_only():
    a = ls.loss_surface(ls.CliffRNN(T=49), n=50)
    assert ls.loss_surface(ls.CliffRNN(T=49), (3, 8), (-6, 0), 50) is a  # equal keys, same object
    assert ls.loss_surface(ls.CliffRNN(T=48), n=50) is not a
    with pytest.raises(ValueError):
        a.L[0, 0] = 1.0


def test_no_warnings_and_non_finite_values_pass_through():
    m = ls.CliffRNN()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = [1e308, -1e308, np.inf, np.nan, 5.0]
        L, dw, db = ls.loss_and_grad(m, w, [1e308, 1e308, 0, 0, -1])
        s = ls.loss_surface(m, (-1e6, 1e6), (-1e6, 1e6), n=9)
    assert not np.isfinite(L[:4]).all() and np.isfinite(L[4]) and np.isnan(L[3])
    assert np.isfinite(s.L).any()


def test_clipped_steps_never_exceed_threshold_times_lr():
    d = ls.default_demo()
    for lr, clip in [(d.lr, d.clip), (0.05, 2.0), (0.01, 1.0), (0.003, 50.0)]:
        c = ls.descend(d.model, d.start, lr, d.n_steps, clip=clip)
        assert c.stopped is None and c.points.shape == (d.n_steps + 1, 2)
        assert np.all(c.steps <= clip * lr * (1 + 1e-12))
        assert c.clipped.any()
        np.testing.assert_allclose(c.steps[c.clipped], clip * lr)
        np.testing.assert_array_equal(c.clipped, c.grad_norms[:-1] > clip)


def test_unclipped_default_demo_jumps_off_the_cliff():
    d = ls.default_demo()
    u, c = d.plain(), d.clipped()
    assert u.stopped is None and c.stopped is None
    assert u.points.shape == c.points.shape == (d.n_steps + 1, 2)
    assert u.losses.shape == u.grad_norms.shape == (d.n_steps + 1,)
    assert u.steps.shape == u.clipped.shape == (d.n_steps,)
    assert u.points[0].tolist() == list(d.start) and not u.clipped.any()
    k = int(np.argmax(u.steps))
    assert u.steps[k] >= 10 * c.steps.max()
    assert u.steps[k] >= 100 * np.median(u.steps)  # one step much longer than the others
    assert u.grad_norms[k] > 1000  # the wall
    # the jump leaves the map; the clipped path stays on it
    (w0, w1), (b0, b1) = d.w_range, d.b_range
    assert not (w0 <= u.points[k + 1, 0] <= w1 and b0 <= u.points[k + 1, 1] <= b1)
    assert np.all((w0 <= c.points[:, 0]) & (c.points[:, 0] <= w1))
    assert np.all((b0 <= c.points[:, 1]) & (c.points[:, 1] <= b1))


def test_descent_follows_the_gradient():
    m = ls.CliffRNN(T=10)
    tr = ls.descend(m, (1.0, 0.0), 0.1, 3)
    L, dw, db = ls.loss_and_grad(m, 1.0, 0.0)
    np.testing.assert_allclose(tr.points[1], [1.0 - 0.1 * float(dw), 0.0 - 0.1 * float(db)])
    assert tr.losses[0] == float(L) and tr.grad_norms[0] == pytest.approx(math.hypot(dw, db))
    np.testing.assert_allclose(tr.steps, np.linalg.norm(np.diff(tr.points, axis=0), axis=1))
    assert ls.descend(m, (1.0, 0.0), 0.1, 0).points.shape == (1, 2)


def test_non_finite_values_stop_the_descent_cleanly():
    # x0 = 0 sits exactly on the unstable fixed point of x -> 12 sigmoid(x) - 6: the loss is
    # finite, but the error grows by w sigmoid'(0) = 3 per step back: 3**1000 overflows
    m = ls.CliffRNN(T=1000, x0=0.0)
    L, dw, db = ls.loss_and_grad(m, 12.0, -6.0)
    assert float(L) == pytest.approx(0.49) and not np.isfinite(dw)
    tr = ls.descend(m, (12.0, -6.0), 1.0, 5)
    assert tr.stopped == "non-finite gradient"
    assert tr.points.shape == (1, 2) and tr.steps.shape == (0,)
    assert np.isfinite(tr.points).all()
    # x_T ~ 1e300: the loss overflows
    tr = ls.descend(ls.CliffRNN(), (1.0, 1e300), 0.1, 5)
    assert tr.stopped == "non-finite loss" and tr.points.shape == (1, 2)
    # finite loss and gradient, but a step past the float range
    tr = ls.descend(ls.CliffRNN(), (5.0, -1.0), 1e308, 5)
    assert tr.stopped == "non-finite step" and np.isfinite(tr.points).all()


@pytest.mark.parametrize(
    "kw,word",
    [
        ({"T": 0}, "T"),
        ({"T": 1001}, "1000"),
        ({"T": 2.5}, "T"),
        ({"T": True}, "T"),
        ({"x0": float("nan")}, "x0"),
        ({"target": "a"}, "target"),
        ({"target": float("inf")}, "target"),
        ({"activation": "relu"}, "activation"),
    ],
)
def test_bad_settings(kw, word):
    with pytest.raises(ValueError, match=word):
        ls.CliffRNN(**kw)


@pytest.mark.parametrize(
    "call,word",
    [
        (lambda m: ls.loss_surface(m, w_range=(3, 1)), "w_range"),
        (lambda m: ls.loss_surface(m, b_range=(0, np.nan)), "b_range"),
        (lambda m: ls.loss_surface(m, w_range=5), "w_range"),
        (lambda m: ls.loss_surface(m, n=1), "n"),
        (lambda m: ls.loss_surface(m, n=10.0), "n"),
        (lambda m: ls.loss_surface("model"), "model"),
        (lambda m: ls.descend(m, (0, 0), -1, 3), "lr"),
        (lambda m: ls.descend(m, (0, 0), 0.1, -3), "n_steps"),
        (lambda m: ls.descend(m, (0, 0), 0.1, 3, clip=0), "clip"),
        (lambda m: ls.descend(m, (np.nan, 0), 0.1, 3), "start"),
        (lambda m: ls.descend(m, (1, 2, 3), 0.1, 3), "start"),
    ],
)
def test_bad_arguments(call, word):
    with pytest.raises(ValueError, match=word):
        call(ls.CliffRNN())


def test_loss_along_line_is_exact_for_a_quadratic_and_does_not_mutate():
    params = {"a": np.array([1.0, 2.0]), "b": np.array([[3.0]])}
    direction = {"a": np.array([1.0, 0.0]), "b": np.array([[-1.0]])}
    before = {k: v.copy() for k, v in params.items()}
    d_before = {k: v.copy() for k, v in direction.items()}
    seen = []

    def loss(p):
        seen.append(p)
        return float((p["a"] ** 2).sum() + (p["b"] ** 2).sum())

    alphas = np.linspace(-2, 2, 9)
    out = ls.loss_along_line(loss, params, direction, alphas)
    want = (1 + alphas) ** 2 + 4 + (3 - alphas) ** 2
    assert out.shape == (9,)
    np.testing.assert_allclose(out, want, rtol=0, atol=1e-12)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
        np.testing.assert_array_equal(direction[k], d_before[k])
        assert all(p[k] is not params[k] and p[k].shape == params[k].shape for p in seen)
    with pytest.raises(ValueError, match="direction"):
        ls.loss_along_line(loss, params, {"a": direction["a"]}, alphas)
    with pytest.raises(ValueError, match="direction"):
        ls.loss_along_line(loss, params, {"a": direction["a"], "b": np.zeros(2)}, alphas)
    with pytest.raises(ValueError, match="alphas"):
        ls.loss_along_line(loss, params, direction, np.zeros((2, 2)))
