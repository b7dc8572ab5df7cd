"""What the simple RNN and the LSTM share: argument checks, parameters, the loss, the trace."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _checks
from .losses import LOSSES, OUTPUTS, apply_output, per_step_loss
from .trace import BackwardTrace, ForwardTrace, first_nonfinite_row, freeze, freeze_dict


class RecurrentModel:
    """Base of :class:`sim.SimpleRNN` and :class:`sim.LSTM`.

    ``params`` is a plain dict of float64 arrays that callers may overwrite in place (training,
    spectral-radius scaling). Every forward pass snapshots them, so a trace stays valid afterwards.
    """

    kind = "model"
    state_name = "h"

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, output: str, seed: int):
        self.n_in = _checks.size("n_in", n_in, cap=_checks.MAX_IO)
        self.n_hidden = _checks.size("n_hidden", n_hidden, cap=_checks.MAX_HIDDEN)
        self.n_out = _checks.size("n_out", n_out, cap=_checks.MAX_IO)
        self.output = _checks.choice("output", output, OUTPUTS)
        self.seed = _checks.size("seed", seed, minimum=0)
        self.params: dict[str, np.ndarray] = self._init_params(np.random.default_rng(self.seed))

    # -- to be provided by the model ------------------------------------------------------
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
        targets : (T,) int classes for ``loss="cross_entropy"``, (T, O) for ``loss="mse"``.
        loss : "cross_entropy" or "mse".
        loss_mask : (T,) of 0/1, the steps that carry a loss J(t); None means every step.
        truncation : k, so that the error from J(s) reaches back at most k steps (every
            contribution with s - t >= k is dropped); None for full BPTT.

        Returns
        -------
        BackwardTrace
        """
        if not isinstance(trace, ForwardTrace) or trace.kind != self.kind:
            raise ValueError(f"trace must be a forward trace of a {self.kind}, got "
                             f"{type(trace).__name__}")
        if trace.n_in != self.n_in or trace.n_hidden != self.n_hidden or trace.n_out != self.n_out:
            raise ValueError("trace does not match this model's sizes")
        loss = _checks.choice("loss", loss, LOSSES)
        T = trace.T
        targets = self._check_targets(targets, T, loss)
        mask = self._check_mask(loss_mask, T)
        k = self._check_truncation(truncation)
        if k is not None and k >= T:
            k = None  # a window at least as long as the sequence is full BPTT
        with np.errstate(all="ignore"):
            J, dr = per_step_loss(trace.readout, trace.y_hat, targets, loss, trace.output)
            losses = J * mask  # (T,) masked J(t)
            losses[mask == 0] = 0.0  # masked steps carry nothing, even a non-finite J(t)
            dr = dr * mask[:, None]  # (T, O) dJ/dr(t), zero where masked
            dr[mask == 0] = 0.0
            deltas = self._sweep(trace, dr, truncation=k, record=False)[0]
            grads = self._grads(trace, deltas, per_step=False)

        def per_step():
            with np.errstate(all="ignore"):
                return self._grads(trace, deltas, per_step=True)

        def by_source():
            with np.errstate(all="ignore"):
                return self._sweep(trace, dr, truncation=k, record=True)[1]

        fwd_row = first_nonfinite_row(*trace.arrays().values())
        bad_step = None if fwd_row is None else fwd_row + 1
        if bad_step is None:
            rows = [np.flatnonzero(~np.isfinite(d).all(axis=1)) for d in deltas.values()]
            rows = [r.max() for r in rows if r.size]
            if rows or not np.isfinite(losses).all():
                bad_step = int(max(rows)) + 1 if rows else int(np.argmax(~np.isfinite(losses))) + 1
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

    @staticmethod
    def _window(t: int, T: int, k: int | None, per_source: bool) -> tuple[int, int]:
        """Rows of the error block alive at step index t.

        Per source, row s carries dJ(s)/d state(t); it is alive for t <= s < t + k. Summed, a single
        row carries the sum over sources.
        """
        if not per_source:
            return 0, 1
        return t, T if k is None else min(T, t + k)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_in={self.n_in}, n_hidden={self.n_hidden}, "
                f"n_out={self.n_out}, output={self.output!r}, seed={self.seed})")
