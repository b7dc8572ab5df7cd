"""What the landscape view draws: the cliff scene and the line through the session's model."""

import dataclasses

import numpy as np
import pytest

from gui.model.options import LandscapeOptions
from gui.model.present import landscape as present
from gui.model.present.landscape import (
    MAX_GROWTH,
    CliffSettings,
    SceneJob,
    SceneStopped,
    cliff_scene,
    cliff_settings,
    decade_levels,
    map_ranges,
    session_line,
    session_loss_fn,
    step_at,
)
from gui.model.present.landscape_line import LineJob
from sim import landscape as ls
from sim.run import SessionConfig, compute


def test_scene_is_the_engines_surface_and_paths():
    st = CliffSettings()
    sc = cliff_scene(st)
    assert cliff_scene(st) is sc  # cached
    u = ls.descend(st.model, st.start, st.lr, st.n_steps)
    c = ls.descend(st.model, st.start, st.lr, st.n_steps, clip=st.clip)
    np.testing.assert_array_equal(sc.unclipped.points, u.points)
    np.testing.assert_array_equal(sc.clipped.points, c.points)
    w, b = sc.surface.w, sc.surface.b
    assert sc.surface is ls.loss_surface(st.model, (w[0], w[-1]), (b[0], b[-1]), w.size)
    # grown to hold the thrown path, at the settings' cell size (200 points over w in -2..12)
    assert w.size > st.n and (b[1] - b[0]) <= (st.b_range[1] - st.b_range[0]) / (st.n - 1)
    # the grid holds both paths, and the default one's cliff
    for p in (u.points, c.points):
        assert w[0] <= p[:, 0].min() and p[:, 0].max() <= w[-1]
        assert b[0] <= p[:, 1].min() and p[:, 1].max() <= b[-1]
    assert sc.surface.cliff_ratio() >= 100
    assert np.nanmax(np.abs(np.diff(sc.surface.L, axis=0))) > 10  # L jumps across the cliff
    assert sc.max_step == st.clip * st.lr
    assert np.all(sc.clipped.steps <= sc.max_step + 1e-12)


def test_contours_lie_on_whole_decades():
    sc = cliff_scene(CliffSettings(model=ls.CliffRNN(T=20), n=80))
    s = sc.surface
    Z = s.log10_L
    assert np.all(sc.levels == np.round(sc.levels)) and sc.levels.size >= 3
    assert sc.contours.shape[1:] == (2, 2) and len(sc.contours) > 50
    # every end sits on a cell edge, where log10 L (linear along the edge) equals a level
    for x, y in sc.contours.reshape(-1, 2)[::7]:
        on_w = np.isclose(s.w, x, rtol=0, atol=1e-9)
        if on_w.any():
            v = np.interp(y, s.b, Z[:, np.argmax(on_w)])
        else:
            on_b = np.isclose(s.b, y, rtol=0, atol=1e-9)
            assert on_b.any()
            v = np.interp(x, s.w, Z[np.argmax(on_b), :])
        assert abs(v - round(v)) < 1e-6 and round(v) in sc.levels


def test_map_grows_to_hold_the_paths_but_not_without_bound():
    st = CliffSettings(w_range=(0.0, 1.0), b_range=(0.0, 1.0))

    class P:
        def __init__(self, pts):
            self.points = np.array(pts, float)

    assert map_ranges(st, P([[0.5, 0.5]])) == ((0.0, 1.0), (0.0, 1.0))
    wr, br = map_ranges(st, P([[0.5, 0.5], [2.0, -0.5]]))
    assert wr[0] == 0.0 and wr[1] > 2.0 and br[0] < -0.5 and br[1] == 1.0
    wr, br = map_ranges(st, P([[1e9, 0.5]]))
    assert wr == (0.0, 1.0 + MAX_GROWTH)


def test_steps_follow_the_playback_frames():
    assert step_at(0, 25, 40) == 0
    assert step_at(24, 25, 40) == 40
    assert step_at(12, 25, 40) == 20
    assert step_at(99, 25, 40) == 40 and step_at(-3, 25, 40) == 0
    assert step_at(0, 1, 7) == 7
    steps = [step_at(f, 25, 40) for f in range(25)]
    assert steps == sorted(steps)


def test_decade_levels():
    np.testing.assert_array_equal(decade_levels(np.array([-2.5, 0.2, 1.7])), [-2, -1, 0, 1])
    lv = decade_levels(np.array([-30.0, 30.0]), most=12)
    assert lv.size <= 12 and np.all(np.diff(lv) == lv[1] - lv[0])
    assert decade_levels(np.array([np.nan])).size == 0


@pytest.mark.parametrize("config", [
    SessionConfig(),
    SessionConfig(model="SimpleRNN", task="adding", length=10, clip=0.5, lr=0.3),
    SessionConfig(task="sign-of-sum", loss="mse", truncation=3),
])
def test_session_line_is_a_direct_evaluation(config):
    r = compute(config)
    line = session_line(r, n=21, span=0.8)
    assert line.alphas[10] == 0.0
    assert line.loss0 == r.backward.loss == pytest.approx(line.losses[10], rel=1e-12)
    g = r.backward.grads
    norm = np.sqrt(sum(float(np.sum(v * v)) for v in g.values()))
    assert line.grad_norm == pytest.approx(norm)
    assert line.step == pytest.approx(config.lr * norm)
    if config.clip is None:
        assert line.clipped_step is None
    else:
        assert line.clipped_step == pytest.approx(config.lr * min(norm, config.clip))
    for i in (0, 4, 17):
        a = line.alphas[i]
        params = {k: np.asarray(v) - a * np.asarray(g[k]) / norm
                  for k, v in r.forward.params.items()}
        assert line.losses[i] == pytest.approx(compute(config, params).backward.loss, rel=1e-10)
    # the session's own update lands at alpha = lr ||g|| (unclipped)
    if config.clip is None:
        fn = session_loss_fn(r)
        assert fn(dict(r.new_params)) == pytest.approx(compute(config, r.new_params).backward.loss)


def test_session_line_without_a_direction():
    r = compute(SessionConfig(task="adding", length=10))
    zero = dataclasses.replace(r, backward=dataclasses.replace(
        r.backward, grads={k: np.zeros_like(v) for k, v in r.backward.grads.items()}))
    line = session_line(zero, n=5)
    assert not line.ok and line.step == 0.0
    np.testing.assert_allclose(line.losses, r.backward.loss)
    with pytest.raises(ValueError, match="span"):
        session_line(r, span=-1)
    with pytest.raises(ValueError, match="n"):
        session_line(r, n=2)


def test_cliff_settings_are_the_options():
    assert cliff_settings(LandscapeOptions()) == CliffSettings()
    o = LandscapeOptions(T=30, target=0.4, lr=0.1, clip=1.5, steps=25, start=(2.0, -3.0))
    st = cliff_settings(o)
    assert (st.model.T, st.model.target, st.lr, st.clip, st.n_steps, st.start) == \
        (30, 0.4, 0.1, 1.5, 25, (2.0, -3.0))
    assert (st.w_range, st.b_range, st.n) == (CliffSettings().w_range, CliffSettings().b_range,
                                              CliffSettings().n)


def test_the_presenter_keeps_the_most_recent_scenes_only():
    made = [cliff_scene(CliffSettings(model=ls.CliffRNN(T=5), n=20, n_steps=3,
                                      start=(4.0 + 0.01 * i, -1.0)))
            for i in range(present.SCENES_KEPT + 4)]
    assert present.scenes_kept() == present.SCENES_KEPT
    assert cliff_scene(made[-1].settings) is made[-1]  # recent: kept
    assert cliff_scene(made[0].settings) is not made[0]  # the oldest was dropped


def test_jobs_report_progress_and_stop():
    st = CliffSettings(model=ls.CliffRNN(T=7), n=30, n_steps=40, start=(5.5, -2.25))
    seen = []
    sc = SceneJob(st).compute(seen.append, lambda: False)
    assert sc.settings == st and seen and all(0 <= f <= 1 for f in seen)
    assert seen == sorted(seen)
    st2 = CliffSettings(model=ls.CliffRNN(T=7), n=30, n_steps=40, start=(5.5, -2.5))
    with pytest.raises(SceneStopped):
        SceneJob(st2).compute(lambda f: None, lambda: True)
    assert SceneJob(st2) == SceneJob(st2) and hash(SceneJob(st2)) == hash(SceneJob(st2))
    assert SceneJob(st2).cost > 0
    # the descent stops where it was told to, and says so
    d = ls.descend(st.model, st.start, st.lr, 100, should_stop=lambda: True)
    assert d.stopped == "stopped" and d.n_steps_taken < 100
    r = compute(SessionConfig(task="adding", length=8))
    job = LineJob(r, 0.5, 11)
    line = job.compute(lambda f: None, lambda: False)
    assert line.alphas[-1] == pytest.approx(0.5) and job.cost > 0
    assert LineJob(r, 0.5, 11) == job and LineJob(compute(r.config), 0.5, 11) != job


def test_per_step_clipping_lands_along_and_beside_the_line():
    config = SessionConfig(clip=0.5, clip_mode="per_step")
    r = compute(config)
    line = session_line(r, n=5, span=0.5)
    g = r.backward.grads
    norm = np.sqrt(sum(float(np.sum(v * v)) for v in g.values()))
    d = {k: -np.asarray(v) / norm for k, v in g.items()}  # the line's direction
    upd = {k: -config.lr * np.asarray(r.applied_gradient[k]) for k in g}  # what the update moves
    along = sum(float(np.sum(upd[k] * d[k])) for k in g)
    beside = np.sqrt(sum(float(np.sum((upd[k] - along * d[k]) ** 2)) for k in g))
    assert r.clipped and line.clip_mode == "per_step"
    assert line.clipped_step == pytest.approx(along)
    assert line.clipped_off == pytest.approx(beside) and line.clipped_off > 0
    # global clipping keeps the update on the line
    glob = session_line(compute(config.replace(clip_mode="global")), n=5, span=0.5)
    assert glob.clipped_off == 0.0


def test_the_cliff_caption_names_the_jump_and_why_x0_is_2():
    """Issue 11, item 11: the default figure's moment is the unclipped run's jump off the wall,
    and the view says why x(0) = 2 differs from Pascanu's 0.5."""
    from gui.model.present.landscape_text import cliff_caption

    sc = cliff_scene(cliff_settings(LandscapeOptions()))
    steps = sc.unclipped.steps
    at = int(steps.argmax()) + 1
    assert steps.max() > 10 * sc.max_step  # the default run does jump
    text = cliff_caption(sc, at)
    assert f"hits the wall at step {at}" in text
    assert "not Pascanu's 0.5" in text
    small = cliff_scene(CliffSettings(model=ls.CliffRNN(x0=0.5, T=5), n=20, n_steps=3))
    assert "Pascanu's 0.5" not in cliff_caption(small, 1)
