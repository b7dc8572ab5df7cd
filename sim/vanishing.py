"""The articles' vanishing-gradient formulas beside the true derivatives.

A simple RNN's error travels back as delta_h(k) = (dh(t)/dh(k))^T delta_h(t), and

    (dh(t)/dh(k))^T = W^T diag(g'(a(k+1))) W^T diag(g'(a(k+2))) ... W^T diag(g'(a(t)))

(one W^T diag(g') per step, in this order). The article writes it as (W^T)^(t-k) times the
product of the diag(g'(a(s))), which would be the same only if the factors commuted; they do
not, and :func:`simple_rnn_product` shows both with the session's numbers. Its norm is bounded
by ||W||^(t-k) prod max|g'(a(s))|, the inequality the article uses to argue that errors vanish
or explode exponentially; the bound can be far from the true norm.

For an LSTM the article names ||dJ(t)/dc(k)||, the error that reaches the cell state k steps
back through the whole block (y and c), which :func:`cell_errors` computes from the engine's
one-step Jacobians; sim.analysis.gradient_flow's highway curve is a different number, the
cell-to-cell product holding y fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import derivative
from .analysis import step_jacobians
from .trace import LSTMForwardTrace, RNNForwardTrace


@dataclass(frozen=True, eq=False)
class VanishingProduct:
    """dJ/dh(k) from dJ/dh(t), written two ways, for one pair k < t (1-based steps).

    Attributes
    ----------
    t, k : the steps.
    true : (H, H) (dh(t)/dh(k))^T, the product in its true order.
    article : (H, H) (W^T)^(t-k) prod_{s=k+1..t} diag(g'(a(s))), the article's ordering.
    factors : (t - k, H) g'(a(s)) for s = k+1..t, the diagonals.
    true_norm, article_norm : their spectral norms.
    bound : ||W||^(t-k) prod_s max|g'(a(s))|, the norm bound.
    relative_error : ||article - true||_F / ||true||_F.
    """

    t: int
    k: int
    true: np.ndarray
    article: np.ndarray
    factors: np.ndarray
    true_norm: float
    article_norm: float
    bound: float
    relative_error: float


def simple_rnn_product(tr: RNNForwardTrace, t: int, k: int) -> VanishingProduct:
    """The product that carries the error of step t back to step k of a simple RNN trace."""
    if not isinstance(tr, RNNForwardTrace):
        raise ValueError(f"the product W^T diag(g') is a simple RNN's, not a {tr.kind}'s")
    if not 1 <= k < t <= tr.T:
        raise ValueError(f"need 1 <= k < t <= T = {tr.T}, got k = {k}, t = {t}")
    W = np.asarray(tr.params["W"])  # (H, H)
    gp = derivative(tr.activation, tr.a, tr.h)[k:t]  # (t - k, H) g'(a(s)), s = k+1..t
    H = W.shape[0]
    with np.errstate(all="ignore"):
        true = np.eye(H)
        for row in gp:  # s = k+1 .. t, left to right
            true = true @ (W.T * row[None, :])  # (H, H) ... W^T diag(g'(a(s)))
        article = np.linalg.matrix_power(W.T, t - k) @ np.diag(np.prod(gp, axis=0))  # (H, H)
        true_norm = float(np.linalg.norm(true, 2))
        bound = float(np.linalg.norm(W, 2) ** (t - k) * np.prod(np.abs(gp).max(axis=1)))
        rel = float(np.linalg.norm(article - true) / np.linalg.norm(true))
    return VanishingProduct(t=t, k=k, true=true, article=article, factors=gp,
                            true_norm=true_norm, article_norm=float(np.linalg.norm(article, 2)),
                            bound=bound, relative_error=rel)


def cell_errors(tr: LSTMForwardTrace, delta_out: np.ndarray, loss_mask: np.ndarray,
                truncation: int | None = None) -> np.ndarray:
    """(T, T) [s-1, k-1] = ||dJ(s)/dc(k)||, the error of loss J(s) reaching the cell state of
    step k <= s through the whole LSTM block (y and c), 0 where k > s, where J(s) is masked or
    where truncation drops the term (s - k >= truncation).

    Parameters
    ----------
    tr : an LSTM forward trace.
    delta_out : (T, O) dJ(s)/dout(s) (the engine's delta of the readout: out(s) feeds J(s) only).
    loss_mask : (T,) 1 where J(s) exists.
    truncation : the engine's truncation K, or None.
    """
    if not isinstance(tr, LSTMForwardTrace):
        raise ValueError(f"the cell state c(t) is an LSTM's, not a {tr.kind}'s")
    J = step_jacobians(tr)  # (T, 2H, 2H) d(y, c)(t)/d(y, c)(t-1), y first
    out = np.zeros((tr.T, tr.T))
    for s in range(tr.T):
        if loss_mask[s] == 1:
            out[s] = _cell_row(tr, J, delta_out, s, truncation)
    return out


def cell_error_row(tr: LSTMForwardTrace, delta_out: np.ndarray, s: int,
                   truncation: int | None = None) -> np.ndarray:
    """(T,) ||dJ(s)/dc(k)|| for one loss J(s) (1-based s), as a row of :func:`cell_errors`."""
    if not isinstance(tr, LSTMForwardTrace):
        raise ValueError(f"the cell state c(t) is an LSTM's, not a {tr.kind}'s")
    return _cell_row(tr, step_jacobians(tr), delta_out, s - 1, truncation)


def _cell_row(tr, J, delta_out, s: int, truncation) -> np.ndarray:
    """(T,) ||dJ(s)/dc(k)|| for the 0-based loss s, from the one-step Jacobians J."""
    T, H = tr.T, tr.n_hidden
    V = np.asarray(tr.params["V"])  # (O, H)
    tc = np.tanh(tr.c)  # (T, H)
    po = np.asarray(tr.params["p_o"]) if tr.peepholes else np.zeros(H)  # (H,)
    dy_dc = tr.o * (1 - tc * tc) + tc * tr.o * (1 - tr.o) * po  # (T, H) dy(k)/dc(k), same step
    row = np.zeros(T)
    with np.errstate(all="ignore"):
        g = np.concatenate([delta_out[s] @ V, np.zeros(H)])  # (2H,) dJ(s)/d(y, c)(s)
        last = 0 if truncation is None else max(0, s - truncation + 1)
        for k in range(s, last - 1, -1):
            # c(k) reaches J(s) through y(k) = o tanh c(k) and through c(k+1)
            row[k] = np.linalg.norm(g[H:] + g[:H] * dy_dc[k])  # ||dJ(s)/dc(k)||
            if k > last:
                g = g @ J[k]  # (2H,) back one step: dJ(s)/d(y, c)(k-1)
    return row
