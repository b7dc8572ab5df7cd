"""The weight connections the unfolded view draws, one matrix at a time and never a sum.

SimpleRNN: U (x(t) -> a(t), drawn into h(t) unless the middle layer is split), W (h(t-1) -> a(t),
the recurrence) and V (h(t) -> o(t)). LSTM: one gate g at a time (z, i, f or o): W_g from x(t)
and R_g from y(t-1) into that gate, drawn to the stack the gate acts on (z, i, f change the cell
c(t); o the output y(t)), V from y(t) to out(t), and the cell highway c(t-1) -> c(t), unit by
unit (it is elementwise: c(t) = z i + c(t-1) f). Summing R_z + R_i + R_f + R_o, as Unfold once
drew, connects units that no matrix connects and can cancel real connections.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .unfolded_layout import STATE_NODE, Y_HAT, Y_OUT, Y_X, A, C, Layout, X

GATES = ("z", "i", "f", "o")
#: kind codes of edges
INPUT, RECURRENT, OUTPUT, HIGHWAY, ACTIVATION = 0, 1, 2, 3, 4
SHORTEN = 0.06  # arrows end at a node's rim, not its centre


@dataclass(frozen=True)
class Matrix:
    """One weight matrix drawn as connections: ``M[j, k]`` from unit k of ``src`` (at step t, or
    t - 1 when ``previous``) to unit j of ``dst`` at step t."""

    kind: int
    name: str
    src: int
    dst: int
    previous: bool


def matrices(kind: str, split: bool, gate: str = "z") -> list[Matrix]:
    """The matrices the view draws for a model ``kind`` (and the LSTM gate ``gate``)."""
    if kind == "SimpleRNN":
        into = A if split else STATE_NODE
        return [Matrix(INPUT, "U", X, into, False), Matrix(RECURRENT, "W", STATE_NODE, into, True),
                Matrix(OUTPUT, "V", STATE_NODE, Y_HAT, False)]
    if gate not in GATES:
        raise ValueError(f"gate must be one of {', '.join(GATES)}, got {gate!r}")
    into = STATE_NODE if gate == "o" else C
    return [Matrix(INPUT, f"W_{gate}", X, into, False),
            Matrix(RECURRENT, f"R_{gate}", STATE_NODE, into, True),
            Matrix(OUTPUT, "V", STATE_NODE, Y_HAT, False)]


def pick(params, mats: list[Matrix], keep_all: bool) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Which (j, k) of each matrix are drawn: all of them, or the 2 * max(shape) strongest.

    Returns, per matrix, (j, k) index arrays (sorted) and the matrix's size.
    """
    out = []
    for m in mats:
        M = np.asarray(params[m.name])
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
        for t in steps:
            if m.previous and t == 1:
                continue  # h(0) = 0: nothing flows in
            tt = np.full(j.size, float(t))
            a = _points(lay, m.src, tt - (1.0 if m.previous else 0.0), k)  # (n, 2)
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
