"""The colour of every neuron of the unfolded view at a cursor, as a level of the diverging map.

Forward: values (the state on [-1, 1]; x, a, c and ŷ on their own symmetric scales); backward:
errors (delta of the state, of a and c, of the readout) on one scale per kind of error;
update: the values. Steps not reached yet are "not lit" (drawn faint), inputs receive no error.
"""

from __future__ import annotations

import numpy as np

from ..palette import finite_max, signed_index
from .unfolded_layout import STATE_NODE, Y_HAT, A, C, Layout, X


def active_steps(T: int, cursor) -> tuple[np.ndarray, np.ndarray]:
    """(T,) bool: the steps computed so far, and the step being computed now."""
    t = np.arange(1, T + 1)
    if cursor.phase == "forward":
        return t <= cursor.t, t == cursor.t
    if cursor.phase == "backward":
        return t >= cursor.t, t == cursor.t
    return np.ones(T, bool), np.zeros(T, bool)


def layer_arrays(result, backward: bool) -> dict:
    """layer code -> ((T, n) values or errors, their colour scale)."""
    tr, bt = result.forward, result.backward
    if backward:
        st = tr.state_name
        out = {STATE_NODE: (bt.deltas[st], finite_max(bt.deltas[st])),
               Y_HAT: (bt.deltas[tr.readout_name], finite_max(bt.deltas[st]))}
        if tr.kind == "SimpleRNN":
            out[A] = (bt.deltas["a"], finite_max(bt.deltas["a"]))
        else:
            out[C] = (bt.deltas["c"], finite_max(bt.deltas["c"]))
        out[X] = (tr.x, finite_max(tr.x))
        return out
    out = {X: (tr.x, finite_max(tr.x)), STATE_NODE: (tr.state, 1.0),
           Y_HAT: (tr.y_hat, finite_max(tr.y_hat))}
    if tr.kind == "SimpleRNN":
        out[A] = (tr.a, finite_max(tr.a))
    else:
        out[C] = (tr.c, finite_max(tr.c))
    return out


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
    step = table[:, 1].astype(int) - 1
    unit = table[:, 2].astype(int)
    backward = cursor.phase == "backward"
    level = np.full(len(table), -1, dtype=np.int64)
    for c, (arr, vmax) in layer_arrays(result, backward).items():
        sel = code == c
        level[sel] = signed_index(np.asarray(arr)[step[sel], unit[sel]], vmax)
    active, _ = active_steps(lay.T, cursor)
    lit = active[step].copy()
    if backward:
        lit[code == X] = False  # inputs receive no error
    return level, lit


def stack_image_levels(result, cursor, lay: Layout, code: int) -> tuple[np.ndarray, np.ndarray]:
    """(T, H) colour levels of one state stack and (T,) which of its steps are lit (for stacks
    drawn as images)."""
    arr, vmax = layer_arrays(result, cursor.phase == "backward")[code]
    active, _ = active_steps(lay.T, cursor)
    return signed_index(np.asarray(arr), vmax), active
