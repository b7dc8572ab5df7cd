"""The simple RNN of the articles (Goodfellow et al. notation) and its BPTT.

    a(t) = b + W h(t-1) + U x(t),   h(t) = g(a(t)),   o(t) = c + V h(t),   y_hat(t) = f(o(t))
"""

from __future__ import annotations

import numpy as np

from . import _checks, activations
from ._model import RecurrentModel
from .trace import RNNForwardTrace, freeze, freeze_dict


class SimpleRNN(RecurrentModel):
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

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, activation: str = "tanh",
                 output: str = "softmax", seed: int = 0):
        self.activation = _checks.choice("activation", activation, activations.ACTIVATIONS)
        super().__init__(n_in, n_hidden, n_out, output=output, seed=seed)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        I, H, O = self.n_in, self.n_hidden, self.n_out
        return {"U": (H, I), "W": (H, H), "b": (H,), "V": (O, H), "c": (O,)}

    def _init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        I, H, O = self.n_in, self.n_hidden, self.n_out
        # W orthogonal (spectral radius 1): neither vanishing nor exploding at the start.
        q, r = np.linalg.qr(rng.standard_normal((H, H)))  # (H, H)
        W = q * np.sign(np.diag(r))  # (H, H) uniform over orthogonal matrices
        return {
            "U": rng.standard_normal((H, I)) / np.sqrt(I),  # (H, I)
            "W": W,
            "b": np.zeros(H),  # (H,)
            "V": rng.standard_normal((O, H)) / np.sqrt(H),  # (O, H)
            "c": np.zeros(O),  # (O,)
        }

    def forward(self, xs) -> RNNForwardTrace:
        """Run the network over ``xs`` (T, I) from h(0) = 0 and return every intermediate."""
        xs = self._check_xs(xs)
        p = self._snapshot()
        U, W, b = p["U"], p["W"], p["b"]
        T, H = xs.shape[0], self.n_hidden
        a = np.empty((T, H))
        h = np.empty((T, H))
        with np.errstate(all="ignore"):
            a_in = xs @ U.T + b  # (T, H) b + U x(t) for every t at once
            h_prev = np.zeros(H)  # (H,) h(0)
            for t in range(T):
                a[t] = a_in[t] + W @ h_prev  # (H,) a(t) = b + W h(t-1) + U x(t)
                h[t] = h_prev = activations.apply(self.activation, a[t])  # (H,) h(t) = g(a(t))
            o, y_hat = self._readout(h, p)  # (T, O) o(t) = c + V h(t), y_hat = f(o)
        return RNNForwardTrace(
            x=freeze(xs), y_hat=freeze(y_hat), params=freeze_dict(p), output=self.output,
            a=freeze(a), h=freeze(h), o=freeze(o), activation=self.activation,
        )

    def _sweep(self, tr: RNNForwardTrace, do: np.ndarray, *, truncation: int | None,
               record: bool):
        """The backward sweep from t = T down to 1.

        With ``record`` or ``truncation`` it carries one error row per loss source s (rows alive
        for t <= s < t + k), which gives delta_by_source and truncated BPTT in the same sweep;
        otherwise one row carrying the sum.

        Parameters
        ----------
        do : (T, O) dJ/do(t), already masked.

        Returns
        -------
        deltas : {"h", "a", "o"} -> (T, n).
        by_source : (T, T, H) dJ(s)/dh(t) at [s, t], or None.
        """
        T, H = tr.T, tr.n_hidden
        W = tr.params["W"]
        per_source = record or truncation is not None
        g_prime = activations.derivative(tr.activation, tr.a, tr.h)  # (T, H) g'(a(t))
        dh_own = do @ tr.params["V"]  # (T, H) V^T dJ(t)/do(t), the error J(t) injects at t
        dh = np.zeros((T, H))  # (T, H) dJ/dh(t) summed over sources
        da = np.zeros((T, H))  # (T, H) dJ/da(t)
        by_source = np.zeros((T, T, H)) if record else None
        da_next = None  # (rows, H) dJ(s)/da(t+1) per alive row
        for t in range(T - 1, -1, -1):
            lo, hi = self._window(t, T, truncation, per_source)
            dh_t = np.zeros((hi - lo, H))  # (rows, H)
            if da_next is not None:
                keep = hi - lo - 1 if per_source else 1  # rows still alive one step further back
                dst = slice(1, 1 + keep) if per_source else slice(0, 1)
                dh_t[dst] = da_next[:keep] @ W  # (rows, H) W^T delta_a(t+1), per source
            dh_t[0] += dh_own[t]  # (H,) row s = t (or the sum) receives J(t)'s own error
            da_t = dh_t * g_prime[t]  # (rows, H) back through g
            dh[t] = dh_t.sum(axis=0)  # (H,)
            da[t] = da_t.sum(axis=0)  # (H,)
            if record:
                by_source[lo:hi, t] = dh_t
            da_next = da_t
        return {"h": dh, "a": da, "o": do}, by_source

    def _grads(self, tr: RNNForwardTrace, deltas: dict, *, per_step: bool) -> dict:
        """dJ/dtheta from the per-step errors: summed, or per step t (T, *shape)."""
        da, do = deltas["a"], deltas["o"]
        h_prev = np.vstack([np.zeros((1, tr.n_hidden)), tr.h[:-1]])  # (T, H) h(t-1)
        if per_step:
            return {
                "U": np.einsum("th,ti->thi", da, tr.x),  # (T, H, I) delta_a(t) x(t)^T
                "W": np.einsum("th,tk->thk", da, h_prev),  # (T, H, H) delta_a(t) h(t-1)^T
                "b": da.copy(),  # (T, H)
                "V": np.einsum("to,th->toh", do, tr.h),  # (T, O, H) delta_o(t) h(t)^T
                "c": do.copy(),  # (T, O)
            }
        return {
            "U": da.T @ tr.x,  # (H, I)
            "W": da.T @ h_prev,  # (H, H)
            "b": da.sum(axis=0),  # (H,)
            "V": do.T @ tr.h,  # (O, H)
            "c": do.sum(axis=0),  # (O,)
        }

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", activation={self.activation!r})"
