"""A sequence-to-sequence model: an encoder cell reads, a decoder cell writes, on one time axis.

    s(t) = cell_enc(x(t), s(t-1)),        t = 1..T_enc,  s(0) = 0
    s(T_enc + j) = cell_dec(x_dec(j), s(T_enc + j - 1)),  j = 1..T_dec
    out(j) = c + V h(T_enc + j),   y_hat(j) = f(out(j))

The decoder starts from the encoder's final state (h; y and c for an LSTM cell). Its input at
step 1 is zeros(O); at step j > 1 it is the target j - 1 (teacher forcing: its one-hot for class
targets, the row itself for value targets) or its own previous output (free running:
one_hot(argmax y_hat(j - 1)) for a softmax output, y_hat(j - 1) itself for a linear one).

Losses are on decoder steps only. Backward differentiates what forward did: fed-back argmaxes and
targets are constants, a fed-back linear output is not (its error flows from x_dec(j + 1) into
out(j), and truncation cuts those paths like any other).
"""

from __future__ import annotations

import numpy as np

from . import _checks
from ._model import readout_grads
from ._pair import PairModel
from .cell import Sources
from .trace import Seq2SeqForwardTrace, freeze, freeze_dict


class Seq2Seq(PairModel):
    """An encoder ("enc.", input size I) and a decoder ("dec.", input size O) of one cell kind,
    and a readout V (O, H), c (O,) on the decoder's states.

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H, O.
    cell : "rnn", "lstm" or "gru".
    activation : the RNN cell's g: "tanh", "relu" or "sigmoid".
    peepholes : whether LSTM cells have peepholes.
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    kind = "Seq2Seq"
    state_name = "h"
    prefixes = ("enc", "dec")

    def _cell_inputs(self) -> tuple[int, int]:
        return self.n_in, self.n_out

    def _readout_width(self) -> int:
        return self.n_hidden

    def forward(self, xs, targets=None, *, steps: int | None = None) -> Seq2SeqForwardTrace:
        """Encode ``xs`` (T_enc, I), then decode T_dec steps.

        Parameters
        ----------
        xs : (T_enc, I) the input sequence.
        targets : (T_dec,) int classes or (T_dec, O) values to feed the decoder (teacher
            forcing); or None to let it feed itself.
        steps : T_dec when decoding free-running (``targets`` None).

        Returns
        -------
        Seq2SeqForwardTrace
        """
        xs = self._check_xs(xs)
        if targets is not None:
            if steps is not None:
                raise ValueError("steps must be None when targets are given (T_dec = their "
                                 "length)")
            x_dec = self._teacher_inputs(targets)  # (T_dec, O)
            T_dec = x_dec.shape[0]
        else:
            if steps is None:
                raise ValueError("give targets (teacher forcing) or steps (free running)")
            T_dec = _checks.length("steps", steps)
        if xs.shape[0] + T_dec > _checks.MAX_LENGTH:
            raise ValueError(f"T_enc + T_dec must be <= {_checks.MAX_LENGTH} (Unfold's cap), "
                             f"got {xs.shape[0]} + {T_dec} (xs and targets or steps)")
        p = self._snapshot()
        enc, dec = self.cells
        state = enc.state_name
        P_enc, P_dec = enc.stack([self._part(p, 0)]), dec.stack([self._part(p, 1)])
        with np.errstate(all="ignore"):
            E = enc.forward(P_enc, xs[None])  # name -> (1, T_enc, n)
            s0 = enc.final_state(E)  # (1, H) each: the decoder's start
            if targets is not None:
                Dd = dec.forward(P_dec, x_dec[None], s0)  # name -> (1, T_dec, n)
                out, y_hat = self._readout(Dd[state][0], p)  # (T_dec, O) each
            else:
                x_dec, Dd, out, y_hat = self._free_run(P_dec, p, s0, T_dec)
            h = np.concatenate([E[state][0], Dd[state][0]])  # (T_enc + T_dec, H)
        return Seq2SeqForwardTrace(
            x=freeze(xs), y_hat=freeze(y_hat), params=freeze_dict(p), output=self.output,
            x_dec=freeze(x_dec), enc=freeze_dict({n: E[n][0] for n in enc.array_names}),
            dec=freeze_dict({n: Dd[n][0] for n in dec.array_names}), h=freeze(h),
            out=freeze(out), teacher_forcing=targets is not None, **self._settings(),
        )

    def forward_for(self, xs, targets, *, teacher_forcing: bool = True) -> Seq2SeqForwardTrace:
        """Teacher-forced on ``targets``, or free-running for as many steps as they have."""
        if teacher_forcing:
            return self.forward(xs, targets)
        return self.forward(xs, steps=len(targets))

    def _teacher_inputs(self, targets) -> np.ndarray:
        """(T_dec, O) decoder inputs: zeros, then each target but the last."""
        arr = np.asarray(targets)
        if arr.ndim == 1:
            if arr.shape[0] == 0:
                raise ValueError("targets must hold at least one step")
            classes = self._check_targets(arr, arr.shape[0], "cross_entropy")  # (T_dec,)
            rows = np.eye(self.n_out)[classes]  # (T_dec, O) one-hot
        else:
            rows = _checks.array("targets", targets, (None, self.n_out))  # (T_dec, O)
            if rows.shape[0] == 0:
                raise ValueError("targets must hold at least one step")
        x_dec = np.zeros_like(rows)  # (T_dec, O) zeros(O) at step 1
        x_dec[1:] = rows[:-1]  # (T_dec - 1, O) target(j - 1) at step j
        return x_dec

    def _free_run(self, P: dict, p: dict, state: tuple, T_dec: int):
        """Decode one step at a time, each reading the step before's output."""
        dec, O = self.cells[1], self.n_out
        x_dec = np.zeros((T_dec, O))  # (T_dec, O) zeros(O) at step 1
        out = np.empty((T_dec, O))  # (T_dec, O) readouts, one step at a time
        y_hat = np.empty((T_dec, O))  # (T_dec, O)
        steps = []
        for j in range(T_dec):
            F = dec.forward(P, x_dec[None, j:j + 1], state)  # name -> (1, 1, n)
            state = dec.final_state(F)  # (1, H) each
            out[j], y_hat[j] = (v[0] for v in self._readout(state[0], p))  # (O,) each
            if j + 1 < T_dec:  # what step j + 1 reads
                x_dec[j + 1] = (np.eye(O)[np.argmax(y_hat[j])] if self.output == "softmax"
                                else y_hat[j])  # (O,)
            steps.append(F)
        Dd = {n: freeze(np.concatenate([F[n] for F in steps], axis=1))
              for n in dec.array_names}  # name -> (1, T_dec, n)
        return x_dec, Dd, out, y_hat

    def _cell_views(self, tr: Seq2SeqForwardTrace):
        """(P, F) of the encoder and of the decoder: stacked parameters, (1, T, n) arrays."""
        return tuple(
            (cell.stack([self._part(tr.params, i)]), {n: part[n][None] for n in cell.array_names})
            for i, (cell, part) in enumerate(zip(self.cells, (tr.enc, tr.dec), strict=True)))

    def _step_offset(self, trace, name: str) -> int:
        return trace.T_enc if name.startswith("dec.") or name in ("out", "losses") else 0

    def _sweep(self, tr: Seq2SeqForwardTrace, dout: np.ndarray, *, truncation: int | None,
               record: bool):
        """The decoder's backward sweep, then the encoder's from the decoder's first state.

        Parameters
        ----------
        dout : (T_dec, O) dJ(j)/dout(j), already masked.

        Returns
        -------
        deltas : "h" (T_enc + T_dec, H), "out" (T_dec, O), "enc.<name>", "dec.<name>".
        by_source : (T_dec, T_enc + T_dec, H) dJ(j)/dh(t) at [j, t], or None.
        """
        enc, dec = self.cells
        (P_e, F_e), (P_d, F_d) = self._cell_views(tr)
        V = tr.params["V"]  # (O, H)
        own = (dout @ V)[None]  # (1, T_dec, H) V^T dJ(j)/dout(j)
        fed_back = not tr.teacher_forcing and tr.output == "linear"
        sources = Sources(tr.T, first=tr.T_enc, truncation=truncation,
                          per_source=record or truncation is not None)
        rec_d, by_dec, carry = dec.sweep(P_d, F_d, own, sources, offset=tr.T_enc,
                                         state0=enc.final_state(F_e), record=record,
                                         want_carry=True, feedback=V[None] if fed_back else None)
        rec_e, by_enc, _ = enc.sweep(P_e, F_e, None, sources, record=record, carry_in=carry)
        state = enc.state_name
        deltas = {"h": np.concatenate([rec_e[state][0], rec_d[state][0]]),  # (T, H)
                  "out": dout + rec_d["x_next"][0] if fed_back else dout}  # (T_dec, O)
        deltas.update({f"enc.{n}": rec_e[n][0] for n in enc.delta_names})
        deltas.update({f"dec.{n}": rec_d[n][0] for n in dec.delta_names})
        if by_dec is not None:
            by_dec = np.concatenate([by_enc[0], by_dec[0]], axis=1)  # (T_dec, T, H)
        return deltas, by_dec

    def _grads(self, tr: Seq2SeqForwardTrace, deltas: dict, *, per_step: bool) -> dict:
        """dJ/dtheta: summed, or per step t of the one axis (T_enc + T_dec, *shape)."""
        enc, dec = self.cells
        (P_e, F_e), (P_d, F_d) = self._cell_views(tr)
        G_e = enc.grads(P_e, F_e, tr.x[None], {n: deltas[f"enc.{n}"][None]
                                               for n in enc.delta_names}, None, per_step=per_step)
        G_d = dec.grads(P_d, F_d, tr.x_dec[None], {n: deltas[f"dec.{n}"][None]
                                                   for n in dec.delta_names},
                        enc.final_state(F_e), per_step=per_step)
        enc_g, dec_g = self._prefixed(G_e, 0), self._prefixed(G_d, 1)
        dec_g.update(readout_grads(deltas["out"], tr.h[tr.T_enc:], per_step=per_step))
        if per_step:  # a part's parameters are not used at the other part's steps
            T_enc, T_dec = tr.T_enc, tr.T_dec
            enc_g = {k: np.concatenate([g, np.zeros((T_dec,) + g.shape[1:])])
                     for k, g in enc_g.items()}  # (T, *shape)
            dec_g = {k: np.concatenate([np.zeros((T_enc,) + g.shape[1:]), g])
                     for k, g in dec_g.items()}  # (T, *shape)
        return {**enc_g, **dec_g}
