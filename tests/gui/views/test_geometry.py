"""The geometry panel: its state and sampler runner, the five views against sim.geometry, the tab.

Every view is checked by reading back what it drew (curve data, bar heights, marker positions,
radii) and comparing it with the sim.geometry function that defines it.
"""

import math
import time

import numpy as np
import pytest
from gui.geometry_state import GeometryParams, GeometryState
from gui.state import AppState
from PySide6 import QtGui, QtWidgets

from gui import geometry_state as gs
from gui import views
from sim import geometry

GEOMETRY_VIEWS = ("geometry-grid", "geometry-cube", "geometry-angles", "geometry-shell",
                  "geometry-distances")
FAST = {"n_pairs": 1_000, "n_points": 200}  # small samples keep the tests quick


@pytest.fixture
def state(qapp):
    st = AppState(compute_now=False)
    geo = st.ext("geometry", GeometryState)
    geo.set(**FAST)
    yield st
    geo.cancel()
    assert geo.wait(5_000)


def make_view(qtbot, state, name, size=(1000, 640), show=True):
    views.load()
    v = views.get(name)(state)
    qtbot.addWidget(v)
    v.resize(*size)
    if show:
        v.show()
        qtbot.waitExposed(v)
    return v


def geo_of(state) -> GeometryState:
    return state.ext("geometry", GeometryState)


def hist_density(samples, edges):
    counts, _ = np.histogram(samples, edges)
    return counts / (samples.size * np.diff(edges))


# ---------------------------------------------------------------------------------------------
# parameters, slider, helpers (no widgets)
# ---------------------------------------------------------------------------------------------


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


def test_jobs_return_what_sim_geometry_computes():
    a = gs.compute(gs.AnglesKey(50, 2_000, "ball", 3))
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


# ---------------------------------------------------------------------------------------------
# the runner
# ---------------------------------------------------------------------------------------------


def test_runner_caches_lands_and_reports_progress(state, qtbot):
    runner = geo_of(state).runner
    landed, progress = [], []
    runner.landed.connect(landed.append)
    runner.progress.connect(progress.append)
    key = gs.AnglesKey(300, 5_000, "cube", 0)
    runner.request("test", [key])
    assert runner.status(key) in ("running", "queued") and runner.busy
    assert runner.wait(10_000)
    assert landed == [key] and runner.status(key) == "ready" and not runner.busy
    assert progress[-1] == 1.0 and len(progress) >= 3
    first = runner.result(key)
    runner.request("other", [key])  # cached: nothing runs again
    assert not runner.busy and runner.result(key) is first


def test_a_key_nobody_wants_any_more_is_stopped(state, qtbot):
    runner = geo_of(state).runner
    slow = gs.AnglesKey(10_000, 200_000, "cube", 0)
    fast = gs.AnglesKey(3, 100, "cube", 0)
    runner.request("view", [slow])
    qtbot.waitUntil(lambda: runner.fraction > 0.0, timeout=5_000)
    runner.request("view", [fast])  # the slider moved on
    assert runner.wait(3_000)
    assert runner.status(fast) == "ready" and runner.status(slow) == "idle"


def test_cancel_stops_a_D_10000_run_within_half_a_second(state, qtbot):
    geo = geo_of(state)
    runner = geo.runner
    key = gs.AnglesKey(10_000, 200_000, "cube", 0)  # ~10 s of work
    runner.request("view", [key])
    qtbot.waitUntil(lambda: runner.fraction > 0.01, timeout=5_000)
    t0 = time.perf_counter()
    geo.cancel()
    assert runner.wait(2_000)
    elapsed = time.perf_counter() - t0
    assert elapsed < 0.5, f"cancel took {elapsed:.3f} s"
    assert runner.status(key) == "cancelled" and not runner.busy
    runner.request("view", [key])  # the same question again does not restart it ...
    assert not runner.busy
    geo.set(seed=1)  # ... any new parameter does (after a short quiet time)
    assert runner.status(key) == "queued" and runner.busy
    qtbot.waitUntil(lambda: runner.status(key) == "running", timeout=2_000)
    runner.release("view")  # nobody wants it: stopped again
    assert runner.wait(2_000) and runner.status(key) == "idle"


# ---------------------------------------------------------------------------------------------
# the views, each against its sim.geometry function
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GEOMETRY_VIEWS)
def test_every_view_renders_standalone(no_leaks, qtbot, state, name):
    v = make_view(qtbot, state, name, size=(900, 600), show=False)
    assert v.uses_session is False and v.tabs == ("Geometry",)
    v.render(None, None)
    assert v.wait_ready(20_000)
    img = v.grab().toImage()
    assert (img.width(), img.height()) == (900, 600)
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(600, img.bytesPerLine())[:, :3600]
    painted = np.count_nonzero(arr.reshape(600, 900, 4)[..., :3].min(axis=2) < 200)
    assert painted > 5_000  # curves, pictures and text, not a blank canvas
    assert all(geo_of(state).runner.status(k) == "ready" for k in v.sample_keys(v.geo.params))


def test_export_of_a_view_through_its_graphics_item(no_leaks, qtbot, state):
    import pyqtgraph.exporters as exporters

    v = make_view(qtbot, state, "geometry-shell", show=False)
    v.set_export_style(True)
    assert v.wait_ready(5_000)
    img = exporters.ImageExporter(v.graphics_item())
    img.parameters()["width"] = 1200
    out = img.export(toBytes=True)
    assert isinstance(out, QtGui.QImage) and out.width() == 1200


def test_shell_view_draws_the_shell_fraction_and_its_crossings(no_leaks, qtbot, state):
    geo = geo_of(state)
    v = make_view(qtbot, state, "geometry-shell")
    x, y = v.shell_data()
    np.testing.assert_allclose(y, geometry.shell_fraction(x, 0.01), rtol=1e-12)
    Dc, fc = v.crossing_points()
    assert list(np.round(Dc).astype(int)) == [69, 230, 459]
    np.testing.assert_allclose(fc, geometry.shell_fraction(np.array([69, 230, 459]), 0.01))
    text = v.numbers.text
    assert "D = 230" in text and "D* = 229.1" in text and "89.99 %" in text
    assert "over 400" in text and "98.20 %" in text  # the article's claim beside the exact one
    Dv, V = v.volume_data()
    np.testing.assert_allclose(V, geometry.ball_volume(Dv))
    assert int(Dv[np.argmax(V)]) == 5
    np.testing.assert_allclose(v.ring_radii(), gs.equal_volume_radii(100)[1:], rtol=1e-9)
    edges = v.zoom_edges()
    np.testing.assert_allclose(edges[:, 1], gs.equal_volume_radii(100)[1:], rtol=1e-9)
    np.testing.assert_allclose(edges[1:, 0], edges[:-1, 1])  # the rings tile the radius
    alphas = v.ring_alphas()
    assert alphas[0] < 60 and alphas[-1] == 255  # pale inside, full at the rim
    geo.set(D=2, eps=0.05)
    assert v.marker_D() == pytest.approx(2)
    assert np.all(v.ring_alphas() == 255)  # in 2-D the chocolate is even
    x, y = v.shell_data()
    np.testing.assert_allclose(y, geometry.shell_fraction(x, 0.05), rtol=1e-12)
    Dc, _ = v.crossing_points()
    assert list(np.round(Dc).astype(int)) == [geometry.shell_crossing(0.05, f)
                                              for f in (0.5, 0.9, 0.99)]


def test_cube_view_draws_the_radii_and_the_spikes(no_leaks, qtbot, state):
    geo = geo_of(state)
    v = make_view(qtbot, state, "geometry-cube")
    for D in (1, 2, 4, 9, 10, 10_000):
        geo.set(D=D)
        r = v.blue_radii()
        assert r[2] == pytest.approx(geometry.inner_ball_radius(2))
        assert r[3] == pytest.approx(geometry.inner_ball_radius(3))
        assert r["D"] == pytest.approx(geometry.inner_ball_radius(D))
        spikes = v.spike_radii()
        if D == 1:
            np.testing.assert_allclose(spikes, 1.0)  # the segment [-1, 1]
            continue
        np.testing.assert_allclose(spikes[1::2], 2 * geometry.corner_distance(D))  # corners
        np.testing.assert_allclose(spikes[0::2], 1.0)  # the side-2 box's faces
        sticks = "sticks out" in v.caption.text
        assert sticks == (D > 9)
    x, log_share = v.share_data()
    np.testing.assert_allclose(log_share, geometry.log10_inscribed_ball_fraction(x))
    assert x[-1] == pytest.approx(10_000) and log_share[-1] < -16_000
    x, r = v.radius_data()
    np.testing.assert_allclose(r, geometry.inner_ball_radius(x))
    assert "D = 4 (0.5)" in v.numbers.text and "D = 9 (1)" in v.numbers.text


def test_angles_view_draws_the_sampled_histograms_and_exact_densities(no_leaks, qtbot, state):
    geo = geo_of(state)
    geo.set(D=500, sampler="ball")
    v = make_view(qtbot, state, "geometry-angles")
    assert v.wait_ready(10_000)
    assert v.panel_dims() == [2, 3, 50, 100, 500]
    sds = {}
    for D in v.panel_dims():
        theta = geometry.sample_angles(D, FAST["n_pairs"], sampler="ball", seed=0)
        edges, heights = v.histogram(D)
        np.testing.assert_array_equal(edges, gs.angle_edges(D))
        np.testing.assert_allclose(heights, hist_density(theta, edges))
        x, dens = v.density(D)
        np.testing.assert_allclose(dens, geometry.angle_density(x, D))
        sds[D] = theta.std()
    Dx, sd = v.sd_points()
    np.testing.assert_allclose(sd, [sds[int(round(d))] for d in Dx], rtol=1e-9)
    geo.set(angle_dims=(1, 2))
    assert v.wait_ready(10_000)
    assert v.panel_dims() == [1, 2, 500]
    x, dens = v.density(1)
    assert len(x) == 0  # no density in 1-D: the angle is 0 or 180
    edges, heights = v.histogram(1)
    assert heights[0] + heights[-1] == pytest.approx(1 / 2.0)  # all mass in the end bins


def test_grid_view_draws_the_empty_share_and_the_samples(no_leaks, qtbot, state):
    geo = geo_of(state)
    geo.set(N=300, b=4, seed=2)
    v = make_view(qtbot, state, "geometry-grid")
    assert v.wait_ready(10_000)
    x, y = v.expected_data()
    np.testing.assert_allclose(y, geometry.empty_cell_fraction(x, 300, 4))
    dims, empty = v.sampled_data()
    want = [geometry.sample_empty_cells(int(round(d)), 300, 4, seed=2).empty_fraction
            for d in dims]
    np.testing.assert_allclose(empty, want)
    assert int(round(dims[-1])) == 9  # 4^9 <= 10^6 < 4^10
    raw = geometry.sample_points(2, 300, seed=2)
    np.testing.assert_allclose(v.drawn_points(2), (raw + 1) * 2)
    cells = np.zeros((4, 4), bool)
    c = np.floor((raw + 1) * 2).astype(int)
    cells[c[:, 0], c[:, 1]] = True
    np.testing.assert_array_equal(v.shaded_cells(2), cells)
    assert f"{16 - cells.sum()} empty" in v.pic_titles[1].text


def test_distances_view_draws_the_distances_and_the_contrast(no_leaks, qtbot, state):
    geo = geo_of(state)
    geo.set(D=700)
    v = make_view(qtbot, state, "geometry-distances")
    assert v.wait_ready(10_000)
    n = FAST["n_points"]
    dist = geometry.query_distances(700, n, seed=0)
    edges, heights = v.histogram()
    np.testing.assert_allclose(heights, hist_density(dist / dist.max(), edges))
    Dx, rc = v.contrast_points()
    want = [geometry.relative_contrast(int(round(d)), n, seed=s)
            for d in gs.CONTRAST_DIMS for s in range(gs.CONTRAST_SEEDS)]
    np.testing.assert_allclose(rc, want)
    D, m = v.marker()
    assert D == pytest.approx(700) and m == pytest.approx(geometry.relative_contrast(700, n))
    geo.set(distance_kind="pairwise", n_points=200)
    assert v.wait_ready(10_000)
    edges, heights = v.histogram()
    pw = geometry.pairwise_distances(700, 200, seed=0)
    np.testing.assert_allclose(heights, hist_density(pw / pw.max(), edges))


def test_unchanged_input_is_not_redrawn_and_hidden_views_wait(no_leaks, qtbot, state):
    geo = geo_of(state)
    v = make_view(qtbot, state, "geometry-shell")
    n = v.draw_count
    for _ in range(5):
        v.refresh()  # the window's playback refreshes: nothing changed, nothing drawn
    assert v.draw_count == n
    v.hide()
    geo.set(D=400)
    assert v.draw_count == n  # hidden: only marked
    v.show()
    qtbot.waitExposed(v)
    assert v.draw_count == n + 1 and v.marker_D() == pytest.approx(400)


def test_theme_recolours_the_views(no_leaks, qtbot, state):
    from gui import theme as themes

    v = make_view(qtbot, state, "geometry-cube")
    v.apply_theme(themes.DARK)
    assert v.canvas.backgroundBrush().color().name() == themes.DARK.background
    assert v.blue2.pen().color().name().lower() == themes.DARK.peephole.lower()
    v.apply_theme(themes.LIGHT)
    assert v.blue2.pen().color().name().lower() == themes.LIGHT.peephole.lower()


# ---------------------------------------------------------------------------------------------
# the tab: controls, layout, fuzz
# ---------------------------------------------------------------------------------------------


def make_tab(qtbot, state, size=(1400, 800)):
    from gui.views.geometry_panel import GeometryTab

    views.load()
    made = [views.get(n)(state) for n in GEOMETRY_VIEWS]
    tab = views.tab_builder("Geometry")(state, made)
    assert isinstance(tab, GeometryTab)
    qtbot.addWidget(tab)
    tab.resize(*size)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_the_D_slider_drives_the_views(no_leaks, qtbot, state):
    tab = make_tab(qtbot, state)
    geo = tab.geo
    bar = tab.controls
    shell = tab.views[GEOMETRY_VIEWS.index("geometry-shell")]
    cube = tab.views[GEOMETRY_VIEWS.index("geometry-cube")]
    tab.tabs.setCurrentWidget(shell)
    pos = gs.d_to_slider(230)
    bar.slider.setValue(pos)
    D = gs.slider_to_d(pos)  # the slider's nearest D (229); the box and the presets hit any D
    assert abs(D - 230) <= 2 and geo.params.D == D and bar.spin.value() == D
    assert shell.marker_D() == pytest.approx(D)
    bar.slider.setValue(gs.SLIDER_MAX)
    assert geo.params.D == 10_000 and shell.marker_D() == pytest.approx(10_000)
    bar.spin.setValue(9)
    assert geo.params.D == 9 and bar.slider.value() == 8
    tab.tabs.setCurrentWidget(cube)  # a hidden view catches up when shown
    assert cube.blue_radii()["D"] == pytest.approx(1.0)
    bar.preset_buttons[400].click()
    assert geo.params.D == 400 and cube.blue_radii()["D"] == pytest.approx(
        geometry.inner_ball_radius(400))
    bar.eps.setValue(0.05)
    bar.N.setValue(1234)
    bar.b.setValue(3)
    bar.sampler.setCurrentIndex(2)
    bar.dims.setText("5, 6")
    bar.dims.editingFinished.emit()
    p = geo.params
    assert (p.eps, p.N, p.b, p.sampler, p.angle_dims) == (0.05, 1234, 3, "gaussian", (5, 6))
    geo.set(D=77)  # and the controls follow the state
    assert bar.spin.value() == 77 and gs.slider_to_d(bar.slider.value()) == 77
    assert geo.wait(10_000)
    tab.close()


def test_cancel_button_stops_sampling_at_D_10000(no_leaks, qtbot, state):
    tab = make_tab(qtbot, state)
    geo = tab.geo
    tab.tabs.setCurrentWidget(tab.views[GEOMETRY_VIEWS.index("geometry-angles")])
    geo.set(n_pairs=100_000)
    tab.controls.slider.setValue(gs.SLIDER_MAX)
    qtbot.waitUntil(lambda: geo.runner.fraction > 0.01, timeout=5_000)
    assert tab.controls.cancel.isEnabled()
    t0 = time.perf_counter()
    tab.controls.cancel.click()
    assert geo.runner.wait(2_000)
    assert time.perf_counter() - t0 < 0.5
    assert not tab.controls.cancel.isEnabled()
    assert tab.controls.progress.format() == "cancelled"
    angles = tab.views[GEOMETRY_VIEWS.index("geometry-angles")]
    panel = next(p for p in angles.panels if p.D == 10_000)
    assert "cancelled" in panel.note.toPlainText()
    tab.close()


def test_layout_grid_or_tabs(no_leaks, qtbot, state):
    tab = make_tab(qtbot, state, size=(1000, 700))
    assert tab.arrangement == "tabs" and tab.tabs.count() == 6
    tab.resize(1900, 1000)
    QtWidgets.QApplication.processEvents()
    assert tab.arrangement == "grid" and tab.tabs.count() == 0
    assert all(v.isVisible() for v in tab.views) and tab.claims.isVisible()
    tab.set_layout_mode("tabs")
    assert tab.arrangement == "tabs" and tab.controls.layout_box.currentText() == "tabs"
    with pytest.raises(ValueError, match="layout"):
        tab.set_layout_mode("stack")
    assert "230" in tab.claims.toPlainText() or tab.claims._dirty
    tab.tabs.setCurrentWidget(tab.claims)
    text = tab.claims.toPlainText()
    assert "90 % from D = 230" in text and "229.1" in text and "over 400" in text
    tab.close()


def test_random_control_actions_raise_nothing(no_leaks, qtbot, state):
    from gui import theme as themes

    tab = make_tab(qtbot, state)
    geo, bar = tab.geo, tab.controls
    rng = np.random.default_rng(5)

    def pick(seq):
        return seq[int(rng.integers(len(seq)))]

    actions = {
        "slider": lambda: bar.slider.setValue(int(rng.integers(0, gs.SLIDER_MAX + 1))),
        "spin": lambda: bar.spin.setValue(int(pick([1, 2, 9, 10, 229, 230, 9_999]))),
        "preset": lambda: pick(list(bar.preset_buttons.values())).click(),
        "N": lambda: bar.N.setValue(int(pick([1, 7, 100, 5_000]))),
        "b": lambda: bar.b.setValue(int(rng.integers(2, gs.B_MAX + 1))),
        "eps": lambda: bar.eps.setValue(float(pick([0.001, 0.01, 0.2, 0.5]))),
        "sampler": lambda: bar.sampler.setCurrentIndex(int(rng.integers(3))),
        "pairs": lambda: bar.pairs.setCurrentIndex(int(rng.integers(2))),
        "dims": lambda: (bar.dims.setText(pick(["2, 3", "1", "50, 100, 7", "x,,", ""])),
                         bar.dims.editingFinished.emit()),
        "kind": lambda: bar.kind.setCurrentIndex(int(rng.integers(2))),
        "points": lambda: bar.points.setCurrentIndex(int(rng.integers(3))),
        "resample": lambda: bar.resample.click(),
        "cancel": lambda: bar.cancel.click(),
        "layout": lambda: bar.layout_box.setCurrentIndex(int(rng.integers(3))),
        "subtab": lambda: tab.tabs.setCurrentIndex(int(rng.integers(6))),
        "resize": lambda: tab.resize(int(rng.integers(700, 1900)), int(rng.integers(500, 1100))),
        "theme": lambda: [v.apply_theme(pick([themes.LIGHT, themes.DARK])) for v in tab.views],
    }
    order = rng.permutation(list(actions) * 4)  # every action, four times, shuffled
    for i, name in enumerate(order):
        actions[name]()
        QtWidgets.QApplication.processEvents()
        if i % 20 == 0:
            qtbot.wait(10)
    geo.resume()
    assert geo.wait(20_000)
    QtWidgets.QApplication.processEvents()
    p = geo.params
    assert bar.spin.value() == p.D
    assert bar.slider.value() == gs.d_to_slider(p.D) or gs.slider_to_d(bar.slider.value()) == p.D
    for v in tab.views:
        if v.isVisible():
            assert v._drawn is not None and v._drawn[0] == p  # drawn for the final parameters
    tab.close()


def test_the_window_has_the_geometry_tab(no_leaks, qtbot):
    from gui.views.geometry_panel import GeometryTab

    from gui.main_window import MainWindow

    state = AppState()
    w = MainWindow(state)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.show_tab("Geometry")
    page = w.tabs.currentWidget().findChild(GeometryTab)
    assert isinstance(page, GeometryTab)
    assert [v.name for v in page.views] == list(GEOMETRY_VIEWS)
    assert all(w.view(n) is not None for n in GEOMETRY_VIEWS)
    page.geo.set(D=50, **FAST)
    assert page.geo.wait(10_000)
    state.set_cursor(state.cursor)  # a playback tick re-renders the tab: nothing breaks
    page.geo.cancel()
    w.close()


def test_options_round_trip_and_presentation_sizes(no_leaks, qtbot, state):
    from gui import theme as themes

    v = make_view(qtbot, state, "geometry-shell")
    opts = geo_of(state).settings()  # saved once per session, in its "geometry" section
    assert opts["D"] == 100 and opts["angle_dims"] == [2, 3, 50, 100]
    assert v.options() == {}
    v.set_options({"D": 42, "eps": 0.02, "not-a-parameter": 1})
    assert geo_of(state).params.D == 42 and v.marker_D() == pytest.approx(42)
    with pytest.raises(ValueError, match="eps"):
        v.set_options({"eps": 2.0})
    normal = v.font()
    v.apply_theme(themes.presentation(themes.LIGHT))
    assert float(v.font()[:-2]) == pytest.approx(1.5 * float(normal[:-2]))
    assert v.lw == pytest.approx(1.6 * 1.5)
