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
the graph's numbers of one step off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

import numpy as np

from sim.gru_graph import FLOW_NAMES, TRACED, GruGraph, pretty

from ..palette import finite_max, magnitude_index, signed_index
from .numbers import fmt

CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
HW = 11.0  # the state highway
Y_X, Y_HP = 0.0, 1.3  # the x(t) and h(t−1) buses
Y_BAR, Y_SIG, Y_GATE = 3.0, 4.15, 5.4  # gate rows: pre-activation, σ, gate
X_U, X_R, X_NREC, X_N, X_H = 4.0, 7.2, 12.4, 17.0, 20.0
Y_UC, Y_UN = 6.7, 9.3  # 1 − u; the candidate's product
X_NEXT, X_TAP = 26.2, 22.2  # block t+1: its nodes, where h(t)'s wires branch off
X_RN, X_UN = 14.5, 15.4  # where the products r⊙R_n h and (1 − u)⊙n show their cells
NEXT_Y = {"r_bar": 7.6, "u_bar": 6.1, "n_rec": 4.6}
HH = 0.3  # half height of a node box, where wires stop
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
NEXT_NODES = ("next:h", "next:r_bar", "next:u_bar", "next:n_rec")
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


@dataclass(frozen=True)
class NodeSpec:
    """A node drawn as cells in a box centred at (x, y), ``width`` data units wide; its title on
    ``side`` ("top", "bottom", "left", "right")."""

    name: str
    x: float
    y: float
    width: float = 1.8
    side: str = "top"


@dataclass(frozen=True)
class Glyph:
    """An operator drawn in a circle (×, +, σ) or a rounded box (tanh, 1 −); it follows the
    stage of ``node``."""

    text: str
    x: float
    y: float
    node: str
    r: float = 0.3


NODE_SPECS = (
    NodeSpec("x", 1.2, Y_X, side="bottom"), NodeSpec("h_prev", 1.2, HW, side="top"),
    NodeSpec("u_bar", X_U, Y_BAR, side="left"), NodeSpec("u", X_U, Y_GATE, side="left"),
    NodeSpec("r_bar", X_R, Y_BAR, side="right"), NodeSpec("r", X_R, Y_GATE, side="top"),
    NodeSpec("n_rec", X_NREC, Y_BAR, side="right"),
    NodeSpec("rn", X_RN, Y_GATE + 0.75, 1.6, "left"),
    NodeSpec("n_bar", X_N, Y_GATE, side="right"), NodeSpec("n", X_N, 7.9, side="right"),
    NodeSpec("u_c", 6.7, Y_UC + 1.2, 1.6, "top"), NodeSpec("un", X_UN, Y_UN - 0.55, 1.4, "left"),
    NodeSpec("uh", X_U, HW + 0.85, 1.6, "top"), NodeSpec("h", X_H, HW, side="bottom"),
    NodeSpec("out", X_H, 13.7, side="top"),
    NodeSpec("next:h", X_NEXT, HW, 1.4, "top"),
    *(NodeSpec(f"next:{n}", X_NEXT, y, 1.4, "top") for n, y in NEXT_Y.items()),
)
SPEC = {s.name: s for s in NODE_SPECS}
GLYPHS = (
    Glyph("σ", X_U, Y_SIG, "u"), Glyph("σ", X_R, Y_SIG, "r"), Glyph("×", X_NREC, Y_GATE, "rn"),
    Glyph("tanh", X_N, 6.65, "n"),
    Glyph("1 −", 5.4, Y_UC, "u_c", 0.3), Glyph("×", X_N, Y_UN, "un"),
    Glyph("×", X_U, HW, "uh"), Glyph("+", X_N, HW, "h"),
    Glyph("×", X_TAP + 2.0, HW, "next:h", 0.25), Glyph("+", X_TAP + 2.7, HW, "next:h", 0.22),
)


def _wires() -> dict:
    """(block offset, wire id) -> polyline ((x, y), ...) from source to target."""
    w = {}
    for g, x in (("u", X_U), ("r", X_R)):
        w[(0, f"x->{g}_bar")] = ((x - 0.35, Y_X), (x - 0.35, Y_BAR - HH))
        w[(0, f"h_prev->{g}_bar")] = ((2.6, HW), (2.6, Y_HP), (x + 0.35, Y_HP),
                                      (x + 0.35, Y_BAR - HH))
        w[(0, f"{g}_bar->{g}")] = ((x, Y_BAR + HH), (x, Y_GATE - HH))
    w.update({
        (0, "h_prev->n_rec"): ((2.6, HW), (2.6, Y_HP), (X_NREC, Y_HP), (X_NREC, Y_BAR - HH)),
        (0, "n_rec->rn"): ((X_NREC, Y_BAR + HH), (X_NREC, Y_GATE - 0.3)),
        (0, "r->rn"): ((X_R + 0.95, Y_GATE), (X_NREC - 0.3, Y_GATE)),
        (0, "rn->n_bar"): ((X_NREC + 0.3, Y_GATE), (X_N - 0.95, Y_GATE)),
        (0, "x->n_bar"): ((X_N, Y_X), (X_N, Y_GATE - HH)),
        (0, "n_bar->n"): ((X_N, Y_GATE + HH), (X_N, 7.9 - HH)),
        (0, "u->u_c"): ((X_U, Y_UC), (6.7, Y_UC), (6.7, Y_UC + 1.2 - HH)),
        (0, "u_c->un"): ((6.7, Y_UC + 1.2 + HH), (6.7, Y_UN), (X_N - 0.3, Y_UN)),
        (0, "n->un"): ((X_N, 7.9 + HH), (X_N, Y_UN - 0.3)),
        (0, "u->uh"): ((X_U, Y_GATE + HH), (X_U, HW - 0.3)),
        (0, "h_prev->uh"): ((2.1, HW), (X_U - 0.3, HW)),
        (0, "uh->h"): ((X_U + 0.3, HW), (X_N - 0.3, HW)),
        (0, "un->h"): ((X_N, Y_UN + 0.3), (X_N, HW - 0.3)),
        (0, "h->out"): ((X_H, HW + HH), (X_H, 13.7 - HH)),
        # block t+1: h(t) into its gates and along its highway
        (1, "h_prev->uh"): ((X_H + 0.95, HW), (X_TAP + 1.75, HW)),
        (1, "uh->h"): ((X_TAP + 2.25, HW), (X_NEXT - 0.75, HW)),
        # block t−1: h(t−1)'s own loss J(t−1)
        (-1, "h->out"): ((-1.0, HW), (-1.0, 13.5)),
    })
    for n, y in NEXT_Y.items():
        w[(1, f"h_prev->{n}")] = ((X_TAP, HW), (X_TAP, y), (X_NEXT - 0.75, y))
    return w


WIRES = _wires()
#: shared segments drawn once, carrying the sum of their members' errors
TRUNKS = (
    (((2.6, HW), (2.6, Y_HP), (X_U + 0.35, Y_HP)),
     ((0, "h_prev->u_bar"), (0, "h_prev->r_bar"), (0, "h_prev->n_rec"))),
    (((X_U + 0.35, Y_HP), (X_R + 0.35, Y_HP)), ((0, "h_prev->r_bar"), (0, "h_prev->n_rec"))),
    (((X_TAP, HW), (X_TAP, NEXT_Y["r_bar"])),
     tuple((1, f"h_prev->{n}") for n in NEXT_Y)),
    (((X_TAP, NEXT_Y["r_bar"]), (X_TAP, NEXT_Y["u_bar"])),
     ((1, "h_prev->u_bar"), (1, "h_prev->n_rec"))),
    (((X_U, Y_GATE + HH), (X_U, Y_UC)), ((0, "u->uh"), (0, "u->u_c"))),
)
#: the x(t) bus (inputs receive no error: drawn grey in both phases)
X_BUS = ((2.1, Y_X), (X_N, Y_X))
#: static texts: (text, x, y, anchor, colour role, size factor)
LABELS = (
    ("state highway: h(t) = u⊙h(t−1) + (1 − u)⊙n", 10.0, HW + 0.12, (0.5, 1.0), "muted", 0.9),
    ("reset gate on the recurrent path", X_NREC + 0.35, Y_HP + 0.12, (0.0, 0.0), "recurrent",
     0.8),
    ("W_u", X_U - 0.4, 2.0, (1.0, 0.5), "muted", 0.8), ("R_u", X_U + 0.4, 2.0, (0.0, 0.5),
                                                        "recurrent", 0.8),
    ("W_r", X_R - 0.4, 2.0, (1.0, 0.5), "muted", 0.8), ("R_r", X_R + 0.4, 2.0, (0.0, 0.5),
                                                        "recurrent", 0.8),
    ("R_n", X_NREC + 0.1, 2.0, (0.0, 0.5), "recurrent", 0.8),
    ("W_n", X_N + 0.1, 2.0, (0.0, 0.5), "muted", 0.8),
    ("update gate", X_U, -0.35, (0.5, 0.0), "muted", 0.8),
    ("reset gate", X_R, -0.35, (0.5, 0.0), "muted", 0.8),
    ("candidate", X_N, -0.35, (0.5, 0.0), "muted", 0.8),
    ("R_*", X_TAP + 0.15, 8.9, (0.0, 0.5), "recurrent", 0.8),
    ("u(t+1)", X_TAP + 2.0, HW - 0.35, (0.5, 0.0), "muted", 0.75),
    ("ŷ(t−1), J(t−1)", -1.0, 13.55, (0.5, 1.0), "muted", 0.8),
)
HINTS = ((-2.4, -1.0, 0.0, 14.9, "block t−1"), (X_H + 1.5, -1.0, 27.8, 14.9, "block t+1"))
DOTS = ((2.6, HW), (X_TAP, HW), (-1.0, HW), (X_U, Y_UC))
DECOR = (((-2.4, HW), (0.3, HW)),)  # the highway inside block t−1's hint
XRANGE, YRANGE = (-2.6, 28.0), (-1.2, 15.2)


#: shorter titles of the drawn products (the routes' text spells them out)
SHORT = {"out": "ŷ(t)", "un": "(1−u)⊙n(t)", "uh": "u⊙h(t−1)", "rn": "r⊙R_n h(t−1)"}


def title(name: str) -> str:
    """The articles' symbol of a drawn node, t symbolic: "r̄(t)", "h(t−1)", "r̄(t+1)"."""
    if name.startswith("next:"):
        return pretty(name[5:]).replace("(t)", "(t+1)").replace("(t−1)", "(t)")
    return SHORT.get(name) or pretty(name)


def cell_size(n: int, width: float) -> tuple[int, int, float]:
    """(columns, rows, cell side) of ``n`` cells in a node ``width`` wide (up to 16 columns)."""
    cols = min(n, 16)
    rows = int(np.ceil(n / cols))
    return cols, rows, min(0.42, width / cols)


def node_box(spec: NodeSpec, n: int) -> tuple[float, float, float, float]:
    """(x0, y0, w, h) of the node's cells in data units."""
    cols, rows, cell = cell_size(n, spec.width)
    w, h = cols * cell, rows * cell
    return spec.x - w / 2, spec.y - h / 2, w, h


def cell_centre(spec: NodeSpec, n: int, k: int) -> tuple[float, float]:
    """Centre of unit k's cell (the first row on top)."""
    cols, _, cell = cell_size(n, spec.width)
    x0, y0, _, h = node_box(spec, n)
    return x0 + (k % cols + 0.5) * cell, y0 + h - (k // cols + 0.5) * cell


def unit_at(x: float, y: float, sizes: dict) -> tuple[str, int] | None:
    """(node name, unit k) of the hidden-state cell at data point (x, y), or None (outside any
    node, or x and ŷ, whose cells are not hidden units). ``sizes``: node name -> n."""
    for spec in NODE_SPECS:
        if spec.name in ("x", "out"):
            continue
        n = sizes[spec.name]
        x0, y0, w, h = node_box(spec, n)
        if x0 <= x <= x0 + w and y0 <= y <= y0 + h:
            cols, _, cell = cell_size(n, spec.width)
            k = int((y0 + h - y) // cell) * cols + int((x - x0) // cell)
            return (spec.name, k) if 0 <= k < n else None
    return None


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
