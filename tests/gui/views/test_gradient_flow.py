"""The gradient-flow view and gui.model.present.gradient_flow: curves equal sim.analysis, vanishing at spectral radius
0.5 and exploding at 2, the comparison model off the GUI thread, clipping marks, cursor marks."""

import threading

import numpy as np
import pytest
from gui.state import AppState
from gui.views.gradient_flow import GradientFlowView
from PySide6 import QtCore

from gui import colors
from gui.model.cursor import Cursor
from gui.model.present import gradient_flow as compare
from sim import analysis
from sim.run import SessionConfig, compute


def make_view(qtbot, config):
    state = AppState(config)
    v = GradientFlowView(state)
    qtbot.addWidget(v)
    v.setMinimumSize(1000, 700)  # a fixed minimum: no size-hint changes for the offscreen window
    v.resize(1200, 800)
    v.show()
    qtbot.waitExposed(v)
    v.render(state.result, state.cursor)
    return state, v


# -- gui.model.present.gradient_flow (pure) ---------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["SimpleRNN", "LSTM"])
def test_flow_curves_are_sim_analysis(model):
    r = compute(SessionConfig(model=model, hidden=5, length=9, peepholes=model == "LSTM"))
    cu = compare.flow_curves(r)
    gf = analysis.gradient_flow(r.forward)
    err = analysis.error_norms(r.backward.delta_by_source)
    np.testing.assert_array_equal(cu.error, err)
    np.testing.assert_allclose(cu.jacobian, gf.state, equal_nan=True)
    np.testing.assert_array_equal(cu.error_curve, analysis.by_distance(err))
    np.testing.assert_allclose(cu.jacobian_curve, analysis.by_distance(gf.state))
    assert cu.slope == analysis.slope_per_step(analysis.by_distance(gf.state))
    assert cu.error_slope == analysis.slope_per_step(analysis.by_distance(err))
    assert cu.radius == pytest.approx(analysis.recurrent_radius(r.forward.params))
    if model == "LSTM":
        np.testing.assert_allclose(cu.highway, gf.highway, equal_nan=True)
        assert cu.highway_slope == pytest.approx(
            analysis.slope_per_step(analysis.by_distance(gf.highway)))
    else:
        assert cu.highway is None and cu.highway_curve is None
    c0, rate = compare.geometric_fit(cu.jacobian_curve)
    assert rate == pytest.approx(cu.slope)


def test_cursor_points_are_a_row_forward_and_a_column_backward():
    r = compute(SessionConfig(model="SimpleRNN", hidden=4, length=8))
    cu = compare.flow_curves(r)
    fw = compare.cursor_points(cu, "forward", 5)
    assert fw.which == "jacobian"
    np.testing.assert_array_equal(fw.step, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(fw.distance, [4, 3, 2, 1, 0])
    np.testing.assert_array_equal(fw.value, cu.jacobian[4, :5])
    bw = compare.cursor_points(cu, "backward", 3)
    assert bw.which == "error"
    sources = [s for s in range(3, 9) if r.backward.loss_mask[s - 1]]  # every J(s), s >= 3
    np.testing.assert_array_equal(bw.step, sources)
    np.testing.assert_array_equal(bw.distance, np.array(sources) - 3)
    np.testing.assert_array_equal(
        bw.value, np.linalg.norm(r.backward.delta_by_source[np.array(sources) - 1, 2], axis=1))
    assert compare.cursor_points(cu, "update", 8).which == ""


def test_clip_report_matches_the_norms():
    r = compute(SessionConfig(model="LSTM", hidden=4, length=7))
    gps = r.backward.grads_per_step
    norms = np.sqrt(sum(np.sum(np.reshape(g, (g.shape[0], -1)) ** 2, axis=1)
                        for g in gps.values()))
    total = np.sqrt(sum(np.sum(g ** 2) for g in r.backward.grads.values()))
    tau = float(np.median(norms))
    rep = compare.clip_report(r.backward, tau)
    np.testing.assert_allclose(rep.step_norms, norms)
    assert rep.norm == pytest.approx(total)
    np.testing.assert_array_equal(rep.step_clipped, norms > tau)
    np.testing.assert_allclose(rep.step_scale, np.where(norms > tau, tau / norms, 1.0))
    assert rep.clipped == (total > tau)
    assert rep.scale == pytest.approx(tau / total if total > tau else 1.0)


def test_companion_is_the_other_kind_on_the_same_input():
    config = SessionConfig(model="SimpleRNN", hidden=5, length=9, radius=2.0, input_seed=3)
    comp = compare.companion(config)
    assert comp.result.config.model == "LSTM"
    assert comp.result.forward.n_hidden == 5 and comp.result.config.radius == 2.0
    mine = compute(config)
    np.testing.assert_array_equal(comp.result.forward.x, mine.forward.x)
    np.testing.assert_array_equal(comp.result.targets, mine.targets)
    assert compare.other_kind(compare.other_kind(config)) == config


# -- the view -------------------------------------------------------------------------------------

def test_curves_drawn_equal_sim_analysis(qtbot, no_leaks):
    state, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=6, peepholes=True))
    cu = compare.flow_curves(state.result)
    gf = analysis.gradient_flow(state.result.forward)
    for key, want in (("jacobian", analysis.by_distance(gf.state)),
                      ("highway", analysis.by_distance(gf.highway)),
                      ("error", analysis.by_distance(
                          analysis.error_norms(state.result.backward.delta_by_source)))):
        x, y = v.drawn_curve(key)
        ok = np.isfinite(want) & (want > 0)
        np.testing.assert_array_equal(x, np.arange(len(want))[ok])
        np.testing.assert_allclose(10 ** y, want[ok], rtol=1e-12)
    # the heat map: colour of cell (t, k) is the diverging colour of log10 ||dy(t)/dy(k)||
    m = v.maps[0]
    t, k = 9, 4
    want = colors.rgb("diverging", colors.signed_index(np.log10(cu.jacobian[t - 1, k - 1]),
                                                       v.decades))
    np.testing.assert_array_equal(m.rgba[t - 1, k - 1, :3], want)
    assert m.rgba[2, 7, 3] == 0  # k > t: transparent
    assert v.maps[1].shown and not v.maps[2].shown  # LSTM: state and highway


@pytest.mark.parametrize("radius, vanishing", [(0.5, True), (2.0, False)])
def test_simple_rnn_decays_or_grows_geometrically(qtbot, no_leaks, radius, vanishing):
    state, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=8, radius=radius))
    r = state.result
    gf = analysis.gradient_flow(r.forward)
    want = analysis.slope_per_step(analysis.by_distance(gf.state))
    shown = v.curves().slope
    assert shown == pytest.approx(want, rel=0.03)
    text = v.readout_text()
    assert f"ρ(W) = {radius:.2f}" in text
    assert f"×{float(f'{want:.3g}'):g}" in text or f"×{want:.3g}" in text
    J = v.curves().jacobian
    T = r.T
    d = np.subtract.outer(np.arange(T), np.arange(T))  # (T, T) t - k
    low = d >= 0
    if vanishing:
        assert shown < 1 and "vanishing" in text
        # W is 0.5 times an orthogonal matrix and |g'| <= 1: ||dh(t)/dh(k)|| <= 0.5^(t-k)
        assert np.all(J[low] <= 0.5 ** d[low] * (1 + 1e-9))
        assert v.curves().jacobian_curve[-1] < 0.5 ** (T - 2)
    else:
        assert shown > 1 and "exploding" in text
        assert v.curves().jacobian_curve[-1] > 1.5
        assert np.all(np.diff(v.curves().jacobian_curve[1:]) > 0)  # growing with distance


def test_radius_control_recomputes_the_session(qtbot, no_leaks):
    state, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6))
    v.set_radius(2.5)
    assert state.wait()
    assert state.config.radius == 2.5
    v.render(state.result, state.cursor)
    assert v.curves().radius == pytest.approx(2.5)
    assert "ρ(W) = 2.50" in v.readout_text()
    state.update_config(radius=0.7)  # from elsewhere (the session panel): the control follows
    assert state.wait()
    assert v.radius.value() == pytest.approx(0.7)


def test_comparison_model_runs_off_thread_and_lands(qtbot, no_leaks, monkeypatch):
    threads = []
    real = compare.companion

    def spy(config):
        threads.append(threading.get_ident())
        return real(config)

    monkeypatch.setattr(compare, "companion", spy)
    state, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6, radius=2.0))
    v.compare.setChecked(True)
    assert v.companion() is None  # not computed on the GUI thread
    assert "running" in v.busy.text()
    assert v.wait_ready()
    assert threads and threads[0] != threading.get_ident()
    comp = v.companion()
    assert comp is not None and comp.result.config.model == "LSTM"
    assert comp.config == state.result.config
    want = compare.flow_curves(compute(compare.other_kind(state.result.config)))
    x, y = v.drawn_curve("c_highway")
    np.testing.assert_allclose(10 ** y, want.highway_curve[np.isfinite(want.highway_curve)])
    assert "LSTM" in v.readout_text() and "same input" in v.readout_text()
    assert sum(m.shown for m in v.maps) == 3  # SimpleRNN, LSTM state, LSTM highway
    assert v.busy.text() == ""
    v.compare.setChecked(False)
    assert v.companion() is None
    assert len(v.drawn_curve("c_error")[0]) == 0


def test_large_sessions_compute_the_products_off_thread(qtbot, no_leaks, monkeypatch):
    monkeypatch.setattr(compare, "SYNC_COST", -1.0)  # every session counts as large
    state, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=5))
    assert v.curves() is None and "computing" in v.busy.text()
    v.render(state.result, Cursor("backward", 4))  # the cursor still works meanwhile
    assert v.wait_ready()
    assert v.curves() is not None
    np.testing.assert_allclose(v.curves().jacobian,
                               analysis.gradient_flow(state.result.forward).state, equal_nan=True)


def test_only_the_latest_request_waits(qtbot, no_leaks, monkeypatch):
    monkeypatch.setattr(compare, "SYNC_COST", -1.0)
    calls = []
    real = compare.flow_curves
    monkeypatch.setattr(compare, "flow_curves", lambda r: calls.append(r) or real(r))
    state, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=4))
    results = [compute(SessionConfig(model="SimpleRNN", hidden=4, seed=s)) for s in range(1, 6)]
    for r in results:
        v.render(r, Cursor("forward", 1))
        assert sum(w == "flow" for w, _ in v._jobs.values()) <= 1  # one runs, one waits
    assert v.wait_ready()
    assert len(calls) <= 3 and calls[-1] is results[-1]  # the stale ones in between never ran
    np.testing.assert_allclose(v.curves().jacobian,
                               analysis.gradient_flow(results[-1].forward).state, equal_nan=True)


def test_clipping_marks(qtbot, no_leaks):
    state, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6, radius=2.0))
    bt = state.result.backward
    norms = np.sqrt(sum(np.sum(np.reshape(g, (g.shape[0], -1)) ** 2, axis=1)
                        for g in bt.grads_per_step.values()))
    total = np.sqrt(sum(np.sum(g ** 2) for g in bt.grads.values()))
    tau = float(np.sort(norms)[len(norms) // 2])
    v.tau.setValue(tau)
    tau = v.threshold  # as the spin box rounded it
    cut, scale = v.clip_marks()
    np.testing.assert_array_equal(cut[:-1], norms > tau)
    np.testing.assert_allclose(scale[:-1], np.where(norms > tau, tau / norms, 1.0))
    assert cut[-1] == (total > tau)
    assert scale[-1] == pytest.approx(tau / total if total > tau else 1.0)
    n_cut = int(cut.sum())
    assert len(v.cut_stems.getData()[0]) == 2 * n_cut  # one red segment per clipped stem
    assert f"{int((norms > tau).sum())} of {state.T}" in v._clip_text
    v.render(state.result, Cursor("backward", 3))
    assert v.clip_cursor.isVisible() and np.mean(v.clip_cursor.getRegion()) == pytest.approx(3)
    # large threshold: nothing clipped
    v.tau.setValue(1e4)
    cut, scale = v.clip_marks()
    assert not cut.any() and np.all(scale == 1.0)
    # the threshold can become the session's clip
    v.apply_clip.setChecked(True)
    assert state.wait()
    assert state.config.clip == pytest.approx(1e4)
    v.apply_clip.setChecked(False)
    assert state.wait()
    assert state.config.clip is None


def test_cursor_marks_row_forward_and_column_backward(qtbot, no_leaks):
    state, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6))
    T = state.T
    v.render(state.result, Cursor("forward", 5))
    x, y = v.maps[0].outline.getData()
    assert (min(x), max(x), min(y), max(y)) == (0.5, 5.5, 4.5, 5.5)  # row t = 5, k = 1..5
    pts = v.cursor_points()
    assert pts.which == "jacobian" and list(pts.step) == [1, 2, 3, 4, 5]
    v.render(state.result, Cursor("backward", 4))
    x, y = v.maps[0].outline.getData()
    assert (min(x), max(x), min(y), max(y)) == (3.5, 4.5, 3.5, T + 0.5)  # column k = 4
    pts = v.cursor_points()
    assert pts.which == "error" and set(pts.step) <= set(range(4, T + 1))
    brushes = v.cursor_dots.data["brush"]
    for s, b in zip(pts.step, brushes, strict=True):
        assert b.color().name() == colors.source_hex(int(s)).lower()  # J(s)'s colour everywhere
    assert "backward t = 4" in v.cursor_caption.text
    v.render(state.result, Cursor("update", T))
    assert v.maps[0].outline.getData()[0] is None or len(v.maps[0].outline.getData()[0]) == 0
    assert np.mean(v.clip_cursor.getRegion()) == pytest.approx(T + 1.5)  # the summed gradient


def test_theme_and_export_style(qtbot, no_leaks):
    state, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=4))
    from gui import theme

    v.apply_theme(theme.DARK)
    v.set_export_style(True)
    img = v.grab().toImage()
    assert img.width() > 0
    bg = img.pixelColor(img.width() - 5, img.height() - 5).name()
    assert bg == theme.DARK.background
    assert v.graphics_item() is v.canvas.ci
    assert QtCore.QCoreApplication.instance() is not None


def test_options_round_trip_and_the_preset_turns_the_comparison_on(qapp):
    from gui.session_control import build_state

    from gui import export

    sess = session_io.load_preset("vanishing-gradients")
    state = build_state(sess)
    view = export.make_view("gradient-flow", state)
    view.set_options(sess.options["gradient-flow"])
    assert view.options()["compare"] is True
    assert view.wait_ready()
    assert view._companion is not None  # the LSTM on the same input has landed
    view.set_options({"compare": False, "threshold": 2.5})
    assert view.options() == {"compare": False, "threshold": 2.5}
    view.close()
