"""The line through the session's model: the loss J along theta + alpha d, d = -g / ||g|| the
direction of steepest descent, and where the session's own update (with its own learning rate
eta and clipping threshold tau) lands on it.

With global clipping the clipped update points along d, so it lands on the line at
alpha = eta min(||g||, tau). With per-step clipping each step's gradient is clipped before the
sum, so the update turns away from d: :class:`SessionLine` says how far along the line it goes
and how far beside it it lands.

:class:`LineJob` is the job the landscape view asks the window's runner for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim import landscape
from sim.losses import per_step_loss
from sim.run import RunResult, build_model
from sim.trace import freeze

#: points on the line the view draws (odd: alpha = 0 is one of them)
N_POINTS = 201
#: the line is evaluated in this many pieces (progress and stopping between them)
_PIECES = 8


class LineStopped(Exception):
    """The line's job was told to stop (the runner counts it as cancelled)."""


@dataclass(frozen=True, eq=False)
class SessionLine:
    """The session's loss along theta + alpha d, d = -g / ||g||.

    Attributes
    ----------
    alphas : (n,) distances along d (in weight space).
    losses : (n,) J(theta + alpha d) on the session's sample, with its loss and mask.
    loss0 : J(theta), the session's loss.
    grad_norm : ||g||, the norm of the session's gradient (the slope of J along d is -||g||).
    step : lr ||g||, where the unclipped update theta - lr g lands on the line.
    clipped_step : how far along d the session's clipped update -lr g_clipped goes
        (lr min(||g||, tau) with global clipping); None without clipping.
    clipped_off : how far from the line the clipped update lands (0 with global clipping,
        > 0 with per-step clipping when it changed the update); None without clipping.
    clip_mode : the session's clipping mode, "global" or "per_step".
    ok : False when g is zero or not finite (no direction; the losses are all J(theta)).
    """

    alphas: np.ndarray
    losses: np.ndarray
    loss0: float
    grad_norm: float
    step: float
    clipped_step: float | None
    ok: bool
    clipped_off: float | None = None
    clip_mode: str = "global"


def session_loss_fn(result: RunResult):
    """``loss_fn(params) -> J``: the session's loss on its own sample for other weights.

    J is the engine's: ``per_step_loss`` of the readout, masked by the sample's loss mask and
    summed over t, exactly as ``model.backward`` sums it (no gradient is computed).
    """
    config = result.config
    model = build_model(config, result.task)
    xs = result.sample.xs  # (T, I)
    mask = np.asarray(result.backward.loss_mask)  # (T,)
    loss = config.resolved_loss
    targets = result.targets
    teacher = getattr(config, "teacher_forcing", True)

    def loss_fn(params: dict) -> float:
        model.params = dict(params)
        with np.errstate(all="ignore"):
            tr = model.forward_for(xs, targets, teacher_forcing=teacher)
            J, _ = per_step_loss(tr.readout, tr.y_hat, targets, loss, tr.output)  # (T,)
            losses = J * mask  # (T,)
            losses[mask == 0] = 0.0
        return float(losses.sum())

    return loss_fn


def auto_span(step: float) -> float:
    """The default half-width of the line: 1.5 times the update's length, within [0.1, 20]."""
    return float(min(max(1.5 * step, 0.1), 20.0)) if np.isfinite(step) else 1.0


def _clipped_update(result: RunResult, g: dict, norm: float, ok: bool):
    """(along, beside) of the session's clipped update -lr g_clipped relative to the line, or
    (None, None) without clipping."""
    config = result.config
    if config.clip is None:
        return None, None
    if not ok:
        return 0.0, 0.0
    lr = config.lr
    if config.clip_mode == "global":
        return lr * min(norm, config.clip), 0.0
    applied = result.applied_gradient
    with np.errstate(all="ignore"):
        dot = sum(float(np.sum(np.asarray(applied[k]) * np.asarray(g[k]))) for k in g)
        sq = sum(float(np.sum(np.asarray(applied[k]) ** 2)) for k in g)
    along = lr * dot / norm  # the update -lr a projected on d = -g/||g||
    beside = float(np.sqrt(max(lr * lr * sq - along * along, 0.0)))
    return float(along), beside


def session_line(result: RunResult, n: int = N_POINTS, span: float | None = None, *,
                 progress=None, should_stop=None) -> SessionLine:
    """The loss of the session's model along its steepest-descent direction.

    Parameters
    ----------
    result : the session (its weights, sample, loss, gradient, lr and clipping are used).
    n : points on the line (odd, so alpha = 0 is one of them).
    span : half-width of the alpha range; None for :func:`auto_span` of the update's length.
    progress, should_stop : a job runner's hooks (``progress(f)``, ``should_stop() -> bool``);
        the line is evaluated in pieces between which they are called.

    Returns
    -------
    SessionLine
    """
    if n < 3:
        raise ValueError(f"n must be >= 3, got {n}")
    params = {k: np.asarray(v, dtype=float) for k, v in result.forward.params.items()}
    g = result.backward.grads
    with np.errstate(all="ignore"):
        norm = float(np.sqrt(sum(float(np.sum(np.asarray(v) ** 2)) for v in g.values())))
    ok = bool(np.isfinite(norm) and norm > 0)
    lr = result.config.lr
    step = lr * norm if ok else 0.0
    along, beside = _clipped_update(result, g, norm, ok)
    span = auto_span(step) if span is None else float(span)
    if not (np.isfinite(span) and span > 0):
        raise ValueError(f"span must be a number > 0, got {span!r}")
    alphas = np.linspace(-span, span, n)  # (n,)
    if ok:
        direction = {k: -np.asarray(g[k], dtype=float) / norm for k in params}  # unit, downhill
    else:
        direction = {k: np.zeros_like(v) for k, v in params.items()}
    fn = session_loss_fn(result)
    parts = []
    for i, piece in enumerate(np.array_split(alphas, _PIECES)):
        if should_stop is not None and should_stop():
            raise LineStopped("the line was no longer wanted")
        parts.append(landscape.loss_along_line(fn, params, direction, piece))
        if progress is not None:
            progress((i + 1) / _PIECES)
    losses = np.concatenate(parts)  # (n,)
    return SessionLine(alphas=freeze(alphas), losses=freeze(np.asarray(losses, dtype=float)),
                       loss0=float(result.backward.loss), grad_norm=norm, step=float(step),
                       clipped_step=along, ok=ok, clipped_off=beside,
                       clip_mode=result.config.clip_mode)


def line_cost(result: RunResult, n: int = N_POINTS) -> float:
    """A rough estimate of :func:`session_line`'s time in seconds: n forward passes, each a
    few milliseconds of set-up and T steps (measured, tests/bench/bench_landscape.py)."""
    H = result.forward.n_hidden
    T = result.T
    gates = {"LSTM": 4, "GRU": 3}.get(result.config.model, 1)
    return n * (2e-3 + T * (1e-4 + 4e-9 * gates * H * H))


@dataclass(frozen=True)
class LineJob:
    """The line through run ``result`` (compared by identity: one result, one line) with
    half-width ``span`` (None: automatic)."""

    result: RunResult
    span: float | None = None
    n: int = N_POINTS
    delay_ms: ClassVar[int] = 0

    @property
    def cost(self) -> float:
        return line_cost(self.result, self.n)

    def compute(self, progress, should_stop) -> SessionLine:
        return session_line(self.result, self.n, self.span, progress=progress,
                            should_stop=should_stop)
