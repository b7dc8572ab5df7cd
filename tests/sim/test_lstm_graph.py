"""The flows of variables (sim/flows.py): every route's product summed gives the engine's delta,
and the routes are exactly the terms of the articles' equations."""

import numpy as np
import pytest

from sim.lstm_graph import FLOW_NAMES, TRACED, WIRE, BlockGraph, Node
from sim.run import SessionConfig, compute

T = 9


def _graph(peepholes, truncation=None, task="delayed-recall", seed=0):
    r = compute(SessionConfig(model="LSTM", peepholes=peepholes, hidden=5, length=T,
                              truncation=truncation, task=task, seed=seed))
    return r, BlockGraph(r.forward, r.backward)


@pytest.fixture(scope="module",
                params=[(False, None, "delayed-recall"), (True, None, "delayed-recall"),
                        (False, 3, "generate"), (True, 4, "delayed-recall"), (True, 3, "generate")],
                ids=["plain", "peepholes", "plain-trunc3", "peep-trunc4", "peep-trunc3-every-J"])
def case(request):
    peep, k, task = request.param
    return _graph(peep, k, task)


def _close(a, b):
    scale = max(1.0, float(np.max(np.abs(b))))
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12 * scale)


@pytest.mark.parametrize("t", [1, 2, 5, T - 1, T])
def test_route_and_term_sums_equal_engine_deltas(case, t):
    r, g = case
    d = r.backward.deltas
    for name in FLOW_NAMES:
        f = g.flow(name, t)
        if f.node.step == 0:  # y(0), c(0): the initial state has no error in the trace
            assert f.delta is None and all(e.block == 1 for rt in f.routes for e in rt.edges)
            continue
        want = d[f.node.name][f.node.step - 1]
        assert f.delta is not None
        np.testing.assert_array_equal(f.delta, want)
        _close(f.term_sum(), want)
        _close(f.route_sum(), want)


def _term_set(flow, t):
    """Each term as a tuple of (block offset, wire id): what the equation's term goes through."""
    return {tuple((e.block - t, e.wire.id) for e in rt.edges) for rt in flow.terms}


def _expected_terms(name, peep, last):
    """The terms of the articles' equations, written out by hand (block offsets from t)."""
    nxt = not last
    if name == "y":  # dJ(t)/dy(t) + sum_g R_g^T delta_g_bar(t+1)
        terms = {((0, "y->out"),)}
        if nxt:
            terms |= {((1, f"y_prev->{g}_bar"),) for g in "zifo"}
        return terms
    if name == "o_bar":  # delta_y(t) * dy/do_bar
        return {((0, "o_bar->o"), (0, "o->y"))}
    if name == "c":
        terms = {((0, "c->tanh_c"), (0, "tanh_c->y"))}  # delta_y o (1 - tanh^2 c)
        if peep:
            terms.add(((0, "c->o_bar"),))  # p_o delta_o_bar(t)
        if nxt:
            terms.add(((1, "c_prev->cf"), (1, "cf->c")))  # delta_c(t+1) f(t+1)
            if peep:
                terms |= {((1, "c_prev->i_bar"),), ((1, "c_prev->f_bar"),)}
        return terms
    gate = name[0]  # f_bar, i_bar, z_bar: delta_c(t) dc/d gate_bar
    via = {"f": ("f->cf", "cf->c"), "i": ("i->zi", "zi->c"), "z": ("z->zi", "zi->c")}[gate]
    return {((0, f"{gate}_bar->{gate}"), (0, via[0]), (0, via[1]))}


@pytest.mark.parametrize("peep", [False, True])
@pytest.mark.parametrize("t", [1, 4, T])
def test_terms_are_the_terms_of_the_equations(peep, t):
    _, g = _graph(peep)
    for name in ("y", "o_bar", "c", "f_bar", "i_bar", "z_bar"):
        got = _term_set(g.flow(name, t), t)
        assert got == _expected_terms(name, peep, t == T), name
        assert len(g.flow(name, t).terms) == len(got)  # no term twice


def test_term_values_are_the_articles_products():
    """delta_c(t) = delta_y o (1 - tanh^2 c) + p_o delta_o_bar + delta_c(t+1) f(t+1)
    + p_i delta_i_bar(t+1) + p_f delta_f_bar(t+1), term by term, from the trace's arrays."""
    r, g = _graph(True)
    tr, d, p = r.forward, r.backward.deltas, r.forward.params
    t = 4
    k = t - 1  # row of step t
    by_end = {rt.end: rt.contribution() for rt in g.flow("c", t).terms}
    tanh_c = np.tanh(tr.c[k])
    np.testing.assert_allclose(by_end[Node("y", t)], d["y"][k] * tr.o[k] * (1 - tanh_c ** 2))
    np.testing.assert_allclose(by_end[Node("o_bar", t)], p["p_o"] * d["o_bar"][k])
    np.testing.assert_allclose(by_end[Node("c", t + 1)], d["c"][k + 1] * tr.f[k + 1])
    np.testing.assert_allclose(by_end[Node("i_bar", t + 1)], p["p_i"] * d["i_bar"][k + 1])
    np.testing.assert_allclose(by_end[Node("f_bar", t + 1)], p["p_f"] * d["f_bar"][k + 1])
    # delta_y(t) = V^T delta_out(t) + sum_g R_g^T delta_g_bar(t+1)
    by_end = {rt.end: rt.contribution() for rt in g.flow("y", t).terms}
    np.testing.assert_allclose(by_end[Node("out", t)], p["V"].T @ d["out"][k])
    for gname in "zifo":
        np.testing.assert_allclose(by_end[Node(f"{gname}_bar", t + 1)],
                                   p[f"R_{gname}"].T @ d[f"{gname}_bar"][k + 1])


@pytest.mark.parametrize("peep, n_mid, n_last", [(False, 6, 1), (True, 13, 2)])
def test_routes_of_c_reach_j_and_the_next_block(peep, n_mid, n_last):
    _, g = _graph(peep)
    f = g.flow("c", 4)
    assert len(f.routes) == n_mid
    ends = {rt.end for rt in f.routes}
    assert Node("out", 4) in ends and Node("c", 5) in ends
    assert all(rt.end.name == "out" or rt.end.step == 5 for rt in f.routes)
    assert len(set(map(repr, f.routes))) == len(f.routes)
    assert len(g.flow("c", T).routes) == n_last  # no block T + 1


def test_flows_of_the_previous_step_enter_this_block():
    _, g = _graph(True)
    f = g.flow("c_prev", 5)
    assert f.node == Node("c", 4)
    blocks = {e.block for rt in f.routes for e in rt.edges}
    assert blocks == {4, 5}
    assert {(5, "c_prev->cf"), (5, "c_prev->i_bar"), (5, "c_prev->f_bar")} <= f.keys
    assert g.flow("y_prev", 5).node == Node("y", 4)


def test_elementwise_factor_times_incoming_is_the_contribution():
    _, g = _graph(True)
    for rt in g.flow("z_bar", 3).routes:
        if all(e.elementwise for e in rt.edges):
            np.testing.assert_allclose(rt.factor() * rt.incoming, rt.contribution())
        else:
            with pytest.raises(ValueError):
                rt.factor()
    rt = g.flow("z_bar", 3).terms[0]
    # the engine's names (the articles' are the presenter's: tests/gui/model/present)
    assert repr(rt) == "Route(z_bar(3) → z(3) → zi(3) → c(3))"


@pytest.mark.parametrize("peep", [False, True])
def test_sweep_written_as_terms_reproduces_the_engine(peep):
    """An independent backward pass built only from the flows' terms equals the engine's."""
    r, g = _graph(peep, task="generate")
    d = r.backward.deltas
    nxt = None
    for t in range(T, 0, -1):
        nxt = g.step_deltas(t, d["out"][t - 1], nxt)
        for name in TRACED:
            _close(nxt[name], d[name][t - 1])


def test_truncation_carries_only_the_surviving_sources():
    r, g = _graph(True, truncation=3, task="generate")
    d = r.backward.deltas
    differs = 0
    for t in range(1, T + 1):
        carried, full = g.carried(t), {n: d[n][t - 1] for n in TRACED}
        differs += any(not np.allclose(carried[n], full[n]) for n in TRACED)
        if t + 2 > T:  # the dropped source J(t + k - 1) does not exist
            for n in TRACED:
                np.testing.assert_array_equal(carried[n], full[n])
    assert differs >= 3  # so routes using the full errors of t + 1 would be wrong
    # and the per-source sums agree with delta_by_source: dJ(s)/dy(t) for one source
    s, t = 7, 5
    np.testing.assert_allclose(g.source_errors(s, t)["y"], r.backward.delta_by_source[s - 1, t - 1],
                               atol=1e-13)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_carried_errors_of_one_sweep_equal_those_of_each_source(k):
    r, g = _graph(True, truncation=k, task="generate")
    d = r.backward.deltas
    for t in range(1, T + 1):
        carried = g.carried(t)
        s = t + k - 1
        for n in TRACED:
            if s > T:
                np.testing.assert_array_equal(carried[n], d[n][t - 1])
            else:  # the engine's error less what J(t + k - 1) alone causes at step t
                want = d[n][t - 1] - g.source_errors(s, t)[n]
                np.testing.assert_allclose(carried[n], want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("peep, k", [(False, None), (True, None), (True, 3)])
def test_wire_errors_into_a_node_sum_to_its_error(peep, k):
    r, g = _graph(peep, truncation=k)
    d = r.backward.deltas
    for t in (2, 5, T):
        w = g.wire_errors(t)
        c_sum = sum(v for (b, wid), v in w.items() if (b == t and WIRE[wid].src == "c")
                    or (b == t + 1 and WIRE[wid].src == "c_prev"))
        _close(c_sum, d["c"][t - 1])
        y_sum = sum(v for (b, wid), v in w.items() if (b == t and WIRE[wid].src == "y")
                    or (b == t + 1 and WIRE[wid].src == "y_prev"))
        _close(y_sum, d["y"][t - 1])
        for name in ("z_bar", "i_bar", "f_bar", "o_bar"):
            _close(w[(t, f"{name}->{name[0]}")], d[name][t - 1])
        assert (t, "x->z_bar") not in w  # inputs receive no error
        assert not any(b == t + 1 for b, _ in w) or t < T


def test_values_include_the_drawn_products():
    r, g = _graph(True)
    tr = r.forward
    v = g.values(3)
    np.testing.assert_allclose(v["zi"], tr.z[2] * tr.i[2])
    np.testing.assert_allclose(v["cf"], tr.c[1] * tr.f[2])
    np.testing.assert_allclose(v["zi"] + v["cf"], tr.c[2])
    np.testing.assert_array_equal(g.values(1)["c_prev"], 0.0)
    assert not v["c"].flags.writeable


def test_bad_inputs_raise():
    r = compute(SessionConfig(model="SimpleRNN", hidden=3, length=5))
    with pytest.raises(ValueError, match="LSTM"):
        BlockGraph(r.forward, r.backward)
    _, g = _graph(False)
    with pytest.raises(ValueError, match="no flow"):
        g.flow("h", 3)
    with pytest.raises(ValueError, match="not a node"):
        g.flow("c", T + 1)
    with pytest.raises(ValueError, match="step"):
        g.values(0)
    forward_only = BlockGraph(_graph(False)[0].forward)
    assert forward_only.values(2)["c"].shape == (5,)  # values need no backward pass
    with pytest.raises(ValueError, match="backward"):
        forward_only.errors(2)


def test_nodes_are_named_by_the_engine():
    assert str(Node("c", 0)) == "c(0)" and str(Node("z_bar", 3)) == "z_bar(3)"
