r"""The symbolic lines: each equation in the articles' notation, as LaTeX generic in k (m) and t,
so that a line is typeset once per session kind and reused at every step.

>>> print(symbolic("LSTM", "c"))
c_k^{(t)} = z_k^{(t)}\, i_k^{(t)} + c_k^{(t-1)}\, f_k^{(t)}
"""

from __future__ import annotations

#: the model kinds whose equations are written out here
KINDS = ("SimpleRNN", "LSTM", "GRU")
#: every equation of a kind, in the order the engine evaluates them (forward, backward, update)
KEYS = {
    "SimpleRNN": ("a", "h", "readout", "y_hat", "delta_readout", "delta_h", "delta_a", "new_b",
                  "new_c"),
    "LSTM": ("z_bar", "z", "i_bar", "i", "f_bar", "f", "c", "o_bar", "o", "y", "readout",
             "y_hat", "delta_readout", "delta_y", "delta_o_bar", "delta_c", "delta_z_bar",
             "delta_i_bar", "delta_f_bar", "new_b_z", "new_b_i", "new_b_f", "new_b_o", "new_c"),
    "GRU": ("r_bar", "r", "u_bar", "u", "n_bar", "n", "h", "readout", "y_hat", "delta_readout",
            "delta_h", "delta_n_bar", "delta_u_bar", "delta_r_bar", "new_b_r", "new_b_u",
            "new_b_n", "new_c"),
}
#: every key of every kind (a pinned card names one)
ALL_KEYS = tuple(dict.fromkeys(k for keys in KEYS.values() for k in keys))


def _v(name: str, sub: str = "k", step: str = "t") -> str:
    """A neuron in the articles' notation: name_k^{(t)}."""
    return f"{name}_{sub}^{{({step})}}"


def _bar(g: str, step: str = "t") -> str:
    """A pre-activation: its superscript goes after an empty group, past the subscript, so the
    bar and "(t)" never read as a minus sign in an exponent (ī_k^{-(t)})."""
    return rf"\bar{{{g}}}_k{{}}^{{({step})}}"


def _dbar(g: str, step: str = "t") -> str:
    return rf"\delta {_bar(g, step)}"


BOLD = r"\boldsymbol"
RHS_T = "^{T}"


def latex_readout(kind: str, output: str) -> dict[str, str]:
    """o / out and y_hat."""
    r = "o" if kind == "SimpleRNN" else r"\mathrm{out}"
    st = "y" if kind == "LSTM" else "h"
    rb = r"\boldsymbol{o}" if kind == "SimpleRNN" else r"\mathbf{out}"
    out = {"readout": rf"{_v(r, 'm')} = ({BOLD}{{V}}{BOLD}{{{st}}}^{{(t)}})_m + c_m"}
    if output == "softmax":
        out["y_hat"] = (rf"\hat{{y}}_m^{{(t)}} = f({rb}^{{(t)}})_m = e^{{{_v(r, 'm')}}} \,/\, "
                        rf"\Sigma_j\, e^{{{_v(r, 'j')}}}")
    else:
        out["y_hat"] = rf"\hat{{y}}_m^{{(t)}} = f({rb}^{{(t)}})_m = {_v(r, 'm')}"
    return out


def latex_delta_readout(kind: str, output: str, loss: str) -> str:
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


def _symbolic_gru(key: str, clip: str, truncated: bool) -> str:
    """The GRU's lines (reset gate r, update gate u, candidate n; u = 1 keeps the old state)."""
    x, h_prev = rf"{BOLD}{{x}}^{{(t)}}", rf"{BOLD}{{h}}^{{(t-1)}}"
    if key in ("r_bar", "u_bar"):
        g = key[0]
        return (rf"{_bar(g)} = ({BOLD}{{W}}_{g} {x})_k + ({BOLD}{{R}}_{g} {h_prev})_k"
                rf" + (b_{g})_k")
    if key == "n_bar":
        return (rf"{_bar('n')} = ({BOLD}{{W}}_n {x})_k + (b_n)_k + {_v('r')}\, "
                rf"({BOLD}{{R}}_n {h_prev})_k")
    if key in ("r", "u"):
        return rf"{_v(key)} = \sigma({_bar(key)})"
    if key == "n":
        return rf"{_v('n')} = \tanh({_bar('n')})"
    if key == "h":
        return (rf"{_v('h')} = (1 - {_v('u')})\, {_v('n')} + {_v('u')}\, "
                rf"{_v('h', 'k', 't-1')}")
    if key == "delta_h":
        own = rf"({BOLD}{{V}}{RHS_T} \delta\mathbf{{out}}^{{(t)}})_k"
        if truncated:
            return (rf"\delta {_v('h')} = {own} + [\ldots]^{{(t+1)}}_{{\mathrm{{trunc}}}}")
        gates = " + ".join(
            rf"({BOLD}{{R}}_{g}{RHS_T} \delta\bar{{{BOLD}{{{g}}}}}{{}}^{{(t+1)}})_k" for g in "ru")
        n_term = (rf"({BOLD}{{R}}_n{RHS_T} ({BOLD}{{r}}^{{(t+1)}} \odot "
                  rf"\delta\bar{{{BOLD}{{n}}}}{{}}^{{(t+1)}}))_k")
        return (rf"\delta {_v('h')} = {own} + {gates} + {n_term} + "
                rf"\delta {_v('h', 'k', 't+1')}\, {_v('u', 'k', 't+1')}")
    if key == "delta_n_bar":
        return (rf"{_dbar('n')} = \delta {_v('h')}\, (1 - {_v('u')})"
                rf"(1 - ({_v('n')})^2)")
    if key == "delta_u_bar":
        return (rf"{_dbar('u')} = \delta {_v('h')}\, ({_v('h', 'k', 't-1')} - {_v('n')})\, "
                rf"{_v('u')} (1 - {_v('u')})")
    if key == "delta_r_bar":
        return (rf"{_dbar('r')} = {_dbar('n')}\, ({BOLD}{{R}}_n {h_prev})_k\, "
                rf"{_v('r')} (1 - {_v('r')})")
    if key.startswith("new_b_"):
        g = key[-1]
        return rf"(b_{g})_k \leftarrow (b_{g})_k - \eta\, {clip}\sum_t {_dbar(g)}"
    if key == "new_c":
        out_m = _v(r"\mathrm{out}", "m")
        return rf"c_m \leftarrow c_m - \eta\, {clip}\sum_t \delta {out_m}"
    raise ValueError(f"no equation {key!r} for a GRU")


def symbolic(kind: str, key: str, *, peepholes: bool = False, output: str = "softmax",
             loss: str = "cross_entropy", truncated: bool = False, clipped: bool = False) -> str:
    """The LaTeX of equation ``key`` (generic in k and t)."""
    if key in ("readout", "y_hat"):
        return latex_readout(kind, output)[key]
    if key == "delta_readout":
        return latex_delta_readout(kind, output, loss)
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
    elif kind == "GRU":
        return _symbolic_gru(key, clip, truncated)
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
                        rf"\delta\bar{{{BOLD}{{\star}}}}{{}}^{{(t+1)}}]_k^{{\,\mathrm{{trunc}}}}")
            gates = " + ".join(
                rf"({BOLD}{{R}}_{g}{RHS_T} \delta\bar{{{BOLD}{{{g}}}}}{{}}^{{(t+1)}})_k"
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


def all_symbolic(kind: str, *, peepholes: bool = False, output: str = "softmax",
                 loss: str = "cross_entropy", truncated: bool = False) -> list[str]:
    """Every symbolic line a session of this kind can show (to typeset ahead of time)."""
    out = []
    for key in KEYS[kind]:
        for clipped in ((False, True) if key.startswith("new_") else (False,)):
            out.append(symbolic(kind, key, peepholes=peepholes, output=output, loss=loss,
                                truncated=truncated, clipped=clipped))
    return out
