"""The LSTM block presenter: stage states, colour scales, arrays and titles equal the trace, the
followed flow's sum equals the engine's delta, and the block graph job computes every step."""

import numpy as np
import pytest

from gui.model.present import lstm_block as pres
from gui.model.present.lstm_stages import BACKWARD_STAGES, FORWARD_STAGES
from gui.model.present.numbers import fmt
from sim.lstm_graph import FLOW_NAMES, NODES, BlockGraph, Node
from sim.run import SessionConfig, compute

T = 8
NAMES = NODES + pres.NEXT_NODES


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "peepholes"])
def result(request):
    return compute(SessionConfig(model="LSTM", peepholes=request.param, hidden=5, length=T))


@pytest.fixture(scope="module")
def graph(result):
    return BlockGraph(result.forward, result.backward)


def test_stage_states_grey_what_is_not_computed_yet():
    assert pres.node_state("forward", "z", None) == "done"
    assert pres.node_state("forward", "next:c", None) == "later"  # block t+1
    assert pres.node_state("forward", "x", 1) == "done"  # inputs are given
    assert pres.node_state("forward", "z_bar", 1) == "now"
    assert pres.node_state("forward", "i", 1) == "later"
    assert pres.node_state("forward", "z", 3) == "done"
    assert pres.node_state("backward", "y", 1) == "now"
    assert pres.node_state("backward", "c", 2) == "later"
    assert pres.node_state("backward", "next:c", 1) == "done"  # errors of t+1 are there
    assert pres.node_state("backward", "x", None) == "later"  # x gets no error
    assert pres.wire_state("forward", (-1, "y->out"), None) == "hint"
    assert pres.wire_state("forward", (0, "z_bar->z"), 1) == "now"
    assert pres.wire_state("forward", (0, "o_bar->o"), 1) == "later"
    assert pres.wire_state("forward", (1, "c_prev->cf"), 3) == "later"  # c(t) not yet
    assert pres.wire_state("forward", (1, "c_prev->cf"), 4) == "hint"
    assert pres.wire_state("backward", (1, "y_prev->z_bar"), 1) == "now"
    assert pres.wire_state("backward", (1, "c_prev->cf"), 2) == "later"
    # a wire of block t carries its term back when its source's error is computed
    assert pres.wire_state("backward", (0, "c->tanh_c"), 2) == "later"
    assert pres.wire_state("backward", (0, "c->tanh_c"), 3) == "now"
    assert pres.wire_state("backward", (0, "c->tanh_c"), 4) == "done"
    assert pres.shown_stage(None, "forward") is None
    assert pres.shown_stage(6, "forward") == 7
    assert pres.shown_stage(6, "backward") is None  # the backward walk has 5 stages


def test_the_stage_walk_moves_the_cursor_past_either_end():
    n_f, n_b = len(FORWARD_STAGES), len(BACKWARD_STAGES)
    assert pres.step_stage(None, "forward", 1) == (0, 0)
    assert pres.step_stage(None, "forward", -1) == (0, n_f - 1)
    assert pres.step_stage(2, "backward", 1) == (0, 3)
    assert pres.step_stage(n_f - 1, "forward", 1) == (1, None)
    assert pres.step_stage(0, "backward", -1) == (-1, None)
    assert pres.step_stage(n_b - 1, "backward", 1) == (1, None)


def test_scales_and_arrays_are_the_trace(result, graph):
    tr, d = result.forward, result.backward.deltas
    s = pres.block_scales(result)
    pre = np.concatenate([tr.z_bar, tr.i_bar, tr.f_bar, tr.o_bar, tr.c]).ravel()
    assert s["pre"] == pytest.approx(np.abs(pre).max())
    assert s["err"] == pytest.approx(max(np.abs(d[n]).max()
                                         for n in ("y", "c", "z_bar", "i_bar", "f_bar", "o_bar")))
    assert s["act"] == 1.0 and s["y_hat"] == pytest.approx(np.abs(tr.y_hat).max())
    for t in (1, 4, T):
        r = t - 1
        fwd = pres.node_arrays(graph, NAMES, "forward", t)
        np.testing.assert_array_equal(fwd["c"][0], tr.c[r])
        assert fwd["c"][1] == "pre" and fwd["z"][1] == "act" and fwd["x"][1] == "x"
        np.testing.assert_array_equal(fwd["out"][0], tr.y_hat[r])
        np.testing.assert_allclose(fwd["cf"][0], (tr.c[r - 1] if t > 1 else 0) * tr.f[r])
        assert all(fwd[n][0] is None for n in pres.NEXT_NODES)
        bwd = pres.node_arrays(graph, NAMES, "backward", t)
        for name in ("y", "c", "z_bar", "o_bar"):
            np.testing.assert_array_equal(bwd[name][0], d[name][r])
        assert bwd["x"][0] is None and bwd["y_prev"][0] is None
        assert bwd["out"][1] == "err_out"
        if t < T:
            np.testing.assert_array_equal(bwd["next:c"][0], d["c"][r + 1])
        else:
            assert bwd["next:c"][0] is None


def test_titles_say_the_stage_symbol_and_unit_k(result, graph):
    tr, bt = result.forward, result.backward
    k, t = 2, 4
    fwd = pres.node_arrays(graph, NAMES, "forward", t)
    text, value = pres.title_parts(result, "forward", "c", fwd["c"][0], k, t)
    assert text == "④ c(t)" and value == " " + fmt(float(tr.c[t - 1, k]))
    text, value = pres.title_parts(result, "forward", "out", fwd["out"][0], k, t)
    if bt.loss_mask[t - 1] == 1:
        assert text == "⑦ ŷ(t) J(t) =" and value == " " + fmt(float(bt.losses[t - 1]))
    else:
        assert text == "⑦ ŷ(t) (no loss)" and value == ""
    bwd = pres.node_arrays(graph, NAMES, "backward", T)
    text, value = pres.title_parts(result, "backward", "c", bwd["c"][0], k, T)
    assert text == "③ δc(t)" and value == " " + fmt(float(bt.deltas["c"][T - 1, k]))
    assert pres.title_parts(result, "backward", "next:c", None, k, T) == \
        ("δc(t+1) (none: t = T)", "")
    assert pres.title_parts(result, "backward", "c_prev", None, k, T)[0] == \
        "⑤ δc(t−1) (at step t−1)"
    assert pres.node_title("next:f_bar") == "f̄(t+1)" and pres.node_title("out") == "ŷ(t)"
    assert pres.node_title("c_prev") == "c(t−1)"
    assert pres.wire_text((0, "c->o_bar")) == "c(t) → ō(t) (block t): ∂ō(t)/∂c(t) = p_o"
    assert pres.wire_text((1, "y_prev->z_bar")).endswith("(block t+1): ∂z̄(t)/∂y(t−1) = R_z")


def test_error_wires_by_sign_and_decade():
    assert pres.error_level(2.0, 2.0) == 3
    assert pres.error_level(2e-3, 2.0) == 0  # three decades down
    assert pres.error_level(2.0 * 10 ** -1.5, 2.0) == 2
    assert pres.error_colour_index(1.0, 3) == 255 and pres.error_colour_index(-1.0, 3) == 0
    assert 127 < pres.error_colour_index(1.0, 0) < 255  # thin wires stay out of the white


def test_the_flow_sum_is_the_engines_delta(result, graph):
    k = 1
    for t in (1, 5, T):
        for name in FLOW_NAMES:
            flow = pres.current_flow(graph, name, t)  # at t = 1 also c(0), y(0)
            s = pres.flow_sum(flow, k)
            assert len(s.symbols) == len(flow.terms) and s.n_routes == len(flow.routes)
            assert s.total == pytest.approx(sum(s.values), abs=1e-12)
            if flow.delta is not None:
                assert s.total == pytest.approx(s.engine, abs=1e-12)
                assert s.engine == float(flow.delta[k])
            for v, part in zip(s.values, s.numbers().split(" + "), strict=True):
                assert part == (fmt(v) if v >= 0 else f"({fmt(v)})")
            keys = pres.flow_wire_keys(flow, t)
            assert keys == {(b - t, w) for b, w in flow.keys}
            ends = pres.flow_nodes(flow, t)
            assert ends["start"] == {name}
    assert pres.current_flow(graph, None, 3) is None
    assert pres.current_flow(graph, "h", 3) is None  # a SimpleRNN's name
    assert pres.flow_nodes(None, 3) == {} and pres.flow_wire_keys(None, 3) == set()


def test_drawn_names_of_neighbouring_blocks():
    assert pres.drawn_name(Node("c", 4), 4) == "c"
    assert pres.drawn_name(Node("y", 3), 4) == "y_prev"
    assert pres.drawn_name(Node("f_bar", 5), 4) == "next:f_bar"
    assert pres.drawn_name(Node("out", 5), 4) is None


def test_the_block_graph_job_computes_every_step(result):
    job = pres.BlockGraphJob(result)
    assert job == pres.BlockGraphJob(result) and hash(job) == hash(pres.BlockGraphJob(result))
    assert job != pres.BlockGraphJob(compute(result.config))  # one job per result
    seen = []
    data = job.compute(seen.append, lambda: False)
    assert seen[-1] == 1.0 and len(seen) == T
    g = data.graph
    assert sorted(g._values) == list(range(1, T + 1))  # values and errors of every step
    assert sorted(t for t, carried in g._errors if not carried) == list(range(1, T + 1))
    assert data.scales == pres.block_scales(result)
    ref = BlockGraph(result.forward, result.backward)
    for t in (1, T):
        for key, v in ref.wire_errors(t).items():
            np.testing.assert_array_equal(g.wire_errors(t)[key], v)
    with pytest.raises(InterruptedError):
        job.compute(lambda f: None, lambda: True)


def test_names_follow_the_articles(graph):
    assert pres.pretty("z_bar", 3) == "z̄(3)"
    assert pres.pretty("c_prev") == "c(t−1)"
    assert pres.pretty("cf", 5) == "c(4)⊙f(5)"
    assert pres.node_label(Node("c", 0)) == "c(0)"
    rt = graph.flow("z_bar", 3).terms[0]
    assert pres.route_symbol(rt) == "δc(3) · (1 − z(3)²) · i(3) · 1"
    assert pres.route_text(rt) == "z̄(3) → z(3) → z(3)⊙i(3) → c(3)"
    rt = next(r for r in graph.flow("y", 3).terms if r.edges[0].wire.id == "y_prev->z_bar")
    assert pres.route_symbol(rt) == "δz̄(4) · R_zᵀ"  # a matrix is applied transposed
    s = pres.flow_sum(graph.flow("z_bar", 3), 0)
    assert s.label == "z̄(3)" and s.symbols == ("δc(3) · (1 − z(3)²) · i(3)",)


def test_stage_texts_write_peephole_terms_only_for_a_model_with_peepholes():
    """A learner reads every term of a stage's equation as a term of their model."""
    from gui.model.present.lstm_stages import stages

    for phase in ("forward", "backward"):
        with_p, without = stages(phase, True), stages(phase, False)
        assert len(with_p) == len(without)
        assert any("p_" in t for t in with_p)
        assert not any("p_" in t or "peephole" in t for t in without)
        for a, b in zip(with_p, without, strict=True):  # the rest of each text is kept
            assert b.replace(" ", "") in a.replace(" ", "") or "(+ p_" in a
    assert stages("backward", False)[2] == "δc(t) = δy⊙o⊙(1−tanh²c) + δc(t+1)⊙f(t+1)"
