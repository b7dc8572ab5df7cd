"""The landscape view draws sim.landscape's numbers: the surface, the two descent paths, the
line through the session's model; the start moves where the user clicks, and the scene it then
needs is computed off the GUI thread while the old one stays drawn."""

import threading
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui import colors
from gui import theme as themes
from gui.context import Context
from gui.frames import Painter
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present import landscape_text as text
from gui.model.present.landscape import CliffSettings, step_at
from gui.views.landscape import LandscapeView
from sim import landscape as ls
from sim.run import SessionConfig, compute
from tests.gui.conftest import draw_waiting


class Rig:
    """A landscape view on its own context, drawn as the window draws it (a painter redraws it
    when the model changes or its data lands)."""

    def __init__(self, qtbot, config):
        self.ctx = Context(AppModel(config))
        self.app = self.ctx.app
        self.view = LandscapeView(self.ctx)
        qtbot.addWidget(self.view)
        self.view.resize(1300, 760)
        self.view.show()
        qtbot.waitExposed(self.view)
        self.painter = Painter(self.ctx, lambda: [self.view],
                               lambda: themes.get(self.app.theme))

    def close(self):
        self.ctx.close()


@pytest.fixture
def rig(qtbot, no_leaks):
    r = Rig(qtbot, SessionConfig(clip=1.0))
    settle(r)
    yield r
    r.close()


@pytest.fixture
def view(rig):
    return rig.view


def settle(rig, cursor=None):
    """Draw the view with everything it needs landed, at ``cursor`` (default: the update)."""
    draw_waiting(rig.view, rig.ctx, cursor or Cursor("update", rig.app.T))


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


def test_paths_are_the_engines_descents_at_every_frame(rig, view):
    st = view.settings
    u = ls.descend(st.model, st.start, st.lr, st.n_steps)
    c = ls.descend(st.model, st.start, st.lr, st.n_steps, clip=st.clip)
    T = rig.app.T
    for frame in (0, 5, T, 2 * T):
        settle(rig, Cursor.from_frame(frame, T))
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


def test_the_clipped_path_never_steps_further_than_threshold_times_lr(rig, view):
    for lr, clip in ((0.05, 2.0), (0.2, 0.5), (0.5, 3.0)):
        assert rig.app.set_options("landscape", lr=lr, clip=clip, steps=80)
        settle(rig)
        pts = view.drawn["clipped"]
        steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        assert steps.size == view.settings.n_steps
        assert np.all(steps <= clip * lr * (1 + 1e-9))
        assert view.max_step_line.value() == pytest.approx(np.log10(clip * lr))


def click_map(view, qtbot, w, b):
    vb = view.map_viewbox()
    widget_pt = view.canvas.mapFromScene(vb.mapViewToScene(QtCore.QPointF(w, b)))
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=widget_pt)


def test_clicking_the_map_sets_the_start(rig, view, qtbot):
    target = (3.0, -5.0)
    click_map(view, qtbot, *target)
    settle(rig)
    w, b = view.settings.start
    px = view.map_viewbox().viewPixelSize()  # one pixel in data units
    assert abs(w - target[0]) <= 2 * px[0] and abs(b - target[1]) <= 2 * px[1]
    assert rig.app.options["landscape"].start == (w, b)
    assert view.scene.settings.start == (w, b)
    st = view.settings
    u = ls.descend(st.model, (w, b), st.lr, st.n_steps)
    np.testing.assert_array_equal(view.drawn["unclipped"], u.points)
    np.testing.assert_array_equal(view.start_mark.getData()[0], [w])
    assert "(3.0" in view.start_label.text() or "(2.9" in view.start_label.text()


def test_a_click_draws_at_once_and_the_scene_computes_on_a_worker(rig, view, qtbot,
                                                                  monkeypatch):
    """The click's draw returns in well under 0.2 s: the start star moves, the old scene stays
    drawn with a "computing…" note over the map and in the controls row, and the descents run
    on one of the runner's threads."""
    old = view.scene
    threads = []
    descend = ls.descend_each  # both descents, in lockstep

    def spy(*args, **kw):
        threads.append(threading.get_ident())
        return descend(*args, **kw)

    monkeypatch.setattr(ls, "descend_each", spy)
    t0 = time.perf_counter()
    click_map(view, qtbot, 4.2, -1.7)
    dt = time.perf_counter() - t0
    assert dt < 0.2
    w, b = rig.app.options["landscape"].start
    assert view.scene is old
    assert view.start_mark.getData()[0][0] == pytest.approx(w)
    assert view.busy.text() == text.COMPUTING
    assert view.cliff.note.isVisible() and view.cliff.note.toPlainText() == text.COMPUTING
    assert rig.ctx.runner.wait(120_000)
    qtbot.waitUntil(lambda: view.scene is not old and view.scene.settings.start == (w, b),
                    timeout=10_000)
    assert view.busy.text() == "" and not view.cliff.note.isVisible()
    assert threads and threading.get_ident() not in threads


def test_a_landed_scene_is_laid_out_within_its_draw(qtbot, no_leaks):
    """The draw that shows a newly landed scene leaves nothing to lay out after it: a plot's
    title, legend and axes placed later resized its view box, which drew the scene again and
    painted the figure three times."""
    rig = Rig(qtbot, SessionConfig(clip=1.0))
    try:
        rig.painter.draw()  # the scene is computing: drawn without it
        # what is known before it lands is drawn meanwhile: the legend, the map's extent
        # (checked before the event loop runs: the job cannot have landed yet)
        settings = rig.view.settings
        assert rig.view.scene is None and len(rig.view.cliff.legend.items) == 5
        (w0, w1), (b0, b1) = rig.view.map_plot.getViewBox().viewRange()
        assert (w0, w1, b0, b1) == pytest.approx((*settings.w_range, *settings.b_range))
        qtbot.wait(50)
        assert rig.ctx.runner.wait(120_000)
        qtbot.waitUntil(lambda: rig.view.scene is not None, timeout=10_000)
        scene = rig.view.cliff.canvas.scene()

        def geometries():
            return {id(i): i.geometry() for i in scene.items()
                    if isinstance(i, QtWidgets.QGraphicsWidget) and i.isVisible()}

        drawn = geometries()
        redraws = []
        real_draw = rig.view._draw_and_lay_out
        rig.view._draw_and_lay_out = lambda frame: (redraws.append(1), real_draw(frame))
        qtbot.wait(100)  # posted layout requests, fits and redraws would run now
        after = geometries()
        moved = [k for k in drawn if k in after and after[k] != drawn[k]]
        assert not moved, f"{len(moved)} plot parts resized after the draw"
        assert not redraws
    finally:
        rig.close()


def test_a_new_scene_keeps_the_plots_in_place(rig, view, qtbot):
    """The side plots' tick labels change with each scene; their axes keep their width, so a
    click's new scene does not shift the plots sideways (the caption above may take another
    line: the plots may move down)."""
    boxes = [p.getViewBox() for p in (view.map_plot, view.cliff.loss_plot, view.cliff.step_plot)]

    def columns():
        return [(vb.sceneBoundingRect().left(), vb.sceneBoundingRect().width()) for vb in boxes]

    before = columns()
    old = view.scene
    for w, b in ((4.2, -1.7), (4.6, -2.2)):  # inside the map each scene shows
        qtbot.wait(QtWidgets.QApplication.doubleClickInterval() + 50)  # two clicks, not a double
        click_map(view, qtbot, w, b)
        assert rig.ctx.runner.wait(120_000)
        qtbot.waitUntil(lambda o=old: view.scene is not o, timeout=10_000)
        old = view.scene
        assert columns() == before


def test_settings_controls_recompute_the_scene(rig, view):
    view.T.setValue(20)
    view.target.setValue(0.3)
    settle(rig)
    m = view.scene.settings.model
    assert (m.T, m.target) == (20, 0.3)
    s = ls.loss_surface(m, (view.scene.surface.w[0], view.scene.surface.w[-1]),
                        (view.scene.surface.b[0], view.scene.surface.b[-1]),
                        view.scene.surface.w.size)
    np.testing.assert_array_equal(view.heat_values, s.log10_L)
    assert "T = 20" in view.caption.text
    view.default_button.click()
    settle(rig)
    assert view.scene.settings == CliffSettings()


def test_line_mode_is_a_direct_evaluation_of_the_session(rig, view):
    view.mode_box.setCurrentIndex(1)
    settle(rig)
    assert view.mode == "line" and view.stack.currentIndex() == 1
    r = rig.app.result
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
    # the session's own eta and tau, and the caption says so
    assert "session's η" in view.line_caption.text and "session's τ" in view.line_caption.text
    # a new session redraws the line
    rig.app.update_config(input_seed=5)
    rig.app.compute_now()
    settle(rig)
    assert view.line_curve.getData()[1][100] == pytest.approx(rig.app.result.backward.loss)
    assert view.graphics_item() is view.line_canvas.ci


def test_options_round_trip(rig, view):
    errors = []
    rig.app.error.connect(errors.append)
    # an unknown key is refused by the schema, and nothing changes
    before = rig.app.options["landscape"]
    assert not rig.app.set_options("landscape", mode="line", unknown=1)
    assert "unknown" in errors[-1] and rig.app.options["landscape"] == before
    assert rig.app.set_options("landscape", mode="line", T=30, target=0.4, lr=0.1, clip=1.5,
                               steps=25, start=[2.0, -3.0], span=2.5)
    settle(rig)
    o = rig.app.options["landscape"].to_dict()
    assert o == {"mode": "line", "T": 30, "target": 0.4, "lr": 0.1, "clip": 1.5, "steps": 25,
                 "start": [2.0, -3.0], "span": 2.5}
    assert view.line.alphas[-1] == pytest.approx(2.5)
    assert (view.T.value(), view.lr.value(), view.span_box.value()) == (30, 0.1, 2.5)
    assert not rig.app.set_options("landscape", lr=-1)
    assert "lr" in errors[-1]  # the model's message: the settings were not restored
    assert rig.app.options["landscape"].to_dict() == o


def test_random_actions_on_the_landscape_in_the_window(qtbot, make_window):
    """A seeded storm of the landscape's actions and the session's in the real window: nothing
    raises, the model stays consistent, the drawn paths stay the engine's."""
    rng = np.random.default_rng(3)
    w = make_window(size=(1300, 850))
    app = w.app
    w.show_tab("Landscape")
    lv = w.view("landscape")

    def click_map_():
        w.show_tab("Landscape")
        vb = lv.map_viewbox()
        p = vb.mapViewToScene(QtCore.QPointF(rng.uniform(-2, 12), rng.uniform(-8, 2)))
        qtbot.mouseClick(lv.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton,
                         pos=lv.canvas.mapFromScene(p))

    actions = {
        "task": lambda: app.update_config(task=str(rng.choice(["delayed-recall", "adding",
                                                               "char-text"]))),
        "session clip": lambda: app.update_config(clip=float(rng.choice([0.5, 5.0]))),
        "clip mode": lambda: app.update_config(clip_mode=str(rng.choice(["global",
                                                                         "per_step"]))),
        "click": click_map_,
        "mode": lambda: lv.mode_box.setCurrentIndex(int(rng.integers(2))),
        "T": lambda: lv.T.setValue(int(rng.integers(1, 80))),
        "clip-tau": lambda: lv.clip.setValue(float(rng.uniform(0.1, 5))),
        "steps": lambda: lv.steps.setValue(int(rng.integers(5, 60))),
        "span": lambda: lv.span_box.setValue(float(rng.choice([0.0, 0.5, 3.0]))),
        "default": lambda: lv.default_button.click(),
        "play": lambda: app.set_playing(True),
        "frame": lambda: app.set_frame(int(rng.integers(0, app.n_frames))),
        "tab": lambda: w.tabs.setCurrentIndex(int(rng.integers(w.tabs.count()))),
    }
    names = list(actions)
    for i in range(30):
        actions[names[int(rng.integers(len(names)))]]()
        QtWidgets.QApplication.processEvents()
        if i % 10 == 0:
            qtbot.wait(15)
        assert app.cursor == app.cursor.clamp(app.T)
    app.set_playing(False)
    assert w.session.wait()
    app.set_options("landscape", mode="cliff")
    w.show_tab("Landscape")
    assert w.ctx.runner.wait(120_000)
    QtWidgets.QApplication.processEvents()
    assert app.result.config == app.config
    draw_waiting(lv, w.ctx, Cursor("update", app.T))
    st = lv.scene.settings
    assert st == lv.settings
    u = ls.descend(st.model, st.start, st.lr, st.n_steps)
    np.testing.assert_array_equal(lv.drawn["unclipped"], u.points)


def test_large_type_gives_the_side_plots_short_titles(rig):
    """In presentation type the side plots' rotated titles ran into each other."""
    from gui.frames import frame_for

    view = rig.view
    view.draw(frame_for(view, rig.ctx, theme=themes.presentation(themes.get("light"))))
    assert view.cliff.loss_plot.getAxis("left").labelText == "L"
    assert view.cliff.step_plot.getAxis("left").labelText == "‖Δ(w, b)‖"
    view.draw(frame_for(view, rig.ctx))
    assert view.cliff.loss_plot.getAxis("left").labelText == "loss L (log)"
