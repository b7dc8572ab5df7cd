"""The gated recurrent unit (Cho et al. 2014, the form of cuDNN and PyTorch) and its BPTT.

    r_bar = W_r x + R_r h(t-1) + b_r                  r = sigmoid(r_bar)   reset gate
    u_bar = W_u x + R_u h(t-1) + b_u                  u = sigmoid(u_bar)   update gate
    n_bar = W_n x + b_n + r * (R_n h(t-1))            n = tanh(n_bar)      candidate
    h(t)  = (1 - u) * n + u * h(t-1),   out(t) = c + V h(t),   y_hat(t) = f(out(t))

u = 1 keeps the old state: the update gate is the GRU's highway, as f is the LSTM's. The gates are
stacked in the order r, u, n; ``n_rec`` = R_n h(t-1) is kept, since r(t) multiplies it.
:class:`GRUCell` is the recurrence; :class:`GRU` adds the readout (out, y_hat).
"""

from __future__ import annotations

import numpy as np

from ._model import SequenceModel
from .activations import sigmoid
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
from .trace import GRUForwardTrace

GATES = ("r", "u", "n")


class GRUCell(Cell):
    """The GRU's recurrence, for D chains.

    Parameters
    ----------
    n_in, n_hidden : sizes I and H.
    """

    kind = "gru"
    state_name = "h"
    state_names = ("h",)
    array_names = ("r_bar", "u_bar", "n_rec", "n_bar", "r", "u", "n", "h")
    delta_names = ("h", "r_bar", "u_bar", "n_bar", "n_rec")

    def __init__(self, n_in: int, n_hidden: int):
        super().__init__(n_in, n_hidden)
        H = n_hidden
        self.slices = tuple(slice(k * H, (k + 1) * H) for k in range(3))  # r, u, n

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        I, H = self.n_in, self.n_hidden
        shapes = {f"W_{g}": (H, I) for g in GATES}
        shapes.update({f"R_{g}": (H, H) for g in GATES})
        shapes.update({f"b_{g}": (H,) for g in GATES})
        return shapes

    def init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        I, H = self.n_in, self.n_hidden
        p = {}
        for g in GATES:
            p[f"W_{g}"] = rng.standard_normal((H, I)) / np.sqrt(I)  # (H, I)
        for g in GATES:
            p[f"R_{g}"] = rng.standard_normal((H, H)) / np.sqrt(H)  # (H, H)
        for g in GATES:
            p[f"b_{g}"] = np.zeros(H)  # (H,)
        return p

    def stack(self, ps) -> dict[str, np.ndarray]:
        return {m: chains([np.concatenate([p[f"{m}_{g}"] for g in GATES]) for p in ps])
                for m in ("W", "R", "b")}  # (D, 3H, I), (D, 3H, H), (D, 3H) gates r, u, n

    def forward(self, P, xs, state0=None):
        D, T, H = xs.shape[0], xs.shape[1], self.n_hidden
        R = lone(P["R"])  # (D, 3H, H)
        rs, us, ns = self.slices
        rus = slice(0, 2 * H)  # r and u side by side: one sigmoid for both
        pre = steps(D, T, 3 * H)  # (D, T, 3H) r_bar, u_bar, n_bar
        act = steps(D, T, 3 * H)  # (D, T, 3H) r, u, n
        n_rec = steps(D, T, H)
        h = steps(D, T, H)
        pre_t, act_t, n_rec_t, h_t = by_step(pre), by_step(act), by_step(n_rec), by_step(h)
        Wx = by_step(self._project(P, xs))  # [t] -> (D, 3H) W x(t) + b, all t at once
        h_prev = lone(self._initial(D, state0)[0])  # (D, H) h(0)
        for t in range(T):
            Rh = matvec(R, h_prev)  # (D, 3H) R_r h(t-1), R_u h(t-1), R_n h(t-1)
            wx, bar, a = Wx[t], pre_t[t], act_t[t]
            bar[..., rus] = wx[..., rus] + Rh[..., rus]  # (D, 2H) r_bar, u_bar
            a[..., rus] = sigmoid(bar[..., rus])  # (D, 2H) r, u
            n_rec_t[t] = Rh[..., ns]  # (D, H) R_n h(t-1), which the reset gate scales
            bar[..., ns] = wx[..., ns] + a[..., rs] * Rh[..., ns]  # (D, H) W_n x + b_n + r*R_n h
            a[..., ns] = np.tanh(bar[..., ns])  # (D, H) n = tanh(n_bar)
            u = a[..., us]
            h_t[t] = h_prev = (1.0 - u) * a[..., ns] + u * h_prev  # (D, H) (1-u) n + u h(t-1)
        frozen(pre)
        frozen(act)
        F = {f"{g}_bar": pre[..., sl] for g, sl in zip(GATES, self.slices, strict=True)}
        F.update({g: act[..., sl] for g, sl in zip(GATES, self.slices, strict=True)})
        F.update(n_rec=frozen(n_rec), h=frozen(h))
        return F

    def _local(self, P, F, state0):
        r, u, n = F["r"], F["u"], F["n"]  # (D, T, H) each
        h_prev = shifted(F["h"], None if state0 is None else state0[0])  # (D, T, H) h(t-1)
        rec_scale = np.ones(r.shape[:2] + (3 * self.n_hidden,))  # (D, T, 3H)
        rec_scale[..., self.slices[2]] = r  # R_n's error is r * delta_n_bar; R_r, R_u see theirs
        local = {
            "dh_dnbar": (1.0 - u) * (1.0 - n * n),  # (D, T, H) d h / d n_bar, through tanh
            "dh_dubar": (h_prev - n) * u * (1.0 - u),  # (D, T, H) d h / d u_bar
            "dnbar_drbar": F["n_rec"] * r * (1.0 - r),  # (D, T, H) d n_bar / d r_bar
            "rec_scale": rec_scale,  # (D, T, 3H)
            "u": u,  # (D, T, H) d h(t) / d h(t-1) along the highway
        }
        L = {name: rowwise_by_step(v) for name, v in local.items()}
        L.update(R=lone(P["R"]), W=lone(P["W"]))
        return L

    def _record_sizes(self) -> dict[str, int]:
        return {"h": self.n_hidden, "gates": 3 * self.n_hidden}

    def _back(self, L, t, ds, rec):
        (dh,) = ds  # ([D,] rows, H) delta_h(t) per alive row
        rs, us, ns = self.slices
        g = np.empty(dh.shape[:-1] + (3 * self.n_hidden,))  # ([D,] rows, 3H) delta_*_bar(t)
        g[..., ns] = dh * L["dh_dnbar"][t]  # ([D,] rows, H) delta_n_bar(t)
        g[..., us] = dh * L["dh_dubar"][t]  # ([D,] rows, H) delta_u_bar(t)
        g[..., rs] = g[..., ns] * L["dnbar_drbar"][t]  # ([D,] rows, H) delta_r_bar(t)
        g_rec = g * L["rec_scale"][t]  # ([D,] rows, 3H) what R_r, R_u, R_n see
        rec["gates"][t] = row_sum(g)  # ([D,] 3H)
        rec["h"][t] = row_sum(dh)  # ([D,] H)
        return g, g_rec, dh

    def _carry(self, L, nxt, rows, t1):
        g_rec, dh = nxt[1][..., rows, :], nxt[2][..., rows, :]  # ([D,] keep, 3H), ([D,] keep, H)
        dh_prev = g_rec @ L["R"]  # ([D,] keep, H) R_r^T d_r_bar + R_u^T d_u_bar + R_n^T r d_n_bar
        dh_prev += dh * L["u"][t1]  # ([D,] keep, H) the highway: delta_h(t1) u(t1)
        return (dh_prev,)

    def _input_error(self, L, nxt, rows):
        return nxt[0][..., rows, :] @ L["W"]  # ([D,] keep, I) sum over gates of W_*^T delta

    def _finish(self, rec, F):
        gates = rec.pop("gates")  # (D, T, 3H)
        for g, sl in zip(GATES, self.slices, strict=True):
            rec[f"{g}_bar"] = gates[..., sl]  # (D, T, H)
        rec["n_rec"] = F["r"] * rec["n_bar"]  # (D, T, H) the error on R_n h(t-1)
        return rec

    def grads(self, P, F, xs, deltas, state0, *, per_step):
        h_prev = shifted(F["h"], None if state0 is None else state0[0])  # (D, T, H) h(t-1)
        d_rec = {"r": deltas["r_bar"], "u": deltas["u_bar"],
                 "n": deltas["n_rec"]}  # (D, T, H) the errors R_r, R_u, R_n see
        grads = {}
        for g in GATES:
            d = deltas[f"{g}_bar"]  # (D, T, H)
            if per_step:
                grads[f"W_{g}"] = np.einsum("dth,dti->dthi", d, xs)  # (D, T, H, I)
                grads[f"R_{g}"] = np.einsum("dth,dtk->dthk", d_rec[g], h_prev)  # (D, T, H, H)
                grads[f"b_{g}"] = d.copy()  # (D, T, H)
            else:
                grads[f"W_{g}"] = np.swapaxes(d, 1, 2) @ xs  # (D, H, I)
                grads[f"R_{g}"] = np.swapaxes(d_rec[g], 1, 2) @ h_prev  # (D, H, H)
                grads[f"b_{g}"] = d.sum(axis=1)  # (D, H)
        return grads


class GRU(SequenceModel):
    """A GRU layer with a linear or softmax readout.

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H, O (H at most 256).
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    kind = "GRU"
    state_name = "h"
    cell = "gru"
    trace_class = GRUForwardTrace
    readout_name = "out"

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, output: str = "softmax",
                 seed: int = 0):
        super().__init__(n_in, n_hidden, n_out, output=output, seed=seed)

    def _make_cell(self) -> GRUCell:
        return GRUCell(self.n_in, self.n_hidden)

    def forward(self, xs, state0=None) -> GRUForwardTrace:
        """Run the GRU over ``xs`` (T, I) from h(0) = 0, or from ``state0`` = (h(0),)
        when given (a chunk carries the state the previous chunk ended in); every
        intermediate."""
        return super().forward(xs, state0)
