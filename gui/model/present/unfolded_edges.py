"""The weight connections the unfolded view draws, one matrix at a time and never a sum.

SimpleRNN: U (x(t) -> a(t), drawn into h(t) unless the middle layer is split), W (h(t-1) -> a(t),
the recurrence) and V (h(t) -> o(t)). LSTM: one gate g at a time (z, i, f or o): W_g from x(t)
and R_g from y(t-1) into that gate, drawn to the stack the gate acts on (z, i, f change the cell
c(t); o the output y(t)), V from y(t) to out(t), and the cell highway c(t-1) -> c(t), unit by
unit (it is elementwise: c(t) = z i + c(t-1) f). Summing R_z + R_i + R_f + R_o, as Unfold once
drew, connects units that no matrix connects and can cancel real connections. A GRU: one of
W_r, W_u, W_n and R_r, R_u, R_n. A bidirectional model: each direction's matrices (the backward
direction's recurrence runs from t + 1 to t) and the two halves of V. A seq2seq model: the
encoder's matrices over its steps, the decoder's over its own (its first step reads the
encoder's last state), V on the decoder's steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .unfolded_layout import BWD, STATE_NODE, XDEC, Y_HAT, Y_OUT, Y_X, A, C, Layout, X

#: the gates of each cell kind whose matrices the view can show (a simple RNN cell has U and W)
GATES = {"rnn": (), "lstm": ("z", "i", "f", "o"), "gru": ("r", "u", "n")}
#: kind codes of edges
INPUT, RECURRENT, OUTPUT, HIGHWAY, ACTIVATION = 0, 1, 2, 3, 4
SHORTEN = 0.06  # arrows end at a node's rim, not its centre


@dataclass(frozen=True)
class Matrix:
    """One weight matrix drawn as connections: ``M[j, k]`` (or ``M[j, part][k]``) from unit k
    of ``src`` at step t + ``offset`` to unit j of ``dst`` at step t, for t in first..last.

    offset : 0 within the step, -1 from the step before (the recurrence), +1 from the step
        after (a bidirectional model's backward-direction recurrence).
    part : the columns of the matrix this drawing uses (a bidirectional readout V reads
        [h_fwd; h_bwd]: its first H columns from one stack, the rest from the other).
    """

    kind: int
    name: str
    src: int
    dst: int
    offset: int = 0
    first: int = 1
    last: int = 0  # 0: the last step
    part: tuple | None = None

    @property
    def previous(self) -> bool:
        return self.offset == -1

    def array(self, arrays):
        """The (part of the) matrix in ``arrays`` (params or gradients)."""
        M = np.asarray(arrays[self.name])
        return M if self.part is None else M[:, self.part[0]:self.part[1]]


def cell_kind(trace) -> str:
    """The kind of cell a trace's model is made of: "rnn", "lstm" or "gru"."""
    return {"SimpleRNN": "rnn", "LSTM": "lstm", "GRU": "gru"}.get(trace.kind) or trace.cell


def gate_for(cell: str, gate: str) -> str | None:
    """``gate`` if the cell has it, else the cell's first gate (None for a simple RNN cell)."""
    gates = GATES[cell]
    if not gates:
        return None
    return gate if gate in gates else gates[0]


def _cell_names(cell: str, gate: str | None, prefix: str = "") -> tuple[str, str]:
    if cell == "rnn":
        return prefix + "U", prefix + "W"
    return f"{prefix}W_{gate}", f"{prefix}R_{gate}"


def matrices(lay, cell: str, gate: str = "z") -> list[Matrix]:
    """The matrices the view draws for the layout's model (one gate of an LSTM or GRU cell)."""
    gate = gate_for(cell, gate)
    T = lay.T
    if lay.kind == "BidirectionalRNN":
        H = lay.H
        fi, fr = _cell_names(cell, gate, "fwd.")
        bi_, br = _cell_names(cell, gate, "bwd.")
        return [Matrix(INPUT, fi, X, STATE_NODE), Matrix(RECURRENT, fr, STATE_NODE, STATE_NODE, -1,
                                                         first=2),
                Matrix(INPUT, bi_, X, BWD), Matrix(RECURRENT, br, BWD, BWD, +1, last=T - 1),
                Matrix(OUTPUT, "V", STATE_NODE, Y_HAT, part=(0, H)),
                Matrix(OUTPUT, "V", BWD, Y_HAT, part=(H, 2 * H))]
    if lay.kind == "Seq2Seq":
        te = lay.t_enc
        ei, er = _cell_names(cell, gate, "enc.")
        di, dr = _cell_names(cell, gate, "dec.")
        return [Matrix(INPUT, ei, X, STATE_NODE, last=te),
                Matrix(RECURRENT, er, STATE_NODE, STATE_NODE, -1, first=2, last=te),
                Matrix(INPUT, di, XDEC, STATE_NODE, first=te + 1),
                Matrix(RECURRENT, dr, STATE_NODE, STATE_NODE, -1, first=te + 1),
                Matrix(OUTPUT, "V", STATE_NODE, Y_HAT, first=te + 1)]
    if lay.kind == "SimpleRNN":
        into = A if lay.split else STATE_NODE
        return [Matrix(INPUT, "U", X, into), Matrix(RECURRENT, "W", STATE_NODE, into, -1, first=2),
                Matrix(OUTPUT, "V", STATE_NODE, Y_HAT)]
    into = C if lay.kind == "LSTM" and gate != "o" else STATE_NODE
    wi, wr = _cell_names(cell, gate)
    return [Matrix(INPUT, wi, X, into), Matrix(RECURRENT, wr, STATE_NODE, into, -1, first=2),
            Matrix(OUTPUT, "V", STATE_NODE, Y_HAT)]


def pick(params, mats: list[Matrix], keep_all: bool) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Which (j, k) of each matrix are drawn: all of them, or the 2 * max(shape) strongest.

    Returns, per matrix, (j, k) index arrays (sorted) and the matrix's size.
    """
    out = []
    for m in mats:
        M = m.array(params)
        n = M.size
        keep = n if keep_all else min(n, 2 * max(M.shape))
        with np.errstate(invalid="ignore"):
            mag = np.nan_to_num(np.abs(M).ravel(), nan=np.inf)  # (n,)
        order = np.sort(np.argsort(-mag, kind="stable")[:keep])
        j, k = np.unravel_index(order, M.shape)
        out.append((j, k, n))
    return out


def _points(lay: Layout, code: int, t: np.ndarray, units: np.ndarray) -> np.ndarray:
    """(n, 2) positions of units ``units`` of layer ``code`` in columns ``t``."""
    if code == X:
        return np.stack([t + lay.x_offsets[units], np.full(units.size, Y_X)], axis=1)
    if code == XDEC:
        return np.stack([t + lay.out_offsets[units], np.full(units.size, Y_X)], axis=1)
    if code == Y_HAT:
        return np.stack([t + lay.out_offsets[units], np.full(units.size, Y_OUT)], axis=1)
    dx, ys = lay.stacks[code]
    return np.stack([t + dx, ys[units]], axis=1)


def segments(lay: Layout, mats: list[Matrix], picks, steps=None):
    """Segments of the picked connections in columns ``steps`` (1-based; default all).

    Returns
    -------
    segs : (n, 2, 2) [[x0, y0], [x1, y1]], shortened to end at the nodes' rims.
    meta : (n, 4) int rows (matrix index, t, j, k).
    """
    steps = range(1, lay.T + 1) if steps is None else steps
    segs, meta = [], []
    for mi, (m, (j, k, _)) in enumerate(zip(mats, picks, strict=True)):
        last = m.last or lay.T
        for t in steps:
            if not m.first <= t <= last:
                continue  # before the first step nothing flows in (the state starts at zero)
            tt = np.full(j.size, float(t))
            a = _points(lay, m.src, tt + m.offset, k)  # (n, 2)
            b = _points(lay, m.dst, tt, j)  # (n, 2)
            d = b - a
            segs.append(np.stack([a + SHORTEN * d, b - SHORTEN * d], axis=1))
            meta.append(np.stack([np.full(j.size, mi), np.full(j.size, t), j, k], axis=1))
    if not segs:
        return np.zeros((0, 2, 2)), np.zeros((0, 4), dtype=int)
    return np.concatenate(segs), np.concatenate(meta).astype(int)


def highway_segments(lay: Layout) -> np.ndarray:
    """(n, 2, 2) the LSTM's cell highway: c_k(t-1) -> c_k(t) for every unit k and t >= 2."""
    if C not in lay.stacks or lay.T < 2:
        return np.zeros((0, 2, 2))
    dx, ys = lay.stacks[C]
    t = np.arange(2, lay.T + 1, dtype=float)  # (T - 1,)
    tt, yy = np.meshgrid(t, ys, indexing="ij")  # (T - 1, H)
    a = np.stack([tt - 1 + dx + 0.12, yy], axis=-1).reshape(-1, 2)  # (n, 2)
    b = np.stack([tt + dx - 0.12, yy], axis=-1).reshape(-1, 2)  # (n, 2)
    return np.stack([a, b], axis=1)


def activation_segments(lay: Layout) -> np.ndarray:
    """(n, 2, 2) a_k(t) -> h_k(t) = g(a_k(t)) when the middle layer is split, else none."""
    if A not in lay.stacks:
        return np.zeros((0, 2, 2))
    (da, ys), (dh, _) = lay.stacks[A], lay.stacks[STATE_NODE]
    t = np.arange(1, lay.T + 1, dtype=float)
    tt, yy = np.meshgrid(t, ys, indexing="ij")  # (T, H)
    a = np.stack([tt + da + 0.05, yy], axis=-1).reshape(-1, 2)
    b = np.stack([tt + dh - 0.05, yy], axis=-1).reshape(-1, 2)
    return np.stack([a, b], axis=1)
