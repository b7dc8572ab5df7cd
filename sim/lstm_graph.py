"""The flows of variables in an LSTM block: every chain-rule route by which a neuron reaches J.

The articles ("LSTM back propagation: following the flows of variables") compute each error of the
LSTM backward pass by following the purple arrows: a variable influences J along several routes
through the block, each route is a chain of local derivatives, and the error is the sum over routes
of (product of local derivatives) x (the error waiting at the route's end). This module spells that
graph out so the views can draw it and the tests can check it against the engine
(:meth:`sim.lstm.LSTM._sweep`):

    delta_y(t)     = V^T delta_out(t) + R_z^T delta_z_bar(t+1) + R_i^T delta_i_bar(t+1)
                     + R_f^T delta_f_bar(t+1) + R_o^T delta_o_bar(t+1)
    delta_o_bar(t) = delta_y(t) * tanh(c(t)) * o(t)(1 - o(t))
    delta_c(t)     = delta_y(t) * o(t)(1 - tanh^2 c(t)) + p_o * delta_o_bar(t)
                     + delta_c(t+1) * f(t+1) + p_i * delta_i_bar(t+1) + p_f * delta_f_bar(t+1)
    delta_f_bar(t) = delta_c(t) * c(t-1) * f(t)(1 - f(t))
    delta_i_bar(t) = delta_c(t) * z(t) * i(t)(1 - i(t))
    delta_z_bar(t) = delta_c(t) * i(t) * (1 - z(t)^2)

(peephole terms only when the model has peepholes; the t+1 terms only for t < T).

The graph of one block (step t) has the nodes of the equations plus the three intermediate
products the circuit drawing shows: ``zi`` = z * i (the on-ramp), ``cf`` = c(t-1) * f (the highway
after the forget gate) and ``tanh_c`` = tanh(c(t)). Its wires (:data:`WIRES`) each carry one local
derivative; a wire whose source is ``y_prev`` or ``c_prev`` reads the previous step's y or c, so the
wires of block t+1 are how y(t) and c(t) leave block t.

Data structure (all frozen):

- :class:`Wire`: a connection of the block drawing, independent of t (id, source, target, symbol).
- :class:`Node`: a variable at a step, e.g. ``Node("c", 4)`` is c(4); y(t-1) is ``Node("y", t-1)``.
- :class:`Edge`: a wire in the block of step ``block`` with its local derivative d dst / d src
  there: an (H,) vector for elementwise wires (Hadamard products), a matrix (n_dst, n_src) for
  R_* and V.
- :class:`Route`: a chain of edges from a variable to a node whose error is known, plus that error
  (``incoming``); :meth:`Route.contribution` applies the chain backwards.
- :class:`Flow`: for one variable, ``terms`` (the terms of its equation above: each route ends at
  the first node whose error the engine records) and ``routes`` (the same expanded until they leave
  the variable's block: at J(t) through out(t), or at an error of block t+1), with the engine's
  delta. Both sums equal the engine's delta.

Truncated BPTT: the engine keeps one error row per loss J(s) and drops J(s)'s row k steps back.
What block t+1 passes back to block t is then its error minus the part from the source that is
dropped on the way (:meth:`BlockGraph.carried`); routes that end in block t+1 carry that part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

GATES = ("z", "i", "f", "o")
GATE_BARS = ("z_bar", "i_bar", "f_bar", "o_bar")
#: nodes whose errors the engine's BackwardTrace records (besides "out", where J(t) injects)
TRACED = ("y", "c", "z_bar", "i_bar", "f_bar", "o_bar")
#: the nodes of one block in the order of the equations; y_prev, c_prev are y(t-1), c(t-1)
NODES = ("x", "y_prev", "c_prev", "z_bar", "z", "i_bar", "i", "f_bar", "f", "zi", "cf", "c",
         "o_bar", "o", "tanh_c", "y", "out")
#: variables whose flow the views offer (selection.flow), in the order of the backward pass
FLOW_NAMES = ("y", "o_bar", "c", "f_bar", "i_bar", "z_bar", "c_prev", "y_prev")


@dataclass(frozen=True)
class Wire:
    """A connection of the LSTM block drawing.

    Attributes
    ----------
    id : "src->dst", e.g. "c_prev->cf" (the highway through the forget gate).
    src : source node name within the block ("y_prev", "c_prev" read step t-1).
    dst : target node name (always at the block's own step t).
    symbol : the local derivative d dst / d src in the articles' notation, t = the block's step.
    kind : "input" (W_*), "recurrent" (R_*), "peephole" (p_*), "cell" (the highway and the
        on-ramp), "gate" (activation functions and gate products) or "output" (V).
    """

    id: str
    src: str
    dst: str
    symbol: str
    kind: str

    @property
    def src_offset(self) -> int:
        """-1 when the source is the previous step's y or c, else 0."""
        return -1 if self.src in ("y_prev", "c_prev") else 0

    @property
    def src_name(self) -> str:
        """The source's variable name (y_prev -> y, c_prev -> c)."""
        return {"y_prev": "y", "c_prev": "c"}.get(self.src, self.src)

    @property
    def peephole(self) -> bool:
        return self.kind == "peephole"


def _w(src, dst, symbol, kind):
    return Wire(f"{src}->{dst}", src, dst, symbol, kind)


#: every wire of one block, in the order of the equations
WIRES: tuple[Wire, ...] = (
    _w("x", "z_bar", "W_z", "input"), _w("y_prev", "z_bar", "R_z", "recurrent"),
    _w("z_bar", "z", "1 − z(t)²", "gate"),
    _w("x", "i_bar", "W_i", "input"), _w("y_prev", "i_bar", "R_i", "recurrent"),
    _w("c_prev", "i_bar", "p_i", "peephole"), _w("i_bar", "i", "i(t)(1 − i(t))", "gate"),
    _w("x", "f_bar", "W_f", "input"), _w("y_prev", "f_bar", "R_f", "recurrent"),
    _w("c_prev", "f_bar", "p_f", "peephole"), _w("f_bar", "f", "f(t)(1 − f(t))", "gate"),
    _w("z", "zi", "i(t)", "cell"), _w("i", "zi", "z(t)", "gate"),
    _w("c_prev", "cf", "f(t)", "cell"), _w("f", "cf", "c(t−1)", "gate"),
    _w("zi", "c", "1", "cell"), _w("cf", "c", "1", "cell"),
    _w("x", "o_bar", "W_o", "input"), _w("y_prev", "o_bar", "R_o", "recurrent"),
    _w("c", "o_bar", "p_o", "peephole"), _w("o_bar", "o", "o(t)(1 − o(t))", "gate"),
    _w("c", "tanh_c", "1 − tanh²c(t)", "cell"), _w("tanh_c", "y", "o(t)", "cell"),
    _w("o", "y", "tanh c(t)", "gate"),
    _w("y", "out", "V", "output"),
)
WIRE = {w.id: w for w in WIRES}


@dataclass(frozen=True, order=True)
class Node:
    """A variable at a step: Node("c", 4) is c(4). Steps are 1-based; step 0 holds the initial
    state y(0) = c(0) = 0."""

    name: str
    step: int

    def __str__(self) -> str:
        return f"{self.name}({self.step})"  # the engine's name; the articles' is the GUI's

    @property
    def traced(self) -> bool:
        """Whether the engine's BackwardTrace records this node's error."""
        return self.name in TRACED or self.name == "out"


@dataclass(frozen=True, eq=False)
class Edge:
    """A wire in the block of step ``block`` with its local derivative there.

    Attributes
    ----------
    wire : the block wire.
    block : the step t of the block the wire belongs to.
    local : d dst / d src: (H,) for elementwise wires, (n_dst, n_src) for R_* and V.
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
        """The error ``error`` (n_dst,) at dst carried back to src: local * error or local^T error.

        Returns
        -------
        (n_src,); for a batch ``error`` (B, n_dst), (B, n_src).
        """
        if self.elementwise:
            return self.local * error  # (H,) Hadamard: unit k only talks to unit k
        if error.ndim == 2:  # (B, n_dst): a batch of errors, one per row
            return error @ self.local  # (B, n_src)
        return self.local.T @ error  # (n_src,) R^T delta or V^T delta_out

    def __repr__(self) -> str:
        return f"Edge({self.src} -> {self.dst}: {self.wire.symbol})"


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
        """The (block, wire id) of every edge."""
        return tuple(e.key for e in self.edges)

    @property
    def wire_ids(self) -> tuple[str, ...]:
        return tuple(e.wire.id for e in self.edges)

    def contribution(self) -> np.ndarray:
        """The route's term of the start's error: the chain applied from the end backwards.

        Returns
        -------
        (H,) for a hidden-state start (one value per unit k).
        """
        v = self.incoming  # (n_end,)
        for e in reversed(self.edges):
            v = e.back(v)  # (n_src,)
        return v

    def factor(self) -> np.ndarray:
        """(H,) the product of the local derivatives, per unit k (elementwise routes only)."""
        if not all(e.elementwise for e in self.edges):
            raise ValueError("a route through R or V has no per-unit factor; use contribution()")
        out = np.ones_like(self.edges[0].local)  # (H,)
        for e in self.edges:
            out = out * e.local  # (H,)
        return out

    def __repr__(self) -> str:
        path = " → ".join(map(str, self.nodes))
        return f"Route({path})"


@dataclass(frozen=True, eq=False)
class Flow:
    """Every route by which ``node`` influences J.

    Attributes
    ----------
    node : the variable followed.
    terms : the terms of its error equation: routes that stop at the first node whose error the
        engine records (y(t), o_bar(t), c(t), out(t) or an error of block t+1).
    routes : all routes until they leave the node's block: into out(t) (J(t)'s error) or into
        block t+1 (its c and gate errors). The articles' purple arrows.
    delta : (H,) the engine's error of ``node`` (BackwardTrace.deltas), or None when the engine
        records none (intermediate nodes, the initial state at step 0).
    """

    node: Node
    terms: tuple[Route, ...]
    routes: tuple[Route, ...]
    delta: np.ndarray | None = field(repr=False)

    def term_sum(self) -> np.ndarray:
        """(H,) sum over the terms."""
        return _sum(self.terms, self.node)

    def route_sum(self) -> np.ndarray:
        """(H,) sum over the routes."""
        return _sum(self.routes, self.node)

    @property
    def keys(self) -> set[tuple[int, str]]:
        """(block, wire id) of every edge on any route: the wires to highlight."""
        return {k for r in self.routes for k in r.keys}


def _sum(routes, node) -> np.ndarray:
    if not routes:
        return np.zeros(0)
    return np.sum([r.contribution() for r in routes], axis=0)  # (H,)


class BlockGraph:
    """The LSTM's computational graph over all steps, with local derivatives from a trace.

    Pure NumPy and read-only: it caches what it computed per step (values, edges, errors and
    carried errors), nothing else.

    Parameters
    ----------
    forward : an LSTMForwardTrace.
    backward : its BackwardTrace (needed for errors, flows and carried errors), or None.
    """

    def __init__(self, forward, backward=None):
        if getattr(forward, "kind", None) != "LSTM":
            raise ValueError(f"flows need an LSTM trace, got {getattr(forward, 'kind', forward)}")
        self.forward = forward
        self.backward = backward
        self.T = forward.T
        self.H = forward.n_hidden
        self.peepholes = bool(forward.peepholes)
        self.wires = tuple(w for w in WIRES if self.peepholes or not w.peephole)
        self._values: dict[int, dict] = {}
        self._edges: dict[int, tuple[Edge, ...]] = {}
        self._errors: dict[tuple[int, bool], dict] = {}
        self._carried: dict[int, dict] = {}

    # -- values and local derivatives -----------------------------------------------------------
    def values(self, t: int) -> dict[str, np.ndarray]:
        """Every node's value in the block of step t (1..T), as the forward pass computed it.

        Returns
        -------
        name -> (n,): x (I,), out and y_hat (O,), everything else (H,).
        """
        if t in self._values:
            return self._values[t]
        self._check_step(t)
        tr, r = self.forward, t - 1
        zeros = np.zeros(self.H)  # (H,) y(0) = c(0) = 0
        v = {"x": tr.x[r], "y_prev": tr.y[r - 1] if t > 1 else zeros,
             "c_prev": tr.c[r - 1] if t > 1 else zeros}
        for name in GATE_BARS + GATES + ("c", "y", "out", "y_hat"):
            v[name] = getattr(tr, name)[r]  # (n,)
        with np.errstate(all="ignore"):
            v["zi"] = v["z"] * v["i"]  # (H,) the on-ramp z(t) * i(t)
            v["cf"] = v["c_prev"] * v["f"]  # (H,) the highway after the forget gate
            v["tanh_c"] = np.tanh(v["c"])  # (H,) what the output gate scales
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
        with np.errstate(all="ignore"):
            local = {
                "z_bar->z": 1.0 - v["z"] * v["z"],  # (H,) tanh'
                "i_bar->i": v["i"] * (1.0 - v["i"]),  # (H,) sigma'
                "f_bar->f": v["f"] * (1.0 - v["f"]),  # (H,) sigma'
                "o_bar->o": v["o"] * (1.0 - v["o"]),  # (H,) sigma'
                "z->zi": v["i"],  # (H,) d(z*i)/dz
                "i->zi": v["z"],  # (H,) d(z*i)/di
                "c_prev->cf": v["f"],  # (H,) d(c(t-1)*f)/dc(t-1): the highway factor
                "f->cf": v["c_prev"],  # (H,) d(c(t-1)*f)/df
                "zi->c": one,  # (H,) c = zi + cf
                "cf->c": one,  # (H,)
                "c->tanh_c": 1.0 - v["tanh_c"] * v["tanh_c"],  # (H,) tanh'
                "tanh_c->y": v["o"],  # (H,) d(o*tanh c)/d tanh c
                "o->y": v["tanh_c"],  # (H,) d(o*tanh c)/do
                "y->out": np.asarray(p["V"]),  # (O, H) out = c + V y
            }
        for g in GATES:
            local[f"x->{g}_bar"] = np.asarray(p[f"W_{g}"])  # (H, I)
            local[f"y_prev->{g}_bar"] = np.asarray(p[f"R_{g}"])  # (H, H)
        if self.peepholes:
            local["c_prev->i_bar"] = np.asarray(p["p_i"])  # (H,)
            local["c_prev->f_bar"] = np.asarray(p["p_f"])  # (H,)
            local["c->o_bar"] = np.asarray(p["p_o"])  # (H,)
        out = tuple(Edge(w, t, local[w.id]) for w in self.wires)
        self._edges[t] = out
        return out

    def out_edges(self, node: Node) -> list[Edge]:
        """The edges leaving ``node``: in its own block, and (for y, c) into the next block."""
        out = []
        if 1 <= node.step <= self.T:
            out += [e for e in self.edges(node.step)
                    if e.wire.src_offset == 0 and e.wire.src == node.name]
        if node.name in ("y", "c") and 0 <= node.step < self.T:
            out += [e for e in self.edges(node.step + 1)
                    if e.wire.src_offset == -1 and e.wire.src_name == node.name]
        return out

    # -- errors -----------------------------------------------------------------------------
    def _traced(self, node: Node, carried: bool) -> np.ndarray:
        """The engine's error of a traced node (or the part of it passed back, ``carried``)."""
        if not 1 <= node.step <= self.T:
            return np.zeros(self.H)
        errs = self.carried(node.step) if carried else self._trace_deltas(node.step)
        return errs[node.name]

    def _trace_deltas(self, t: int) -> dict[str, np.ndarray]:
        d = self._need_backward().deltas
        return {name: d[name][t - 1] for name in TRACED + ("out",)}  # (n,) each

    def errors(self, t: int, *, carried: bool = False) -> dict[str, np.ndarray]:
        """The error dJ/d(node) of every node of block t (1..T).

        Traced nodes take the engine's deltas; the intermediate ones (z, i, f, o, zi, cf, tanh_c)
        the sum of their terms. ``carried``: the part that block t passes back to block t-1
        (differs from the full error only under truncated BPTT).

        Returns
        -------
        name -> (n,) for every name of NODES except x, y_prev and c_prev.
        """
        key = (t, carried)
        if key in self._errors:
            return self._errors[key]
        self._check_step(t)
        base = self.carried(t) if carried else self._trace_deltas(t)
        errs = dict(base)

        def lookup(n: Node) -> np.ndarray:
            return errs[n.name]

        with np.errstate(all="ignore"):
            for name in ("tanh_c", "o", "zi", "cf", "z", "i", "f"):  # dst before src
                errs[name] = np.sum([e.back(lookup(e.dst)) for e in self.out_edges(Node(name, t))],
                                    axis=0)  # (H,)
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
        if t not in self._carried:
            self._check_step(t)
            k = self._need_backward().truncation
            if k is None or t + k - 1 > self.T:
                self._carried[t] = self._trace_deltas(t)
            else:
                self._carried.update(self._carried_all(k))
        return self._carried[t]

    def _carried_all(self, k: int) -> dict[int, dict[str, np.ndarray]]:
        """carried(t) for every t whose dropped source J(t + k - 1) exists, in one sweep.

        Every source J(s) is followed from s down to s - k + 1 together with the other live
        sources (a batch of error rows), so the sweep costs T batched steps instead of T * k
        single ones (:meth:`source_errors` per t).
        """
        dout = self._need_backward().deltas["out"]  # (T, O)
        out: dict[int, dict[str, np.ndarray]] = {}
        prev: dict[str, np.ndarray] | None = None  # rows: sources t+1, t+2, ... at step t+1
        for t in range(self.T, 0, -1):
            n = min(self.T, t + k - 1) - t + 1  # live sources t .. min(T, t+k-1), row i = t+i
            d_out = np.zeros((n, dout.shape[1]))  # (n, O)
            d_out[0] = dout[t - 1]  # J(t) joins; the others only pass errors back
            nxt = None
            if prev is not None:
                nxt = {name: np.concatenate([np.zeros((1,) + e.shape[1:]), e[:n - 1]])
                       for name, e in prev.items()}  # (n, H): source t+k ended at step t+1
            here = self.step_deltas(t, d_out, nxt)
            s = t + k - 1
            if s <= self.T:
                full = self._trace_deltas(t)
                with np.errstate(all="ignore"):
                    out[t] = {name: full[name] - here[name][s - t] for name in full}  # (n,)
            prev = here
        return out

    def source_errors(self, s: int, lo: int) -> dict[str, np.ndarray]:
        """The errors that J(s) alone causes at step ``lo`` (lo <= s), untruncated, computed by
        summing the terms of the flows step by step from s down to lo.

        Returns
        -------
        name -> (n,) for TRACED and "out" at step lo.
        """
        dout = self._need_backward().deltas["out"]
        nxt: dict[str, np.ndarray] | None = None
        for t in range(s, lo - 1, -1):
            d_out = dout[t - 1] if t == s else np.zeros_like(dout[t - 1])  # (O,)
            nxt = self.step_deltas(t, d_out, nxt)
        return nxt

    def step_deltas(self, t: int, d_out: np.ndarray, nxt: dict | None) -> dict[str, np.ndarray]:
        """One step of the backward pass written as sums over the terms of the flows.

        Parameters
        ----------
        t : the step (1..T).
        d_out : (O,) dJ/dout(t), or (B, O) for a batch of B backward passes at once.
        nxt : the errors of block t+1 (TRACED names) as passed back ((n,) or (B, n) each), or
            None for none.

        Returns
        -------
        name -> (n,) (or (B, n)) for TRACED and "out" at step t.
        """
        here: dict[str, np.ndarray] = {"out": d_out}

        def lookup(n: Node) -> np.ndarray:
            if n.step == t:
                return here[n.name]
            return np.zeros(self.H) if nxt is None else nxt[n.name]

        with np.errstate(all="ignore"):
            for name in ("y", "o_bar", "c", "f_bar", "i_bar", "z_bar"):  # the articles' order
                terms = self._chains(Node(name, t), stop=lambda n: n.traced)
                here[name] = np.sum([_apply(chain, lookup(chain[-1].dst)) for chain in terms],
                                    axis=0)  # (H,)
        return here

    # -- flows -------------------------------------------------------------------------------
    def node(self, name: str, t: int) -> Node:
        """The Node a drawing of block t means by ``name`` (y_prev, c_prev -> step t-1)."""
        if name in ("y_prev", "c_prev"):
            return Node(name[0], t - 1)
        return Node(name, t)

    def flow(self, node: Node | str, t: int | None = None) -> Flow:
        """Every route by which ``node`` (or name ``node`` in block ``t``) influences J.

        Terms stop at the first traced node; routes stop at out(s) or at a traced node of block
        s + 1, where s is the node's step. Errors at the ends: the engine's deltas in block s,
        the carried errors in block s + 1.
        """
        if isinstance(node, str):
            node = self.node(node, t)
        if node.name not in NODES or node.name in ("x", "y_prev", "c_prev", "out"):
            raise ValueError(f"no flow for {node.name!r}; names: {', '.join(NODES[3:-1])}")
        if not 0 <= node.step <= self.T or (node.step == 0 and node.name not in ("y", "c")):
            raise ValueError(f"{node} is not a node of this sequence (T = {self.T})")
        s = node.step

        def incoming(end: Node) -> np.ndarray:
            if end.step == s:
                return self.errors(s)[end.name]
            return self._traced(end, carried=True)

        def route(chain):
            return Route(tuple(chain), incoming(chain[-1].dst))

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
        """The error each wire carries back in the backward pass, around block t (1..T).

        For every edge of block t and every edge of block t+1 leaving y(t) or c(t): the error of
        its target carried back through it (local derivative applied), i.e. its term in the
        source's error. Targets in block t take the full error, except on wires out of y(t-1),
        c(t-1) (they pass the carried part back, as do the wires of block t+1).

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
