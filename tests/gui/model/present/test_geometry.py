"""The geometry panel's Qt-free part: parameters, the D slider, the small closed forms, the
sampling jobs against sim.geometry, and the claims table."""

import math
import re

import numpy as np
import pytest

from gui.model.options import GeometryPanelOptions, default_options, parse_options
from gui.model.present import geometry as gs
from gui.model.present.geometry import GeometryParams
from gui.model.present.geometry_claims import cells_text, claims_html, claims_jobs, share
from sim import geometry


def hist_density(samples, edges):
    counts, _ = np.histogram(samples, edges)
    return counts / (samples.size * np.diff(edges))


@pytest.mark.parametrize("changes, name", [
    ({"D": 0}, "D"), ({"D": 10_001}, "D"), ({"D": 2.5}, "D"), ({"eps": 0.0}, "eps"),
    ({"eps": 1.0}, "eps"), ({"n_pairs": 0}, "n_pairs"), ({"sampler": "cubes"}, "sampler"),
    ({"N": 0}, "N"), ({"b": 1}, "b"), ({"angle_dims": (1, 2, 3, 4, 5, 6, 7)}, "angle_dims"),
    ({"angle_dims": ()}, "angle_dims"), ({"distance_kind": "all"}, "distance_kind"),
    ({"n_points": 1}, "n_points"), ({"seed": -1}, "seed"), ({"colour": 1}, "colour"),
])
def test_bad_parameters_raise_naming_the_argument(changes, name):
    with pytest.raises(ValueError, match=name):
        GeometryParams().replace(**changes)


def test_parameters_defaults_follow_the_article():
    p = GeometryParams()
    assert (p.b, p.eps, p.sampler, p.n_pairs, p.angle_dims) == (10, 0.01, "cube", 10_000,
                                                                 (2, 3, 50, 100))
    assert GeometryParams(angle_dims=(3, 2, 3)).angle_dims == (3, 2)  # repeats dropped
    assert gs.parse_dims("2, 3,50 100") == (2, 3, 50, 100)
    with pytest.raises(ValueError, match="angle_dims"):
        gs.parse_dims("2, x")
    with pytest.raises(ValueError, match="angle_dims"):
        gs.parse_dims("0")


def test_panel_options_say_what_is_in_front():
    assert default_options()["geometry-panel"] == GeometryPanelOptions("auto", "all")
    for front in ("all", "claims", "geometry-shell"):
        assert GeometryPanelOptions(front=front).front == front
    with pytest.raises(ValueError, match="front"):
        GeometryPanelOptions(front="geometry-spheres")
    with pytest.raises(ValueError, match="layout"):
        GeometryPanelOptions(layout="stack")
    with pytest.raises(ValueError, match="zoom"):  # an unknown key is refused
        parse_options({"geometry-panel": {"zoom": 2}})
    with pytest.raises(ValueError, match="zoom"):
        parse_options({"geometry": {"zoom": 2}})
    assert parse_options({"geometry-panel": {"front": "claims"}})["geometry-panel"].front == \
        "claims"


def test_the_D_slider_is_linear_to_100_then_logarithmic():
    pos = np.arange(gs.SLIDER_MAX + 1)
    D = np.array([gs.slider_to_d(p) for p in pos])
    assert D[0] == 1 and D[99] == 100 and D[-1] == gs.D_MAX
    assert np.all(np.diff(D) >= 0) and np.all(np.diff(D[:100]) == 1)
    ratio = D[100:] / D[99:-1]
    assert np.all(ratio < 1.025)  # log steps of about 1.5 % (a little more where D rounds)
    for d in range(1, 101):
        assert gs.slider_to_d(gs.d_to_slider(d)) == d
    for d in (101, 230, 400, 999, 5_000, 10_000):
        assert abs(gs.slider_to_d(gs.d_to_slider(d)) / d - 1) < 0.01
    assert gs.slider_to_d(-5) == 1 and gs.slider_to_d(10**6) == gs.D_MAX


def test_small_closed_forms_of_the_pictures():
    assert gs.real_crossing(0.01, 0.9) == pytest.approx(229.105, abs=1e-3)
    assert math.ceil(gs.real_crossing(0.01, 0.9)) == geometry.shell_crossing(0.01, 0.9) == 230
    for D in (2, 3, 100, 10_000):
        r = gs.equal_volume_radii(D, 10)
        assert r[0] == 0 and r[-1] == 1
        # the ball of radius r_k holds k/10 of the volume: 1 - shell_fraction(D, 1 - r_k)
        inner = 1 - geometry.shell_fraction(D, 1 - r[1:-1])
        np.testing.assert_allclose(inner, np.arange(1, 10) / 10, rtol=1e-9)
    np.testing.assert_allclose(gs.ring_density(gs.equal_volume_radii(2)), 1.0)
    dens = gs.ring_density(gs.equal_volume_radii(100))
    assert dens[0] < 0.2 and np.all(np.diff(dens) > 0)  # empty inside, full at the rim
    assert gs.cells_equal_samples(1000, 10) == pytest.approx(3.0)
    assert gs.exact_angle_sd(50) == geometry.angle_sd(50)
    assert len(gs.angle_edges(2)) == 91 and gs.angle_edges(10_000)[0] > 80


def test_keys_of_different_jobs_never_compare_equal():
    assert gs.CellsKey(100, 10, 0) != gs.GridPointsKey(100, 10, 0)
    assert len({gs.CellsKey(100, 10, 0), gs.GridPointsKey(100, 10, 0)}) == 2


def test_the_start_delay_is_not_part_of_a_jobs_key():
    key = gs.AnglesKey(50, 1_000, "cube", 0)
    late = gs.delayed(key)
    assert key.delay_ms == 0 and late.delay_ms == gs.START_DELAY_MS
    assert late == key and hash(late) == hash(key) and {key: 1}[late] == 1
    with pytest.raises(AttributeError):
        key.D = 3  # frozen: a key never changes under the runner


def test_jobs_are_frozen_descriptions_with_a_cost():
    p = GeometryParams()
    jobs = [*gs.angle_keys(p), gs.distances_key(p), gs.contrast_key(p), gs.cells_key(p),
            gs.grid_points_key(p), gs.SdCurveKey()]
    assert all(gs.is_geometry_job(j) and j.cost > 0 for j in jobs)
    assert not gs.is_geometry_job(("angles", 3))
    big, small = gs.AnglesKey(10_000, 100_000, "cube", 0), gs.AnglesKey(3, 1_000, "cube", 0)
    assert big.cost > 0.2 > small.cost  # the window shows progress for the big one only
    assert gs.angle_keys(p)[0].D == p.D  # the slider's D first


def test_jobs_return_what_sim_geometry_computes():
    a = gs.AnglesKey(50, 2_000, "ball", 3).compute(None, None)
    theta = geometry.sample_angles(50, 2_000, sampler="ball", seed=3)
    np.testing.assert_array_equal(a.heights, hist_density(theta, a.edges))
    assert a.sd == pytest.approx(theta.std()) and a.mean == pytest.approx(theta.mean())
    d = gs.compute(gs.DistancesKey(20, "query", 300, 1))
    assert d.query_contrast == pytest.approx(geometry.relative_contrast(20, 300, seed=1))
    dist = geometry.query_distances(20, 300, seed=1)
    np.testing.assert_allclose(d.heights, hist_density(dist / dist.max(), d.edges))
    pw = gs.compute(gs.DistancesKey(5, "pairwise", 40, 2))
    assert pw.n == 40 * 39 // 2
    assert pw.query_contrast == pytest.approx(geometry.relative_contrast(5, 40, seed=2))
    c = gs.compute(gs.ContrastKey((2, 50), 100, (0, 1)))
    assert c.values[1, 1] == geometry.relative_contrast(50, 100, seed=1)
    cells = gs.compute(gs.CellsKey(50, 3, 4))
    assert list(cells.dims) == list(range(1, 13))  # 3^12 <= 10^6 < 3^13
    assert cells.occupied[4] == geometry.sample_empty_cells(5, 50, 3, seed=4).occupied
    pts = gs.compute(gs.GridPointsKey(500, 10, 0))
    raw = geometry.sample_points(2, 500, seed=0)
    assert pts.occupied[2] == len({tuple(c) for c in np.floor((raw + 1) * 5).astype(int)})
    assert pts.occupancy[2].sum() == pts.occupied[2]
    D, sd = gs.SdCurveKey().compute(None, None)
    np.testing.assert_allclose(sd, geometry.angle_sd(D))
    assert D[0] == 1 and D[-1] == gs.D_MAX


def test_a_job_stops_when_asked_and_reports_progress():
    seen = []
    gs.AnglesKey(300, 20_000, "cube", 0).compute(seen.append, lambda: False)
    assert seen and seen[-1] == pytest.approx(1.0) and seen == sorted(seen)
    with pytest.raises(geometry.Cancelled):
        gs.AnglesKey(10_000, 200_000, "cube", 0).compute(None, lambda: True)
    with pytest.raises(geometry.Cancelled):
        gs.GridPointsKey(100, 10, 0).compute(None, lambda: True)


def test_claims_table_holds_the_articles_numbers():
    p = GeometryParams(D=5)
    html = claims_html(p)
    text = re.sub(r"<[^>]+>", " ", html)
    assert "90 % from D = 230" in text and "229.1" in text and "over 400" in text
    assert "D = 5: sampling…" in text  # no distances yet
    # the unit 5-ball's volume is a number (5.26), not a share of anything ("100 %")
    row = next(r for r in html.split("<tr>") if "volume of a D-ball" in r)
    assert "D = 5: 5.26" in row and "100 %" not in row
    assert "peaks at D = 5 (5.2638)" in row


def test_claims_table_quotes_the_samples_it_has():
    p = GeometryParams(D=20, n_pairs=1_000, n_points=200, angle_dims=(2, 50))
    jobs = claims_jobs(p)
    assert set(jobs) == {("angles", 2), ("angles", 50), "distances"}
    angles = {50: jobs[("angles", 50)].compute()}
    dist = jobs["distances"].compute()
    html = claims_html(p, angles, dist)
    assert f"sampled {angles[50].sd:.2f}°" in html
    assert "D = 2: 51.96°" in html and html.count("sampled") == 1
    assert f"{dist.d_min / dist.d_max:.3f} × the farthest" in html


def test_number_helpers_of_the_claims():
    assert cells_text(3.0) == "1,000" and cells_text(100.0) == "10¹⁰⁰"
    assert cells_text(100.5).startswith("3.2 × 10¹⁰⁰")
    assert share(math.log10(0.5)) == "50.00 %" and "10⁻" in share(-20.0)
