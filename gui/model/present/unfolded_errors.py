"""The errors of every model kind, as the unfolded view draws them.

Errors travel back in time along the recurrence. A bidirectional model's backward-direction cell
reads T..1, so its errors travel the other way, forward in time: the error of J(s) reaches
h←(t) for t >= s. A seq2seq model's losses sit on the decoder's steps, columns t_enc + 1..T, and
their errors travel back through the decoder into the encoder. Everything here maps those cases
onto one square picture: ``norms[s, t]`` with s and t columns, so one set of drawing rules
(arrows along lanes, mirrored for the forward-in-time direction) serves all models.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class ErrorPicture:
    """The error norms of one result, on the columns of the unfolded view.

    Attributes
    ----------
    back : (T, T) [s, t] = ||dJ(s)/dstate(t)|| of the errors travelling back in time (the whole
        state; a bidirectional model's forward-direction half h→), s and t 0-based columns.
    forward_in_time : (T, T) the same for a bidirectional model's h← (t >= s), else None.
    own : (T,) ||dJ(s)/dstate(s)|| over the whole state (the error a loss sends into its column).
    mask : (T,) 1 at the columns whose loss exists.
    first_source : the column of the first loss (a seq2seq decoder's first step), 0-based.
    """

    back: np.ndarray
    forward_in_time: np.ndarray | None
    own: np.ndarray
    mask: np.ndarray
    first_source: int


def error_picture(result) -> ErrorPicture:
    """The :class:`ErrorPicture` of a run's result (any model kind)."""
    tr, bt = result.forward, result.backward
    T = tr.T
    mask = np.zeros(T)
    if tr.kind == "Seq2Seq":
        t_enc = tr.T_enc
        back = np.zeros((T, T))
        back[t_enc:] = result.error_norms  # (T_dec, T) rows at the decoder's columns
        mask[t_enc:] = bt.loss_mask
        own = np.zeros(T)
        own[t_enc:] = result.error_norms[np.arange(tr.T_dec), t_enc + np.arange(tr.T_dec)]
        return ErrorPicture(back, None, own, mask, t_enc)
    mask[:] = bt.loss_mask
    own = np.diagonal(result.error_norms).copy()  # (T,) over the whole state
    if tr.kind == "BidirectionalRNN":
        D = np.asarray(bt.delta_by_source)  # (T, T, 2H)
        H = D.shape[2] // 2
        with np.errstate(all="ignore"):
            back = np.linalg.norm(D[:, :, :H], axis=2)  # (T, T) into h→(t), t <= s
            fwd = np.linalg.norm(D[:, :, H:], axis=2)  # (T, T) into h←(t), t >= s
        return ErrorPicture(back, fwd, own, mask, 0)
    return ErrorPicture(np.asarray(result.error_norms), None, own, mask, 0)


def mirrored(arrows_fn, norms: np.ndarray, mask: np.ndarray, t: int, *args):
    """Run an arrow picker made for errors travelling back in time on errors travelling forward
    (a bidirectional model's h←): reverse time, pick, map the columns back.

    ``arrows_fn(norms, mask, t, *args)`` returns (s, k, norm); the result has s and k mapped
    back to the original columns. The cursor t stays: the backward-direction cell's BPTT runs
    1..T, so at backward moment t it has reached columns 1..T + 1 - t, which are the mirrored
    columns t..T, exactly what the picker keeps for t.
    """
    T = norms.shape[0]
    s, k, m = arrows_fn(norms[::-1, ::-1], mask[::-1], t, *args)
    return T - 1 - s, T - 1 - k, m


def forward_segments(lay, s_idx: np.ndarray, t_idx: np.ndarray) -> np.ndarray:
    """(n, 2, 2) arrows of errors travelling forward in time along J(s)'s lane: from the
    outline of h←(t-1) to the outline of h←(t) (0-based s_idx, t_idx, t > s)."""
    y = lay.lane_of(s_idx)
    x0 = lay.boxes[t_idx - 1, 2]  # (n,) right edge of the column before
    x1 = lay.boxes[t_idx, 0]  # (n,) left edge of the column reached
    return np.stack([np.stack([x0, y], axis=1), np.stack([x1, y], axis=1)], axis=1)
