"""The LSTM block views (circuit, Space Odyssey): what they draw equals the trace, the purple
routes equal sim.lstm_graph' routes, the selection is shared, and a SimpleRNN session does not
crash."""

import numpy as np
import pytest

from gui import colors, views
from gui.context import Context
from gui.frames import make_frame
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present.lstm_block import (
    COMPUTING,
    FLOW_HEX,
    NEXT_NODES,
    BlockGraphJob,
    block_scales,
)
from gui.model.present.numbers import fmt
from gui.views.lstm_block.circuit import CIRCUIT, LstmCircuitView
from gui.views.lstm_block.odyssey import ODYSSEY, LstmOdysseyView
from sim.lstm_graph import FLOW_NAMES, WIRE, BlockGraph
from sim.run import SessionConfig, compute
from tests.gui.conftest import draw, draw_waiting

VIEWS = [LstmCircuitView, LstmOdysseyView]
T = 12


@pytest.fixture
def make_ctx(qapp):
    """make_ctx(peepholes=False, **config) -> a Context on an LSTM session (closed after)."""
    made = []

    def make(peepholes=False, **kw):
        cfg = dict(model="LSTM", peepholes=peepholes, hidden=6, length=T)
        cfg.update(kw)
        ctx = Context(AppModel(SessionConfig(**cfg)))
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def _view(qtbot, cls, ctx):
    v = cls(ctx)
    qtbot.addWidget(v)
    v.resize(1400, 800)
    return v


def _show(v, ctx, text=None):
    """Draw ``v`` at cursor ``text`` (None: the model's cursor), with its block graph."""
    cursor = None if text is None else Cursor.parse(text, ctx.app.T)
    draw_waiting(v, ctx, cursor)
    return ctx.app.cursor.t


def graph_for(result):
    return BlockGraphJob(result).compute(lambda f: None, lambda: False).graph


def _rgb(table_idx):
    return tuple(int(c) for c in colors.TABLES["diverging"][table_idx])


@pytest.mark.parametrize("cls", VIEWS)
@pytest.mark.parametrize("peep", [False, True])
def test_forward_values_are_the_trace(qtbot, make_ctx, cls, peep):
    ctx = make_ctx(peep)
    ctx.app.set_selection(unit=2)
    v = _view(qtbot, cls, ctx)
    tr = ctx.app.result.forward
    scales = block_scales(ctx.app.result)
    for text in ("forward:1", "forward:5", f"forward:{T}"):
        t = _show(v, ctx, text)
        r = t - 1
        shown = v.shown_values()
        want = {"x": tr.x[r], "z_bar": tr.z_bar[r], "i_bar": tr.i_bar[r], "f_bar": tr.f_bar[r],
                "o_bar": tr.o_bar[r], "z": tr.z[r], "i": tr.i[r], "f": tr.f[r], "o": tr.o[r],
                "c": tr.c[r], "y": tr.y[r], "out": tr.y_hat[r],
                "c_prev": tr.c[r - 1] if t > 1 else np.zeros(6),
                "y_prev": tr.y[r - 1] if t > 1 else np.zeros(6),
                "zi": tr.z[r] * tr.i[r], "tanh_c": np.tanh(tr.c[r]),
                "cf": (tr.c[r - 1] if t > 1 else 0) * tr.f[r]}
        for name, arr in want.items():
            np.testing.assert_allclose(shown[name], arr, err_msg=f"{name} at t = {t}")
        for name in NEXT_NODES:
            assert shown[name] is None  # block t+1 is not computed yet
        # colours: cell k of c(t) is the diverging colour of c_k(t) on the fixed scale
        idx = colors.signed_index(tr.c[r], scales["pre"])
        assert v.cell_colors("c") == [_rgb(i) for i in idx]
        idx = colors.signed_index(tr.f[r], 1.0)
        assert v.cell_colors("f") == [_rgb(i) for i in idx]
        texts = v.node_texts()
        assert fmt(float(tr.c[r, 2])) in texts["c"] and "c(t)" in texts["c"]
        assert fmt(float(tr.o[r, 2])) in texts["o"]
        assert texts["z_bar"].startswith("①") and texts["y"].startswith("⑥")


@pytest.mark.parametrize("cls", VIEWS)
@pytest.mark.parametrize("peep", [False, True])
def test_backward_errors_are_the_trace(qtbot, make_ctx, cls, peep):
    ctx = make_ctx(peep)
    ctx.app.set_selection(unit=1)
    v = _view(qtbot, cls, ctx)
    tr, d = ctx.app.result.forward, ctx.app.result.backward.deltas
    p = tr.params
    k = 1
    for text in (f"backward:{T}", "backward:6", "backward:1"):
        t = _show(v, ctx, text)
        r = t - 1
        shown = v.shown_values()
        for name in ("y", "c", "z_bar", "i_bar", "f_bar", "o_bar", "out"):
            np.testing.assert_array_equal(shown[name], d[name][r])
        np.testing.assert_allclose(shown["z"], d["c"][r] * tr.i[r])  # δz = δc ⊙ i
        np.testing.assert_allclose(shown["o"], d["y"][r] * np.tanh(tr.c[r]))  # δo = δy ⊙ tanh c
        assert shown["x"] is None and shown["c_prev"] is None  # no error / the next step's
        for name in ("c", "z_bar", "i_bar", "f_bar", "o_bar"):
            got = shown[f"next:{name}"]
            if t == T:
                assert got is None
            else:
                np.testing.assert_array_equal(got, d[name][r + 1])
        w = v.wire_errors_shown()
        tanh_c = np.tanh(tr.c[r])
        assert w[(0, "c->tanh_c")] == pytest.approx(d["y"][r, k] * tr.o[r, k]
                                                    * (1 - tanh_c[k] ** 2))
        # everything arriving at c(t) sums to δc(t), the articles' equation
        into_c = [(0, "c->tanh_c"), (0, "c->o_bar"), (1, "c_prev->cf"), (1, "c_prev->i_bar"),
                  (1, "c_prev->f_bar")]
        total = sum(w.get(key, 0.0) for key in into_c)
        assert total == pytest.approx(d["c"][r, k], abs=1e-12)
        assert ((1, "c_prev->i_bar") in w) == (peep and t < T)
        if t < T:
            assert w[(1, "c_prev->cf")] == pytest.approx(d["c"][r + 1, k] * tr.f[r + 1, k])
            assert w[(1, "y_prev->z_bar")] == pytest.approx((p["R_z"].T @ d["z_bar"][r + 1])[k])
        # the wire's colour is the sign of what it carries
        for key, val in w.items():
            style = v.wire_style(key)
            if val != 0:
                assert style[0] == "err" and style[1] == int(np.sign(val))
        texts = v.node_texts()
        assert texts["c"].startswith("③ δc(t)") and fmt(float(d["c"][r, k])) in texts["c"]
        scales = block_scales(ctx.app.result)
        idx = colors.signed_index(d["y"][r], scales["err"])
        assert v.cell_colors("y") == [_rgb(i) for i in idx]


@pytest.mark.parametrize("cls", VIEWS)
def test_truncated_errors_from_t_plus_1_are_what_is_passed_back(qtbot, make_ctx, cls):
    ctx = make_ctx(True, task="generate", truncation=3)
    v = _view(qtbot, cls, ctx)
    g = BlockGraph(ctx.app.result.forward, ctx.app.result.backward)
    d = ctx.app.result.backward.deltas
    t = _show(v, ctx, "backward:5")
    np.testing.assert_array_equal(v.shown_values()["next:c"], g.carried(t + 1)["c"])
    assert not np.allclose(g.carried(t + 1)["c"], d["c"][t])  # truncation matters here
    w = v.wire_errors_shown()
    k = ctx.app.selection.unit
    into_c = [(0, "c->tanh_c"), (0, "c->o_bar"), (1, "c_prev->cf"), (1, "c_prev->i_bar"),
              (1, "c_prev->f_bar")]
    assert sum(w[key] for key in into_c) == pytest.approx(d["c"][t - 1, k], abs=1e-12)


@pytest.mark.parametrize("cls", VIEWS)
@pytest.mark.parametrize("peep", [False, True])
def test_follow_one_flow_draws_the_routes_of_sim_flows(qtbot, make_ctx, cls, peep):
    ctx = make_ctx(peep)
    v = _view(qtbot, cls, ctx)
    graph = graph_for(ctx.app.result)
    for text in ("forward:1", "backward:7", f"backward:{T}"):
        for name in FLOW_NAMES:
            ctx.app.set_selection(flow=name)
            t = _show(v, ctx, text)
            try:
                flow = graph.flow(name, t)
            except ValueError:
                flow = None
            if flow is None:
                assert v.flow_keys() == set() and v.current_flow() is None
                continue
            want = {(b - t, wid) for b, wid in flow.keys}
            assert v.flow_keys() == want, (name, text)
            assert want <= set(v.layout.wires)  # every route is a drawn wire
            drawn = sum(len(s) for s in v.flow_lines.drawn().values())
            assert drawn == sum(len(v.layout.wires[key]) - 1 for key in want)
            assert v.current_flow().route_sum() == pytest.approx(flow.route_sum())
            start = {"c_prev": "c_prev", "y_prev": "y_prev"}.get(name, name)
            assert v.box_pen_color(start) == colors.hex_to_rgb(FLOW_HEX)
            if flow.delta is not None:
                assert f"(engine: {fmt(float(flow.delta[ctx.app.selection.unit]))})" in \
                    v.readout.text
    ctx.app.set_selection(flow=None)
    _show(v, ctx)
    assert v.flow_keys() == set() and not v.flow_lines.drawn()


@pytest.mark.parametrize("layout", [CIRCUIT, ODYSSEY], ids=["circuit", "odyssey"])
def test_layouts_hold_every_wire_a_flow_can_take(layout):
    r = compute(SessionConfig(model="LSTM", peepholes=True, hidden=3, length=6))
    g = BlockGraph(r.forward, r.backward)
    for t in (1, 3, 6):
        for name in FLOW_NAMES:
            try:
                keys = g.flow(name, t).keys
            except ValueError:
                continue
            assert {(b - t, wid) for b, wid in keys} <= set(layout.wires), name
    block = {(0, w.id) for w in WIRE.values()}
    assert block <= set(layout.wires)  # every wire of block t is drawn
    names = {n.name for n in layout.nodes}
    assert {"x", "y_prev", "c_prev", "z_bar", "z", "i_bar", "i", "f_bar", "f", "zi", "cf", "c",
            "o_bar", "o", "tanh_c", "y", "out", *NEXT_NODES} == names



def test_selection_and_stage_persist_across_the_two_views(qtbot, make_ctx):
    ctx = make_ctx(True)
    app = ctx.app
    circuit, odyssey = _view(qtbot, LstmCircuitView, ctx), _view(qtbot, LstmOdysseyView, ctx)
    _show(circuit, ctx, "backward:8")
    # click unit 4 of c(t) in the circuit
    from PySide6 import QtCore

    n = int(np.flatnonzero((circuit._node_of == "c") & (circuit._unit_of == 4))[0])
    circuit.click_at(QtCore.QPointF(*circuit._pos[n]))
    assert app.selection.unit == 4
    n = int(np.flatnonzero(circuit._node_of == "x")[1])
    circuit.click_at(QtCore.QPointF(*circuit._pos[n]))
    assert app.selection.unit == 4  # x(t)'s cells are inputs, not hidden units
    circuit.flow_combo.activated.emit(circuit.flow_combo.findData("f_bar"))
    assert app.selection.flow == "f_bar"
    app.set_selection(stage=2)  # stage ③: δc(t)
    _show(odyssey, ctx)
    d = app.result.backward.deltas
    assert odyssey.unit_spin.value() == 5
    assert fmt(float(d["c"][7, 4])) in odyssey.node_texts()["c"]
    assert odyssey.flow_combo.currentData() == "f_bar"
    _show(circuit, ctx)
    assert odyssey.flow_keys() == circuit.flow_keys()
    assert odyssey.stage_combo.currentData() == 2
    assert odyssey.shown_values()["f_bar"] is None  # stage ④ not reached: greyed
    np.testing.assert_array_equal(odyssey.shown_values()["c"], d["c"][7])
    # the odyssey's spin box writes back too
    odyssey.unit_spin.setValue(2)
    assert app.selection.unit == 1


def test_stage_walk_greys_what_is_not_computed_and_moves_the_cursor(qtbot, make_ctx):
    ctx = make_ctx(False)
    app = ctx.app
    v = _view(qtbot, LstmCircuitView, ctx)
    _show(v, ctx, "forward:4")
    v.step_stage(1)
    assert app.selection.stage == 0  # stage ①
    _show(v, ctx)
    shown = v.shown_values()
    assert shown["z"] is not None and shown["i"] is None and shown["c"] is None
    assert shown["x"] is not None and shown["c_prev"] is not None  # inputs are given
    for _ in range(6):
        v.step_stage(1)
    assert app.selection.stage == 6  # stage ⑦
    _show(v, ctx)
    assert all(v.shown_values()[n] is not None for n in ("c", "y", "out"))
    assert "③" in v.node_texts()["f"]
    assert v.box_pen_color("out") == colors.hex_to_rgb(v.theme.highlight)
    v.step_stage(1)  # past the last stage: the next step, from stage 1
    assert app.cursor == Cursor("forward", 5) and app.selection.stage == 0
    v.step_stage(-1)
    assert app.cursor == Cursor("forward", 4) and app.selection.stage == 6
    # the stage buttons do the same
    v.next_stage.click()
    assert app.cursor == Cursor("forward", 5) and app.selection.stage == 0
    app.set_selection(stage=None)


@pytest.mark.parametrize("cls", VIEWS)
def test_simple_rnn_session_says_so_and_offers_the_lstm(qtbot, make_ctx, cls):
    ctx = make_ctx(model="SimpleRNN", hidden=4, length=6)
    app = ctx.app
    app.set_selection(flow="h")
    v = _view(qtbot, cls, ctx)
    assert v.needs(make_frame(app)) == {}  # no block graph to compute
    _show(v, ctx, "backward:3")
    assert v.rnn_bar.isVisibleTo(v) and not v.controls.isEnabled()
    assert "SimpleRNN" in v.caption.text and v.shown_values() == {}
    assert "SimpleRNN" in v.rnn_label.text()
    v.rnn_button.click()
    assert app.pending is not None and app.pending.config.model == "LSTM"
    app.compute_now()
    assert app.result.kind == "LSTM"
    _show(v, ctx)  # the flow "h" is not an LSTM variable: nothing followed
    assert not v.rnn_bar.isVisibleTo(v) and v.flow_keys() == set()
    assert v.shown_values()["c"] is not None


def test_export_shows_the_purple_routes(qtbot, make_ctx):
    import pyqtgraph.exporters as exporters
    from PySide6 import QtWidgets

    ctx = make_ctx(True)
    ctx.app.set_selection(flow="c")
    v = _view(qtbot, LstmCircuitView, ctx)
    v.show()
    QtWidgets.QApplication.processEvents()
    ctx.app.set_cursor(Cursor.parse("backward:6", T))
    draw_waiting(v, ctx, export=True)
    img = exporters.ImageExporter(v.graphics_item())
    img.parameters()["width"] = 1200
    qimg = img.export(toBytes=True)
    arr = np.array([[qimg.pixelColor(x, y).getRgb()[:3] for x in range(0, qimg.width(), 3)]
                    for y in range(0, qimg.height(), 3)])  # (h, w, 3) subsampled
    purple = np.array(colors.hex_to_rgb(FLOW_HEX))
    bg = np.array(colors.hex_to_rgb(v.theme.background))
    near_purple = (np.abs(arr - (purple * 0.37 + bg * 0.63)).sum(axis=2) < 40).sum()
    assert near_purple > 50  # the translucent purple halo is there
    assert (np.abs(arr - bg).sum(axis=2) > 30).mean() > 0.05  # something is drawn
    draw_waiting(v, ctx, export=False)
    assert not v.exporting


def test_hover_describes_cells_and_wires(qtbot, make_ctx):
    from PySide6 import QtCore

    ctx = make_ctx(True)
    v = _view(qtbot, LstmCircuitView, ctx)
    _show(v, ctx, "backward:5")
    n = int(np.flatnonzero((v._node_of == "c") & (v._unit_of == 2))[0])
    x, y = v._pos[n]
    text = v.describe_at(QtCore.QPointF(x, y))
    d = ctx.app.result.backward.deltas
    assert text == f"δc(t), unit 3: {fmt(float(d['c'][4, 2]))}"
    pts = v.layout.wires[(0, "c->o_bar")]
    text = v.describe_at(QtCore.QPointF(*pts[1]))
    assert text.startswith("c(t) → ō(t) (block t): ∂ō(t)/∂c(t) = p_o; carries back ")
    k = ctx.app.selection.unit  # wires carry the selected unit's term
    assert fmt(float(ctx.app.result.forward.params["p_o"][k] * d["o_bar"][4, k])) in text


def test_dark_theme_recolours_what_is_not_computed(qtbot, make_ctx):
    from gui import theme as themes

    ctx = make_ctx(False)
    v = _view(qtbot, LstmOdysseyView, ctx)
    _show(v, ctx, "forward:2")
    ctx.app.set_theme("dark")
    _show(v, ctx, "forward:3")
    faint = colors.hex_to_rgb(themes.DARK.faint)
    assert set(v.cell_colors("next:c")) == {faint}  # block t+1: not computed yet
    assert v.box_pen_color("next:c") == faint
    assert v.cell_colors("c") != [faint] * 6


def test_a_real_mouse_click_on_a_cell_selects_its_unit(qtbot, make_ctx):
    from PySide6 import QtCore, QtWidgets

    ctx = make_ctx(False)
    v = _view(qtbot, LstmCircuitView, ctx)
    v.show()
    QtWidgets.QApplication.processEvents()
    _show(v, ctx, "forward:4")
    n = int(np.flatnonzero((v._node_of == "f") & (v._unit_of == 5))[0])
    scene_pt = v.vb.mapViewToScene(QtCore.QPointF(*v._pos[n]))
    pt = v.canvas.mapFromScene(scene_pt)
    qtbot.mouseClick(v.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pt)
    assert ctx.app.selection.unit == 5


# -- the new structure ------------------------------------------------------------------------
def test_both_views_are_registered_in_their_tabs():
    tabs = dict(views.tabs())
    # each tab leads with its block; the equation strip of the step sits under it
    assert tabs["LSTM circuit"] == ["lstm-circuit", "equations"]
    assert tabs["LSTM odyssey"] == ["lstm-odyssey", "equations"]
    assert views.get("lstm-circuit") is LstmCircuitView
    assert views.get("lstm-odyssey") is LstmOdysseyView


@pytest.mark.parametrize("cls", VIEWS)
def test_until_the_block_graph_lands_the_cells_are_faint(qtbot, make_ctx, cls):
    ctx = make_ctx(True)
    v = _view(qtbot, cls, ctx)
    draw(v, ctx.app, Cursor("backward", 4))  # a frame without derived data: still computing
    assert COMPUTING in v.caption.text
    faint = colors.hex_to_rgb(v.theme.faint)
    assert set(v.cell_colors("c")) == {faint} and set(v.cell_colors("y")) == {faint}
    assert v.shown_values() == {} and v.wire_errors_shown() == {}
    _show(v, ctx)
    assert COMPUTING not in v.caption.text
    assert v.cell_colors("c") != [faint] * 6 and v.wire_errors_shown()


def test_controls_write_to_the_model_and_do_not_redraw(qtbot, make_ctx):
    ctx = make_ctx(True)
    v = _view(qtbot, LstmCircuitView, ctx)
    _show(v, ctx, "backward:6")
    before = v.node_texts()
    v.unit_spin.setValue(4)
    assert ctx.app.selection.unit == 3
    assert v.node_texts() == before  # the window's painter draws, not the view itself
    v.stage_combo.activated.emit(v.stage_combo.findData(1))
    assert ctx.app.selection.stage == 1
    _show(v, ctx)
    d = ctx.app.result.backward.deltas
    assert fmt(float(d["o_bar"][5, 3])) in v.node_texts()["o_bar"]
    assert v.shown_values()["c"] is None  # stage ③ not reached


def test_in_the_window_the_graph_lands_and_the_painter_draws(window, qtbot):
    app = window.app
    assert app.result.kind == "LSTM"
    assert window.open_view("lstm-odyssey")
    v = window.view("lstm-odyssey")
    app.set_cursor(Cursor("backward", 5))
    qtbot.waitUntil(lambda: v.shown_values().get("c") is not None, timeout=15000)
    assert COMPUTING not in v.caption.text
    v.unit_spin.setValue(3)  # writes to the model; the window's painter draws
    assert app.selection.unit == 2
    d = app.result.backward.deltas
    qtbot.waitUntil(lambda: fmt(float(d["c"][4, 2])) in v.node_texts()["c"], timeout=5000)
    v.next_stage.click()
    assert app.selection.stage == 0
    qtbot.waitUntil(lambda: v.shown_values()["c"] is None, timeout=5000)  # stage ① of 5


def test_the_update_shows_block_T(qtbot, make_ctx):
    ctx = make_ctx(False)
    v = _view(qtbot, LstmCircuitView, ctx)
    _show(v, ctx, "update")
    np.testing.assert_array_equal(v.shown_values()["c"], ctx.app.result.forward.c[T - 1])
    assert "(the update: step T's block)" in v.caption.text


def test_presentation_mode_enlarges_the_drawings_texts(qtbot, make_ctx):
    from gui import theme as themes
    from gui.frames import draw_now

    ctx = make_ctx(False)
    v = _view(qtbot, LstmOdysseyView, ctx)
    _show(v, ctx, "forward:3")
    base = v.title_texts.point_size
    assert draw_now(v, ctx, theme=themes.presentation(themes.get("light")))
    assert v.title_texts.point_size == pytest.approx(1.5 * base, rel=0.03)
    assert v.static_texts.point_size == v.title_texts.point_size


def test_odyssey_peepholes_of_the_past_leave_from_c_of_the_step_before():
    """p_i and p_f read c(t-1): their wires start at the c(t-1) node, not at the cell circle
    c(t), so backward their errors arrive at δc(t-1), as the equations say (issue 11, item 3);
    p_o reads the new c(t) and leaves the circle."""
    nodes = {n.name: n for n in ODYSSEY.nodes}
    cell, past = nodes["c"], nodes["c_prev"]

    def at_node(pt, n):
        return abs(pt[0] - n.x) <= n.width / 2 + 0.05 and abs(pt[1] - n.y) <= 0.3

    def on_circle(pt):
        return np.hypot(pt[0] - cell.x, pt[1] - (cell.y + 0.15)) <= cell.circle + 0.05

    for wire in ("c_prev->i_bar", "c_prev->f_bar"):
        start = ODYSSEY.wires[(0, wire)][0]
        assert at_node(start, past) and not on_circle(start), wire
    assert on_circle(ODYSSEY.wires[(0, "c->o_bar")][0])


def test_stage_texts_name_peepholes_only_when_the_model_has_them(qtbot, make_ctx):
    """The stage control and the caption write the peephole terms ("+ p_o⊙δō") only for an
    LSTM with peepholes: a learner reads every term as a term of their model."""
    for peep in (False, True):
        ctx = make_ctx(peep)
        view = _view(qtbot, LstmCircuitView, ctx)
        ctx.app.set_selection(stage=2)  # ③ δc(t): peephole terms in it
        _show(view, ctx, "backward:8")
        combo = [view.stage_combo.itemText(i) for i in range(view.stage_combo.count())]
        caption = view.caption.text
        assert any("p_o" in t for t in combo) == peep
        assert ("p_o" in caption) == peep, caption
