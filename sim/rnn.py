"""The simple RNN of the articles (Goodfellow et al. notation) and its BPTT.

    a(t) = b + W h(t-1) + U x(t),   h(t) = g(a(t)),   o(t) = c + V h(t),   y_hat(t) = f(o(t))

:class:`RNNCell` is the recurrence (a, h); :class:`SimpleRNN` adds the readout (o, y_hat).
"""

from __future__ import annotations

import numpy as np

from . import _checks, activations
from ._model import SequenceModel
from .cell import (
    Cell,
    by_step,
    chains,
    frozen,
    lone,
    matvec,
    row_sum,
    rowwise_by_step,
    shifted,
    steps,
)
from .trace import RNNForwardTrace


class RNNCell(Cell):
    """The simple RNN's recurrence h(t) = g(b + W h(t-1) + U x(t)), for D chains.

    Parameters
    ----------
    n_in, n_hidden : sizes I and H.
    activation : "tanh", "relu" or "sigmoid", the hidden nonlinearity g.
    """

    kind = "rnn"
    state_name = "h"
    state_names = ("h",)
    array_names = ("a", "h")
    delta_names = ("h", "a")
    input_weights = "U"

    def __init__(self, n_in: int, n_hidden: int, activation: str = "tanh"):
        super().__init__(n_in, n_hidden)
        self.activation = _checks.choice("activation", activation, activations.ACTIVATIONS)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        I, H = self.n_in, self.n_hidden
        return {"U": (H, I), "W": (H, H), "b": (H,)}

    def init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        I, H = self.n_in, self.n_hidden
        # W orthogonal (spectral radius 1): neither vanishing nor exploding at the start.
        q, r = np.linalg.qr(rng.standard_normal((H, H)))  # (H, H)
        W = q * np.sign(np.diag(r))  # (H, H) uniform over orthogonal matrices
        return {
            "U": rng.standard_normal((H, I)) / np.sqrt(I),  # (H, I)
            "W": W,
            "b": np.zeros(H),  # (H,)
        }

    def stack(self, ps) -> dict[str, np.ndarray]:
        return {name: chains([p[name] for p in ps]) for name in ("U", "W", "b")}

    def settings(self) -> dict:
        return {"activation": self.activation}

    def forward(self, P, xs, state0=None):
        D, T = xs.shape[0], xs.shape[1]
        W = lone(P["W"])  # (D, H, H)
        a = steps(D, T, self.n_hidden)
        h = steps(D, T, self.n_hidden)
        a_t, h_t = by_step(a), by_step(h)  # [t] -> (D, H)
        a_in = by_step(self._project(P, xs))  # [t] -> (D, H) b + U x(t), all t at once
        h_prev = lone(self._initial(D, state0)[0])  # (D, H) h(0)
        for t in range(T):
            a_t[t] = a_in[t] + matvec(W, h_prev)  # (D, H) a(t) = b + W h(t-1) + U x(t)
            h_t[t] = h_prev = activations.apply(self.activation, a_t[t])  # (D, H) g(a(t))
        return {"a": frozen(a), "h": frozen(h)}

    def _local(self, P, F, state0):
        g_prime = activations.derivative(self.activation, F["a"], F["h"])  # (D, T, H) g'(a(t))
        return {"g_prime": rowwise_by_step(g_prime), "W": lone(P["W"]), "U": lone(P["U"])}

    def _record_sizes(self) -> dict[str, int]:
        return {"h": self.n_hidden, "a": self.n_hidden}

    def _back(self, L, t, ds, rec):
        (dh,) = ds  # ([D,] rows, H) delta_h(t) per alive row
        da = dh * L["g_prime"][t]  # ([D,] rows, H) back through g
        rec["h"][t] = row_sum(dh)  # ([D,] H)
        rec["a"][t] = row_sum(da)  # ([D,] H)
        return (da,)

    def _carry(self, L, nxt, rows, t1):
        return (nxt[0][..., rows, :] @ L["W"],)  # ([D,] keep, H) W^T delta_a(t1), per source

    def _input_error(self, L, nxt, rows):
        return nxt[0][..., rows, :] @ L["U"]  # ([D,] keep, I) U^T delta_a(t1)

    def grads(self, P, F, xs, deltas, state0, *, per_step):
        da = deltas["a"]  # (D, T, H)
        h_prev = shifted(F["h"], None if state0 is None else state0[0])  # (D, T, H) h(t-1)
        if per_step:
            return {
                "U": np.einsum("dth,dti->dthi", da, xs),  # (D, T, H, I) delta_a(t) x(t)^T
                "W": np.einsum("dth,dtk->dthk", da, h_prev),  # (D, T, H, H) delta_a(t) h(t-1)^T
                "b": da.copy(),  # (D, T, H)
            }
        da_T = np.swapaxes(da, 1, 2)  # (D, H, T)
        return {
            "U": da_T @ xs,  # (D, H, I)
            "W": da_T @ h_prev,  # (D, H, H)
            "b": da.sum(axis=1),  # (D, H)
        }


class SimpleRNN(SequenceModel):
    """A simple (Elman) RNN with shared parameters U, W, b, V, c.

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H, O (H at most 256).
    activation : "tanh", "relu" or "sigmoid", the hidden nonlinearity g.
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    kind = "SimpleRNN"
    state_name = "h"
    cell = "rnn"
    trace_class = RNNForwardTrace
    readout_name = "o"

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, activation: str = "tanh",
                 output: str = "softmax", seed: int = 0):
        self.activation = _checks.choice("activation", activation, activations.ACTIVATIONS)
        super().__init__(n_in, n_hidden, n_out, output=output, seed=seed)

    def _make_cell(self) -> RNNCell:
        return RNNCell(self.n_in, self.n_hidden, self.activation)

    def forward(self, xs, state0=None) -> RNNForwardTrace:
        """Run the network over ``xs`` (T, I) from h(0) = 0, or from ``state0`` = (h(0),)
        when given (a chunk carries the state the previous chunk ended in); every
        intermediate."""
        return super().forward(xs, state0)

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", activation={self.activation!r})"
