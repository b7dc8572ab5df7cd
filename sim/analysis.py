"""Vanishing and exploding gradients: how errors shrink or grow as they travel back in time.

For a simple RNN, dh(t)/dh(k) = prod_{s=k+1..t} diag(g'(a(s))) W (the articles write the transpose,
W^T diag(g'(a(s))), for the error flowing back; the norms are the same). For an LSTM the state is
(y, c) and the full Jacobian of one step is a 2H x 2H matrix; its cell-to-cell block holding y(t-1)
fixed is diagonal, diag(f(t)) plus the peephole terms: the highway the article credits with
carrying errors far back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import derivative
from .trace import ForwardTrace, GRUForwardTrace, LSTMForwardTrace, freeze

GATES = ("z", "i", "f", "o")


def spectral_radius(M: np.ndarray) -> float:
    """max |eigenvalue| of a square matrix M (H, H)."""
    with np.errstate(all="ignore"):
        return float(np.max(np.abs(np.linalg.eigvals(M)))) if M.size else 0.0


def recurrent_groups(params) -> dict[str, list[str]]:
    """The recurrent matrices of each cell, by the cell's prefix ("" for a one-cell model,
    "fwd." and "bwd." or "enc." and "dec." for two): a simple RNN cell's W, an LSTM cell's
    R_z, R_i, R_f, R_o, a GRU cell's R_r, R_u, R_n."""
    groups: dict[str, list[str]] = {}
    for name in params:
        prefix, _, base = name.rpartition(".")
        prefix = prefix + "." if prefix else ""
        if base == "W" or base.startswith("R_"):
            groups.setdefault(prefix, []).append(name)
    return groups


def recurrent_matrix(params, prefix: str = "") -> np.ndarray:
    """One cell's recurrent weights: W (H, H) for a simple RNN cell, else its R_* stacked
    (4H, H) for an LSTM cell, (3H, H) for a GRU cell."""
    names = recurrent_groups(params)[prefix]
    if len(names) == 1:
        return np.asarray(params[names[0]])
    return np.concatenate([params[n] for n in sorted(names, key=_gate_order)], axis=0)


def _gate_order(name: str) -> int:
    order = "zifoprun"
    g = name.rpartition("_")[2]
    return order.index(g) if g in order else len(order)


def _cell_radius(M: np.ndarray) -> float:
    if M.shape[0] == M.shape[1]:
        return spectral_radius(M)
    return float(np.linalg.norm(M, 2))


def recurrent_radius(params) -> float:
    """The number Unfold reports and sets for "the size of the recurrent weights".

    A simple RNN cell: the spectral radius of W. An LSTM or GRU cell: its stacked R is not
    square, so its largest singular value (which bounds the spectral radius of every R_*). A
    model of two cells: the larger of the two.
    """
    return max(_cell_radius(recurrent_matrix(params, p)) for p in recurrent_groups(params))


def scale_recurrent(params: dict, rho: float) -> float:
    """Rescale each cell's recurrent weights (W, or its R_* by one common factor) in place so that
    its radius becomes ``rho``.

    Returns the factor applied (to the first cell). Raises ValueError for rho <= 0 or a zero
    matrix.
    """
    if not np.isfinite(rho) or rho <= 0:
        raise ValueError(f"rho must be a finite number > 0, got {rho!r}")
    first = None
    for prefix, names in recurrent_groups(params).items():
        now = _cell_radius(recurrent_matrix(params, prefix))
        if now == 0:
            raise ValueError("the recurrent weights are all zero; nothing to scale")
        factor = rho / now
        for name in names:
            params[name] *= factor
        first = factor if first is None else first
    return first


def step_jacobians(tr: ForwardTrace) -> np.ndarray:
    """The one-step state Jacobians for t = 1..T.

    Returns
    -------
    (T, n, n) array: SimpleRNN and GRU dh(t)/dh(t-1) with n = H; LSTM d(y, c)(t)/d(y, c)(t-1)
    with n = 2H, y first.
    """
    if tr.kind not in ("SimpleRNN", "LSTM", "GRU"):
        raise ValueError(f"gradient flow is computed for SimpleRNN, LSTM and GRU, not for a "
                         f"{tr.kind}")
    with np.errstate(all="ignore"):
        if isinstance(tr, GRUForwardTrace):
            return _gru_jacobians(tr)
        if not isinstance(tr, LSTMForwardTrace):
            gp = derivative(tr.activation, tr.a, tr.h)  # (T, H) g'(a(t))
            return gp[:, :, None] * tr.params["W"][None]  # (T, H, H) diag(g') W
        p = tr.params
        T, H = tr.T, tr.n_hidden
        c_prev = np.vstack([np.zeros((1, H)), tr.c[:-1]])  # (T, H) c(t-1)
        z, i, f, o = tr.z, tr.i, tr.f, tr.o
        tc = np.tanh(tr.c)  # (T, H)
        dz, di, df = i * (1 - z * z), z * i * (1 - i), c_prev * f * (1 - f)  # (T, H) dc/dbar
        dc_dy = (dz[:, :, None] * p["R_z"] + di[:, :, None] * p["R_i"]
                 + df[:, :, None] * p["R_f"])  # (T, H, H) dc(t)/dy(t-1)
        hw = highway_factors(tr)  # (T, H) diagonal of dc(t)/dc(t-1)
        dc_dc = np.zeros((T, H, H))
        dc_dc[:, np.arange(H), np.arange(H)] = hw  # (T, H, H)
        po = p["p_o"] if tr.peepholes else np.zeros(H)
        do_dy = p["R_o"][None] + po[None, :, None] * dc_dy  # (T, H, H) d o_bar / d y(t-1)
        do_dc = po[None, :, None] * dc_dc  # (T, H, H) d o_bar / d c(t-1)
        a_o = (tc * o * (1 - o))[:, :, None]  # (T, H, 1) dy/do_bar
        a_c = (o * (1 - tc * tc))[:, :, None]  # (T, H, 1) dy/dc
        J = np.empty((T, 2 * H, 2 * H))
        J[:, :H, :H] = a_o * do_dy + a_c * dc_dy  # dy(t)/dy(t-1)
        J[:, :H, H:] = a_o * do_dc + a_c * dc_dc  # dy(t)/dc(t-1)
        J[:, H:, :H] = dc_dy  # dc(t)/dy(t-1)
        J[:, H:, H:] = dc_dc  # dc(t)/dc(t-1)
        return J


def _gru_jacobians(tr: GRUForwardTrace) -> np.ndarray:
    """(T, H, H) dh(t)/dh(t-1) of a GRU.

    h = (1 - u) n + u h(t-1),  n = tanh(W_n x + b_n + r * (R_n h(t-1))),
    r = sigmoid(r_bar), u = sigmoid(u_bar), both reading R_r h(t-1), R_u h(t-1).
    """
    p = tr.params
    H = tr.n_hidden
    h_prev = np.vstack([np.zeros((1, H)), tr.h[:-1]])  # (T, H) h(t-1)
    r, u, n = tr.r, tr.u, tr.n
    dn = (1 - u) * (1 - n * n)  # (T, H) dh/dn_bar
    dn_dh = (r[:, :, None] * p["R_n"][None]
             + (tr.n_rec * r * (1 - r))[:, :, None] * p["R_r"][None])  # (T, H, H) dn_bar/dh(t-1)
    du_dh = ((h_prev - n) * u * (1 - u))[:, :, None] * p["R_u"][None]  # (T, H, H) via u
    J = dn[:, :, None] * dn_dh + du_dh  # (T, H, H)
    J[:, np.arange(H), np.arange(H)] += u  # (T, H) the direct path u(t) h(t-1)
    return J


def highway_factors(tr: LSTMForwardTrace) -> np.ndarray:
    """(T, H) the diagonal of dc(t)/dc(t-1) holding y(t-1) fixed: f + peephole terms."""
    H = tr.n_hidden
    c_prev = np.vstack([np.zeros((1, H)), tr.c[:-1]])  # (T, H)
    d = np.array(tr.f, copy=True)  # (T, H) the direct path through diag(f(t))
    if tr.peepholes:
        p = tr.params
        d += tr.z * tr.i * (1 - tr.i) * p["p_i"]  # (T, H) via i_bar's peephole on c(t-1)
        d += c_prev * tr.f * (1 - tr.f) * p["p_f"]  # (T, H) via f_bar's peephole on c(t-1)
    return d


@dataclass(frozen=True, eq=False)
class GradientFlow:
    """Norms of how the state at step t depends on the state at step k <= t.

    Attributes
    ----------
    state : (T, T) [t-1, k-1] = ||dh(t)/dh(k)||_2 (SimpleRNN) or ||dy(t)/dy(k)||_2 (LSTM,
        through both y and c), NaN for k > t; 1 on the diagonal.
    highway : (T, T) ||dc(t)/dc(k)|| along the cell highway (LSTM), None for a SimpleRNN.
    radius : recurrent_radius of the parameters the trace used.
    """

    state: np.ndarray
    highway: np.ndarray | None
    radius: float

    def by_distance(self, which: str = "state") -> np.ndarray:
        """(T,) geometric mean over t of the norm at distance d = t - k, for d = 0..T-1."""
        return by_distance(getattr(self, which))


def gradient_flow(tr: ForwardTrace, *, progress=None, should_stop=None) -> GradientFlow | None:
    """Jacobian-product norms over all (t, k) for one forward trace (cost O(T^2 n^3)).

    Parameters
    ----------
    tr : a SimpleRNN, LSTM or GRU forward trace.
    progress : optional callable taking the fraction done, 0..1 (called once per step t).
    should_stop : optional callable; when it returns True the work stops and None is returned.
    """
    J = step_jacobians(tr)  # (T, n, n)
    T, n = J.shape[0], J.shape[1]
    H = tr.n_hidden
    state = np.full((T, T), np.nan)
    total = T * (T + 1) / 2  # one product per (t, k), k <= t
    done = 0
    with np.errstate(all="ignore"):
        # by distance d = t - k, every t at once: rows[t] = the y(t) rows of J(t) ... J(t-d+1),
        # (H, n) each (half the work of full products for an LSTM); one batched product per d
        rows = np.broadcast_to(np.eye(n)[:H], (T, H, n)).copy()  # (T, H, n) at d = 0
        t_idx = np.arange(T)
        for d in range(T):
            if should_stop is not None and should_stop():
                return None
            if progress is not None and d:
                progress(done / total)
            if d:
                rows = rows[1:] @ J[1:T - d + 1]  # (T - d, H, n) for t = d..T-1
            block = rows[:, :, :H]  # (T - d, H, H) dy(t)/dy(t - d)
            finite = np.isfinite(block).all(axis=(1, 2))
            norms = np.full(T - d, np.inf)
            if finite.any():
                norms[finite] = np.linalg.norm(block[finite], ord=2, axis=(1, 2))
            state[t_idx[d:], t_idx[d:] - d] = norms
            done += T - d
        highway = None
        if isinstance(tr, LSTMForwardTrace):
            logd = np.log(np.abs(highway_factors(tr)))  # (T, H)
            C = np.cumsum(logd, axis=0)  # (T, H) sum_{s <= t}
            diff = C[:, None, :] - C[None, :, :]  # (T, T, H) sum over s in (k, t]
            highway = np.exp(diff).max(axis=2)  # (T, T) ||diag product||_2 = max |entry|
            highway[np.triu_indices(T, 1)] = np.nan
            highway[np.diag_indices(T)] = 1.0
    if progress is not None:
        progress(1.0)
    return GradientFlow(state=freeze(state), highway=None if highway is None else freeze(highway),
                        radius=recurrent_radius(tr.params))


def error_norms(delta_by_source: np.ndarray) -> np.ndarray:
    """(T, T) [s-1, k-1] = ||dJ(s)/dh(k)||: the error from loss J(s) arriving at step k."""
    with np.errstate(all="ignore"):
        return np.linalg.norm(delta_by_source, axis=2)


def by_distance(M: np.ndarray) -> np.ndarray:
    """(T,) geometric mean over t of M[t, t - d] for d = 0..T-1 (zeros and NaN ignored)."""
    T = M.shape[0]
    out = np.full(T, np.nan)
    with np.errstate(all="ignore"):
        for d in range(T):
            v = np.diagonal(M, offset=-d)  # (T - d,) M[t, t - d]
            v = v[np.isfinite(v) & (v > 0)]
            if v.size:
                out[d] = np.exp(np.mean(np.log(v)))
    return out


def slope_per_step(curve: np.ndarray) -> float:
    """The factor per step of a geometric curve (T,) over d = 0..T-1: exp of the fitted slope of
    log(curve) against d. < 1 vanishes, > 1 explodes. NaN if fewer than two usable points."""
    d = np.arange(curve.shape[0])
    ok = np.isfinite(curve) & (curve > 0)
    if ok.sum() < 2:
        return float("nan")
    slope = np.polyfit(d[ok], np.log(curve[ok]), 1)[0]
    return float(np.exp(slope))
