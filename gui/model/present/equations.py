"""The equations evaluated at one cursor step, with the numbers of one hidden unit substituted.

For each moment of the sequence (forward t, backward t, the update) this module lists every
equation the engine evaluates at that step, in the order it evaluates them, in the articles'
notation (LaTeX for the symbolic line, generic in k and t so that it can be typeset once), and a
second line with the trace's numbers for unit k substituted. Pure NumPy; the equations view only
typesets what this returns.

    forward (LSTM)   c_k(t) = z_k i_k + c_k(t-1) f_k  =  0.41 x 0.77 + (-0.12) x 0.93  =  0.2
    backward (RNN)   delta h_k(t) = (V^T delta o(t))_k + (W^T delta a(t+1))_k  =  0.12 + (-0.05)

Every substituted expression is a small tree (:class:`Num`, :class:`Add`, :class:`Mul`, ...)
whose :meth:`Node.evaluate` gives back the trace's value (tests check it to 1e-9), and whose
operands, rounded as displayed, evaluate to the displayed result within the rounding of the
operands.

Readout equations (o, y_hat, delta o) concern an output unit m rather than hidden unit k: the
target class at step t for a cross-entropy task, else unit min(k, O - 1).

>>> from sim.run import SessionConfig, compute, Cursor
>>> r = compute(SessionConfig(model="LSTM", hidden=4))
>>> step = equations_at(r, Cursor("forward", 3), unit=0)
>>> [e.key for e in step.equations][:3]
['z_bar', 'z', 'i_bar']
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

# -- number formatting ---------------------------------------------------------------------------

#: significant digits of every displayed number
DIGITS = 3
#: a sum with more terms than this is shown as its first and last terms around an ellipsis
MAX_TERMS = 7
MINUS = "\u2212"
TIMES = "\u00d7"
SUPERSCRIPTS = str.maketrans("0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077"
                             "\u2078\u2079\u207b")


def shown(v: float) -> float:
    """The value a reader sees: ``v`` rounded to DIGITS significant digits."""
    if not np.isfinite(v) or v == 0:
        return float(v)
    return float(f"{v:.{DIGITS}g}")


def fmt_number(v: float, rich: bool = False) -> str:
    """``v`` with DIGITS significant digits, a real minus sign and m x 10^e for tiny or huge values.

    The exponent is written with Unicode superscript digits (plain text and rich text alike: a
    math font's metrics put HTML superscripts too high). ``rich`` is accepted for symmetry.
    """
    if np.isnan(v):
        return "NaN"
    if not np.isfinite(v):
        return ("" if v > 0 else MINUS) + "\u221e"
    if v == 0:
        return "0"
    a = abs(v)
    if 1e-3 <= a < 1e4:
        s = f"{v:.{DIGITS}g}"
        if "e" in s:  # e.g. 1e+03 from %g at exactly 1000
            s = f"{v:.0f}"
        return s.replace("-", MINUS)
    mant, exp = f"{v:.{DIGITS - 1}e}".split("e")
    mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
    sup = str(int(exp)).translate(SUPERSCRIPTS)
    return f"{mant.replace('-', MINUS)}{TIMES}10{sup}"


# -- expression trees ----------------------------------------------------------------------------

def _sigmoid(x: float) -> float:
    with np.errstate(over="ignore"):
        return float(1.0 / (1.0 + np.exp(-x)))


#: the one-argument functions an expression may apply: name -> (evaluate, plain, rich prefix)
FUNCTIONS = {
    "tanh": (math.tanh, "tanh", "tanh"),
    "sigma": (_sigmoid, "\u03c3", "\u03c3"),
    "tanh2": (lambda x: math.tanh(x) ** 2, "tanh\u00b2", "tanh\u00b2"),
    "relu": (lambda x: max(x, 0.0), "relu", "relu"),
    "relu'": (lambda x: 1.0 if x > 0 else 0.0, "relu\u2032", "relu\u2032"),
}


class Node(ABC):
    """A node of a substituted expression."""

    @abstractmethod
    def evaluate(self, rounded: bool = False) -> float:
        """Its value from the operands' full values, or (``rounded``) as displayed."""

    @abstractmethod
    def text(self, rich: bool = False, lead: bool = True) -> str:
        """How it is written: plain Unicode, or Qt rich text. ``lead``: it starts the line or
        follows an opening parenthesis, so a leading minus needs no parentheses."""

    @abstractmethod
    def numbers(self) -> list[Num]:
        """Every operand, left to right."""


def _paren(s: str) -> str:
    return f"({s})"


@dataclass(frozen=True)
class Num(Node):
    value: float

    def evaluate(self, rounded: bool = False) -> float:
        return shown(self.value) if rounded else float(self.value)

    def text(self, rich: bool = False, lead: bool = True) -> str:
        s = fmt_number(self.value, rich)
        return s if lead or not s.startswith(MINUS) else _paren(s)

    def numbers(self) -> list[Num]:
        return [self]


@dataclass(frozen=True)
class Add(Node):
    terms: tuple[Node, ...]

    def evaluate(self, rounded: bool = False) -> float:
        return float(sum(t.evaluate(rounded) for t in self.terms))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        terms = list(self.terms)
        if len(terms) > MAX_TERMS:
            terms = terms[:3] + [None] + terms[-2:]
        parts = []
        for i, term in enumerate(terms):
            if term is None:
                parts.append("\u2026")
            elif isinstance(term, Add):
                parts.append(_paren(term.text(rich)))
            else:
                parts.append(term.text(rich, lead=lead and i == 0))
        return " + ".join(parts)

    def numbers(self) -> list[Num]:
        return [n for t in self.terms for n in t.numbers()]


@dataclass(frozen=True)
class Sub(Node):
    a: Node
    b: Node

    def evaluate(self, rounded: bool = False) -> float:
        return self.a.evaluate(rounded) - self.b.evaluate(rounded)

    def text(self, rich: bool = False, lead: bool = True) -> str:
        a = _paren(self.a.text(rich)) if isinstance(self.a, Add) else self.a.text(rich, lead)
        b = (_paren(self.b.text(rich)) if isinstance(self.b, (Add, Sub))
             else self.b.text(rich, lead=False))
        return f"{a} {MINUS} {b}"

    def numbers(self) -> list[Num]:
        return self.a.numbers() + self.b.numbers()


@dataclass(frozen=True)
class Mul(Node):
    factors: tuple[Node, ...]

    def evaluate(self, rounded: bool = False) -> float:
        out = 1.0
        for f in self.factors:
            out *= f.evaluate(rounded)
        return out

    def text(self, rich: bool = False, lead: bool = True) -> str:
        parts = []
        for i, f in enumerate(self.factors):
            if isinstance(f, (Add, Sub)):
                parts.append(_paren(f.text(rich)))
            else:
                parts.append(f.text(rich, lead=lead and i == 0))
        return f" {TIMES} ".join(parts)

    def numbers(self) -> list[Num]:
        return [n for f in self.factors for n in f.numbers()]


@dataclass(frozen=True)
class Div(Node):
    a: Node
    b: Node

    def evaluate(self, rounded: bool = False) -> float:
        with np.errstate(all="ignore"):
            return float(np.float64(self.a.evaluate(rounded)) / self.b.evaluate(rounded))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        a = (_paren(self.a.text(rich)) if isinstance(self.a, (Add, Sub, Mul))
             else self.a.text(rich, lead))
        b = (_paren(self.b.text(rich)) if isinstance(self.b, (Add, Sub, Mul, Div))
             else self.b.text(rich, lead=False))
        return f"{a} / {b}"

    def numbers(self) -> list[Num]:
        return self.a.numbers() + self.b.numbers()


@dataclass(frozen=True)
class Fn(Node):
    """A function applied to one argument: tanh(x), sigma(x), tanh^2(x), relu'(x)."""

    name: str
    arg: Node

    def evaluate(self, rounded: bool = False) -> float:
        return float(FUNCTIONS[self.name][0](self.arg.evaluate(rounded)))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        prefix = FUNCTIONS[self.name][2 if rich else 1]
        return f"{prefix}({self.arg.text(rich)})"

    def numbers(self) -> list[Num]:
        return self.arg.numbers()


@dataclass(frozen=True)
class Exp(Node):
    """e to the power of its argument."""

    arg: Node

    def evaluate(self, rounded: bool = False) -> float:
        with np.errstate(over="ignore"):
            return float(np.exp(self.arg.evaluate(rounded)))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        return f"exp({self.arg.text(rich)})"

    def numbers(self) -> list[Num]:
        return self.arg.numbers()


@dataclass(frozen=True)
class Square(Node):
    base: Node

    def evaluate(self, rounded: bool = False) -> float:
        v = self.base.evaluate(rounded)
        return v * v

    def text(self, rich: bool = False, lead: bool = True) -> str:
        b = self.base
        s = (_paren(b.text(rich)) if isinstance(b, (Add, Sub, Mul, Div))
             else b.text(rich, lead=False))
        return f"{s}\u00b2"

    def numbers(self) -> list[Num]:
        return self.base.numbers()


def one_minus(x: float) -> Sub:
    return Sub(Num(1.0), Num(x))


# -- equations -----------------------------------------------------------------------------------

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
        v = fmt_number(self.value, rich)
        rhs = self.expr.text(rich)
        if rich:
            v = f"<b>{v}</b>"
        if isinstance(self.expr, Num) and rhs == fmt_number(self.value, rich):
            return f"= {v}"
        return f"= {rhs} = {v}"

    @property
    def shown_value(self) -> str:
        return fmt_number(self.value)


@dataclass(frozen=True)
class StepEquations:
    """The equations of one cursor moment, in the order the engine evaluates them.

    Attributes
    ----------
    phase, t : the cursor.
    kind : "SimpleRNN" or "LSTM".
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
}


def focus_key(kind: str, phase: str) -> str:
    """The equation that carries information across time at a step of ``phase``: the recurrence
    a(t) / the highway c(t) forward, their errors backward, a bias at the update."""
    return {("SimpleRNN", "forward"): "a", ("SimpleRNN", "backward"): "delta_h",
            ("SimpleRNN", "update"): "new_b", ("LSTM", "forward"): "c",
            ("LSTM", "backward"): "delta_c", ("LSTM", "update"): "new_b_f"}[(kind, phase)]


# -- symbolic lines ------------------------------------------------------------------------------

def _v(name: str, sub: str = "k", step: str = "t") -> str:
    """A neuron in the articles' notation: name_k^{(t)}."""
    return f"{name}_{sub}^{{({step})}}"


def _bar(g: str, step: str = "t") -> str:
    return _v(rf"\bar{{{g}}}", "k", step)


def _dbar(g: str, step: str = "t") -> str:
    return rf"\delta {_bar(g, step)}"


BOLD = r"\boldsymbol"
RHS_T = "^{T}"


def _latex_readout(kind: str, output: str) -> dict[str, str]:
    """o / out and y_hat."""
    r = "o" if kind == "SimpleRNN" else r"\mathrm{out}"
    st = "h" if kind == "SimpleRNN" else "y"
    rb = r"\boldsymbol{o}" if kind == "SimpleRNN" else r"\mathbf{out}"
    out = {"readout": rf"{_v(r, 'm')} = ({BOLD}{{V}}{BOLD}{{{st}}}^{{(t)}})_m + c_m"}
    if output == "softmax":
        out["y_hat"] = (rf"\hat{{y}}_m^{{(t)}} = f({rb}^{{(t)}})_m = e^{{{_v(r, 'm')}}} \,/\, "
                        rf"\Sigma_j\, e^{{{_v(r, 'j')}}}")
    else:
        out["y_hat"] = rf"\hat{{y}}_m^{{(t)}} = f({rb}^{{(t)}})_m = {_v(r, 'm')}"
    return out


def _latex_delta_readout(kind: str, output: str, loss: str) -> str:
    r = "o" if kind == "SimpleRNN" else r"\mathrm{out}"
    rb = r"\boldsymbol{o}" if kind == "SimpleRNN" else r"\mathbf{out}"
    lhs = rf"\delta {_v(r, 'm')} = \frac{{\partial J^{{(t)}}}}{{\partial {_v(r, 'm')}}}"
    if loss == "cross_entropy":
        if output == "softmax":
            return rf"{lhs} = \hat{{y}}_m^{{(t)}} - y_m^{{(t)}}"
        return rf"{lhs} = \mathrm{{softmax}}({rb}^{{(t)}})_m - y_m^{{(t)}}"
    if output == "linear":
        return rf"{lhs} = \hat{{y}}_m^{{(t)}} - y_m^{{(t)}}"
    return (rf"{lhs} = \hat{{y}}_m^{{(t)}}\,(e_m - \hat{{{BOLD}{{y}}}}^{{(t)}} \cdot {BOLD}{{e}}),"
            rf"\ {BOLD}{{e}} = \hat{{{BOLD}{{y}}}}^{{(t)}} - {BOLD}{{y}}^{{(t)}}")


def _latex_gate_bar(g: str, peep: str | None) -> str:
    """z_bar, i_bar, f_bar, o_bar with an optional peephole on c(t-1) or c(t)."""
    s = (rf"{_bar(g)} = ({BOLD}{{W}}_{g} {BOLD}{{x}}^{{(t)}})_k + "
         rf"({BOLD}{{R}}_{g} {BOLD}{{y}}^{{(t-1)}})_k")
    if peep:
        s += rf" + (p_{g})_k\, {_v('c', 'k', peep)}"
    return s + rf" + (b_{g})_k"


def symbolic(kind: str, key: str, *, peepholes: bool = False, output: str = "softmax",
             loss: str = "cross_entropy", truncated: bool = False, clipped: bool = False) -> str:
    """The LaTeX of equation ``key`` (generic in k and t)."""
    if key in ("readout", "y_hat"):
        return _latex_readout(kind, output)[key]
    if key == "delta_readout":
        return _latex_delta_readout(kind, output, loss)
    clip = r"\frac{\tau}{\lVert g \rVert}\," if clipped else ""
    if kind == "SimpleRNN":
        if key == "a":
            return (rf"{_v('a')} = b_k + ({BOLD}{{W}}{BOLD}{{h}}^{{(t-1)}})_k + "
                    rf"({BOLD}{{U}}{BOLD}{{x}}^{{(t)}})_k")
        if key == "h":
            return rf"{_v('h')} = g({_v('a')})"
        if key == "delta_h":
            fut = (rf"[{BOLD}{{W}}{RHS_T} \delta{BOLD}{{a}}^{{(t+1)}}]_k^{{\,\mathrm{{trunc}}}}"
                   if truncated else rf"({BOLD}{{W}}{RHS_T} \delta{BOLD}{{a}}^{{(t+1)}})_k")
            return (rf"\delta {_v('h')} = ({BOLD}{{V}}{RHS_T} \delta{BOLD}{{o}}^{{(t)}})_k + "
                    + fut)
        if key == "delta_a":
            return rf"\delta {_v('a')} = \delta {_v('h')}\, g^{{\prime}}({_v('a')})"
        if key == "new_b":
            return rf"b_k \leftarrow b_k - \eta\, {clip}\sum_t \delta {_v('a')}"
        if key == "new_c":
            return rf"c_m \leftarrow c_m - \eta\, {clip}\sum_t \delta {_v('o', 'm')}"
    else:
        if key in ("z_bar", "i_bar", "f_bar", "o_bar"):
            g = key[0]
            peep = None
            if peepholes and g in "if":
                peep = "t-1"
            elif peepholes and g == "o":
                peep = "t"
            return _latex_gate_bar(g, peep)
        if key == "z":
            return rf"{_v('z')} = \tanh({_bar('z')})"
        if key in ("i", "f", "o"):
            return rf"{_v(key)} = \sigma({_bar(key)})"
        if key == "c":
            return (rf"{_v('c')} = {_v('z')}\, {_v('i')} + {_v('c', 'k', 't-1')}\, {_v('f')}")
        if key == "y":
            return rf"{_v('y')} = {_v('o')} \tanh({_v('c')})"
        if key == "delta_y":
            own = rf"\frac{{\partial J^{{(t)}}}}{{\partial {_v('y')}}}"
            if truncated:
                return (rf"\delta {_v('y')} = {own} + [\Sigma_\star\, {BOLD}{{R}}_\star{RHS_T}\, "
                        rf"\delta\bar{{{BOLD}{{\star}}}}^{{(t+1)}}]_k^{{\,\mathrm{{trunc}}}}")
            gates = " + ".join(rf"({BOLD}{{R}}_{g}{RHS_T} \delta\bar{{{BOLD}{{{g}}}}}^{{(t+1)}})_k"
                               for g in "zifo")
            return rf"\delta {_v('y')} = {own} + {gates}"
        if key == "delta_o_bar":
            return (rf"{_dbar('o')} = \delta {_v('y')} \tanh({_v('c')})\, {_v('o')}"
                    rf"(1 - {_v('o')})")
        if key == "delta_c":
            s = rf"\delta {_v('c')} = \delta {_v('y')}\, {_v('o')} (1 - \tanh^2({_v('c')}))"
            if peepholes:
                s += rf" + (p_o)_k\, {_dbar('o')}"
            if truncated:
                return s + r" + [\ldots]^{(t+1)}_{\mathrm{trunc}}"
            s += rf" + \delta {_v('c', 'k', 't+1')}\, {_v('f', 'k', 't+1')}"
            if peepholes:
                s += rf" + (p_i)_k\, {_dbar('i', 't+1')} + (p_f)_k\, {_dbar('f', 't+1')}"
            return s
        if key == "delta_z_bar":
            return rf"{_dbar('z')} = \delta {_v('c')}\, {_v('i')} (1 - ({_v('z')})^2)"
        if key == "delta_i_bar":
            return rf"{_dbar('i')} = \delta {_v('c')}\, {_v('z')}\, {_v('i')} (1 - {_v('i')})"
        if key == "delta_f_bar":
            return (rf"{_dbar('f')} = \delta {_v('c')}\, {_v('c', 'k', 't-1')}\, {_v('f')} "
                    rf"(1 - {_v('f')})")
        if key.startswith("new_b_"):
            g = key[-1]
            return (rf"(b_{g})_k \leftarrow (b_{g})_k - \eta\, {clip}\sum_t "
                    rf"{_dbar(g)}")
        if key == "new_c":
            out_m = _v(r"\mathrm{out}", "m")
            return rf"c_m \leftarrow c_m - \eta\, {clip}\sum_t \delta {out_m}"
    raise ValueError(f"no equation {key!r} for a {kind}")


# -- building a step's equations from a trace ----------------------------------------------------

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
    lat = _latex_readout(kind, output)
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
    latex = _latex_delta_readout(kind, output, loss)
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
    if tr.kind == "SimpleRNN":
        eqs = _rnn_step(result, cursor.phase, t, k, m)
    else:
        eqs = _lstm_step(result, cursor.phase, t, k, m)
    notes = ()
    if cursor.phase == "update" and result.clipped:
        notes = (f"clipped: ‖g‖ = {fmt_number(result.norm_before)} > τ = "
                 f"{fmt_number(result.config.clip)}, so the gradient is scaled by τ/‖g‖",)
    return StepEquations(phase=cursor.phase, t=t, kind=tr.kind, unit=k, out_unit=m,
                         out_reason=why, equations=tuple(eqs),
                         focus=focus_key(tr.kind, cursor.phase), notes=notes)


def all_symbolic(kind: str, *, peepholes: bool = False, output: str = "softmax",
                 loss: str = "cross_entropy", truncated: bool = False) -> list[str]:
    """Every symbolic line a session of this kind can show (to typeset ahead of time)."""
    if kind == "SimpleRNN":
        keys = ["a", "h", "readout", "y_hat", "delta_readout", "delta_h", "delta_a", "new_b",
                "new_c"]
    else:
        keys = ["z_bar", "z", "i_bar", "i", "f_bar", "f", "c", "o_bar", "o", "y", "readout",
                "y_hat", "delta_readout", "delta_y", "delta_o_bar", "delta_c", "delta_z_bar",
                "delta_i_bar", "delta_f_bar", "new_b_z", "new_b_i", "new_b_f", "new_b_o", "new_c"]
    out = []
    for key in keys:
        for clipped in ((False, True) if key.startswith("new_") else (False,)):
            out.append(symbolic(kind, key, peepholes=peepholes, output=output, loss=loss,
                                truncated=truncated, clipped=clipped))
    return out
