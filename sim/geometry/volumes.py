"""Closed forms of the D-ball and the cube: volumes, the thin outer shell (empty M&M's
chocolate) and the spiky cube's inner ball."""

from __future__ import annotations

import math

import numpy as np

from ._common import (
    _dimension,
    _lgamma,
    _out,
    _real_array,
    _unit_interval,
)

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


