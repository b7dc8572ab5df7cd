"""The geometry of the GRU block drawing (Qt-free): where each node's cells, each operator and
each wire of :data:`sim.gru_graph.WIRES` go, in data units (aspect locked, y up), and the cells'
places inside a node.

The state highway runs across the top: h(t−1) → × u(t) → + → h(t); the update gate u, the
reset gate r and the candidate n stand below it, fed by the x(t) bus (grey) and the h(t−1) bus
(yellow, through R_*). Wires keyed (offset, wire id): offset −1, 0, +1 for the blocks t−1, t, t+1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.gru_graph import pretty

HW = 11.0  # the state highway
Y_X, Y_HP = 0.0, 1.3  # the x(t) and h(t−1) buses
Y_BAR, Y_SIG, Y_GATE = 3.0, 4.15, 5.4  # gate rows: pre-activation, σ, gate
X_U, X_R, X_NREC, X_N, X_H = 4.0, 7.2, 12.4, 17.0, 20.0
Y_UC, Y_UN = 6.7, 9.3  # 1 − u; the candidate's product
X_NEXT, X_TAP = 26.2, 22.2  # block t+1: its nodes, where h(t)'s wires branch off
X_RN, X_UN = 14.5, 15.4  # where the products r⊙R_n h and (1 − u)⊙n show their cells
NEXT_Y = {"r_bar": 7.6, "u_bar": 6.1, "n_rec": 4.6}
HH = 0.3  # half height of a node box, where wires stop
NEXT_NODES = ("next:h", "next:r_bar", "next:u_bar", "next:n_rec")
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
