"""The flows of variables in a GRU block: every chain-rule route by which a neuron reaches J.

The same idea as :mod:`sim.lstm_graph`, for the GRU of :mod:`sim.gru`: a variable influences J
along several routes through the block, each route is a chain of local derivatives, and its error
is the sum over routes of (product of local derivatives) x (the error waiting at the route's end).
The engine's backward pass (:class:`sim.gru.GRUCell`) is, written as terms:

    delta_h(t)     = V^T delta_out(t) + R_r^T delta_r_bar(t+1) + R_u^T delta_u_bar(t+1)
                     + R_n^T delta_n_rec(t+1) + delta_h(t+1) * u(t+1)
    delta_n_bar(t) = delta_h(t) * (1 - u(t)) * (1 - n(t)^2)
    delta_u_bar(t) = delta_h(t) * (h(t-1) - n(t)) * u(t)(1 - u(t))     (two routes: -n and h(t-1))
    delta_n_rec(t) = delta_n_bar(t) * r(t)
    delta_r_bar(t) = delta_n_bar(t) * n_rec(t) * r(t)(1 - r(t))

The graph of one block (step t) has the nodes of the equations plus the products the drawing
shows: ``rn`` = r ⊙ (R_n h(t-1)) (the reset gate on the recurrent path), ``u_c`` = 1 - u,
``un`` = (1 - u) ⊙ n and ``uh`` = u ⊙ h(t-1) (the interpolation h = un + uh). Each wire of
:data:`WIRES` carries one local derivative; a wire whose source is ``h_prev`` reads h(t-1), so the
wires of block t+1 are how h(t) leaves block t.

Truncated BPTT: as in :mod:`sim.lstm_graph`, what block t+1 passes back to block t is its error
minus the part of the loss whose row the engine drops there (:meth:`GruGraph.carried`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

GATES = ("r", "u", "n")
#: nodes whose errors the engine's BackwardTrace records (besides "out", where J(t) injects)
TRACED = ("h", "r_bar", "u_bar", "n_bar", "n_rec")
#: the nodes of one block in the order of the equations; h_prev is h(t-1)
NODES = ("x", "h_prev", "r_bar", "r", "u_bar", "u", "n_rec", "rn", "n_bar", "n", "u_c", "un",
         "uh", "h", "out")
#: nodes no error reaches or whose error is J's own
NO_FLOW = ("x", "out")
#: variables whose flow the view offers (selection.flow), in the order of the backward pass
FLOW_NAMES = ("h", "n", "n_bar", "u", "u_bar", "n_rec", "r", "r_bar", "h_prev")
#: the intermediate nodes, targets before sources (errors are filled in this order)
INTERMEDIATE = ("un", "uh", "u_c", "n", "u", "rn", "r")
#: how the articles write each node: {t} is the block's step, {p} the step before
PRETTY = {"x": "x({t})", "h_prev": "h({p})", "r_bar": "r̄({t})", "r": "r({t})",
          "u_bar": "ū({t})", "u": "u({t})", "n_rec": "R_n h({p})", "rn": "r({t})⊙R_n h({p})",
          "n_bar": "n̄({t})", "n": "n({t})", "u_c": "1 − u({t})", "un": "(1 − u({t}))⊙n({t})",
          "uh": "u({t})⊙h({p})", "h": "h({t})", "out": "out({t})"}


@dataclass(frozen=True)
class Wire:
    """A connection of the GRU block drawing.

    Attributes
    ----------
    id : "src->dst", e.g. "h_prev->uh" (the highway through the update gate).
    src, dst : node names within the block ("h_prev" reads step t-1).
    symbol : the local derivative d dst / d src in the articles' notation, t the block's step.
    kind : "input" (W_*), "recurrent" (R_*), "gate" (activations and gate products), "state"
        (the interpolation and the highway) or "output" (V).
    """

    id: str
    src: str
    dst: str
    symbol: str
    kind: str

    @property
    def src_offset(self) -> int:
        """-1 when the source is the previous step's h, else 0."""
        return -1 if self.src == "h_prev" else 0

    @property
    def src_name(self) -> str:
        return "h" if self.src == "h_prev" else self.src


def _w(src, dst, symbol, kind):
    return Wire(f"{src}->{dst}", src, dst, symbol, kind)


#: every wire of one block, in the order of the equations
WIRES: tuple[Wire, ...] = (
    _w("x", "r_bar", "W_r", "input"), _w("h_prev", "r_bar", "R_r", "recurrent"),
    _w("r_bar", "r", "r(t)(1 − r(t))", "gate"),
    _w("x", "u_bar", "W_u", "input"), _w("h_prev", "u_bar", "R_u", "recurrent"),
    _w("u_bar", "u", "u(t)(1 − u(t))", "gate"),
    _w("h_prev", "n_rec", "R_n", "recurrent"),
    _w("n_rec", "rn", "r(t)", "gate"), _w("r", "rn", "R_n h(t−1)", "gate"),
    _w("x", "n_bar", "W_n", "input"), _w("rn", "n_bar", "1", "gate"),
    _w("n_bar", "n", "1 − n(t)²", "gate"),
    _w("u", "u_c", "−1", "gate"),
    _w("n", "un", "1 − u(t)", "state"), _w("u_c", "un", "n(t)", "gate"),
    _w("h_prev", "uh", "u(t)", "state"), _w("u", "uh", "h(t−1)", "gate"),
    _w("un", "h", "1", "state"), _w("uh", "h", "1", "state"),
    _w("h", "out", "V", "output"),
)
WIRE = {w.id: w for w in WIRES}


def pretty(name: str, step: int | None = None) -> str:
    """The articles' name of node ``name`` of the block of step ``step`` (None: symbolic t).

    pretty("r_bar", 3) -> "r̄(3)", pretty("h_prev") -> "h(t−1)".
    """
    if step is None:
        return PRETTY[name].format(t="t", p="t−1")
    return PRETTY[name].format(t=step, p=step - 1)


@dataclass(frozen=True)
class Node:
    """A variable at a step: ``Node("h", 4)`` is h(4); h(t-1) of block t is ``Node("h", t-1)``."""

    name: str
    step: int

    @property
    def label(self) -> str:
        return pretty(self.name, self.step)

    @property
    def traced(self) -> bool:
        """Whether the engine's BackwardTrace records this node's error."""
        return self.name in TRACED or self.name == "out"


@dataclass(frozen=True, eq=False)
class Edge:
    """A wire in the block of step ``block`` with its local derivative there.

    Attributes
    ----------
    wire : the block wire; block : the step t of the block it belongs to.
    local : d dst / d src: (H,) for elementwise wires, (n_dst, n_src) for W_*, R_* and V.
    """

    wire: Wire
    block: int
    local: np.ndarray = field(repr=False)

    @property
    def src(self) -> Node:
        return Node(self.wire.src_name, self.block + self.wire.src_offset)

    @property
    def dst(self) -> Node:
        return Node(self.wire.dst, self.block)

    @property
    def elementwise(self) -> bool:
        return self.local.ndim == 1

    @property
    def key(self) -> tuple[int, str]:
        """(block, wire id): what a drawing needs to find the wire."""
        return self.block, self.wire.id

    def back(self, error: np.ndarray) -> np.ndarray:
        """``error`` (n_dst,) at dst carried back to src: local * error or local^T error.

        Returns
        -------
        (n_src,)
        """
        if self.elementwise:
            return self.local * error  # (H,) Hadamard: unit k only talks to unit k
        return self.local.T @ error  # (n_src,) R^T delta or V^T delta_out


@dataclass(frozen=True, eq=False)
class Route:
    """A chain of edges from a variable to a node whose error is known.

    Attributes
    ----------
    edges : consecutive edges, edges[n].dst == edges[n + 1].src.
    incoming : (n_end,) the error at the route's end (dJ/d end), as the route receives it.
    """

    edges: tuple[Edge, ...]
    incoming: np.ndarray = field(repr=False)

    @property
    def start(self) -> Node:
        return self.edges[0].src

    @property
    def end(self) -> Node:
        return self.edges[-1].dst

    @property
    def nodes(self) -> tuple[Node, ...]:
        return (self.start,) + tuple(e.dst for e in self.edges)

    @property
    def keys(self) -> tuple[tuple[int, str], ...]:
        return tuple(e.key for e in self.edges)

    def contribution(self) -> np.ndarray:
        """The route's term of the start's error: the chain applied from the end backwards.

        Returns
        -------
        (H,)
        """
        v = self.incoming  # (n_end,)
        for e in reversed(self.edges):
            v = e.back(v)  # (n_src,)
        return v

    @property
    def symbol(self) -> str:
        """The term as the articles write it: "δh(5) · (1 − u(5)) · (1 − n(5)²)"."""
        factors = " · ".join(_symbol(e) for e in reversed(self.edges) if e.wire.symbol != "1")
        return f"δ{self.end.label} · {factors}" if factors else f"δ{self.end.label}"

    def __repr__(self) -> str:
        return "Route(" + " → ".join(n.label for n in self.nodes) + ")"


def _symbol(e: Edge) -> str:
    t = e.block
    s = e.wire.symbol.replace("(t−1)", f"({t - 1})").replace("(t)", f"({t})")
    if e.wire.kind in ("recurrent", "output"):
        s += "ᵀ"
    if " " in s or s.startswith("−"):
        s = f"({s})"  # a factor, not a subtraction
    return s


@dataclass(frozen=True, eq=False)
class Flow:
    """Every route by which ``node`` influences J.

    Attributes
    ----------
    node : the variable followed.
    terms : the terms of its error equation: routes stopping at the first node whose error the
        engine records.
    routes : routes until they leave the node's block: into out(t), or into a traced node of
        block t+1 (the purple arrows).
    delta : (H,) the engine's error of ``node``, or None where the engine records none.
    """

    node: Node
    terms: tuple[Route, ...]
    routes: tuple[Route, ...]
    delta: np.ndarray | None = field(repr=False)

    def term_sum(self) -> np.ndarray:
        """(H,) sum over the terms."""
        return np.sum([r.contribution() for r in self.terms], axis=0)

    def route_sum(self) -> np.ndarray:
        """(H,) sum over the routes."""
        return np.sum([r.contribution() for r in self.routes], axis=0)

    @property
    def keys(self) -> set[tuple[int, str]]:
        """(block, wire id) of every edge on any route: the wires to highlight."""
        return {k for r in self.routes for k in r.keys}


class GruGraph:
    """The GRU's computational graph over all steps, with local derivatives from a trace.

    Pure NumPy and read-only; it caches per step what it computed.

    Parameters
    ----------
    forward : a GRUForwardTrace.
    backward : its BackwardTrace (needed for errors and flows), or None.
    """

    def __init__(self, forward, backward=None):
        if getattr(forward, "kind", None) != "GRU":
            raise ValueError(f"the GRU graph needs a GRU trace, got "
                             f"{getattr(forward, 'kind', forward)}")
        self.forward = forward
        self.backward = backward
        self.T = forward.T
        self.H = forward.n_hidden
        self._values: dict[int, dict] = {}
        self._edges: dict[int, tuple[Edge, ...]] = {}
        self._errors: dict[tuple[int, bool], dict] = {}

    # -- values and local derivatives -----------------------------------------------------------
    def values(self, t: int) -> dict[str, np.ndarray]:
        """Every node's value in the block of step t (1..T).

        Returns
        -------
        name -> (n,): x (I,), out and y_hat (O,), everything else (H,).
        """
        if t in self._values:
            return self._values[t]
        self._check_step(t)
        tr, k = self.forward, t - 1
        v = {"x": tr.x[k], "h_prev": tr.h[k - 1] if t > 1 else np.zeros(self.H)}
        for name in ("r_bar", "u_bar", "n_rec", "n_bar", "r", "u", "n", "h", "out", "y_hat"):
            v[name] = getattr(tr, name)[k]  # (n,)
        with np.errstate(all="ignore"):
            v["rn"] = v["r"] * v["n_rec"]  # (H,) the reset gate on R_n h(t-1)
            v["u_c"] = 1.0 - v["u"]  # (H,)
            v["un"] = v["u_c"] * v["n"]  # (H,) the candidate's share
            v["uh"] = v["u"] * v["h_prev"]  # (H,) the old state's share (the highway)
        for a in v.values():
            a.flags.writeable = False
        self._values[t] = v
        return v

    def edges(self, t: int) -> tuple[Edge, ...]:
        """The wires of block t (1..T) with their local derivatives, in the order of WIRES."""
        if t in self._edges:
            return self._edges[t]
        v = self.values(t)
        p = self.forward.params
        one = np.ones(self.H)  # (H,)
        local = {
            "r_bar->r": v["r"] * (1.0 - v["r"]),  # (H,) sigma'
            "u_bar->u": v["u"] * (1.0 - v["u"]),  # (H,) sigma'
            "n_rec->rn": v["r"],  # (H,) d(r * n_rec)/d n_rec
            "r->rn": v["n_rec"],  # (H,) d(r * n_rec)/d r
            "rn->n_bar": one,  # (H,)
            "n_bar->n": 1.0 - v["n"] * v["n"],  # (H,) tanh'
            "u->u_c": -one,  # (H,)
            "n->un": v["u_c"],  # (H,) d((1-u) n)/dn
            "u_c->un": v["n"],  # (H,) d((1-u) n)/d(1-u)
            "h_prev->uh": v["u"],  # (H,) the highway factor
            "u->uh": v["h_prev"],  # (H,)
            "un->h": one, "uh->h": one,  # (H,) h = un + uh
            "h->out": np.asarray(p["V"]),  # (O, H)
            "h_prev->n_rec": np.asarray(p["R_n"]),  # (H, H)
        }
        for g in GATES:
            local[f"x->{g}_bar"] = np.asarray(p[f"W_{g}"])  # (H, I)
        for g in ("r", "u"):
            local[f"h_prev->{g}_bar"] = np.asarray(p[f"R_{g}"])  # (H, H)
        out = tuple(Edge(w, t, local[w.id]) for w in WIRES)
        self._edges[t] = out
        return out

    def out_edges(self, node: Node) -> list[Edge]:
        """The edges leaving ``node``: in its own block, and (for h) into the next block."""
        out = []
        if 1 <= node.step <= self.T:
            out += [e for e in self.edges(node.step)
                    if e.wire.src_offset == 0 and e.wire.src == node.name]
        if node.name == "h" and 0 <= node.step < self.T:
            out += [e for e in self.edges(node.step + 1) if e.wire.src_offset == -1]
        return out

    # -- errors -----------------------------------------------------------------------------
    def _trace_deltas(self, t: int) -> dict[str, np.ndarray]:
        d = self._need_backward().deltas
        return {name: d[name][t - 1] for name in TRACED + ("out",)}  # (n,) each

    def errors(self, t: int, *, carried: bool = False) -> dict[str, np.ndarray]:
        """The error dJ/d(node) of every node of block t (1..T).

        Traced nodes take the engine's deltas (``carried``: the part block t passes back to
        block t-1, which differs under truncated BPTT); the intermediate ones the sum of their
        terms.

        Returns
        -------
        name -> (n,) for every name of NODES except x and h_prev.
        """
        key = (t, carried)
        if key in self._errors:
            return self._errors[key]
        self._check_step(t)
        errs = dict(self.carried(t) if carried else self._trace_deltas(t))
        with np.errstate(all="ignore"):
            for name in INTERMEDIATE:  # targets before sources
                errs[name] = np.sum([e.back(errs[e.dst.name])
                                     for e in self.out_edges(Node(name, t))
                                     if e.block == t], axis=0)  # (H,)
        self._errors[key] = errs
        return errs

    def carried(self, t: int) -> dict[str, np.ndarray]:
        """The errors of block t (1..T) as the engine passes them back to block t-1.

        With truncated BPTT (k steps) the row of loss J(t + k - 1) ends at step t: its part is
        subtracted. Without truncation this is the engine's delta.

        Returns
        -------
        name -> (n,) for TRACED and "out".
        """
        full = self._trace_deltas(t)
        k = self._need_backward().truncation
        s = None if k is None else t + k - 1
        if s is None or s > self.T:
            return full
        dropped = self.source_errors(s, t)
        with np.errstate(all="ignore"):
            return {n: full[n] - dropped[n] for n in full}  # (n,) each

    def source_errors(self, s: int, lo: int) -> dict[str, np.ndarray]:
        """The errors J(s) alone causes at step ``lo`` (lo <= s), untruncated, from the terms of
        the flows step by step from s down to lo.

        Returns
        -------
        name -> (n,) for TRACED and "out" at step lo.
        """
        dout = self._need_backward().deltas["out"]
        nxt = None
        for t in range(s, lo - 1, -1):
            d_out = dout[t - 1] if t == s else np.zeros_like(dout[t - 1])  # (O,)
            nxt = self.step_deltas(t, d_out, nxt)
        return nxt

    def step_deltas(self, t: int, d_out: np.ndarray, nxt: dict | None) -> dict[str, np.ndarray]:
        """One step of the backward pass written as sums over the terms of the flows.

        Parameters
        ----------
        t : the step (1..T).
        d_out : (O,) dJ/dout(t).
        nxt : the errors of block t+1 (TRACED names) as passed back, or None for none.

        Returns
        -------
        name -> (n,) for TRACED and "out" at step t.
        """
        here: dict[str, np.ndarray] = {"out": d_out}

        def lookup(n: Node) -> np.ndarray:
            if n.step == t:
                return here[n.name]
            return np.zeros(self.H) if nxt is None else nxt[n.name]

        with np.errstate(all="ignore"):
            for name in ("h", "n_bar", "u_bar", "n_rec", "r_bar"):  # the engine's order
                terms = self._chains(Node(name, t), stop=lambda n: n.traced)
                here[name] = np.sum([_apply(c, lookup(c[-1].dst)) for c in terms],
                                    axis=0)  # (H,)
        return here

    # -- flows -------------------------------------------------------------------------------
    def node(self, name: str, t: int) -> Node:
        """The Node a drawing of block t means by ``name`` (h_prev -> h(t-1))."""
        return Node("h", t - 1) if name == "h_prev" else Node(name, t)

    def flow(self, node: Node | str, t: int | None = None) -> Flow:
        """Every route by which ``node`` (or name ``node`` in block ``t``) influences J.

        Terms stop at the first traced node; routes at out(s) or at a traced node of block
        s + 1, s the node's step. Errors at the ends: the engine's deltas in block s, the
        carried errors in block s + 1.
        """
        if isinstance(node, str):
            if node not in NODES or node in NO_FLOW:
                raise ValueError(f"no flow for {node!r}; names: "
                                 f"{', '.join(n for n in NODES if n not in NO_FLOW)}")
            node = self.node(node, t)
        if node.name not in NODES or node.name in NO_FLOW + ("h_prev",):
            raise ValueError(f"no flow for {node.name!r}")
        if not 0 <= node.step <= self.T or (node.step == 0 and node.name != "h"):
            raise ValueError(f"{node.label} is not a node of this sequence (T = {self.T})")
        s = node.step

        def route(chain):
            end = chain[-1].dst
            errs = self.errors(end.step, carried=end.step > s)
            return Route(tuple(chain), errs[end.name])

        terms = tuple(route(c) for c in self._chains(node, stop=lambda n: n.traced))
        exits = self._chains(node, stop=lambda n: n.name == "out" or (n.step > s and n.traced))
        routes = tuple(route(c) for c in exits)
        delta = None
        if node.traced and node.step >= 1:
            delta = self._trace_deltas(node.step)[node.name]
        return Flow(node, terms, routes, delta)

    def _chains(self, node: Node, stop) -> list[list[Edge]]:
        """Every chain of edges from ``node`` until a node where ``stop`` holds (depth first)."""
        out = []
        for e in self.out_edges(node):
            if stop(e.dst):
                out.append([e])
            else:
                out += [[e] + rest for rest in self._chains(e.dst, stop)]
        return out

    def wire_errors(self, t: int) -> dict[tuple[int, str], np.ndarray]:
        """The error each wire carries back around block t (1..T): for every edge of block t
        (except from x) and every edge of block t+1 leaving h(t), the error of its target
        carried back through it. Wires out of h(t-1) and those of block t+1 carry the part
        that is passed back (truncated BPTT).

        Returns
        -------
        (block, wire id) -> (n_src,).
        """
        out = {}
        with np.errstate(all="ignore"):
            for e in self.edges(t):
                if e.wire.src == "x":
                    continue  # inputs receive no error
                errs = self.errors(t, carried=e.wire.src_offset == -1)
                out[e.key] = e.back(errs[e.dst.name])  # (n_src,)
            if t < self.T:
                for e in self.edges(t + 1):
                    if e.wire.src_offset == -1:
                        errs = self.errors(t + 1, carried=True)
                        out[e.key] = e.back(errs[e.dst.name])  # (H,)
        return out

    def passed_back(self, t: int) -> np.ndarray:
        """(H,) the error block t passes to h(t-1): the sum over its wires out of h_prev."""
        errs = self.errors(t, carried=True)
        return np.sum([e.back(errs[e.dst.name]) for e in self.edges(t)
                       if e.wire.src_offset == -1], axis=0)

    # -- helpers ------------------------------------------------------------------------------
    def _check_step(self, t: int) -> None:
        if not 1 <= t <= self.T:
            raise ValueError(f"step must be in 1..{self.T}, got {t}")

    def _need_backward(self):
        if self.backward is None:
            raise ValueError("errors need the backward trace")
        return self.backward


def _apply(chain: list[Edge], error: np.ndarray) -> np.ndarray:
    v = error
    for e in reversed(chain):
        v = e.back(v)
    return v
