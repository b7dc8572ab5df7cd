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
    """

    x: np.ndarray
    y_hat: np.ndarray
    params: Mapping[str, np.ndarray]
    output: str

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

    kind = "LSTM"
    state_name = "y"
    readout_name = "out"
    array_names = ("x", "z_bar", "i_bar", "f_bar", "o_bar", "z", "i", "f", "o", "c", "y", "out",
                   "y_hat")


@dataclass(frozen=True, eq=False)
class BackwardTrace:
    """What back-propagation through time computed for one forward trace and its targets.

    Attributes
    ----------
    loss : J = sum_t mask(t) J(t).
    losses : (T,) the masked per-step losses mask(t) J(t).
    grads : name -> dJ/dtheta, shaped like the parameter (truncated when ``truncation`` is set).
    deltas : name -> (T, n) per-step neuron errors. SimpleRNN: "h", "a", "o";
        LSTM: "y", "c", "z_bar", "i_bar", "f_bar", "o_bar", "out".
    loss_mask : (T,) 0/1, which steps carry a loss.
    truncation : k, or None for full BPTT.
    finite : False when any value of the forward or backward pass is inf or NaN.
    first_nonfinite_step : the first step t (1-based) with a non-finite forward value; if the
        forward pass is finite, the step at which the backward pass first met one (it runs from T
        down, so that is the largest such t); None when everything is finite.
    grads_per_step : name -> (T, *shape), the articles' (dJ/dtheta)^(t); computed on first access.
    delta_by_source : (T, T, H), [s - 1, t - 1] = dJ(s)/dh(t) (or dJ(s)/dy(t)); computed on first
        access.
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
        """(n,) the steps s (1-based) whose loss J(s) is a source of errors (mask 1)."""
        return np.flatnonzero(self.loss_mask) + 1
