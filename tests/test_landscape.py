"""The cliff of a one-unit RNN: the surface, its gradient, descent with and without clipping."""

import math
import time

import numpy as np
import pytest

from sim import landscape as ls


def direct_loss(model, w, b):
    """A plain scalar loop, written independently of the module."""
    x = model.x0
    for _ in range(model.T):
        g = 1 / (1 + math.exp(-x)) if model.activation == "sigmoid" else math.tanh(x)
        x = w * g + b
    return (x - model.target) ** 2


def test_surface_equals_direct_evaluation_at_sampled_points():
    s = ls.loss_surface(ls.CliffRNN(), n=60)
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 60, size=(25, 2)):
        assert s.L[i, j] == pytest.approx(direct_loss(s.model, s.w[j], s.b[i]), rel=1e-9,
                                          abs=1e-12)
    assert s.L.shape == (60, 60)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_gradient_matches_finite_differences(activation):
    m = ls.CliffRNN(T=20, activation=activation)
    for w, b in [(1.0, -0.5), (3.0, -1.2), (-2.0, 0.3), (6.0, -4.0)]:
        L, dw, db = ls.loss_and_grad(m, w, b)
        eps = 1e-6
        fw = (direct_loss(m, w + eps, b) - direct_loss(m, w - eps, b)) / (2 * eps)
        fb = (direct_loss(m, w, b + eps) - direct_loss(m, w, b - eps)) / (2 * eps)
        assert float(dw) == pytest.approx(fw, rel=1e-6, abs=1e-9)
        assert float(db) == pytest.approx(fb, rel=1e-6, abs=1e-9)


def test_default_surface_has_a_cliff():
    s = ls.loss_surface()
    assert s.L.shape == (200, 200)
    assert s.cliff_ratio() >= 100  # a gradient two orders of magnitude above the median
    # and the loss jumps across it: neighbouring cells differing by more than 10 in L
    assert np.nanmax(np.abs(np.diff(s.L, axis=1))) > 10


def test_surface_is_cached_and_fast():
    t0 = time.perf_counter()
    a = ls.loss_surface(ls.CliffRNN(T=49), n=200)
    first = time.perf_counter() - t0
    b = ls.loss_surface(ls.CliffRNN(T=49), n=200)
    assert a is b
    assert first < 5.0  # generous: the benchmark holds the real number


def test_clipped_steps_never_exceed_threshold_times_lr():
    d = ls.default_demo()
    c = ls.descend(d.model, d.start, d.lr, d.n_steps, clip=d.clip)
    assert np.all(c.steps <= d.clip * d.lr + 1e-12)
    assert c.clipped.any()
    np.testing.assert_allclose(c.steps[c.clipped], d.clip * d.lr)


def test_unclipped_demo_jumps_off_the_cliff():
    d = ls.default_demo()
    u = ls.descend(d.model, d.start, d.lr, d.n_steps)
    c = ls.descend(d.model, d.start, d.lr, d.n_steps, clip=d.clip)
    assert u.steps.max() >= 10 * c.steps.max()
    assert u.points.shape == (d.n_steps + 1, 2) and u.losses.shape == (d.n_steps + 1,)
    assert u.points[0].tolist() == list(d.start)


def test_descent_follows_the_gradient():
    m = ls.CliffRNN(T=10)
    tr = ls.descend(m, (1.0, 0.0), 0.1, 3)
    L, dw, db = ls.loss_and_grad(m, 1.0, 0.0)
    np.testing.assert_allclose(tr.points[1], [1.0 - 0.1 * float(dw), 0.0 - 0.1 * float(db)])


def test_non_finite_gradient_stops_cleanly():
    m = ls.CliffRNN(T=200, activation="tanh")
    tr = ls.descend(m, (1e300, 1e300), 1.0, 5)
    assert tr.stopped == "non-finite gradient"
    assert np.isfinite(tr.points).all()


@pytest.mark.parametrize("kw,word", [
    ({"T": 0}, "T"), ({"T": 5000}, "1000"), ({"x0": float("nan")}, "x0"),
    ({"target": "a"}, "target"), ({"activation": "relu"}, "activation"),
])
def test_bad_settings(kw, word):
    with pytest.raises(ValueError, match=word):
        ls.CliffRNN(**kw)


def test_bad_arguments():
    m = ls.CliffRNN()
    with pytest.raises(ValueError, match="w_range"):
        ls.loss_surface(m, w_range=(3, 1))
    with pytest.raises(ValueError, match="n"):
        ls.loss_surface(m, n=1)
    with pytest.raises(ValueError, match="lr"):
        ls.descend(m, (0, 0), -1, 3)
    with pytest.raises(ValueError, match="clip"):
        ls.descend(m, (0, 0), 0.1, 3, clip=0)
    with pytest.raises(ValueError, match="start"):
        ls.descend(m, (np.nan, 0), 0.1, 3)


def test_loss_along_line_is_exact_for_a_quadratic_and_does_not_mutate():
    params = {"a": np.array([1.0, 2.0]), "b": np.array([[3.0]])}
    direction = {"a": np.array([1.0, 0.0]), "b": np.array([[-1.0]])}
    before = {k: v.copy() for k, v in params.items()}

    def loss(p):
        return float((p["a"] ** 2).sum() + (p["b"] ** 2).sum())

    alphas = np.linspace(-2, 2, 9)
    out = ls.loss_along_line(loss, params, direction, alphas)
    want = (1 + alphas) ** 2 + 4 + (3 - alphas) ** 2
    np.testing.assert_allclose(out, want)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    with pytest.raises(ValueError, match="same names"):
        ls.loss_along_line(loss, params, {"a": direction["a"]}, alphas)
