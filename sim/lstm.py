"""The LSTM of Greff et al. ("LSTM: A Search Space Odyssey"), optional peepholes, and its BPTT.

    z_bar = W_z x + R_z y(t-1) + b_z                      z = tanh(z_bar)      block input
    i_bar = W_i x + R_i y(t-1) + p_i * c(t-1) + b_i       i = sigmoid(i_bar)   input gate
    f_bar = W_f x + R_f y(t-1) + p_f * c(t-1) + b_f       f = sigmoid(f_bar)   forget gate
    c(t)  = z * i + c(t-1) * f                                                 cell (the highway)
    o_bar = W_o x + R_o y(t-1) + p_o * c(t) + b_o         o = sigmoid(o_bar)   output gate
    y(t)  = o * tanh(c(t)),   out(t) = c + V y(t),   y_hat(t) = f(out(t))

Internally the four gates are stacked in the order z, i, f, o, so one matrix product per step
serves all of them; the trace exposes each by its own name.
"""

from __future__ import annotations

import numpy as np

from ._model import RecurrentModel
from .activations import sigmoid
from .trace import LSTMForwardTrace, freeze, freeze_dict

GATES = ("z", "i", "f", "o")


def gate_slices(H: int) -> tuple[slice, ...]:
    """Where z, i, f, o sit in the stacked (4H,) pre-activations: one slice per gate."""
    return tuple(slice(k * H, (k + 1) * H) for k in range(len(GATES)))


class LSTM(RecurrentModel):
    """An LSTM block layer with a linear or softmax readout.

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H, O (H at most 256).
    peepholes : add the peephole weights p_i, p_f (reading c(t-1)) and p_o (reading c(t)).
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    kind = "LSTM"
    state_name = "y"

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, peepholes: bool = False,
                 output: str = "softmax", seed: int = 0):
        if not isinstance(peepholes, (bool, np.bool_)):
            raise ValueError(f"peepholes must be True or False, got {peepholes!r}")
        self.peepholes = bool(peepholes)
        super().__init__(n_in, n_hidden, n_out, output=output, seed=seed)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        I, H, O = self.n_in, self.n_hidden, self.n_out
        shapes = {f"W_{g}": (H, I) for g in GATES}
        shapes.update({f"R_{g}": (H, H) for g in GATES})
        shapes.update({f"b_{g}": (H,) for g in GATES})
        if self.peepholes:
            shapes.update({f"p_{g}": (H,) for g in ("i", "f", "o")})
        shapes.update({"V": (O, H), "c": (O,)})
        return shapes

    def _init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        I, H, O = self.n_in, self.n_hidden, self.n_out
        p = {}
        for g in GATES:
            p[f"W_{g}"] = rng.standard_normal((H, I)) / np.sqrt(I)  # (H, I)
        for g in GATES:
            p[f"R_{g}"] = rng.standard_normal((H, H)) / np.sqrt(H)  # (H, H)
        for g in GATES:
            p[f"b_{g}"] = np.zeros(H)  # (H,)
        p["b_f"] += 1.0  # forget gate open at the start: the highway carries errors (Gers et al.)
        if self.peepholes:
            for g in ("i", "f", "o"):
                p[f"p_{g}"] = 0.1 * rng.standard_normal(H)  # (H,)
        p["V"] = rng.standard_normal((O, H)) / np.sqrt(H)  # (O, H)
        p["c"] = np.zeros(O)  # (O,)
        return p

    @staticmethod
    def _stack(p: dict, prefix: str) -> np.ndarray:
        return np.concatenate([p[f"{prefix}_{g}"] for g in GATES], axis=0)  # (4H, ...)

    def forward(self, xs) -> LSTMForwardTrace:
        """Run the LSTM over ``xs`` (T, I) from y(0) = c(0) = 0 and return every intermediate."""
        xs = self._check_xs(xs)
        p = self._snapshot()
        T, H = xs.shape[0], self.n_hidden
        R = self._stack(p, "R")  # (4H, H)
        pre = np.empty((T, 4 * H))  # (T, 4H) z_bar, i_bar, f_bar, o_bar
        act = np.empty((T, 4 * H))  # (T, 4H) z, i, f, o
        c = np.empty((T, H))
        y = np.empty((T, H))
        peep = self.peepholes
        if peep:
            p_i, p_f, p_o = p["p_i"], p["p_f"], p["p_o"]
        zs, is_, fs, os_ = gate_slices(H)
        ifs = slice(is_.start, fs.stop)  # i and f side by side: one sigmoid for both
        with np.errstate(all="ignore"):
            Wx = xs @ self._stack(p, "W").T + self._stack(p, "b")  # (T, 4H) W x(t) + b, all t
            y_prev = np.zeros(H)  # (H,) y(0)
            c_prev = np.zeros(H)  # (H,) c(0)
            for t in range(T):
                bar = pre[t]
                bar[:] = Wx[t] + R @ y_prev  # (4H,) W x(t) + R y(t-1) + b
                if peep:
                    bar[is_] += p_i * c_prev  # (H,) peephole from c(t-1) into i_bar
                    bar[fs] += p_f * c_prev  # (H,) peephole from c(t-1) into f_bar
                a = act[t]
                a[zs] = np.tanh(bar[zs])  # (H,) z = tanh(z_bar)
                a[ifs] = sigmoid(bar[ifs])  # (2H,) i, f = sigmoid(i_bar, f_bar)
                c[t] = c_prev = a[zs] * a[is_] + c_prev * a[fs]  # (H,) z*i + c*f
                if peep:
                    bar[os_] += p_o * c_prev  # (H,) the output peephole reads the new c(t)
                a[os_] = sigmoid(bar[os_])  # (H,) o = sigmoid(o_bar)
                y[t] = y_prev = a[os_] * np.tanh(c_prev)  # (H,) y(t) = o * tanh(c(t))
            out, y_hat = self._readout(y, p)  # (T, O) out = c + V y(t), y_hat = f(out)
        freeze(pre)
        freeze(act)
        return LSTMForwardTrace(
            x=freeze(xs), y_hat=freeze(y_hat), params=freeze_dict(p), output=self.output,
            z_bar=pre[:, zs], i_bar=pre[:, is_], f_bar=pre[:, fs], o_bar=pre[:, os_],
            z=act[:, zs], i=act[:, is_], f=act[:, fs], o=act[:, os_],
            c=freeze(c), y=freeze(y), out=freeze(out), peepholes=peep,
        )

    def _sweep(self, tr: LSTMForwardTrace, dout: np.ndarray, *, truncation: int | None,
               record: bool):
        """The backward sweep from t = T down to 1 (the articles' flows of delta_y and delta_c).

        With ``record`` or ``truncation`` it carries one error row per loss source s (rows alive
        for t <= s < t + k); otherwise one row carrying the sum.

        Parameters
        ----------
        dout : (T, O) dJ/dout(t), already masked.

        Returns
        -------
        deltas : {"y", "c", "z_bar", "i_bar", "f_bar", "o_bar", "out"} -> (T, n).
        by_source : (T, T, H) dJ(s)/dy(t) at [s, t], or None.
        """
        T, H = tr.T, tr.n_hidden
        p = tr.params
        R = self._stack(p, "R")  # (4H, H)
        peep = tr.peepholes
        per_source = record or truncation is not None
        zs, is_, fs, os_ = gate_slices(H)
        z, i, f, o, c = tr.z, tr.i, tr.f, tr.o, tr.c
        c_prev = np.vstack([np.zeros((1, H)), c[:-1]])  # (T, H) c(t-1)
        tanh_c = np.tanh(c)  # (T, H)
        # Local derivatives of each step, for all t at once.
        dy_dobar = tanh_c * o * (1.0 - o)  # (T, H) d y / d o_bar
        dy_dc = o * (1.0 - tanh_c * tanh_c)  # (T, H) d y / d c, through tanh
        dc_dzbar = i * (1.0 - z * z)  # (T, H) d c / d z_bar
        dc_dibar = z * i * (1.0 - i)  # (T, H) d c / d i_bar
        dc_dfbar = c_prev * f * (1.0 - f)  # (T, H) d c / d f_bar
        dy_own = dout @ p["V"]  # (T, H) V^T dJ(t)/dout(t), what J(t) injects at t
        gates = np.zeros((T, 4 * H))  # (T, 4H) delta z_bar, i_bar, f_bar, o_bar summed
        dy = np.zeros((T, H))
        dc = np.zeros((T, H))
        by_source = np.zeros((T, T, H)) if record else None
        g_next = dc_next = None  # (rows, 4H), (rows, H) at t+1, per alive row
        for t in range(T - 1, -1, -1):
            lo, hi = self._window(t, T, truncation, per_source)
            n = hi - lo
            dy_t = np.zeros((n, H))  # (rows, H) delta_y(t)
            dc_t = np.zeros((n, H))  # (rows, H) delta_c(t)
            if g_next is not None:
                keep = n - 1 if per_source else 1
                dst = slice(1, 1 + keep) if per_source else slice(0, 1)
                g = g_next[:keep]  # (keep, 4H) gate errors at t+1
                dy_t[dst] = g @ R  # (keep, H) sum over gates of R_*^T delta_*bar(t+1)
                dc_t[dst] = dc_next[:keep] * f[t + 1]  # (keep, H) the highway: delta_c(t+1) f(t+1)
                if peep:
                    dc_t[dst] += p["p_i"] * g[:, is_]  # (keep, H) via p_i into i_bar(t+1)
                    dc_t[dst] += p["p_f"] * g[:, fs]  # (keep, H) via p_f into f_bar(t+1)
            dy_t[0] += dy_own[t]  # (H,) J(t)'s own error enters row s = t (or the sum)
            g_t = np.empty((n, 4 * H))
            g_t[:, os_] = dy_t * dy_dobar[t]  # (rows, H) delta_o_bar(t)
            dc_t += dy_t * dy_dc[t]  # (rows, H) from y(t) = o tanh(c(t))
            if peep:
                dc_t += p["p_o"] * g_t[:, os_]  # (rows, H) via the output peephole
            g_t[:, zs] = dc_t * dc_dzbar[t]  # (rows, H) delta_z_bar(t)
            g_t[:, is_] = dc_t * dc_dibar[t]  # (rows, H) delta_i_bar(t)
            g_t[:, fs] = dc_t * dc_dfbar[t]  # (rows, H) delta_f_bar(t)
            gates[t] = g_t.sum(axis=0)  # (4H,)
            dy[t] = dy_t.sum(axis=0)  # (H,)
            dc[t] = dc_t.sum(axis=0)  # (H,)
            if record:
                by_source[lo:hi, t] = dy_t
            g_next, dc_next = g_t, dc_t
        deltas = {"y": dy, "c": dc, "out": dout}
        for g, sl in zip(GATES, gate_slices(H), strict=True):
            deltas[f"{g}_bar"] = gates[:, sl]  # (T, H)
        return deltas, by_source

    def _grads(self, tr: LSTMForwardTrace, deltas: dict, *, per_step: bool) -> dict:
        """dJ/dtheta from the per-step errors: summed, or per step t (T, *shape)."""
        H = tr.n_hidden
        y_prev = np.vstack([np.zeros((1, H)), tr.y[:-1]])  # (T, H) y(t-1)
        c_prev = np.vstack([np.zeros((1, H)), tr.c[:-1]])  # (T, H) c(t-1)
        dout = deltas["out"]
        grads = {}
        for g in GATES:
            d = deltas[f"{g}_bar"]  # (T, H)
            if per_step:
                grads[f"W_{g}"] = np.einsum("th,ti->thi", d, tr.x)  # (T, H, I)
                grads[f"R_{g}"] = np.einsum("th,tk->thk", d, y_prev)  # (T, H, H)
                grads[f"b_{g}"] = d.copy()  # (T, H)
            else:
                grads[f"W_{g}"] = d.T @ tr.x  # (H, I)
                grads[f"R_{g}"] = d.T @ y_prev  # (H, H)
                grads[f"b_{g}"] = d.sum(axis=0)  # (H,)
        if tr.peepholes:
            per = {
                "p_i": deltas["i_bar"] * c_prev,  # (T, H) i_bar reads c(t-1)
                "p_f": deltas["f_bar"] * c_prev,  # (T, H) f_bar reads c(t-1)
                "p_o": deltas["o_bar"] * tr.c,  # (T, H) o_bar reads c(t)
            }
            for name, v in per.items():
                grads[name] = v if per_step else v.sum(axis=0)
        if per_step:
            grads["V"] = np.einsum("to,th->toh", dout, tr.y)  # (T, O, H)
            grads["c"] = dout.copy()  # (T, O)
        else:
            grads["V"] = dout.T @ tr.y  # (O, H)
            grads["c"] = dout.sum(axis=0)  # (O,)
        return grads

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", peepholes={self.peepholes})"
