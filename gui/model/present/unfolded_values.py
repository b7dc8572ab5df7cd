"""The colour of every neuron of the unfolded view at a cursor, as a level of the diverging map.

Forward: values (the state on [-1, 1]; x, a, c and ŷ on their own symmetric scales); backward:
errors (delta of the state, of a and c, of the readout) on one scale per kind of error;
update: the values. Steps not reached yet are "not lit" (drawn faint), inputs receive no error.
"""

from __future__ import annotations

import numpy as np

from ..palette import finite_max, signed_index
from .unfolded_layout import BWD, STATE_NODE, XDEC, Y_HAT, A, C, J, Layout, X


def layer_arrays(result, backward: bool) -> dict:
    """layer code -> ((n_rows, n) values or errors, their colour scale, the first column - 1
    of the rows): row r of the array belongs to column r + 1 + offset."""
    tr, bt = result.forward, result.backward
    kind = tr.kind
    t_enc = tr.T_enc if kind == "Seq2Seq" else 0
    out = {X: (tr.x, finite_max(tr.x), 0)}
    if kind == "BidirectionalRNN":
        H = tr.h_fwd.shape[1]
        if backward:
            d = np.asarray(bt.deltas["h"])  # (T, 2H) [delta h_fwd; delta h_bwd]
            vmax = finite_max(d)
            out[STATE_NODE] = (d[:, :H], vmax, 0)
            out[BWD] = (d[:, H:], vmax, 0)
        else:
            out[STATE_NODE] = (tr.h_fwd, 1.0, 0)
            out[BWD] = (tr.h_bwd, 1.0, 0)
    else:
        st = np.asarray(bt.deltas["h" if kind in ("GRU", "Seq2Seq") else tr.state_name]
                        if backward else tr.state)
        out[STATE_NODE] = (st, finite_max(st) if backward else 1.0, 0)
    readout = np.asarray(bt.deltas[tr.readout_name]) if backward else np.asarray(tr.y_hat)
    scale = out[STATE_NODE][1] if backward else finite_max(tr.y_hat)
    out[Y_HAT] = (readout, scale, t_enc)
    if kind == "Seq2Seq":
        out[XDEC] = (tr.x_dec, finite_max(tr.x_dec), t_enc)
    if kind == "SimpleRNN":
        a = np.asarray(bt.deltas["a"]) if backward else np.asarray(tr.a)
        out[A] = (a, finite_max(a), 0)
    elif kind == "LSTM":
        c = np.asarray(bt.deltas["c"]) if backward else np.asarray(tr.c)
        out[C] = (c, finite_max(c), 0)
    return out


def active_steps(T: int, cursor, *, bwd_direction: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(T,) bool: the steps computed so far, and the step being computed now.

    ``bwd_direction``: for a bidirectional model's backward-direction cell, which runs T..1
    forward and 1..T backward (its steps are mirrored).
    """
    t = np.arange(1, T + 1)
    if bwd_direction:
        t = T + 1 - t
    if cursor.phase == "forward":
        return t <= cursor.t, t == cursor.t
    if cursor.phase == "backward":
        return t >= cursor.t, t == cursor.t
    return np.ones(T, bool), np.zeros(T, bool)


def node_levels(result, cursor, lay: Layout) -> tuple[np.ndarray, np.ndarray]:
    """Colour levels of every node of ``lay.nodes`` at ``cursor``.

    Returns
    -------
    level : (N,) int, 0..255 on the diverging map, 256 for non-finite (J nodes: -1).
    lit : (N,) bool, whether the node's step has been computed (and, backward, whether it
        receives an error: inputs do not).
    """
    table = lay.nodes
    code = table[:, 0].astype(int)
    col = table[:, 1].astype(int) - 1
    unit = table[:, 2].astype(int)
    backward = cursor.phase == "backward"
    level = np.full(len(table), -1, dtype=np.int64)
    for c, (arr, vmax, offset) in layer_arrays(result, backward).items():
        sel = code == c
        level[sel] = signed_index(np.asarray(arr)[col[sel] - offset, unit[sel]], vmax)
    active, _ = active_steps(lay.T, cursor)
    lit = active[col].copy()
    if lay.bi:
        mirrored, _ = active_steps(lay.T, cursor, bwd_direction=True)
        lit[code == BWD] = mirrored[col[code == BWD]]
        # a loss has sent its error once either direction's pass has reached it
        both = (code == J) | (code == Y_HAT)
        lit[both] |= mirrored[col[both]]
    if backward:
        lit[(code == X) | (code == XDEC)] = False  # inputs receive no error
    return level, lit


def stack_image_levels(result, cursor, lay: Layout, code: int) -> tuple[np.ndarray, np.ndarray]:
    """(T, H) colour levels of one state stack and (T,) which of its steps are lit (for stacks
    drawn as images)."""
    arr, vmax, _ = layer_arrays(result, cursor.phase == "backward")[code]
    active, _ = active_steps(lay.T, cursor, bwd_direction=code == BWD)
    return signed_index(np.asarray(arr), vmax), active
