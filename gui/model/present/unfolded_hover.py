"""What hovering the unfolded view says, in the articles' notation (rich text)."""

from __future__ import annotations

from .numbers import fmt
from .unfolded_layout import BWD, STATE_NODE, XDEC, Y_HAT, A, C, J, X


def node(result, code: int, t: int, k: int, chars=None) -> str:
    """The hover text of unit k (0-based) of layer ``code`` at column t (1-based; a seq2seq
    decoder's step j is column T_enc + j)."""
    tr, bt = result.forward, result.backward
    st, r = tr.state_name, t - 1
    kind = tr.kind
    t_enc = tr.T_enc if kind == "Seq2Seq" else 0
    if code == X:
        text = f"x<sub>{k + 1}</sub>({t}) = {fmt(tr.x[r, k])}"
        if chars is not None:
            text += f" · input character ‘{chars.inputs[r]}’"
        return text
    if code == XDEC:
        j = t - t_enc
        src = "zeros (the decoder's first step)" if j == 1 else (
            f"the target of step {j - 1} (teacher forcing)" if tr.teacher_forcing
            else f"its own output ŷ of decoder step {j - 1}" if tr.output != "softmax"
            else f"the one-hot of its own most likely output ŷ of decoder step {j - 1}")
        return f"decoder input<sub>{k + 1}</sub>({t}) = {fmt(tr.x_dec[j - 1, k])}: {src}"
    if kind == "BidirectionalRNN" and code in (STATE_NODE, BWD):
        H = tr.n_hidden
        half, arrow, reads = ((tr.h_fwd, "→", f"h→({t - 1})") if code == STATE_NODE
                              else (tr.h_bwd, "←", f"h←({t + 1})"))
        d = bt.deltas["h"][r, k if code == STATE_NODE else H + k]
        return (f"h{arrow}<sub>{k + 1}</sub>({t}) = {fmt(half[r, k])} (reads x({t}) and "
                f"{reads})<br>error δh{arrow} = ∂J/∂h{arrow} = {fmt(d)}")
    if code == STATE_NODE:
        if kind == "SimpleRNN":
            extra = f", a = {fmt(tr.a[r, k])}"
        elif kind == "LSTM":
            extra = f", c = {fmt(tr.c[r, k])}"
        elif kind == "GRU":
            extra = f", update gate u = {fmt(tr.u[r, k])}"
        else:
            extra = " (encoder)" if t <= t_enc else " (decoder)"
        delta = bt.deltas[st if kind in ("SimpleRNN", "LSTM") else "h"][r, k]
        return (f"{st}<sub>{k + 1}</sub>({t}) = {fmt(tr.state[r, k])}{extra}<br>error "
                f"δ{st} = ∂J/∂{st} = {fmt(delta)}")
    if code == A:
        return (f"a<sub>{k + 1}</sub>({t}) = {fmt(tr.a[r, k])}, h = g(a) = "
                f"{fmt(tr.h[r, k])}<br>error δa = ∂J/∂a = {fmt(bt.deltas['a'][r, k])}")
    if code == C:
        return (f"c<sub>{k + 1}</sub>({t}) = {fmt(tr.c[r, k])} (the cell, on the highway)"
                f"<br>error δc = ∂J/∂c = {fmt(bt.deltas['c'][r, k])}")
    if code == Y_HAT:
        ro, i = tr.readout_name, r - t_enc
        text = (f"ŷ<sub>{k + 1}</sub>({t}) = {fmt(tr.y_hat[i, k])}, {ro} = "
                f"{fmt(tr.readout[i, k])}<br>error δ{ro} = {fmt(bt.deltas[ro][i, k])}")
        if chars is not None:
            text += (f"<br>target ‘{chars.targets[i]}’, most likely output "
                     f"‘{chars.predicted[i]}’")
        return text
    if code == J:
        i = r - t_enc
        name = f"J({t})" if not t_enc else f"J({i + 1}) (decoder step {i + 1})"
        if bt.loss_mask[i] != 1:
            return f"{name}: no loss at this step (masked)"
        return f"{name} = {fmt(bt.losses[i])}"
    raise ValueError(f"unknown layer code {code}")


def error(kind_state: str, s: int, t: int, norm: float, bundle: int = 1,
          own: bool | None = None) -> str:
    """An error arrow: the error of J(s) (or of a lane of ``bundle`` sources) arriving at the
    whole column state(t); ``own``: the arrow where J(s) enters its own column (default s == t;
    a seq2seq loss j sits at column T_enc + j)."""
    st = kind_state
    if (s == t) if own is None else own:
        return (f"J({s}) sends its error into {st}({t}): ‖∂J({s})/∂{st}({t})‖ = {fmt(norm)} "
                f"(the norm over all units of {st}({t}))")
    who = f"J({s})" if bundle == 1 else f"J({s})…J({s + bundle - 1}) together"
    return (f"error from {who} arriving at {st}({t}): ‖∂J/∂{st}({t})‖ = {fmt(norm)} "
            f"(the norm over all units)")


def edge(result, name: str, src: str, dst: str, j: int, k: int, t: int,
         offset: int, col: int | None = None) -> str:
    """A weight connection: matrix ``name`` entry [j, k] (k already shifted to the matrix's
    columns) from unit k of ``src`` at step t + ``offset`` to unit j of ``dst`` at step t, with
    its gradient; ``col`` is the matrix column when it differs from the unit k (a bidirectional
    readout reads [h→; h←])."""
    tr = result.forward
    col = k if col is None else col
    w = tr.params[name][j, col]
    g = result.applied_gradient[name][j, col]
    a = f"{src}<sub>{k + 1}</sub>({t + offset})"
    b = f"{dst}<sub>{j + 1}</sub>({t})"
    sub = name.replace("_", "<sub>", 1) + "</sub>" if "_" in name else name
    return (f"{a} → {b}: {sub}[{j + 1},{col + 1}] = {fmt(w)}, ∂J/∂{sub}[{j + 1},{col + 1}] = "
            f"{fmt(g)} (summed over t)")
