"""The words of the gradient-flow view: its readout, legend, cursor caption and clipping caption
(HTML fragments for the scene's labels), Qt-free."""

from __future__ import annotations

import numpy as np

from .gradient_flow import FLOW_KINDS, ClipReport, FlowCurves, Panel, companion_kinds
from .numbers import fmt

#: hex colours of the clipping plot: the part clipping cuts off, and the part it keeps
CLIPPED_HEX = "#b2182b"
KEPT_HEX = "#4393c3"


def trend(rate: float) -> str:
    """"vanishing", "exploding" or "about steady" for a factor per step (empty if NaN)."""
    if not np.isfinite(rate):
        return ""
    if rate < 0.97:
        return "vanishing"
    if rate > 1.03:
        return "exploding"
    return "about steady"


def radius_text(kind: str, radius: float) -> str:
    """The size of the recurrent weights as the radius control sets it."""
    if kind == "SimpleRNN":
        return f"spectral radius ρ(W) = {radius:.2f}"
    if kind == "LSTM":
        return f"‖[R<sub>z</sub>; R<sub>i</sub>; R<sub>f</sub>; R<sub>o</sub>]‖₂ = {radius:.2f}"
    if kind == "GRU":
        return f"‖[R<sub>r</sub>; R<sub>u</sub>; R<sub>n</sub>]‖₂ = {radius:.2f}"
    return f"recurrent radius (the larger cell's) = {radius:.2f}"


def not_drawn(kind: str) -> str:
    """Why a model has no Jacobian products here."""
    what = ("two cells reading the sequence in opposite directions"
            if kind == "BidirectionalRNN" else "an encoder cell and a decoder cell")
    return (f"a {kind} has {what}: the Jacobian products ∂h(t)/∂h(k) are drawn for one-cell "
            f"models ({', '.join(FLOW_KINDS)}); shown here: its errors and clipping")


def model_readout(cu: FlowCurves, label: str, *, computing: bool = False) -> str:
    """One line of the readout for one model's curves."""
    st = cu.state
    s = f"<b>{cu.kind}</b> ({label}): {radius_text(cu.kind, cu.radius)}"
    if cu.jacobian_curve is not None:
        s += (f" · ‖∂{st}(t)/∂{st}(k)‖ ×{fmt(cu.slope)} per step ({trend(cu.slope)})")
    elif computing:
        s += f" · ‖∂{st}(t)/∂{st}(k)‖: computing…"
    s += f" · ‖∂J(t)/∂{st}(k)‖ ×{fmt(cu.error_slope)} per step"
    if cu.highway_curve is not None:
        s += f" · highway ‖∂c(t)/∂c(k)‖ ×{fmt(cu.highway_slope)} per step"
    return s


def no_comparison(kind: str) -> str:
    """Why a two-cell model has nothing to compare."""
    return (f"no comparison for a {kind}: the comparison runs the one-cell models "
            f"({', '.join(FLOW_KINDS)}) on the same input")


def readout(cu: FlowCurves, comps: dict, *, computing: bool, compare: bool, config=None,
            comp_failed: dict | None = None) -> str:
    """The caption above the plots: this session's line, then one line for the compared kinds
    (their numbers, or that they compute or failed), or why there is nothing to compare.

    Parameters
    ----------
    comps : kind -> Companion that have landed; comp_failed : kind -> the failure's message.
    """
    parts = [model_readout(cu, "this session", computing=computing)]
    if cu.kind not in FLOW_KINDS:
        parts.append(not_drawn(cu.kind))
    if not compare or config is None:
        return "<br>".join(parts)
    kinds = companion_kinds(config)
    parts.append(compared_line(kinds, comps, comp_failed or {}, config) if kinds
                 else no_comparison(cu.kind))
    return "<br>".join(parts)


def same_as(config) -> str:
    """What the compared kinds share with the session (the radius only when the session sets
    one: otherwise each kind keeps its own initialisation)."""
    return "task sample, H, T, seeds" + (", radius" if config.radius is not None else
                                         "; radius: each as initialised")


def compared_line(kinds: tuple, comps: dict, failed: dict, config) -> str:
    """One line for the compared kinds: each one's recurrent size (their factors per step title
    their small plots), or that it computes or failed."""
    items = []
    for kind in kinds:
        if kind in comps:
            items.append(f"<b>{kind}</b>* {radius_text(kind, comps[kind].curves.radius)}")
        elif kind in failed:
            items.append(f"<b>{kind}</b>* failed: {failed[kind]}")
        else:
            items.append(f"<b>{kind}</b>*: computing…")
    return f"*: run on the same input ({same_as(config)}) · " + " · ".join(items)


def legend_entries(kind: str, state: str, *, products: bool = True,
                   highway: bool = False) -> list[tuple[str, str]]:
    """(curve key, text) of the distance plot's legend: the session's curves (``highway``: also
    explain the highway colour, which a compared LSTM's small plot uses)."""
    st = state
    entries = [("error", f"{kind} ‖∂J(t)/∂{st}(k)‖: dots each t, line their mean")]
    if products:
        entries.append(("jacobian", f"{kind} ‖∂{st}(t)/∂{st}(k)‖ (thin dashed: fitted rate)"))
    if kind == "LSTM":
        entries.append(("highway", "LSTM highway ‖∂c(t)/∂c(k)‖, the diag(f) path"))
    elif highway:
        entries.append(("highway", "LSTM* highway ‖∂c(t)/∂c(k)‖ (small plot)"))
    return entries


def cursor_text(state: str, phase: str, t: int, *, products: bool = True) -> str:
    """What the cursor's marks mean."""
    st = state
    if phase == "forward":
        if not products:
            return (f"forward t = {t}: the errors arrive in the backward pass (step the cursor "
                    "there to see them)")
        return (f"forward t = {t}: large dots and the framed row, how {st}({t}) depends on "
                f"each {st}(k), k ≤ {t}")
    if phase == "backward":
        return (f"backward t = {t}: large dots and the framed column, the error from each "
                f"J(s), s ≥ {t}, reaching {st}({t}), coloured by source")
    return "update: the summed gradient Σ, clipped if the session clips it"


def clip_text(rep: ClipReport, T: int) -> str:
    """The clipping caption (without the cursor's part)."""
    keys = (f"<span style='color:{CLIPPED_HEX}'>■</span> cut off "
            f"<span style='color:{KEPT_HEX}'>■</span> kept")
    if not rep.on:
        return (f"<b>Clipping</b> is off: ‖∂J/∂θ‖ = {fmt(rep.norm)}, the update uses the whole "
                "gradient · the bars are each step's ‖(∂J/∂θ)<sup>(t)</sup>‖ and the sum Σ "
                "(no threshold τ; turn clipping on above to draw one)")
    tau = fmt(rep.threshold)
    per = (f"{rep.n_clipped} of {T} contributions (∂J/∂θ)<sup>(t)</sup> exceed τ"
           if rep.n_clipped else "no contribution (∂J/∂θ)<sup>(t)</sup> exceeds τ")
    if rep.mode == "per_step":
        return (f"<b>Clipping per step</b> at τ = {tau}: {per}, each is clipped on its own, "
                f"then summed: ‖∂J/∂θ‖ = {fmt(rep.norm)} becomes {fmt(rep.applied_norm)} · "
                f"{keys}")
    if rep.clipped:
        glob = (f"‖∂J/∂θ‖ = {fmt(rep.norm)} > τ = {tau}: the update is scaled by τ/‖g‖ = "
                f"{fmt(rep.scale)} (cut by {fmt(100 * (1 - rep.scale))} %)")
    else:
        glob = f"‖∂J/∂θ‖ = {fmt(rep.norm)} ≤ τ = {tau}: the update is not clipped"
    return (f"<b>Clipping</b> (global, every step's bar scaled by the same τ/‖g‖) · {glob} · "
            f"per step, {per} (what clipping per step would cut instead) · {keys}<br>the "
            f"articles' pseudo-code: ĝ ← ∂J/∂θ; if ‖ĝ‖ ≥ τ then ĝ ← (τ/‖ĝ‖) ĝ")


def clip_cursor_text(rep: ClipReport, phase: str, t: int) -> str:
    """The clipping caption's part for the cursor: the step's contribution (backward)."""
    if phase != "backward":
        return ""
    n = rep.step_norms[t - 1]
    s = f" · step t = {t}: ‖(∂J/∂θ)<sup>({t})</sup>‖ = {fmt(n)}"
    if rep.on and rep.mode == "global" and rep.clipped:
        s += f", scaled with the whole g by ×{fmt(rep.scale)}"
    elif rep.on and rep.mode != "global" and rep.step_clipped[t - 1]:
        s += f", clipped per step by ×{fmt(rep.step_scale[t - 1])}"
    return s


def map_title(kind: str, state: str, *, highway: bool = False, star: bool = False) -> str:
    """The title of one heat map (a narrow map wraps it between words, never inside the
    norm: a word joiner after its slash)."""
    mark = "*" if star else ""
    if highway:
        return f"LSTM{mark} highway ‖∂c(t)/\u2060∂c(k)‖"
    return f"{kind}{mark} ‖∂{state}(t)/\u2060∂{state}(k)‖"


def panel_title(panel: Panel, hexes: dict, *, note: str = "", compact: bool = False) -> str:
    """The title of one small plot of the side-by-side decay, on two lines: the kind (the
    session's marked, the others starred: same input), then its fitted factors per step, each
    in its curve's colour (``hexes``: curve key -> hex; ``compact``: the highway's factor by its
    colour only). ``note`` stands in for the factors while the kind computes or after it
    failed."""
    mark = (" (the session)" if not compact else "") if panel.session else "*"
    head = f"<b>{panel.kind}</b>{mark}"
    cu = panel.curves

    def factor(key: str, rate: float, what: str = "") -> str:
        return f"<span style='color:{hexes[key]}'>{what}×{fmt(rate)}</span>"
    if cu is None or (cu.jacobian_curve is None and note):
        return f"{head}<br>{note}"
    if cu.jacobian_curve is not None:
        s = factor("jacobian", cu.slope)
    else:
        s = "errors " + factor("error", cu.error_slope)
    if cu.highway_curve is not None:
        s += (" " if compact else ", ") + factor("highway", cu.highway_slope,
                                                  "" if compact else "highway ")
    return f"{head}<br>{s}"


def side_by_side_caption(kinds: tuple, *, compact: bool = False) -> str:
    """What the row of small plots is (one line)."""
    head = "<b>" + " | ".join(kinds) + "</b>"
    if compact:
        return head + ", same input (*)"
    return head + " on the same input (*): norms against t − k on one log scale"


# -- compact words, for slides and presentation mode (large type, little room) --------------------

def short_readout(cu: FlowCurves, comps: dict, *, computing: bool) -> str:
    """One line: each model's factor per step and its trend."""
    def one(c: FlowCurves, star: str) -> str:
        st = c.state
        if c.jacobian_curve is not None:
            return (f"<b>{c.kind}{star}</b> ‖∂{st}(t)/∂{st}(k)‖ ×{fmt(c.slope)} per step "
                    f"({trend(c.slope)})")
        if computing and not star:
            return f"<b>{c.kind}</b> ‖∂{st}(t)/∂{st}(k)‖: computing…"
        return f"<b>{c.kind}{star}</b> ‖∂J(t)/∂{st}(k)‖ ×{fmt(c.error_slope)} per step"
    parts = [one(cu, "")]
    parts += [one(comps[k].curves, "*") for k in FLOW_KINDS if k in comps]
    return " · ".join(parts)


def short_legend(kind: str, state: str, *, products: bool, highway: bool = False) -> list:
    """(curve key, text) of a one-line legend (``highway``: a compared LSTM draws one)."""
    st = state
    entries = [("error", f"‖∂J(t)/∂{st}(k)‖")]
    if products:
        entries.append(("jacobian", f"‖∂{st}(t)/∂{st}(k)‖"))
    if kind == "LSTM" or highway:
        entries.append(("highway", "highway ‖∂c(t)/∂c(k)‖"))
    return entries


def short_cursor_text(state: str, phase: str, t: int) -> str:
    if phase == "forward":
        return f"forward t = {t}: how {state}({t}) depends on each {state}(k)"
    if phase == "backward":
        return f"backward t = {t}: the errors reaching {state}({t})"
    return "update: the summed gradient Σ"


def short_clip_text(rep: ClipReport, T: int) -> str:
    """The clipping line in large type; it names the bars, since the short plot has no room
    for a y-axis title."""
    bars = " · bars: ‖(∂J/∂θ)⁽ᵗ⁾‖ of each step t, log scale"
    if not rep.on:
        return f"<b>Clipping</b> off · ‖∂J/∂θ‖ = {fmt(rep.norm)}{bars}"
    mode = "per step" if rep.mode == "per_step" else "global"
    s = f"<b>Clipping</b> at τ = {fmt(rep.threshold)} ({mode}): ‖∂J/∂θ‖ = {fmt(rep.norm)}"
    if rep.mode == "per_step":
        return s + f" → {fmt(rep.applied_norm)} · {rep.n_clipped} of {T} steps cut{bars}"
    return s + (f" scaled ×{fmt(rep.scale)}" if rep.clipped else ", not clipped") + bars
