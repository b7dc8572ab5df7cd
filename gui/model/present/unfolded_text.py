"""The words of the unfolded view: its caption and legend lines, as rich text (HTML strings).

Every sentence says exactly what the picture shows: which matrix a connection belongs to, what an
arrow's width is (the norm over all H units, never one unit's error), which errors a truncation
keeps (the engine drops every term with s - t >= K, so J(s) reaches back K - 1 steps).
"""

from __future__ import annotations

from html import escape

from ..palette import SOURCE_HEX, STEP_HEX, source_hex
from .numbers import fmt

DECADES = 3.0  # error widths span this many decades below the largest
MAX_CHIPS = 8


def _lt(text: str) -> str:
    """``text`` safe inside rich text (a bare < would start a tag and swallow the rest)."""
    return escape(text, quote=False)


def state_symbol(kind: str) -> str:
    return "y" if kind == "LSTM" else "h"


def bidirectional_words() -> str:
    return ("a bidirectional model: arrows along the lanes leftwards are errors into h→ (they "
            "travel back in time), rightwards into h← (its cell ran T..1, so its errors travel "
            "forward in time); width: the norm over that direction's units")


def bidirectional_backward_caption(t: int, T: int, n_arrows: int) -> str:
    """Backward moment t of a bidirectional model: h→'s pass has reached t, h←'s (which runs
    the other way) T + 1 - t."""
    b = T + 1 - t
    return (f"<b>backward t = {t}</b> · h→({t}) has the errors of every J(s), s ≥ {t}; "
            f"h←({b}) those of every J(s), s ≤ {b} (its pass runs 1..T): {n_arrows} error "
            f"arrow{'' if n_arrows == 1 else 's'}")


def seq2seq_words(t_enc: int) -> str:
    return (f"losses J(j) only on the decoder's steps (columns {t_enc + 1}…); their errors "
            f"travel back through the decoder into the encoder's {t_enc} steps")


def readout_symbol(kind: str) -> str:
    return "out" if kind == "LSTM" else "o"


def truncation_words(K: int | None) -> str:
    """How far an error travels back under truncation K, as the engine computes it."""
    if K is None:
        return ""
    back = "step" if K - 1 == 1 else "steps"
    return (f"truncated BPTT, K = {K}: J(s) reaches back {K - 1} {back}, to h(s − {K - 1}) "
            "(terms with s − t ≥ K are dropped)")


CELL_EQ = {
    "rnn": "{s}({t}) = g(b + W {s}({p}) + U x({t}))",
    "lstm": "c({t}) = z ⊙ i + c({p}) ⊙ f,  {s}({t}) = o ⊙ tanh c({t})",
    "gru": "{s}({t}) = (1 − u) ⊙ n + u ⊙ {s}({p}),  n = tanh(W_n x + r ⊙ R_n {s}({p}) + b_n)",
}
CELL_NAMES = {"rnn": "simple RNN", "lstm": "LSTM", "gru": "GRU"}


def forward_caption(kind: str, t: int, T: int, gate: str | None = "z", split: bool = False,
                    cell: str = "rnn", t_enc: int = 0) -> str:
    """The forward caption at column t of T; ``cell`` the kind of cell of a bidirectional or
    seq2seq model, ``t_enc`` a seq2seq model's encoder steps."""
    drawn = f"; drawn: W<sub>{gate}</sub> and R<sub>{gate}</sub>" if gate else ""
    if kind == "SimpleRNN":
        eq = f"a({t}) = b + W h({t - 1}) + U x({t}),  h({t}) = g(a({t}))"
        if split:
            eq += " · the middle layer drawn as two: a(t), then h(t) = g(a(t))"
    elif kind == "LSTM":
        eq = (f"c({t}) = z({t}) ⊙ i({t}) + c({t - 1}) ⊙ f({t}),  y({t}) = o({t}) ⊙ "
              f"tanh(c({t})); drawn: W<sub>{gate}</sub> and R<sub>{gate}</sub> into "
              f"{'y' if gate == 'o' else 'c'}(t)")
    elif kind == "GRU":
        eq = CELL_EQ["gru"].format(s="h", t=t, p=t - 1) + drawn
    elif kind == "BidirectionalRNN":
        name = CELL_NAMES[cell]
        eq = (f"two {name} cells: h→({t}) reads x({t}) and h→({t - 1}); h←({T + 1 - t}) reads "
              f"x({T + 1 - t}) and h←({T + 2 - t}) (it runs T..1); ŷ(t) = f(V [h→(t); h←(t)] "
              f"+ c) once both have passed t{drawn}")
    else:
        name = CELL_NAMES[cell]
        if t <= t_enc:
            eq = (f"encoder ({name}) step {t} of {t_enc}: h({t}) reads x({t}) and "
                  f"h({t - 1}); no output yet{drawn}")
        else:
            j = t - t_enc
            eq = (f"decoder ({name}) step {j}: h({t}) reads h({t - 1}) and "
                  f"{'zeros' if j == 1 else f'ŷ of step {j - 1}'}; ŷ({j}), J({j}){drawn}")
    return f"<b>forward t = {t} / {T}</b> · {eq}"


def backward_caption(kind: str, t: int, K: int | None, n_arrows: int, mode: str,
                     overview: bool) -> str:
    st = state_symbol(kind)
    which = f"s ≥ {t}" if K is None else _lt(f"{t} ≤ s < {t} + K")
    text = (f"<b>backward t = {t}</b> · errors from every J(s), {which}, reach {st}({t}): "
            f"{n_arrows} error arrow{'' if n_arrows == 1 else 's'}")
    if overview:
        text += " (long sequence: one arrow per lane; the map: every error)"
    if mode == "step":
        text += " · coloured by the per-step gradient that needs them (the article's figure)"
    return text


def update_caption(lr: float, norm: float, clip: float | None, clip_mode: str,
                   clipped: bool) -> str:
    text = (f"<b>update</b> · θ ← θ − η Σ<sub>t</sub> (∂J/∂θ)<sup>(t)</sup>, η = {fmt(lr)}, "
            f"‖∂J/∂θ‖ = {fmt(norm)}")
    if clip is not None:
        how = "each step's (∂J/∂θ)⁽ᵗ⁾" if clip_mode == "per_step" else "the whole gradient"
        text += (f", clipped at τ = {fmt(clip)} ({how})" if clipped
                 else f", under τ = {fmt(clip)}: not clipped")
    return text


def forward_legend(kind: str, gate: str | None, recurrent_hex: str, muted_hex: str,
                   highway_hex: str, teacher_forcing: bool = False) -> str:
    rec = f"<span style='color:{recurrent_hex}'>━</span>"
    other = f"<span style='color:{muted_hex}'>━</span>"
    if kind == "SimpleRNN":
        lines = f"{rec} recurrent W, {other} U and V"
    elif kind == "LSTM":
        into = "y(t)" if gate == "o" else "c(t)"
        lines = (f"{rec} R<sub>{gate}</sub>: y(t−1) → {gate}̄(t), drawn into {into}; {other} "
                 f"W<sub>{gate}</sub> and V; <span style='color:{highway_hex}'>━</span> the "
                 "cell highway c(t−1) → c(t), unit by unit")
    else:
        w, r = (f"W<sub>{gate}</sub>", f"R<sub>{gate}</sub>") if gate else ("U", "W")
        gate_words = f" (gate {gate}'s matrices; the others are in the gate list)" if gate \
            else ""
        lines = f"{rec} recurrent {r}, {other} input {w} and V{gate_words}"
        if kind == "BidirectionalRNN":
            lines += ("; top stack h→ (runs 1..T), bottom stack h← (runs T..1, its recurrence "
                      "points back in time); V reads both")
        elif kind == "Seq2Seq":
            fed = "the target of the step before (teacher forcing)" if teacher_forcing else \
                "the decoder's own output of the step before (dashed)"
            lines += (f"; the encoder's last state starts the decoder; a decoder step reads "
                      f"{fed}")
    return (lines + "; opacity ∝ |weight| · bold: this step's inputs · J(t) takes the colour "
            "its error will carry back; ○ no loss at that step")


def width_words(kind: str) -> str:
    st = state_symbol(kind)
    return (f"width: ‖∂J(s)/∂{st}(t)‖ over all units of {st}(t) (log, {DECADES:g} decades); "
            "lanes are losses, not units")


def backward_legend(kind: str, sources, mode: str, K: int | None, masked: bool,
                    bundle: int, steps=()) -> str:
    """The legend line of the backward phase.

    ``sources``: the 1-based steps whose J(s) exists; ``mode``: "source", "step" or
    "magnitude"; ``steps``: the gradient steps coloured in "step" mode.
    """
    parts = []
    if len(sources) == 0:
        parts.append("no loss carries an error")
    elif mode == "magnitude":
        parts.append("arrows coloured by ‖error‖ (the colour bar)")
    elif mode == "step":
        chips = " ".join(f"<span style='color:{STEP_HEX[i % len(STEP_HEX)]}'>■</span>"
                         f"(∂J/∂θ)<sup>({k})</sup>" for i, k in enumerate(steps))
        parts.append(f"the errors each gradient needs, in its colour: {chips}; an error "
                     "needed by several is drawn once for each, side by side")
    else:
        shown = list(sources)[:MAX_CHIPS]
        chips = " ".join(f"<span style='color:{source_hex(int(s))}'>■</span>J({s})"
                         for s in shown)
        more = f" … J({sources[-1]})" if len(sources) > MAX_CHIPS else ""
        parts.append(f"error from each J(s) in its colour: {chips}{more}")
        if len(sources) > len(SOURCE_HEX):
            parts.append(f"colours repeat from J({len(SOURCE_HEX) + 1})")
    parts.append(width_words(kind))
    if masked:
        parts.append("○ J(t) without a loss (masked)")
    if K is not None:
        parts.append(truncation_words(K))
    if bundle > 1:
        parts.append(f"{bundle} neighbouring J(s) share a lane (width: their errors together)")
    return " · ".join(parts)


def lstm_cell_words() -> str:
    return ("<span>δc along the highway: ‖δc(t)‖ summed over every J(s) (the engine's "
            "δc(t), the error the cell state carries back through ⊙ f(t+1))</span>")
