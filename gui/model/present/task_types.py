"""The task types of the prerequisites article (section 6), each drawn from a small model of that
kind: what every panel of the Task types view draws, as numbers and words (Qt-free).

Five kinds, each the small model of one preset (clicking a panel opens it):

- many-to-one: read the whole sequence, answer once (J only at t = T);
- one-to-many: one input at t = 1, an answer at every step (the other inputs are missing);
- many-to-many: an input and an answer at every step (the losses the mask keeps);
- sequence to sequence: an encoder reads, hands its last state to a decoder that writes, feeding
  its previous output back in (its first input is missing);
- bidirectional: one state row reads left to right, another right to left, and the output at t
  hears both ("Teddy" before "bears" or "Roosevelt").

A panel runs its own preset's session (a job, :class:`PanelRun`); it follows the session's cursor
at the same fraction of its own length (:func:`moment`); :func:`scene` says, for that moment,
which boxes hold which values, which are lit (computed), missing or unread, where the losses are
and which arrows to draw.

>>> from sim.run import compute
>>> sc = scene("many-to-one", compute(panel_jobs()["many-to-one"].config), Cursor("update", 8))
>>> [int(v) for v in sc.loss]
[0, 0, 0, 0, 0, 0, 0, 1]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

import numpy as np

from sim.run import RunResult, SessionConfig, compute

from ..cursor import Cursor


@dataclass(frozen=True)
class Kind:
    """One task kind: ``key``, its ``title``, the ``preset`` whose model it draws, one sentence."""

    key: str
    title: str
    preset: str
    blurb: str


KINDS: tuple[Kind, ...] = (
    Kind("many-to-one", "many-to-one", "many-to-one",
         "Read 96 hours of weather, forecast the temperature once at the end."),
    Kind("one-to-many", "one-to-many", "one-to-many",
         "One first symbol, then a symbol at every step, like music from a first note."),
    Kind("many-to-many", "many-to-many", "simple-rnn-forward",
         "An input and an answer at every step: recall the symbol of two steps before."),
    Kind("seq2seq", "sequence to sequence", "seq2seq-reverse",
         "An encoder reads, hands its last state over; a decoder writes the sequence reversed."),
    Kind("bidirectional", "bidirectional", "bidirectional-teddy",
         "Is the word part of a name? For \u201cTeddy\u201d only the next word tells."),
)
KEYS = tuple(k.key for k in KINDS)
BY_KEY = {k.key: k for k in KINDS}

#: the words of ``next-word`` with its six symbols: word 0 is ambiguous, 1-2 are names
NEXT_WORDS = ("Teddy", "Lincoln", "Roosevelt", "like", "bears", "love")

#: arrow styles of a panel
ARROWS = ("input", "recurrent", "recurrent_back", "output", "loss", "handoff", "feedback")


@dataclass(frozen=True)
class PanelRun:
    """The run of one panel's preset: ``sim.run.compute(config)`` (a job of the job runner)."""

    kind: str
    config: SessionConfig
    cost: ClassVar[float] = 0.02

    def compute(self, progress, should_stop) -> RunResult:
        return compute(self.config)


@cache
def panel_jobs() -> dict[str, PanelRun]:
    """kind -> the job computing its preset's session (presets read once)."""
    from ..session_file import load_preset

    out = {}
    for k in KINDS:
        session = load_preset(k.preset)
        if session.params is not None:
            raise ValueError(f"preset {k.preset!r} holds weights: a panel runs seeded ones")
        out[k.key] = PanelRun(k.key, session.config)
    return out


def moment(cursor: Cursor, T_session: int, T_panel: int) -> Cursor:
    """The panel's moment at the same fraction of its frames (0..2T) as ``cursor`` of the
    session's."""
    n = 2 * T_session
    f = cursor.frame(T_session) / n if n else 0.0
    return Cursor.from_frame(int(round(f * 2 * T_panel)), T_panel)


@dataclass(frozen=True, eq=False)
class Row:
    """One row of boxes, a box per column t = 1..T.

    Attributes
    ----------
    name : "x", "h", "h_fwd", "h_bwd" or "y_hat".
    label : what the row is called on screen ("x(t)", "h→(t)", ...).
    values : (T, n) the values the cells show (NaN: no cell).
    box : (T,) "solid", "dashed" (a missing input, or an output no loss reads) or "none".
    lit : (T,) the box's values are computed at this moment (else drawn faint).
    faint : (T,) drawn faint whatever the moment (outputs no loss reads).
    vmax : the row's colour scale, +-vmax.
    """

    name: str
    label: str
    values: np.ndarray
    box: np.ndarray
    lit: np.ndarray
    faint: np.ndarray
    vmax: float


@dataclass(frozen=True, eq=False)
class PanelScene:
    """What one panel draws at one moment.

    Attributes
    ----------
    kind : the Kind's key; title : its title; caption : model, task and sizes in words;
    blurb : the kind in one sentence.
    T : columns (T_enc + T_dec for a seq2seq); T_enc : encoder columns (0 if none).
    moment : the panel's cursor.
    rows : the rows bottom to top (x, one or two states, y_hat).
    loss : (T,) 1 where a loss J is computed (the loss mask; seq2seq: decoder columns only).
    source : (T,) the index s of the loss J(s) at each column (its colour), 0 where none.
    loss_lit : (T,) the loss is computed at this moment.
    current : (row name, column) boxes outlined as being computed now.
    arrows : (style, (column, row), (column, row), lit) for every arrow.
    words : the sentence under the inputs (bidirectional), else ().
    """

    kind: str
    title: str
    caption: str
    T: int
    T_enc: int
    moment: Cursor
    rows: tuple[Row, ...]
    loss: np.ndarray
    source: np.ndarray
    loss_lit: np.ndarray
    current: tuple[tuple[str, int], ...]
    arrows: tuple[tuple[str, tuple[int, str], tuple[int, str], bool], ...]
    words: tuple[str, ...] = field(default=())
    blurb: str = ""

    def row(self, name: str) -> Row:
        return next(r for r in self.rows if r.name == name)


def _vmax(a: np.ndarray) -> float:
    a = np.abs(a[np.isfinite(a)])
    m = float(a.max()) if a.size else 1.0
    return m if m > 0 else 1.0


def _pad(a: np.ndarray, n: int) -> np.ndarray:
    """(T, n) ``a`` padded with NaN columns (no cells)."""
    out = np.full((a.shape[0], n), np.nan)
    out[:, : a.shape[1]] = a
    return out


def _steps_done(kind: str, m: Cursor, T: int) -> tuple[np.ndarray, np.ndarray]:
    """(T,) columns the forward direction has computed, and (T,) the backward direction's."""
    c = np.arange(1, T + 1)
    if m.phase != "forward":
        return np.ones(T, bool), np.ones(T, bool)
    fwd = c <= m.t
    return fwd, (c >= T + 1 - m.t) if kind == "bidirectional" else fwd


def scene(kind: str, result: RunResult, cursor: Cursor) -> PanelScene:
    """What panel ``kind`` draws of ``result`` (its preset's run) at its moment ``cursor``."""
    tr, bt = result.forward, result.backward
    T = tr.T
    m = cursor.clamp(T)
    c = result.config
    fwd_done, bwd_done = _steps_done(kind, m, T)
    none = np.zeros(T, bool)
    mask = np.asarray(bt.loss_mask, dtype=float)
    arrows: list = []
    rows: list[Row] = []
    words: tuple[str, ...] = ()
    if kind == "seq2seq":
        T_enc, T_dec = tr.T_enc, tr.T_dec
        n = max(tr.n_in, tr.n_out)
        x = np.vstack([_pad(tr.x, n), _pad(tr.x_dec, n)])  # (T, n)
        x[T_enc] = np.nan  # the decoder's first input: nothing (zeros) is fed
        x_box = np.array(["solid"] * T, dtype=object)
        x_box[T_enc] = "dashed"
        loss = np.r_[np.zeros(T_enc), mask]  # (T,)
        source = np.r_[np.zeros(T_enc, int), np.arange(1, T_dec + 1)]  # (T,) J(j)
        y = np.vstack([np.full((T_enc, tr.n_out), np.nan), tr.y_hat])  # (T, O)
        y_box = np.array(["none"] * T_enc + ["solid" if v else "dashed" for v in mask], object)
        state = np.asarray(tr.h)
        rows.append(Row("x", "x(t)", x, x_box, fwd_done.copy(), none, _vmax(x)))
        sname = "y" if c.cell == "lstm" else "h"
        rows.append(Row("h", f"{sname}(t)", state, np.array(["solid"] * T, object),
                        fwd_done.copy(), none, 1.0))
        for t in range(1, T):
            style = "handoff" if t == T_enc else "recurrent"
            arrows.append((style, (t, "h"), (t + 1, "h"), bool(fwd_done[t])))
        for t in range(1, T + 1):
            if t != T_enc + 1:
                arrows.append(("input", (t, "x"), (t, "h"), bool(fwd_done[t - 1])))
        for t in range(T_enc + 2, T + 1):  # y_hat(j - 1) fed into step j
            arrows.append(("feedback", (t - 1, "y_hat"), (t, "x"), bool(fwd_done[t - 2])))
        outputs = range(T_enc + 1, T + 1)
        state_rows = ("h",)
    else:
        T_enc = 0
        x = np.asarray(tr.x, dtype=float)
        given = np.ones(T, bool)
        if result.task.kind == "one-to-many":
            given = np.any(x != 0, axis=1)  # (T,) silent after t = 1
        x = np.where(given[:, None], x, np.nan)
        x_box = np.where(given, "solid", "dashed").astype(object)
        loss = mask
        source = np.where(mask > 0, np.arange(1, T + 1), 0)
        y = np.asarray(tr.y_hat, dtype=float)
        y_box = np.where(mask > 0, "solid", "dashed").astype(object)
        x_lit = fwd_done | bwd_done
        rows.append(Row("x", "x(t)", x, x_box, x_lit, none, _vmax(x)))
        if kind == "bidirectional":
            H = tr.n_hidden
            rows.append(Row("h_fwd", "h\u2192(t)", np.asarray(tr.h[:, :H]),
                            np.array(["solid"] * T, object), fwd_done, none, 1.0))
            rows.append(Row("h_bwd", "h\u2190(t)", np.asarray(tr.h[:, H:]),
                            np.array(["solid"] * T, object), bwd_done, none, 1.0))
            for t in range(1, T):
                arrows.append(("recurrent", (t, "h_fwd"), (t + 1, "h_fwd"), bool(fwd_done[t])))
                arrows.append(("recurrent_back", (t + 1, "h_bwd"), (t, "h_bwd"),
                               bool(bwd_done[t - 1])))
            for t in range(1, T + 1):
                arrows.append(("input", (t, "x"), (t, "h_fwd"), bool(fwd_done[t - 1])))
                arrows.append(("input", (t, "x"), (t, "h_bwd"), bool(bwd_done[t - 1])))
            state_rows = ("h_fwd", "h_bwd")
            words = _words(result)
        else:
            sname = tr.state_name
            rows.append(Row("h", f"{sname}(t)", np.asarray(tr.state),
                            np.array(["solid"] * T, object), fwd_done.copy(), none, 1.0))
            for t in range(1, T):
                arrows.append(("recurrent", (t, "h"), (t + 1, "h"), bool(fwd_done[t])))
            for t in np.flatnonzero(given) + 1:
                arrows.append(("input", (int(t), "x"), (int(t), "h"),
                               bool(fwd_done[t - 1])))
            state_rows = ("h",)
        outputs = range(1, T + 1)
    y_lit = fwd_done & bwd_done
    unread = y_box == "dashed"
    rows.append(Row("y_hat", "\u0177(t)", y, y_box, y_lit, unread, _vmax(y)))
    for t in outputs:
        for s in state_rows:
            arrows.append(("output", (t, s), (t, "y_hat"), bool(y_lit[t - 1])))
        if loss[t - 1] > 0:
            arrows.append(("loss", (t, "y_hat"), (t, "J"), bool(y_lit[t - 1])))
    current: tuple = ()
    if m.phase == "forward":
        if kind == "bidirectional":
            current = (("h_fwd", m.t), ("h_bwd", T + 1 - m.t))
        else:
            current = (("h", m.t),)
    elif m.phase == "backward":
        current = tuple((s, m.t) for s in state_rows)
    return PanelScene(kind=kind, title=BY_KEY[kind].title, caption=_caption(kind, result),
                      T=T, T_enc=T_enc, moment=m, rows=tuple(rows), loss=loss.astype(int),
                      source=source.astype(int), loss_lit=(loss > 0) & y_lit, current=current,
                      arrows=tuple(arrows), words=words, blurb=BY_KEY[kind].blurb)


def _words(result: RunResult) -> tuple[str, ...]:
    """The sentence of a ``next-word`` sample, one word per step."""
    ids = np.argmax(result.sample.xs, axis=1)  # (T,)
    n = result.sample.xs.shape[1]
    vocab = NEXT_WORDS if n == len(NEXT_WORDS) else tuple(f"w{k}" for k in range(n))
    return tuple(vocab[int(i)] for i in ids)


def _caption(kind: str, result: RunResult) -> str:
    c = result.config
    model = c.model if c.model not in ("Seq2Seq", "BidirectionalRNN") else \
        f"{c.model} ({c.cell.upper() if c.cell != 'rnn' else 'RNN'} cells)"
    if kind == "seq2seq":
        tr = result.forward
        size = f"{tr.T_enc} + {tr.T_dec} steps"
    else:
        size = f"T = {result.T}"
    return f"{model} on {c.task}, {size}"


def sentence(words: tuple[str, ...]) -> str:
    """The words of a bidirectional panel as one quoted sentence."""
    return "\u201c" + " ".join(words) + "\u201d"
