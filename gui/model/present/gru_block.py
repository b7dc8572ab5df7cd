"""What the GRU block view draws, as numbers and strings (Qt-free).

The block of step t in the style of the LSTM circuit: the state highway runs across the top,
h(t−1) → ⊙ u(t) → + → h(t), so the update gate is the interpolation h(t) = u⊙h(t−1) + (1 − u)⊙n(t)
between the old state and the candidate; below it the update gate u, the reset gate r and the
candidate n, fed by x(t) (grey, W_*) and h(t−1) (yellow, R_*). The reset gate sits on the
recurrent path: r(t) ⊙ (R_n h(t−1)) before it is added into n̄.

:func:`picture` gives, at a cursor: every node's cells (values forward, errors backward) as colour
levels, its title with unit k's number, which stage of the equations each node belongs to and
whether it is computed yet, the error every wire carries back (backward), and the routes of the
followed flow (:mod:`sim.gru_graph`) as polylines with their numbers. :class:`GruStepJob` computes
the graph's numbers of one step off the GUI thread. Where things go is
:mod:`gui.model.present.gru_block_layout`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

import numpy as np

from sim.gru_graph import FLOW_NAMES, TRACED, GruGraph

from ..palette import finite_max, magnitude_index, signed_index
from .gru_block_layout import NEXT_NODES, NODE_SPECS, TRUNKS, WIRES, title
from .numbers import fmt

CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: forward and backward stages of one step (selection.stage indexes these, 0-based)
FORWARD_STAGES = ("r = σ(W_r x + R_r h(t−1) + b_r)", "u = σ(W_u x + R_u h(t−1) + b_u)",
                  "n = tanh(W_n x + b_n + r⊙(R_n h(t−1)))", "h(t) = (1 − u)⊙n + u⊙h(t−1)",
                  "out = c + V h(t),  ŷ = f(out),  J(t)")
BACKWARD_STAGES = ("δh(t) = Vᵀδout(t) + R_rᵀδr̄(t+1) + R_uᵀδū(t+1) + R_nᵀδ(R_n h)(t+1)"
                   " + δh(t+1)⊙u(t+1)",
                   "δn̄(t) = δh(t)⊙(1 − u)⊙(1 − n²)",
                   "δū(t) = δh(t)⊙(h(t−1) − n)⊙u(1 − u)",
                   "δ(R_n h)(t) = r⊙δn̄(t),  δr̄(t) = δn̄(t)⊙R_n h(t−1)⊙r(1 − r)",
                   "passed back to h(t−1): R_*ᵀδ*(t) + δh(t)⊙u(t)")
#: the stage (1-based; 0: given, 9: never at this step) each node belongs to
NODE_STAGE = {
    "forward": {"x": 0, "h_prev": 0, "r_bar": 1, "r": 1, "u_bar": 2, "u": 2, "n_rec": 3, "rn": 3,
                "n_bar": 3, "n": 3, "u_c": 4, "un": 4, "uh": 4, "h": 4, "out": 5,
                **{n: 9 for n in NEXT_NODES}},
    "backward": {"out": 1, "h": 1, **{n: 1 for n in NEXT_NODES}, "un": 2, "n": 2, "n_bar": 2,
                 "u_c": 3, "uh": 3, "u": 3, "u_bar": 3, "rn": 4, "n_rec": 4, "r": 4, "r_bar": 4,
                 "h_prev": 5, "x": 9},
}
ERROR_WIDTHS = (1.0, 2.0, 3.5, 5.5)  # error wires by log |delta|
DECADES = 3.0


def stages(phase: str) -> tuple[str, ...]:
    return BACKWARD_STAGES if phase == "backward" else FORWARD_STAGES


# -- the heavy part: one step's numbers ----------------------------------------------------------
@dataclass(frozen=True, eq=False)
class StepData:
    """The graph's numbers around the block of step t.

    values, errors : node name -> (n,) (errors: the full dJ/d node; "next:*" the errors block
        t+1 passes back; "h_prev" what block t passes to h(t−1)).
    wire_errors : (block offset, wire id) -> (n_src,) error carried back through the wire.
    flows : flow name -> sim.gru_graph.Flow at this step.
    """

    t: int
    values: dict
    errors: dict
    wire_errors: dict
    flows: dict = field(repr=False)


def step_data(result, t: int) -> StepData:
    """The numbers of step ``t`` (1..T) of a GRU ``result`` (sim.run.RunResult)."""
    g = graph_for(result)
    errs = dict(g.errors(t))
    if t < g.T:
        nxt = g.carried(t + 1)
        errs.update({f"next:{n}": nxt[n] for n in ("h", "r_bar", "u_bar", "n_rec")})
    errs["h_prev"] = g.passed_back(t)
    wires = {(b - t, wid): v for (b, wid), v in g.wire_errors(t).items()}
    if t > 1:
        wires[(-1, "h->out")] = g.edges(t - 1)[-1].back(g.errors(t - 1)["out"])
    flows = {name: g.flow(name, t) for name in FLOW_NAMES}
    return StepData(t=t, values=g.values(t), errors=errs, wire_errors=wires, flows=flows)


@dataclass(frozen=True)
class GruStepJob:
    """:func:`step_data` of one step, for the job runner (truncated BPTT sums k steps)."""

    result: object
    t: int
    cost: ClassVar[float] = 0.01

    def compute(self, progress, should_stop) -> StepData:
        return step_data(self.result, self.t)


@lru_cache(maxsize=4)
def graph_for(result) -> GruGraph:
    """One graph per session result (it caches per step what it computed)."""
    return GruGraph(result.forward, result.backward)


@lru_cache(maxsize=4)
def scales_for(result) -> dict:
    """Fixed colour scales of a session, so that colours compare across steps."""
    tr, bt = result.forward, result.backward
    pre = finite_max(np.concatenate([getattr(tr, n).ravel()
                                     for n in ("r_bar", "u_bar", "n_bar", "n_rec")]))
    err = finite_max(np.concatenate([np.asarray(bt.deltas[n]).ravel() for n in TRACED]))
    return {"act": 1.0, "pre": pre, "err": err, "x": finite_max(tr.x),
            "y_hat": finite_max(tr.y_hat), "err_out": finite_max(bt.deltas["out"])}


SCALE_OF = {"r_bar": "pre", "u_bar": "pre", "n_bar": "pre", "n_rec": "pre", "rn": "pre",
            "x": "x", "out": "y_hat"}


# -- the light part: what to draw at a cursor ------------------------------------------------------
@dataclass(frozen=True)
class RouteLine:
    """One route of the followed flow: its polylines, its number n (①...), unit k's term and
    the term in symbols, and where its number goes."""

    number: int
    polylines: tuple
    value: float
    symbol: str
    at: tuple


@dataclass(frozen=True, eq=False)
class Picture:
    """The GRU block at a cursor.

    phase : "forward" or "backward"; t : the step; unit : k (0-based).
    cells : node name -> (n,) the numbers its cells show (values or errors), or None (nothing).
    levels : node name -> (n,) diverging colour levels 0..255 (256 non-finite).
    lit : node name -> computed yet at this stage (False: drawn faint).
    stage_of : node name -> its stage number (1-based; 0 given, 9 never).
    titles : node name -> "r(3) = 0.41" with unit k's number (or the symbol alone).
    wires : (offset, wire id) -> (level, width index, unit k's number) backward; empty forward.
    trunks : per TRUNKS entry, (level, width index, number) backward; empty forward.
    routes : the followed flow's routes; flow_text : its terms and sum for unit k, or "".
    flow_total, flow_delta : unit k's sum over the routes and the engine's (or the graph's)
        error of the followed node (NaN when no flow is followed).
    stage : the highlighted stage (1-based) or None for all; stage_texts : the stages.
    bars : ((title, lo, hi), ...) for the two colour bars.
    last : t = T (there is no block t+1).
    """

    phase: str
    t: int
    unit: int
    cells: dict
    levels: dict
    lit: dict
    stage_of: dict
    titles: dict
    wires: dict
    trunks: tuple
    routes: tuple
    flow_text: str
    flow_total: float
    flow_delta: float
    stage: int | None
    stage_texts: tuple
    bars: tuple
    last: bool = False


def _wire_styles(values: list[float], vmax: float) -> list[tuple[int, int, float]]:
    """(colour level, width index, value) of each wire's error."""
    v = np.asarray(values, dtype=float)  # (m,)
    level = signed_index(v, vmax)  # (m,)
    mag = magnitude_index(v, vmax, log_decades=DECADES)  # (m,)
    width = np.where((v == 0) | (mag == 0), 0,
                     np.minimum(len(ERROR_WIDTHS) - 1, 1 + mag * 3 // 256))  # (m,)
    return [(int(a), int(b), float(c)) for a, b, c in zip(level, width, v, strict=True)]


def picture(result, data: StepData, phase: str, unit: int, flow: str | None,
            stage: int | None) -> Picture:
    """What the block view draws for ``result`` at step ``data.t`` in ``phase`` ("backward" or
    anything else for the forward values), unit k = ``unit``, following ``flow`` (a name of
    sim.gru_graph.FLOW_NAMES, or None), with stage ``stage`` (0-based index, None: all)."""
    phase = "backward" if phase == "backward" else "forward"
    t, T = data.t, result.T
    H = result.forward.n_hidden
    k = min(max(int(unit), 0), H - 1)
    sc = scales_for(result)
    n_st = len(stages(phase))
    st = None if stage is None or not 0 <= stage < n_st else stage + 1
    stage_of = dict(NODE_STAGE[phase])
    if t == T:
        stage_of.update({n: 9 for n in NEXT_NODES})
    cells, levels, lit, titles = {}, {}, {}, {}
    for spec in NODE_SPECS:
        name = spec.name
        s = stage_of[name]
        lit[name] = s != 9 and (st is None or s <= st)
        sym = title(name).replace("(t+1)", f"({t + 1})").replace("(t−1)", f"({t - 1})")
        sym = sym.replace("(t)", f"({t})")
        if phase == "forward":
            v = None if name.startswith("next:") else (
                data.values["y_hat" if name == "out" else name])
            vmax = sc[SCALE_OF.get(name, "act")]
        else:
            v = None if name == "x" else data.errors.get(name)
            vmax = sc["err_out" if name == "out" else "err"]
            sym = f"δout({t})" if name == "out" else (
                f"δ({sym})" if " " in sym or "⊙" in sym else "δ" + sym)
            if name == "h_prev":
                sym += f" via block {t}"
        cells[name] = v
        if v is not None:
            levels[name] = signed_index(v, vmax)
            kk = min(k, len(v) - 1) if name in ("x", "out") else k
            titles[name] = sym if name in ("x", "out") else f"{sym} = {fmt(v[kk])}"
        else:
            titles[name] = "" if t == T and name in NEXT_NODES else sym
    wires, trunks = {}, ()
    if phase == "backward":
        keys = [key for key in data.wire_errors if key in WIRES]
        vals = [float(data.wire_errors[key][k]) for key in keys]
        vals += [sum(float(data.wire_errors[m][k]) for m in members if m in data.wire_errors)
                 for _, members in TRUNKS]
        styles = _wire_styles(vals, sc["err"])
        wires = dict(zip(keys, styles[:len(keys)], strict=True))
        trunks = tuple(styles[len(keys):])
    routes, text, total, delta = (), "", float("nan"), float("nan")
    if flow in data.flows:
        routes, text, total, delta = _flow(data, flow, k)
    bars = ((("error δ at this step", fmt(-sc["err"]), fmt(sc["err"])),
             ("δout (J(t)'s own error)", fmt(-sc["err_out"]), fmt(sc["err_out"])))
            if phase == "backward" else
            (("gates r, u ∈ (0, 1); n, h ∈ (−1, 1)", "−1", "1"),
             ("pre-activations r̄, ū, n̄, R_n h", fmt(-sc["pre"]), fmt(sc["pre"]))))
    return Picture(phase=phase, t=t, unit=k, cells=cells, levels=levels, lit=lit,
                   stage_of=stage_of, titles=titles, wires=wires, trunks=trunks, routes=routes,
                   flow_text=text, flow_total=total, flow_delta=delta, stage=st,
                   stage_texts=stages(phase), bars=bars, last=t == T)


def _flow(data: StepData, name: str, k: int):
    """The routes of flow ``name`` at step t for unit k: lines, text, their sum, the error."""
    f = data.flows[name]
    t = data.t
    lines, seen = [], {}
    parts = []
    for i, rt in enumerate(f.routes):
        polys = tuple(WIRES[(e.block - t, e.wire.id)] for e in rt.edges
                      if (e.block - t, e.wire.id) in WIRES)
        at = (0.0, 0.0)
        if polys:  # beside the route's last wire, before its end; repeated ends step back
            end, before = np.asarray(polys[-1][-1]), np.asarray(polys[-1][-2])
            d = (end - before) / (np.hypot(*(end - before)) or 1.0)  # (2,) unit direction
            n_here = seen.get(tuple(end), 0)
            seen[tuple(end)] = n_here + 1
            p = end - d * (0.75 + 0.55 * n_here) + np.array([-d[1], d[0]]) * 0.3
            at = (float(p[0]), float(p[1]))
        value = float(rt.contribution()[k])
        lines.append(RouteLine(i + 1, polys, value, rt.symbol, at))
        parts.append(f"{number(i + 1)} {rt.symbol} = {fmt(value)}")
    total = float(f.route_sum()[k])
    if f.delta is not None:
        delta, source = float(f.delta[k]), "the engine's δ"
    elif f.node.step == 0:
        delta, source = float(data.errors["h_prev"][k]), "passed back to h(0)"
    else:
        delta = float(data.errors["h_prev" if name == "h_prev" else name][k])
        source = "its error"
    label = f.node.label
    half = (len(parts) + 1) // 2
    rows = "".join(f"<tr><td>{a}</td><td>&nbsp;&nbsp;&nbsp;{b}</td></tr>"
                   for a, b in zip(parts[:half], parts[half:] + [""] * (2 * half - len(parts)),
                                  strict=True))
    text = (f"<b>Follow one flow</b>: every route from {label} to J, unit k = {k + 1}"
            f"<table>{rows}</table>"
            f"<b>sum = {fmt(total)}</b> = δ{label} ({source}: {fmt(delta)})")
    return tuple(lines), text, total, delta


def number(n: int) -> str:
    """①, ②, ... (n) past ⑳."""
    return CIRCLED[n] if 0 <= n < len(CIRCLED) else f"({n})"
