"""Marching squares: the contour segments lie on the level set and trace it completely."""

import numpy as np
import pytest

from sim.contours import contour_levels, contour_segments


def test_a_plane_is_traced_exactly():
    x = np.linspace(-2, 2, 41)
    y = np.linspace(-1, 1, 23)
    Z = 0.7 * x[None, :] - 1.3 * y[:, None]  # (ny, nx)
    seg = contour_segments(x, y, Z, 0.25)
    ends = seg.reshape(-1, 2)
    np.testing.assert_allclose(0.7 * ends[:, 0] - 1.3 * ends[:, 1], 0.25, atol=1e-12)
    # the pieces add up to the whole line inside the box: it enters at y = -1 (x = -1.5) and
    # leaves at x = 2 (y = 1.15 / 1.3)
    length = np.linalg.norm(seg[:, 1] - seg[:, 0], axis=1).sum()
    assert length == pytest.approx(np.hypot(2 + 1.5, 1.15 / 1.3 + 1), rel=1e-9)
    assert np.all((ends[:, 0] >= -2) & (ends[:, 0] <= 2) & (np.abs(ends[:, 1]) <= 1))


def test_a_circle_and_its_length():
    x = y = np.linspace(-1, 1, 201)
    Z = np.hypot(x[None, :], y[:, None])
    seg = contour_segments(x, y, Z, 0.6)
    r = np.hypot(seg[..., 0], seg[..., 1])
    np.testing.assert_allclose(r, 0.6, atol=1e-4)
    length = np.linalg.norm(seg[:, 1] - seg[:, 0], axis=1).sum()
    assert length == pytest.approx(2 * np.pi * 0.6, rel=1e-3)


def test_saddles_and_non_finite_cells():
    x = y = np.array([-1.0, 1.0])
    Z = np.array([[1.0, -1.0], [-1.0, 1.0]])  # one cell, a saddle: every edge crossed
    seg = contour_segments(x, y, Z, 0.0)
    assert seg.shape == (2, 2, 2)
    np.testing.assert_allclose(np.sort(np.abs(seg.reshape(-1, 2)).sum(axis=1)), 1.0)
    Z2 = np.array([[1.0, -1.0], [-1.0, np.inf]])
    assert contour_segments(x, y, Z2, 0.0).shape == (0, 2, 2)
    assert contour_segments(x, y, Z, 5.0).shape == (0, 2, 2)  # level outside the range


def test_levels_and_checks():
    np.testing.assert_allclose(contour_levels(np.array([[0.0, np.nan], [9.0, 1.0]]), 2),
                               [3.0, 6.0])
    assert contour_levels(np.ones((3, 3))).size == 0
    with pytest.raises(ValueError, match="shape"):
        contour_segments([0, 1], [0, 1, 2], np.zeros((2, 2)), 0.0)
