"""Pac-Man walking: random vectors in high dimensions are nearly orthogonal. Sampled angles
and the exact angle distribution of isotropic directions."""

from __future__ import annotations

import math

import numpy as np

from ._common import (
    _DEG,
    _dimension,
    _integer,
    _out,
    _real_array,
)

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


