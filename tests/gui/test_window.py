"""The Unfold window as a user meets it, and the network view checked against the trace."""

import gc

import numpy as np
import pytest
from PySide6 import QtCore

from gui import colors
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present.numbers import fmt
from sim.run import SessionConfig, build_model
from tests.gui.conftest import draw


def press(qtbot, w, key):
    qtbot.keyClick(w, key)
    QtCore.QCoreApplication.processEvents()


def test_opens_on_the_default_session(window):
    s = window.app
    assert window.windowTitle().startswith("Unfold")
    c = s.config
    assert (c.model, c.task, c.hidden, c.length) == ("LSTM", "delayed-recall", 6, 12)
    assert s.cursor == Cursor("forward", 1)
    assert window.cursor_label.text() == "forward t = 1 / 12"
    assert window.playback_bar.label.text() == "forward t = 1 / 12"
    assert not window.banner.isVisible()


def test_keys_move_the_cursor_and_space_plays(window, qtbot):
    s = window.app
    press(qtbot, window, QtCore.Qt.Key.Key_Right)
    press(qtbot, window, QtCore.Qt.Key.Key_Right)
    assert s.cursor == Cursor("forward", 3)
    press(qtbot, window, QtCore.Qt.Key.Key_Left)
    assert s.cursor == Cursor("forward", 2)
    press(qtbot, window, QtCore.Qt.Key.Key_End)
    assert s.cursor == Cursor("update", 12)
    assert window.cursor_label.text() == "update"
    press(qtbot, window, QtCore.Qt.Key.Key_Home)
    assert s.cursor == Cursor("forward", 1)
    s.set_rate(4.0)  # 25 frames take 6 s: a loaded machine cannot reach the end (and stop)
    press(qtbot, window, QtCore.Qt.Key.Key_Space)
    assert s.playing
    qtbot.waitUntil(lambda: s.frame >= 3, timeout=3000)
    press(qtbot, window, QtCore.Qt.Key.Key_Space)
    assert not s.playing
    f = s.frame
    qtbot.wait(200)
    assert s.frame == f  # paused means paused


def test_playback_follows_the_wall_clock_and_stops_at_the_end(window, qtbot):
    s = window.app
    s.set_rate(16.0)
    s.set_frame(s.n_frames - 4)
    s.set_playing(True)
    qtbot.waitUntil(lambda: not s.playing, timeout=3000)
    assert s.cursor.phase == "update"
    s.set_loop(True)
    s.set_playing(True)
    qtbot.waitUntil(lambda: s.frame < 5, timeout=3000)  # wrapped around
    s.set_playing(False)


def test_status_line_in_every_phase(window):
    s = window.app
    s.set_cursor(Cursor("forward", 7))
    assert window.cursor_label.text() == "forward t = 7 / 12"
    s.set_cursor(Cursor("backward", 3))
    assert window.cursor_label.text() == "backward t = 3"


def test_forward_neurons_are_coloured_by_their_values(window):
    window.show_tab("Unfolded")
    s = window.app
    view = window.view("network")
    for t in (1, 5, 12):
        s.set_cursor(Cursor("forward", t))
        tr = s.result.forward
        table = view.node_table
        brushes = view.node_brushes()
        for n in np.flatnonzero((table[:, 0] == 1) & (table[:, 1] <= t)):
            step, k = int(table[n, 1]), int(table[n, 2])
            want = colors.TABLES["diverging"][colors.signed_index(tr.y[step - 1, k], 1.0)]
            c = brushes[n].color()
            assert (c.red(), c.green(), c.blue()) == tuple(int(v) for v in want)
        # not yet computed: faint
        later = np.flatnonzero((table[:, 0] == 1) & (table[:, 1] > t))
        for n in later:
            assert brushes[n].color().name() == window.view("network").theme.faint


def expected_arrows(result, t_cursor):
    D = result.backward.delta_by_source
    norms = np.linalg.norm(D, axis=2)
    out = set()
    T = result.T
    for s in range(T):
        for t in range(T):
            if (norms[s, t] != 0 and s >= t and t + 1 >= t_cursor
                    and result.backward.loss_mask[s] == 1):
                out.add((s + 1, t + 1))
    return out


@pytest.mark.parametrize("t", [12, 7, 1])
def test_backward_arrows_are_what_delta_by_source_implies(window, t):
    window.show_tab("Unfolded")
    s = window.app
    s.set_cursor(Cursor("backward", t))
    view = window.view("network")
    arrows = view.error_arrows()
    got = {(int(a), int(b)) for a, b, _ in arrows}
    assert got == expected_arrows(s.result, t)
    D = s.result.backward.delta_by_source
    for a, b, m in arrows:
        assert m == pytest.approx(np.linalg.norm(D[int(a) - 1, int(b) - 1]))
    # colours: each arrow is drawn in the colour of its source loss J(s)
    for (a, _, _), rgb in zip(arrows, view.error_arrow_colors(), strict=True):
        assert rgb == colors.hex_to_rgb(colors.source_hex(int(a)))
    # masked losses (delayed recall: nothing to recall for t <= delay) show no source
    assert not any(s.result.backward.loss_mask[int(a) - 1] == 0 for a, _, _ in arrows)


def test_colour_by_magnitude_toggle(window):
    window.show_tab("Unfolded")
    s = window.app
    s.set_cursor(Cursor("backward", 4))
    s.set_options("network", color_by="magnitude")
    view = window.view("network")
    cols = view.error_arrow_colors()
    viridis = {tuple(int(v) for v in row) for row in colors.TABLES["viridis"]}
    assert cols and all(c in viridis for c in cols)


def test_truncation_removes_the_right_arrows(window, qtbot):
    window.show_tab("Unfolded")
    s = window.app
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(truncation=3)
    s.set_cursor(Cursor("backward", 1))
    arrows = window.view("network").error_arrows()
    assert len(arrows)
    assert all(a - b < 3 for a, b, _ in arrows)
    assert any(a - b == 2 for a, b, _ in arrows)
    assert {(int(a), int(b)) for a, b, _ in arrows} == expected_arrows(s.result, 1)


def test_switching_model_size_and_task_recomputes_and_redraws(window, qtbot):
    window.show_tab("Unfolded")
    s = window.app
    view = window.view("network")
    s.set_cursor(Cursor("forward", 4))
    for changes in ({"model": "SimpleRNN"}, {"hidden": 9}, {"task": "sign-of-sum"},
                    {"length": 20}, {"model": "LSTM", "peepholes": True}):
        with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
            s.update_config(**changes)
        c = s.result.config
        for k, v in changes.items():
            assert getattr(c, k) == v
        tr = s.result.forward
        n_nodes = tr.T * (tr.n_in + tr.n_hidden + tr.n_out + 1)
        if tr.kind == "LSTM":  # both streams: the cell state c(t) has its own stack of H units
            n_nodes += tr.T * tr.n_hidden
        assert len(view.node_table) == n_nodes
        assert s.cursor == Cursor("forward", 4)  # the cursor stays where it makes sense
    assert window.panel.model.currentText() == "LSTM"
    assert window.panel.hidden.value() == 9


def test_shrinking_T_clamps_the_cursor(window, qtbot):
    s = window.app
    s.set_cursor(Cursor("backward", 10))
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(length=6)
    assert s.cursor == Cursor("backward", 6)


def test_panel_controls_write_to_the_state(window, qtbot):
    s = window.app
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        window.panel.hidden.setValue(4)
    assert s.result.forward.n_hidden == 4
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        window.panel.new_input.click()
    assert s.config.input_seed == 1
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        window.panel.truncation.setValue(2)
    assert s.result.backward.truncation == 2


def test_non_finite_banner_for_an_exploding_rnn(qtbot, make_window):
    cfg = SessionConfig(model="SimpleRNN", activation="relu", hidden=8, length=100,
                        task="adding")
    params = dict(build_model(cfg).params)
    params["W"] = np.eye(8) * 1e4  # weights a runaway training run could leave behind
    params["b"] = np.ones(8)
    state = AppModel(cfg)
    w = make_window(state)
    w.show_tab("Unfolded")
    assert not w.banner.isVisible()
    with qtbot.waitSignal(w.ctx.qt.result_changed, timeout=10_000):
        state.set_config(cfg, params=params)
    assert state.result.first_nonfinite_step is not None
    assert w.banner.isVisible()
    assert f"step t = {state.result.first_nonfinite_step}" in w.banner.text()
    state.set_cursor(Cursor("forward", 100))
    view = w.view("network")
    grey = colors.NONFINITE_RGB
    cols = {tuple(int(v) for v in c) for c in view.node_colors()}  # points or cells
    assert grey in cols
    state.set_cursor(Cursor("backward", 50))
    state.set_cursor(Cursor("update", 100))


def test_hover_names_a_neuron_in_the_articles_notation(window):
    window.show_tab("Unfolded")
    s = window.app
    s.set_cursor(Cursor("forward", 5))
    view = window.view("network")
    table = view.node_table
    n = int(np.flatnonzero((table[:, 0] == 1) & (table[:, 1] == 5) & (table[:, 2] == 2))[0])
    text = view.describe_at(QtCore.QPointF(table[n, 3], table[n, 4]))
    tr = s.result.forward
    assert "y<sub>3</sub>(5)" in text
    assert fmt(tr.y[4, 2]) in text  # the trace's value, as every number is written


def test_large_sizes_switch_to_level_of_detail(window, qtbot):
    window.show_tab("Unfolded")
    s = window.app
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(hidden=32, length=50)
    view = window.view("network")
    assert view.lay.large
    s.set_cursor(Cursor("forward", 10))
    assert "strongest" in view.caption.text
    meta = view.edge_meta  # rows (matrix, t, j, k); matrix 1 is the recurrent one
    per_column = (meta[:, 0] == 1) & (meta[:, 1] == 10)
    assert per_column.sum() <= 2 * 32


def test_gradient_strip_fills_in_and_sums(window):
    window.show_tab("Unfolded")
    s = window.app
    strip = window.view("gradient-strip")
    s.set_cursor(Cursor("backward", 5))
    g = np.asarray(s.result.backward.grads_per_step[strip.parameter])
    np.testing.assert_allclose(strip.running, g[4:].sum(axis=0))
    s.set_cursor(Cursor("update", 12))
    np.testing.assert_allclose(strip.running, s.result.backward.grads[strip.parameter],
                               atol=1e-12)
    s.set_selection(parameter="W_f")
    assert strip.parameter == "W_f"


def test_trained_weights_stay_until_the_seed_or_shapes_change(window, qtbot):
    s = window.app
    trained = {k: v * 0.5 for k, v in s.result.forward.params.items()}
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.set_config(s.config, params=trained)
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(truncation=2)  # same shapes: the trained weights stay
    np.testing.assert_array_equal(s.result.forward.params["R_z"], trained["R_z"])
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(seed=7)  # a new weight seed asks for new seeded weights
    assert s.params is None
    assert not np.array_equal(s.result.forward.params["R_z"], trained["R_z"])
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.set_config(s.config, params=trained)
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.reset_params()
    assert s.params is None and not np.array_equal(s.result.forward.params["R_z"],
                                                   trained["R_z"])


def test_arrow_keys_step_time_even_after_a_spin_box_was_used(window, qtbot):
    s = window.app
    box = window.panel.hidden
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    s.set_cursor(Cursor("forward", 2))
    qtbot.keyClick(box, QtCore.Qt.Key.Key_Right)
    assert s.cursor == Cursor("forward", 3)
    assert box.value() == 6  # and the box kept its value
    qtbot.keyClick(box, QtCore.Qt.Key.Key_End)
    assert s.cursor.phase == "update"


def test_long_sequences_bundle_the_error_lanes(window, qtbot):
    window.show_tab("Unfolded")
    s = window.app
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(model="SimpleRNN", hidden=4, length=64)
    s.set_cursor(Cursor("backward", 1))
    view = window.view("network")
    g = view.lay.bundle
    assert g == 4 and len(view.lay.lanes) == 16
    arrows = view.error_arrows()
    norms = np.linalg.norm(s.result.backward.delta_by_source, axis=2)  # (s, t)
    along = arrows[arrows[:, 0] != arrows[:, 1]]
    assert len(along) <= 16 * 64  # one arrow per (lane, step), not per (source, step)
    for s0, t, m in along[:40]:
        first, t0 = int(s0) - 1, int(t) - 1
        later = [q for q in range(first, first + g) if q > t0]  # errors that travel from t + 1
        want = np.sqrt(np.sum(norms[later, t0] ** 2))
        assert m == pytest.approx(want)
    assert "share a lane" in view.sources.text


@pytest.mark.parametrize("cfg", [{}, {"model": "SimpleRNN", "hidden": 40, "length": 60,
                                      "truncation": 5}])
@pytest.mark.parametrize("size", [(1000, 600), (1500, 800)])
def test_the_diagram_keeps_most_of_the_view_whatever_the_legends_say(qtbot, cfg, size):
    from gui.views.network import NetworkView

    state = AppModel(SessionConfig(**cfg))
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    for c in (Cursor("forward", 3), Cursor("backward", 2), Cursor("update", state.T)):
        draw(view, state, c)
        QtCore.QCoreApplication.processEvents()
        plot = view.vb.sceneBoundingRect()
        if view.norm_map.plot.isVisible():  # a long sequence's overview: the map is the figure too
            plot = plot.united(view.norm_map.plot.sceneBoundingRect())
        assert plot.height() > 0.55 * view.height(), c
        assert plot.width() > 0.85 * view.width(), c
        assert view.minimumSizeHint().width() < 700  # legends wrap, they do not widen the view


def test_hidden_tabs_are_made_ready_ahead_and_a_switch_only_paints(window, qtbot):
    """While the user reads one tab, the app builds, lays out at the visible page's size and
    draws the others (slow work of the session only when opened; work that is the same for
    every session, quietly ahead), one small step per idle moment (a first tab
    switch used to spend 150 to 400 ms building, laying out from 640 x 480, drawing and painting
    cold); when the moment changes, the hidden tabs are drawn again while idle; a switch then
    draws nothing again."""
    assert None in window._tab_views  # lazily built before
    window.prebuild_tabs(delay_ms=0)
    qtbot.waitUntil(lambda: window.preparer.done, timeout=90000)
    # the views live as long as the window: frozen out of the cyclic collector's full scans
    # (which took 90-120 ms on the GUI thread with them in it)
    seen = {id(o) for o in gc.get_objects()}
    views = [v for made in window._tab_views if made for v in made]
    assert gc.is_tracked(views[0]) and not any(id(v) in seen for v in views)
    size = window.tabs.currentWidget().size()
    hidden = [i for i in range(window.tabs.count()) if i != window.tabs.currentIndex()]
    assert hidden
    for i in hidden:
        assert window.tabs.widget(i).size() == size, window.tabs.tabText(i)
        for v in window._tab_views[i]:
            assert v.frame is not None and v.frame.cursor == window.app.cursor, v.name
    # the landscape's cliff (about a second, the same for every session) was computed while
    # idle, quietly (no progress bar for work nobody looks at), and drawn into the hidden tab
    landscape = window.view("landscape")
    assert landscape.frame.derived.get("scene") is not None and not landscape.frame.pending
    assert landscape.scene is landscape.frame.derived["scene"]
    assert not window.ctx.runner.busy and not window.jobs.isVisible()
    drawn = landscape.frame
    assert window.show_tab("Landscape")
    assert landscape.frame is drawn  # the switch only paints
    assert window.show_tab("Unfolded")
    window.app.step(2)
    qtbot.waitUntil(lambda: window.preparer.done, timeout=90000)
    folded = window.view("network-folded")
    drawn = folded.frame
    assert drawn.cursor == window.app.cursor  # drawn again while hidden
    assert window.show_tab("Folded")
    assert window.current_view() is folded
    assert folded.frame is drawn  # the switch drew nothing again
    assert folded.frame.result is window.app.result
    window.app.step(1)  # shown: drawn at once, as before
    assert folded.frame.cursor == window.app.cursor
    window.resize(window.width() - 150, window.height() - 100)  # hidden pages follow the window
    qtbot.waitUntil(lambda: window.preparer.done, timeout=90000)
    size = window.tabs.currentWidget().size()
    for i in range(window.tabs.count()):
        assert window.tabs.widget(i).size() == size, window.tabs.tabText(i)
