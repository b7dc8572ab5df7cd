"""The flows of variables in a GRU block (sim/gru_graph.py): every route's product summed gives the
engine's delta, the routes are the terms of the GRU's backward equations, and truncated BPTT
carries back only what the engine carries."""

import numpy as np
import pytest

from sim.gru_graph import FLOW_NAMES, TRACED, WIRE, GruGraph, Node, pretty
from sim.run import SessionConfig, compute

T = 9


def _graph(truncation=None, task="delayed-recall", seed=0, hidden=5):
    r = compute(SessionConfig(model="GRU", hidden=hidden, length=T, truncation=truncation,
                              task=task, seed=seed))
    return r, GruGraph(r.forward, r.backward)


@pytest.fixture(scope="module",
                params=[(None, "delayed-recall"), (None, "generate"), (3, "generate"),
                        (4, "delayed-recall"), (2, "generate")],
                ids=["full", "full-every-J", "trunc3-every-J", "trunc4", "trunc2-every-J"])
def case(request):
    k, task = request.param
    return _graph(k, task)


def _close(a, b):
    scale = max(1.0, float(np.max(np.abs(b))))
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12 * scale)


@pytest.mark.parametrize("t", [1, 2, 5, T - 1, T])
def test_route_and_term_sums_equal_engine_deltas(case, t):
    r, g = case
    d = r.backward.deltas
    checked = 0
    for name in FLOW_NAMES:
        f = g.flow(name, t)
        if f.node.step == 0:  # h(0): the initial state has no error in the trace
            assert f.delta is None and all(e.block == 1 for rt in f.routes for e in rt.edges)
            continue
        if f.node.name in TRACED:
            want = d[f.node.name][f.node.step - 1]
            np.testing.assert_array_equal(f.delta, want)
            checked += 1
        else:  # an intermediate node: its error is what the view shows for it
            assert f.delta is None
            want = g.errors(f.node.step)[f.node.name]
        _close(f.term_sum(), want)
        _close(f.route_sum(), want)
    assert checked >= 5  # h, n_bar, u_bar, n_rec, r_bar (and h(t-1) from t = 2)


def test_the_errors_are_not_all_zero(case):
    r, _ = case
    for name in TRACED:  # so that the sums above could have failed
        assert np.abs(r.backward.deltas[name]).max() > 1e-6, name


def test_the_error_passed_to_h_prev_is_the_engines(case):
    r, g = case
    d, tr, p = r.backward.deltas, r.forward, r.forward.params
    for t in range(2, T + 1):
        _close(g.passed_back(t) + p["V"].T @ d["out"][t - 2], d["h"][t - 2])
        _close(g.flow("h_prev", t).route_sum(), d["h"][t - 2])
    # h(0), which the engine does not record: the GRU's equation written out by hand
    c = g.carried(1)
    want = (p["R_r"].T @ c["r_bar"] + p["R_u"].T @ c["u_bar"] + p["R_n"].T @ c["n_rec"]
            + c["h"] * tr.u[0])
    _close(g.passed_back(1), want)
    _close(g.flow("h_prev", 1).route_sum(), want)


def _term_set(flow, t):
    """Each term as a tuple of (block offset, wire id)."""
    return {tuple((e.block - t, e.wire.id) for e in rt.edges) for rt in flow.terms}


def _expected_terms(name, last):
    """The terms of the GRU's backward equations, by hand (block offsets from t)."""
    if name == "h":  # V^T delta_out + R_r^T, R_u^T, R_n^T of block t+1 + delta_h(t+1) u(t+1)
        terms = {((0, "h->out"),)}
        if not last:
            terms |= {((1, "h_prev->r_bar"),), ((1, "h_prev->u_bar"),),
                      ((1, "h_prev->n_rec"),), ((1, "h_prev->uh"), (1, "uh->h"))}
        return terms
    return {
        "n_bar": {((0, "n_bar->n"), (0, "n->un"), (0, "un->h"))},
        "u_bar": {((0, "u_bar->u"), (0, "u->u_c"), (0, "u_c->un"), (0, "un->h")),
                  ((0, "u_bar->u"), (0, "u->uh"), (0, "uh->h"))},
        "n_rec": {((0, "n_rec->rn"), (0, "rn->n_bar"))},
        "r_bar": {((0, "r_bar->r"), (0, "r->rn"), (0, "rn->n_bar"))},
    }[name]


@pytest.mark.parametrize("t", [1, 4, T])
def test_terms_are_the_terms_of_the_equations(t):
    _, g = _graph()
    for name in TRACED:
        f = g.flow(name, t)
        got = _term_set(f, t)
        assert got == _expected_terms(name, t == T), name
        assert len(f.terms) == len(got)  # no term twice


def test_term_values_are_the_gru_products():
    """delta_h(t) = V^T delta_out + R_r^T d_r(t+1) + R_u^T d_u(t+1) + R_n^T d_nrec(t+1)
    + delta_h(t+1) u(t+1), and delta_u_bar = delta_h (h(t-1) - n) u (1 - u), term by term."""
    r, g = _graph()
    tr, d, p = r.forward, r.backward.deltas, r.forward.params
    t, k = 4, 3
    by_end = {rt.end: rt.contribution() for rt in g.flow("h", t).terms}
    np.testing.assert_allclose(by_end[Node("out", t)], p["V"].T @ d["out"][k])
    np.testing.assert_allclose(by_end[Node("r_bar", t + 1)], p["R_r"].T @ d["r_bar"][k + 1])
    np.testing.assert_allclose(by_end[Node("u_bar", t + 1)], p["R_u"].T @ d["u_bar"][k + 1])
    np.testing.assert_allclose(by_end[Node("n_rec", t + 1)], p["R_n"].T @ d["n_rec"][k + 1])
    np.testing.assert_allclose(by_end[Node("h", t + 1)], d["h"][k + 1] * tr.u[k + 1])
    parts = sorted((rt.contribution() for rt in g.flow("u_bar", t).terms), key=lambda v: v[0])
    sig = tr.u[k] * (1 - tr.u[k])
    want = sorted([-d["h"][k] * tr.n[k] * sig, d["h"][k] * tr.h[k - 1] * sig],
                  key=lambda v: v[0])
    for a, b in zip(parts, want, strict=True):
        np.testing.assert_allclose(a, b)
    # the reset gate scales the recurrent path: delta_n_rec = r * delta_n_bar
    np.testing.assert_allclose(g.flow("n_rec", t).term_sum(), tr.r[k] * d["n_bar"][k])


def test_routes_of_n_bar_reach_j_and_the_next_block():
    _, g = _graph()
    f = g.flow("n_bar", 4)
    assert len(f.routes) == 5  # through h(4): out(4); r̄, ū, R_n h, the highway of block 5
    ends = {rt.end for rt in f.routes}
    assert ends == {Node("out", 4), Node("r_bar", 5), Node("u_bar", 5), Node("n_rec", 5),
                    Node("h", 5)}
    assert len(set(map(repr, f.routes))) == len(f.routes)
    assert len(g.flow("n_bar", T).routes) == 1  # no block T + 1
    assert len(g.flow("u_bar", 4).routes) == 10  # two ways into h(4), five ways out


def test_the_route_symbols_read_like_the_equations():
    _, g = _graph()
    (rt,) = g.flow("n_bar", 3).terms
    assert rt.symbol == "δh(3) · (1 − u(3)) · (1 − n(3)²)"
    assert repr(rt) == "Route(n̄(3) → n(3) → (1 − u(3))⊙n(3) → h(3))"
    (rt,) = g.flow("r_bar", 3).terms
    assert rt.symbol == "δn̄(3) · (R_n h(2)) · (r(3)(1 − r(3)))"
    highway = [rt for rt in g.flow("h", 3).terms if rt.end == Node("h", 4)]
    assert highway[0].symbol == "δh(4) · u(4)"


def test_sweep_written_as_terms_reproduces_the_engine():
    """An independent backward pass built only from the flows' terms equals the engine's."""
    r, g = _graph(task="generate")
    d = r.backward.deltas
    nxt = None
    for t in range(T, 0, -1):
        nxt = g.step_deltas(t, d["out"][t - 1], nxt)
        for name in TRACED:
            _close(nxt[name], d[name][t - 1])


def test_truncation_carries_only_the_surviving_sources():
    r, g = _graph(truncation=3, task="generate")
    d = r.backward.deltas
    differs = 0
    for t in range(1, T + 1):
        carried, full = g.carried(t), {n: d[n][t - 1] for n in TRACED}
        differs += any(not np.allclose(carried[n], full[n]) for n in TRACED)
        if t + 2 > T:  # the dropped source J(t + k - 1) does not exist
            for n in TRACED:
                np.testing.assert_array_equal(carried[n], full[n])
    assert differs >= 3  # so routes using the full errors of t + 1 would be wrong
    s, t = 7, 5  # one source alone agrees with delta_by_source: dJ(s)/dh(t)
    np.testing.assert_allclose(g.source_errors(s, t)["h"], r.backward.delta_by_source[s - 1, t - 1],
                               atol=1e-13)
    # and full (untruncated) errors at t + 1 would give a different h(t): the check can fail
    _, g_full = _graph(task="generate")
    assert not np.allclose(g_full.flow("h", 4).route_sum(), d["h"][3])


@pytest.mark.parametrize("k", [None, 3])
def test_wire_errors_into_a_node_sum_to_its_error(k):
    r, g = _graph(truncation=k)
    d = r.backward.deltas
    for t in (2, 5, T):
        w = g.wire_errors(t)
        h_sum = sum(v for (b, wid), v in w.items() if (b == t and WIRE[wid].src == "h")
                    or (b == t + 1 and WIRE[wid].src == "h_prev"))
        _close(h_sum, d["h"][t - 1])
        for name, gate in (("n_bar", "n"), ("u_bar", "u"), ("r_bar", "r")):
            _close(w[(t, f"{name}->{gate}")], d[name][t - 1])
        _close(w[(t, "n_rec->rn")], d["n_rec"][t - 1])
        assert (t, "x->r_bar") not in w  # inputs receive no error
        assert all(b == t for b, _ in w) == (t == T)


def test_values_include_the_drawn_products():
    r, g = _graph()
    tr = r.forward
    v = g.values(3)
    np.testing.assert_allclose(v["rn"], tr.r[2] * tr.n_rec[2])
    np.testing.assert_allclose(v["un"] + v["uh"], tr.h[2])  # the interpolation
    np.testing.assert_allclose(v["uh"], tr.u[2] * tr.h[1])
    np.testing.assert_allclose(np.tanh(v["n_bar"]), v["n"])
    p = r.forward.params
    np.testing.assert_allclose(v["n_bar"], p["W_n"] @ v["x"] + p["b_n"] + v["rn"])
    np.testing.assert_array_equal(g.values(1)["h_prev"], 0.0)
    assert not v["h"].flags.writeable


def test_bad_inputs_raise():
    r = compute(SessionConfig(model="LSTM", hidden=3, length=5))
    with pytest.raises(ValueError, match="GRU"):
        GruGraph(r.forward, r.backward)
    _, g = _graph()
    with pytest.raises(ValueError, match="no flow"):
        g.flow("c", 3)
    with pytest.raises(ValueError, match="no flow"):
        g.flow("x", 3)
    with pytest.raises(ValueError, match="not a node"):
        g.flow("h", T + 1)
    with pytest.raises(ValueError, match="step"):
        g.values(0)
    forward_only = GruGraph(_graph()[0].forward)
    assert forward_only.values(2)["h"].shape == (5,)  # values need no backward pass
    with pytest.raises(ValueError, match="backward"):
        forward_only.errors(2)


def test_pretty_names_follow_the_articles():
    assert pretty("r_bar", 3) == "r̄(3)"
    assert pretty("h_prev") == "h(t−1)"
    assert pretty("uh", 5) == "u(5)⊙h(4)"
    assert pretty("u_c") == "1 − u(t)"
    assert Node("h", 0).label == "h(0)"
