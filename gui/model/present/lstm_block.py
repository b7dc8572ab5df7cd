"""What the LSTM block views (circuit, Space Odyssey) draw, as numbers and strings (Qt-free).

A block view shows, at cursor (phase, t):

- every node as a row of cells, one per unit, coloured on a fixed scale of the session
  (:func:`block_scales`); forward the values of step t, backward the errors of step t
  (:func:`node_arrays`);
- the stage of the equations each node belongs to (:data:`NODE_STAGE`), greyed while not
  computed yet (:func:`node_state`, :func:`wire_state`; the stage walk is
  :mod:`gui.model.present.lstm_stages`);
- the articles' names (:func:`pretty`, :func:`node_label`, :func:`route_symbol`,
  :func:`route_text`; the engine names its nodes plainly), node titles (:func:`node_title`,
  :func:`title_parts`) and the followed flow's sum for unit k (:func:`flow_sum`);
- the block graph itself (sim.lstm_graph.BlockGraph) comes from :class:`BlockGraphJob`, off the
  GUI thread: it computes every step's values and errors once per result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.lstm_graph import GATE_BARS, TRACED, WIRE, BlockGraph

from ..palette import finite_max
from .lstm_stages import n_stages, stages
from .numbers import fmt

#: the articles' purple arrows (the routes of the followed flow)
FLOW_HEX = "#8e44ad"
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
#: the nodes of block t+1 whose errors come back to block t
NEXT_NODES = ("next:c", "next:z_bar", "next:i_bar", "next:f_bar", "next:o_bar")
#: stage number (1-based) of each drawn node; 0: given before the step, 9: block t+1
NODE_STAGE = {
    "forward": {"x": 0, "y_prev": 0, "c_prev": 0, "z_bar": 1, "z": 1, "i_bar": 2, "i": 2,
                "f_bar": 3, "f": 3, "zi": 4, "cf": 4, "c": 4, "o_bar": 5, "o": 5, "tanh_c": 6,
                "y": 6, "out": 7, **{n: 9 for n in NEXT_NODES}},
    "backward": {"out": 1, "y": 1, **{n: 0 for n in NEXT_NODES}, "tanh_c": 2, "o": 2,
                 "o_bar": 2, "c": 3, "zi": 3, "cf": 3, "z": 4, "i": 4, "f": 4, "z_bar": 4,
                 "i_bar": 4, "f_bar": 4, "y_prev": 5, "c_prev": 5, "x": 9},
}
#: colour scale of each node's values (others: "act", [-1, 1])
SCALE_OF = {"z_bar": "pre", "i_bar": "pre", "f_bar": "pre", "o_bar": "pre", "c": "pre",
            "c_prev": "pre", "cf": "pre", "x": "x", "out": "y_hat"}
#: how the articles write each node: {t} is the block's step, {p} the step before
PRETTY = {"x": "x({t})", "y_prev": "y({p})", "c_prev": "c({p})", "z_bar": "z̄({t})",
          "i_bar": "ī({t})", "f_bar": "f̄({t})", "o_bar": "ō({t})", "z": "z({t})", "i": "i({t})",
          "f": "f({t})", "o": "o({t})", "zi": "z({t})⊙i({t})", "cf": "c({p})⊙f({t})",
          "c": "c({t})", "tanh_c": "tanh c({t})", "y": "y({t})", "out": "out({t})"}
ERROR_WIDTHS = (1.0, 2.0, 3.5, 5.5)  # error wires by log |delta|
DECADES = 3.0
COMPUTING = "computing the block's values and errors…"


def phase_of(cursor) -> str:
    """"backward" at a backward cursor, else "forward" (the update shows block T's values)."""
    return "backward" if cursor.phase == "backward" else "forward"


def shown_stage(selection_stage: int | None, phase: str) -> int | None:
    """The stage number (1-based) a selection's 0-based stage means in ``phase``; None for all
    stages (or a stage the phase does not have)."""
    if selection_stage is None:
        return None
    stage = selection_stage + 1
    return stage if stage <= n_stages(phase) else None


def step_stage(stage: int | None, phase: str, delta: int) -> tuple[int, int | None]:
    """One step of the stage walk from 0-based ``stage``: (cursor frames to move, new stage).

    Past either end the cursor moves one frame and the walk restarts at that end; the new stage
    is then None and the caller picks the first (``delta`` > 0) or last stage of the new phase.
    """
    n = n_stages(phase)
    s = None if stage is None else stage + 1  # stage numbers 1..n
    if s is None:
        s = 0 if delta > 0 else n + 1
    s += delta
    if s < 1 or s > n:
        return delta, None
    return 0, s - 1


# -- what is computed at a stage ------------------------------------------------------------
def node_stage(phase: str, name: str) -> int:
    return NODE_STAGE[phase].get(name, 0)


def stage_state(s: int, stage: int | None) -> str:
    """"later", "now" or "done" for stage number ``s`` while the walk is at ``stage``."""
    if stage is None:
        return "done"
    return "later" if s > stage else ("now" if s == stage else "done")


def node_state(phase: str, name: str, stage: int | None) -> str:
    """"later" (not computed yet at this stage), "now" (being computed) or "done"."""
    s = node_stage(phase, name)
    if stage is None or s == 0:
        return "done" if s < 9 else "later"
    return stage_state(s, stage)


def wire_state(phase: str, key: tuple, stage: int | None) -> str:
    """"later", "now", "done" or "hint" (a wire of a neighbouring block) of wire ``key`` =
    (block offset, wire id)."""
    off, wid = key
    w = WIRE[wid]
    if phase == "forward":
        if off == -1:
            return "hint"
        if off == 1:  # y(t), c(t) on their way out: there once computed
            return "later" if node_state(phase, w.src_name, stage) == "later" else "hint"
        return node_state(phase, w.dst, stage)
    if off == -1:
        return "hint"
    if off == 1:
        return stage_state(1 if w.src == "y_prev" else 3, stage)
    return node_state(phase, w.src, stage)


# -- colour scales and arrays ---------------------------------------------------------------
def block_scales(result) -> dict:
    """Fixed colour scales of a session, so colours compare across steps.

    act: z, i, f, o, tanh c, y in [-1, 1]; pre: z_bar..o_bar and c; err: every delta; x, y_hat,
    err_out: their own.
    """
    tr, bt = result.forward, result.backward
    pre = finite_max(np.concatenate([getattr(tr, n).ravel() for n in GATE_BARS + ("c",)]))
    err = finite_max(np.concatenate([np.asarray(bt.deltas[n]).ravel() for n in TRACED]))
    return {"act": 1.0, "pre": pre, "err": err, "x": finite_max(tr.x),
            "y_hat": finite_max(tr.y_hat), "err_out": finite_max(bt.deltas["out"])}


def node_arrays(graph: BlockGraph, names, phase: str, t: int) -> dict:
    """name -> (array (n,) or None when there is nothing to show, scale name) for drawn nodes
    ``names`` (NODES and "next:*") of block t."""
    out = {}
    if phase == "forward":
        v = graph.values(t)
        for n in names:
            if n.startswith("next:"):
                out[n] = (None, "act")
            elif n == "out":
                out[n] = (v["y_hat"], "y_hat")
            else:
                out[n] = (v[n], SCALE_OF.get(n, "act"))
        return out
    err = graph.errors(t)
    nxt = graph.carried(t + 1) if t < graph.T else None
    for n in names:
        if n.startswith("next:"):
            out[n] = (None if nxt is None else nxt[n[5:]], "err")
        elif n in ("x", "y_prev", "c_prev"):
            out[n] = (None, "err")  # x gets no error; y(t-1), c(t-1) complete at step t-1
        else:
            out[n] = (err[n], "err_out" if n == "out" else "err")
    return out


def error_level(v: float, vmax: float) -> int:
    """Width bin 0..3 of an error ``v`` on a log scale of :data:`DECADES` below ``vmax``."""
    r = abs(v) / vmax if vmax else math.inf
    if not r > 0:
        return 0
    level = min(max(1 + math.log10(r) / DECADES, 0.0), 1.0) if math.isfinite(r) else 1.0
    return int(min(level * 4, 3))


def error_colour_index(v: float, wbin: int) -> int:
    """Index into the diverging table of an error wire: its sign, kept out of the pale middle
    so thin wires stay visible."""
    depth = 0.5 + 0.5 * wbin / 3  # 0.5 .. 1 of the way from white to the darkest
    sign = (v > 0) - (v < 0)
    return min(max(int(round(127.5 + sign * depth * 127.5)), 0), 255)


# -- texts ----------------------------------------------------------------------------------
def pretty(name: str, step: int | None = None) -> str:
    """The articles' name of node ``name`` of the block of step ``step`` (None: symbolic t).

    pretty("z_bar", 3) -> "z̄(3)", pretty("c_prev") -> "c(t−1)".
    """
    template = PRETTY.get(name, name + "({t})")
    if step is None:
        return template.format(t="t", p="t−1")
    return template.format(t=step, p=step - 1)


def node_label(node) -> str:
    """The articles' name of a graph node (sim.lstm_graph.Node): Node("c", 0) -> "c(0)"."""
    return pretty(node.name, node.step)


def _factor(edge) -> str:
    """An edge's local derivative with t replaced by its block's step."""
    t = edge.block
    s = edge.wire.symbol.replace("(t−1)", f"({t - 1})").replace("(t)", f"({t})")
    if edge.wire.kind in ("recurrent", "output"):
        s += "ᵀ"
    if s.startswith("1 −"):
        s = f"({s})"  # a factor, not a subtraction
    return s


def route_symbol(route) -> str:
    """A route's term as the articles write it: "δc(5) · f(5) · 1"."""
    return f"δ{node_label(route.end)} · " + " · ".join(_factor(e) for e in route.edges)


def route_text(route) -> str:
    """A route's nodes as the articles write them: "z̄(3) → z(3) → z(3)⊙i(3) → c(3)"."""
    return " → ".join(node_label(n) for n in route.nodes)


def node_title(name: str) -> str:
    """The articles' symbol of a drawn node, with t symbolic: "f̄(t)", "c(t−1)", "c(t+1)"."""
    if name.startswith("next:"):
        return pretty(name[5:]).replace("(t)", "(t+1)")
    if name == "out":
        return "ŷ(t)"
    return pretty(name)


def title_parts(result, phase: str, name: str, arr, k: int, t: int) -> tuple[str, str]:
    """The title of node ``name``: (stage badge, symbol and note; unit k's number or "")."""
    s = node_stage(phase, name)
    badge = CIRCLED[s] + " " if 0 < s < 9 else ""
    sym = node_title(name)
    if phase == "backward" and name != "x":
        sym = "δ" + sym
    value, extra = "", ""
    if arr is not None and name not in ("x", "out"):
        value = " " + fmt(float(arr[k]))
    elif name == "out" and phase == "forward" and arr is not None:
        bt = result.backward
        if bt.loss_mask[t - 1] == 1:
            extra, value = " J(t) =", " " + fmt(float(bt.losses[t - 1]))
        else:
            extra = " (no loss)"
    elif name == "out" and arr is not None:
        sym = "δout(t) from J(t)"
    elif name in ("y_prev", "c_prev") and phase == "backward":
        extra = " (at step t−1)"
    elif name.startswith("next:") and phase == "backward" and arr is None:
        extra = " (none: t = T)"
    return badge + sym + extra, value


def stage_caption(phase: str, stage: int | None, screen: bool = True,
                  peepholes: bool = True) -> tuple[str, str]:
    """(where the walk is, the equation of the stage) for the caption; ``screen`` False: for
    an exported figure (no word about the window's controls); ``peepholes``: the model has
    them (else their terms are not written)."""
    texts = stages(phase, peepholes)
    if stage is None:
        order = "stages in the order of the equations: " + "  ".join(
            CIRCLED[i + 1] for i in range(len(texts)))
        how = " (the stage control walks through them)" if screen else ""
        return order, "all stages of this step, numbered" + how
    return f"stage {CIRCLED[stage]} of {len(texts)}", texts[stage - 1]


def wire_text(key: tuple) -> str:
    """Hover text of wire ``key`` = (block offset, wire id)."""
    off, wid = key
    w = WIRE[wid]
    block = {-1: "block t−1", 0: "block t", 1: "block t+1"}[off]
    return (f"{pretty(w.src)} → {pretty(w.dst)} ({block}): "
            f"∂{pretty(w.dst)}/∂{pretty(w.src)} = {w.symbol}")


# -- the followed flow ----------------------------------------------------------------------
def current_flow(graph: BlockGraph, name: str | None, t: int):
    """graph.flow(name, t), or None (no flow chosen, a name of another model, c(0) at t = 1)."""
    if name is None:
        return None
    try:
        return graph.flow(name, t)
    except ValueError:
        return None


def drawn_name(node, t: int) -> str | None:
    """The drawn node of block t's drawing that shows graph node ``node``, or None."""
    if node.step == t:
        return node.name
    if node.step == t - 1 and node.name in ("y", "c"):
        return node.name + "_prev"
    if node.step == t + 1 and node.name in ("c",) + GATE_BARS:
        return "next:" + node.name
    return None


def flow_nodes(flow, t: int) -> dict:
    """{"start": {drawn name}, "end": {drawn names}} of a flow's routes (empty for None)."""
    if flow is None:
        return {}
    ends = {drawn_name(r.end, t) for r in flow.routes}
    return {"start": {drawn_name(flow.node, t)}, "end": ends - {None}}


def flow_wire_keys(flow, t: int) -> set:
    """(block offset, wire id) of every wire on the flow's routes."""
    return set() if flow is None else {(b - t, wid) for b, wid in flow.keys}


@dataclass(frozen=True)
class FlowSum:
    """One flow's sum for unit k, written once with symbols and once with numbers."""

    label: str
    n_routes: int
    symbols: tuple
    values: tuple
    total: float
    engine: float | None

    def symbol_lines(self, per_line: int = 3) -> list[str]:
        s = self.symbols
        return [" + ".join(s[i:i + per_line]) for i in range(0, len(s), per_line)]

    def numbers(self) -> str:
        return " + ".join(fmt(v) if v >= 0 else f"({fmt(v)})" for v in self.values)


def flow_sum(flow, k: int) -> FlowSum:
    """δ(node) = a + b + c = 0.1 + (−0.2) + 0.3 = 0.2 for unit ``k`` (never a chain of false
    equalities)."""
    symbols = tuple(route_symbol(r).removesuffix(" · 1") for r in flow.terms)
    values = tuple(float(r.contribution()[k]) for r in flow.terms)
    total = float(flow.term_sum()[k]) if flow.terms else 0.0
    engine = None if flow.delta is None else float(flow.delta[k])
    return FlowSum(node_label(flow.node), len(flow.routes), symbols, values, total, engine)


# -- the job --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BlockData:
    """A result's block graph, every step computed, and its colour scales."""

    graph: BlockGraph
    scales: dict


@dataclass(frozen=True)
class BlockGraphJob:
    """Builds sim.lstm_graph.BlockGraph of an LSTM result and computes every step's values,
    errors and wire errors (65-200 ms at H = 64, T = 100), for the job runner."""

    result: Any

    @property
    def cost(self) -> float:
        """Seconds, roughly: 0.2 s at H = 64, T = 100 (truncated BPTT adds its sweep)."""
        tr = self.result.forward
        extra = 0.0 if self.result.backward.truncation is None else 1.0
        return 3e-5 * tr.n_hidden * tr.T * (1.0 + extra)

    def compute(self, progress, should_stop) -> BlockData:
        r = self.result
        graph = BlockGraph(r.forward, r.backward)
        for t in range(1, graph.T + 1):
            if should_stop():
                raise InterruptedError("no longer wanted")
            graph.values(t)
            graph.errors(t)
            graph.wire_errors(t)
            progress(t / graph.T)
        return BlockData(graph, block_scales(r))
