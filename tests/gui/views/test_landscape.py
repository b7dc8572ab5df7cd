"""The landscape view draws sim.landscape's numbers: the surface, the two descent paths, the
line through the session's model; the start moves where the user clicks."""

import dataclasses

import numpy as np
import pytest
from gui.state import AppState
from gui.views.landscape import LandscapeView
from PySide6 import QtCore

from gui import colors
from gui.model.cursor import Cursor
from gui.model.present.landscape import CliffSettings, step_at
from sim import landscape as ls
from sim.run import SessionConfig, compute


@pytest.fixture
def view(qtbot, no_leaks):
    state = AppState(SessionConfig(clip=1.0))
    v = LandscapeView(state)
    qtbot.addWidget(v)
    v.resize(1300, 760)
    v.show()
    qtbot.waitExposed(v)
    assert v.wait_ready()
    v.render(state.result, Cursor("update", state.T))
    return v


def settle(v):
    assert v.wait_ready()
    v.render(v.state.result, v.state.cursor if v.state.cursor.phase != "forward"
             else Cursor("update", v.state.T))


def test_heat_map_is_the_engines_surface(view):
    sc = view.scene
    w, b = sc.surface.w, sc.surface.b
    s = ls.loss_surface(sc.settings.model, (w[0], w[-1]), (b[0], b[-1]), w.size)
    np.testing.assert_array_equal(view.heat_values, s.log10_L)
    np.testing.assert_array_equal(view.image.image, view.rgba)
    assert view.rgba.shape == (w.size, b.size, 4)
    lo, hi = view.heat_range
    rng = np.random.default_rng(1)
    for i, j in rng.integers(0, w.size, size=(20, 2)):
        want = int(round(np.clip((s.log10_L[i, j] - lo) / (hi - lo), 0, 1) * 255))
        np.testing.assert_array_equal(view.rgba[j, i, :3], colors.rgb("viridis", want))
    # the cliff at the default settings: a gradient orders of magnitude above the median, and
    # the colour (the loss) jumping between neighbouring cells
    assert s.cliff_ratio() >= 100
    assert np.nanmax(np.abs(np.diff(s.log10_L, axis=0))) > 1.5
    # the image covers the grid: its corners at the grid's first and last points
    r = view.image.mapRectToParent(view.image.boundingRect())
    assert r.left() < w[0] < r.left() + (w[1] - w[0]) and r.right() > w[-1]
    x, y = view.contours.getData()
    assert len(x) == 2 * len(sc.contours)


def test_paths_are_the_engines_descents_at_every_frame(view):
    st = view.settings
    u = ls.descend(st.model, st.start, st.lr, st.n_steps)
    c = ls.descend(st.model, st.start, st.lr, st.n_steps, clip=st.clip)
    state = view.state
    T = state.T
    for frame in (0, 5, T, 2 * T):
        cursor = Cursor.from_frame(frame, T)
        view.render(state.result, cursor)
        k = step_at(frame, 2 * T + 1, st.n_steps)
        assert view.step == k
        for item, path in ((view.unclipped, u), (view.clipped, c)):
            x, y = item.line.getData()
            np.testing.assert_array_equal(x, path.points[: k + 1, 0])
            np.testing.assert_array_equal(y, path.points[: k + 1, 1])
            hx, hy = item.head.getData()
            assert (hx[0], hy[0]) == tuple(path.points[k])
        assert view.cursor_lines[0].value() == k
    # the side plots: the loss along each path and each step's length
    _, ll = view.path_loss["unclipped"].getData()
    np.testing.assert_allclose(ll, np.log10(u.losses))
    _, sl = view.path_step["clipped"].getData()
    np.testing.assert_allclose(sl, np.log10(c.steps))
    # the demo jumps: one unclipped step is more than 10 clipped ones
    assert u.steps.max() > 10 * st.clip * st.lr


def test_the_clipped_path_never_steps_further_than_threshold_times_lr(view):
    for lr, clip in ((0.05, 2.0), (0.2, 0.5), (0.5, 3.0)):
        view.set_settings(dataclasses.replace(view.settings, lr=lr, clip=clip))
        settle(view)
        view.render(view.state.result, Cursor("update", view.state.T))
        pts = view.drawn["clipped"]
        steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        assert steps.size == view.settings.n_steps
        assert np.all(steps <= clip * lr * (1 + 1e-9))
        assert view.max_step_line.value() == pytest.approx(np.log10(clip * lr))


def test_clicking_the_map_sets_the_start(view, qtbot):
    vb = view.map_plot.getViewBox()
    target = (3.0, -5.0)
    scene_pt = vb.mapViewToScene(QtCore.QPointF(*target))
    widget_pt = view.canvas.mapFromScene(scene_pt)
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=widget_pt)
    settle(view)
    w, b = view.settings.start
    px = vb.viewPixelSize()  # one pixel in data units
    assert abs(w - target[0]) <= 2 * px[0] and abs(b - target[1]) <= 2 * px[1]
    assert view.scene.settings.start == (w, b)
    view.render(view.state.result, Cursor("update", view.state.T))
    st = view.settings
    u = ls.descend(st.model, (w, b), st.lr, st.n_steps)
    np.testing.assert_array_equal(view.drawn["unclipped"], u.points)
    np.testing.assert_array_equal(view.start_mark.getData()[0], [w])
    assert "(3.0" in view.start_label.text() or "(2.9" in view.start_label.text()


def test_settings_controls_recompute_the_scene(view):
    view.T.setValue(20)
    view.target.setValue(0.3)
    settle(view)
    m = view.scene.settings.model
    assert (m.T, m.target) == (20, 0.3)
    s = ls.loss_surface(m, (view.scene.surface.w[0], view.scene.surface.w[-1]),
                        (view.scene.surface.b[0], view.scene.surface.b[-1]),
                        view.scene.surface.w.size)
    np.testing.assert_array_equal(view.heat_values, s.log10_L)
    assert "T = 20" in view.caption.text
    view.default_button.click()
    settle(view)
    assert view.scene.settings == CliffSettings()


def test_line_mode_is_a_direct_evaluation_of_the_session(view):
    view.mode_box.setCurrentIndex(1)
    assert view.mode == "line" and view.stack.currentIndex() == 1
    settle(view)
    r = view.state.result
    ln = view.line
    x, y = view.line_curve.getData()
    np.testing.assert_array_equal(x, ln.alphas)
    g = r.backward.grads
    norm = np.sqrt(sum(float(np.sum(v * v)) for v in g.values()))
    for i in (0, 50, 100, 150, 200):
        params = {k: np.asarray(v) - x[i] * np.asarray(g[k]) / norm
                  for k, v in r.forward.params.items()}
        assert y[i] == pytest.approx(compute(r.config, params).backward.loss, rel=1e-10)
    assert y[100] == pytest.approx(r.backward.loss)  # alpha = 0: the session's weights
    ux, _ = view.update_mark.getData()
    cx, _ = view.clipped_mark.getData()
    assert ux[0] == pytest.approx(r.config.lr * norm)
    assert cx[0] == pytest.approx(r.config.lr * min(norm, r.config.clip))
    # a new session redraws the line
    view.state.update_config(input_seed=5)
    view.state.wait()
    view.render(view.state.result, view.state.cursor)
    settle(view)
    assert view.line_curve.getData()[1][100] == pytest.approx(view.state.result.backward.loss)
    assert view.graphics_item() is view.line_canvas.ci


def test_options_round_trip(view):
    view.set_options({"mode": "line", "T": 30, "target": 0.4, "lr": 0.1, "clip": 1.5,
                      "steps": 25, "start": [2.0, -3.0], "span": 2.5, "unknown": 1})
    settle(view)
    o = view.options()
    assert o == {"mode": "line", "T": 30, "target": 0.4, "lr": 0.1, "clip": 1.5, "steps": 25,
                 "start": [2.0, -3.0], "span": 2.5}
    assert view.line.alphas[-1] == pytest.approx(2.5)
    view.set_options({"lr": -1})
    assert "not restored" in view.busy.text()
    assert view.options() == o


def test_random_actions_on_both_views_in_the_window(qtbot, no_leaks):
    """A seeded storm of clicks on the Training and Landscape tabs of the real window: nothing
    raises, the state stays consistent, the drawn paths stay the engine's."""
    from PySide6 import QtWidgets

    from gui.main_window import MainWindow

    rng = np.random.default_rng(3)
    state = AppState()
    w = MainWindow(state)
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    qtbot.waitExposed(w)
    tv, lv = w.view("training"), w.view("landscape")
    c = tv.controller
    tv.set_settings(dataclasses.replace(tv.settings(), n_updates=40,
                                        compare_task="session task"))
    tv.follow.setChecked(bool(rng.integers(2)))
    vb = lv.map_plot.getViewBox()

    def click_map():
        w.show_tab("Landscape")
        p = vb.mapViewToScene(QtCore.QPointF(rng.uniform(-2, 12), rng.uniform(-8, 2)))
        qtbot.mouseClick(lv.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton,
                         pos=lv.canvas.mapFromScene(p))

    actions = {
        "start": lambda: tv.start_button.click(),
        "pause": lambda: tv.pause_button.click(),
        "stop": lambda: tv.stop_button.click(),
        "one": lambda: tv.one_button.click(),
        "compare": lambda: tv.compare_button.click(),
        "reset": lambda: tv.reset_button.click(),
        "optimizer": lambda: tv.optimizer.setCurrentIndex(int(rng.integers(3))),
        "clip": lambda: tv.clip.setValue(float(rng.choice([0.0, 0.5, 5.0]))),
        "temperature": lambda: tv.temperature.setValue(float(rng.uniform(0, 2))),
        "task": lambda: state.update_config(task=str(rng.choice(["delayed-recall", "adding",
                                                                   "char-text"]))),
        "click": click_map,
        "mode": lambda: lv.mode_box.setCurrentIndex(int(rng.integers(2))),
        "T": lambda: lv.T.setValue(int(rng.integers(1, 80))),
        "clip-tau": lambda: lv.clip.setValue(float(rng.uniform(0.1, 5))),
        "play": lambda: state.set_playing(True),
        "frame": lambda: state.set_frame(int(rng.integers(0, state.n_frames))),
        "tab": lambda: w.tabs.setCurrentIndex(int(rng.integers(w.tabs.count()))),
    }
    names = list(actions)
    for i in range(60):
        actions[names[int(rng.integers(len(names)))]]()
        QtWidgets.QApplication.processEvents()
        if i % 10 == 0:
            qtbot.wait(15)
        assert state.cursor == state.cursor.clamp(state.T)
    state.set_playing(False)
    c.stop()
    assert c.wait(5000)
    state.wait()
    assert lv.wait_ready()
    QtWidgets.QApplication.processEvents()
    assert state.result.config == state.config
    if lv.scene is not None:
        st = lv.scene.settings
        u = ls.descend(st.model, st.start, st.lr, st.n_steps)
        lv.render(state.result, Cursor("update", state.T))
        np.testing.assert_array_equal(lv.drawn["unclipped"], u.points)
    c.shutdown()
    w.close()
