"""Vanishing and exploding gradients of one session, a second model of the other kind beside it,
and what norm clipping would do: the numbers the gradient-flow view draws.

Pure NumPy (the view only looks values up). Section 3 of "LSTM back propagation: following the
flows of variables": for a simple RNN the error from J(t) reaching h(k) is

    dJ(t)/dh(k) = dJ(t)/dh(t) prod_{k < s <= t} W^T diag(g'(a(s))),

so its norm shrinks or grows roughly geometrically with the distance t - k; for an LSTM the cell
highway dc(t)/dc(k) = prod diag(f(s)) (plus peephole terms) is steered by the gates instead.

>>> from sim.run import SessionConfig, compute
>>> r = compute(SessionConfig(model="SimpleRNN", hidden=8, radius=2.0))
>>> curves = flow_curves(r)
>>> curves.slope > 1            # exploding: the Jacobian products grow per step
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import analysis
from sim.clipping import clip_by_norm
from sim.run import MODELS, RunResult, SessionConfig, compute
from sim.trace import BackwardTrace, freeze

#: gradient_flow costs about T^2 n^3 / 2 multiply-adds (n = H, or 2H for an LSTM); above this the
#: GUI computes it off its thread
SYNC_COST = 3e7


@dataclass(frozen=True, eq=False)
class FlowCurves:
    """Everything the gradient-flow view plots for one session.

    Attributes
    ----------
    kind : "SimpleRNN" or "LSTM"; state : "h" or "y", the recurrent state's name.
    error : (T, T) [s-1, k-1] = ||dJ(s)/dh(k)|| (LSTM: ||dJ(s)/dy(k)||), from
        ``analysis.error_norms(backward.delta_by_source)``; 0 for k > s and masked sources.
    jacobian : (T, T) [t-1, k-1] = ||dh(t)/dh(k)|| (LSTM ||dy(t)/dy(k)||), ``gradient_flow.state``.
    highway : (T, T) ||dc(t)/dc(k)|| along the cell highway (LSTM), else None.
    error_curve, jacobian_curve, highway_curve : (T,) ``analysis.by_distance`` of each, over the
        distance d = t - k = 0..T-1 (highway_curve None for a SimpleRNN).
    slope, error_slope, highway_slope : ``analysis.slope_per_step`` of the curves: the factor per
        step, < 1 vanishing, > 1 exploding (NaN when fewer than two points are usable).
    radius : ``analysis.recurrent_radius`` of the weights the trace used.
    """

    kind: str
    state: str
    error: np.ndarray
    jacobian: np.ndarray
    highway: np.ndarray | None
    error_curve: np.ndarray
    jacobian_curve: np.ndarray
    highway_curve: np.ndarray | None
    slope: float
    error_slope: float
    highway_slope: float
    radius: float

    @property
    def T(self) -> int:
        return self.jacobian.shape[0]

    @property
    def distance(self) -> np.ndarray:
        """(T,) the distances d = 0..T-1 the curves are indexed by."""
        return np.arange(self.T)


def flow_cost(result: RunResult) -> float:
    """Rough multiply-add count of ``result.gradient_flow`` (0 once it is cached)."""
    if "gradient_flow" in result.__dict__:
        return 0.0
    n = result.forward.n_hidden * (2 if result.kind == "LSTM" else 1)
    return result.T ** 2 * n ** 3 / 2


def flow_curves(result: RunResult) -> FlowCurves:
    """The error norms, Jacobian-product norms and their per-distance curves of one session.

    Costs O(T^2 n^3) the first time (``result.gradient_flow`` is cached on the result); see
    :func:`flow_cost`.
    """
    gf = result.gradient_flow
    error = analysis.error_norms(result.backward.delta_by_source)  # (T, T) ||dJ(s)/dh(k)||
    err_c = analysis.by_distance(error)  # (T,) over d = s - k
    jac_c = gf.by_distance("state")  # (T,) over d = t - k
    hw_c = gf.by_distance("highway") if gf.highway is not None else None  # (T,) or None
    return FlowCurves(
        kind=result.kind, state=result.forward.state_name, error=freeze(error),
        jacobian=gf.state, highway=gf.highway, error_curve=freeze(err_c),
        jacobian_curve=freeze(jac_c), highway_curve=None if hw_c is None else freeze(hw_c),
        slope=analysis.slope_per_step(jac_c), error_slope=analysis.slope_per_step(err_c),
        highway_slope=(analysis.slope_per_step(hw_c) if hw_c is not None else float("nan")),
        radius=gf.radius)


def geometric_fit(curve: np.ndarray) -> tuple[float, float]:
    """The line ``analysis.slope_per_step`` fits, as (value at d = 0, factor per step): the curve
    is about ``c0 * rate ** d``. NaNs if fewer than two points are usable."""
    d = np.arange(curve.shape[0])  # (T,)
    with np.errstate(all="ignore"):
        ok = np.isfinite(curve) & (curve > 0)
        if ok.sum() < 2:
            return float("nan"), float("nan")
        slope, icept = np.polyfit(d[ok], np.log(curve[ok]), 1)
    return float(np.exp(icept)), float(np.exp(slope))


@dataclass(frozen=True)
class CursorPoints:
    """The points of the distance plot that belong to the cursor's step.

    Forward t: how h(t) depends on each earlier state, ||dh(t)/dh(k)|| for k = 1..t
    (``which`` = "jacobian"). Backward t: the errors arriving at h(t) from every loss J(s),
    ||dJ(s)/dh(t)|| for s = t..T with a non-zero error (``which`` = "error").

    Attributes
    ----------
    which : "jacobian", "error" or "" (update: none).
    distance : (n,) t - k (forward) or s - t (backward).
    value : (n,) the norms.
    step : (n,) k (forward) or the source s (backward), 1-based.
    """

    which: str
    distance: np.ndarray
    value: np.ndarray
    step: np.ndarray


def cursor_points(curves: FlowCurves, phase: str, t: int) -> CursorPoints:
    """The distance-plot points of step ``t`` in ``phase`` (see :class:`CursorPoints`)."""
    T = curves.T
    if phase == "forward":
        k = np.arange(1, t + 1)  # (t,) 1..t
        return CursorPoints("jacobian", t - k, curves.jacobian[t - 1, :t].copy(), k)
    if phase == "backward":
        s = np.arange(t, T + 1)  # (T - t + 1,) t..T
        v = curves.error[t - 1:, t - 1]  # (T - t + 1,) ||dJ(s)/dh(t)||
        keep = (v != 0) | ~np.isfinite(v)  # masked sources send nothing
        return CursorPoints("error", (s - t)[keep], v[keep].copy(), s[keep])
    empty = np.zeros(0)
    return CursorPoints("", empty, empty, np.zeros(0, dtype=int))


@dataclass(frozen=True, eq=False)
class ClipReport:
    """What norm clipping at ``threshold`` does to one backward pass.

    Attributes
    ----------
    threshold : tau.
    norm : ||dJ/dtheta||, the global norm of the summed gradient.
    scale : tau / norm if norm > tau, else 1: the factor the update would be multiplied by.
    clipped : norm > tau.
    step_norms : (T,) ||(dJ/dtheta)^(t)||, each step's contribution over all parameters.
    step_scale : (T,) tau / ||(dJ/dtheta)^(t)|| where that exceeds tau, else 1 (per-step
        clipping, "at every time step").
    step_clipped : (T,) bool, which steps' contributions would be clipped.
    """

    threshold: float
    norm: float
    scale: float
    clipped: bool
    step_norms: np.ndarray
    step_scale: np.ndarray
    step_clipped: np.ndarray

    @property
    def n_clipped(self) -> int:
        return int(self.step_clipped.sum())


def clip_report(backward: BackwardTrace, threshold: float) -> ClipReport:
    """Norms before clipping and the factors :func:`sim.clip_by_norm` would apply.

    Parameters
    ----------
    backward : the session's backward trace.
    threshold : tau > 0.
    """
    _, norm = clip_by_norm(backward.grads, threshold)  # global norm of the sum
    _, step_norms = clip_by_norm(backward.grads_per_step, threshold, mode="per_step")  # (T,)
    with np.errstate(all="ignore"):
        clipped = bool(norm > threshold)
        scale = float(threshold / norm) if clipped else 1.0
        step_clipped = step_norms > threshold  # (T,) bool
        step_scale = np.where(step_clipped, threshold / step_norms, 1.0)  # (T,)
    return ClipReport(threshold=float(threshold), norm=float(norm), scale=scale, clipped=clipped,
                      step_norms=freeze(np.asarray(step_norms, dtype=float)),
                      step_scale=freeze(step_scale), step_clipped=freeze(step_clipped))


def other_kind(config: SessionConfig) -> SessionConfig:
    """The same session (task sample, H, T, seeds, radius, loss, truncation) with the other model:
    SimpleRNN <-> LSTM. The SimpleRNN keeps ``activation``, the LSTM ``peepholes``."""
    other = MODELS[1 - MODELS.index(config.model)]
    return config.replace(model=other)


@dataclass(frozen=True, eq=False)
class Companion:
    """A model of the other kind run on the same input, with its curves (for side by side)."""

    config: SessionConfig
    result: RunResult
    curves: FlowCurves


def companion(config: SessionConfig) -> Companion:
    """Compute the other kind's session on the same input and its flow curves (slow at large T
    and H: run it off the GUI thread)."""
    other = other_kind(config)
    result = compute(other)
    return Companion(config=config, result=result, curves=flow_curves(result))
