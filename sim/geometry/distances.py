"""Distances that stop meaning anything, and empty grids: nearest and farthest points of a
query become alike, and b**D cells outnumber any data."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._common import (
    CHUNK_BYTES,
    MAX_CELLS,
    CellCount,
    _check_stop,
    _dimension,
    _integer,
    _out,
    _real_array,
    _rngs,
    _rows_per_chunk,
    _stop_checker,
)

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

