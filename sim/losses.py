"""Readout nonlinearities and per-step losses, each next to its local derivative."""

from __future__ import annotations

import numpy as np

OUTPUTS = ("softmax", "linear")
LOSSES = ("cross_entropy", "mse")


def softmax(r: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``r`` (T, O), shifted by the row maximum for stability."""
    e = np.exp(r - r.max(axis=-1, keepdims=True))  # (T, O)
    return e / e.sum(axis=-1, keepdims=True)  # (T, O)


def apply_output(r: np.ndarray, output: str) -> np.ndarray:
    """y_hat = f(r) for the readout r (T, O)."""
    return softmax(r) if output == "softmax" else r.copy()


def per_step_loss(
    r: np.ndarray, y_hat: np.ndarray, targets: np.ndarray, loss: str, output: str
) -> tuple[np.ndarray, np.ndarray]:
    """Unmasked J(t) and dJ(t)/dr(t) for every step.

    Parameters
    ----------
    r : (T, O) readout before f (o(t) or out(t)).
    y_hat : (T, O) f(r).
    targets : (T,) int classes for "cross_entropy", (T, O) values for "mse".
    loss : "cross_entropy" or "mse".
    output : "softmax" or "linear" (only matters for "mse").

    Returns
    -------
    J : (T,) the per-step losses.
    dr : (T, O) their gradients with respect to r(t).
    """
    T = r.shape[0]
    steps = np.arange(T)
    if loss == "cross_entropy":
        # J(t) = -log softmax(r(t))[target(t)], whatever f is: the articles' classification loss.
        m = r.max(axis=1, keepdims=True)  # (T, 1)
        lse = m[:, 0] + np.log(np.exp(r - m).sum(axis=1))  # (T,) log-sum-exp
        J = lse - r[steps, targets]  # (T,)
        dr = softmax(r)  # (T, O)
        dr[steps, targets] -= 1.0  # (T, O) softmax(r) - onehot(target)
        return J, dr
    e = y_hat - targets  # (T, O) residual
    J = 0.5 * (e * e).sum(axis=1)  # (T,)
    if output == "linear":
        return J, e  # (T, O) dJ/dr = y_hat - target
    # Back through softmax: J_softmax^T e = y_hat * (e - <y_hat, e>).
    dr = y_hat * (e - (y_hat * e).sum(axis=1, keepdims=True))  # (T, O)
    return J, dr
