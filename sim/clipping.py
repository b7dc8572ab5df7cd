"""Gradient norm clipping (Goodfellow et al. 10.11.1; the articles' "at every time step")."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _checks


def global_norm(grads: Mapping[str, np.ndarray]) -> float:
    """||g||: the Euclidean norm of all parameters' gradients taken together.

    Summed in the order of the parameters' names, so the same gradients give the same float
    whatever order the dict lists them in.
    """
    return float(np.sqrt(sum(float(np.sum(grads[k] * grads[k])) for k in sorted(grads))))


def clip_by_norm(grads, threshold: float, *, mode: str = "global"):
    """Rescale gradients so that their norm is at most ``threshold``.

    ``g <- g * threshold / ||g||`` when ``||g|| > threshold``.

    Parameters
    ----------
    grads : mode "global": name -> dJ/dtheta (a BackwardTrace's ``grads``).
        mode "per_step": name -> (T, *shape), a BackwardTrace's ``grads_per_step``; each step's
        contribution (dJ/dtheta)^(t) is clipped on its own, then the steps are summed.
        A BackwardTrace is accepted too; the mode picks which of its dicts is used.
    threshold : the largest allowed norm, > 0.
    mode : "global" or "per_step".

    Returns
    -------
    clipped : name -> array shaped like the parameter.
    norm_before : float (global) or (T,) array of per-step norms (per_step).
    """
    mode = _checks.choice("mode", mode, ("global", "per_step"))
    if isinstance(threshold, bool) or not np.isscalar(threshold) or not threshold > 0:
        raise ValueError(f"threshold must be a number > 0, got {threshold!r}")
    if hasattr(grads, "grads_per_step"):
        grads = grads.grads_per_step if mode == "per_step" else grads.grads
    if not isinstance(grads, Mapping) or not grads:
        raise ValueError("grads must be a non-empty dict of name -> array")
    with np.errstate(all="ignore"):
        if mode == "global":
            norm = global_norm(grads)
            scale = threshold / norm if norm > threshold else 1.0
            return {k: np.asarray(g) * scale for k, g in grads.items()}, norm
        T = {np.shape(g)[0] for g in grads.values()}
        if len(T) != 1:
            raise ValueError("per_step mode needs grads shaped (T, *shape) with one T")
        sq = sum(np.sum(np.reshape(g, (g.shape[0], -1)) ** 2, axis=1) for g in grads.values())
        norms = np.sqrt(sq)  # (T,) ||(dJ/dtheta)^(t)||
        scale = np.where(norms > threshold, threshold / norms, 1.0)  # (T,)
        clipped = {
            k: np.tensordot(scale, np.asarray(g), axes=(0, 0))  # (*shape,) sum_t scale_t g_t
            for k, g in grads.items()
        }
        return clipped, norms
