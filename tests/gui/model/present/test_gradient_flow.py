"""gui.model.present.gradient_flow (pure): the curves are sim.analysis's, the cursor's points are
a row forward and a column backward, clipping as sim.clip_by_norm (off, global, per step), the
comparison runs both other one-cell kinds on the same input, the jobs report progress and stop."""

import numpy as np
import pytest

from gui.model.present import gradient_flow as compare
from gui.model.present import gradient_flow_text as words
from gui.model.present.numbers import fmt
from sim import analysis
from sim.run import SessionConfig, compute


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
    # the errors alone (at once) are the same errors
    fast = compare.error_curves(r)
    assert fast.jacobian is None and np.isnan(fast.slope)
    np.testing.assert_array_equal(fast.error_curve, cu.error_curve)


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
    # before the products land, forward has no points and backward the same errors
    fast = compare.error_curves(r)
    assert compare.cursor_points(fast, "forward", 5).which == ""
    np.testing.assert_array_equal(compare.cursor_points(fast, "backward", 3).value, bw.value)


def _norms(r):
    gps = r.backward.grads_per_step
    norms = np.sqrt(sum(np.sum(np.reshape(g, (g.shape[0], -1)) ** 2, axis=1)
                        for g in gps.values()))
    total = np.sqrt(sum(np.sum(g ** 2) for g in r.backward.grads.values()))
    return norms, total


def test_clip_report_matches_the_norms():
    r = compute(SessionConfig(model="LSTM", hidden=4, length=7))
    norms, total = _norms(r)
    tau = float(np.median(norms))
    rep = compare.clip_report(r.backward, tau)
    np.testing.assert_allclose(rep.step_norms, norms)
    assert rep.norm == pytest.approx(total)
    np.testing.assert_array_equal(rep.step_clipped, norms > tau)
    np.testing.assert_allclose(rep.step_scale, np.where(norms > tau, tau / norms, 1.0))
    assert rep.clipped == (total > tau)
    assert rep.scale == pytest.approx(tau / total if total > tau else 1.0)
    assert rep.applied_norm == pytest.approx(min(total, tau))


def test_clip_report_off_and_per_step_follow_the_session():
    r = compute(SessionConfig(model="SimpleRNN", hidden=5, length=8, radius=2.0))
    norms, total = _norms(r)
    off = compare.clip_report(r.backward, None)
    assert not off.on and not off.clipped and off.n_clipped == 0
    np.testing.assert_allclose(off.step_norms, norms)
    assert off.norm == pytest.approx(total) and off.applied_norm == pytest.approx(total)
    assert "off" in words.clip_text(off, r.T) and "τ =" not in words.clip_text(off, r.T)
    tau = float(np.median(norms))
    per = compare.clip_report(r.backward, tau, "per_step")
    assert not per.clipped and per.scale == 1.0  # the sum is not scaled as a whole
    np.testing.assert_array_equal(per.step_clipped, norms > tau)
    # the norm of what the session's update applies when it clips per step
    run = compute(r.config.replace(clip=tau, clip_mode="per_step"))
    applied = np.sqrt(sum(np.sum(g ** 2) for g in run.applied_gradient.values()))
    assert per.applied_norm == pytest.approx(applied)
    assert f"{per.n_clipped} of {r.T}" in words.clip_text(per, r.T)


def test_companion_is_the_other_kind_on_the_same_input():
    config = SessionConfig(model="SimpleRNN", hidden=5, length=9, radius=2.0, input_seed=3)
    comp = compare.companion(config, "LSTM")
    assert comp.result.config.model == "LSTM" and comp.kind == "LSTM"
    assert comp.result.forward.n_hidden == 5 and comp.result.config.radius == 2.0
    mine = compute(config)
    np.testing.assert_array_equal(comp.result.forward.x, mine.forward.x)
    np.testing.assert_array_equal(comp.result.targets, mine.targets)
    lstm = compare.companion_config(config, "LSTM")
    assert compare.companion_config(lstm, "SimpleRNN") == config
    assert compare.companion_config(config.replace(model="GRU"), "SimpleRNN").model == "SimpleRNN"
    assert compare.companion_kinds(config.replace(model="BidirectionalRNN")) == ()
    no_forget = config.replace(model="LSTM", forget_gate=False)
    # a SimpleRNN (and a GRU) has no forget gate to drop
    assert compare.companion_config(no_forget, "SimpleRNN") == config
    assert compare.companion_config(no_forget, "GRU") == config.replace(model="GRU")
    with pytest.raises(ValueError, match="no comparison model"):
        compare.companion_config(config, "Seq2Seq")


@pytest.mark.parametrize("model, others", [("SimpleRNN", ("LSTM", "GRU")),
                                           ("LSTM", ("SimpleRNN", "GRU")),
                                           ("GRU", ("SimpleRNN", "LSTM"))])
def test_both_other_kinds_on_the_same_input(model, others):
    config = SessionConfig(model=model, hidden=4, length=7, radius=0.7, activation="relu",
                           peepholes=True)
    assert compare.companion_kinds(config) == others
    mine = compute(config)
    comps = {}
    for kind in others:
        other = compare.companion_config(config, kind)
        # everything but the model is the session's: the SimpleRNN keeps the activation, the
        # LSTM its peepholes
        assert other == config.replace(model=kind)
        comps[kind] = compare.companion(config, kind)
        assert comps[kind].config == config and comps[kind].result.config == other
        np.testing.assert_array_equal(comps[kind].result.forward.x, mine.forward.x)
        want = compare.flow_curves(compute(other))
        np.testing.assert_allclose(comps[kind].curves.jacobian_curve, want.jacobian_curve)
        np.testing.assert_array_equal(comps[kind].curves.error_curve, want.error_curve)
    panels, (lo, hi) = compare.side_by_side(compare.flow_curves(mine), comps, config)
    assert [p.kind for p in panels] == ["SimpleRNN", "LSTM", "GRU"]
    assert [p.session for p in panels] == [k == model for k in ("SimpleRNN", "LSTM", "GRU")]
    for p in panels:  # one range holding every curve of every kind
        for c in (p.curves.error_curve, p.curves.jacobian_curve, p.curves.highway_curve):
            if c is not None:
                v = np.log10(c[np.isfinite(c) & (c > 0)])
                assert lo < v.min() and v.max() < hi
    # a kind not landed yet: a panel without curves, and the range of the others
    waiting, _ = compare.side_by_side(compare.flow_curves(mine), {}, config)
    assert [p.curves is None for p in waiting] == [not p.session for p in waiting]


def test_panel_titles_and_readout_say_which_is_which():
    config = SessionConfig(model="GRU", hidden=4, length=7)
    mine = compare.flow_curves(compute(config))
    lstm = compare.companion(config, "LSTM")
    hexes = {"error": "#000000", "jacobian": "#aa8800", "highway": "#5e3c99"}
    own = words.panel_title(compare.Panel("GRU", True, mine), hexes)
    assert own.startswith("<b>GRU</b> (the session)") and f"×{fmt(mine.slope)}" in own
    other = words.panel_title(compare.Panel("LSTM", False, lstm.curves), hexes)
    assert other.startswith("<b>LSTM</b>*") and "#5e3c99" in other
    assert f"highway ×{fmt(lstm.curves.highway_slope)}" in other
    assert "computing…" in words.panel_title(compare.Panel("SimpleRNN", False, None), hexes,
                                             note="computing…")
    text = words.readout(mine, {"LSTM": lstm}, computing=False, compare=True, config=config,
                         comp_failed={"SimpleRNN": "boom"})
    assert "same input" in text and "radius: each as initialised" in text
    assert "<b>LSTM</b>*" in text and "<b>SimpleRNN</b>* failed: boom" in text
    text = words.readout(mine, {}, computing=False, compare=True,
                         config=config.replace(radius=0.8))
    assert "seeds, radius)" in text and text.count("computing…") == 2


def test_jobs_report_progress_and_stop():
    r = compute(SessionConfig(model="LSTM", hidden=4, length=10))
    job = compare.FlowJob.of(r)
    assert job == compare.FlowJob.of(r) and hash(job) == hash(compare.FlowJob.of(r))
    assert job != compare.FlowJob.of(compute(r.config))  # another result, another job
    seen = []
    cu = job.compute(seen.append, lambda: False)
    assert seen and seen[-1] == 1.0 and all(a <= b for a, b in zip(seen, seen[1:], strict=False))
    np.testing.assert_allclose(cu.jacobian, analysis.gradient_flow(r.forward).state,
                               equal_nan=True)
    assert job.compute(seen.append, lambda: True) is None  # stopped: nothing
    assert analysis.gradient_flow(r.forward, should_stop=lambda: True) is None
    comp_job = compare.CompanionJob.of(r.config, "GRU")
    assert comp_job != compare.CompanionJob.of(r.config, "SimpleRNN")  # one job per kind
    assert comp_job.compute(lambda f: None, lambda: True) is None
    assert comp_job.cost > 0 and job.cost > 0


@pytest.mark.parametrize("model", ["GRU", "BidirectionalRNN", "Seq2Seq"])
def test_every_model_has_its_errors(model):
    kw = {"task": "reverse", "length": 4} if model == "Seq2Seq" else {"length": 6}
    r = compute(SessionConfig(model=model, cell="gru", hidden=3, **kw))
    cu = compare.flow_curves(r)
    n = r.error_norms.shape[0]  # a Seq2Seq's losses are its decoder steps
    np.testing.assert_array_equal(cu.error[r.T - n:], r.error_norms)
    assert cu.error.shape == (r.T, r.T) and not cu.error[:r.T - n].any()
    if model == "GRU":
        np.testing.assert_allclose(cu.jacobian, analysis.gradient_flow(r.forward).state,
                                   equal_nan=True)
    else:
        assert cu.jacobian is None and not compare.flow_applies(model)
        assert "drawn for one-cell models" in words.readout(cu, None, computing=False,
                                                            compare=False)
