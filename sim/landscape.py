"""The loss landscape of a one-unit RNN, and its cliff.

Pascanu, Mikolov and Bengio (2013, section 3 and fig. 6) and Goodfellow et al. (Deep Learning,
fig. 10.17) show the loss of a single recurrent unit

    x_t = w * sigma(x_{t-1}) + b,   t = 1..T,   x_0 given,   L = (x_T - target)**2

as a surface over its two parameters (w, b). The surface is mostly gentle but has a *cliff*: a
narrow wall where ``dL/d(w, b)`` is orders of magnitude larger than anywhere else. Plain gradient
descent that steps onto the wall is thrown far away; clipped gradient descent
(``g <- g * threshold / ||g||`` when ``||g|| > threshold``) takes a bounded step and stays near.

Why the cliff is there, and why the default ``x0`` is 2.0 rather than the article's 0.5
--------------------------------------------------------------------------------------
For ``w > 4`` the map ``x -> w * sigma(x) + b`` has two stable fixed points (a low one near ``b``
and a high one near ``w + b``) for ``b`` in a band; outside the band one of them disappears in a
saddle-node bifurcation. Starting at ``x0 = 2`` the unit settles on the high fixed point. Where
that point disappears (the fold, roughly the curve from (w, b) = (4, -2) to (8, -5)) the state
creeps past the "ghost" of the lost fixed point for a number of steps that diverges at the fold.
Where the creep lasts about T steps, ``x_T`` drops from the high branch to the low one over a band
of width ~1e-3 in b: the wall, with ``||grad L||`` ~1e4 against a median of ~10. The valley of low
loss (``x_T = target``) runs along the top of the wall, so descent heads straight for it.

With the article's ``x0 = 0.5`` the wall is instead the basin boundary, where ``x0`` sits on the
unstable fixed point; it is exponentially thin (width ~ lambda**-T, about 1e-6 in b at w = 6), so
a 200 x 200 grid almost never samples a point on it and the cliff does not show. Pass
``CliffRNN(x0=0.5)`` to see that.

All functions are pure NumPy and never import Qt. Arrays handed out are float64 and read-only.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_B",
    "DEFAULT_B_RANGE",
    "DEFAULT_N",
    "DEFAULT_W",
    "DEFAULT_W_RANGE",
    "DEMO_CLIP",
    "DEMO_LR",
    "DEMO_N_STEPS",
    "DEMO_START",
    "CliffRNN",
    "Demo",
    "LossSurface",
    "Trajectory",
    "default_demo",
    "descend",
    "descend_each",
    "loss_along_line",
    "loss_and_grad",
    "loss_surface",
]

ACTIVATIONS = ("sigmoid", "tanh")

T_MAX = 1000  # longest sequence accepted
N_MAX = 2000  # largest grid side accepted by loss_surface
STEPS_MAX = 100_000  # longest trajectory accepted by descend
_VALUE_MAX = 1e6  # |x0|, |target| and |range ends| beyond this are surely typos

# Default view: the fold of the high fixed point crosses it diagonally, with the valley of low loss
# along its upper side (see the module docstring). max/median gradient norm on the 200 x 200 grid:
# ~4000 (1500..6000 when the ends move by a few hundredths: the wall is ~1e-3 wide, the cells 0.03).
DEFAULT_W_RANGE = (3.0, 8.0)
DEFAULT_B_RANGE = (-6.0, 0.0)
DEFAULT_N = 200
DEFAULT_W = DEFAULT_W_RANGE  # short names used by gui.model.present.landscape
DEFAULT_B = DEFAULT_B_RANGE

# Default demo: plain descent from DEMO_START slides towards the valley along the top of the wall,
# reaches the wall at step 77 (||g|| ~ 1.6e3) and is thrown ~8 away, to about (w, b) = (9.4, 4.2),
# then walks back. With DEMO_CLIP (above the ~10 of ordinary gradients here, so mostly only the
# wall is clipped) every step is at most DEMO_CLIP * DEMO_LR = 0.075 and the path stays on the
# default map, ending in the valley.
DEMO_START = (7.0, -1.0)
DEMO_LR = 0.005
DEMO_N_STEPS = 200
DEMO_CLIP = 15.0

# loss_and_grad works on chunks of at most _CHUNK_POINTS points, and at most _CHUNK_ELEMENTS
# stored activations (T per point): memory stays bounded (~16 MB) whatever the grid size and T,
# and the arrays stay cache-friendly (measured: 2**13..2**17 points are equally fast).
_CHUNK_ELEMENTS = 1 << 21
_CHUNK_POINTS = 1 << 14


def _check_real(name: str, value: object, limit: float = _VALUE_MAX) -> float:
    """Return ``value`` as a float, or raise ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    x = float(value)
    if not math.isfinite(x) or abs(x) > limit:
        raise ValueError(f"{name} must be finite with |{name}| <= {limit:g}, got {value!r}")
    return x


def _check_int(name: str, value: object, lo: int, hi: int) -> int:
    """Return ``value`` as an int in ``lo..hi``, or raise ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer in {lo}..{hi}, got {value!r}")
    if not lo <= int(value) <= hi:
        raise ValueError(f"{name} must be an integer in {lo}..{hi}, got {value!r}")
    return int(value)


def _check_range(name: str, value: object) -> tuple[float, float]:
    """Return ``value`` as ``(lo, hi)`` floats with lo < hi, or raise ValueError naming ``name``."""
    try:
        lo, hi = value  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (min, max), got {value!r}") from None
    lo = _check_real(f"{name}[0]", lo)
    hi = _check_real(f"{name}[1]", hi)
    if not lo < hi:
        raise ValueError(f"{name} must have min < max, got {value!r}")
    return lo, hi


def _frozen(a: np.ndarray) -> np.ndarray:
    """Mark ``a`` read-only (results are cached and shared) and return it."""
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class CliffRNN:
    """Settings of the one-unit RNN ``x_t = w * sigma(x_{t-1}) + b`` and its loss.

    Parameters
    ----------
    T : int
        Sequence length, 1..1000. The loss looks at ``x_T`` only.
    x0 : float
        Initial state ``x_0``. The default 2.0 starts on the high fixed point, which makes the wall
        a saddle-node fold wide enough to see on a grid (module docstring); Pascanu et al. use 0.5.
    target : float
        Desired final state; ``L = (x_T - target)**2``.
    activation : {"sigmoid", "tanh"}
        ``sigma``. Sigmoid as in Pascanu et al.; with tanh the interesting region moves (w > 1).

    Raises
    ------
    ValueError
        Naming the offending argument.
    """

    T: int = 50
    x0: float = 2.0
    target: float = 0.7
    activation: str = "sigmoid"

    def __post_init__(self) -> None:
        object.__setattr__(self, "T", _check_int("T", self.T, 1, T_MAX))
        object.__setattr__(self, "x0", _check_real("x0", self.x0))
        object.__setattr__(self, "target", _check_real("target", self.target))
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")


def _sigma_into(model: CliffRNN, x: np.ndarray, out: np.ndarray) -> None:
    """Write ``sigma(x)`` into ``out``, without overflow for any |x|. Shapes (G,) -> (G,)."""
    if model.activation == "tanh":
        np.tanh(x, out=out)  # (G,)
        return
    np.multiply(x, 0.5, out=out)  # (G,) sigmoid(x) = (1 + tanh(x/2)) / 2: no exp, no overflow
    np.tanh(out, out=out)  # (G,)
    out += 1.0  # (G,)
    out *= 0.5  # (G,)


def _sigma_prime_into(model: CliffRNN, s: np.ndarray, out: np.ndarray) -> None:
    """Write ``sigma'(x)`` into ``out``, from ``s = sigma(x)``. Shapes (G,) -> (G,)."""
    if model.activation == "tanh":
        np.multiply(s, s, out=out)  # (G,) tanh^2
        np.subtract(1.0, out, out=out)  # (G,) tanh' = 1 - tanh^2
        return
    np.subtract(1.0, s, out=out)  # (G,) 1 - s
    out *= s  # (G,) sigmoid' = s (1 - s)


def _loss_and_grad_flat(
    model: CliffRNN, w: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward pass and BPTT on flat arrays, shape (G,) each; see loss_and_grad.

    Written with ``out=`` so that the loops over t allocate nothing.
    """
    T = model.T
    G = w.shape[0]
    # s[t] = sigma(x_t) for t = 0..T-1: all the backward pass needs from the forward pass.
    s = np.empty((T, G))  # (T, G)
    x = np.full(G, model.x0)  # (G,) x_0
    for t in range(1, T + 1):
        _sigma_into(model, x, s[t - 1])  # (G,) sigma(x_{t-1})
        np.multiply(w, s[t - 1], out=x)  # (G,) w sigma(x_{t-1})
        x += b  # (G,) x_t
    e = x - model.target  # (G,) x_T - target
    L = e * e  # (G,) loss

    dx = 2.0 * e  # (G,) dL/dx_T
    dw = np.zeros(G)  # (G,) dL/dw, summed over time
    db = np.zeros(G)  # (G,) dL/db, summed over time
    tmp = np.empty(G)  # (G,) scratch
    for t in range(T, 0, -1):
        # here dx = dL/dx_t, and x_t = w sigma(x_{t-1}) + b
        np.multiply(dx, s[t - 1], out=tmp)  # (G,) dL/dx_t * (local dx_t/dw = sigma(x_{t-1}))
        dw += tmp  # (G,)
        db += dx  # (G,) local dx_t/db = 1
        _sigma_prime_into(model, s[t - 1], tmp)  # (G,) sigma'(x_{t-1})
        tmp *= w  # (G,) local dx_t/dx_{t-1} = w sigma'(x_{t-1})
        dx *= tmp  # (G,) dL/dx_{t-1}
    return L, dw, db


def loss_and_grad(
    model: CliffRNN, w: np.typing.ArrayLike, b: np.typing.ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss and its exact gradient by backpropagation through time, for many (w, b) at once.

    Vectorised over the points: the only Python loops run over time steps (and over chunks of
    points, to bound memory). Non-finite values (huge w, b) are allowed and propagate to the result
    without any RuntimeWarning.

    Parameters
    ----------
    model : CliffRNN
    w, b : array_like, broadcastable to a common shape S
        Recurrent weight and bias.

    Returns
    -------
    L, dL_dw, dL_db : ndarray, shape S, float64
        ``L = (x_T - target)**2`` and its partial derivatives.

    Raises
    ------
    ValueError
        If ``w`` and ``b`` do not broadcast together, or are not real numbers.
    """
    try:
        w_arr, b_arr = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"w and b must be real arrays of matching shape: {exc}") from None
    shape = w_arr.shape
    w_flat = w_arr.ravel()  # (G,)
    b_flat = b_arr.ravel()  # (G,)
    G = w_flat.shape[0]
    out = np.empty((3, G))  # (3, G) L, dL/dw, dL/db
    chunk = max(1, min(_CHUNK_POINTS, _CHUNK_ELEMENTS // (model.T + 1)))
    with np.errstate(all="ignore"):
        for i in range(0, G, chunk):
            j = min(G, i + chunk)
            out[0, i:j], out[1, i:j], out[2, i:j] = _loss_and_grad_flat(
                model, w_flat[i:j], b_flat[i:j]
            )
    return out[0].reshape(shape), out[1].reshape(shape), out[2].reshape(shape)


@dataclass(frozen=True)
class LossSurface:
    """The loss and its gradient on a regular (w, b) grid. Arrays are read-only.

    Image arrays are row-major with **rows along b and columns along w**: ``L[j, i]`` is the loss
    at ``(w[i], b[j])``; ``b`` grows with the row index (draw with ``origin="lower"`` in matplotlib,
    or ``imageAxisOrder="row-major"`` in pyqtgraph, whose y axis points up by default).

    Attributes
    ----------
    model : CliffRNN
    w : ndarray, shape (n,)
        Grid values of the recurrent weight, increasing.
    b : ndarray, shape (n,)
        Grid values of the bias, increasing.
    L : ndarray, shape (n, n)
        Loss, ``[b index, w index]``.
    dL_dw, dL_db : ndarray, shape (n, n)
        Gradient components.
    grad_norm : ndarray, shape (n, n)
        ``sqrt(dL_dw**2 + dL_db**2)``.
    log10_L, log10_grad_norm : ndarray, shape (n, n)
        For display: ``log10(max(value, 1e-16))`` so an exact zero gives -16, not -inf.
        Non-finite inputs stay non-finite.
    """

    model: CliffRNN
    w: np.ndarray
    b: np.ndarray
    L: np.ndarray
    dL_dw: np.ndarray
    dL_db: np.ndarray
    grad_norm: np.ndarray
    log10_L: np.ndarray
    log10_grad_norm: np.ndarray

    def cliff_ratio(self) -> float:
        """Largest over median gradient norm on the grid (finite values only); ~1e3+ on a cliff."""
        g = self.grad_norm[np.isfinite(self.grad_norm)]  # (K,)
        if g.size == 0:
            return math.nan
        med = float(np.median(g))
        return float(g.max()) / med if med > 0 else math.inf


def loss_surface(
    model: CliffRNN | None = None,
    w_range: tuple[float, float] = DEFAULT_W_RANGE,
    b_range: tuple[float, float] = DEFAULT_B_RANGE,
    n: int = DEFAULT_N,
) -> LossSurface:
    """The loss surface on an n x n grid, cached (the same arguments return the same object).

    Parameters
    ----------
    model : CliffRNN, optional
        Default ``CliffRNN()``.
    w_range, b_range : (float, float)
        Inclusive ends of the grid, min < max.
    n : int
        Points per side, 2..2000.

    Returns
    -------
    LossSurface
        Arrays of shape (n, n) indexed ``[b index, w index]``.

    Raises
    ------
    ValueError
        Naming the offending argument.

    Notes
    -----
    About 6 ms for the default 200 x 200 grid at T = 50 (tests/bench/bench_landscape.py). The
    cache holds the 32 most recent surfaces (each ~7 * 8 * n**2 bytes, 2.2 MB at n = 200).
    """
    if model is None:
        model = CliffRNN()
    if not isinstance(model, CliffRNN):
        raise ValueError(f"model must be a CliffRNN, got {type(model).__name__}")
    key = (
        model,
        _check_range("w_range", w_range),
        _check_range("b_range", b_range),
        _check_int("n", n, 2, N_MAX),
    )
    return _surface(*key)


@functools.lru_cache(maxsize=32)
def _surface(
    model: CliffRNN, w_range: tuple[float, float], b_range: tuple[float, float], n: int
) -> LossSurface:
    """Uncached work of loss_surface, on validated, hashable arguments."""
    w = np.linspace(w_range[0], w_range[1], n)  # (n,)
    b = np.linspace(b_range[0], b_range[1], n)  # (n,)
    W, B = np.meshgrid(w, b)  # (n, n) each, rows along b
    L, dw, db = loss_and_grad(model, W, B)  # (n, n) each
    with np.errstate(all="ignore"):
        g = np.hypot(dw, db)  # (n, n)
        log_L = np.log10(np.maximum(L, 1e-16))  # (n, n)
        log_g = np.log10(np.maximum(g, 1e-16))  # (n, n)
    return LossSurface(
        model=model,
        w=_frozen(w),
        b=_frozen(b),
        L=_frozen(L),
        dL_dw=_frozen(dw),
        dL_db=_frozen(db),
        grad_norm=_frozen(g),
        log10_L=_frozen(log_L),
        log10_grad_norm=_frozen(log_g),
    )


@dataclass(frozen=True)
class Trajectory:
    """A gradient-descent path over (w, b). Arrays are read-only.

    K is the number of steps taken: ``n_steps``, or fewer if the descent stopped early
    (see ``stopped``).

    Attributes
    ----------
    points : ndarray, shape (K+1, 2)
        ``(w, b)`` after each step; ``points[0]`` is the start.
    losses : ndarray, shape (K+1,)
        Loss at each point.
    grad_norms : ndarray, shape (K+1,)
        Gradient norm at each point, before clipping.
    clipped : ndarray of bool, shape (K,)
        Whether step k (from point k to k+1) was clipped.
    steps : ndarray, shape (K,)
        Euclidean length of step k (also as ``step_lengths``).
    lr : float
    clip : float or None
        The clipping threshold, None for plain descent.
    stopped : str or None
        None if all ``n_steps`` were taken. Otherwise why the descent stopped at the last point:
        ``"non-finite gradient"``, ``"non-finite loss"`` (at that point), ``"non-finite step"``
        (the next point would overflow), or ``"stopped"`` (``should_stop`` said so).
    """

    points: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    clipped: np.ndarray
    steps: np.ndarray
    lr: float
    clip: float | None
    stopped: str | None

    @property
    def step_lengths(self) -> np.ndarray:
        """Same as ``steps``: (K,) Euclidean length of each step."""
        return self.steps

    @property
    def n_steps_taken(self) -> int:
        """K, the number of steps actually taken."""
        return int(self.steps.shape[0])


def descend(
    model: CliffRNN,
    start: tuple[float, float] = DEMO_START,
    lr: float = DEMO_LR,
    n_steps: int = DEMO_N_STEPS,
    clip: float | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Trajectory:
    """Gradient descent on (w, b), plain or with gradient-norm clipping.

    Each step: ``g = grad L(w, b)``; if ``clip`` is set and ``||g|| > clip``, ``g <- g * clip /
    ||g||`` (Pascanu et al. 2013, algorithm 1); then ``(w, b) <- (w, b) - lr * g``. So with
    clipping every step is at most ``clip * lr`` long.

    The descent stops early, cleanly, when the current point has a non-finite loss or gradient, or
    the next point would be non-finite: the arrays then end at that last point (K < n_steps steps;
    its loss or gradient norm may be inf or NaN, its coordinates are finite) and ``stopped`` says
    why. Nothing non-finite is ever stepped with.

    Parameters
    ----------
    model : CliffRNN
    start : (float, float)
        Initial ``(w, b)``, finite.
    lr : float
        Learning rate, > 0.
    n_steps : int
        Number of steps, 0..100000.
    clip : float or None
        Gradient-norm threshold, > 0, or None for no clipping.
    progress : callable, optional
        ``progress(f)`` is told the fraction 0..1 of the steps done, every 16 steps (keyword
        only: a job runner's hook).
    should_stop : callable, optional
        ``should_stop() -> bool``, asked every 16 steps; when true the descent ends there
        (the path is returned as far as it got, ``stopped = "stopped"``).

    Returns
    -------
    Trajectory

    Raises
    ------
    ValueError
        Naming the offending argument.
    """
    return descend_each(model, start, lr, n_steps, (clip,), progress=progress,
                        should_stop=should_stop)[0]


def descend_each(model: CliffRNN, start: tuple[float, float], lr: float, n_steps: int,
                 clips: tuple, *, progress: Callable[[float], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> list[Trajectory]:
    """:func:`descend` from one start once per threshold of ``clips`` (None: no clipping), the
    paths in lockstep: one :func:`loss_and_grad` call per step for all of them, so two paths
    take about the time of one (the numbers are those of separate descents). Arguments and
    errors as for :func:`descend`; ``should_stop`` stops every path still going."""
    if not isinstance(model, CliffRNN):
        raise ValueError(f"model must be a CliffRNN, got {type(model).__name__}")
    try:
        w0, b0 = start
    except (TypeError, ValueError):
        raise ValueError(f"start must be a pair (w0, b0), got {start!r}") from None
    w0 = _check_real("start[0]", w0, math.inf)
    b0 = _check_real("start[1]", b0, math.inf)
    lr = _check_real("lr", lr, math.inf)
    if lr <= 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    n_steps = _check_int("n_steps", n_steps, 0, STEPS_MAX)
    checked = []
    for clip in clips:
        if clip is not None:
            clip = _check_real("clip", clip, math.inf)
            if clip <= 0:
                raise ValueError(f"clip must be > 0 or None, got {clip!r}")
        checked.append(clip)
    # one path each: p (2,) the current (w, b); points, losses, norms, clipped; why it stopped
    paths = [{"clip": c, "p": np.array([w0, b0]), "points": [np.array([w0, b0])], "losses": [],
              "norms": [], "clipped": [], "stopped": None, "done": False} for c in checked]
    with np.errstate(all="ignore"):
        for k in range(n_steps + 1):
            live = [q for q in paths if not q["done"]]
            if not live:
                break
            Ls, dws, dbs = loss_and_grad(model, [q["p"][0] for q in live],
                                         [q["p"][1] for q in live])  # (m,) each
            if k % 16 == 0 and k and k < n_steps:
                if should_stop is not None and should_stop():
                    for q, L, dw, db in zip(live, Ls, dws, dbs, strict=True):
                        q["losses"].append(float(L))
                        q["norms"].append(float(np.hypot(dw, db)))
                        q["stopped"], q["done"] = "stopped", True
                    break
                if progress is not None:
                    progress(k / n_steps)
            for q, L, dw, db in zip(live, Ls, dws, dbs, strict=True):
                _descent_step(q, k, n_steps, lr, L, dw, db)
    return [_trajectory(q, lr) for q in paths]


def _descent_step(q: dict, k: int, n_steps: int, lr: float, L, dw, db) -> None:
    """Step ``k`` of one path of :func:`descend_each`, given its loss and gradient there."""
    g = np.array([dw, db])  # (2,) gradient (dL/dw, dL/db)
    g_norm = float(np.hypot(dw, db))
    q["losses"].append(float(L))
    q["norms"].append(g_norm)
    if k == n_steps:
        q["done"] = True
        return
    if not math.isfinite(g_norm):
        q["stopped"], q["done"] = "non-finite gradient", True
        return
    if not math.isfinite(float(L)):
        q["stopped"], q["done"] = "non-finite loss", True
        return
    clip = q["clip"]
    is_clipped = clip is not None and g_norm > clip
    if is_clipped:
        g = g * (clip / g_norm)  # (2,) rescaled to norm clip
    p_next = q["p"] - lr * g  # (2,)
    if not np.all(np.isfinite(p_next)):
        q["stopped"], q["done"] = "non-finite step", True
        return
    q["clipped"].append(is_clipped)
    q["points"].append(p_next)
    q["p"] = p_next


def _trajectory(q: dict, lr: float) -> Trajectory:
    pts = np.array(q["points"])  # (K+1, 2)
    steps = np.hypot(*np.diff(pts, axis=0).T)  # (K,)
    return Trajectory(
        points=_frozen(pts),
        losses=_frozen(np.array(q["losses"])),
        grad_norms=_frozen(np.array(q["norms"])),
        clipped=_frozen(np.array(q["clipped"], dtype=bool)),
        steps=_frozen(np.asarray(steps, dtype=float).reshape(-1)),
        lr=lr,
        clip=q["clip"],
        stopped=q["stopped"],
    )


@dataclass(frozen=True)
class Demo:
    """Settings for the cliff demo: the surface to draw and the descents to run on it.

    Attributes
    ----------
    model : CliffRNN
    w_range, b_range : (float, float)
    n : int
    start : (float, float)
    lr : float
    n_steps : int
    clip : float
        Threshold for the clipped run; the plain run uses ``clip=None``.
    """

    model: CliffRNN
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    n: int
    start: tuple[float, float]
    lr: float
    n_steps: int
    clip: float

    def surface(self) -> LossSurface:
        """The (cached) loss surface of the demo."""
        return loss_surface(self.model, self.w_range, self.b_range, self.n)

    def plain(self) -> Trajectory:
        """Plain gradient descent: jumps when it reaches the cliff."""
        return descend(self.model, self.start, self.lr, self.n_steps, clip=None)

    def clipped(self) -> Trajectory:
        """Clipped gradient descent: stays near."""
        return descend(self.model, self.start, self.lr, self.n_steps, clip=self.clip)


def default_demo() -> Demo:
    """The default cliff demo (module constants DEFAULT_* and DEMO_*).

    Returns
    -------
    Demo
    """
    return Demo(
        model=CliffRNN(),
        w_range=DEFAULT_W_RANGE,
        b_range=DEFAULT_B_RANGE,
        n=DEFAULT_N,
        start=DEMO_START,
        lr=DEMO_LR,
        n_steps=DEMO_N_STEPS,
        clip=DEMO_CLIP,
    )


def loss_along_line(
    loss_fn: Callable[[dict[str, np.ndarray]], float],
    params: Mapping[str, np.typing.ArrayLike],
    direction: Mapping[str, np.typing.ArrayLike],
    alphas: np.typing.ArrayLike,
) -> np.ndarray:
    """The loss along a line through parameter space, ``alpha -> loss_fn(params + alpha * d)``.

    Works for any model whose parameters are a dict of arrays. ``params`` and ``direction`` are
    never modified: each call of ``loss_fn`` gets a fresh dict of fresh arrays.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params_dict) -> float``.
    params : mapping of str to array_like
        The point the line goes through (alpha = 0).
    direction : mapping of str to array_like
        Same keys and shapes as ``params``.
    alphas : array_like, shape (n,)
        Positions along the line, finite.

    Returns
    -------
    ndarray, shape (n,)
        ``loss_fn`` at each alpha, float64.

    Raises
    ------
    ValueError
        If ``direction`` has other keys or shapes than ``params``, ``alphas`` is not a finite
        1-D array, or ``loss_fn`` is not callable.
    """
    if not callable(loss_fn):
        raise ValueError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    if set(params) != set(direction):
        raise ValueError(
            "direction must have the same names (keys) as params: "
            f"{sorted(params)} != {sorted(direction)}"
        )
    p0 = {k: np.asarray(v, dtype=float) for k, v in params.items()}
    d = {k: np.asarray(v, dtype=float) for k, v in direction.items()}
    for k in p0:
        if p0[k].shape != d[k].shape:
            raise ValueError(
                f"direction[{k!r}] must have the shape of params[{k!r}]: "
                f"{d[k].shape} != {p0[k].shape}"
            )
    try:
        a = np.asarray(alphas, dtype=float)  # (n,)
    except (TypeError, ValueError):
        raise ValueError(f"alphas must be a 1-D array of real numbers, got {alphas!r}") from None
    if a.ndim != 1 or not np.all(np.isfinite(a)):
        raise ValueError("alphas must be a 1-D array of finite numbers")
    out = np.empty(a.shape[0])  # (n,)
    for i, alpha in enumerate(a):
        point = {k: p0[k] + alpha * d[k] for k in p0}  # fresh arrays, same shapes as params
        out[i] = float(loss_fn(point))
    return out
