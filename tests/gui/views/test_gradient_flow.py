"""The gradient-flow view: curves equal sim.analysis, vanishing at spectral radius 0.5 and
exploding at 2, the Jacobian products and the two compared kinds (SimpleRNN, LSTM, GRU side by
side) as jobs off the GUI thread, each landing on its own, the session's clipping (off, global,
per step), cursor marks, theme and export, options."""

import threading
import time

import numpy as np
import pytest
from PySide6 import QtCore

from gui import colors
from gui import theme as themes
from gui.context import Context
from gui.frames import frame_for, owner_of
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present import gradient_flow as compare
from gui.model.present.numbers import fmt
from gui.views.gradient_flow import GradientFlowView
from sim import analysis
from sim.run import SessionConfig, compute

from ..conftest import draw_waiting


def make_view(qtbot, config, **options):
    ctx = Context(AppModel(config))
    if options:
        ctx.app.set_options("gradient-flow", **options)
    v = GradientFlowView(ctx)
    qtbot.addWidget(v)
    v.setMinimumSize(1000, 700)  # a fixed minimum: no size-hint changes for the offscreen window
    v.resize(1200, 800)
    v.show()
    qtbot.waitExposed(v)
    draw_waiting(v, ctx)
    return ctx, v


def settle(ctx, v, cursor=None):
    """Land the session's pending run and draw the view with its jobs."""
    if ctx.app.pending is not None:
        ctx.app.compute_now()
    draw_waiting(v, ctx, cursor)


def test_curves_drawn_equal_sim_analysis(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=6, peepholes=True))
    result = ctx.app.result
    cu = compare.flow_curves(result)
    gf = analysis.gradient_flow(result.forward)
    for key, want in (("jacobian", analysis.by_distance(gf.state)),
                      ("highway", analysis.by_distance(gf.highway)),
                      ("error", analysis.by_distance(
                          analysis.error_norms(result.backward.delta_by_source)))):
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
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=8, radius=radius))
    r = ctx.app.result
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
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6))
    v.radius.setValue(2.5)
    assert ctx.app.config.radius == 2.5
    settle(ctx, v)
    assert v.curves().radius == pytest.approx(2.5)
    assert "ρ(W) = 2.50" in v.readout_text()
    ctx.app.update_config(radius=0.7)  # from elsewhere (the session panel): the control follows
    settle(ctx, v)
    assert v.radius.value() == pytest.approx(0.7)


def test_comparison_model_runs_off_thread_and_lands(qtbot, no_leaks, monkeypatch):
    threads = []
    real = compare.companion

    def spy(config, kind, **kw):
        threads.append(threading.get_ident())
        return real(config, kind, **kw)

    monkeypatch.setattr(compare, "companion", spy)
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6, radius=2.0))
    assert v.compare.text() == "Compare with LSTM and GRU"
    v.compare.setChecked(True)
    assert ctx.app.options["gradient-flow"].compare
    v.draw(frame_for(v, ctx))  # as the window draws: the jobs are asked for, not waited for
    assert v.companions() == {}  # not computed on the GUI thread
    assert "running" in v.busy.text() and "computing" in v.readout_text()
    draw_waiting(v, ctx)
    assert threads and all(t != threading.get_ident() for t in threads)
    assert len(threads) == 2  # one job per compared kind
    comp = v.companion("LSTM")
    assert comp is not None and comp.result.config.model == "LSTM"
    assert comp.config == ctx.app.result.config
    want = compare.flow_curves(compute(compare.companion_config(ctx.app.result.config, "LSTM")))
    x, y = v.drawn_curve("highway", kind="LSTM")
    np.testing.assert_allclose(10 ** y, want.highway_curve[np.isfinite(want.highway_curve)])
    assert "LSTM" in v.readout_text() and "same input" in v.readout_text()
    assert sum(m.shown for m in v.maps) == 3  # SimpleRNN, LSTM* state, GRU* state
    assert v.busy.text() == ""
    v.compare.setChecked(False)
    draw_waiting(v, ctx)
    assert v.companions() == {}
    for kind in ("LSTM", "GRU"):
        assert len(v.drawn_curve("error", kind=kind)[0]) == 0
    assert not v.kinds.panels and not any(k.shown for k in v.kinds.plots)
    assert not any(isinstance(j, compare.CompanionJob) for j in ctx.runner._cache)  # dropped


@pytest.mark.parametrize("model, others", [("SimpleRNN", ("LSTM", "GRU")),
                                           ("LSTM", ("SimpleRNN", "GRU")),
                                           ("GRU", ("SimpleRNN", "LSTM"))])
def test_the_two_other_kinds_land_side_by_side(qtbot, no_leaks, model, others):
    config = SessionConfig(model=model, hidden=4, length=8, radius=0.9,
                           peepholes=model == "LSTM")
    ctx, v = make_view(qtbot, config, compare=True)
    session = ctx.app.result.config
    assert compare.companion_kinds(session) == others
    assert set(v.companions()) == set(others)
    assert [p.kind for p in v.kinds.panels] == ["SimpleRNN", "LSTM", "GRU"]
    assert [p.session for p in v.kinds.panels] == [k == model for k in ("SimpleRNN", "LSTM",
                                                                          "GRU")]
    for kind in ("SimpleRNN", "LSTM", "GRU"):
        if kind == model:
            want = compare.flow_curves(ctx.app.result)
        else:
            other = compare.companion_config(session, kind)
            assert other.model == kind and other.hidden == 4 and other.radius == 0.9
            assert v.companion(kind).result.config == other
            want = compare.flow_curves(compute(other))
            np.testing.assert_array_equal(v.companion(kind).result.forward.x,
                                          ctx.app.result.forward.x)  # the same input
        for key in ("error", "jacobian", "highway"):
            curve = getattr(want, f"{key}_curve")
            x, y = v.drawn_curve(key, kind=kind)
            if curve is None:
                assert len(x) == 0
                continue
            ok = np.isfinite(curve) & (curve > 0)
            np.testing.assert_array_equal(x, np.arange(len(curve))[ok])
            np.testing.assert_allclose(10 ** y, curve[ok], rtol=1e-12)
        plot = next(k for k in v.kinds.plots if k.kind == kind)
        assert plot.title.text.startswith(f"<b>{kind}</b>")
        assert ("(the session)" in plot.title.text) == (kind == model)
        assert f"×{fmt(want.slope)}" in plot.title.text
    # one log scale for the three: every drawn curve inside it, the same range on each plot
    lo, hi = v.kinds.range
    for k in v.kinds.plots:
        assert k.plot.viewRange()[1] == pytest.approx([lo, hi])
        for key in ("error", "jacobian", "highway"):
            _, y = k.drawn(key)
            assert np.all((y >= lo) & (y <= hi))
    # the heat maps: the session's (and its highway) and each compared kind's products
    shown = [m for m in v.maps if m.shown]
    assert len(shown) == (4 if model == "LSTM" else 3)
    titles = [m.title.text for m in shown]
    for kind in others:
        assert any(t.startswith(f"{kind}*") for t in titles)
    assert "highway" in v.distance.legend.text  # an LSTM among the three: its colour explained


def test_each_kind_lands_on_its_own_and_can_be_cancelled(qtbot, no_leaks, monkeypatch):
    gate = threading.Event()
    real = compare.companion

    def slow_gru(config, kind, **kw):
        if kind == "GRU":
            assert gate.wait(30)
        return real(config, kind, **kw)

    monkeypatch.setattr(compare, "companion", slow_gru)
    ctx = Context(AppModel(SessionConfig(model="SimpleRNN", hidden=4, length=8)))
    ctx.app.set_options("gradient-flow", compare=True)
    v = GradientFlowView(ctx)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    frame = frame_for(v, ctx)
    jobs = {j.kind: j for j in v.needs(frame).values() if isinstance(j, compare.CompanionJob)}
    assert set(jobs) == {"LSTM", "GRU"} and jobs["LSTM"] != jobs["GRU"]
    assert ctx.runner.wait(60_000, jobs=[jobs["LSTM"]])
    v.draw(frame_for(v, ctx))
    assert set(v.companions()) == {"LSTM"}  # the LSTM landed while the GRU still runs
    assert "GRU" in v.busy.text() and "LSTM" not in v.busy.text()
    assert "<b>GRU</b>*: computing…" in v.readout_text()
    gru_plot = next(k for k in v.kinds.plots if k.kind == "GRU")
    assert "computing…" in gru_plot.title.text and gru_plot.note.toPlainText() == "computing…"
    assert len(v.drawn_curve("jacobian", kind="LSTM")[0]) > 0
    assert len(v.drawn_curve("jacobian", kind="GRU")[0]) == 0
    ctx.runner.cancel(predicate=lambda j: isinstance(j, compare.CompanionJob) and j.kind == "GRU")
    gate.set()
    assert ctx.runner.wait(60_000)
    assert ctx.runner.status(jobs["GRU"]) == "cancelled"
    assert ctx.runner.result(jobs["LSTM"]) is not None  # the other one stays
    draw_waiting(v, ctx)  # asking again (as the window's retry does) runs it
    assert set(v.companions()) == {"LSTM", "GRU"}


def test_large_sessions_compute_the_products_off_thread(qtbot, no_leaks, monkeypatch):
    threads = []
    real = compare.flow_curves

    def spy(result, **kw):
        threads.append(threading.get_ident())
        return real(result, **kw)

    monkeypatch.setattr(compare, "flow_curves", spy)
    ctx = Context(AppModel(SessionConfig(model="LSTM", hidden=5)))
    v = GradientFlowView(ctx)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    v.draw(frame_for(v, ctx))  # every session: a job, so nothing waits here
    assert v.curves() is None and "computing" in v.busy.text()
    assert "computing" in v.readout_text() and v.maps[0].note.toPlainText() == "computing…"
    assert v.maps[0].rgba.shape == (ctx.app.T, ctx.app.T, 4)  # an empty map of the session's size
    # the errors and clipping are drawn at once, and the cursor still works meanwhile
    assert len(v.drawn_curve("error")[0]) > 0 and len(v.clip_marks()[0]) == ctx.app.T + 1
    ctx.app.set_cursor(Cursor("backward", 4))
    v.draw(frame_for(v, ctx))
    assert v.cursor_points().which == "error"
    draw_waiting(v, ctx)
    assert threads and all(t != threading.get_ident() for t in threads)
    assert v.curves() is not None and v.busy.text() == ""
    np.testing.assert_allclose(v.curves().jacobian,
                               analysis.gradient_flow(ctx.app.result.forward).state,
                               equal_nan=True)


def test_only_the_latest_request_waits(qtbot, no_leaks, monkeypatch):
    calls = []
    real = compare.flow_curves
    monkeypatch.setattr(compare, "flow_curves",
                        lambda r, **kw: calls.append(r) or real(r, **kw))
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=4))
    calls.clear()
    results = [compute(SessionConfig(model="SimpleRNN", hidden=4, seed=s)) for s in range(1, 6)]
    for r in results:
        ctx.app.land(ctx.app.pending or _request(ctx.app), r)
        v.draw(frame_for(v, ctx))
        wanted = [j for j in ctx.runner.wanted(owner_of(v))
                  if isinstance(j, compare.FlowJob)]
        assert len(wanted) == 1 and wanted[0].result is r  # only the latest is wanted
    draw_waiting(v, ctx)
    assert len(calls) <= 3 and calls[-1] is results[-1]  # the stale ones in between never ran
    np.testing.assert_allclose(v.curves().jacobian,
                               analysis.gradient_flow(results[-1].forward).state, equal_nan=True)


def _request(app):
    app.update_config(input_seed=app.config.input_seed)  # a request the next result answers
    app._request()
    return app.pending


def _norms(result):
    bt = result.backward
    norms = np.sqrt(sum(np.sum(np.reshape(g, (g.shape[0], -1)) ** 2, axis=1)
                        for g in bt.grads_per_step.values()))
    total = np.sqrt(sum(np.sum(g ** 2) for g in bt.grads.values()))
    return norms, total


def test_clipping_marks(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6, radius=2.0))
    norms, total = _norms(ctx.app.result)
    T = ctx.app.T
    assert not v.tau.isEnabled() and not v.clip_mode.isEnabled()  # clipping is off
    tau = float(np.sort(norms)[len(norms) // 2])
    v.clip_box.setChecked(True)
    v.tau.setValue(tau)
    settle(ctx, v)
    assert v.tau.isEnabled() and v.clip_mode.isEnabled()
    tau = v.threshold  # as the spin box rounded it
    assert ctx.app.config.clip == tau and ctx.app.result.config.clip == tau
    cut, scale = v.clip_marks()
    # global clipping (the default, the articles' pseudo-code): the whole g is scaled by
    # τ/‖g‖, so every step's bar is cut by the same factor (issue 11, item 6; the picture once
    # cut each bar at τ, which is per-step clipping)
    assert total > tau
    np.testing.assert_array_equal(cut[:-1], norms > 0)
    np.testing.assert_allclose(scale[:-1], np.where(norms > 0, tau / total, 1.0))
    assert cut[-1] == (total > tau)
    assert scale[-1] == pytest.approx(tau / total if total > tau else 1.0)
    assert "pseudo-code" in v.clip_text
    n_cut = int(cut.sum())
    assert len(v.cut_stems.getData()[0]) == 2 * n_cut  # one red segment per clipped stem
    assert f"{int((norms > tau).sum())} of {T}" in v.clip_text
    assert v.clipping.tau_line.isVisible()
    settle(ctx, v, Cursor("backward", 3))
    assert v.clip_cursor.isVisible() and np.mean(v.clip_cursor.getRegion()) == pytest.approx(3)
    # large threshold: nothing clipped
    v.tau.setValue(1e4)
    settle(ctx, v)
    cut, scale = v.clip_marks()
    assert not cut.any() and np.all(scale == 1.0)
    assert ctx.app.config.clip == pytest.approx(1e4)
    # turning clipping off and on keeps τ
    v.clip_box.setChecked(False)
    settle(ctx, v)
    assert ctx.app.config.clip is None and v.tau.value() == pytest.approx(1e4)
    v.clip_box.setChecked(True)
    settle(ctx, v)
    assert ctx.app.config.clip == pytest.approx(1e4)


def test_clipping_off_and_per_step(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6, radius=2.0))
    norms, total = _norms(ctx.app.result)
    assert ctx.app.config.clip is None
    cut, scale = v.clip_marks()
    assert not cut.any() and np.all(scale == 1.0)
    assert not v.clipping.tau_line.isVisible() and "off" in v.clip_text
    assert len(v.cut_stems.getData()[0]) == 0
    tau = float(np.sort(norms)[len(norms) // 2])
    ctx.app.update_config(clip=tau, clip_mode="per_step")
    settle(ctx, v)
    assert v.clip_box.isChecked() and v.clip_mode.currentData() == "per_step"
    assert v.tau.value() == pytest.approx(tau, abs=1e-3)
    cut, scale = v.clip_marks()
    np.testing.assert_array_equal(cut[:-1], norms > tau)
    assert not cut[-1] and scale[-1] == 1.0  # the sum is not clipped as a whole
    assert "per step" in v.clip_text
    v.clip_mode.setCurrentIndex(v.clip_mode.findData("global"))
    v.clip_mode.activated.emit(v.clip_mode.currentIndex())
    assert ctx.app.config.clip_mode == "global"


def test_cursor_marks_row_forward_and_column_backward(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=6))
    T = ctx.app.T
    settle(ctx, v, Cursor("forward", 5))
    x, y = v.maps[0].outline.getData()
    assert (min(x), max(x), min(y), max(y)) == (0.5, 5.5, 4.5, 5.5)  # row t = 5, k = 1..5
    pts = v.cursor_points()
    assert pts.which == "jacobian" and list(pts.step) == [1, 2, 3, 4, 5]
    settle(ctx, v, Cursor("backward", 4))
    x, y = v.maps[0].outline.getData()
    assert (min(x), max(x), min(y), max(y)) == (3.5, 4.5, 3.5, T + 0.5)  # column k = 4
    pts = v.cursor_points()
    assert pts.which == "error" and set(pts.step) <= set(range(4, T + 1))
    brushes = v.distance.cursor_dots.data["brush"]
    for s, b in zip(pts.step, brushes, strict=True):
        assert b.color().name() == colors.source_hex(int(s)).lower()  # J(s)'s colour everywhere
    assert "backward t = 4" in v.cursor_caption.text
    settle(ctx, v, Cursor("update", T))
    assert v.maps[0].outline.getData()[0] is None or len(v.maps[0].outline.getData()[0]) == 0
    assert np.mean(v.clip_cursor.getRegion()) == pytest.approx(T + 1.5)  # the summed gradient


def test_theme_and_export_style(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=4))
    ctx.app.set_theme("dark")
    frame = frame_for(v, ctx, theme=themes.DARK, export=True)
    v.draw(frame)
    assert v.theme == themes.DARK and v.exporting
    img = v.grab().toImage()
    assert img.width() > 0
    bg = img.pixelColor(img.width() - 5, img.height() - 5).name()
    assert bg == themes.DARK.background
    assert v.graphics_item() is v.canvas.ci
    pen = v.distance.items["jacobian"].opts["pen"]
    assert pen.widthF() == pytest.approx(2.6)  # thicker for figures
    assert QtCore.QCoreApplication.instance() is not None


@pytest.mark.parametrize("config", [
    SessionConfig(model="BidirectionalRNN", cell="lstm", hidden=3, length=6),
    SessionConfig(model="Seq2Seq", cell="gru", task="reverse", hidden=3, length=4)])
def test_two_cell_models_show_errors_and_say_what_is_not_drawn(qtbot, no_leaks, config):
    ctx, v = make_view(qtbot, config, compare=True)
    kind = config.model
    assert "flow" not in v.needs(frame_for(v, ctx)) and v.busy.text() == ""
    assert not v.compare.isEnabled()  # no model of the other kind
    assert v.maps[0].note.toPlainText() == f"not drawn for a {kind}"
    assert sum(m.shown for m in v.maps) == 1
    text = v.readout_text()
    assert "drawn for one-cell models" in text and f"no comparison for a {kind}" in text
    x, _ = v.drawn_curve("error")
    assert len(x) > 0 and len(v.drawn_curve("jacobian")[0]) == 0
    T = ctx.app.T
    settle(ctx, v, Cursor("backward", T - 1))
    assert v.cursor_points().which == "error"
    cut, _ = v.clip_marks()
    assert len(cut) == T + 1


def test_options_round_trip_and_the_preset_turns_the_comparison_on(qapp):
    from gui import export
    from gui.model import session_file as session_io
    from gui.model.app_model import from_session

    sess = session_io.load_preset("vanishing-gradients")
    ctx = Context(from_session(sess))
    view = export.make_view("gradient-flow", ctx)
    assert ctx.app.options["gradient-flow"].compare is True
    export.draw(view, ctx, None)
    assert view.compare.isChecked()
    assert set(view.companions()) == {"LSTM", "GRU"}  # both on the same input have landed
    assert ctx.app.set_options("gradient-flow", compare=False)
    assert ctx.app.options["gradient-flow"].to_dict() == {"compare": False}  # only compare
    assert not ctx.app.set_options("gradient-flow", threshold=2.5)  # the session's clip now
    export.draw(view, ctx, None)
    assert not view.compare.isChecked() and view.companions() == {}
    view.close()
    ctx.close()


def test_large_type_says_less(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=4), compare=True)
    assert sum(m.shown for m in v.maps) == 4 and "<br>" in v.readout_text()
    v.draw(frame_for(v, ctx, theme=themes.slide(themes.get("light")), export=True))
    # large type: the three small plots take the maps' room (the compared kinds' products are
    # in the small plots), one line of readout
    assert sum(m.shown for m in v.maps) == 0 and sum(k.shown for k in v.kinds.plots) == 3
    assert v.kinds.plots[0].title.text.startswith("<b>SimpleRNN</b>*")
    assert "<br>" not in v.readout_text() and "SimpleRNN*" in v.readout_text()
    assert "GRU*" in v.readout_text()
    assert v.clip_text.startswith("<b>Clipping</b> off")
    # the short clipping plot: no rotated title (the line names the bars), two end decades
    # labelled, both inside the range shown (their labels piled up in presentation mode)
    left = v.clipping.plot.getAxis("left")
    assert "‖(∂J/∂θ)⁽ᵗ⁾‖" in v.clip_text and not left.label.isVisible()
    lo, hi = v.clipping.plot.viewRange()[1]
    labelled = [val for val, text in left._tickLevels[0] if text]
    assert 1 <= len(labelled) <= 2 and all(lo <= val <= hi for val in labelled)
    v.draw(frame_for(v, ctx))  # back to normal type: the maps again
    assert sum(m.shown for m in v.maps) == 4
    assert left.label.isVisible()


def test_cancelled_products_say_so_and_f5_computes_them_again(window, qtbot, monkeypatch):
    """A job stopped with Cancel is not computing: the view says "cancelled", not
    "computing…" for ever, and F5 (View ▸ Compute again) runs it."""
    real = compare.flow_curves
    hold = threading.Event()

    def slow(result, *, progress=None, should_stop=None):
        while not hold.is_set():  # until released, or stopped by Cancel
            if should_stop is not None and should_stop():
                return None
            time.sleep(0.005)
        return real(result, progress=progress, should_stop=should_stop)

    monkeypatch.setattr(compare, "flow_curves", slow)
    window.open_view("gradient-flow")
    v = window.current_view()
    runner = window.ctx.runner
    qtbot.waitUntil(lambda: any(isinstance(j, compare.FlowJob) for j in runner.running()),
                    timeout=5_000)
    runner.cancel()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    window.render_current()
    assert "cancelled (F5" in v.busy.text() and "computing" not in v.busy.text()
    hold.set()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: v.curves() is not None, timeout=10_000)
    assert v.busy.text() == ""


def test_a_short_canvas_gives_the_maps_room_to_the_three_small_plots(qtbot, no_leaks):
    """At 1280 x 720 beside the session panel, Compare's three small plots and the heat maps
    squashed each other: below MAPS_MIN_HEIGHT_PX the small plots take the maps' room, and
    growing the window brings the maps back."""
    from gui.views.gradient_flow.view import MAPS_MIN_HEIGHT_PX

    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=4), compare=True)
    assert v.canvas.height() >= MAPS_MIN_HEIGHT_PX
    assert sum(m.shown for m in v.maps) == 3 and sum(k.shown for k in v.kinds.plots) == 3
    v.setMinimumSize(600, 400)
    v.resize(930, 560)
    qtbot.waitUntil(lambda: v.canvas.height() < MAPS_MIN_HEIGHT_PX, timeout=3_000)
    qtbot.waitUntil(lambda: sum(m.shown for m in v.maps) == 0, timeout=3_000)
    assert sum(k.shown for k in v.kinds.plots) == 3
    v.resize(1200, 900)
    qtbot.waitUntil(lambda: sum(m.shown for m in v.maps) == 3, timeout=3_000)
