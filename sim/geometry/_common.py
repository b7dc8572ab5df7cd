"""What the geometry modules share: limits, the Cancelled signal, argument checks and the chunked
sampling machinery (seeded generators, stop checks, chunk sizes)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

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
