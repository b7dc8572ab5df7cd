"""What every recurrent cell shares: chains run in lockstep, and the rows of the backward sweep.

A cell is one recurrence without a readout: the simple RNN's h(t) = g(b + W h(t-1) + U x(t)), the
LSTM block, the GRU. A model runs D independent chains of one cell kind side by side (D = 2 for
the two directions of a bidirectional RNN, D = 1 otherwise), so every NumPy call serves all of
them: parameters are stacked as (D, ...), per-step arrays as (D, T, n), each chain's in its own
processing order.

The backward sweep goes from a chain's last step to its first. With ``per_source`` it carries one
error row per loss source s that still reaches step t (:class:`Sources` says which), which gives
delta_by_source and truncated BPTT in the same sweep; otherwise a single row carrying their sum.
Each cell gives the local backward of one step (:meth:`Cell._back`) and how its errors reach the
step before (:meth:`Cell._carry`); the bookkeeping of rows lives here, once.

Inside the loops a single chain drops its axis (:func:`lone`, :func:`by_step`): NumPy's calls on
plain vectors cost less, and ``...`` indexing reads either shape. Rows are then (rows, n) for one
chain and (D, rows, n) for several.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Sources:
    """Which loss sources each error row belongs to, on one time axis of ``n_steps`` steps.

    Steps and sources are 0-based indices on that axis. Sources are the steps ``first ..
    n_steps - 1`` (``first`` > 0 for a seq2seq model, whose losses are on the decoder only).

    Attributes
    ----------
    n_steps : length of the time axis.
    first : the first step that can carry a loss.
    truncation : k, or None: the error from J(s) reaches back to step t only if s - t < k.
    per_source : one row per source (True), or one row for their sum (False).
    """

    n_steps: int
    first: int = 0
    truncation: int | None = None
    per_source: bool = False

    @property
    def n(self) -> int:
        """Number of sources: the rows of delta_by_source."""
        return self.n_steps - self.first

    def rows(self, t: int) -> tuple[int, int]:
        """``(lo, hi)``: rows alive at step ``t`` are sources ``first + lo .. first + hi - 1``."""
        if not self.per_source:
            return 0, 1
        lo = max(t, self.first)  # a source s reaches back to t <= s only
        hi = self.n_steps if self.truncation is None else min(self.n_steps, t + self.truncation)
        return lo - self.first, max(lo, hi) - self.first

    def windows(self, offset: int, n: int) -> list[tuple[int, int]]:
        """:meth:`rows` of the steps ``offset .. offset + n - 1``."""
        if not self.per_source:
            return [(0, 1)] * n
        t = np.arange(offset, offset + n)  # (n,) the steps
        lo = np.maximum(t, self.first)  # (n,) as in rows(), for all steps at once
        hi = np.minimum(self.n_steps, t + (self.n_steps if self.truncation is None
                                           else self.truncation))  # (n,)
        hi = np.maximum(lo, hi)  # (n,)
        return list(zip((lo - self.first).tolist(), (hi - self.first).tolist(), strict=True))


def chains(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """The arrays of D chains as one (D, ...) array; a single chain is a view of its array."""
    return arrays[0][None] if len(arrays) == 1 else np.stack(arrays)


def lone(arr: np.ndarray) -> np.ndarray:
    """(D, ...) as the loops use it: a single chain drops its axis."""
    return arr[0] if arr.shape[0] == 1 else arr


def steps(D: int, T: int, n: int, fill: float | None = None) -> np.ndarray:
    """A new (D, T, n) array stored step by step, so that each step's (D, n) is contiguous."""
    buf = np.empty((T, D, n)) if fill is None else np.full((T, D, n), fill)  # (T, D, n)
    return buf.swapaxes(0, 1)  # (D, T, n) view


def frozen(arr: np.ndarray) -> np.ndarray:
    """Mark a :func:`steps` array and the buffer under it read-only; return it."""
    if isinstance(arr.base, np.ndarray):
        arr.base.flags.writeable = False
    arr.flags.writeable = False
    return arr


def as_steps(arr: np.ndarray) -> np.ndarray:
    """(D, T, n) stored step by step (a copy when there are several chains)."""
    return arr if arr.shape[0] == 1 else np.ascontiguousarray(arr.swapaxes(0, 1)).swapaxes(0, 1)


def by_step(arr: np.ndarray) -> np.ndarray:
    """(D, T, n) indexed by step first: ``[t]`` is (n,) for a single chain, (D, n) for several.

    A view: writing into it writes into ``arr``.
    """
    return arr[0] if arr.shape[0] == 1 else arr.swapaxes(0, 1)


def rowwise(arr: np.ndarray) -> np.ndarray:
    """(D, n) shaped to multiply rows: (n,) for a single chain, (D, 1, n) for several."""
    return arr[0] if arr.shape[0] == 1 else arr[:, None]


def rowwise_by_step(arr: np.ndarray) -> np.ndarray:
    """(D, T, n) so that ``[t]`` multiplies the rows of step t: (n,) or (D, 1, n)."""
    return arr[0] if arr.shape[0] == 1 else by_step(as_steps(arr))[:, :, None]


def matvec(M: np.ndarray, v: np.ndarray) -> np.ndarray:
    """M v for each chain: (n, m) @ (m,) -> (n,), or (D, n, m) @ (D, m) -> (D, n)."""
    return M @ v if v.ndim == 1 else (M @ v[..., None])[..., 0]


def row_sum(a: np.ndarray) -> np.ndarray:
    """([D,] rows, n) -> ([D,] n) summed over the rows; a single row is its own sum (plus 0.0, as
    NumPy's sum gives, so that -0.0 reads 0.0 either way)."""
    return a[..., 0, :] + 0.0 if a.shape[-2] == 1 else a.sum(axis=-2)


def shifted(arr: np.ndarray, first: np.ndarray | None) -> np.ndarray:
    """(D, T, H) ``arr`` one step later: row t holds arr(t-1), row 0 holds ``first`` (or 0)."""
    prev = np.empty_like(arr)  # (D, T, H)
    prev[:, 0] = 0.0 if first is None else first  # (D, H) the state before step 1
    prev[:, 1:] = arr[:, :-1]  # (D, T-1, H)
    return prev


class Cell(ABC):
    """Base of :class:`sim.rnn.RNNCell`, :class:`sim.lstm.LSTMCell` and :class:`sim.gru.GRUCell`.

    Parameters
    ----------
    n_in, n_hidden : input size I and hidden size H.

    Class attributes a cell defines
    -------------------------------
    kind : "rnn", "lstm" or "gru".
    state_name : the state a readout reads, "h" or "y".
    state_names : the states carried from step to step: ("h",) or ("y", "c").
    array_names : the per-step arrays :meth:`forward` returns.
    delta_names : the per-step errors :meth:`sweep` returns.
    input_weights : the stacked parameter that multiplies x(t) ("U" or "W").
    """

    kind = "cell"
    state_name = "h"
    state_names: tuple[str, ...] = ("h",)
    array_names: tuple[str, ...] = ()
    delta_names: tuple[str, ...] = ()
    input_weights = "W"

    def __init__(self, n_in: int, n_hidden: int):
        self.n_in = n_in
        self.n_hidden = n_hidden

    # -- to be provided by the cell ---------------------------------------------------------
    @abstractmethod
    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """Name -> shape of every parameter of one chain."""

    @abstractmethod
    def init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Fresh parameters of one chain, drawn from ``rng``."""

    @abstractmethod
    def stack(self, ps: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
        """The parameters of D chains (``ps``, one mapping each) as the (D, ...) arrays the math
        uses ("W", "R", "b", ...)."""

    @abstractmethod
    def forward(self, P: dict, xs: np.ndarray, state0: tuple | None = None) -> dict:
        """Run D chains over their inputs.

        Parameters
        ----------
        P : :meth:`stack`-ed parameters.
        xs : (D, T, I) inputs x(1..T), each chain's in its processing order.
        state0 : tuple of (D, H), the states before step 1 (None: zeros).

        Returns
        -------
        name -> (D, T, n) read-only per-step arrays (:attr:`array_names`).
        """

    @abstractmethod
    def _local(self, P: dict, F: Mapping, state0: tuple | None) -> dict:
        """Everything a step of the backward sweep reads, shaped for the rows: the local
        derivatives of every step (``[t]`` multiplies the rows of step t, :func:`rowwise_by_step`),
        the matrices (:func:`lone`) and the vectors (:func:`rowwise`)."""

    @abstractmethod
    def _record_sizes(self) -> dict[str, int]:
        """Name -> width of every per-step error sum :meth:`_back` records."""

    @abstractmethod
    def _back(self, L: dict, t: int, ds: list, rec: dict) -> tuple:
        """Back through step ``t``: ``ds`` holds the ([D,] rows, H) errors on the states at t.

        Writes the per-step sums into ``rec`` (name -> array indexed by step) and returns what
        :meth:`_carry` needs.
        """

    @abstractmethod
    def _carry(self, L: dict, nxt: tuple, rows: slice, t1: int) -> tuple:
        """The errors that step ``t1`` (its :meth:`_back` result ``nxt``) sends to the states of
        step t1 - 1: a tuple of ([D,] rows, H), one per state."""

    @abstractmethod
    def _input_error(self, L: dict, nxt: tuple, rows: slice) -> np.ndarray:
        """([D,] rows, I) dJ/dx(t1) from step t1's :meth:`_back` result."""

    def _finish(self, rec: dict, F: Mapping) -> dict:
        """The recorded sums as the errors named by :attr:`delta_names` (and "x_next")."""
        return rec

    @abstractmethod
    def grads(self, P: dict, F: Mapping, xs: np.ndarray, deltas: Mapping,
              state0: tuple | None, *, per_step: bool) -> dict[str, np.ndarray]:
        """dJ/dtheta per chain: (D, *shape), or per step (D, T, *shape), by the cell's names."""

    # -- shared -----------------------------------------------------------------------------
    def settings(self) -> dict:
        """The cell's options as trace fields (activation, peepholes)."""
        return {}

    def _project(self, P: dict, xs: np.ndarray) -> np.ndarray:
        """(D, T, nH) the input part of every pre-activation, W x(t) + b, for all t at once."""
        wx = xs @ np.swapaxes(P[self.input_weights], 1, 2) + P["b"][:, None]  # (D, T, nH)
        return as_steps(wx)

    def _initial(self, D: int, state0: tuple | None) -> tuple:
        """The states before step 1: ``state0``, or zeros of (D, H)."""
        return state0 or tuple(np.zeros((D, self.n_hidden)) for _ in self.state_names)

    def final_state(self, F: Mapping[str, np.ndarray]) -> tuple:
        """The states after the last step: a tuple of (D, H)."""
        return tuple(F[n][:, -1] for n in self.state_names)

    def sweep(self, P: dict, F: Mapping, own: np.ndarray | None, sources: Sources, *,
              offset: int = 0, state0: tuple | None = None, record: bool = False,
              carry_in: tuple | None = None, want_carry: bool = False,
              feedback: np.ndarray | None = None):
        """The backward sweep of D chains, from their last step down to their first.

        Parameters
        ----------
        P, F : stacked parameters and the forward arrays (D, T, n) in processing order.
        own : (D, T, H) the error each step's own loss J(t) puts on the state read out at t
            (V^T dJ(t)/dout(t)), or None when no loss reads this cell.
        sources : which error rows are alive at each step of the whole time axis.
        offset : where this cell's step 0 sits on that axis.
        state0 : the states before step 1 (None: zeros), as the forward pass had them.
        record : also return the rows (delta_by_source).
        carry_in : what another cell's sweep returned as ``carry``: the errors on this cell's
            last states from the steps after it on the axis (a decoder's, for its encoder).
        want_carry : also return the errors on ``state0``.
        feedback : (D, I, H) F when the input x(t + 1) = c + F state(t) (a decoder fed its own
            linear output): errors then also flow from x(t + 1) back into the state at t.

        Returns
        -------
        deltas : name -> (D, T, n) errors summed over alive rows (:attr:`delta_names`; with
            ``feedback`` also "x_next", (D, T, I) the error on x(t + 1) that reaches step t).
        by_source : (D, sources.n, T, H) dJ(s)/dstate(t), or None.
        carry : tuple of ([D,] rows, H) errors on ``state0`` (the rows of step 0), or None.
        """
        D, T = F[self.state_name].shape[:2]
        lead = () if D == 1 else (D,)  # a single chain drops its axis (module docstring)
        H = self.n_hidden
        L = self._local(P, F, state0)
        rec = {name: steps(D, T, n, 0.0) for name, n in self._record_sizes().items()}
        if feedback is not None:
            rec["x_next"] = steps(D, T, feedback.shape[1], 0.0)
            feedback = lone(feedback)  # (I, H)
        rec_t = {name: by_step(r) for name, r in rec.items()}  # [t] -> ([D,] n)
        own_t = None if own is None else by_step(own)  # [t] -> ([D,] H)
        by_source = np.zeros((D, sources.n, T, H)) if record else None  # (D, S, T, H)
        rows_of = lone(by_source) if record else None  # ([D,] sources, T, H)
        windows = sources.windows(offset, T + 1)  # (lo, hi) of the rows alive at each step
        nxt = None  # what step t + 1 sends back, per alive row
        for t in range(T - 1, -1, -1):
            lo, hi = windows[t]
            if hi <= lo:  # no source reaches this far back: nothing here or before
                nxt = None
                break
            came = nxt if t + 1 < T else carry_in
            if came is None:
                ds = [np.zeros(lead + (hi - lo, H)) for _ in self.state_names]  # ([D,] rows, H)
            else:
                lo1 = windows[t + 1][0]  # the first row alive at t + 1 ...
                src = slice(0, hi - lo1)  # ... and those still alive at t
                if t + 1 < T:
                    carried = self._carry(L, came, src, t + 1)  # ([D,] keep, H) each
                    if feedback is not None:
                        dx = self._input_error(L, came, src)  # ([D,] keep, I) dJ/dx(t + 1)
                        d_state = carried[0]  # ([D,] keep, H) the state the readout reads
                        d_state += dx @ feedback  # ([D,] keep, H) back through x(t + 1)
                        rec_t["x_next"][t] = row_sum(dx)  # ([D,] I)
                else:  # from the next cell on the time axis
                    carried = [c[..., src, :].copy() for c in came]  # ([D,] keep, H) each
                if lo1 == lo:  # they are all the rows of t
                    ds = list(carried)
                else:  # row 0 is source t itself, the rest come from t + 1
                    ds = [np.zeros(lead + (hi - lo, H)) for _ in self.state_names]
                    for d, c in zip(ds, carried, strict=True):
                        d[..., lo1 - lo:, :] = c  # ([D,] keep, H)
            if own is not None and offset + t >= sources.first:
                ds[0][..., 0, :] += own_t[t]  # ([D,] H) row s = t (or the sum) gets J(t)'s error
            nxt = self._back(L, t, ds, rec_t)
            if record:
                rows_of[..., lo:hi, t, :] = ds[0]
        carry = None
        if want_carry and nxt is not None:
            carry = self._carry(L, nxt, slice(None), 0)
        return self._finish(rec, F), by_source, carry
