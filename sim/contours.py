"""Contour lines of a function sampled on a grid: marching squares, vectorised over the cells.

The landscape view draws the lines of equal loss over its heat map; they are computed here (pure
NumPy, no Python loop per cell) and drawn as line segments.

>>> import numpy as np
>>> x = y = np.linspace(-1, 1, 5)
>>> Z = x[None, :] ** 2 + y[:, None] ** 2          # (ny, nx): row i is y[i]
>>> seg = contour_segments(x, y, Z, 0.5)
>>> seg.shape[1:]
(2, 2)
>>> bool(np.allclose(np.hypot(seg[..., 0], seg[..., 1]), np.sqrt(0.5), atol=0.06))
True
"""

from __future__ import annotations

import numpy as np


def contour_segments(x, y, Z, level: float) -> np.ndarray:
    """Line segments of the contour ``Z == level``, linear interpolation along the cell edges.

    Parameters
    ----------
    x : (nx,) increasing coordinates of the columns.
    y : (ny,) increasing coordinates of the rows.
    Z : (ny, nx) values; Z[i, j] is the value at (x[j], y[i]). Cells with a non-finite corner
        draw nothing.
    level : the value of the contour.

    Returns
    -------
    (n, 2, 2) segments: [k, 0] and [k, 1] are the (x, y) ends of segment k.
    """
    x = np.asarray(x, dtype=float)  # (nx,)
    y = np.asarray(y, dtype=float)  # (ny,)
    Z = np.asarray(Z, dtype=float)  # (ny, nx)
    if Z.ndim != 2 or Z.shape != (y.size, x.size):
        raise ValueError(f"Z must have shape (len(y), len(x)) = ({y.size}, {x.size}), "
                         f"got {Z.shape}")
    if Z.shape[0] < 2 or Z.shape[1] < 2:
        return np.zeros((0, 2, 2))
    z00, z10 = Z[:-1, :-1], Z[:-1, 1:]  # (ny-1, nx-1) corners (x0, y0), (x1, y0)
    z01, z11 = Z[1:, :-1], Z[1:, 1:]  # (ny-1, nx-1) corners (x0, y1), (x1, y1)
    ok = np.isfinite(z00) & np.isfinite(z10) & np.isfinite(z01) & np.isfinite(z11)
    with np.errstate(invalid="ignore"):
        lo = np.minimum(np.minimum(z00, z10), np.minimum(z01, z11))  # (ny-1, nx-1)
        hi = np.maximum(np.maximum(z00, z10), np.maximum(z01, z11))  # (ny-1, nx-1)
    # only the cells with corners on both sides of the level are crossed (row-major order)
    ci, cj = np.nonzero(ok & (lo < level) & (hi >= level))  # (k,) each
    if ci.size == 0:
        return np.zeros((0, 2, 2))
    z00, z10, z01, z11 = z00[ci, cj], z10[ci, cj], z01[ci, cj], z11[ci, cj]  # (k,) each
    X0, Y0 = x[:-1][cj], y[:-1][ci]  # (k,) lower-left corners
    X1, Y1 = x[1:][cj], y[1:][ci]  # (k,) upper-right corners
    with np.errstate(all="ignore"):
        # the four edges in order bottom, right, top, left: (value a, value b, end a, end b)
        edges = (
            (z00, z10, (X0, Y0), (X1, Y0)),
            (z10, z11, (X1, Y0), (X1, Y1)),
            (z01, z11, (X0, Y1), (X1, Y1)),
            (z00, z01, (X0, Y0), (X0, Y1)),
        )
        cross = np.zeros((4,) + z00.shape, dtype=bool)  # (4, k)
        pts = np.zeros((4,) + z00.shape + (2,))  # (4, k, 2)
        for e, (za, zb, (xa, ya), (xb, yb)) in enumerate(edges):
            above_a, above_b = za >= level, zb >= level
            cross[e] = above_a != above_b
            s = np.where(cross[e], (level - za) / (zb - za), 0.0)  # (k,) in [0, 1]
            pts[e, :, 0] = xa + s * (xb - xa)
            pts[e, :, 1] = ya + s * (yb - ya)
    n = cross.sum(axis=0)  # (k,): 2 or 4 crossed edges
    out = []
    two = np.nonzero(n == 2)[0]
    if two.size:
        first = np.argmax(cross[:, two], axis=0)  # (m,) the first crossed edge
        last = 3 - np.argmax(cross[::-1, two], axis=0)  # (m,) the last crossed edge
        out.append(np.stack([pts[first, two], pts[last, two]], axis=1))  # (m, 2, 2)
    four = np.nonzero(n == 4)[0]
    if four.size:
        # a saddle: the centre decides which corners the contour separates
        centre = (z00 + z10 + z01 + z11)[four] / 4  # (m,)
        joined = (centre >= level) == (z00[four] >= level)  # corners 00 and 11 joined
        b, r, t, le = pts[0, four], pts[1, four], pts[2, four], pts[3, four]  # (m, 2) each
        s1 = np.where(joined[:, None, None], np.stack([b, r], 1), np.stack([b, le], 1))
        s2 = np.where(joined[:, None, None], np.stack([t, le], 1), np.stack([t, r], 1))
        out += [s1, s2]
    return np.concatenate(out) if out else np.zeros((0, 2, 2))


def contour_levels(Z, n: int = 8) -> np.ndarray:
    """``n`` evenly spaced levels strictly inside the finite range of ``Z``: (n,)."""
    v = np.asarray(Z, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0 or v.min() == v.max():
        return np.zeros(0)
    return np.linspace(v.min(), v.max(), n + 2)[1:-1]  # (n,)
