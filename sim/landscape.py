"""The cliff: the loss of a one-unit RNN over its recurrent weight w and bias b.

Pascanu, Mikolov and Bengio (2013, "On the difficulty of training recurrent neural networks")
show that the loss of the single-unit RNN

    x(t) = w * sigmoid(x(t-1)) + b,   x(0) = x0,   L = (x(T) - target)^2

has a cliff in the (w, b) plane: where the unit has two fixed points, a tiny change of (w, b)
decides which one x(T) ends in, so L jumps and its gradient there is enormous. Gradient descent
that steps on the wall is thrown far away; clipping the gradient norm (Goodfellow et al.,
figure 10.17) keeps the step at most threshold * lr long.

Everything here is vectorised over the grid: one loop over t, never a loop over points.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _checks
from .activations import sigmoid

ACTIVATIONS = ("sigmoid", "tanh")


@dataclass(frozen=True)
class CliffRNN:
    """Settings of the one-unit RNN.

    Attributes
    ----------
    T : sequence length (1..1000).
    x0 : initial state x(0).
    target : what x(T) should be.
    activation : "sigmoid" (Pascanu et al.) or "tanh".
    """

    T: int = 50
    x0: float = 0.5
    target: float = 0.7
    activation: str = "sigmoid"

    def __post_init__(self):
        _checks.length("T", self.T)
        for name in ("x0", "target"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise ValueError(f"{name} must be a finite number, got {v!r}")
            if abs(v) > 1e6:
                raise ValueError(f"{name} must be within +-1e6, got {v!r}")
        _checks.choice("activation", self.activation, ACTIVATIONS)


def _g(a, activation):
    if activation == "sigmoid":
        s = sigmoid(a)
        return s, s * (1.0 - s)
    h = np.tanh(a)
    return h, 1.0 - h * h


def loss_and_grad(model: CliffRNN, w, b):
    """L, dL/dw and dL/db at ``(w, b)``: arrays of one shape (or scalars), by exact BPTT.

    Returns
    -------
    L, dL_dw, dL_db : arrays shaped like ``w`` and ``b`` broadcast together. Overflowing
    values are inf/NaN, never a warning.
    """
    w, b = np.broadcast_arrays(np.asarray(w, float), np.asarray(b, float))
    T = model.T
    with np.errstate(all="ignore"):
        x = np.empty((T + 1,) + w.shape)  # (T + 1, ...) x(0..T)
        x[0] = model.x0
        for t in range(1, T + 1):
            x[t] = w * _g(x[t - 1], model.activation)[0] + b  # (...) x(t) = w g(x(t-1)) + b
        e = x[T] - model.target  # (...)
        L = e * e  # (...)
        dx = 2.0 * e  # (...) dL/dx(T)
        dw = np.zeros(w.shape)
        db = np.zeros(w.shape)
        for t in range(T, 0, -1):
            g, gp = _g(x[t - 1], model.activation)  # (...) g(x(t-1)), g'(x(t-1))
            dw += dx * g  # (...) the use of w at step t
            db += dx  # (...) the use of b at step t
            dx = dx * w * gp  # (...) dL/dx(t-1)
    return L, dw, db


@dataclass(frozen=True, eq=False)
class LossSurface:
    """L over a grid: ``L[i, j]`` is the loss at (w[j], b[i]).

    Attributes
    ----------
    model : the settings.
    w : (n_w,) recurrent weights, the x axis.
    b : (n_b,) biases, the y axis.
    L : (n_b, n_w) losses.
    grad_norm : (n_b, n_w) ||(dL/dw, dL/db)||.
    """

    model: CliffRNN
    w: np.ndarray
    b: np.ndarray
    L: np.ndarray
    grad_norm: np.ndarray

    @property
    def log10_L(self) -> np.ndarray:
        """(n_b, n_w) log10 of L, floored at 1e-12 so exact minima stay finite."""
        with np.errstate(all="ignore"):
            return np.log10(np.maximum(self.L, 1e-12))

    def cliff_ratio(self) -> float:
        """max / median gradient norm on the grid (finite values): how steep the cliff is."""
        g = self.grad_norm[np.isfinite(self.grad_norm)]
        return float(g.max() / np.median(g)) if g.size else float("nan")


DEFAULT_W = (-2.0, 12.0)
DEFAULT_B = (-8.0, 2.0)


def _range(name: str, r) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in r)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {r!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be finite with low < high, got {r!r}")
    return lo, hi


def loss_surface(model: CliffRNN = CliffRNN(), w_range=DEFAULT_W, b_range=DEFAULT_B,
                 n: int = 200) -> LossSurface:
    """The loss over an ``n`` x ``n`` grid, vectorised and cached (the same call is free)."""
    w_range, b_range = _range("w_range", w_range), _range("b_range", b_range)
    n = _checks.size("n", n, cap=2000, minimum=2)
    return _surface(model, w_range, b_range, n)


@lru_cache(maxsize=16)
def _surface(model, w_range, b_range, n) -> LossSurface:
    w = np.linspace(*w_range, n)  # (n,)
    b = np.linspace(*b_range, n)  # (n,)
    W, B = np.meshgrid(w, b)  # (n, n) each, rows follow b
    L, dw, db = loss_and_grad(model, W, B)
    with np.errstate(all="ignore"):
        g = np.hypot(dw, db)  # (n, n)
    for a in (w, b, L, g):
        a.flags.writeable = False
    return LossSurface(model=model, w=w, b=b, L=L, grad_norm=g)


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A gradient-descent path.

    Attributes
    ----------
    points : (n + 1, 2) (w, b) from the start.
    losses : (n + 1,) L at each point.
    norms : (n,) gradient norm before clipping at each step.
    clipped : (n,) whether the step was clipped.
    steps : (n,) length of each step.
    stopped : None, or why the path ended early ("non-finite gradient").
    """

    points: np.ndarray
    losses: np.ndarray
    norms: np.ndarray
    clipped: np.ndarray
    steps: np.ndarray
    stopped: str | None = None


def descend(model: CliffRNN, start, lr: float, n_steps: int, clip: float | None = None
            ) -> Trajectory:
    """Plain gradient descent from ``start`` = (w0, b0), optionally with norm clipping.

    A step whose gradient is not finite ends the path there (``stopped`` says so): the point
    stays where it was rather than jumping to NaN.
    """
    w0, b0 = (float(v) for v in start)
    if not (np.isfinite(w0) and np.isfinite(b0)):
        raise ValueError(f"start must be finite, got {start!r}")
    if isinstance(lr, bool) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    n_steps = _checks.size("n_steps", n_steps, cap=100_000, minimum=0)
    if clip is not None and not (np.isfinite(clip) and clip > 0):
        raise ValueError(f"clip must be None or a number > 0, got {clip!r}")
    p = np.array([w0, b0])
    points, losses, norms, clipped, steps = [p.copy()], [], [], [], []
    stopped = None
    for _ in range(n_steps):
        L, dw, db = loss_and_grad(model, p[0], p[1])
        losses.append(float(L))
        g = np.array([float(dw), float(db)])  # (2,)
        norm = float(np.hypot(*g)) if np.all(np.isfinite(g)) else float("inf")
        if not np.isfinite(norm):
            stopped = "non-finite gradient"
            break
        was_clipped = clip is not None and norm > clip
        if was_clipped:
            g = g * (clip / norm)  # (2,) g <- g * threshold / ||g||
        step = -lr * g  # (2,)
        p = p + step
        points.append(p.copy())
        norms.append(norm)
        clipped.append(was_clipped)
        steps.append(float(np.hypot(*step)))
    losses.append(float(loss_and_grad(model, p[0], p[1])[0]))
    return Trajectory(points=np.array(points), losses=np.array(losses), norms=np.array(norms),
                      clipped=np.array(clipped, dtype=bool), steps=np.array(steps),
                      stopped=stopped)


@dataclass(frozen=True)
class Demo:
    """A start, a learning rate and a threshold at which the unclipped path jumps off the cliff
    and the clipped one does not."""

    model: CliffRNN
    start: tuple[float, float]
    lr: float
    clip: float
    n_steps: int


def default_demo() -> Demo:
    """The view's default: a start on the high side of the cliff (see tests/test_landscape)."""
    return Demo(model=CliffRNN(), start=DEMO_START, lr=DEMO_LR, clip=DEMO_CLIP,
                n_steps=DEMO_STEPS)


# Found by a search over starts (the test asserts the property, not these numbers): the
# unclipped path steps on the wall and is thrown ~13 units across the plane; clipped, no step
# exceeds clip * lr = 0.1.
DEMO_START = (8.0, -6.25)
DEMO_LR = 0.05
DEMO_CLIP = 2.0
DEMO_STEPS = 40


def loss_along_line(loss_fn, params: dict, direction: dict, alphas) -> np.ndarray:
    """loss_fn(params + alpha * direction) for each alpha: the landscape through a real model.

    Parameters
    ----------
    loss_fn : callable taking a dict name -> array and returning a float.
    params : name -> array, the point the line goes through (not modified).
    direction : name -> array of the same shapes.
    alphas : (n,) offsets along the line.

    Returns
    -------
    (n,) losses.
    """
    if set(params) != set(direction):
        raise ValueError("direction must have the same names as params")
    for k in params:
        if np.shape(params[k]) != np.shape(direction[k]):
            raise ValueError(f"direction[{k!r}] must have shape {np.shape(params[k])}")
    alphas = np.asarray(alphas, float)
    out = np.empty(alphas.shape)
    with np.errstate(all="ignore"):
        for i, a in enumerate(alphas.ravel()):
            point = {k: np.asarray(params[k], float) + a * np.asarray(direction[k], float)
                     for k in params}
            out.ravel()[i] = float(loss_fn(point))
    return out
