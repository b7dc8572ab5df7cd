"""What hovering the unfolded view says, in the articles' notation (rich text)."""

from __future__ import annotations

from .numbers import fmt
from .unfolded_layout import STATE_NODE, Y_HAT, A, C, J, X


def node(result, code: int, t: int, k: int, chars=None) -> str:
    """The hover text of unit k (0-based) of layer ``code`` at step t (1-based)."""
    tr, bt = result.forward, result.backward
    st, r = tr.state_name, t - 1
    if code == X:
        text = f"x<sub>{k + 1}</sub>({t}) = {fmt(tr.x[r, k])}"
        if chars is not None:
            text += f" · input character ‘{chars.inputs[r]}’"
        return text
    if code == STATE_NODE:
        extra = f", a = {fmt(tr.a[r, k])}" if tr.kind == "SimpleRNN" else \
            f", c = {fmt(tr.c[r, k])}"
        return (f"{st}<sub>{k + 1}</sub>({t}) = {fmt(tr.state[r, k])}{extra}<br>error "
                f"δ{st} = ∂J/∂{st} = {fmt(bt.deltas[st][r, k])}")
    if code == A:
        return (f"a<sub>{k + 1}</sub>({t}) = {fmt(tr.a[r, k])}, h = g(a) = "
                f"{fmt(tr.h[r, k])}<br>error δa = ∂J/∂a = {fmt(bt.deltas['a'][r, k])}")
    if code == C:
        return (f"c<sub>{k + 1}</sub>({t}) = {fmt(tr.c[r, k])} (the cell, on the highway)"
                f"<br>error δc = ∂J/∂c = {fmt(bt.deltas['c'][r, k])}")
    if code == Y_HAT:
        ro = tr.readout_name
        text = (f"ŷ<sub>{k + 1}</sub>({t}) = {fmt(tr.y_hat[r, k])}, {ro} = "
                f"{fmt(tr.readout[r, k])}<br>error δ{ro} = {fmt(bt.deltas[ro][r, k])}")
        if chars is not None:
            text += (f"<br>target ‘{chars.targets[r]}’, most likely output "
                     f"‘{chars.predicted[r]}’")
        return text
    if code == J:
        if bt.loss_mask[r] != 1:
            return f"J({t}): no loss at this step (masked)"
        return f"J({t}) = {fmt(bt.losses[r])}"
    raise ValueError(f"unknown layer code {code}")


def error(kind_state: str, s: int, t: int, norm: float, bundle: int = 1) -> str:
    """An error arrow: the error of J(s) (or of a lane of ``bundle`` sources) arriving at the
    whole column state(t)."""
    st = kind_state
    if s == t:
        return (f"J({s}) sends its error into {st}({t}): ‖∂J({s})/∂{st}({t})‖ = {fmt(norm)} "
                f"(the norm over all units of {st}({t}))")
    who = f"J({s})" if bundle == 1 else f"J({s})…J({s + bundle - 1}) together"
    return (f"error from {who} arriving at {st}({t}): ‖∂J/∂{st}({t})‖ = {fmt(norm)} "
            f"(the norm over all units)")


def edge(result, name: str, src: str, dst: str, j: int, k: int, t: int,
         previous: bool) -> str:
    """A weight connection: matrix ``name`` entry [j, k] from unit k of ``src`` to unit j of
    ``dst``, with its gradient."""
    tr = result.forward
    w = tr.params[name][j, k]
    g = result.applied_gradient[name][j, k]
    a = f"{src}<sub>{k + 1}</sub>({t - 1 if previous else t})"
    b = f"{dst}<sub>{j + 1}</sub>({t})"
    sub = name.replace("_", "<sub>", 1) + "</sub>" if "_" in name else name
    return (f"{a} → {b}: {sub}[{j + 1},{k + 1}] = {fmt(w)}, ∂J/∂{sub}[{j + 1},{k + 1}] = "
            f"{fmt(g)} (summed over t)")
