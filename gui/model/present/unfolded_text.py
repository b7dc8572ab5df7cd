"""The words of the unfolded view: its caption and legend lines, as rich text (HTML strings).

Every sentence says exactly what the picture shows: which matrix a connection belongs to, what an
arrow's width is (the norm over all H units, never one unit's error), which errors a truncation
keeps (the engine drops every term with s - t >= K, so J(s) reaches back K - 1 steps).
"""

from __future__ import annotations

from ..palette import SOURCE_HEX, STEP_HEX, source_hex
from .numbers import fmt

DECADES = 3.0  # error widths span this many decades below the largest
MAX_CHIPS = 8


def _lt(text: str) -> str:
    """``text`` safe inside rich text (a bare < would start a tag and swallow the rest)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def state_symbol(kind: str) -> str:
    return "y" if kind == "LSTM" else "h"


def readout_symbol(kind: str) -> str:
    return "out" if kind == "LSTM" else "o"


def truncation_words(K: int | None) -> str:
    """How far an error travels back under truncation K, as the engine computes it."""
    if K is None:
        return ""
    back = "step" if K - 1 == 1 else "steps"
    return (f"truncated BPTT, K = {K}: J(s) reaches back {K - 1} {back}, to h(s − {K - 1}) "
            "(terms with s − t ≥ K are dropped)")


def forward_caption(kind: str, t: int, T: int, gate: str = "z", split: bool = False) -> str:
    if kind == "SimpleRNN":
        eq = f"a({t}) = b + W h({t - 1}) + U x({t}),  h({t}) = g(a({t}))"
        if split:
            eq += " · the middle layer drawn as two: a(t), then h(t) = g(a(t))"
    else:
        eq = (f"c({t}) = z({t}) ⊙ i({t}) + c({t - 1}) ⊙ f({t}),  y({t}) = o({t}) ⊙ "
              f"tanh(c({t})); drawn: W<sub>{gate}</sub> and R<sub>{gate}</sub> into "
              f"{'y' if gate == 'o' else 'c'}(t)")
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


def forward_legend(kind: str, gate: str, recurrent_hex: str, muted_hex: str,
                   highway_hex: str) -> str:
    if kind == "SimpleRNN":
        lines = (f"<span style='color:{recurrent_hex}'>━</span> recurrent W, "
                 f"<span style='color:{muted_hex}'>━</span> U and V")
    else:
        into = "y(t)" if gate == "o" else "c(t)"
        lines = (f"<span style='color:{recurrent_hex}'>━</span> R<sub>{gate}</sub>: y(t−1) → "
                 f"{gate}̄(t), drawn into {into}; <span style='color:{muted_hex}'>━</span> "
                 f"W<sub>{gate}</sub> and V; <span style='color:{highway_hex}'>━</span> the "
                 "cell highway c(t−1) → c(t), unit by unit")
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
