"""The equations evaluated at one cursor step, with the numbers of one hidden unit substituted.

For each moment of the sequence (forward t, backward t, the update) :func:`equations_at` lists
every equation the engine evaluates at that step, in the order it evaluates them: the symbolic
line (LaTeX, :mod:`.latex`) and the right-hand side with the trace's numbers for unit k
substituted (an expression tree, :mod:`.expr`).

    forward (LSTM)   c_k(t) = z_k i_k + c_k(t-1) f_k  =  0.41 x 0.77 + (-0.12) x 0.93  =  0.2
    backward (RNN)   delta h_k(t) = (V^T delta o(t))_k + (W^T delta a(t+1))_k  =  0.12 + (-0.05)

Readout equations (o, y_hat, delta o) concern an output unit m rather than hidden unit k: the
target class at step t for a cross-entropy task, else unit min(k, O - 1).

>>> from gui.model.cursor import Cursor
>>> from sim.run import SessionConfig, compute
>>> r = compute(SessionConfig(model="LSTM", hidden=4))
>>> step = equations_at(r, Cursor("forward", 3), unit=0)
>>> [e.key for e in step.equations][:3]
['z_bar', 'z', 'i_bar']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..numbers import fmt
from .expr import Add, Div, Exp, Fn, Mul, Node, Num, Square, Sub, one_minus
from .latex import KINDS, latex_delta_readout, latex_readout, symbolic


def supports(kind: str) -> bool:
    """Whether the equations of a ``kind`` session (the trace's kind) are written out here."""
    return kind in KINDS


@dataclass(frozen=True)
class Equation:
    """One equation evaluated at the cursor, with one unit's numbers.

    Attributes
    ----------
    key : stable name: the variable computed ("a", "c", "delta_c", "new_b_f", ...).
    role : a few words on what it is ("forget gate", "the cell highway", ...).
    latex : the symbolic line in the articles' notation, generic in k (m) and t.
    expr : the right-hand side with the trace's numbers for the selected unit.
    value : the trace's value of the left-hand side (what ``expr`` evaluates to).
    index : the unit of the left-hand side: hidden unit k, output unit m (readout equations),
        or the parameter entry (update).
    note : a remark shown with the numbers ("no loss at this step", "truncated", ...).
    """

    key: str
    role: str
    latex: str
    expr: Node
    value: float
    index: int
    note: str = ""

    def numbers_text(self, rich: bool = False) -> str:
        """The second line: "= <expression> = <value>" (``rich``: the value in bold)."""
        v = fmt(self.value)
        rhs = self.expr.text(rich)
        if rich:
            v = f"<b>{v}</b>"
        if isinstance(self.expr, Num) and rhs == fmt(self.value):
            return f"= {v}"
        return f"= {rhs} = {v}"

    @property
    def shown_value(self) -> str:
        return fmt(self.value)


@dataclass(frozen=True)
class StepEquations:
    """The equations of one cursor moment, in the order the engine evaluates them.

    Attributes
    ----------
    phase, t : the cursor.
    kind : "SimpleRNN", "LSTM" or "GRU".
    unit : hidden unit k (0-based); out_unit : output unit m (0-based) of the readout equations.
    out_reason : why that m ("the target class", "unit min(k, O - 1)").
    equations : the equations.
    focus : key of the equation that matters most at this step (see :func:`focus_key`).
    """

    phase: str
    t: int
    kind: str
    unit: int
    out_unit: int
    out_reason: str
    equations: tuple[Equation, ...]
    focus: str
    notes: tuple[str, ...] = field(default=())

    def keys(self) -> list[str]:
        return [e.key for e in self.equations]

    def get(self, key: str) -> Equation | None:
        return next((e for e in self.equations if e.key == key), None)


#: why each phase's focus equation matters (the view says it)
FOCUS_REASON = {
    ("SimpleRNN", "forward"): "a(t): where the past enters, through W h(t−1)",
    ("SimpleRNN", "backward"): "δh(t): the error from J(t) plus the error from the future, "
                               "through Wᵀ",
    ("SimpleRNN", "update"): "the one update of b from the summed per-step gradients",
    ("LSTM", "forward"): "c(t): the cell highway, c(t−1) f(t) plus z(t) i(t)",
    ("LSTM", "backward"): "δc(t): the error on the cell highway, δc(t+1) f(t+1) plus the "
                          "branches",
    ("LSTM", "update"): "the one update of the forget-gate bias b_f",
    ("GRU", "forward"): "h(t): the highway, u(t) h(t−1) plus (1 − u(t)) n(t)",
    ("GRU", "backward"): "δh(t): the error from J(t) plus the error from the future, "
                         "δh(t+1) u(t+1) along the highway and the gates' branches",
    ("GRU", "update"): "the one update of the update-gate bias b_u",
}


def focus_key(kind: str, phase: str) -> str:
    """The equation that carries information across time at a step of ``phase``: the recurrence
    a(t) / the highway c(t) forward, their errors backward, a bias at the update."""
    return {("SimpleRNN", "forward"): "a", ("SimpleRNN", "backward"): "delta_h",
            ("SimpleRNN", "update"): "new_b", ("LSTM", "forward"): "c",
            ("LSTM", "backward"): "delta_c", ("LSTM", "update"): "new_b_f",
            ("GRU", "forward"): "h", ("GRU", "backward"): "delta_h",
            ("GRU", "update"): "new_b_u"}[(kind, phase)]


def output_unit(result, t: int, unit: int) -> tuple[int, str]:
    """The output unit m of the readout equations at step t, and why it is that one."""
    O = result.forward.n_out
    if result.config.resolved_loss == "cross_entropy":
        return int(np.asarray(result.targets)[t - 1]), "the target class of step t"
    return min(unit, O - 1), "unit min(k, O − 1)"


def _row(a: np.ndarray, r: int) -> np.ndarray:
    """Row r of a (T, n) array, or zeros for r = -1 (the state before step 1)."""
    return np.asarray(a[r]) if r >= 0 else np.zeros(a.shape[1])


def _readout_eqs(result, r: int, m: int, kind: str, output: str) -> list[Equation]:
    tr = result.forward
    p = tr.params
    state = tr.state  # (T, H)
    Vy = float(p["V"][m] @ state[r])  # (V h(t))_m
    ro = tr.readout[r]  # (O,)
    lat = latex_readout(kind, output)
    eqs = [Equation("readout", "readout", lat["readout"], Add((Num(Vy), Num(float(p["c"][m])))),
                    float(ro[m]), m)]
    if output == "softmax":
        with np.errstate(over="ignore"):
            denom = float(np.exp(ro).sum())  # sum_j e^{o_j}
        expr = Div(Exp(Num(float(ro[m]))), Num(denom))
        eqs.append(Equation("y_hat", "prediction", lat["y_hat"], expr, float(tr.y_hat[r, m]), m))
    else:
        eqs.append(Equation("y_hat", "prediction", lat["y_hat"], Num(float(ro[m])),
                            float(tr.y_hat[r, m]), m))
    return eqs


def _delta_readout_eq(result, r: int, m: int, kind: str) -> Equation:
    tr, bt = result.forward, result.backward
    output, loss = tr.output, result.config.resolved_loss
    name = "o" if kind == "SimpleRNN" else "out"
    value = float(bt.deltas[name][r, m])
    latex = latex_delta_readout(kind, output, loss)
    if bt.loss_mask[r] == 0:
        return Equation("delta_readout", "error of the readout", latex, Num(0.0), value, m,
                        note="no loss J(t) at this step: nothing enters here")
    if loss == "cross_entropy":
        target = float(int(np.asarray(result.targets)[r]) == m)  # y_m, one-hot
        ro = tr.readout[r]  # (O,)
        with np.errstate(over="ignore"):
            e = np.exp(ro - ro.max())  # (O,)
        sm = float(e[m] / e.sum()) if output != "softmax" else float(tr.y_hat[r, m])
        return Equation("delta_readout", "error of the readout", latex,
                        Sub(Num(sm), Num(target)), value, m)
    target = float(np.asarray(result.targets)[r, m])
    y = float(tr.y_hat[r, m])
    if output == "linear":
        return Equation("delta_readout", "error of the readout", latex, Sub(Num(y), Num(target)),
                        value, m)
    err = np.asarray(tr.y_hat[r]) - np.asarray(result.targets)[r]  # (O,) e
    dot = float(np.asarray(tr.y_hat[r]) @ err)  # y_hat . e
    return Equation("delta_readout", "error of the readout", latex,
                    Mul((Num(y), Sub(Num(float(err[m])), Num(dot)))), value, m)


def _g_expr(activation: str, a: float) -> Node:
    """g(a) as the reader computes it."""
    return Fn({"tanh": "tanh", "sigmoid": "sigma", "relu": "relu"}[activation], Num(a))


def _g_prime_expr(activation: str, a: float) -> Node:
    """g'(a) written out: 1 - tanh^2(a), sigma(a)(1 - sigma(a)), relu'(a)."""
    if activation == "tanh":
        return Sub(Num(1.0), Fn("tanh2", Num(a)))
    if activation == "sigmoid":
        return Mul((Fn("sigma", Num(a)), Sub(Num(1.0), Fn("sigma", Num(a)))))
    return Fn("relu'", Num(a))


def _clip_scale(result) -> float:
    """The factor the update applies to the summed gradient (tau / ||g|| when clipped, else 1)."""
    if not result.clipped:
        return 1.0
    return float(result.config.clip / result.norm_before)


def _sum_node(values: np.ndarray) -> Node:
    return Add(tuple(Num(float(v)) for v in values)) if len(values) > 1 else Num(float(values[0]))


def _update_eq(result, key: str, role: str, latex: str, param: str, index: int,
               delta: np.ndarray) -> Equation:
    """theta_j <- theta_j - eta [tau/||g||] sum_t delta(t)_j."""
    eta = float(result.config.lr)
    old = float(result.forward.params[param][index])
    factors = (Num(eta),) + ((Num(_clip_scale(result)),) if result.clipped else ())
    expr = Sub(Num(old), Mul(factors + (_sum_node(delta),)))
    return Equation(key, role, latex, expr, float(result.new_params[param][index]), index)


def _rnn_step(result, phase: str, t: int, k: int, m: int) -> list[Equation]:
    tr, bt = result.forward, result.backward
    p = tr.params
    r = t - 1
    act = tr.activation
    trunc = bt.truncation is not None
    if phase == "forward":
        Wh = float(p["W"][k] @ _row(tr.h, r - 1))  # (W h(t-1))_k
        Ux = float(p["U"][k] @ tr.x[r])  # (U x(t))_k
        eqs = [
            Equation("a", "pre-activation: the past enters through W", symbolic("SimpleRNN", "a"),
                     Add((Num(float(p["b"][k])), Num(Wh), Num(Ux))), float(tr.a[r, k]), k,
                     note="h(0) = 0" if t == 1 else ""),
            Equation("h", f"hidden state, g = {act}", symbolic("SimpleRNN", "h"),
                     _g_expr(act, float(tr.a[r, k])), float(tr.h[r, k]), k),
        ]
        return eqs + _readout_eqs(result, r, m, "SimpleRNN", tr.output)
    if phase == "backward":
        d_o = _delta_readout_eq(result, r, m, "SimpleRNN")
        own = float(p["V"][:, k] @ bt.deltas["o"][r])  # (V^T delta o(t))_k
        dh = float(bt.deltas["h"][r, k])
        if trunc:
            fut = dh - own  # what the truncated sweep carried from t+1
            note = f"truncated BPTT, k = {bt.truncation}: only errors from J(s), s < t + k"
        else:
            fut = float(p["W"][:, k] @ bt.deltas["a"][r + 1]) if t < tr.T else 0.0
            note = "t = T: nothing comes from t + 1" if t == tr.T else ""
        d_h = Equation("delta_h", "error of h: from J(t) and from the future",
                       symbolic("SimpleRNN", "delta_h", truncated=trunc),
                       Add((Num(own), Num(fut))), dh, k, note=note)
        a = float(tr.a[r, k])
        d_a = Equation("delta_a", "error of a: back through g",
                       symbolic("SimpleRNN", "delta_a"),
                       Mul((Num(dh), _g_prime_expr(act, a))), float(bt.deltas["a"][r, k]), k)
        return [d_o, d_h, d_a]
    clip = result.clipped
    return [
        _update_eq(result, "new_b", "update of the bias b",
                   symbolic("SimpleRNN", "new_b", clipped=clip), "b", k, bt.deltas["a"][:, k]),
        _update_eq(result, "new_c", "update of the output bias c",
                   symbolic("SimpleRNN", "new_c", clipped=clip), "c", m, bt.deltas["o"][:, m]),
    ]


def _lstm_step(result, phase: str, t: int, k: int, m: int) -> list[Equation]:
    tr, bt = result.forward, result.backward
    p = tr.params
    r = t - 1
    T = tr.T
    peep = tr.peepholes
    trunc = bt.truncation is not None
    c_prev = float(_row(tr.c, r - 1)[k])  # c_k(t-1)
    y_prev = _row(tr.y, r - 1)  # (H,) y(t-1)

    def sym(key, **kw):
        return symbolic("LSTM", key, peepholes=peep, output=tr.output,
                        loss=result.config.resolved_loss, **kw)

    if phase == "forward":
        eqs = []
        roles = {"z": "block input", "i": "input gate", "f": "forget gate", "o": "output gate"}
        for g in "zifo":
            bar = getattr(tr, f"{g}_bar")
            terms = [Num(float(p[f"W_{g}"][k] @ tr.x[r])),  # (W_g x(t))_k
                     Num(float(p[f"R_{g}"][k] @ y_prev))]  # (R_g y(t-1))_k
            if peep and g in "if":
                terms.append(Mul((Num(float(p[f"p_{g}"][k])), Num(c_prev))))
            elif peep and g == "o":
                terms.append(Mul((Num(float(p["p_o"][k])), Num(float(tr.c[r, k])))))
            terms.append(Num(float(p[f"b_{g}"][k])))
            bar_eq = Equation(f"{g}_bar", f"{roles[g]}, before its nonlinearity", sym(f"{g}_bar"),
                              Add(tuple(terms)), float(bar[r, k]), k,
                              note="y(0) = c(0) = 0" if t == 1 else "")
            fn = "tanh" if g == "z" else "sigma"
            act_eq = Equation(g, roles[g], sym(g), Fn(fn, Num(float(bar[r, k]))),
                              float(getattr(tr, g)[r, k]), k)
            if g == "o":  # the output gate reads c(t): it comes after the cell
                o_pair = [bar_eq, act_eq]
                continue
            eqs += [bar_eq, act_eq]
        z, i, f = float(tr.z[r, k]), float(tr.i[r, k]), float(tr.f[r, k])
        eqs.append(Equation("c", "cell state: the highway", sym("c"),
                            Add((Mul((Num(z), Num(i))), Mul((Num(c_prev), Num(f))))),
                            float(tr.c[r, k]), k))
        eqs += o_pair
        eqs.append(Equation("y", "block output", sym("y"),
                            Mul((Num(float(tr.o[r, k])), Fn("tanh", Num(float(tr.c[r, k]))))),
                            float(tr.y[r, k]), k))
        return eqs + _readout_eqs(result, r, m, "LSTM", tr.output)
    if phase == "backward":
        D = bt.deltas
        eqs = [_delta_readout_eq(result, r, m, "LSTM")]
        own = float(p["V"][:, k] @ D["out"][r])  # (V^T delta out(t))_k = dJ(t)/dy_k(t)
        dy = float(D["y"][r, k])
        last = t == T
        if trunc:
            terms = (Num(own), Num(dy - own))
            note = f"truncated BPTT, k = {bt.truncation}: only errors from J(s), s < t + k"
        else:
            terms = (Num(own),) + tuple(
                Num(0.0 if last else float(p[f"R_{g}"][:, k] @ D[f"{g}_bar"][r + 1]))
                for g in "zifo")  # (R_g^T delta g_bar(t+1))_k
            note = "t = T: nothing comes from t + 1" if last else ""
        eqs.append(Equation("delta_y", "error of the block output y",
                            sym("delta_y", truncated=trunc), Add(terms), dy, k, note=note))
        o, c = float(tr.o[r, k]), float(tr.c[r, k])
        d_ob = float(D["o_bar"][r, k])
        eqs.append(Equation("delta_o_bar", "error of the output gate", sym("delta_o_bar"),
                            Mul((Num(dy), Fn("tanh", Num(c)), Num(o), one_minus(o))), d_ob, k))
        dc = float(D["c"][r, k])
        local = [Mul((Num(dy), Num(o), Sub(Num(1.0), Fn("tanh2", Num(c)))))]
        if peep:
            local.append(Mul((Num(float(p["p_o"][k])), Num(d_ob))))
        if trunc:
            carried = dc - sum(x.evaluate() for x in local)  # what the truncated sweep carried
            terms = local + [Num(carried)]
        elif last:  # delta_c(T+1) and the gate errors at T+1 are zero
            terms = local + [Num(0.0)] * (3 if peep else 1)
        else:
            terms = local + [Mul((Num(float(D["c"][r + 1, k])), Num(float(tr.f[r + 1, k]))))]
            if peep:
                terms += [Mul((Num(float(p["p_i"][k])), Num(float(D["i_bar"][r + 1, k])))),
                          Mul((Num(float(p["p_f"][k])), Num(float(D["f_bar"][r + 1, k]))))]
        eqs.append(Equation("delta_c", "error on the cell highway",
                            sym("delta_c", truncated=trunc), Add(tuple(terms)), dc, k, note=note))
        z, i, f = float(tr.z[r, k]), float(tr.i[r, k]), float(tr.f[r, k])
        eqs.append(Equation("delta_z_bar", "error of the block input", sym("delta_z_bar"),
                            Mul((Num(dc), Num(i), Sub(Num(1.0), Square(Num(z))))),
                            float(D["z_bar"][r, k]), k))
        eqs.append(Equation("delta_i_bar", "error of the input gate", sym("delta_i_bar"),
                            Mul((Num(dc), Num(z), Num(i), one_minus(i))),
                            float(D["i_bar"][r, k]), k))
        eqs.append(Equation("delta_f_bar", "error of the forget gate", sym("delta_f_bar"),
                            Mul((Num(dc), Num(c_prev), Num(f), one_minus(f))),
                            float(D["f_bar"][r, k]), k,
                            note="c(0) = 0" if t == 1 else ""))
        return eqs
    clip = result.clipped
    names = {"z": "block input", "i": "input gate", "f": "forget gate", "o": "output gate"}
    eqs = [_update_eq(result, f"new_b_{g}", f"update of the {names[g]} bias b_{g}",
                      sym(f"new_b_{g}", clipped=clip), f"b_{g}", k, bt.deltas[f"{g}_bar"][:, k])
           for g in "zifo"]
    eqs.append(_update_eq(result, "new_c", "update of the output bias c",
                          sym("new_c", clipped=clip), "c", m, bt.deltas["out"][:, m]))
    return eqs


def _gru_step(result, phase: str, t: int, k: int, m: int) -> list[Equation]:
    tr, bt = result.forward, result.backward
    p = tr.params
    r = t - 1
    trunc = bt.truncation is not None
    h_prev = _row(tr.h, r - 1)  # (H,) h(t-1)
    hk_prev = float(h_prev[k])  # h_k(t-1)
    roles = {"r": "reset gate", "u": "update gate", "n": "candidate"}

    def sym(key, **kw):
        return symbolic("GRU", key, output=tr.output, loss=result.config.resolved_loss, **kw)

    if phase == "forward":
        eqs = []
        for g in "run":
            bar = getattr(tr, f"{g}_bar")
            Wx = Num(float(p[f"W_{g}"][k] @ tr.x[r]))  # (W_g x(t))_k
            b = Num(float(p[f"b_{g}"][k]))
            if g == "n":  # (W_n x)_k + (b_n)_k + r_k (R_n h(t-1))_k
                terms = (Wx, b, Mul((Num(float(tr.r[r, k])), Num(float(tr.n_rec[r, k])))))
            else:
                terms = (Wx, Num(float(p[f"R_{g}"][k] @ h_prev)), b)  # (R_g h(t-1))_k
            eqs.append(Equation(f"{g}_bar", f"{roles[g]}, before its nonlinearity",
                                sym(f"{g}_bar"), Add(terms), float(bar[r, k]), k,
                                note="h(0) = 0" if t == 1 else ""))
            eqs.append(Equation(g, roles[g], sym(g),
                                Fn("tanh" if g == "n" else "sigma", Num(float(bar[r, k]))),
                                float(getattr(tr, g)[r, k]), k))
        u, n = float(tr.u[r, k]), float(tr.n[r, k])
        eqs.append(Equation("h", "hidden state: the highway, kept where u = 1", sym("h"),
                            Add((Mul((one_minus(u), Num(n))), Mul((Num(u), Num(hk_prev))))),
                            float(tr.h[r, k]), k))
        return eqs + _readout_eqs(result, r, m, "GRU", tr.output)
    if phase == "backward":
        D = bt.deltas
        eqs = [_delta_readout_eq(result, r, m, "GRU")]
        own = float(p["V"][:, k] @ D["out"][r])  # (V^T delta out(t))_k = dJ(t)/dh_k(t)
        dh = float(D["h"][r, k])
        last = t == tr.T
        if trunc:
            terms = (Num(own), Num(dh - own))  # what the truncated sweep carried from t+1
            note = f"truncated BPTT, k = {bt.truncation}: only errors from J(s), s < t + k"
        elif last:
            terms = (Num(own),) + (Num(0.0),) * 4
            note = "t = T: nothing comes from t + 1"
        else:
            terms = (Num(own),
                     Num(float(p["R_r"][:, k] @ D["r_bar"][r + 1])),  # (R_r^T d r_bar(t+1))_k
                     Num(float(p["R_u"][:, k] @ D["u_bar"][r + 1])),  # (R_u^T d u_bar(t+1))_k
                     Num(float(p["R_n"][:, k] @ D["n_rec"][r + 1])),  # (R_n^T r d n_bar)_k
                     Mul((Num(float(D["h"][r + 1, k])), Num(float(tr.u[r + 1, k])))))
            note = ""
        eqs.append(Equation("delta_h", "error of h: from J(t) and from the future",
                            sym("delta_h", truncated=trunc), Add(terms), dh, k, note=note))
        u, n, rr = float(tr.u[r, k]), float(tr.n[r, k]), float(tr.r[r, k])
        d_nb = float(D["n_bar"][r, k])
        eqs.append(Equation("delta_n_bar", "error of the candidate", sym("delta_n_bar"),
                            Mul((Num(dh), one_minus(u), Sub(Num(1.0), Square(Num(n))))),
                            d_nb, k))
        eqs.append(Equation("delta_u_bar", "error of the update gate", sym("delta_u_bar"),
                            Mul((Num(dh), Sub(Num(hk_prev), Num(n)), Num(u), one_minus(u))),
                            float(D["u_bar"][r, k]), k, note="h(0) = 0" if t == 1 else ""))
        eqs.append(Equation("delta_r_bar", "error of the reset gate", sym("delta_r_bar"),
                            Mul((Num(d_nb), Num(float(tr.n_rec[r, k])), Num(rr), one_minus(rr))),
                            float(D["r_bar"][r, k]), k))
        return eqs
    clip = result.clipped
    eqs = [_update_eq(result, f"new_b_{g}", f"update of the {roles[g]} bias b_{g}",
                      sym(f"new_b_{g}", clipped=clip), f"b_{g}", k, bt.deltas[f"{g}_bar"][:, k])
           for g in "run"]
    eqs.append(_update_eq(result, "new_c", "update of the output bias c",
                          sym("new_c", clipped=clip), "c", m, bt.deltas["out"][:, m]))
    return eqs


def equations_at(result, cursor, unit: int = 0) -> StepEquations:
    """Every equation evaluated at ``cursor`` with the numbers of hidden unit ``unit``.

    Parameters
    ----------
    result : a RunResult.
    cursor : a Cursor (phase, t).
    unit : hidden unit k, 0-based (clamped to 0..H-1).

    Returns
    -------
    StepEquations, equations in evaluation order; ``focus`` names the one that carries
    information across time (:func:`focus_key`).
    """
    tr = result.forward
    k = int(min(max(unit, 0), tr.n_hidden - 1))
    t = int(cursor.t)
    m, why = output_unit(result, t, k)
    if tr.kind not in KINDS:
        raise ValueError(f"the equations are written out for {', '.join(KINDS)} sessions, "
                         f"not for a {tr.kind}")
    step = {"SimpleRNN": _rnn_step, "LSTM": _lstm_step, "GRU": _gru_step}[tr.kind]
    eqs = step(result, cursor.phase, t, k, m)
    notes = ()
    if cursor.phase == "update" and result.clipped:
        notes = (f"clipped: ‖g‖ = {fmt(result.norm_before)} > τ = "
                 f"{fmt(result.config.clip)}, so the gradient is scaled by τ/‖g‖",)
    return StepEquations(phase=cursor.phase, t=t, kind=tr.kind, unit=k, out_unit=m,
                         out_reason=why, equations=tuple(eqs),
                         focus=focus_key(tr.kind, cursor.phase), notes=notes)
