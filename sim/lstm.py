"""The LSTM of Greff et al. ("LSTM: A Search Space Odyssey"), optional peepholes, and its BPTT.

    z_bar = W_z x + R_z y(t-1) + b_z                      z = tanh(z_bar)      block input
    i_bar = W_i x + R_i y(t-1) + p_i * c(t-1) + b_i       i = sigmoid(i_bar)   input gate
    f_bar = W_f x + R_f y(t-1) + p_f * c(t-1) + b_f       f = sigmoid(f_bar)   forget gate
    c(t)  = z * i + c(t-1) * f                                                 cell (the highway)
    o_bar = W_o x + R_o y(t-1) + p_o * c(t) + b_o         o = sigmoid(o_bar)   output gate
    y(t)  = o * tanh(c(t)),   out(t) = c + V y(t),   y_hat(t) = f(out(t))

Internally the four gates are stacked in the order z, i, f, o, so one matrix product per step
serves all of them; the trace exposes each by its own name. :class:`LSTMCell` is the block;
:class:`LSTM` adds the readout (out, y_hat).
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
    rowwise,
    rowwise_by_step,
    shifted,
    steps,
)
from .trace import LSTMForwardTrace

GATES = ("z", "i", "f", "o")
PEEPHOLES = ("p_i", "p_f", "p_o")


def gate_slices(H: int) -> tuple[slice, ...]:
    """Where z, i, f, o sit in the stacked (4H,) pre-activations: one slice per gate."""
    return tuple(slice(k * H, (k + 1) * H) for k in range(len(GATES)))


def check_peepholes(peepholes) -> bool:
    if not isinstance(peepholes, (bool, np.bool_)):
        raise ValueError(f"peepholes must be True or False, got {peepholes!r}")
    return bool(peepholes)


class LSTMCell(Cell):
    """The LSTM block (y and c carried from step to step), for D chains.

    Parameters
    ----------
    n_in, n_hidden : sizes I and H.
    peepholes : add p_i, p_f (reading c(t-1)) and p_o (reading c(t)).
    forget_gate : False fixes f = 1 (the original LSTM of Hochreiter and Schmidhuber, before
        Gers et al. added the forget gate): the cell keeps everything, c(t) = c(t-1) + z i, and
        W_f, R_f, b_f (and p_f) take no part (their gradients are 0).
    """

    kind = "lstm"
    state_name = "y"
    state_names = ("y", "c")
    array_names = ("z_bar", "i_bar", "f_bar", "o_bar", "z", "i", "f", "o", "c", "y")
    delta_names = ("y", "c", "z_bar", "i_bar", "f_bar", "o_bar")

    def __init__(self, n_in: int, n_hidden: int, peepholes: bool = False,
                 forget_gate: bool = True):
        super().__init__(n_in, n_hidden)
        self.peepholes = check_peepholes(peepholes)
        if not isinstance(forget_gate, (bool, np.bool_)):
            raise ValueError(f"forget_gate must be True or False, got {forget_gate!r}")
        self.forget_gate = bool(forget_gate)
        self.slices = gate_slices(n_hidden)  # z, i, f, o in the stacked (4H,) vectors

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        I, H = self.n_in, self.n_hidden
        shapes = {f"W_{g}": (H, I) for g in GATES}
        shapes.update({f"R_{g}": (H, H) for g in GATES})
        shapes.update({f"b_{g}": (H,) for g in GATES})
        if self.peepholes:
            shapes.update({name: (H,) for name in PEEPHOLES})
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
        p["b_f"] += 1.0  # forget gate open at the start: the highway carries errors (Gers et al.)
        if self.peepholes:
            for name in PEEPHOLES:
                p[name] = 0.1 * rng.standard_normal(H)  # (H,)
        return p

    def stack(self, ps) -> dict[str, np.ndarray]:
        P = {m: chains([np.concatenate([p[f"{m}_{g}"] for g in GATES]) for p in ps])
             for m in ("W", "R", "b")}  # (D, 4H, I), (D, 4H, H), (D, 4H) gates z, i, f, o
        if self.peepholes:
            P.update({name: chains([p[name] for p in ps]) for name in PEEPHOLES})  # (D, H)
        return P

    def settings(self) -> dict:
        return {"peepholes": self.peepholes, "forget_gate": self.forget_gate}

    def forward(self, P, xs, state0=None):
        D, T, H = xs.shape[0], xs.shape[1], self.n_hidden
        R = lone(P["R"])  # (D, 4H, H)
        peep = self.peepholes
        if peep:
            p_i, p_f, p_o = lone(P["p_i"]), lone(P["p_f"]), lone(P["p_o"])  # (D, H) each
        zs, is_, fs, os_ = self.slices
        ifs = slice(is_.start, fs.stop)  # i and f side by side: one sigmoid for both
        pre = steps(D, T, 4 * H)  # (D, T, 4H) z_bar, i_bar, f_bar, o_bar
        act = steps(D, T, 4 * H)  # (D, T, 4H) z, i, f, o
        c = steps(D, T, H)
        y = steps(D, T, H)
        pre_t, act_t, c_t, y_t = by_step(pre), by_step(act), by_step(c), by_step(y)
        Wx = by_step(self._project(P, xs))  # [t] -> (D, 4H) W x(t) + b, all t at once
        y_prev, c_prev = (lone(s) for s in self._initial(D, state0))  # (D, H) y(0), c(0)
        for t in range(T):
            bar = pre_t[t]
            bar[:] = Wx[t] + matvec(R, y_prev)  # (D, 4H) W x(t) + R y(t-1) + b
            if peep:
                bar[..., is_] += p_i * c_prev  # (D, H) peephole from c(t-1) into i_bar
                bar[..., fs] += p_f * c_prev  # (D, H) peephole from c(t-1) into f_bar
            a = act_t[t]
            a[..., zs] = np.tanh(bar[..., zs])  # (D, H) z = tanh(z_bar)
            a[..., ifs] = sigmoid(bar[..., ifs])  # (D, 2H) i, f = sigmoid(i_bar, f_bar)
            if not self.forget_gate:
                a[..., fs] = 1.0  # (D, H) no forget gate: f = 1, the cell keeps everything
            c_t[t] = c_prev = a[..., zs] * a[..., is_] + c_prev * a[..., fs]  # (D, H) z*i + c*f
            if peep:
                bar[..., os_] += p_o * c_prev  # (D, H) the output peephole reads the new c(t)
            a[..., os_] = sigmoid(bar[..., os_])  # (D, H) o = sigmoid(o_bar)
            y_t[t] = y_prev = a[..., os_] * np.tanh(c_prev)  # (D, H) y(t) = o * tanh(c(t))
        frozen(pre)
        frozen(act)
        F = {f"{g}_bar": pre[..., sl] for g, sl in zip(GATES, self.slices, strict=True)}
        F.update({g: act[..., sl] for g, sl in zip(GATES, self.slices, strict=True)})
        F.update(c=frozen(c), y=frozen(y))
        return F

    def _local(self, P, F, state0):
        z, i, f, o, c = F["z"], F["i"], F["f"], F["o"], F["c"]  # (D, T, H) each
        c_prev = shifted(c, None if state0 is None else state0[1])  # (D, T, H) c(t-1)
        tanh_c = np.tanh(c)  # (D, T, H)
        local = {
            "dy_dobar": tanh_c * o * (1.0 - o),  # (D, T, H) d y / d o_bar
            "dy_dc": o * (1.0 - tanh_c * tanh_c),  # (D, T, H) d y / d c, through tanh
            "dc_dzbar": i * (1.0 - z * z),  # (D, T, H) d c / d z_bar
            "dc_dibar": z * i * (1.0 - i),  # (D, T, H) d c / d i_bar
            "dc_dfbar": c_prev * f * (1.0 - f),  # (D, T, H) d c / d f_bar (0 when f = 1)
            "f": f,  # (D, T, H) d c(t) / d c(t-1), the highway
        }
        L = {name: rowwise_by_step(v) for name, v in local.items()}
        L.update(R=lone(P["R"]), W=lone(P["W"]))
        if self.peepholes:
            L.update({name: rowwise(P[name]) for name in PEEPHOLES})
        return L

    def _record_sizes(self) -> dict[str, int]:
        H = self.n_hidden
        return {"y": H, "c": H, "gates": 4 * H}

    def _back(self, L, t, ds, rec):
        dy, dc = ds  # ([D,] rows, H) delta_y(t), delta_c(t) per alive row (so far)
        zs, is_, fs, os_ = self.slices
        g = np.empty(dy.shape[:-1] + (4 * self.n_hidden,))  # ([D,] rows, 4H) delta_*_bar(t)
        g[..., os_] = dy * L["dy_dobar"][t]  # ([D,] rows, H) delta_o_bar(t)
        dc += dy * L["dy_dc"][t]  # ([D,] rows, H) from y(t) = o tanh(c(t))
        if self.peepholes:
            dc += L["p_o"] * g[..., os_]  # ([D,] rows, H) via the output peephole
        g[..., zs] = dc * L["dc_dzbar"][t]  # ([D,] rows, H) delta_z_bar(t)
        g[..., is_] = dc * L["dc_dibar"][t]  # ([D,] rows, H) delta_i_bar(t)
        g[..., fs] = dc * L["dc_dfbar"][t]  # ([D,] rows, H) delta_f_bar(t)
        rec["gates"][t] = row_sum(g)  # ([D,] 4H)
        rec["y"][t] = row_sum(dy)  # ([D,] H)
        rec["c"][t] = row_sum(dc)  # ([D,] H)
        return g, dc

    def _carry(self, L, nxt, rows, t1):
        g, dc = nxt[0][..., rows, :], nxt[1][..., rows, :]  # ([D,] keep, 4H), ([D,] keep, H)
        dy_prev = g @ L["R"]  # ([D,] keep, H) sum over gates of R_*^T delta_*_bar(t1)
        dc_prev = dc * L["f"][t1]  # ([D,] keep, H) the highway: delta_c(t1) f(t1)
        if self.peepholes:
            _, is_, fs, _ = self.slices
            dc_prev += L["p_i"] * g[..., is_]  # ([D,] keep, H) via p_i into i_bar(t1)
            dc_prev += L["p_f"] * g[..., fs]  # ([D,] keep, H) via p_f into f_bar(t1)
        return dy_prev, dc_prev

    def _input_error(self, L, nxt, rows):
        return nxt[0][..., rows, :] @ L["W"]  # ([D,] keep, I) sum over gates of W_*^T delta

    def _finish(self, rec, F):
        gates = rec.pop("gates")  # (D, T, 4H)
        for g, sl in zip(GATES, self.slices, strict=True):
            rec[f"{g}_bar"] = gates[..., sl]  # (D, T, H)
        return rec

    def grads(self, P, F, xs, deltas, state0, *, per_step):
        y0, c0 = (None, None) if state0 is None else state0
        y_prev = shifted(F["y"], y0)  # (D, T, H) y(t-1)
        grads = {}
        for g in GATES:
            d = deltas[f"{g}_bar"]  # (D, T, H)
            if per_step:
                grads[f"W_{g}"] = np.einsum("dth,dti->dthi", d, xs)  # (D, T, H, I)
                grads[f"R_{g}"] = np.einsum("dth,dtk->dthk", d, y_prev)  # (D, T, H, H)
                grads[f"b_{g}"] = d.copy()  # (D, T, H)
            else:
                d_T = np.swapaxes(d, 1, 2)  # (D, H, T)
                grads[f"W_{g}"] = d_T @ xs  # (D, H, I)
                grads[f"R_{g}"] = d_T @ y_prev  # (D, H, H)
                grads[f"b_{g}"] = d.sum(axis=1)  # (D, H)
        if self.peepholes:
            c_prev = shifted(F["c"], c0)  # (D, T, H) c(t-1)
            per = {
                "p_i": deltas["i_bar"] * c_prev,  # (D, T, H) i_bar reads c(t-1)
                "p_f": deltas["f_bar"] * c_prev,  # (D, T, H) f_bar reads c(t-1)
                "p_o": deltas["o_bar"] * F["c"],  # (D, T, H) o_bar reads c(t)
            }
            for name, v in per.items():
                grads[name] = v if per_step else v.sum(axis=1)
        return grads


class LSTM(SequenceModel):
    """An LSTM block layer with a linear or softmax readout.

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H, O (H at most 256).
    peepholes : add the peephole weights p_i, p_f (reading c(t-1)) and p_o (reading c(t)).
    forget_gate : False fixes f = 1 (see :class:`LSTMCell`).
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    kind = "LSTM"
    state_name = "y"
    cell = "lstm"
    trace_class = LSTMForwardTrace
    readout_name = "out"

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, peepholes: bool = False,
                 forget_gate: bool = True, output: str = "softmax", seed: int = 0):
        self.peepholes = check_peepholes(peepholes)
        self.forget_gate = forget_gate
        super().__init__(n_in, n_hidden, n_out, output=output, seed=seed)

    def _make_cell(self) -> LSTMCell:
        return LSTMCell(self.n_in, self.n_hidden, self.peepholes, self.forget_gate)

    def forward(self, xs, state0=None) -> LSTMForwardTrace:
        """Run the LSTM over ``xs`` (T, I) from y(0) = c(0) = 0, or from ``state0`` = (y(0), c(0))
        when given (a chunk carries the state the previous chunk ended in); every
        intermediate."""
        return super().forward(xs, state0)

    def __repr__(self) -> str:
        extra = "" if self.forget_gate else ", forget_gate=False"
        return super().__repr__()[:-1] + f", peepholes={self.peepholes}{extra})"
