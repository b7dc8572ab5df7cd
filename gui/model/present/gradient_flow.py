"""Vanishing and exploding gradients of one session, the other two one-cell kinds run on the same
input beside it (SimpleRNN, LSTM and GRU side by side), and what norm clipping does: the numbers
the gradient-flow view draws, and the jobs that compute the slow ones (:class:`FlowJob`, one
:class:`CompanionJob` per other kind).

Pure NumPy (the view only looks values up). Section 3 of "LSTM back propagation: following the
flows of variables": for a simple RNN the error from J(t) reaching h(k) is

    dJ(t)/dh(k) = dJ(t)/dh(t) prod_{k < s <= t} W^T diag(g'(a(s))),

so its norm shrinks or grows roughly geometrically with the distance t - k; for an LSTM the cell
highway dc(t)/dc(k) = prod diag(f(s)) (plus peephole terms) is steered by the gates instead.

The errors ||dJ(s)/dh(k)|| come with every run (:func:`error_curves`, at once); the Jacobian
products cost O(T^2 n^3) and are a job (:func:`flow_curves`, :class:`FlowJob`). Products are
drawn for the one-cell models (SimpleRNN, LSTM, GRU); a two-cell model (bidirectional,
encoder-decoder) shows its errors and clipping only.

>>> from sim.run import SessionConfig, compute
>>> r = compute(SessionConfig(model="SimpleRNN", hidden=8, radius=2.0))
>>> curves = flow_curves(r)
>>> curves.slope > 1            # exploding: the Jacobian products grow per step
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from sim import analysis
from sim.clipping import clip_by_norm
from sim.run import RunResult, SessionConfig, compute, step_norms
from sim.trace import BackwardTrace, freeze

from .numbers import log_range

#: the models whose one-step Jacobians the engine computes (one recurrent cell)
FLOW_KINDS = ("SimpleRNN", "LSTM", "GRU")
#: multiply-adds per second the cost estimates assume (one BLAS thread, small matrices)
RATE = 2e8


def flow_applies(kind: str) -> bool:
    """Whether the Jacobian products are computed for a model of ``kind``."""
    return kind in FLOW_KINDS


@dataclass(frozen=True, eq=False)
class FlowCurves:
    """Everything the gradient-flow view plots for one session.

    Attributes
    ----------
    kind : the model; state : "h" or "y", the recurrent state's name.
    error : (T, T) [s-1, k-1] = ||dJ(s)/dh(k)|| (LSTM: ||dJ(s)/dy(k)||), the run's
        ``error_norms``; 0 for k > s and masked sources.
    jacobian : (T, T) [t-1, k-1] = ||dh(t)/dh(k)|| (LSTM ||dy(t)/dy(k)||), NaN for k > t; None
        while it is computing or for a model without one-step Jacobians.
    highway : (T, T) ||dc(t)/dc(k)|| along the cell highway (LSTM), else None.
    error_curve, jacobian_curve, highway_curve : (T,) ``analysis.by_distance`` of each, over the
        distance d = t - k = 0..T-1 (None where the matrix is None).
    slope, error_slope, highway_slope : ``analysis.slope_per_step`` of the curves: the factor per
        step, < 1 vanishing, > 1 exploding (NaN when fewer than two points are usable or the
        curve is missing).
    radius : ``analysis.recurrent_radius`` of the weights the trace used.
    """

    kind: str
    state: str
    error: np.ndarray
    jacobian: np.ndarray | None
    highway: np.ndarray | None
    error_curve: np.ndarray
    jacobian_curve: np.ndarray | None
    highway_curve: np.ndarray | None
    slope: float
    error_slope: float
    highway_slope: float
    radius: float

    @property
    def T(self) -> int:
        return self.error.shape[0]

    @property
    def distance(self) -> np.ndarray:
        """(T,) the distances d = 0..T-1 the curves are indexed by."""
        return np.arange(self.T)


def _slope(curve) -> float:
    return float("nan") if curve is None else analysis.slope_per_step(curve)


def error_curves(result: RunResult) -> FlowCurves:
    """The errors of one run and their per-distance curve, without the Jacobian products
    (milliseconds: the run carries the norms)."""
    error = result.error_norms  # (T, T) ||dJ(s)/dh(k)||; a Seq2Seq's (T_dec, T): decoder losses
    T = result.T
    if error.shape[0] != T:  # the losses J(s) sit at the last rows of the one time axis
        full = np.zeros((T, T))
        full[T - error.shape[0]:] = error
        error = freeze(full)
    err_c = analysis.by_distance(error)  # (T,) over d = s - k
    return FlowCurves(
        kind=result.kind, state=result.forward.state_name, error=error, jacobian=None,
        highway=None, error_curve=freeze(err_c), jacobian_curve=None, highway_curve=None,
        slope=float("nan"), error_slope=_slope(err_c), highway_slope=float("nan"),
        radius=result.radius)


def flow_curves(result: RunResult, *, progress=None, should_stop=None) -> FlowCurves | None:
    """The error norms, Jacobian-product norms and their per-distance curves of one session.

    Costs O(T^2 n^3) (:func:`flow_cost`); None when ``should_stop()`` turned true. A model
    without one-step Jacobians (two cells) gets its errors only.
    """
    base = error_curves(result)
    if not flow_applies(result.kind):
        return base
    gf = analysis.gradient_flow(result.forward, progress=progress, should_stop=should_stop)
    if gf is None:
        return None
    jac_c = gf.by_distance("state")  # (T,) over d = t - k
    hw_c = gf.by_distance("highway") if gf.highway is not None else None  # (T,) or None
    return FlowCurves(
        kind=base.kind, state=base.state, error=base.error, jacobian=gf.state,
        highway=gf.highway, error_curve=base.error_curve, jacobian_curve=freeze(jac_c),
        highway_curve=None if hw_c is None else freeze(hw_c), slope=_slope(jac_c),
        error_slope=base.error_slope, highway_slope=_slope(hw_c), radius=gf.radius)


def flow_cost(kind: str, T: int, H: int) -> float:
    """Rough seconds of :func:`flow_curves` for a model of ``kind`` with T steps and H units:
    T^2/2 row-block products (H x n by n x n, n = 2H for an LSTM) and as many H x H norms."""
    if not flow_applies(kind):
        return 0.0
    n = 2 * H if kind == "LSTM" else H
    return T * T / 2 * (H * n * n + 10 * H ** 3) / RATE


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
    (``which`` = "jacobian"; none while the products compute). Backward t: the errors arriving
    at h(t) from every loss J(s), ||dJ(s)/dh(t)|| for s = t..T with a non-zero error
    (``which`` = "error").

    Attributes
    ----------
    which : "jacobian", "error" or "" (update, or nothing to show).
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
    if phase == "forward" and curves.jacobian is not None:
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
    threshold : tau, or None when the session does not clip (nothing is cut).
    mode : "global" (the summed gradient is scaled) or "per_step" (each step's contribution).
    norm : ||dJ/dtheta||, the global norm of the summed gradient before clipping.
    applied_norm : the norm of the gradient the update applies (after clipping).
    scale : tau / norm if global clipping cuts, else 1: the factor the summed gradient gets.
    clipped : global mode and norm > tau.
    step_norms : (T,) ||(dJ/dtheta)^(t)||, each step's contribution over all parameters.
    step_scale : (T,) tau / ||(dJ/dtheta)^(t)|| where that exceeds tau, else 1 (per-step
        clipping, "at every time step").
    step_clipped : (T,) bool, which steps' contributions exceed tau.
    """

    threshold: float | None
    mode: str
    norm: float
    applied_norm: float
    scale: float
    clipped: bool
    step_norms: np.ndarray
    step_scale: np.ndarray
    step_clipped: np.ndarray

    @property
    def n_clipped(self) -> int:
        return int(self.step_clipped.sum())

    @property
    def on(self) -> bool:
        return self.threshold is not None


def clip_report(backward: BackwardTrace, threshold: float | None,
                mode: str = "global") -> ClipReport:
    """Norms before clipping and the factors :func:`sim.clip_by_norm` applies.

    Parameters
    ----------
    backward : the session's backward trace.
    threshold : tau > 0, or None (no clipping: the norms only).
    mode : "global" or "per_step", as the session's ``clip_mode``.
    """
    norms = np.asarray(step_norms(backward), dtype=float)  # (T,)
    if threshold is None:
        _, norm = clip_by_norm(backward.grads, 1.0)  # the norm only
        T = norms.shape[0]
        return ClipReport(None, mode, float(norm), float(norm), 1.0, False, freeze(norms),
                          freeze(np.ones(T)), freeze(np.zeros(T, bool)))
    _, norm = clip_by_norm(backward.grads, threshold)  # global norm of the sum
    with np.errstate(all="ignore"):
        step_clipped = norms > threshold  # (T,) bool
        step_scale = np.where(step_clipped, threshold / norms, 1.0)  # (T,)
        if mode == "per_step":
            clipped, scale = False, 1.0
            applied, _ = clip_by_norm(backward.grads_per_step, threshold, mode="per_step")
            applied_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in applied.values())))
        else:
            clipped = bool(norm > threshold)
            scale = float(threshold / norm) if clipped else 1.0
            applied_norm = float(norm) * scale
    return ClipReport(threshold=float(threshold), mode=mode, norm=float(norm),
                      applied_norm=applied_norm, scale=scale, clipped=clipped,
                      step_norms=freeze(norms), step_scale=freeze(step_scale),
                      step_clipped=freeze(step_clipped))


def companion_kinds(config: SessionConfig) -> tuple[str, ...]:
    """The one-cell kinds a comparison runs beside the session's model, in the order of
    :data:`FLOW_KINDS` (the two others); () for a two-cell model."""
    if config.model not in FLOW_KINDS:
        return ()
    return tuple(k for k in FLOW_KINDS if k != config.model)


def companion_config(config: SessionConfig, kind: str) -> SessionConfig:
    """The same session (task sample, H, T, seeds, radius, loss, truncation) with a model of
    ``kind``. The SimpleRNN keeps ``activation``, the LSTM ``peepholes``; an LSTM without a
    forget gate: the other kinds have none to leave out."""
    if kind not in FLOW_KINDS:
        raise ValueError(f"no comparison model of kind {kind!r}: one of {', '.join(FLOW_KINDS)}")
    changes = {"model": kind}
    if not getattr(config, "forget_gate", True):
        changes["forget_gate"] = True
    return config.replace(**changes)


@dataclass(frozen=True, eq=False)
class Companion:
    """A model of ``kind`` run on the session ``config``'s input, with its curves."""

    config: SessionConfig
    kind: str
    result: RunResult
    curves: FlowCurves


def companion(config: SessionConfig, kind: str, *, progress=None,
              should_stop=None) -> Companion | None:
    """Compute the session ``config`` with a model of ``kind`` (same input) and its flow curves
    (slow at large T and H: a job). None when stopped."""
    result = compute(companion_config(config, kind))
    if should_stop is not None and should_stop():
        return None
    sub = None if progress is None else (lambda f: progress(0.1 + 0.9 * f))
    curves = flow_curves(result, progress=sub, should_stop=should_stop)
    if curves is None:
        return None
    return Companion(config=config, kind=kind, result=result, curves=curves)


@dataclass(frozen=True)
class Panel:
    """One small plot of the side-by-side decay: a kind's curves on the shared log range.

    Attributes
    ----------
    kind : the model; session : whether it is the session's own model.
    curves : its FlowCurves (the session's errors at once, its products when they land), or
        None while a companion computes or after it failed.
    """

    kind: str
    session: bool
    curves: FlowCurves | None


def side_by_side(cu: FlowCurves, comps: dict, config: SessionConfig) -> tuple[list, tuple]:
    """The panels SimpleRNN | LSTM | GRU (the session's among them) and their common y range.

    Parameters
    ----------
    cu : the session's curves; comps : kind -> Companion that have landed.
    config : the session's config (which kinds are compared).

    Returns
    -------
    panels : list of :class:`Panel` in the order of :data:`FLOW_KINDS`.
    (lo, hi) : log10 range holding every drawn curve of every panel (one scale for all).
    """
    others = companion_kinds(config)
    panels = []
    for kind in FLOW_KINDS:
        if kind == cu.kind:
            panels.append(Panel(kind, True, cu))
        elif kind in others:
            c = comps.get(kind)
            panels.append(Panel(kind, False, None if c is None else c.curves))
    drawn = [curve for p in panels if p.curves is not None
             for curve in (p.curves.error_curve, p.curves.jacobian_curve, p.curves.highway_curve)]
    return panels, log_range(*drawn)


# -- jobs for the window's job runner (gui/jobs.py) ----------------------------------------------

@dataclass(frozen=True)
class FlowJob:
    """The Jacobian products of run ``result`` (compared by identity: one result, one job; the
    session controller forgets it once another result is shown)."""

    result: RunResult
    cost: float = field(default=0.0, compare=False)
    delay_ms: ClassVar[int] = 0

    @classmethod
    def of(cls, result: RunResult) -> FlowJob:
        return cls(result, flow_cost(result.kind, result.T, result.forward.n_hidden))

    def compute(self, progress, should_stop):
        return flow_curves(self.result, progress=progress, should_stop=should_stop)


@dataclass(frozen=True)
class CompanionJob:
    """A model of ``kind`` on the session ``config``'s input, with its curves (one job per kind:
    each lands on its own)."""

    config: SessionConfig
    kind: str
    cost: float = field(default=0.0, compare=False)

    @classmethod
    def of(cls, config: SessionConfig, kind: str) -> CompanionJob:
        return cls(config, kind, 0.05 + flow_cost(kind, config.steps, config.hidden))

    def compute(self, progress, should_stop):
        return companion(self.config, self.kind, progress=progress, should_stop=should_stop)
