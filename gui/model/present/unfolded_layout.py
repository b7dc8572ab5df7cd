"""Where the unfolded view puts things: one column per time step, in data coordinates (x = t).

Bottom to top in column t: the inputs x(t) in a row, the recurrent state as a stack of units
(a SimpleRNN's h(t), optionally beside its pre-activation a(t); an LSTM's cell state c(t), the
highway, below its block output y(t)), the band where errors travel back (one lane per loss J(s),
a band of its own, so no lane sits on a unit's row), the outputs ŷ(t) in a row, and J(t) on top.
Each state stack has an outline: the column h(t) as a whole, where error arrows end.

Pure geometry of sizes (kind, T, I, H, O, split): the views look values up in the trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# vertical layout (data units)
Y_X = 0.5
Y_OUT, Y_J = 8.0, 9.15
BAND = (6.05, 7.4)  # the error lanes
STATE = {"rnn": (1.5, 5.6), "lstm-y": (3.5, 5.6), "lstm-c": (1.35, 2.85),
         "bi-fwd": (3.75, 5.6), "bi-bwd": (1.5, 3.35)}
ROW_HALF = 0.3  # half width of the x and ŷ rows within a column
BOX_PAD = 0.22  # the outline's margin around a stack
SPLIT = 0.17  # horizontal offset of a(t) and h(t) when the middle layer is split
#: layer codes of the node table: a bidirectional model's backward-direction state is BWD, a
#: seq2seq decoder's input (the output or target of the step before) is XDEC
X, STATE_NODE, Y_HAT, J, A, C, BWD, XDEC = 0, 1, 2, 3, 4, 5, 6, 7
LAYER_NAMES = {X: "x", STATE_NODE: "state", Y_HAT: "y_hat", J: "J", A: "a", C: "c",
               BWD: "state (backward direction)", XDEC: "decoder input"}
#: beyond these sizes stacks are drawn as cell images (T >= LARGE_LENGTH, H > LARGE_HIDDEN)
LARGE_HIDDEN, LARGE_LENGTH = 16, 40
#: draw every connection only while there are at most this many (else the strongest)
MAX_EDGES = 6000
#: at and beyond this length the unfolded view is an overview (arrows into the cursor's column,
#: and a heat map of every error norm)
OVERVIEW_LENGTH = 40
MAX_LANES = 16


def _spread(n: int, lo: float, hi: float) -> np.ndarray:
    """(n,) unit positions from top (hi) to bottom (lo); one unit sits in the middle."""
    return np.full(n, (lo + hi) / 2) if n == 1 else np.linspace(hi, lo, n)


def _row(n: int) -> np.ndarray:
    """(n,) offsets of a row of n nodes within a column."""
    return np.zeros(n) if n == 1 else np.linspace(-ROW_HALF, ROW_HALF, n)


@dataclass(frozen=True, eq=False)
class Layout:
    """The geometry of one unfolded picture.

    Attributes
    ----------
    kind : the model's kind; T, I, H, O : sizes (T the whole time axis: a seq2seq model's
        encoder and decoder steps).
    split : the SimpleRNN's middle layer drawn as a(t) beside h(t) = g(a(t)).
    t_enc : a seq2seq model's encoder steps (0 for the others): columns 1..t_enc read x(t), the
        decoder's columns t_enc + 1..T read the step before's output (XDEC) and carry ŷ and J.
    bi : a bidirectional model: the state column holds h→(t) (STATE_NODE) above h←(t) (BWD).
    nodes : (N, 5) rows (layer code, t, k, x, y), layer codes X, STATE_NODE, Y_HAT, J, A, C.
    stacks : layer code -> (x offset within the column, (H,) unit y positions) of each stack.
    boxes : (T, 4) outline of each column's state stack: x0, y0, x1, y1.
    cell_boxes : (T, 4) outline of the LSTM's c(t) stack (or None).
    lanes : (n_lanes,) y of the error lanes in the band; bundle : sources per lane.
    large : stacks drawn as images (H or T beyond LARGE_*).
    all_edges : every connection is drawn (else the strongest of each matrix).
    overview : T >= OVERVIEW_LENGTH: arrows into the cursor's column only, and a heat map.
    x_range, y_range : the view's extent.
    """

    kind: str
    T: int
    I: int  # noqa: E741 - the articles' name for the input size
    H: int
    O: int  # noqa: E741
    split: bool
    t_enc: int
    bi: bool
    nodes: np.ndarray
    stacks: dict
    boxes: np.ndarray
    cell_boxes: np.ndarray | None
    lanes: np.ndarray
    bundle: int
    large: bool
    all_edges: bool
    overview: bool
    x_offsets: np.ndarray
    out_offsets: np.ndarray

    @property
    def state_code(self) -> int:
        return STATE_NODE

    @property
    def x_range(self) -> tuple[float, float]:
        return 0.45, self.T + 0.55

    @property
    def y_range(self) -> tuple[float, float]:
        return 0.0, Y_J + 0.45

    @property
    def source_cols(self) -> int:
        """The column offset of loss J(j): a seq2seq loss j sits at column t_enc + j."""
        return self.t_enc

    def lane_of(self, s_idx: np.ndarray) -> np.ndarray:
        """(n,) y of the lane of the losses at 0-based columns ``s_idx``."""
        return self.lanes[(np.asarray(s_idx) - self.t_enc) // self.bundle]

    def stack_x(self, code: int, t: np.ndarray) -> np.ndarray:
        """x of stack ``code`` in the columns t (1-based)."""
        return np.asarray(t, dtype=float) + self.stacks[code][0]


@lru_cache(maxsize=16)
def layout(kind: str, T: int, I: int, H: int, O: int, split: bool = False,  # noqa: E741
           t_enc: int = 0) -> Layout:
    """The geometry for these sizes (cached: it depends on nothing else)."""
    split = bool(split) and kind == "SimpleRNN"
    bi = kind == "BidirectionalRNN"
    large = H > LARGE_HIDDEN or T >= LARGE_LENGTH
    t = np.arange(1, T + 1, dtype=float)
    stacks = {}
    if kind == "LSTM":
        stacks[STATE_NODE] = (0.0, _spread(H, *STATE["lstm-y"]))
        stacks[C] = (0.0, _spread(H, *STATE["lstm-c"]))
    elif bi:
        stacks[STATE_NODE] = (0.0, _spread(H, *STATE["bi-fwd"]))
        stacks[BWD] = (0.0, _spread(H, *STATE["bi-bwd"]))
    elif split:
        stacks[A] = (-SPLIT, _spread(H, *STATE["rnn"]))
        stacks[STATE_NODE] = (SPLIT, _spread(H, *STATE["rnn"]))
    else:
        stacks[STATE_NODE] = (0.0, _spread(H, *STATE["rnn"]))
    x_off, out_off = _row(I), _row(O)
    enc = np.arange(1, T + 1) <= t_enc  # (T,) the encoder's columns (none but in seq2seq)
    rows = [(X, I, x_off, np.full(I, Y_X), t[enc] if t_enc else t)]
    if t_enc:
        rows.append((XDEC, O, out_off, np.full(O, Y_X), t[~enc]))
    rows += [(code, H, np.full(H, dx), ys, t) for code, (dx, ys) in stacks.items()]
    out_cols = t[~enc] if t_enc else t
    rows += [(Y_HAT, O, out_off, np.full(O, Y_OUT), out_cols),
             (J, 1, np.zeros(1), np.full(1, Y_J), out_cols)]
    parts = []
    for code, n, xs, ys, cols in rows:
        tt, kk = np.meshgrid(cols, np.arange(n), indexing="ij")  # (columns, n)
        parts.append(np.stack([np.full(tt.size, code), tt.ravel(), kk.ravel(),
                               (tt + xs[None]).ravel(),
                               np.broadcast_to(ys[None], tt.shape).ravel()], axis=1))
    nodes = np.concatenate(parts)  # (N, 5)
    half = (SPLIT + 0.12 if split else 0.12) + (0.0 if large else 0.04)
    lo, hi = STATE["lstm-y"] if kind == "LSTM" else STATE["rnn"]
    boxes = np.stack([t - half, np.full(T, lo - BOX_PAD), t + half, np.full(T, hi + BOX_PAD)],
                     axis=1)  # (T, 4)
    cell_boxes = None
    if kind == "LSTM":
        clo, chi = STATE["lstm-c"]
        cell_boxes = np.stack([t - half, np.full(T, clo - BOX_PAD), t + half,
                               np.full(T, chi + BOX_PAD)], axis=1)  # (T, 4)
    overview = T >= OVERVIEW_LENGTH
    n_sources = T - t_enc
    bundle = 1 if n_sources <= MAX_LANES or not overview else int(np.ceil(n_sources / MAX_LANES))
    n_lanes = int(np.ceil(n_sources / bundle))
    lanes = (np.linspace(BAND[0], BAND[1], n_lanes) if n_lanes > 1
             else np.array([(BAND[0] + BAND[1]) / 2]))
    n_edges = T * (I * H + H * H + H * O)
    return Layout(kind=kind, T=T, I=I, H=H, O=O, split=split, t_enc=t_enc, bi=bi, nodes=nodes,
                  stacks=stacks, boxes=boxes, cell_boxes=cell_boxes, lanes=lanes, bundle=bundle,
                  large=large, all_edges=not large and n_edges <= MAX_EDGES, overview=overview,
                  x_offsets=x_off, out_offsets=out_off)


def layout_for(trace, split: bool = False) -> Layout:
    """The layout of a forward trace's sizes."""
    t_enc = trace.T_enc if trace.kind == "Seq2Seq" else 0
    return layout(trace.kind, trace.T, trace.n_in, trace.n_hidden, trace.n_out, bool(split),
                  t_enc)


def error_segments(lay: Layout, s_idx: np.ndarray, t_idx: np.ndarray,
                   offset: np.ndarray | None = None) -> np.ndarray:
    """(n, 2, 2) the arrows of errors from J(s) reaching h(t) (0-based s_idx, t_idx).

    t == s: the loss J(s) sends its error down into the column h(s): from J(s) to the top of
    h(s)'s outline. t < s: the error travels back along J(s)'s lane, from the outline of h(t+1)
    to the outline of h(t). ``offset`` (n,) shifts each arrow up or down (data units), so that
    arrows of several gradient steps along one lane stay apart.
    """
    s_idx, t_idx = np.asarray(s_idx), np.asarray(t_idx)
    lane = lay.lane_of(s_idx) + (0.0 if offset is None else np.asarray(offset))
    segs = np.empty((len(s_idx), 2, 2))
    own = s_idx == t_idx
    top = lay.boxes[:, 3]  # (T,)
    x_own = s_idx[own] + 1.0 + (0.0 if offset is None else np.asarray(offset)[own] * 0.6)
    segs[own, 0] = np.stack([x_own, np.full(own.sum(), Y_J - 0.3)], axis=1)
    segs[own, 1] = np.stack([x_own, top[s_idx[own]]], axis=1)
    back = ~own
    left, right = lay.boxes[:, 0], lay.boxes[:, 2]  # (T,)
    segs[back, 0] = np.stack([left[t_idx[back] + 1], lane[back]], axis=1)
    segs[back, 1] = np.stack([right[t_idx[back]], lane[back]], axis=1)
    return segs


def gradient_step_arrows(norms: np.ndarray, loss_mask: np.ndarray, steps, t: int):
    """The errors each per-step gradient (dJ/dtheta)^(k) needs, as far as they have come at
    backward step ``t`` (the article's colouring: "in order to calculate a gradient in a colored
    frame, you need all the errors in the same color").

    The gradient at step k uses delta h(k) = sum over s >= k of dJ(s)/dh(k); each of those
    errors travels from J(s) back through h(s), ..., h(k). So step k needs every arrow (s, j)
    with k <= j <= s and a non-zero error (truncation and masks drop the rest).

    Parameters
    ----------
    norms : (T, T) ||dJ(s)/dh(j)|| at [s-1, j-1].
    loss_mask : (T,) which J(s) exist.
    steps : the gradient steps k (1-based) to show.
    t : the backward cursor (1-based): only errors that reached steps >= t exist yet.

    Returns
    -------
    list of (k, s_idx, j_idx, norm) per step k: 0-based sources and steps, (n,) each.
    """
    out = []
    s_all, j_all = np.nonzero((norms != 0) | ~np.isfinite(norms))  # (m,), (m,)
    alive = (s_all >= j_all) & (loss_mask[s_all] == 1) & (j_all + 1 >= t)
    for k in steps:
        keep = alive & (j_all + 1 >= k)
        s_idx, j_idx = s_all[keep], j_all[keep]
        out.append((int(k), s_idx, j_idx, norms[s_idx, j_idx]))
    return out


def article_steps(T: int, cursor) -> tuple[int, ...]:
    """The gradient steps the article's figure colours: the first, the one being computed, the
    last (its 0, t and tau, in Unfold's 1..T)."""
    mid = cursor.t if cursor.phase == "backward" else (T + 1) // 2
    return tuple(dict.fromkeys((1, mid, T)))


def overview_arrows(norms: np.ndarray, loss_mask: np.ndarray, t: int, bundle: int,
                    first: int = 0):
    """A long sequence's errors at backward step ``t``, one arrow per lane: every loss whose
    error reaches h(t) drawn as one arrow along its lane from where it entered to h(t), as wide
    as it arrives there (a lane of ``bundle`` losses carries their errors together, the square
    root of the summed squares). Plus each J(s), s >= t, entering its column.

    Returns
    -------
    lane_s : (n,) 0-based first source of each lane's bundle (its colour).
    start : (n,) 0-based column the arrow starts from (the latest source of the bundle that
        reaches h(t)).
    norm : (n,) the bundle's error arriving at h(t).
    own : (m,) 0-based sources s >= t - 1 that carry a loss, and own_norm (m,) ||dJ(s)/dh(s)||.
    """
    T = norms.shape[0]
    k = t - 1
    col = norms[:, k]  # (T,) ||dJ(s)/dh(t)|| for every source
    reach = ((col != 0) | ~np.isfinite(col)) & (np.arange(T) > k) & (loss_mask == 1)
    src = np.flatnonzero(reach)  # (r,) sources s > t that reach h(t)
    lanes = (src - first) // bundle
    lane_s, start, norm = [], [], []
    for lane in np.unique(lanes):
        members = src[lanes == lane]
        lane_s.append(lane * bundle + first)
        start.append(members.max())
        with np.errstate(all="ignore"):
            norm.append(float(np.sqrt(np.sum(col[members] ** 2))))
    own = np.flatnonzero((np.arange(T) >= k) & (loss_mask == 1))
    own = own[(norms[own, own] != 0) | ~np.isfinite(norms[own, own])]
    return (np.array(lane_s, dtype=int), np.array(start, dtype=int), np.array(norm),
            own, norms[own, own])


def long_segments(lay: Layout, lane_s: np.ndarray, start: np.ndarray, t: int,
                  offset: float = 0.0) -> np.ndarray:
    """(n, 2, 2) lane arrows from the column ``start`` (0-based) back to h(t) (1-based t)."""
    y = lay.lane_of(lane_s) + offset
    x0 = lay.boxes[start, 0]  # (n,) left edge of the column the error entered
    x1 = np.full(len(start), lay.boxes[t - 1, 2])
    return np.stack([np.stack([x0, y], axis=1), np.stack([x1, y], axis=1)], axis=1)
