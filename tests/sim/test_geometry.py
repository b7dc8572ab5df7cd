"""sim.geometry: closed forms against independent values, sampling statistics, bad input."""

import math
import threading

import numpy as np
import pytest

from sim import geometry as g


def _trapezoid(y, x):
    """Trapezoid rule, written out (np.trapezoid is NumPy >= 2 only)."""
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


# ---------------------------------------------------------------------------------------------
# empty M&M's chocolate: ball volume and shell
# ---------------------------------------------------------------------------------------------


def _volumes_by_recurrence(D_max):
    """V_D(1) from V_0 = 1, V_1 = 2, V_D = 2 pi / D * V_(D-2): no Gamma function involved."""
    v = [1.0, 2.0]
    for D in range(2, D_max + 1):
        v.append(2.0 * math.pi / D * v[D - 2])
    return v


def test_ball_volume_known_values():
    assert g.ball_volume(1) == pytest.approx(2.0, rel=1e-14)
    assert g.ball_volume(2) == pytest.approx(math.pi, rel=1e-14)
    assert g.ball_volume(3) == pytest.approx(4.0 * math.pi / 3.0, rel=1e-14)
    assert g.ball_volume(4) == pytest.approx(math.pi**2 / 2.0, rel=1e-14)
    assert g.ball_volume(5) == pytest.approx(8.0 * math.pi**2 / 15.0, rel=1e-14)


def test_ball_volume_matches_recurrence_and_lgamma_for_D_1_to_20():
    D = np.arange(1, 21)
    v = g.ball_volume(D)
    assert isinstance(v, np.ndarray) and v.shape == (20,)
    np.testing.assert_allclose(v, _volumes_by_recurrence(20)[1:], rtol=1e-12)
    by_lgamma = [math.exp(d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1)) for d in range(1, 21)]
    np.testing.assert_allclose(v, by_lgamma, rtol=1e-12)


def test_ball_volume_scales_as_r_to_the_D():
    assert g.ball_volume(3, 2.0) == pytest.approx(8.0 * 4.0 * math.pi / 3.0, rel=1e-13)
    np.testing.assert_allclose(
        g.ball_volume(np.arange(1, 11), 0.5),
        g.ball_volume(np.arange(1, 11)) * 0.5 ** np.arange(1, 11),
    )
    assert g.ball_volume(4, 0.0) == 0.0


def test_unit_ball_volume_peaks_at_D_5():
    v = g.ball_volume(np.arange(1, 31))
    assert int(np.argmax(v)) + 1 == 5
    assert np.all(np.diff(v[4:]) < 0)  # then falls for good


def test_ball_volume_at_D_10000_is_zero_without_warnings():
    with np.errstate(all="raise"):  # any unguarded overflow/underflow would raise here
        assert g.ball_volume(10_000) == 0.0
        v = g.ball_volume(np.arange(1, 10_001))
        log_v = g.log_ball_volume(10_000)
    assert isinstance(g.ball_volume(10_000), float)
    assert v.shape == (10_000,) and np.all(np.isfinite(v)) and v[-1] == 0.0
    # Stirling: log V_D ~ (D/2) log(2 pi e / D) - log(pi D) / 2 for large D
    stirling = 5000 * math.log(2 * math.pi * math.e / 10_000) - 0.5 * math.log(math.pi * 10_000)
    assert log_v == pytest.approx(stirling, rel=1e-6)


def test_shell_fraction_closed_form_and_accuracy():
    assert g.shell_fraction(2, 0.01) == pytest.approx(1 - 0.99**2, rel=1e-12)
    assert g.shell_fraction(3, 0.01) == pytest.approx(1 - 0.99**3, rel=1e-12)
    # naive 1 - (1 - eps)**D loses every digit here; the expm1/log1p form keeps them
    assert g.shell_fraction(1, 1e-12) == pytest.approx(1e-12, rel=1e-12)
    assert g.shell_fraction(3, 1e-12) == pytest.approx(3e-12, rel=1e-9)
    with np.errstate(all="raise"):
        assert g.shell_fraction(1e6, 0.5) == 1.0
    f = g.shell_fraction(np.array([[1], [10], [1000]]), np.array([0.01, 0.1]))
    assert f.shape == (3, 2)
    assert np.all(np.diff(f, axis=0) > 0)  # more of the volume in the shell as D grows


def test_shell_crossing_for_one_percent_shell_at_90_percent_is_230():
    # the real crossing is log(0.1) / log(0.99) = 229.1; at D = 229 the shell holds 89.99 %
    assert math.log(0.1) / math.log(0.99) == pytest.approx(229.105, abs=1e-3)
    D = g.shell_crossing(0.01, 0.9)
    assert D == 230
    assert g.shell_fraction(229, 0.01) < 0.9 <= g.shell_fraction(230, 0.01)
    assert 1 - 0.99**229 < 0.9 < 1 - 0.99**230  # independently of the module


def test_shell_crossing_counts_an_exact_hit():
    # 1 - 0.5**2 = 0.75 exactly: ">=" means D = 2 already reaches it
    assert g.shell_fraction(2, 0.5) == 0.75
    assert g.shell_crossing(0.5, 0.75) == 2
    assert g.shell_crossing(0.5, 0.5) == 1
    assert g.shell_crossing(0.5, 0.1) == 1  # D = 1 already does more than asked


# ---------------------------------------------------------------------------------------------
# spiky cubes
# ---------------------------------------------------------------------------------------------


def test_inner_ball_radius_article_values():
    assert g.inner_ball_radius(2) == pytest.approx((math.sqrt(2) - 1) / 2)
    assert g.inner_ball_radius(3) == pytest.approx((math.sqrt(3) - 1) / 2)
    assert g.inner_ball_radius(4) == 0.5  # as big as the small balls


def test_inner_ball_leaves_the_box_first_at_D_10():
    D = np.arange(1, 31)
    r = g.inner_ball_radius(D)
    assert g.inner_ball_radius(9) == 1.0  # touches the faces of the side-2 box
    assert int(D[np.argmax(r > 1.0)]) == 10
    assert int(D[np.argmax(r >= 0.5)]) == 4


def test_corner_distance_and_inner_radius_agree():
    assert g.corner_distance(3) == pytest.approx(math.sqrt(3) / 2)
    D = np.arange(1, 100)
    np.testing.assert_allclose(g.inner_ball_radius(D), g.corner_distance(D) - 0.5, atol=1e-15)


def test_inscribed_ball_fraction():
    assert g.inscribed_ball_fraction(1) == pytest.approx(1.0, rel=1e-14)
    assert g.inscribed_ball_fraction(2) == pytest.approx(math.pi / 4, rel=1e-14)
    assert g.inscribed_ball_fraction(3) == pytest.approx(math.pi / 6, rel=1e-14)
    f = g.inscribed_ball_fraction(np.arange(1, 51))
    assert np.all(np.diff(f) < 0)
    np.testing.assert_allclose(g.log10_inscribed_ball_fraction(np.arange(1, 51)), np.log10(f))
    with np.errstate(all="raise"):
        assert g.inscribed_ball_fraction(10_000) == 0.0
        lg = g.log10_inscribed_ball_fraction(10_000)
    assert np.isfinite(lg) and lg < -10_000


# ---------------------------------------------------------------------------------------------
# Pac-Man walking: angles
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", g.SAMPLERS)
@pytest.mark.parametrize("D", [50, 100, 1000])
def test_angles_concentrate_at_90_with_sd_one_over_sqrt_D(sampler, D):
    n = 10_000
    theta = g.sample_angles(D, n, sampler=sampler, seed=1)
    assert theta.shape == (n,) and theta.dtype == np.float64
    sd = theta.std()
    assert abs(theta.mean() - 90.0) < 5 * sd / math.sqrt(n)
    assert sd == pytest.approx((180 / math.pi) / math.sqrt(D), rel=0.04)
    assert sd == pytest.approx(g.angle_sd_asymptotic(D), rel=0.04)


@pytest.mark.parametrize("D", [3, 10])
def test_gaussian_angles_match_the_exact_sd(D):
    n = 20_000
    sd = g.sample_angles(D, n, sampler="gaussian", seed=3).std()
    assert sd == pytest.approx(g.angle_sd(D), rel=4 / math.sqrt(2 * n))


def test_exact_angle_sd_closed_forms():
    # D = 2: uniform on [0, 180]; D = 3: density sin/2; D = 4: density (2/pi) sin^2
    assert g.angle_sd(2) == pytest.approx(180 / math.sqrt(12), rel=1e-7)
    assert g.angle_sd(3) == pytest.approx(math.degrees(math.sqrt(math.pi**2 / 4 - 2)), rel=1e-7)
    assert g.angle_sd(4) == pytest.approx(math.degrees(math.sqrt(math.pi**2 / 12 - 0.5)), rel=1e-7)
    assert g.angle_sd(1) == 90.0
    sd = g.angle_sd(np.array([50, 100, 1000, 10_000]))
    np.testing.assert_allclose(
        sd, g.angle_sd_asymptotic(np.array([50, 100, 1000, 10_000])), rtol=0.03
    )
    assert np.all(np.diff(sd) < 0)


@pytest.mark.parametrize("D", [2, 3, 10, 100, 1000, 10_000])
def test_angle_density_integrates_to_one(D):
    theta = np.linspace(0.0, 180.0, 180_001)
    p = g.angle_density(theta, D)
    assert np.all(p >= 0)
    assert _trapezoid(p, theta) == pytest.approx(1.0, abs=1e-6)
    mean = _trapezoid(theta * p, theta)
    assert mean == pytest.approx(90.0, abs=1e-6)
    sd = math.sqrt(_trapezoid((theta - 90.0) ** 2 * p, theta))
    assert sd == pytest.approx(g.angle_sd(D), rel=1e-4)


def test_angle_density_special_cases():
    np.testing.assert_allclose(g.angle_density(np.array([0.0, 45.0, 180.0]), 2), 1 / 180)
    assert g.angle_density(60.0, 3) == pytest.approx(0.5 * math.sin(math.pi / 3) * math.pi / 180)
    assert g.angle_density(-1.0, 3) == 0.0 and g.angle_density(181.0, 2) == 0.0
    with np.errstate(all="raise"):
        p = g.angle_density(np.array([0.0, 89.0, 90.0, 180.0]), 10_000)
    assert p[0] == 0.0 and p[1] < p[2]
    # large D: Gaussian peak 1 / (sqrt(2 pi) sd) at 90 degrees
    assert p[2] == pytest.approx(1 / (math.sqrt(2 * math.pi) * g.angle_sd(10_000)), rel=1e-3)


def _chi_square_uniform(theta, bins=18):
    counts, _ = np.histogram(theta, bins=bins, range=(0.0, 180.0))
    expected = len(theta) / bins
    return float(np.sum((counts - expected) ** 2 / expected))


@pytest.mark.parametrize("sampler", ["ball", "gaussian"])
def test_isotropic_angles_in_2d_are_uniform(sampler):
    theta = g.sample_angles(2, 18_000, sampler=sampler, seed=7)
    assert _chi_square_uniform(theta) < 40.8  # chi-square, 17 dof, p = 0.001


def test_cube_angles_in_2d_are_not_quite_uniform():
    # the article's square sampler favours the diagonals; with enough pairs it shows
    theta = g.sample_angles(2, 100_000, sampler="cube", seed=7)
    assert _chi_square_uniform(theta) > 40.8


def test_gaussian_angles_in_3d_follow_the_exact_law_ks():
    n = 10_000
    theta = np.sort(g.sample_angles(3, n, sampler="gaussian", seed=11))
    cdf = (1 - np.cos(np.radians(theta))) / 2  # exact CDF for density sin(theta) / 2
    ecdf_hi = np.arange(1, n + 1) / n
    ks = max(np.max(ecdf_hi - cdf), np.max(cdf - (ecdf_hi - 1 / n)))
    assert math.sqrt(n) * ks < 1.95  # Kolmogorov, p = 0.001


@pytest.mark.parametrize("sampler", g.SAMPLERS)
def test_angles_in_1d_are_0_or_180(sampler):
    theta = g.sample_angles(1, 2000, sampler=sampler, seed=0)
    assert set(np.unique(theta)) == {0.0, 180.0}
    assert 0.4 < np.mean(theta == 0.0) < 0.6


def test_sampled_points_live_where_the_sampler_says():
    cube = g.sample_points(5, 4000, sampler="cube", seed=0)
    assert cube.shape == (4000, 5) and cube.min() >= -1.0 and cube.max() < 1.0
    ball = g.sample_points(2, 40_000, sampler="ball", seed=0)
    r = np.hypot(ball[:, 0], ball[:, 1])
    assert r.max() <= 1.0
    assert np.mean(r <= 0.5) == pytest.approx(0.25, abs=0.01)  # area ratio (1/2)^2
    ball10 = g.sample_points(10, 20_000, sampler="ball", seed=0)
    r10 = np.linalg.norm(ball10, axis=1)
    assert np.mean(r10 >= 0.9) == pytest.approx(1 - 0.9**10, abs=0.015)  # the M&M's shell


# ---------------------------------------------------------------------------------------------
# reproducibility, chunking, progress, cancel
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", g.SAMPLERS)
def test_same_seed_same_angles_different_seed_different(sampler):
    a = g.sample_angles(30, 500, sampler=sampler, seed=5)
    b = g.sample_angles(30, 500, sampler=sampler, seed=5)
    c = g.sample_angles(30, 500, sampler=sampler, seed=6)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


@pytest.mark.parametrize("sampler", g.SAMPLERS)
def test_chunk_size_does_not_change_the_angles(sampler):
    whole = g.sample_angles(37, 1000, sampler=sampler, seed=2)
    for max_chunk_bytes in (8, 8 * 37 * 2 * 7, 100_000):  # 1 pair, 7 pairs, ~168 pairs per chunk
        chunked = g.sample_angles(
            37, 1000, sampler=sampler, seed=2, max_chunk_bytes=max_chunk_bytes
        )
        assert np.array_equal(whole, chunked)


@pytest.mark.parametrize("sampler", g.SAMPLERS)
def test_angles_are_those_of_sample_points_in_pairs(sampler):
    D, n = 20, 300
    pts = g.sample_points(D, 2 * n, sampler=sampler, seed=4).reshape(n, 2, D)
    x, y = pts[:, 0], pts[:, 1]
    cos = np.sum(x * y, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    np.testing.assert_allclose(
        g.sample_angles(D, n, sampler=sampler, seed=4),
        np.degrees(np.arccos(np.clip(cos, -1, 1))),
        atol=1e-9,
    )


def test_large_D_is_memory_bounded_and_reports_progress():
    seen = []
    theta = g.sample_angles(10_000, 200, progress=seen.append)
    assert theta.shape == (200,)
    # 8 MB of float64 holds 50 pairs of 10,000-vectors: four chunks
    assert seen == [0.25, 0.5, 0.75, 1.0]


def test_should_stop_cancels_between_chunks():
    calls = []

    def stop_after_two():
        calls.append(1)
        return len(calls) > 2

    seen = []
    with pytest.raises(g.Cancelled):
        g.sample_angles(
            100,
            1000,
            max_chunk_bytes=8 * 200 * 100,
            progress=seen.append,
            should_stop=stop_after_two,
        )
    assert seen == [0.1, 0.2]  # two chunks of 100 pairs done, then stopped
    event = threading.Event()
    event.set()
    for run in (
        lambda: g.sample_angles(10, 10, should_stop=event),
        lambda: g.query_distances(10, 10, should_stop=event),
        lambda: g.pairwise_distances(10, 10, should_stop=event),
        lambda: g.sample_empty_cells(2, 10, should_stop=event),
    ):
        with pytest.raises(g.Cancelled):
            run()
    assert g.sample_angles(10, 10, should_stop=threading.Event()).shape == (10,)


# ---------------------------------------------------------------------------------------------
# distances
# ---------------------------------------------------------------------------------------------


def test_relative_contrast_decreases_with_D():
    rc = [g.relative_contrast(D, 2000, seed=0) for D in (2, 10, 100, 1000)]
    assert np.all(np.diff(rc) < 0)
    assert rc[0] > 10 and rc[-1] < 0.3


def test_query_distances_chunking_and_typical_size():
    d = g.query_distances(1000, 500, seed=9)
    assert d.shape == (500,) and np.all(d > 0)
    assert np.array_equal(d, g.query_distances(1000, 500, seed=9, max_chunk_bytes=8 * 1000 * 3))
    # mean squared distance between uniform points of the unit cube is D / 6
    assert np.mean(d**2) == pytest.approx(1000 / 6, rel=0.05)
    rng = np.random.default_rng(9)  # the documented order: the query first, then the points
    q = rng.random(1000)
    np.testing.assert_allclose(d, np.linalg.norm(rng.random((500, 1000)) - q, axis=1))
    assert g.relative_contrast(1000, 500, seed=9) == pytest.approx((d.max() - d.min()) / d.min())


def test_pairwise_distances_match_brute_force():
    n, D = 40, 7
    x = np.random.default_rng(3).random((n, D))
    full = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1))
    want = full[np.triu_indices(n, k=1)]
    got = g.pairwise_distances(D, n, seed=3)
    assert got.shape == (n * (n - 1) // 2,)
    np.testing.assert_allclose(got, want, rtol=1e-13)
    np.testing.assert_array_equal(
        got, g.pairwise_distances(D, n, seed=3, max_chunk_bytes=8 * D * 3)
    )


# ---------------------------------------------------------------------------------------------
# empty grids
# ---------------------------------------------------------------------------------------------


def test_empty_cell_fraction_closed_form():
    assert g.empty_cell_fraction(1, 1) == pytest.approx(0.9)
    assert g.empty_cell_fraction(2, 0) == 1.0
    assert g.empty_cell_fraction(2, 100) == pytest.approx(0.99**100, rel=1e-12)
    assert g.empty_cell_fraction(3, 1000, b=2) == pytest.approx(0.875**1000, rel=1e-9)
    with np.errstate(all="raise"):
        assert g.empty_cell_fraction(10_000, 10**9) == 1.0
        f = g.empty_cell_fraction(np.arange(1, 13)[:, None], np.array([1000, 10**6]))
    assert f.shape == (12, 2)
    assert np.all(np.diff(f, axis=0) >= 0)  # more dimensions, emptier grid
    assert f[11, 1] == pytest.approx(1 - 1e-6, rel=1e-12)  # 10^12 cells, 10^6 samples


@pytest.mark.parametrize(
    ("D", "N", "b"), [(2, 100, 10), (3, 1000, 10), (4, 10_000, 10), (8, 300, 3)]
)
def test_sampled_empty_cells_match_the_expectation(D, N, b):
    count = g.sample_empty_cells(D, N, b, seed=0)
    assert count.total == b**D
    p = g.empty_cell_fraction(D, N, b)
    # the empty-cell count is a sum of negatively correlated indicators: binomial sd bounds it
    sd = math.sqrt(p * (1 - p) / count.total)
    assert abs(count.empty_fraction - p) < 5 * sd
    occupied, total = count
    assert occupied == total - round(count.empty_fraction * total)


def test_sample_empty_cells_chunking_and_limits():
    a = g.sample_empty_cells(3, 5000, seed=1)
    assert a == g.sample_empty_cells(3, 5000, seed=1, max_chunk_bytes=8 * 3 * 10)
    assert g.sample_empty_cells(1, 1000).occupied == 10  # every cell of a 1-D grid is hit
    assert g.sample_empty_cells(6, 100).total == 10**6
    with pytest.raises(ValueError, match=r"D = 7"):
        g.sample_empty_cells(7, 100)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------

BAD_CALLS = [
    (lambda: g.ball_volume(0), r"D must be a number >= 1"),
    (lambda: g.ball_volume(-2), r"^D "),
    (lambda: g.ball_volume(np.nan), r"^D "),
    (lambda: g.ball_volume([3, 0]), r"^D .*got 0\.0"),
    (lambda: g.ball_volume("three"), r"^D "),
    (lambda: g.ball_volume(3, -1.0), r"^r must be"),
    (lambda: g.log_ball_volume(0.5), r"^D "),
    (lambda: g.shell_fraction(10, 0.0), r"^eps must be in \(0, 1\)"),
    (lambda: g.shell_fraction(10, 1.0), r"^eps must be in \(0, 1\)"),
    (lambda: g.shell_fraction(10, [0.1, 1.5]), r"^eps .*1\.5"),
    (lambda: g.shell_fraction(0, 0.1), r"^D "),
    (lambda: g.shell_crossing(0.0, 0.9), r"^eps "),
    (lambda: g.shell_crossing(0.01, 1.0), r"^fraction must be in \(0, 1\)"),
    (lambda: g.shell_crossing(0.01, 0.0), r"^fraction "),
    (lambda: g.shell_crossing([0.01, 0.02], 0.9), r"^eps must be a single number"),
    (lambda: g.inner_ball_radius(0), r"^D "),
    (lambda: g.corner_distance(0.5), r"^D "),
    (lambda: g.inscribed_ball_fraction(-3), r"^D "),
    (lambda: g.sample_angles(0, 10), r"^D must be an integer >= 1, got 0$"),
    (lambda: g.sample_angles(2.5, 10), r"^D must be an integer >= 1, got 2\.5"),
    (lambda: g.sample_angles(True, 10), r"^D must be an integer"),
    (lambda: g.sample_angles(10, 0), r"^n_pairs must be an integer >= 1, got 0"),
    (lambda: g.sample_angles(10, 5.0), r"^n_pairs must be an integer"),
    (lambda: g.sample_angles(10, 10, sampler="sphere"), r"^sampler must be one of .*'sphere'"),
    (lambda: g.sample_angles(10, 10, seed=-1), r"^seed must be an integer >= 0"),
    (lambda: g.sample_angles(10, 10, should_stop=5), r"^should_stop must be"),
    (lambda: g.sample_angles(10, 10, max_chunk_bytes=0), r"^max_chunk_bytes "),
    (lambda: g.sample_points(10, 0), r"^n_points "),
    (lambda: g.angle_density(90.0, 1), r"^D must be an integer >= 2 .*got 1"),
    (lambda: g.angle_density(90.0, 0), r"^D must be an integer >= 2, got 0"),
    (lambda: g.angle_density(90.0, 2.5), r"^D must be an integer"),
    (lambda: g.angle_density(np.nan, 3), r"^theta "),
    (lambda: g.angle_sd(0), r"^D must be an integer >= 1"),
    (lambda: g.angle_sd(2.5), r"^D must be an integer"),
    (lambda: g.angle_sd(np.array([1.5, 2.0])), r"^D must be integers"),
    (lambda: g.angle_sd(np.array([3, 0])), r"^D must be an integer >= 1, got 0"),
    (lambda: g.angle_sd_asymptotic(0), r"^D "),
    (lambda: g.relative_contrast(10, 1), r"^n_points must be an integer >= 2, got 1"),
    (lambda: g.relative_contrast(0, 10), r"^D must be an integer >= 1, got 0"),
    (lambda: g.query_distances(10, 1), r"^n_points "),
    (lambda: g.pairwise_distances(10, 1), r"^n_points "),
    (lambda: g.pairwise_distances(1.5, 10), r"^D "),
    (lambda: g.empty_cell_fraction(0, 10), r"^D "),
    (lambda: g.empty_cell_fraction(3, -1), r"^N must be an integer >= 0"),
    (lambda: g.empty_cell_fraction(3, 2.5), r"^N must be an integer >= 0, got 2\.5"),
    (lambda: g.empty_cell_fraction(3, 10, b=1), r"^b must be an integer >= 2, got 1"),
    (lambda: g.sample_empty_cells(0, 10), r"^D "),
    (lambda: g.sample_empty_cells(3, 0), r"^N must be an integer >= 1, got 0"),
    (lambda: g.sample_empty_cells(3, 10, b=1), r"^b "),
    (lambda: g.sample_empty_cells(30, 10, b=2), r"^D = 30 is too large"),
]


@pytest.mark.parametrize(("call", "message"), BAD_CALLS)
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_scalar_in_float_out_array_in_array_out():
    for f in (
        g.ball_volume,
        g.inner_ball_radius,
        g.corner_distance,
        g.inscribed_ball_fraction,
        g.log10_inscribed_ball_fraction,
        g.angle_sd_asymptotic,
    ):
        assert type(f(7)) is float
        out = f(np.array([[1, 2], [3, 4]]))
        assert isinstance(out, np.ndarray) and out.shape == (2, 2)
    assert type(g.shell_fraction(7, 0.1)) is float
    assert type(g.empty_cell_fraction(3, 10)) is float
    assert type(g.angle_sd(7)) is float and g.angle_sd(np.array([2, 3])).shape == (2,)
    assert type(g.angle_density(90.0, 7)) is float
