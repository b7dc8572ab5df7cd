"""What every model shares: argument checks, parameters, the loss, the backward template.

:class:`RecurrentModel` is the base of all models; :class:`SequenceModel` is one cell with a
readout at every step (SimpleRNN, LSTM, GRU).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

import numpy as np

from . import _checks
from .cell import Cell, Sources
from .losses import LOSSES, OUTPUTS, apply_output, per_step_loss
from .trace import BackwardTrace, ForwardTrace, freeze, freeze_dict


class RecurrentModel:
    """Base of every model: SimpleRNN, LSTM, GRU, BidirectionalRNN, Seq2Seq.

    ``params`` is a plain dict of float64 arrays that callers may overwrite in place (training,
    spectral-radius scaling). Every forward pass snapshots them, so a trace stays valid afterwards.
    """

    kind = "model"
    state_name = "h"
    #: whether a pass can start from a given state (:meth:`SequenceModel.forward`'s state0):
    #: a bidirectional model's backward cell and a seq2seq decoder have no state to carry
    carries_state = False

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, output: str, seed: int):
        self.n_in = _checks.size("n_in", n_in, cap=_checks.MAX_IO)
        self.n_hidden = _checks.size("n_hidden", n_hidden, cap=_checks.MAX_HIDDEN)
        self.n_out = _checks.size("n_out", n_out, cap=_checks.MAX_IO)
        self.output = _checks.choice("output", output, OUTPUTS)
        self.seed = _checks.size("seed", seed, minimum=0)
        self._build()
        self.params: dict[str, np.ndarray] = self._init_params(np.random.default_rng(self.seed))

    # -- to be provided by the model ------------------------------------------------------
    def _build(self) -> None:
        """Make the model's cells once the sizes are known."""

    def _init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        return {}

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """Name -> shape of every parameter."""
        return {}

    # -- shared ---------------------------------------------------------------------------
    def _snapshot(self) -> dict[str, np.ndarray]:
        """Copies of the parameters, checked against their shapes."""
        shapes = self.param_shapes()
        missing = set(shapes) - set(self.params)
        if missing:
            raise ValueError(f"params is missing {sorted(missing)}")
        return {
            name: _checks.array(f"params[{name!r}]", self.params[name], shape, finite=False)
            for name, shape in shapes.items()
        }

    def _check_xs(self, xs) -> np.ndarray:
        xs = _checks.array("xs", xs, (None, self.n_in))
        _checks.length("xs length T", xs.shape[0])
        return xs

    def _readout(self, state: np.ndarray, p: Mapping[str, np.ndarray]):
        r = state @ p["V"].T + p["c"]  # (T, O) c + V h(t)
        return r, apply_output(r, self.output)

    def _check_targets(self, targets, T: int, loss: str) -> np.ndarray:
        if loss == "cross_entropy":
            arr = np.asarray(targets)
            if arr.shape != (T,):
                raise ValueError(f"targets must have shape ({T},) of class indices for "
                                 f"loss='cross_entropy', got {arr.shape}")
            if arr.dtype.kind == "f":
                if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
                    raise ValueError("targets must be integer class indices for "
                                     "loss='cross_entropy'")
            elif arr.dtype.kind not in "iu":
                raise ValueError(f"targets must be integer class indices, got dtype {arr.dtype}")
            arr = arr.astype(np.int64)
            if arr.size and (arr.min() < 0 or arr.max() >= self.n_out):
                bad = arr[(arr < 0) | (arr >= self.n_out)][0]
                raise ValueError(f"targets must be classes in [0, {self.n_out - 1}] "
                                 f"(n_out = {self.n_out}), got {bad}")
            return arr
        return _checks.array("targets", targets, (T, self.n_out))

    @staticmethod
    def _check_mask(loss_mask, T: int) -> np.ndarray:
        if loss_mask is None:
            return np.ones(T)
        mask = _checks.array("loss_mask", loss_mask, (T,))
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("loss_mask must hold only 0 and 1")
        return mask

    @staticmethod
    def _check_truncation(truncation) -> int | None:
        if truncation is None:
            return None
        return _checks.size("truncation", truncation, cap=_checks.MAX_LENGTH)

    def backward(self, trace: ForwardTrace, targets, *, loss: str = "cross_entropy",
                 loss_mask=None, truncation: int | None = None) -> BackwardTrace:
        """Back-propagation through time for one forward trace.

        Parameters
        ----------
        trace : the ForwardTrace this model's ``forward`` returned.
        targets : (T,) int classes for ``loss="cross_entropy"``, (T, O) for ``loss="mse"``
            (T_dec rows for a Seq2Seq: one per step that reads out).
        loss : "cross_entropy" or "mse".
        loss_mask : (T,) of 0/1, the steps that carry a loss J(t); None means every step.
        truncation : k, so that the error from J(s) reaches back at most k steps (every
            contribution with s - t >= k is dropped; |s - t| >= k for a bidirectional model,
            whose backward cell carries errors forward in time); None for full BPTT.

        Returns
        -------
        BackwardTrace
        """
        self._check_trace(trace)
        loss = _checks.choice("loss", loss, LOSSES)
        T_loss = trace.y_hat.shape[0]  # the steps that read out (T, or T_dec for a Seq2Seq)
        targets = self._check_targets(targets, T_loss, loss)
        mask = self._check_mask(loss_mask, T_loss)
        k = self._check_truncation(truncation)
        if k is not None and k >= trace.T:
            k = None  # a window at least as long as the sequence is full BPTT
        with np.errstate(all="ignore"):
            J, dr = per_step_loss(trace.readout, trace.y_hat, targets, loss, trace.output)
            losses = J * mask  # (T,) masked J(t)
            losses[mask == 0] = 0.0  # masked steps carry nothing, even a non-finite J(t)
            dr = dr * mask[:, None]  # (T, O) dJ/dr(t), zero where masked
            dr[mask == 0] = 0.0
            deltas = self._sweep(trace, dr, truncation=k, record=False)[0]
            grads = self._in_param_order(self._grads(trace, deltas, per_step=False))

        def per_step():
            with np.errstate(all="ignore"):
                return self._in_param_order(self._grads(trace, deltas, per_step=True))

        def by_source():
            with np.errstate(all="ignore"):
                return self._sweep(trace, dr, truncation=k, record=True)[1]

        bad_step = trace.first_nonfinite_step
        if bad_step is None:
            bad_step = self._first_nonfinite_delta(trace, deltas, losses)
        total = float(losses.sum())
        return BackwardTrace(
            loss=total,
            losses=freeze(losses),
            grads=freeze_dict(grads),
            deltas=freeze_dict(deltas),
            loss_mask=freeze(mask),
            truncation=k,
            finite=bad_step is None and bool(np.isfinite(total)),
            first_nonfinite_step=bad_step,
            _per_step=per_step,
            _by_source=by_source,
        )

    def _in_param_order(self, grads: dict) -> dict:
        """``grads`` keyed in the order of ``params``, so that a sum over them (a global norm)
        adds in the same order as one over the parameters."""
        return {name: grads[name] for name in self.param_shapes()}

    def _check_trace(self, trace) -> None:
        if not isinstance(trace, ForwardTrace) or trace.kind != self.kind:
            raise ValueError(f"trace must be a forward trace of a {self.kind}, got "
                             f"{type(trace).__name__}")
        if trace.n_in != self.n_in or trace.n_hidden != self.n_hidden or trace.n_out != self.n_out:
            raise ValueError("trace does not match this model's sizes")

    def _step_offset(self, trace, name: str) -> int:
        """Where row 0 of delta ``name`` (or of the losses, name "losses") sits on the time axis."""
        return 0

    def _first_nonfinite_delta(self, trace, deltas: Mapping, losses: np.ndarray) -> int | None:
        """The step the backward pass first met a non-finite error: it runs from T down, so the
        largest such t; else the first step with a non-finite J(t); None when all are finite."""
        steps = []
        for name, d in deltas.items():
            rows = np.flatnonzero(~np.isfinite(d.reshape(d.shape[0], -1)).all(axis=1))  # (n,)
            if rows.size:
                steps.append(int(rows.max()) + 1 + self._step_offset(trace, name))
        if steps:
            return max(steps)
        if not np.isfinite(losses).all():
            return int(np.argmax(~np.isfinite(losses))) + 1 + self._step_offset(trace, "losses")
        return None

    def forward_for(self, xs, targets, *, teacher_forcing: bool = True,
                    state0=None) -> ForwardTrace:
        """The forward pass that training and evaluation run for one (xs, targets) pair.

        A model whose inputs never depend on the targets ignores them; a Seq2Seq feeds them to
        its decoder (teacher forcing) or, with ``teacher_forcing=False``, its own outputs for as
        many steps as there are targets. ``state0``: the state to start from (models that
        carry a state, :attr:`carries_state`), None for zeros.
        """
        if state0 is None:
            return self.forward(xs)
        if not self.carries_state:
            raise ValueError(f"a {self.kind} cannot start a pass from a carried state")
        return self.forward(xs, state0)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_in={self.n_in}, n_hidden={self.n_hidden}, "
                f"n_out={self.n_out}, output={self.output!r}, seed={self.seed})")


class SequenceModel(RecurrentModel, ABC):
    """One cell with a readout at every step: out(t) = c + V state(t), y_hat(t) = f(out(t)).

    Subclasses name the cell (:meth:`_make_cell`), the trace class and the readout's name.
    """

    #: the cell kind: "rnn", "lstm" or "gru"
    cell = "cell"
    trace_class: type = ForwardTrace
    readout_name = "out"

    @abstractmethod
    def _make_cell(self) -> Cell:
        """The model's one cell, sized from ``n_in`` and ``n_hidden``."""

    def _build(self) -> None:
        self.cells = (self._make_cell(),)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        shapes = self.cells[0].param_shapes()
        shapes.update({"V": (self.n_out, self.n_hidden), "c": (self.n_out,)})
        return shapes

    def _init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        O, H = self.n_out, self.n_hidden
        p = self.cells[0].init_params(rng)
        p["V"] = rng.standard_normal((O, H)) / np.sqrt(H)  # (O, H)
        p["c"] = np.zeros(O)  # (O,)
        return p

    carries_state = True

    def forward(self, xs, state0=None) -> ForwardTrace:
        """Run the network over ``xs`` (T, I) and return every intermediate.

        ``state0`` is the state before step 1, one (H,) array per carried state
        (:attr:`sim.cell.Cell.state_names`: (h,) or (y, c)), as :meth:`final_state` gives it;
        None starts from zeros. The trace records it, and backward treats it as a constant
        (the errors stop there: a chunk's truncation).
        """
        xs = self._check_xs(xs)
        s0 = self._check_state0(state0)
        p = self._snapshot()
        with np.errstate(all="ignore"):
            F = self.cells[0].forward(self.cells[0].stack([p]), xs[None],
                                      self._stacked_state0(s0))  # name -> (1, T, n)
            out, y_hat = self._readout(F[self.cells[0].state_name][0], p)  # (T, O) each
        arrays = {name: F[name][0] for name in self.cells[0].array_names}  # (T, n) each
        arrays[self.readout_name] = freeze(out)
        return self.trace_class(x=freeze(xs), y_hat=freeze(y_hat), params=freeze_dict(p),
                                output=self.output, state0=s0, **arrays,
                                **self.cells[0].settings())

    def final_state(self, trace: ForwardTrace) -> tuple:
        """The state after the trace's last step, one (H,) copy per carried state: what the
        next chunk's :meth:`forward` starts from."""
        self._check_trace(trace)
        return tuple(np.array(getattr(trace, n)[-1]) for n in self.cells[0].state_names)

    def _check_state0(self, state0) -> tuple | None:
        """state0 as a tuple of frozen (H,) arrays, or None; ValueError naming it."""
        if state0 is None:
            return None
        names = self.cells[0].state_names
        if isinstance(state0, np.ndarray) and len(names) == 1:
            state0 = (state0,)
        if not isinstance(state0, (tuple, list)) or len(state0) != len(names):
            raise ValueError(f"state0 must be a tuple of {len(names)} arrays "
                             f"({', '.join(names)}(0)), got {type(state0).__name__}")
        out = []
        for name, s in zip(names, state0, strict=True):
            a = np.array(s, dtype=float)
            if a.shape != (self.n_hidden,):
                raise ValueError(f"state0's {name}(0) must have shape ({self.n_hidden},), "
                                 f"got {a.shape}")
            out.append(freeze(a))
        return tuple(out)

    @staticmethod
    def _stacked_state0(s0) -> tuple | None:
        return None if s0 is None else tuple(s[None] for s in s0)  # (1, H) each

    def _cell_view(self, tr: ForwardTrace):
        """The trace as the cell sees it: stacked parameters and (1, T, n) arrays."""
        F = {name: getattr(tr, name)[None] for name in self.cells[0].array_names}
        return self.cells[0].stack([tr.params]), F

    def _sweep(self, tr: ForwardTrace, dout: np.ndarray, *, truncation: int | None,
               record: bool):
        """The backward sweep from t = T down to 1 (:meth:`sim.cell.Cell.sweep`).

        With ``record`` or ``truncation`` it carries one error row per loss source s (rows alive
        for t <= s < t + k), which gives delta_by_source and truncated BPTT in the same sweep;
        otherwise one row carrying the sum.

        Parameters
        ----------
        dout : (T, O) dJ/dout(t), already masked.

        Returns
        -------
        deltas : name -> (T, n), the cell's errors and the readout's.
        by_source : (T, T, H) dJ(s)/dstate(t) at [s, t], or None.
        """
        P, F = self._cell_view(tr)
        own = (dout @ tr.params["V"])[None]  # (1, T, H) V^T dJ(t)/dout(t), what J(t) injects
        sources = Sources(tr.T, truncation=truncation,
                          per_source=record or truncation is not None)
        rec, by_source, _ = self.cells[0].sweep(P, F, own, sources, record=record,
                                                state0=self._stacked_state0(tr.state0))
        deltas = {name: d[0] for name, d in rec.items()}  # (T, n) each
        deltas[self.readout_name] = dout
        return deltas, None if by_source is None else by_source[0]

    def _grads(self, tr: ForwardTrace, deltas: dict, *, per_step: bool) -> dict:
        """dJ/dtheta from the per-step errors: summed, or per step t (T, *shape)."""
        P, F = self._cell_view(tr)
        stacked = {name: deltas[name][None] for name in self.cells[0].delta_names}  # (1, T, n)
        G = self.cells[0].grads(P, F, tr.x[None], stacked, self._stacked_state0(tr.state0),
                                per_step=per_step)
        grads = {name: g[0] for name, g in G.items()}
        grads.update(readout_grads(deltas[self.readout_name], tr.state, per_step=per_step))
        return grads


def readout_grads(dout: np.ndarray, state: np.ndarray, *, per_step: bool) -> dict:
    """dJ/dV and dJ/dc of out(t) = c + V state(t): summed, or per step (T, *shape).

    Parameters
    ----------
    dout : (T, O) dJ/dout(t).
    state : (T, n) the states the readout reads.
    """
    if per_step:
        return {
            "V": np.einsum("to,th->toh", dout, state),  # (T, O, n) delta_out(t) state(t)^T
            "c": dout.copy(),  # (T, O)
        }
    return {
        "V": dout.T @ state,  # (O, n)
        "c": dout.sum(axis=0),  # (O,)
    }
