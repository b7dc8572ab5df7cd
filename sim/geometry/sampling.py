"""Seeded, chunked, cancellable samplers: random points in the cube, the ball or a Gaussian, and
the angles between random pairs of them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import _checks
from ._common import (
    CHUNK_BYTES,
    SAMPLERS,
    _check_stop,
    _fill,
    _integer,
    _pair_angles,
    _rngs,
    _rows_per_chunk,
    _stop_checker,
)


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


