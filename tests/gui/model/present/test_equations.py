"""gui.model.present.equations: the equations at each cursor step carry the trace's numbers for
the chosen unit.

Each equation's left-hand side is looked up in the trace here, independently of the module; its
substituted expression must evaluate to that value, and the operands as displayed must evaluate
to the displayed value within their own rounding.
"""

import dataclasses
import warnings

import numpy as np
import pytest

from gui.model.cursor import Cursor
from gui.model.present import equations as eqm
from gui.model.present.equations import (
    Add,
    Exp,
    Fn,
    Mul,
    Num,
    Square,
    Sub,
    equations_at,
)
from gui.model.present.numbers import fmt as fmt_number
from sim.run import SessionConfig, compute

CASES = {
    "rnn": SessionConfig(model="SimpleRNN", hidden=5, length=7),
    "lstm": SessionConfig(model="LSTM", hidden=5, length=7),
    "lstm-peep": SessionConfig(model="LSTM", hidden=5, length=7, peepholes=True),
    "rnn-relu-adding": SessionConfig(model="SimpleRNN", activation="relu", hidden=4, length=6,
                                     task="adding"),
    "rnn-sigmoid-trunc": SessionConfig(model="SimpleRNN", activation="sigmoid", hidden=4,
                                       length=8, truncation=3),
    "lstm-peep-trunc-clip": SessionConfig(model="LSTM", peepholes=True, hidden=4, length=8,
                                          truncation=2, clip=0.05),
    "lstm-mse-sine": SessionConfig(model="LSTM", hidden=3, length=6, task="sine-forecast"),
    "rnn-mse-softmax": SessionConfig(model="SimpleRNN", hidden=3, length=5, task="sign-of-sum",
                                     loss="mse"),
    "rnn-clip": SessionConfig(model="SimpleRNN", hidden=4, length=6, clip=0.01),
    "gru": SessionConfig(model="GRU", hidden=5, length=7),
    "gru-trunc-clip": SessionConfig(model="GRU", hidden=4, length=8, truncation=2, clip=0.05),
    "gru-mse-sine": SessionConfig(model="GRU", hidden=3, length=6, task="sine-forecast"),
    "gru-adding": SessionConfig(model="GRU", hidden=4, length=6, task="adding"),
}


@pytest.fixture(scope="module")
def results():
    return {name: compute(c) for name, c in CASES.items()}


def lookup(result, phase, t, eq):
    """The trace's value of an equation's left-hand side, found from its key alone."""
    tr, bt = result.forward, result.backward
    r, j = t - 1, eq.index
    key = eq.key
    if phase == "forward":
        if key == "readout":
            return tr.readout[r, j]
        return getattr(tr, key)[r, j]
    if phase == "backward":
        name = key.removeprefix("delta_")
        if name == "readout":
            name = "o" if tr.kind == "SimpleRNN" else "out"
        return bt.deltas[name][r, j]
    param = key.removeprefix("new_")
    return result.new_params[param][j]


def cursors(T):
    return [Cursor("forward", 1), Cursor("forward", T // 2), Cursor("forward", T),
            Cursor("backward", T), Cursor("backward", T // 2 + 1), Cursor("backward", 1),
            Cursor("update", T)]


def round_one(node, which):
    """``node`` with only its ``which``-th operand rounded as displayed."""
    count = [0]

    def walk(n):
        if isinstance(n, Num):
            i = count[0]
            count[0] += 1
            return Num(eqm.shown(n.value)) if i == which else n
        changes = {}
        for f in dataclasses.fields(n):
            v = getattr(n, f.name)
            if isinstance(v, eqm.Node):
                changes[f.name] = walk(v)
            elif isinstance(v, tuple):
                changes[f.name] = tuple(walk(x) for x in v)
        return dataclasses.replace(n, **changes)

    return walk(node)


def rounding_bound(expr):
    """First-order bound on |f(rounded operands) - f(operands)|, with a factor 2 of slack."""
    exact = expr.evaluate()
    n = len(expr.numbers())
    return 2 * sum(abs(round_one(expr, i).evaluate() - exact) for i in range(n))


@pytest.mark.parametrize("case", list(CASES))
def test_every_equation_carries_the_trace_numbers(results, case):
    result = results[case]
    H = result.forward.n_hidden
    for cursor in cursors(result.T):
        for unit in (0, H - 1):
            step = equations_at(result, cursor, unit)
            assert step.unit == unit and step.phase == cursor.phase and step.t == cursor.t
            assert step.equations, (case, cursor)
            assert step.focus in step.keys()
            for eq in step.equations:
                want = float(lookup(result, cursor.phase, cursor.t, eq))
                where = (case, cursor, unit, eq.key)
                assert eq.value == want, where
                # the substituted expression gives the trace's value
                assert eq.expr.evaluate() == pytest.approx(want, rel=1e-9, abs=1e-12), where
                # the displayed result is the trace's value to display precision
                assert eq.numbers_text().endswith("= " + fmt_number(want)), where
                # the operands as displayed give the displayed result within their rounding
                shown_result = eqm.shown(want)
                got = eq.expr.evaluate(rounded=True)
                tol = rounding_bound(eq.expr) + abs(shown_result - want) + 1e-12
                assert abs(got - shown_result) <= tol, (where, got, shown_result, tol)
                # the symbolic line is LaTeX in the articles' notation
                assert "^{(t" in eq.latex or eq.key.startswith("new_"), where


def test_hidden_equations_use_the_selected_unit(results):
    r = results["lstm-peep"]
    tr, bt = r.forward, r.backward
    p = tr.params
    k, t = 3, 4
    fw = equations_at(r, Cursor("forward", t), k)
    c = fw.get("c")
    assert [n.value for n in c.expr.numbers()] == [tr.z[t - 1, k], tr.i[t - 1, k],
                                                   tr.c[t - 2, k], tr.f[t - 1, k]]
    fbar = fw.get("f_bar")
    nums = [n.value for n in fbar.expr.numbers()]
    assert nums[0] == pytest.approx(p["W_f"][k] @ tr.x[t - 1])
    assert nums[1] == pytest.approx(p["R_f"][k] @ tr.y[t - 2])
    assert nums[2:4] == [p["p_f"][k], tr.c[t - 2, k]]  # the peephole reads c(t-1)
    assert nums[4] == p["b_f"][k]
    obar = fw.get("o_bar")
    assert [n.value for n in obar.expr.numbers()][2:4] == [p["p_o"][k], tr.c[t - 1, k]]  # c(t)
    bw = equations_at(r, Cursor("backward", t), k)
    dc = bw.get("delta_c")
    nums = [n.value for n in dc.expr.numbers()]
    # the highway term delta_c(t+1) f(t+1), then the peephole branches from t+1
    assert nums[-6:-4] == [bt.deltas["c"][t, k], tr.f[t, k]]
    assert nums[-4:] == [p["p_i"][k], bt.deltas["i_bar"][t, k], p["p_f"][k],
                         bt.deltas["f_bar"][t, k]]
    dy = bw.get("delta_y")
    terms = [n.value for n in dy.expr.numbers()]
    assert terms[0] == pytest.approx(p["V"][:, k] @ bt.deltas["out"][t - 1])
    for j, g in enumerate("zifo"):
        assert terms[1 + j] == pytest.approx(p[f"R_{g}"][:, k] @ bt.deltas[f"{g}_bar"][t])


def test_simple_rnn_backward_terms(results):
    r = results["rnn"]
    tr, bt = r.forward, r.backward
    k, t = 2, 3
    step = equations_at(r, Cursor("backward", t), k)
    assert step.keys() == ["delta_readout", "delta_h", "delta_a"]
    own, fut = (n.value for n in step.get("delta_h").expr.numbers())
    assert own == pytest.approx(tr.params["V"][:, k] @ bt.deltas["o"][t - 1])
    assert fut == pytest.approx(tr.params["W"][:, k] @ bt.deltas["a"][t])
    last = equations_at(r, Cursor("backward", r.T), k).get("delta_h")
    assert last.expr.numbers()[1].value == 0.0 and "t = T" in last.note
    da = step.get("delta_a")
    assert da.numbers_text().startswith(f"= {fmt_number(bt.deltas['h'][t - 1, k])} × (1 − tanh²(")


def test_forward_order_follows_the_engine(results):
    lstm = equations_at(results["lstm"], Cursor("forward", 2), 0)
    assert lstm.keys() == ["z_bar", "z", "i_bar", "i", "f_bar", "f", "c", "o_bar", "o", "y",
                           "readout", "y_hat"]
    assert lstm.focus == "c"
    back = equations_at(results["lstm"], Cursor("backward", 2), 0)
    assert back.keys() == ["delta_readout", "delta_y", "delta_o_bar", "delta_c", "delta_z_bar",
                           "delta_i_bar", "delta_f_bar"]
    assert back.focus == "delta_c"
    rnn = equations_at(results["rnn"], Cursor("forward", 2), 0)
    assert rnn.keys() == ["a", "h", "readout", "y_hat"] and rnn.focus == "a"


def test_output_unit_is_the_target_class(results):
    r = results["lstm"]
    for t in (1, 4):
        step = equations_at(r, Cursor("forward", t), 2)
        assert step.out_unit == int(r.targets[t - 1])
        assert step.get("y_hat").index == step.out_unit
    r = results["lstm-mse-sine"]
    assert equations_at(r, Cursor("forward", 2), 2).out_unit == 0  # one output: m = min(k, 0)


def test_masked_step_sends_no_error(results):
    r = results["rnn-relu-adding"]  # many-to-one: only J(T) counts
    eq = equations_at(r, Cursor("backward", 2), 0).get("delta_readout")
    assert eq.value == 0.0 and "no loss" in eq.note


def test_truncation_and_clipping_are_said(results):
    r = results["lstm-peep-trunc-clip"]
    step = equations_at(r, Cursor("backward", 3), 1)
    assert "truncated" in step.get("delta_y").note
    assert "trunc" in step.get("delta_y").latex
    assert len(step.get("delta_y").expr.numbers()) == 2  # own + what the truncated sweep carried
    assert r.clipped
    up = equations_at(r, Cursor("update", r.T), 1)
    assert up.notes and "clipped" in up.notes[0]
    eq = up.get("new_b_f")
    assert r"\tau" in eq.latex
    scale = r.config.clip / r.norm_before
    assert eq.expr.numbers()[2].value == pytest.approx(scale)  # b - eta * scale * sum


def test_unit_is_clamped(results):
    r = results["rnn"]
    assert equations_at(r, Cursor("forward", 1), 99).unit == r.forward.n_hidden - 1


@pytest.mark.parametrize("v, want", [
    (0.0, "0"), (0.41, "0.41"), (-0.12, "−0.12"), (0.2049, "0.205"), (1234.0, "1234"),
    (1000.0, "1000"), (-0.000123, "−1.23×10⁻⁴"), (12345.0, "1.23×10⁴"), (np.inf, "∞"),
    (np.nan, "NaN"), (1.0, "1"),
])
def test_number_format(v, want):
    assert fmt_number(v) == want


def test_expression_text_and_parentheses():
    e = Add((Mul((Num(0.41), Num(0.77))), Mul((Num(-0.12), Num(0.93)))))
    assert e.text() == "0.41 × 0.77 + (−0.12) × 0.93"
    assert e.evaluate() == pytest.approx(0.41 * 0.77 - 0.12 * 0.93)
    assert Sub(Num(1.0), Square(Num(-0.5))).text() == "1 − (−0.5)²"
    assert Mul((Num(2.0), Sub(Num(1.0), Fn("tanh2", Num(0.3))))).text() == "2 × (1 − tanh²(0.3))"
    assert Exp(Num(-1.0)).text(rich=True) == "exp(−1)"
    long = Add(tuple(Num(float(i)) for i in range(10)))
    assert "…" in long.text() and long.evaluate() == 45.0
    assert fmt_number(1.5e-5) == "1.5×10⁻⁵"


@pytest.mark.slow
def test_symbolic_lines_typeset():
    """Every symbolic line any session can show parses in ziamath (what the view typesets)."""
    with warnings.catch_warnings():  # ziamath 0.13 imports a deprecated importlib API
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath

    ziamath.config.svg2 = False
    lines = set()
    for kind in ("SimpleRNN", "LSTM", "GRU"):
        for peep in (False, True):
            for trunc in (False, True):
                for output, loss in (("softmax", "cross_entropy"), ("linear", "mse"),
                                     ("softmax", "mse"), ("linear", "cross_entropy")):
                    lines.update(eqm.all_symbolic(kind, peepholes=peep, output=output, loss=loss,
                                                  truncated=trunc))
    assert len(lines) > 40
    for latex in sorted(lines):
        svg = ziamath.Math.fromlatex(latex, size=12).svg()
        assert svg.startswith("<svg") and "<path" in svg, latex


def test_a_typeset_job_is_one_line_of_svg_and_each_line_is_typeset_once():
    from gui.model.present.equations import TypesetJob
    from gui.model.present.equations import typeset as ts

    line = eqm.symbolic("LSTM", "c")
    job = TypesetJob(line)
    assert job == TypesetJob(line) and hash(job) == hash(TypesetJob(line))  # a runner key
    ts.clear_cache()
    assert ts.cached(line) is None
    svg = job.compute(lambda f: None, lambda: False)
    assert isinstance(svg, bytes) and svg.startswith(b"<svg") and b"<path" in svg
    assert ts.cached(line) is svg  # a second job for it costs nothing
    assert job.compute(lambda f: None, lambda: False) is svg
    with pytest.raises(ValueError, match="cannot typeset"):
        TypesetJob(r"\frac{").compute(lambda f: None, lambda: False)


def test_other_models_are_said_not_drawn():
    assert eqm.supports("GRU") and eqm.supports("LSTM") and eqm.supports("SimpleRNN")
    r = compute(SessionConfig(model="BidirectionalRNN", hidden=3, length=4))
    assert not eqm.supports(r.forward.kind)
    with pytest.raises(ValueError, match="SimpleRNN, LSTM, GRU"):
        equations_at(r, Cursor("forward", 1), 0)


def test_gru_equations_follow_the_engine(results):
    r = results["gru"]
    tr, bt = r.forward, r.backward
    p, D = tr.params, bt.deltas
    k, t = 2, 3
    fw = equations_at(r, Cursor("forward", t), k)
    assert fw.keys() == ["r_bar", "r", "u_bar", "u", "n_bar", "n", "h", "readout", "y_hat"]
    assert fw.focus == "h"
    # the highway: (1 - u) n + u h(t-1)
    assert [n.value for n in fw.get("h").expr.numbers()] == [1.0, tr.u[t - 1, k], tr.n[t - 1, k],
                                                              tr.u[t - 1, k], tr.h[t - 2, k]]
    nbar = [n.value for n in fw.get("n_bar").expr.numbers()]
    assert nbar[0] == pytest.approx(p["W_n"][k] @ tr.x[t - 1])
    assert nbar[1:] == [p["b_n"][k], tr.r[t - 1, k], tr.n_rec[t - 1, k]]
    assert tr.n_rec[t - 1, k] == pytest.approx(p["R_n"][k] @ tr.h[t - 2])
    bw = equations_at(r, Cursor("backward", t), k)
    assert bw.keys() == ["delta_readout", "delta_h", "delta_n_bar", "delta_u_bar", "delta_r_bar"]
    assert bw.focus == "delta_h"
    terms = [n.value for n in bw.get("delta_h").expr.numbers()]
    assert terms[0] == pytest.approx(p["V"][:, k] @ D["out"][t - 1])
    assert terms[1] == pytest.approx(p["R_r"][:, k] @ D["r_bar"][t])
    assert terms[2] == pytest.approx(p["R_u"][:, k] @ D["u_bar"][t])
    assert terms[3] == pytest.approx(p["R_n"][:, k] @ (tr.r[t] * D["n_bar"][t]))
    assert terms[4:] == [D["h"][t, k], tr.u[t, k]]  # the highway delta_h(t+1) u(t+1)
    last = equations_at(r, Cursor("backward", r.T), k).get("delta_h")
    assert [n.value for n in last.expr.numbers()][1:] == [0.0] * 4 and "t = T" in last.note
    up = equations_at(r, Cursor("update", r.T), k)
    assert up.focus == "new_b_u" and up.keys()[:3] == ["new_b_r", "new_b_u", "new_b_n"]


def test_gru_truncation_and_clipping_are_said(results):
    r = results["gru-trunc-clip"]
    dh = equations_at(r, Cursor("backward", 3), 1).get("delta_h")
    assert "truncated" in dh.note and "trunc" in dh.latex
    assert len(dh.expr.numbers()) == 2  # own + what the truncated sweep carried
    assert r.clipped
    up = equations_at(r, Cursor("update", r.T), 1)
    assert up.notes and "clipped" in up.notes[0] and r"\tau" in up.get("new_b_u").latex


def test_no_bar_touches_a_superscript(results):
    """A barred symbol's step never sits right after its bar (it read as ī_k^{-(t)}): the
    subscript or an empty group comes first (issue 11, item 8)."""
    import re

    seen = 0
    for r in results.values():
        if r.forward.kind not in ("LSTM", "GRU"):
            continue
        for cursor in (Cursor("forward", 3), Cursor("backward", 3)):
            for eq in eqm.equations_at(r, cursor, 0).equations:
                for m in re.finditer(r"\\bar\{", eq.latex):
                    depth, i = 1, m.end()
                    while depth:  # the end of the bar's argument
                        depth += {"{": 1, "}": -1}.get(eq.latex[i], 0)
                        i += 1
                    assert eq.latex[i] != "^", (eq.key, eq.latex)
                    seen += 1
    assert seen > 10
