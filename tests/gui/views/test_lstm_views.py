"""The LSTM block views (circuit, Space Odyssey): what they draw equals the trace, the purple
routes equal sim.lstm_graph' routes, the selection is shared, and a SimpleRNN session does not crash."""

import numpy as np
import pytest
from gui.state import AppState
from gui.views.lstm_circuit import CIRCUIT, LstmCircuitView
from gui.views.lstm_common import FLOW_HEX, NEXT_NODES, block_stage, graph_for, scales_for
from gui.views.lstm_odyssey import ODYSSEY, LstmOdysseyView

from gui import colors
from gui.graphics.labels import fmt
from gui.model.cursor import Cursor
from sim.lstm_graph import FLOW_NAMES, WIRE, BlockGraph
from sim.run import SessionConfig, compute

VIEWS = [LstmCircuitView, LstmOdysseyView]
T = 12


def _state(peepholes=False, **kw):
    cfg = dict(model="LSTM", peepholes=peepholes, hidden=6, length=T)
    cfg.update(kw)
    return AppState(SessionConfig(**cfg))


def _view(qtbot, cls, st):
    v = cls(st)
    qtbot.addWidget(v)
    v.resize(1400, 800)
    return v


def _show(v, st, text):
    cursor = Cursor.parse(text, st.T)
    st.set_cursor(cursor)
    v.render(st.result, cursor)
    return cursor.t


def _rgb(table_idx):
    return tuple(int(c) for c in colors.TABLES["diverging"][table_idx])


@pytest.mark.parametrize("cls", VIEWS)
@pytest.mark.parametrize("peep", [False, True])
def test_forward_values_are_the_trace(qtbot, cls, peep):
    st = _state(peep)
    st.set_selection(unit=2)
    v = _view(qtbot, cls, st)
    tr = st.result.forward
    scales = scales_for(st.result)
    for text in ("forward:1", "forward:5", f"forward:{T}"):
        t = _show(v, st, text)
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
def test_backward_errors_are_the_trace(qtbot, cls, peep):
    st = _state(peep)
    st.set_selection(unit=1)
    v = _view(qtbot, cls, st)
    tr, d = st.result.forward, st.result.backward.deltas
    p = tr.params
    k = 1
    for text in (f"backward:{T}", "backward:6", "backward:1"):
        t = _show(v, st, text)
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
        scales = scales_for(st.result)
        idx = colors.signed_index(d["y"][r], scales["err"])
        assert v.cell_colors("y") == [_rgb(i) for i in idx]


@pytest.mark.parametrize("cls", VIEWS)
def test_truncated_errors_from_t_plus_1_are_what_is_passed_back(qtbot, cls):
    st = _state(True, task="generate", truncation=3)
    v = _view(qtbot, cls, st)
    g = BlockGraph(st.result.forward, st.result.backward)
    d = st.result.backward.deltas
    t = _show(v, st, "backward:5")
    np.testing.assert_array_equal(v.shown_values()["next:c"], g.carried(t + 1)["c"])
    assert not np.allclose(g.carried(t + 1)["c"], d["c"][t])  # truncation matters here
    w = v.wire_errors_shown()
    k = st.selection.unit
    into_c = [(0, "c->tanh_c"), (0, "c->o_bar"), (1, "c_prev->cf"), (1, "c_prev->i_bar"),
              (1, "c_prev->f_bar")]
    assert sum(w[key] for key in into_c) == pytest.approx(d["c"][t - 1, k], abs=1e-12)


@pytest.mark.parametrize("cls", VIEWS)
@pytest.mark.parametrize("peep", [False, True])
def test_follow_one_flow_draws_the_routes_of_sim_flows(qtbot, cls, peep):
    st = _state(peep)
    v = _view(qtbot, cls, st)
    graph = graph_for(st.result)
    for text in ("forward:1", "backward:7", f"backward:{T}"):
        for name in FLOW_NAMES:
            st.set_selection(flow=name)
            t = _show(v, st, text)
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
            drawn = sum(len(s) for s in v.flow_lines.drawn.values())
            assert drawn == sum(len(v.layout.wires[key]) - 1 for key in want)
            assert v.current_flow().route_sum() == pytest.approx(flow.route_sum())
            start = {"c_prev": "c_prev", "y_prev": "y_prev"}.get(name, name)
            assert v.box_pen_color(start) == colors.hex_to_rgb(FLOW_HEX)
            if flow.delta is not None:
                assert f"(engine: {fmt(float(flow.delta[st.selection.unit]))})" in \
                    v.readout.text
    st.set_selection(flow=None)
    v.render(st.result, st.cursor)
    assert v.flow_keys() == set() and not v.flow_lines.drawn


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


def test_selection_and_stage_persist_across_the_two_views(qtbot):
    st = _state(True)
    circuit, odyssey = _view(qtbot, LstmCircuitView, st), _view(qtbot, LstmOdysseyView, st)
    _show(circuit, st, "backward:8")
    # click unit 4 of c(t) in the circuit
    from PySide6 import QtCore

    n = int(np.flatnonzero((circuit._node_of == "c") & (circuit._unit_of == 4))[0])
    circuit.click_at(QtCore.QPointF(*circuit._pos[n]))
    assert st.selection.unit == 4
    n = int(np.flatnonzero(circuit._node_of == "x")[1])
    circuit.click_at(QtCore.QPointF(*circuit._pos[n]))
    assert st.selection.unit == 4  # x(t)'s cells are inputs, not hidden units
    circuit.flow_combo.activated.emit(circuit.flow_combo.findData("f_bar"))
    assert st.selection.flow == "f_bar"
    block_stage(st).set(2)  # stage ③: δc(t)
    odyssey.render(st.result, st.cursor)
    d = st.result.backward.deltas
    assert odyssey.unit_spin.value() == 5
    assert fmt(float(d["c"][7, 4])) in odyssey.node_texts()["c"]
    assert odyssey.flow_combo.currentData() == "f_bar"
    circuit.render(st.result, st.cursor)
    assert odyssey.flow_keys() == circuit.flow_keys()
    assert odyssey.stage_combo.currentData() == 2
    assert odyssey.shown_values()["f_bar"] is None  # stage ④ not reached: greyed
    np.testing.assert_array_equal(odyssey.shown_values()["c"], d["c"][7])
    # the odyssey's spin box writes back too
    odyssey.unit_spin.setValue(2)
    assert st.selection.unit == 1


def test_stage_walk_greys_what_is_not_computed_and_moves_the_cursor(qtbot):
    st = _state(False)
    v = _view(qtbot, LstmCircuitView, st)
    _show(v, st, "forward:4")
    stage = block_stage(st)
    v.step_stage(1)
    assert stage.stage == 0  # stage ①
    v.render(st.result, st.cursor)
    shown = v.shown_values()
    assert shown["z"] is not None and shown["i"] is None and shown["c"] is None
    assert shown["x"] is not None and shown["c_prev"] is not None  # inputs are given
    for _ in range(6):
        v.step_stage(1)
    assert stage.stage == 6  # stage ⑦
    v.render(st.result, st.cursor)
    assert all(v.shown_values()[n] is not None for n in ("c", "y", "out"))
    assert "③" in v.node_texts()["f"]
    assert v.box_pen_color("out") == colors.hex_to_rgb(v.theme.highlight)
    v.step_stage(1)  # past the last stage: the next step, from stage 1
    assert st.cursor == Cursor("forward", 5) and stage.stage == 0
    v.step_stage(-1)
    assert st.cursor == Cursor("forward", 4) and stage.stage == 6
    stage.set(None)


@pytest.mark.parametrize("cls", VIEWS)
def test_simple_rnn_session_says_so_and_offers_the_lstm(qtbot, cls):
    st = AppState(SessionConfig(model="SimpleRNN", hidden=4, length=6))
    st.set_selection(flow="h")
    v = _view(qtbot, cls, st)
    v.render(st.result, Cursor.parse("backward:3", 6))
    assert v.rnn_bar.isVisibleTo(v) and not v.controls.isEnabled()
    assert "SimpleRNN" in v.caption.text and v.shown_values() == {}
    v.rnn_button.click()
    assert st.wait()
    qtbot.waitUntil(lambda: st.result.kind == "LSTM", timeout=5000)
    v.render(st.result, st.cursor)  # the flow "h" is not an LSTM variable: nothing followed
    assert not v.rnn_bar.isVisibleTo(v) and v.flow_keys() == set()
    assert v.shown_values()["c"] is not None


def test_export_shows_the_purple_routes(qtbot):
    import pyqtgraph.exporters as exporters
    from PySide6 import QtWidgets

    st = _state(True)
    st.set_selection(flow="c")
    v = _view(qtbot, LstmCircuitView, st)
    v.show()
    QtWidgets.QApplication.processEvents()
    _show(v, st, "backward:6")
    v.set_export_style(True)
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
    v.set_export_style(False)


def test_hover_describes_cells_and_wires(qtbot):
    from PySide6 import QtCore

    st = _state(True)
    v = _view(qtbot, LstmCircuitView, st)
    _show(v, st, "backward:5")
    n = int(np.flatnonzero((v._node_of == "c") & (v._unit_of == 2))[0])
    x, y = v._pos[n]
    text = v.describe_at(QtCore.QPointF(x, y))
    d = st.result.backward.deltas
    assert text == f"δc(t), unit 3: {fmt(float(d['c'][4, 2]))}"
    pts = v.layout.wires[(0, "c->o_bar")]
    text = v.describe_at(QtCore.QPointF(*pts[1]))
    assert text.startswith("c(t) → ō(t) (block t): ∂ō(t)/∂c(t) = p_o; carries back ")
    k = st.selection.unit  # wires carry the selected unit's term
    assert fmt(float(st.result.forward.params["p_o"][k] * d["o_bar"][4, k])) in text


def test_dark_theme_recolours_what_is_not_computed(qtbot):
    from gui import theme as themes

    st = _state(False)
    v = _view(qtbot, LstmOdysseyView, st)
    v.apply_theme(themes.DARK)
    _show(v, st, "forward:3")
    faint = colors.hex_to_rgb(themes.DARK.faint)
    assert set(v.cell_colors("next:c")) == {faint}  # block t+1: not computed yet
    assert v.box_pen_color("next:c") == faint
    assert v.cell_colors("c") != [faint] * 6


def test_a_real_mouse_click_on_a_cell_selects_its_unit(qtbot):
    from PySide6 import QtCore, QtWidgets

    st = _state(False)
    v = _view(qtbot, LstmCircuitView, st)
    v.show()
    QtWidgets.QApplication.processEvents()
    _show(v, st, "forward:4")
    n = int(np.flatnonzero((v._node_of == "f") & (v._unit_of == 5))[0])
    scene_pt = v.vb.mapViewToScene(QtCore.QPointF(*v._pos[n]))
    pt = v.canvas.mapFromScene(scene_pt)
    qtbot.mouseClick(v.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pt)
    assert st.selection.unit == 5
