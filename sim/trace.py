"""Immutable traces: everything a forward or backward pass computed, indexed by time step.

Arrays are indexed by time along axis 0: row ``t - 1`` holds step ``t`` of the articles
(t = 1..T). Every array is read-only; a trace never changes after the engine returns it, so a view
can render (trace, cursor) any number of times and a test can compare it with anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import ClassVar

import numpy as np


def freeze(arr: np.ndarray) -> np.ndarray:
    """Mark ``arr`` read-only and return it."""
    arr.flags.writeable = False
    return arr


def freeze_dict(d: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    """A read-only mapping of read-only arrays."""
    return MappingProxyType({k: freeze(v) for k, v in d.items()})


def first_nonfinite_row(*arrays: np.ndarray) -> int | None:
    """Smallest row index at which any of ``arrays`` (each (T, ...)) holds inf or NaN, else None."""
    first = None
    for arr in arrays:
        bad = ~np.isfinite(arr.reshape(arr.shape[0], -1)).all(axis=1)  # (T,)
        if bad.any():
            row = int(np.argmax(bad))
            first = row if first is None else min(first, row)
    return first


@dataclass(frozen=True, eq=False)
class ForwardTrace:
    """What a forward pass computed. Subclasses add the model's intermediates.

    Attributes
    ----------
    x : (T, I) inputs x(t).
    y_hat : (T, O) predictions y_hat(t).
    params : read-only snapshot of the parameters the pass used (name -> array).
    output : "softmax" or "linear", the readout nonlinearity f.
    state0 : the state before step 1 (a chunk of a longer sequence starts from the state the
        previous chunk ended in): (h(0),) or (y(0), c(0)), each (H,); None for zeros.
    """

    x: np.ndarray
    y_hat: np.ndarray
    params: Mapping[str, np.ndarray]
    output: str
    #: the state the pass started from, one (H,) array per carried state, or None for zeros
    state0: tuple | None = field(default=None, kw_only=True)

    #: the name of the recurrent state drawn in the middle row: "h" (SimpleRNN) or "y" (LSTM)
    state_name = "h"
    #: the name of the readout before f: "o" (SimpleRNN) or "out" (LSTM)
    readout_name = "o"
    #: every per-step array, in the order of the equations
    array_names: ClassVar[tuple[str, ...]] = ("x", "y_hat")

    @property
    def T(self) -> int:
        """Sequence length."""
        return self.x.shape[0]

    @property
    def n_in(self) -> int:
        return self.x.shape[1]

    @property
    def n_out(self) -> int:
        return self.y_hat.shape[1]

    @property
    def n_hidden(self) -> int:
        return self.state.shape[1]

    @property
    def state(self) -> np.ndarray:
        """(T, H) the recurrent state: h(t) for a SimpleRNN, y(t) for an LSTM."""
        return getattr(self, self.state_name)

    @property
    def readout(self) -> np.ndarray:
        """(T, O) the pre-output the loss sees: o(t) (SimpleRNN) or out(t) (LSTM)."""
        return getattr(self, self.readout_name)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every per-step array of the trace by name (for export and tests)."""
        return {n: getattr(self, n) for n in self.array_names}

    @cached_property
    def first_nonfinite_step(self) -> int | None:
        """First step t (1-based) whose values are inf or NaN, or None when all are finite."""
        row = first_nonfinite_row(*self.arrays().values())
        return None if row is None else row + 1

    @property
    def finite(self) -> bool:
        return self.first_nonfinite_step is None


@dataclass(frozen=True, eq=False)
class RNNForwardTrace(ForwardTrace):
    """Forward pass of a simple RNN.

    a(t) = b + W h(t-1) + U x(t),  h = g(a),  o = c + V h,  y_hat = f(o).

    Attributes
    ----------
    a, h : (T, H) pre-activations and hidden states.
    o : (T, O) readout before f.
    activation : "tanh", "relu" or "sigmoid", the hidden nonlinearity g.
    """

    a: np.ndarray = None
    h: np.ndarray = None
    o: np.ndarray = None
    activation: str = "tanh"

    kind = "SimpleRNN"
    state_name = "h"
    readout_name = "o"
    array_names = ("x", "a", "h", "o", "y_hat")


@dataclass(frozen=True, eq=False)
class LSTMForwardTrace(ForwardTrace):
    """Forward pass of an LSTM in Greff et al.'s notation (bars are pre-activations).

    Attributes
    ----------
    z_bar, i_bar, f_bar, o_bar : (T, H) gate pre-activations.
    z, i, f, o : (T, H) block input and input, forget, output gates.
    c : (T, H) cell state c(t); c(0) = 0.
    y : (T, H) block output y(t) = o * tanh(c(t)).
    out : (T, O) readout c + V y(t) before f.
    peepholes : whether p_i, p_f, p_o are used.
    forget_gate : False when f is fixed at 1 (no forget gate).
    """

    z_bar: np.ndarray = None
    i_bar: np.ndarray = None
    f_bar: np.ndarray = None
    o_bar: np.ndarray = None
    z: np.ndarray = None
    i: np.ndarray = None
    f: np.ndarray = None
    o: np.ndarray = None
    c: np.ndarray = None
    y: np.ndarray = None
    out: np.ndarray = None
    peepholes: bool = False
    forget_gate: bool = True

    kind = "LSTM"
    state_name = "y"
    readout_name = "out"
    array_names = ("x", "z_bar", "i_bar", "f_bar", "o_bar", "z", "i", "f", "o", "c", "y", "out",
                   "y_hat")


@dataclass(frozen=True, eq=False)
class GRUForwardTrace(ForwardTrace):
    """Forward pass of a GRU (bars are pre-activations).

    Attributes
    ----------
    r_bar, u_bar, n_bar : (T, H) pre-activations of the reset gate, update gate and candidate.
    n_rec : (T, H) R_n h(t-1), the recurrent part of n_bar that r(t) scales.
    r, u, n : (T, H) reset gate, update gate, candidate n = tanh(n_bar).
    h : (T, H) hidden state h(t) = (1 - u) * n + u * h(t-1); h(0) = 0.
    out : (T, O) readout c + V h(t) before f.
    """

    r_bar: np.ndarray = None
    u_bar: np.ndarray = None
    n_rec: np.ndarray = None
    n_bar: np.ndarray = None
    r: np.ndarray = None
    u: np.ndarray = None
    n: np.ndarray = None
    h: np.ndarray = None
    out: np.ndarray = None

    kind = "GRU"
    state_name = "h"
    readout_name = "out"
    array_names = ("x", "r_bar", "u_bar", "n_rec", "n_bar", "r", "u", "n", "h", "out", "y_hat")


@dataclass(frozen=True, eq=False)
class BidirectionalForwardTrace(ForwardTrace):
    """Forward pass of a bidirectional RNN: two cells, one reading t = 1..T, one t = T..1.

    Attributes
    ----------
    fwd : name -> (T, n), the forward-direction cell's intermediates by the cell's own names
        ("a", "h" for an RNN cell; "z_bar", ..., "c", "y" for an LSTM cell; "r_bar", ..., "h"
        for a GRU cell). Row t - 1 holds step t; the state starts from zero before t = 1.
    bwd : the same for the backward-direction cell, also in time order: row t - 1 holds what it
        computed at step t, from the state at t + 1 (zero after t = T).
    h : (T, 2H) [s_fwd(t); s_bwd(t)], the two states the readout reads (s is y for an LSTM cell).
    out : (T, O) readout c + V h(t) before f.
    cell : "rnn", "lstm" or "gru".
    activation : the RNN cell's g (unused by the other cells).
    peepholes : whether the LSTM cells have peepholes.
    """

    fwd: Mapping[str, np.ndarray] = None
    bwd: Mapping[str, np.ndarray] = None
    h: np.ndarray = None
    out: np.ndarray = None
    cell: str = "rnn"
    activation: str = "tanh"
    peepholes: bool = False

    kind = "BidirectionalRNN"
    state_name = "h"
    readout_name = "out"

    @property
    def n_hidden(self) -> int:
        """H, the size of each direction's state (``h`` holds 2H)."""
        return self.h.shape[1] // 2

    @property
    def h_fwd(self) -> np.ndarray:
        """(T, H) the forward direction's state (its y for an LSTM cell)."""
        return self.h[:, : self.n_hidden]

    @property
    def h_bwd(self) -> np.ndarray:
        """(T, H) the backward direction's state (its y for an LSTM cell)."""
        return self.h[:, self.n_hidden :]

    def arrays(self) -> dict[str, np.ndarray]:
        """x, fwd.<name>, bwd.<name>, h, out, y_hat: every (T, n) array, in time order."""
        out = {"x": self.x}
        out.update({f"fwd.{k}": v for k, v in self.fwd.items()})
        out.update({f"bwd.{k}": v for k, v in self.bwd.items()})
        out.update(h=self.h, out=self.out, y_hat=self.y_hat)
        return out


@dataclass(frozen=True, eq=False)
class Seq2SeqForwardTrace(ForwardTrace):
    """Forward pass of an encoder-decoder: one time axis, the encoder's steps then the decoder's.

    Encoder step t is t = 1..T_enc; decoder step j is t = T_enc + j on the same axis. The decoder
    starts from the encoder's final state and reads, at its step 1, zeros; after that the target
    before (teacher forcing) or its own previous output (free running).

    Attributes
    ----------
    x : (T_enc, I) the encoder's inputs.
    x_dec : (T_dec, O) the decoder inputs actually fed.
    enc, dec : name -> (T_enc, n) and (T_dec, n), each cell's intermediates by the cell's own
        names (see :class:`BidirectionalForwardTrace`).
    h : (T_enc + T_dec, H) the state along the whole axis (y for an LSTM cell).
    out : (T_dec, O) readout c + V h(T_enc + j) before f, decoder steps only.
    y_hat : (T_dec, O) predictions, decoder steps only.
    teacher_forcing : whether ``x_dec`` came from the targets (True) or from y_hat (False).
    cell, activation, peepholes : as in :class:`BidirectionalForwardTrace`.

    ``arrays()`` keys encoder arrays "x", "enc.<name>" (rows t = 1..T_enc), decoder arrays
    "x_dec", "dec.<name>", "out", "y_hat" (rows j = 1..T_dec) and "h" (rows t = 1..T).
    """

    x_dec: np.ndarray = None
    enc: Mapping[str, np.ndarray] = None
    dec: Mapping[str, np.ndarray] = None
    h: np.ndarray = None
    out: np.ndarray = None
    teacher_forcing: bool = True
    cell: str = "rnn"
    activation: str = "tanh"
    peepholes: bool = False

    kind = "Seq2Seq"
    state_name = "h"
    readout_name = "out"

    @property
    def T_enc(self) -> int:
        """Encoder steps."""
        return self.x.shape[0]

    @property
    def T_dec(self) -> int:
        """Decoder steps (the steps that read out)."""
        return self.y_hat.shape[0]

    @property
    def T(self) -> int:
        """Length of the one time axis, T_enc + T_dec."""
        return self.T_enc + self.T_dec

    @property
    def h_enc(self) -> np.ndarray:
        """(T_enc, H) the encoder's states (y for an LSTM cell)."""
        return self.h[: self.T_enc]

    @property
    def h_dec(self) -> np.ndarray:
        """(T_dec, H) the decoder's states, the ones the readout reads."""
        return self.h[self.T_enc :]

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"x": self.x}
        out.update({f"enc.{k}": v for k, v in self.enc.items()})
        out["x_dec"] = self.x_dec
        out.update({f"dec.{k}": v for k, v in self.dec.items()})
        out.update(h=self.h, out=self.out, y_hat=self.y_hat)
        return out

    @cached_property
    def first_nonfinite_step(self) -> int | None:
        """First step t on the one axis (1-based; decoder step j is T_enc + j) with inf or NaN."""
        enc = first_nonfinite_row(self.x, *self.enc.values())
        if enc is not None:
            return enc + 1
        dec = first_nonfinite_row(self.x_dec, *self.dec.values(), self.out, self.y_hat)
        return None if dec is None else self.T_enc + dec + 1


@dataclass(frozen=True, eq=False)
class BackwardTrace:
    """What back-propagation through time computed for one forward trace and its targets.

    Attributes
    ----------
    loss : J = sum_t mask(t) J(t).
    losses : (T,) the masked per-step losses mask(t) J(t); (T_dec,) for a Seq2Seq, whose loss
        steps are its decoder steps j.
    grads : name -> dJ/dtheta, shaped like the parameter (truncated when ``truncation`` is set).
    deltas : name -> (T, n) per-step neuron errors. SimpleRNN: "h", "a", "o";
        LSTM: "y", "c", "z_bar", "i_bar", "f_bar", "o_bar", "out";
        GRU: "h", "r_bar", "u_bar", "n_bar", "n_rec", "out";
        BidirectionalRNN: "h" (T, 2H), "out", and each cell's errors as "fwd.<name>",
        "bwd.<name>" in time order;
        Seq2Seq: "h" (T_enc + T_dec, H) along the whole axis, "enc.<name>" (T_enc, n),
        "dec.<name>" (T_dec, n), "out" (T_dec, O) (with a fed-back linear output, the error
        reaching out(j) through x_dec(j + 1) as well as J(j)'s own).
    loss_mask : (T,) 0/1, which steps carry a loss.
    truncation : k, or None for full BPTT.
    finite : False when any value of the forward or backward pass is inf or NaN.
    first_nonfinite_step : the first step t (1-based) with a non-finite forward value; if the
        forward pass is finite, the step at which the backward pass first met one (it runs from T
        down, so that is the largest such t); None when everything is finite.
    grads_per_step : name -> (T, *shape), the articles' (dJ/dtheta)^(t): the gradient with
        respect to the copy of theta used at step t (T = T_enc + T_dec for a Seq2Seq; zero rows
        where a parameter is not used); computed on first access.
    delta_by_source : (T, T, H), [s - 1, t - 1] = dJ(s)/dh(t) (or dJ(s)/dy(t)); computed on first
        access. BidirectionalRNN: (T, T, 2H) with respect to [h_fwd(t); h_bwd(t)]; Seq2Seq:
        (T_dec, T_enc + T_dec, H), [j - 1, t - 1] = dJ(j)/dh(t) on the one axis.
    """

    loss: float
    losses: np.ndarray
    grads: Mapping[str, np.ndarray]
    deltas: Mapping[str, np.ndarray]
    loss_mask: np.ndarray
    truncation: int | None
    finite: bool
    first_nonfinite_step: int | None
    _per_step: Callable[[], dict] = field(repr=False)
    _by_source: Callable[[], np.ndarray] = field(repr=False)

    @cached_property
    def grads_per_step(self) -> Mapping[str, np.ndarray]:
        return freeze_dict(self._per_step())

    @cached_property
    def delta_by_source(self) -> np.ndarray:
        return freeze(self._by_source())

    @property
    def T(self) -> int:
        return self.losses.shape[0]

    @property
    def sources(self) -> np.ndarray:
        """(n,) the steps s (1-based; decoder steps j for a Seq2Seq) whose loss J(s) is a
        source of errors (mask 1)."""
        return np.flatnonzero(self.loss_mask) + 1
