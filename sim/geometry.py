"""The geometry of high dimensions: spiky cubes, Pac-Man walking, empty M&M's chocolate.

Pure NumPy; never imports Qt. Closed forms for the article's three pictures plus seeded Monte
Carlo samplers the geometry panel runs off the GUI thread:

- spiky cubes: :func:`inner_ball_radius`, :func:`corner_distance`, :func:`inscribed_ball_fraction`.
- Pac-Man walking (random vectors are nearly orthogonal): :func:`sample_angles`,
  :func:`angle_density`, :func:`angle_sd`.
- empty M&M's chocolate (the volume of a D-ball lives near its surface): :func:`ball_volume`,
  :func:`shell_fraction`, :func:`shell_crossing`.
- empty grids and vanishing contrast (the article's first section): :func:`empty_cell_fraction`,
  :func:`sample_empty_cells`, :func:`relative_contrast`, :func:`query_distances`,
  :func:`pairwise_distances`.

Closed forms accept a real ``D >= 1`` or an array of them (so a panel can draw a smooth curve) and
return a float for scalar input, an array otherwise. They work in log space, so ``D = 10_000`` gives
0.0 or 1.0 instead of overflowing. Samplers need an integer ``D``; they draw from
``np.random.default_rng(seed)`` in chunks of at most ``max_chunk_bytes`` of float64, so the memory
they use is bounded and the result does not depend on the chunk size. Long runs report
``progress(fraction_done)`` after each chunk and raise :class:`Cancelled` as soon as
``should_stop()`` (a callable, or a ``threading.Event``) is true.

>>> ball_volume(3)                      # 4 pi / 3
4.18879020478639...
>>> shell_crossing(0.01, 0.9)           # 90 % of the volume in the outer 1 %
230
>>> theta = sample_angles(100, 10_000)  # (10000,) degrees, close to 90 +- 5.7
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from . import _checks

__all__ = [
    "CHUNK_BYTES",
    "MAX_CELLS",
    "SAMPLERS",
    "Cancelled",
    "CellCount",
    "angle_density",
    "angle_sd",
    "angle_sd_asymptotic",
    "ball_volume",
    "corner_distance",
    "empty_cell_fraction",
    "inner_ball_radius",
    "inscribed_ball_fraction",
    "log10_inscribed_ball_fraction",
    "log_ball_volume",
    "pairwise_distances",
    "query_distances",
    "relative_contrast",
    "sample_angles",
    "sample_empty_cells",
    "sample_points",
    "shell_crossing",
    "shell_fraction",
]

CHUNK_BYTES = 8_000_000
"""Default cap on the float64 scratch memory one chunk of a sampler uses (bytes)."""

MAX_CELLS = 1_000_000
"""Largest grid (``b**D`` cells) :func:`sample_empty_cells` will fill."""

SAMPLERS = ("cube", "ball", "gaussian")
"""Where random vectors come from: entries uniform in [-1, 1] (the article's choice), uniform in
the unit D-ball, or isotropic Gaussian."""

_DEG = 180.0 / math.pi  # degrees per radian


class Cancelled(Exception):
    """Raised by a sampler when its ``should_stop`` says stop (checked once per chunk)."""


class CellCount(NamedTuple):
    """Occupied cells out of ``total`` after dropping samples into a ``b**D`` grid."""

    occupied: int
    total: int

    @property
    def empty_fraction(self) -> float:
        """Fraction of the cells no sample fell into."""
        return 1.0 - self.occupied / self.total


# ---------------------------------------------------------------------------------------------
# argument checks
# ---------------------------------------------------------------------------------------------


def _real_array(name: str, value, *, minimum: float, expected: str) -> np.ndarray:
    """``value`` as a float64 array whose entries are finite and ``>= minimum``, else ValueError."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {expected}, got {value!r}") from None
    bad = ~np.isfinite(arr) | (arr < minimum)  # same shape as arr
    if bad.any():
        raise ValueError(f"{name} must be {expected}, got {float(arr[bad].flat[0])!r}")
    return arr


def _dimension(D) -> np.ndarray:
    """A real dimension D >= 1 (scalar or array) for the closed forms."""
    return _real_array("D", D, minimum=1.0, expected="a number >= 1 (or an array of them)")


def _integer(name: str, value, minimum: int) -> int:
    """An integer scalar ``>= minimum``; the message says both what was expected and what came."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def _unit_interval(name: str, value) -> np.ndarray:
    """Entries strictly between 0 and 1, else ValueError naming ``name``."""
    arr = _real_array(name, value, minimum=-np.inf, expected="a number in (0, 1)")
    bad = (arr <= 0.0) | (arr >= 1.0)  # same shape as arr
    if bad.any():
        raise ValueError(f"{name} must be in (0, 1), got {float(arr[bad].flat[0])!r}")
    return arr


def _out(value: np.ndarray, scalar: bool):
    """A Python float for scalar input, the array otherwise."""
    return float(value) if scalar else value


def _lgamma(x: np.ndarray) -> np.ndarray:
    """log Gamma(x), elementwise; x has any shape, entries > 0."""
    return np.asarray(np.frompyfunc(math.lgamma, 1, 1)(x), dtype=np.float64)  # same shape as x


# ---------------------------------------------------------------------------------------------
# empty M&M's chocolate: D-ball volume and the thin outer shell
# ---------------------------------------------------------------------------------------------


def log_ball_volume(D, r=1.0):
    """Natural log of the volume of a D-ball of radius r.

    log V_D(r) = (D/2) log(pi) - log Gamma(D/2 + 1) + D log(r).

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.
    r : float or array_like, optional
        Radius (>= 0), broadcast against D. ``r = 0`` gives ``-inf``.

    Returns
    -------
    float or ndarray
        Shape of ``np.broadcast(D, r)``; a float when both are scalars.
    """
    D_arr = _dimension(D)
    r_arr = _real_array("r", r, minimum=0.0, expected="a finite number >= 0")
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer for r = 0
        log_r = np.log(r_arr)  # same shape as r
    half = D_arr / 2.0  # same shape as D
    log_v = half * math.log(math.pi) - _lgamma(half + 1.0)  # same shape as D
    D_b, log_r_b = np.broadcast_arrays(D_arr, log_r)
    with np.errstate(invalid="ignore"):  # never nan: D >= 1, so D * (-inf) = -inf
        out = log_v + D_b * log_r_b  # broadcast(D, r)
    return _out(out, np.ndim(D) == 0 and np.ndim(r) == 0)


def ball_volume(D, r=1.0):
    """Volume of a D-ball of radius r: pi^(D/2) / Gamma(D/2 + 1) * r^D.

    Computed as ``exp(log_ball_volume(D, r))``, so it underflows quietly to 0.0 at large D
    (the unit ball's volume peaks at D = 5, then goes to 0).

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.
    r : float or array_like, optional
        Radius (>= 0), broadcast against D.

    Returns
    -------
    float or ndarray
        Shape of ``np.broadcast(D, r)``; a float when both are scalars.
    """
    log_v = np.asarray(log_ball_volume(D, r))  # broadcast(D, r)
    with np.errstate(under="ignore", over="ignore"):
        v = np.exp(log_v)  # broadcast(D, r)
    return _out(v, np.ndim(D) == 0 and np.ndim(r) == 0)


def shell_fraction(D, eps):
    """Fraction of a D-ball's volume within eps (relative to the radius) of its surface.

    1 - (1 - eps)^D, evaluated as ``-expm1(D * log1p(-eps))`` so that it stays accurate both for
    tiny fractions (small D eps) and for fractions close to 1.

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.
    eps : float or array_like
        Shell thickness as a fraction of the radius, in (0, 1); broadcast against D.

    Returns
    -------
    float or ndarray
        Shape of ``np.broadcast(D, eps)``; a float when both are scalars.
    """
    D_arr = _dimension(D)
    eps_arr = _unit_interval("eps", eps)
    with np.errstate(under="ignore"):
        f = -np.expm1(D_arr * np.log1p(-eps_arr))  # broadcast(D, eps)
    return _out(f, np.ndim(D) == 0 and np.ndim(eps) == 0)


def shell_crossing(eps: float, fraction: float) -> int:
    """Smallest integer D >= 1 with ``shell_fraction(D, eps) >= fraction``.

    The real solution of 1 - (1 - eps)^D = fraction is D* = log(1 - fraction) / log(1 - eps);
    the answer is ceil(D*), checked against :func:`shell_fraction` itself so that the two agree
    even when D* is within rounding of an integer. For eps = 0.01 and fraction = 0.9,
    D* = 229.1 and the answer is 230 (at D = 229 the shell holds 89.99 %).

    Parameters
    ----------
    eps : float
        Shell thickness as a fraction of the radius, in (0, 1).
    fraction : float
        Target share of the volume, in (0, 1).

    Returns
    -------
    int
    """
    if np.ndim(eps) != 0:
        raise ValueError(f"eps must be a single number in (0, 1), got shape {np.shape(eps)}")
    if np.ndim(fraction) != 0:
        raise ValueError(
            f"fraction must be a single number in (0, 1), got shape {np.shape(fraction)}"
        )
    eps_v = float(_unit_interval("eps", eps))
    frac_v = float(_unit_interval("fraction", fraction))
    D_star = math.log1p(-frac_v) / math.log1p(-eps_v)  # real crossing, > 0
    D = max(1, math.ceil(D_star))
    while D > 1 and shell_fraction(D - 1, eps_v) >= frac_v:
        D -= 1
    while shell_fraction(D, eps_v) < frac_v:
        D += 1
    return D


# ---------------------------------------------------------------------------------------------
# spiky cubes
# ---------------------------------------------------------------------------------------------


def inner_ball_radius(D):
    """Radius of the ball at the centre of 2^D stacked unit cubes, touching their inscribed balls.

    Each unit cube holds a ball of diameter 1 (radius 1/2) centred sqrt(D)/2 from the common
    corner, so the inner ball has radius (sqrt(D) - 1) / 2: 0.21 in 2-D, 0.37 in 3-D, as big as
    the small balls at D = 4, and it pokes out of the side-2 box (radius > 1) for D > 9.

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.

    Returns
    -------
    float or ndarray
        Same shape as D.
    """
    D_arr = _dimension(D)
    return _out((np.sqrt(D_arr) - 1.0) / 2.0, np.ndim(D) == 0)  # same shape as D


def corner_distance(D):
    """Distance from the centre of a unit D-cube to a corner, sqrt(D) / 2 (half the diagonal).

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.

    Returns
    -------
    float or ndarray
        Same shape as D.
    """
    D_arr = _dimension(D)
    return _out(np.sqrt(D_arr) / 2.0, np.ndim(D) == 0)  # same shape as D


def inscribed_ball_fraction(D):
    """Share of a unit D-cube's volume inside its inscribed ball (radius 1/2): V_D(1/2) / 1.

    1 in 1-D, pi/4 in 2-D, pi/6 in 3-D, then fast to 0: the volume sits in the corners.

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.

    Returns
    -------
    float or ndarray
        Same shape as D.
    """
    return ball_volume(D, 0.5)


def log10_inscribed_ball_fraction(D):
    """log10 of :func:`inscribed_ball_fraction`, finite at any D (for log axes).

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.

    Returns
    -------
    float or ndarray
        Same shape as D.
    """
    log_v = np.asarray(log_ball_volume(D, 0.5))  # same shape as D
    return _out(log_v / math.log(10.0), np.ndim(D) == 0)


# ---------------------------------------------------------------------------------------------
# chunked sampling machinery
# ---------------------------------------------------------------------------------------------


def _stop_checker(should_stop) -> Callable[[], bool] | None:
    """A zero-argument callable from a callable or an object with ``is_set`` (threading.Event)."""
    if should_stop is None:
        return None
    if hasattr(should_stop, "is_set"):
        return should_stop.is_set
    if callable(should_stop):
        return should_stop
    raise ValueError(
        f"should_stop must be None, a callable returning bool or a threading.Event, "
        f"got {should_stop!r}"
    )


def _check_stop(stop: Callable[[], bool] | None) -> None:
    if stop is not None and stop():
        raise Cancelled("stopped by should_stop()")


def _rows_per_chunk(floats_per_row: int, max_chunk_bytes) -> int:
    """How many rows of ``floats_per_row`` float64 fit in ``max_chunk_bytes`` (at least 1)."""
    cap = _integer("max_chunk_bytes", max_chunk_bytes, 8)
    return max(1, cap // (8 * floats_per_row))


def _rngs(seed) -> tuple[np.random.Generator, np.random.Generator]:
    """The main stream (equal to ``default_rng(seed)``) and an independent one for ball radii.

    Two streams keep every draw sequential within its stream, so chunking never changes a result.
    """
    seed = _integer("seed", seed, 0)
    seq = np.random.SeedSequence(seed)
    return np.random.default_rng(seq), np.random.default_rng(seq.spawn(1)[0])


def _fill(v: np.ndarray, sampler: str, rng, radius_rng) -> None:
    """Overwrite ``v`` (..., D) with independent random D-vectors from ``sampler``, in place."""
    D = v.shape[-1]
    if sampler == "cube":
        rng.random(out=v)  # (..., D) uniform in [0, 1)
        v *= 2.0  # (..., D) uniform in [0, 2)
        v -= 1.0  # (..., D) uniform in [-1, 1), as in the article
    elif sampler == "gaussian":
        rng.standard_normal(out=v)  # (..., D) isotropic
    else:  # "ball": a uniform direction times a radius U^(1/D), with U uniform in (0, 1]
        rng.standard_normal(out=v)  # (..., D) isotropic direction
        norm = np.sqrt(np.einsum("...j,...j->...", v, v))  # (...,) |g|, > 0 almost surely
        radius = (1.0 - radius_rng.random(v.shape[:-1])) ** (1.0 / D)  # (...,) P(R <= s) = s^D
        v *= (radius / norm)[..., None]  # (..., D) uniform in the unit D-ball


def _pair_angles(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Angles in degrees between rows of x (m, D) and y (m, D); 90 if either row is zero."""
    dot = np.einsum("ij,ij->i", x, y)  # (m,) x . y
    # |x| |y| as a product of two roots: in 1-D it is then exactly |x y|, and cos exactly +-1
    norms = np.sqrt(np.einsum("ij,ij->i", x, x)) * np.sqrt(np.einsum("ij,ij->i", y, y))  # (m,)
    cos = np.divide(dot, norms, out=np.zeros_like(dot), where=norms > 0)  # (m,) cos(theta)
    np.clip(cos, -1.0, 1.0, out=cos)  # (m,) rounding can step just past +-1
    return np.degrees(np.arccos(cos))  # (m,) theta in [0, 180]


def sample_points(
    D: int,
    n_points: int,
    *,
    sampler: str = "cube",
    seed: int = 0,
    max_chunk_bytes: int = CHUNK_BYTES,
) -> np.ndarray:
    """Random D-vectors from one of :data:`SAMPLERS` (the points :func:`sample_angles` pairs up).

    ``sample_points(D, 2 * n, ...).reshape(n, 2, D)`` are exactly the pairs behind
    ``sample_angles(D, n, ...)`` with the same seed.

    Parameters
    ----------
    D : int
        Dimension, >= 1.
    n_points : int
        Number of vectors, >= 1. The result holds n_points * D floats.
    sampler : {"cube", "ball", "gaussian"}
        Entries uniform in [-1, 1]; uniform in the unit D-ball; isotropic Gaussian.
    seed : int
        Seed of ``np.random.default_rng``.
    max_chunk_bytes : int
        Scratch memory per chunk; does not change the result.

    Returns
    -------
    ndarray
        (n_points, D) float64.
    """
    D = _integer("D", D, 1)
    n_points = _integer("n_points", n_points, 1)
    _checks.choice("sampler", sampler, SAMPLERS)
    rng, radius_rng = _rngs(seed)
    rows = _rows_per_chunk(D, max_chunk_bytes)
    points = np.empty((n_points, D))  # (n, D)
    for start in range(0, n_points, rows):
        _fill(points[start : start + rows], sampler, rng, radius_rng)  # (m, D) in place
    return points


def sample_angles(
    D: int,
    n_pairs: int,
    *,
    sampler: str = "cube",
    seed: int = 0,
    progress: Callable[[float], object] | None = None,
    should_stop=None,
    max_chunk_bytes: int = CHUNK_BYTES,
) -> np.ndarray:
    """Angles between pairs of random D-vectors: the article's Pac-Man histogram.

    In 2-D the angles of isotropic pairs are uniform on [0, 180]; as D grows they crowd around
    90 degrees with a spread of about (180/pi) / sqrt(D). In 1-D two vectors point the same way or
    opposite ways, so every angle is exactly 0 or 180.

    Parameters
    ----------
    D : int
        Dimension, >= 1.
    n_pairs : int
        Number of independent pairs, >= 1.
    sampler : {"cube", "ball", "gaussian"}
        Where vectors come from: entries uniform in [-1, 1] (the article's experiment), uniform in
        the unit D-ball, or isotropic Gaussian. "ball" and "gaussian" give isotropic directions,
        whose angles follow :func:`angle_density` exactly; "cube" does so only approximately.
        With the same seed "ball" and "gaussian" give the same angles up to rounding: they share
        the Gaussian directions, and a radius never changes an angle.
    seed : int
        Seed of ``np.random.default_rng``; the same arguments give bit-for-bit the same angles.
    progress : callable, optional
        Called as ``progress(fraction_done)`` after each chunk; the last call passes 1.0.
    should_stop : callable or threading.Event, optional
        Checked before each chunk; when it is true the sampler raises :class:`Cancelled`.
    max_chunk_bytes : int
        Scratch memory per chunk (default 8 MB, 2 * D floats per pair); does not change the
        result.

    Returns
    -------
    ndarray
        (n_pairs,) angles in degrees, in [0, 180].

    Raises
    ------
    Cancelled
        If ``should_stop`` became true.
    """
    D = _integer("D", D, 1)
    n_pairs = _integer("n_pairs", n_pairs, 1)
    _checks.choice("sampler", sampler, SAMPLERS)
    stop = _stop_checker(should_stop)
    rng, radius_rng = _rngs(seed)
    rows = _rows_per_chunk(2 * D, max_chunk_bytes)
    buf = np.empty((min(rows, n_pairs), 2, D))  # (m, 2, D) scratch, reused by every chunk
    theta = np.empty(n_pairs)  # (n_pairs,)
    for start in range(0, n_pairs, rows):
        _check_stop(stop)
        m = min(rows, n_pairs - start)
        pairs = buf[:m]  # (m, 2, D)
        _fill(pairs, sampler, rng, radius_rng)  # (m, 2, D) rows 2k, 2k+1 of sample_points
        theta[start : start + m] = _pair_angles(pairs[:, 0], pairs[:, 1])  # (m,)
        if progress is not None:
            progress((start + m) / n_pairs)
    return theta


# ---------------------------------------------------------------------------------------------
# Pac-Man walking: the exact angle distribution of isotropic directions
# ---------------------------------------------------------------------------------------------


def _log_sin_normaliser(D: int) -> float:
    """log of the integral of sin^(D-2) over [0, pi]: sqrt(pi) Gamma((D-1)/2) / Gamma(D/2)."""
    return 0.5 * math.log(math.pi) + math.lgamma((D - 1) / 2) - math.lgamma(D / 2)


def angle_density(theta, D: int):
    """Exact density (per degree) of the angle between two independent isotropic D-vectors.

    p(theta) = sin^(D-2)(theta) / (sqrt(pi) Gamma((D-1)/2) / Gamma(D/2)) * (pi / 180) for theta
    in [0, 180] degrees, 0 outside. D = 2 gives the uniform 1/180. It is the law of
    :func:`sample_angles` with the "ball" or "gaussian" sampler (and, for large D, close to the
    "cube" one). D = 1 has no density (the angle is 0 or 180 with probability 1/2 each) and raises.

    Parameters
    ----------
    theta : float or array_like
        Angles in degrees.
    D : int
        Dimension, >= 2.

    Returns
    -------
    float or ndarray
        Same shape as theta.
    """
    if isinstance(D, (int, np.integer)) and not isinstance(D, bool) and D == 1:
        raise ValueError(
            "D must be an integer >= 2 for a density, got 1: in 1-D the angle is 0 or 180 "
            "degrees with probability 1/2 each"
        )
    D = _integer("D", D, 2)
    th = _real_array("theta", theta, minimum=-np.inf, expected="finite angles in degrees")
    inside = (th >= 0.0) & (th <= 180.0)  # same shape as theta
    log_norm = _log_sin_normaliser(D) - math.log(math.pi / 180.0)  # per degree, not per radian
    if D == 2:
        log_p = np.full_like(th, -log_norm)  # same shape as theta: uniform 1/180
    else:
        s = np.abs(np.sin(np.radians(th)))  # same shape as theta
        with np.errstate(divide="ignore"):  # sin = 0 at the ends: log = -inf, density 0
            log_p = (D - 2) * np.log(s) - log_norm  # same shape as theta
    with np.errstate(under="ignore"):
        p = np.where(inside, np.exp(log_p), 0.0)  # same shape as theta
    return _out(p, np.ndim(theta) == 0)


def _angle_sd_one(D: int) -> float:
    """Standard deviation (degrees) of the isotropic angle law in D dimensions."""
    if D == 1:
        return 90.0  # 0 or 180 with probability 1/2 each
    n = D - 2  # density of phi = theta - 90 deg is proportional to cos^n(phi)
    half = math.pi / 2 if n < 1 else min(math.pi / 2, 40.0 / math.sqrt(n))  # 40 sd is plenty
    phi = np.linspace(-half, half, 20_001)  # (G,) radians
    with np.errstate(divide="ignore"):
        log_w = n * np.log(np.cos(phi)) if n > 0 else np.zeros_like(phi)  # (G,)
    with np.errstate(under="ignore"):
        w = np.exp(log_w - log_w.max())  # (G,) unnormalised density, peak 1
    w[[0, -1]] *= 0.5  # (G,) trapezoid weights
    var = float(np.sum(w * phi * phi) / np.sum(w))  # mean of phi is 0 by symmetry
    return math.degrees(math.sqrt(var))


def angle_sd(D):
    """Standard deviation (degrees) of :func:`angle_density`, by trapezoid integration.

    Exact values: 180/sqrt(12) = 51.96 at D = 2, sqrt(pi^2/4 - 2) rad = 39.19 deg at D = 3;
    for large D it approaches :func:`angle_sd_asymptotic`, (180/pi) / sqrt(D). D = 1 gives 90
    (angles 0 or 180, as :func:`sample_angles` draws them).

    Parameters
    ----------
    D : int or array_like of int
        Dimension(s), >= 1.

    Returns
    -------
    float or ndarray
        Same shape as D.
    """
    if np.ndim(D) == 0:
        return _angle_sd_one(_integer("D", D, 1))
    arr = np.asarray(D)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"D must be integers >= 1, got an array of dtype {arr.dtype}")
    out = np.array([_angle_sd_one(_integer("D", d, 1)) for d in arr.reshape(-1)])  # (size,)
    return out.reshape(arr.shape)


def angle_sd_asymptotic(D):
    """The large-D spread of random angles, (180/pi) / sqrt(D) degrees (cos theta has sd 1/sqrt(D)).

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.

    Returns
    -------
    float or ndarray
        Same shape as D.
    """
    D_arr = _dimension(D)
    return _out(_DEG / np.sqrt(D_arr), np.ndim(D) == 0)  # same shape as D


# ---------------------------------------------------------------------------------------------
# distances: near and far become the same thing
# ---------------------------------------------------------------------------------------------


def query_distances(
    D: int,
    n_points: int,
    *,
    seed: int = 0,
    progress: Callable[[float], object] | None = None,
    should_stop=None,
    max_chunk_bytes: int = CHUNK_BYTES,
) -> np.ndarray:
    """Distances from one random query to n random points, all uniform in the unit D-cube.

    The query is drawn first, then the points, from ``np.random.default_rng(seed)``.

    Parameters
    ----------
    D : int
        Dimension, >= 1.
    n_points : int
        Number of points, >= 2.
    seed : int
        Seed of ``np.random.default_rng``.
    progress, should_stop, max_chunk_bytes
        As in :func:`sample_angles`.

    Returns
    -------
    ndarray
        (n_points,) Euclidean distances.
    """
    D = _integer("D", D, 1)
    n_points = _integer("n_points", n_points, 2)
    stop = _stop_checker(should_stop)
    rng, _ = _rngs(seed)
    rows = _rows_per_chunk(D, max_chunk_bytes)
    q = rng.random(D)  # (D,) the query
    buf = np.empty((min(rows, n_points), D))  # (m, D) scratch
    dist = np.empty(n_points)  # (n,)
    for start in range(0, n_points, rows):
        _check_stop(stop)
        m = min(rows, n_points - start)
        diff = rng.random(out=buf[:m])  # (m, D) points
        diff -= q  # (m, D) point - query
        dist[start : start + m] = np.sqrt(np.einsum("ij,ij->i", diff, diff))  # (m,)
        if progress is not None:
            progress((start + m) / n_points)
    return dist


def relative_contrast(
    D: int,
    n_points: int,
    *,
    seed: int = 0,
    progress: Callable[[float], object] | None = None,
    should_stop=None,
    max_chunk_bytes: int = CHUNK_BYTES,
) -> float:
    """(max - min) / min of :func:`query_distances`: how much nearer the nearest point is.

    Large in low D; it falls towards 0 roughly like 1/sqrt(D), when "nearest neighbour" stops
    meaning much. Infinite if a point coincides with the query.

    Parameters
    ----------
    D : int
        Dimension, >= 1.
    n_points : int
        Number of points, >= 2.
    seed, progress, should_stop, max_chunk_bytes
        As in :func:`query_distances`.

    Returns
    -------
    float
    """
    dist = query_distances(
        D,
        n_points,
        seed=seed,
        progress=progress,
        should_stop=should_stop,
        max_chunk_bytes=max_chunk_bytes,
    )  # (n,)
    d_min, d_max = float(dist.min()), float(dist.max())
    return math.inf if d_min == 0.0 else (d_max - d_min) / d_min


def pairwise_distances(
    D: int,
    n_points: int,
    *,
    seed: int = 0,
    progress: Callable[[float], object] | None = None,
    should_stop=None,
    max_chunk_bytes: int = CHUNK_BYTES,
) -> np.ndarray:
    """All distances between n random points uniform in the unit D-cube (for small n).

    The points themselves (n_points * D floats) and the n (n - 1) / 2 distances are held in
    memory; the differences are formed in chunks.

    Parameters
    ----------
    D : int
        Dimension, >= 1.
    n_points : int
        Number of points, >= 2.
    seed : int
        Seed of ``np.random.default_rng``; the points are
        ``default_rng(seed).random((n_points, D))``.
    progress, should_stop, max_chunk_bytes
        As in :func:`sample_angles`; checked and reported once per chunk of rows.

    Returns
    -------
    ndarray
        (n_points * (n_points - 1) / 2,) distances |x_i - x_j| for i < j, row-major
        (the order of ``scipy.spatial.distance.pdist``).
    """
    D = _integer("D", D, 1)
    n_points = _integer("n_points", n_points, 2)
    stop = _stop_checker(should_stop)
    rng, _ = _rngs(seed)
    rows = _rows_per_chunk(D, max_chunk_bytes)
    x = rng.random((n_points, D))  # (n, D)
    n_pairs = n_points * (n_points - 1) // 2
    dist = np.empty(n_pairs)  # (n (n - 1) / 2,)
    pos = 0
    since_check = rows  # check before the first chunk
    for i in range(n_points - 1):
        for j0 in range(i + 1, n_points, rows):
            if since_check >= rows:
                _check_stop(stop)
                if progress is not None and pos > 0:
                    progress(pos / n_pairs)
                since_check = 0
            j1 = min(j0 + rows, n_points)
            diff = x[j0:j1] - x[i]  # (j1 - j0, D)
            dist[pos : pos + j1 - j0] = np.sqrt(np.einsum("ij,ij->i", diff, diff))  # (j1 - j0,)
            pos += j1 - j0
            since_check += j1 - j0
    if progress is not None:
        progress(1.0)
    return dist


# ---------------------------------------------------------------------------------------------
# empty grids: the article's first section
# ---------------------------------------------------------------------------------------------


def empty_cell_fraction(D, N, b: int = 10):
    """Expected fraction of empty cells after N uniform samples fall into a grid of b^D cells.

    Each cell misses one sample with probability 1 - b^-D, so it stays empty with probability
    (1 - b^-D)^N = exp(N log1p(-b^-D)), stable when b^-D is tiny (1.0 when it underflows).

    Parameters
    ----------
    D : float or array_like
        Dimension(s), real and >= 1.
    N : int or array_like of int
        Number of samples, >= 0; broadcast against D.
    b : int
        Cells per axis, >= 2.

    Returns
    -------
    float or ndarray
        Shape of ``np.broadcast(D, N)``; a float when both are scalars.
    """
    D_arr = _dimension(D)
    N_arr = _real_array("N", N, minimum=0.0, expected="an integer >= 0 (or an array of them)")
    if np.any(N_arr != np.floor(N_arr)):
        raise ValueError(
            f"N must be an integer >= 0, got {N_arr[N_arr != np.floor(N_arr)].flat[0]}"
        )
    b = _integer("b", b, 2)
    with np.errstate(under="ignore"):
        p_cell = np.exp(-D_arr * math.log(b))  # same shape as D: b^-D, chance a sample lands here
        f = np.exp(N_arr * np.log1p(-p_cell))  # broadcast(D, N)
    return _out(f, np.ndim(D) == 0 and np.ndim(N) == 0)


def sample_empty_cells(
    D: int,
    N: int,
    b: int = 10,
    *,
    seed: int = 0,
    progress: Callable[[float], object] | None = None,
    should_stop=None,
    max_chunk_bytes: int = CHUNK_BYTES,
) -> CellCount:
    """Drop N uniform samples into a b^D grid and count the occupied cells (small D only).

    Each sample's cell is its D coordinates' bins, drawn uniformly from 0..b-1.

    Parameters
    ----------
    D : int
        Dimension, >= 1, with b**D <= :data:`MAX_CELLS`.
    N : int
        Number of samples, >= 1.
    b : int
        Cells per axis, >= 2.
    seed, progress, should_stop, max_chunk_bytes
        As in :func:`sample_angles`.

    Returns
    -------
    CellCount
        ``(occupied, total)`` with ``total = b**D``; ``.empty_fraction`` compares with
        :func:`empty_cell_fraction`.
    """
    D = _integer("D", D, 1)
    N = _integer("N", N, 1)
    b = _integer("b", b, 2)
    total = b**D
    if total > MAX_CELLS:
        raise ValueError(
            f"D = {D} is too large to sample: b**D = {b}**{D} cells exceeds {MAX_CELLS:,}; "
            f"use empty_cell_fraction for the expected value"
        )
    stop = _stop_checker(should_stop)
    rng, _ = _rngs(seed)
    rows = _rows_per_chunk(D, max_chunk_bytes)
    place = b ** np.arange(D, dtype=np.int64)  # (D,) place values of the base-b cell index
    occupied = np.zeros(total, dtype=bool)  # (b^D,)
    for start in range(0, N, rows):
        _check_stop(stop)
        m = min(rows, N - start)
        bins = rng.integers(0, b, size=(m, D))  # (m, D) bin of each coordinate
        occupied[bins @ place] = True  # (m,) cell indices
        if progress is not None:
            progress((start + m) / N)
    return CellCount(int(np.count_nonzero(occupied)), total)
