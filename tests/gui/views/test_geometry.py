"""The geometry panel: its jobs on the runner, the five views against sim.geometry, the tab.

Every view is checked by reading back what it drew (curve data, bar heights, marker positions,
radii) and comparing it with the sim.geometry function that defines it.
"""

import time
import weakref

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from gui import theme as themes
from gui import views
from gui.context import Context
from gui.frames import Painter, draw_now, make_frame
from gui.model.app_model import AppModel
from gui.model.present import geometry as gs
from sim import geometry

GEOMETRY_VIEWS = ("geometry-grid", "geometry-cube", "geometry-angles", "geometry-shell",
                  "geometry-distances")
FAST = {"n_pairs": 1_000, "n_points": 200}  # small samples keep the tests quick


@pytest.fixture
def ctx(qapp):
    c = Context(AppModel(compute_now=False))
    assert c.app.set_options("geometry", **FAST)
    yield c
    c.runner.cancel()
    assert c.runner.wait(5_000)
    c.close()


def geo(ctx) -> gs.GeometryParams:
    return ctx.app.options["geometry"]


def set_geo(ctx, **changes) -> None:
    assert ctx.app.set_options("geometry", **changes)


def settle(qtbot, ms: int = 30) -> None:
    """Let posted events, deferred refreshes and layouts run."""
    qtbot.wait(ms)
    QtWidgets.QApplication.processEvents()


def paint_on(ctx, owner, views_of) -> Painter:
    """A painter keeping ``views_of(owner)`` drawn from ``ctx`` (what the window does). It holds
    the owner weakly: a cycle painter <-> view would be collected late and crash the GC."""
    ref = weakref.ref(owner)

    def current():
        o = ref()
        return views_of(o) if o is not None else []

    painter = Painter(ctx, current, lambda: themes.get(ctx.app.theme))
    owner._painter = painter  # lives as long as the widget
    return painter


def make_view(qtbot, ctx, name, size=(1000, 640), show=True):
    views.load()
    v = views.get(name)(ctx)
    qtbot.addWidget(v)
    v.resize(*size)
    paint_on(ctx, v, lambda o: [o])
    if show:
        v.show()
        qtbot.waitExposed(v)
    v._painter.draw()
    return v


def hist_density(samples, edges):
    counts, _ = np.histogram(samples, edges)
    return counts / (samples.size * np.diff(edges))


# ---------------------------------------------------------------------------------------------
# the jobs on the one runner
# ---------------------------------------------------------------------------------------------


def test_runner_caches_lands_and_reports_progress(ctx, qtbot):
    runner = ctx.runner
    landed, progress = [], []
    runner.landed.connect(lambda job, _value: landed.append(job))
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


def test_a_key_nobody_wants_any_more_is_stopped(ctx, qtbot):
    runner = ctx.runner
    slow = gs.AnglesKey(10_000, 200_000, "cube", 0)
    fast = gs.AnglesKey(3, 100, "cube", 0)
    runner.request("view", [slow])
    qtbot.waitUntil(lambda: runner.fraction > 0.0, timeout=5_000)
    runner.request("view", [fast])  # the slider moved on
    assert runner.wait(3_000)
    assert runner.status(fast) == "ready" and runner.status(slow) == "idle"


def test_cancel_stops_a_D_10000_run_within_half_a_second(ctx, qtbot):
    runner = ctx.runner
    key = gs.delayed(gs.AnglesKey(10_000, 200_000, "cube", 0))  # ~10 s of work
    runner.request("view", [key])
    runner.wait(50, jobs=[])  # past the start delay
    qtbot.waitUntil(lambda: runner.fraction > 0.01, timeout=5_000)
    t0 = time.perf_counter()
    runner.cancel(predicate=gs.is_geometry_job)
    assert runner.wait(2_000)
    elapsed = time.perf_counter() - t0
    assert elapsed < 0.5, f"cancel took {elapsed:.3f} s"
    assert runner.status(key) == "cancelled" and not runner.busy
    runner.request("view", [key])  # the same question again does not restart it ...
    assert not runner.busy
    runner.resume(predicate=gs.is_geometry_job)  # ... a new parameter does (the tab resumes)
    assert runner.status(key) == "queued" and runner.busy  # after a short quiet time
    qtbot.waitUntil(lambda: runner.status(key) == "running", timeout=2_000)
    runner.release("view")  # nobody wants it: stopped again
    assert runner.wait(2_000) and runner.status(key) == "idle"


class _Other:
    """A job of another panel (not a geometry job)."""

    cost = 1.0

    def compute(self, progress, should_stop):
        while not should_stop():
            time.sleep(0.005)
        raise RuntimeError("stopped")


def test_cancel_and_resume_keep_to_the_geometry_jobs(ctx, qtbot):
    runner = ctx.runner
    other = _Other()
    mine = gs.AnglesKey(10_000, 200_000, "cube", 0)
    runner.request("other-panel", [other])
    runner.request("view", [mine])
    qtbot.waitUntil(lambda: len(runner.running()) == 2, timeout=5_000)
    runner.cancel(predicate=gs.is_geometry_job)  # the geometry Cancel
    qtbot.waitUntil(lambda: runner.status(mine) == "cancelled", timeout=2_000)
    assert runner.status(other) == "running"  # another panel's work goes on
    runner.cancel(owner="other-panel")  # the user cancels that one too
    qtbot.waitUntil(lambda: runner.status(other) == "cancelled", timeout=2_000)
    runner.resume(predicate=gs.is_geometry_job)  # D changed: only geometry may run again
    assert runner.status(other) == "cancelled" and runner.status(mine) in ("queued", "running")
    runner.release("view")
    runner.release("other-panel")
    assert runner.wait(3_000)


# ---------------------------------------------------------------------------------------------
# the views, each against its sim.geometry function
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GEOMETRY_VIEWS)
def test_every_view_renders_standalone(no_leaks, qtbot, ctx, name):
    v = make_view(qtbot, ctx, name, size=(900, 600), show=False)
    assert v.uses_session is False and v.tabs == ("Geometry",)
    assert draw_now(v, ctx, msecs=20_000)
    img = v.grab().toImage()
    assert (img.width(), img.height()) == (900, 600)
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(600, img.bytesPerLine())[:, :3600]
    painted = np.count_nonzero(arr.reshape(600, 900, 4)[..., :3].min(axis=2) < 200)
    assert painted > 5_000  # curves, pictures and text, not a blank canvas
    assert all(ctx.runner.status(k) == "ready" for k in v.sample_keys(geo(ctx)))


def test_export_of_a_view_through_its_graphics_item(no_leaks, qtbot, ctx):
    import pyqtgraph.exporters as exporters

    v = make_view(qtbot, ctx, "geometry-shell", show=False)
    assert draw_now(v, ctx, export=True, msecs=5_000)
    assert v.exporting and v.lw == pytest.approx(2.0)
    img = exporters.ImageExporter(v.graphics_item())
    img.parameters()["width"] = 1200
    out = img.export(toBytes=True)
    assert isinstance(out, QtGui.QImage) and out.width() == 1200


def test_shell_view_draws_the_shell_fraction_and_its_crossings(no_leaks, qtbot, ctx):
    v = make_view(qtbot, ctx, "geometry-shell")
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
    set_geo(ctx, D=2, eps=0.05)
    assert v.marker_D() == pytest.approx(2)
    assert np.all(v.ring_alphas() == 255)  # in 2-D the chocolate is even
    x, y = v.shell_data()
    np.testing.assert_allclose(y, geometry.shell_fraction(x, 0.05), rtol=1e-12)
    Dc, _ = v.crossing_points()
    assert list(np.round(Dc).astype(int)) == [geometry.shell_crossing(0.05, f)
                                              for f in (0.5, 0.9, 0.99)]


def test_cube_view_draws_the_radii_and_the_spikes(no_leaks, qtbot, ctx):
    v = make_view(qtbot, ctx, "geometry-cube")
    for D in (1, 2, 4, 9, 10, 10_000):
        set_geo(ctx, D=D)
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


def test_angles_view_draws_the_sampled_histograms_and_exact_densities(no_leaks, qtbot, ctx):
    set_geo(ctx, D=500, sampler="ball")
    v = make_view(qtbot, ctx, "geometry-angles")
    assert draw_now(v, ctx, msecs=10_000)
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
    D_sd, exact = v.sd_exact.xData, v.sd_exact.yData  # the exact sd curve landed as a job
    assert len(D_sd) > 50
    np.testing.assert_allclose(exact, geometry.angle_sd(np.round(D_sd).astype(int)))
    set_geo(ctx, angle_dims=(1, 2))
    assert draw_now(v, ctx, msecs=10_000)
    assert v.panel_dims() == [1, 2, 500]
    x, dens = v.density(1)
    assert len(x) == 0  # no density in 1-D: the angle is 0 or 180
    edges, heights = v.histogram(1)
    assert heights[0] + heights[-1] == pytest.approx(1 / 2.0)  # all mass in the end bins


def test_grid_view_draws_the_empty_share_and_the_samples(no_leaks, qtbot, ctx):
    set_geo(ctx, N=300, b=4, seed=2)
    v = make_view(qtbot, ctx, "geometry-grid")
    assert draw_now(v, ctx, msecs=10_000)
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


def test_distances_view_draws_the_distances_and_the_contrast(no_leaks, qtbot, ctx):
    set_geo(ctx, D=700)
    v = make_view(qtbot, ctx, "geometry-distances")
    assert draw_now(v, ctx, msecs=10_000)
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
    set_geo(ctx, distance_kind="pairwise", n_points=200)
    assert draw_now(v, ctx, msecs=10_000)
    edges, heights = v.histogram()
    pw = geometry.pairwise_distances(700, 200, seed=0)
    np.testing.assert_allclose(heights, hist_density(pw / pw.max(), edges))


def test_samples_land_after_the_start_delay_and_are_drawn(no_leaks, qtbot, ctx):
    v = make_view(qtbot, ctx, "geometry-distances")
    assert "sampling" in v.hist_note.toPlainText()  # closed forms now, samples later
    jobs = v.needs(v.frame)
    assert all(j.delay_ms == gs.START_DELAY_MS for j in jobs.values())
    qtbot.waitUntil(lambda: v.marker() is not None, timeout=10_000)
    assert v.hist_note.toPlainText() == ""


def test_unchanged_input_is_not_redrawn_and_views_behind_wait(no_leaks, qtbot, ctx):
    v = make_view(qtbot, ctx, "geometry-shell")
    v.in_panel = True  # as in the tab: drawn while in front ("all" by default)
    n = v.draw_count
    for _ in range(5):
        v._painter.draw()  # the window's playback refreshes: nothing changed, nothing drawn
    assert v.draw_count == n
    ctx.app.set_options("geometry-panel", user=False, front="geometry-cube")
    set_geo(ctx, D=400)
    assert v.draw_count == n and v.needs(v.frame) == {}  # behind another: no drawing, no jobs
    assert v.marker_D() != pytest.approx(400)
    ctx.app.set_options("geometry-panel", user=False, front="geometry-shell")
    assert v.draw_count == n + 1 and v.marker_D() == pytest.approx(400)


def test_theme_recolours_the_views(no_leaks, qtbot, ctx):
    v = make_view(qtbot, ctx, "geometry-cube")
    ctx.app.set_theme("dark")
    assert v.canvas.backgroundBrush().color().name() == themes.DARK.background
    assert v.blue2.pen().color().name().lower() == themes.DARK.peephole.lower()
    ctx.app.set_theme("light")
    assert v.blue2.pen().color().name().lower() == themes.LIGHT.peephole.lower()


def test_options_round_trip_and_presentation_sizes(no_leaks, qtbot, ctx):
    v = make_view(qtbot, ctx, "geometry-shell")
    opts = geo(ctx).to_dict()  # saved once per session, in its "geometry" section
    assert opts["D"] == 100 and list(opts["angle_dims"]) == [2, 3, 50, 100]
    errors = []
    ctx.app.error.connect(errors.append)
    assert not ctx.app.set_options("geometry", D=42, eps=0.02, **{"not-a-parameter": 1})
    assert geo(ctx).D == 100 and "not-a-parameter" in errors[-1]  # unknown keys refused
    set_geo(ctx, D=42, eps=0.02)
    assert geo(ctx).D == 42 and v.marker_D() == pytest.approx(42)
    assert not ctx.app.set_options("geometry", eps=2.0)
    assert "eps" in errors[-1] and geo(ctx).eps == 0.02
    normal = v.font()
    v.draw(make_frame(ctx.app, theme=themes.presentation(themes.LIGHT)))
    assert float(v.font()[:-2]) == pytest.approx(1.5 * float(normal[:-2]))
    assert v.lw == pytest.approx(1.6 * 1.5)


# ---------------------------------------------------------------------------------------------
# the tab: controls, layout, fuzz
# ---------------------------------------------------------------------------------------------


def make_tab(qtbot, ctx, size=(1400, 800)):
    from gui.views.geometry.panel import GeometryTab

    views.load()
    made = [views.get(n)(ctx) for n in GEOMETRY_VIEWS]
    tab = views.tab_builder("Geometry")(ctx, made)
    assert isinstance(tab, GeometryTab)
    qtbot.addWidget(tab)
    paint_on(ctx, tab, lambda t: t.views)
    tab.resize(*size)
    tab.show()
    qtbot.waitExposed(tab)
    tab._painter.draw()
    settle(qtbot)
    return tab


def test_the_D_slider_drives_the_views(no_leaks, qtbot, ctx):
    tab = make_tab(qtbot, ctx)
    bar = tab.controls
    shell = tab.views[GEOMETRY_VIEWS.index("geometry-shell")]
    cube = tab.views[GEOMETRY_VIEWS.index("geometry-cube")]
    tab.tabs.setCurrentWidget(shell)
    assert ctx.app.options["geometry-panel"].front == "geometry-shell"
    assert not shell.built  # built the first time it is in front, in a later timer tick
    qtbot.waitUntil(lambda: shell.built, timeout=5_000)
    assert shell.draw_count == 1
    # built after it got its size: its figure still fills it
    assert shell.canvas.ci.geometry().height() == pytest.approx(shell.canvas.height(), abs=2)
    pos = gs.d_to_slider(230)
    bar.slider.setValue(pos)
    D = gs.slider_to_d(pos)  # the slider's nearest D (229); the box and the presets hit any D
    assert abs(D - 230) <= 2 and geo(ctx).D == D and bar.spin.value() == D
    assert shell.marker_D() == pytest.approx(D)
    bar.slider.setValue(gs.SLIDER_MAX)
    assert geo(ctx).D == 10_000 and shell.marker_D() == pytest.approx(10_000)
    bar.spin.setValue(9)
    assert geo(ctx).D == 9 and bar.slider.value() == 8
    tab.tabs.setCurrentWidget(cube)  # a view behind catches up when brought forward
    qtbot.waitUntil(lambda: cube.built and cube.draw_count > 0, timeout=5_000)
    assert cube.blue_radii()["D"] == pytest.approx(1.0)
    bar.preset_buttons[400].click()
    assert geo(ctx).D == 400 and cube.blue_radii()["D"] == pytest.approx(
        geometry.inner_ball_radius(400))
    bar.eps.setValue(0.05)
    bar.N.setValue(1234)
    bar.b.setValue(3)
    bar.sampler.setCurrentIndex(2)
    bar.dims.setText("5, 6")
    bar.dims.editingFinished.emit()
    p = geo(ctx)
    assert (p.eps, p.N, p.b, p.sampler, p.angle_dims) == (0.05, 1234, 3, "gaussian", (5, 6))
    set_geo(ctx, D=77)  # and the controls follow the model
    assert bar.spin.value() == 77 and gs.slider_to_d(bar.slider.value()) == 77
    assert ctx.runner.wait(10_000)
    tab.close()


def test_cancel_button_stops_sampling_at_D_10000(no_leaks, qtbot, ctx):
    tab = make_tab(qtbot, ctx)
    runner = ctx.runner
    angles = tab.views[GEOMETRY_VIEWS.index("geometry-angles")]
    tab.tabs.setCurrentWidget(angles)
    qtbot.waitUntil(lambda: angles.built, timeout=5_000)
    set_geo(ctx, n_pairs=100_000)
    tab.controls.slider.setValue(gs.SLIDER_MAX)
    qtbot.waitUntil(lambda: any(getattr(j, "D", 0) == 10_000 for j in runner.running())
                    and runner.fraction > 0.01, timeout=5_000)

    def lower_drawn():
        lower = [p for p in angles.panels if p.D is not None and p.D < 10_000]
        return lower and all(np.sum(p.bars.getData()[1]) > 0 for p in lower)

    qtbot.waitUntil(lower_drawn, timeout=10_000)  # the lower dimensions have finished
    assert any(getattr(j, "D", 0) == 10_000 for j in runner.running())
    assert tab.controls.cancel.isEnabled()
    t0 = time.perf_counter()
    tab.controls.cancel.click()
    assert runner.wait(2_000)
    assert time.perf_counter() - t0 < 0.5
    assert not tab.controls.cancel.isEnabled()
    assert tab.controls.progress.format() == "cancelled"
    settle(qtbot)
    panel = next(p for p in angles.panels if p.D == 10_000)
    assert "cancelled" in panel.note.toPlainText()
    finished = [p for p in angles.panels if p.D is not None and p.D < 10_000]  # kept
    assert finished
    for p in finished:
        x, y = p.bars.getData()
        assert y is not None and np.sum(y) > 0, f"D = {p.D}: its histogram was dropped"
        assert "cancelled" not in p.note.toPlainText()
    set_geo(ctx, n_pairs=1_000)  # a new question: sampling again
    assert tab.controls.progress.format() != "cancelled"
    qtbot.waitUntil(lambda: "cancelled" not in panel.note.toPlainText(), timeout=10_000)
    tab.close()


def test_only_the_view_in_front_samples(no_leaks, qtbot, ctx):
    tab = make_tab(qtbot, ctx, size=(1000, 700))
    assert tab.arrangement == "tabs"
    shell = tab.views[GEOMETRY_VIEWS.index("geometry-shell")]
    tab.tabs.setCurrentWidget(shell)  # closed forms only: nothing to sample
    assert ctx.runner.wait(10_000)
    counts = [v.draw_count for v in tab.views]
    set_geo(ctx, D=333)
    settle(qtbot)
    assert not tab.busy() and all(v.asked == () for v in tab.views)
    assert [v.draw_count for v in tab.views] == [c + (v is shell) for v, c in
                                                  zip(tab.views, counts, strict=True)]
    tab.show_view("geometry-distances")  # sampling starts before the view is built
    assert ctx.app.options["geometry-panel"].front == "geometry-distances"
    dist = tab.views[GEOMETRY_VIEWS.index("geometry-distances")]
    assert set(dist.asked) == {gs.distances_key(geo(ctx)), gs.contrast_key(geo(ctx))}
    assert ctx.runner.wait(10_000)
    tab.close()


def test_layout_grid_or_tabs(no_leaks, qtbot, ctx):
    tab = make_tab(qtbot, ctx, size=(1000, 700))
    assert tab.arrangement == "tabs" and tab.tabs.count() == 6
    tab.resize(1900, 1000)
    QtWidgets.QApplication.processEvents()
    assert tab.arrangement == "grid" and tab.tabs.count() == 0
    assert ctx.app.options["geometry-panel"].front == "all"
    assert all(v.isVisible() for v in tab.views) and tab.claims.isVisible()
    assert not any(v.details for v in tab.views)  # the claims table beside holds the numbers
    tab.set_layout_mode("tabs")
    assert tab.arrangement == "tabs" and tab.controls.layout_box.currentText() == "tabs"
    assert ctx.app.options["geometry-panel"].layout == "tabs"
    with pytest.raises(ValueError, match="layout"):
        tab.set_layout_mode("stack")
    assert "230" in tab.claims.toPlainText() or tab.claims._dirty
    tab.tabs.setCurrentWidget(tab.claims)
    assert ctx.app.options["geometry-panel"].front == "claims"
    settle(qtbot)
    text = tab.claims.toPlainText()
    assert "90 % from D = 230" in text and "229.1" in text and "over 400" in text
    tab.controls.layout_box.setCurrentIndex(1)  # "grid", from the control
    assert tab.arrangement == "grid"
    tab.close()


def test_the_grid_draws_one_view_per_tick(no_leaks, qtbot, ctx):
    ctx.app.set_options("geometry-panel", user=False, layout="grid")
    tab = make_tab(qtbot, ctx, size=(1000, 700))  # forced: a grid even in a small tab
    assert tab.arrangement == "grid"
    # built one a tick, then drawn one a tick
    qtbot.waitUntil(lambda: all(v.built and v.draw_count >= 1 for v in tab.views),
                    timeout=10_000)
    counts = [v.draw_count for v in tab.views]
    set_geo(ctx, D=321)
    assert len(tab.steps) == len(tab.views)  # queued, nothing drawn yet
    assert [v.draw_count for v in tab.views] == counts
    tab.steps._step()  # one tick: one view
    assert sum(v.draw_count for v in tab.views) == sum(counts) + 1
    tab.steps.flush()
    assert all(v._drawn[0].D == 321 for v in tab.views)
    tab.close()


def test_random_control_actions_raise_nothing(no_leaks, qtbot, ctx):
    tab = make_tab(qtbot, ctx)
    bar = tab.controls
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
        "theme": lambda: ctx.app.set_theme(pick(["light", "dark"])),
    }
    order = rng.permutation(list(actions) * 4)  # every action, four times, shuffled
    for i, name in enumerate(order):
        actions[name]()
        QtWidgets.QApplication.processEvents()
        if i % 20 == 0:
            qtbot.wait(10)
    ctx.runner.resume()
    assert ctx.runner.wait(20_000)
    settle(qtbot, 100)
    p = geo(ctx)
    assert bar.spin.value() == p.D
    assert bar.slider.value() == gs.d_to_slider(p.D) or gs.slider_to_d(bar.slider.value()) == p.D
    for v in tab.views:
        if v.isVisible():
            assert v._drawn is not None and v._drawn[0] == p  # drawn for the final parameters
    tab.close()


def test_the_window_has_the_geometry_tab(window, qtbot):
    from gui.views.geometry.panel import GeometryTab

    w = window
    assert w.show_tab("Geometry")
    page = w.tabs.currentWidget().findChild(GeometryTab)
    assert isinstance(page, GeometryTab)
    assert [v.name for v in page.views] == list(GEOMETRY_VIEWS)
    assert all(w.view(n) is not None for n in GEOMETRY_VIEWS)
    assert w.open_view("geometry-shell")
    assert w.app.options["geometry-panel"].front in ("geometry-shell", "all")
    assert w.app.set_options("geometry", D=50, **FAST)
    assert w.ctx.runner.wait(10_000)
    shell = w.view("geometry-shell")
    qtbot.waitUntil(lambda: shell.built and shell.draw_count > 0, timeout=5_000)
    assert shell.marker_D() == pytest.approx(50)
    w.app.set_cursor(w.app.cursor)  # a playback tick re-renders the tab: nothing breaks
    w.ctx.runner.cancel(predicate=gs.is_geometry_job)
