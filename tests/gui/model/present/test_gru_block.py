"""The GRU block presenter (Qt-free): what the view draws at a cursor is the trace's values
forward and the engine's deltas backward, the followed routes sum to the node's error, and every
route runs along drawn wires."""

import numpy as np
import pytest

from gui.model.palette import signed_index
from gui.model.present import gru_block as gb
from gui.model.present import gru_block_layout as gl
from gui.model.present.numbers import fmt
from sim.gru_graph import FLOW_NAMES, WIRE
from sim.run import SessionConfig, compute

T = 8


@pytest.fixture(scope="module", params=[None, 3], ids=["full", "trunc3"])
def run(request):
    return compute(SessionConfig(model="GRU", hidden=5, length=T, truncation=request.param,
                                 task="generate"))


def test_forward_cells_are_the_trace_values(run):
    tr = run.forward
    sc = gb.scales_for(run)
    for t in (1, 4, T):
        pic = gb.picture(run, gb.step_data(run, t), "forward", 2, None, None)
        k = t - 1
        for name in ("r_bar", "u_bar", "n_bar", "n_rec", "r", "u", "n", "h"):
            np.testing.assert_array_equal(pic.cells[name], getattr(tr, name)[k])
            assert pic.titles[name].endswith(f"= {fmt(getattr(tr, name)[k][2])}"), name
        np.testing.assert_array_equal(pic.cells["x"], tr.x[k])
        np.testing.assert_array_equal(pic.cells["out"], tr.y_hat[k])
        np.testing.assert_allclose(pic.cells["uh"], tr.u[k] * (tr.h[k - 1] if t > 1 else 0))
        np.testing.assert_allclose(pic.cells["un"] + pic.cells["uh"], tr.h[k])
        np.testing.assert_array_equal(pic.levels["n_bar"], signed_index(tr.n_bar[k], sc["pre"]))
        np.testing.assert_array_equal(pic.levels["u"], signed_index(tr.u[k], 1.0))
        assert all(pic.cells[n] is None for n in gl.NEXT_NODES)  # step t+1 is not computed
        assert pic.wires == {} and pic.trunks == ()


def test_backward_cells_are_the_engines_deltas(run):
    d, p = run.backward.deltas, run.forward.params
    for t in (1, 5, T):
        k = t - 1
        pic = gb.picture(run, gb.step_data(run, t), "backward", 1, None, None)
        for name in ("h", "r_bar", "u_bar", "n_bar", "n_rec", "out"):
            np.testing.assert_array_equal(pic.cells[name], d[name][k])
        assert pic.titles["h"] == f"δh({t}) = {fmt(d['h'][k][1])}"
        assert pic.cells["x"] is None  # inputs receive no error
        if t > 1:  # what block t passes to h(t-1), plus J(t-1)'s own, is the engine's delta
            np.testing.assert_allclose(pic.cells["h_prev"] + p["V"].T @ d["out"][k - 1],
                                       d["h"][k - 1], atol=1e-13)
        if t < T and run.config.truncation is None:
            for n in ("h", "r_bar", "u_bar", "n_rec"):
                np.testing.assert_array_equal(pic.cells[f"next:{n}"], d[n][k + 1])
        if t == T:
            assert all(pic.cells[n] is None for n in gl.NEXT_NODES)
        w = pic.wires  # every wire carries its term for unit k
        assert w[(0, "n_bar->n")][2] == pytest.approx(d["n_bar"][k][1], abs=1e-14)
        assert w[(0, "r_bar->r")][2] == pytest.approx(d["r_bar"][k][1], abs=1e-14)
        assert (0, "x->n_bar") not in w
        hp = [v[2] for key, v in w.items() if key[0] == 0 and WIRE[key[1]].src == "h_prev"]
        assert sum(hp) == pytest.approx(pic.cells["h_prev"][1], abs=1e-13)
        # the trunk of the recurrent bus carries the sum of its three wires
        members = gl.TRUNKS[0][1]
        assert pic.trunks[0][2] == pytest.approx(sum(w[m][2] for m in members), abs=1e-13)


@pytest.mark.parametrize("t", [1, 4, T])
def test_followed_routes_sum_to_the_nodes_error(run, t):
    d = run.backward.deltas
    data = gb.step_data(run, t)
    for name in FLOW_NAMES:
        for unit in (0, 3):
            pic = gb.picture(run, data, "backward", unit, name, None)
            assert pic.routes, name
            assert [r.number for r in pic.routes] == list(range(1, len(pic.routes) + 1))
            total = sum(r.value for r in pic.routes)
            assert total == pytest.approx(pic.flow_total, abs=1e-12)
            assert pic.flow_total == pytest.approx(pic.flow_delta, abs=1e-12)
            if name in d and name != "h_prev":
                assert pic.flow_delta == d[name][t - 1][unit]
            if name == "h_prev" and t > 1:
                assert pic.flow_delta == d["h"][t - 2][unit]
            assert f"sum = {fmt(total)}" in pic.flow_text
            for r in pic.routes:  # every route runs along drawn wires
                assert r.polylines and all(p in gl.WIRES.values() for p in r.polylines)
                assert f"{gb.number(r.number)} " in pic.flow_text


def test_every_route_edge_has_a_drawn_wire(run):
    g = gb.graph_for(run)
    for t in (1, 2, T - 1, T):
        for name in FLOW_NAMES:
            for rt in g.flow(name, t).routes:
                for e in rt.edges:
                    assert (e.block - t, e.wire.id) in gl.WIRES, (name, t, e)


def test_stages_light_what_is_computed(run):
    data = gb.step_data(run, 3)
    pic = gb.picture(run, data, "forward", 0, None, 1)  # stage ②: u
    assert pic.stage == 2 and pic.stage_texts == gb.FORWARD_STAGES
    assert pic.lit["r"] and pic.lit["u"] and pic.lit["x"]
    assert not pic.lit["n"] and not pic.lit["h"] and not pic.lit["out"]
    pic = gb.picture(run, data, "forward", 0, None, None)  # all
    assert pic.stage is None and pic.lit["out"] and not pic.lit["next:h"]
    pic = gb.picture(run, data, "backward", 0, None, 0)  # ① δh(t)
    assert pic.lit["h"] and pic.lit["next:h"] and not pic.lit["n_bar"]
    assert pic.stage_texts == gb.BACKWARD_STAGES
    assert gb.picture(run, data, "forward", 0, None, 99).stage is None  # out of range: all


def test_odd_selections_do_not_break(run):
    data = gb.step_data(run, 2)
    pic = gb.picture(run, data, "update", 99, "c", None)  # LSTM flow name, unit past H
    assert pic.phase == "forward" and pic.unit == 4
    assert pic.routes == () and pic.flow_text == "" and np.isnan(pic.flow_total)


def test_the_job_computes_the_step():
    r = compute(SessionConfig(model="GRU", hidden=3, length=5, truncation=2))
    job = gb.GruStepJob(r, 4)
    assert job == gb.GruStepJob(r, 4) and hash(job) == hash(gb.GruStepJob(r, 4))
    assert job != gb.GruStepJob(r, 3)
    data = job.compute(lambda f: None, lambda: False)
    want = gb.step_data(r, 4)
    assert data.t == 4
    for name, v in want.errors.items():
        np.testing.assert_array_equal(data.errors[name], v)


def test_cells_sit_inside_their_boxes():
    for spec in gl.NODE_SPECS:
        for n in (1, 5, 16, 64):
            x0, y0, w, h = gl.node_box(spec, n)
            assert w <= spec.width + 1e-9
            for k in (0, n - 1):
                cx, cy = gl.cell_centre(spec, n, k)
                assert x0 < cx < x0 + w and y0 < cy < y0 + h
    assert gl.title("next:r_bar") == "r̄(t+1)" and gl.title("h_prev") == "h(t−1)"
    assert gl.title("next:n_rec") == "R_n h(t)"


def test_a_point_finds_the_unit_of_its_cell():
    sizes = {s.name: {"x": 3, "out": 4}.get(s.name, 20) for s in gl.NODE_SPECS}
    for name in ("h", "r", "next:u_bar"):
        for k in (0, 7, 16, 19):
            x, y = gl.cell_centre(gl.SPEC[name], 20, k)
            assert gl.unit_at(x, y, sizes) == (name, k)
    x0, y0, w, h = gl.node_box(gl.SPEC["h"], 20)
    assert gl.unit_at(x0 + w - 0.01, y0 + 0.01, sizes) is None  # the empty end of the last row
    assert gl.unit_at(*gl.cell_centre(gl.SPEC["x"], 3, 1), sizes) is None  # inputs: no unit
    assert gl.unit_at(-50.0, 0.0, sizes) is None
