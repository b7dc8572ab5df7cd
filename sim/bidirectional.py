"""A bidirectional RNN: one cell reads the sequence forwards, another backwards, one readout.

    s_fwd(t) = cell_fwd(x(t), s_fwd(t-1)),   t = 1..T,   s_fwd(0) = 0
    s_bwd(t) = cell_bwd(x(t), s_bwd(t+1)),   t = T..1,   s_bwd(T+1) = 0
    out(t) = c + V [h_fwd(t); h_bwd(t)],   y_hat(t) = f(out(t))

(s is h, or y and c for an LSTM cell, whose y the readout reads.) So y_hat(t) hears the whole
sequence: the past through the forward cell, the future through the backward one. J(s) reaches
h_fwd(t) for t <= s and h_bwd(t) for t >= s.

The two cells run as two chains in lockstep (:mod:`sim.cell`): the backward chain processes the
reversed sequence, so its step tau is time T + 1 - tau, and its peepholes read its own previous
state in that order (p_i, p_f read c_bwd(t+1); p_o reads c_bwd(t)).
"""

from __future__ import annotations

import numpy as np

from ._model import readout_grads
from ._pair import PairModel
from .cell import Sources
from .trace import BidirectionalForwardTrace, freeze, freeze_dict


class BidirectionalRNN(PairModel):
    """Two cells of one kind ("fwd." and "bwd." parameters) and a readout V (O, 2H), c (O,).

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H (of each direction), O.
    cell : "rnn", "lstm" or "gru".
    activation : the RNN cell's g: "tanh", "relu" or "sigmoid".
    peepholes : whether LSTM cells have peepholes.
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    kind = "BidirectionalRNN"
    state_name = "h"
    prefixes = ("fwd", "bwd")

    def _cell_inputs(self) -> tuple[int, int]:
        return self.n_in, self.n_in

    def _readout_width(self) -> int:
        return 2 * self.n_hidden

    def forward(self, xs) -> BidirectionalForwardTrace:
        """Run both directions over ``xs`` (T, I) and return every intermediate."""
        xs = self._check_xs(xs)
        p = self._snapshot()
        cell, state = self.cells[0], self.cells[0].state_name
        P = cell.stack([self._part(p, 0), self._part(p, 1)])  # (2, ...) fwd, bwd
        X = np.stack([xs, xs[::-1]])  # (2, T, I) each direction's inputs in its own order
        with np.errstate(all="ignore"):
            F = cell.forward(P, X)  # name -> (2, T, n)
            h = np.concatenate([F[state][0], F[state][1][::-1]], axis=1)  # (T, 2H) in time order
            out, y_hat = self._readout(h, p)  # (T, O) each
        return BidirectionalForwardTrace(
            x=freeze(xs), y_hat=freeze(y_hat), params=freeze_dict(p), output=self.output,
            fwd=freeze_dict({n: F[n][0] for n in cell.array_names}),
            bwd=freeze_dict({n: F[n][1][::-1] for n in cell.array_names}),
            h=freeze(h), out=freeze(out), **self._settings(),
        )

    def _cell_view(self, tr: BidirectionalForwardTrace):
        """Stacked parameters, (2, T, n) arrays and (2, T, I) inputs in processing order."""
        cell = self.cells[0]
        P = cell.stack([self._part(tr.params, 0), self._part(tr.params, 1)])
        F = {n: np.stack([tr.fwd[n], tr.bwd[n][::-1]]) for n in cell.array_names}  # (2, T, n)
        return P, F, np.stack([tr.x, tr.x[::-1]])

    def _sweep(self, tr: BidirectionalForwardTrace, dout: np.ndarray, *,
               truncation: int | None, record: bool):
        """Both directions' backward sweeps, side by side (:meth:`sim.cell.Cell.sweep`).

        The forward cell's sweep runs t = T..1, the backward cell's t = 1..T; a source J(s)
        reaches back (in each cell's own order) at most ``truncation`` steps.

        Parameters
        ----------
        dout : (T, O) dJ/dout(t), already masked.

        Returns
        -------
        deltas : "h" (T, 2H), "out", and "fwd.<name>", "bwd.<name>" (T, n) in time order.
        by_source : (T, T, 2H) dJ(s)/d[h_fwd(t); h_bwd(t)] at [s, t], or None.
        """
        cell, H = self.cells[0], self.n_hidden
        P, F, _ = self._cell_view(tr)
        own_h = dout @ tr.params["V"]  # (T, 2H) V^T dJ(t)/dout(t), for both halves at once
        own = np.stack([own_h[:, :H], own_h[::-1, H:]])  # (2, T, H) each in processing order
        sources = Sources(tr.T, truncation=truncation,
                          per_source=record or truncation is not None)
        rec, by_source, _ = cell.sweep(P, F, own, sources, record=record)
        d_state = rec[cell.state_name]  # (2, T, H)
        d_h = np.concatenate([d_state[0], d_state[1][::-1]], axis=1)  # (T, 2H) in time order
        deltas = {"h": d_h, "out": dout}
        for i, prefix in enumerate(self.prefixes):
            for name in cell.delta_names:
                d = rec[name][i]  # (T, n)
                deltas[f"{prefix}.{name}"] = d[::-1] if i else d
        if by_source is not None:  # the backward chain's (source, step) axes run backwards
            by_source = np.concatenate([by_source[0], by_source[1][::-1, ::-1]], axis=2)  # (T,T,2H)
        return deltas, by_source

    def _grads(self, tr: BidirectionalForwardTrace, deltas: dict, *, per_step: bool) -> dict:
        """dJ/dtheta from the per-step errors: summed, or per step t (T, *shape)."""
        cell = self.cells[0]
        P, F, X = self._cell_view(tr)
        stacked = {n: np.stack([deltas[f"fwd.{n}"], deltas[f"bwd.{n}"][::-1]])
                   for n in cell.delta_names}  # (2, T, n) in processing order
        G = cell.grads(P, F, X, stacked, None, per_step=per_step)
        grads = {}
        for i, prefix in enumerate(self.prefixes):
            for name, g in G.items():
                grads[f"{prefix}.{name}"] = g[i][::-1] if per_step and i else g[i]
        grads.update(readout_grads(deltas["out"], tr.h, per_step=per_step))
        return grads
