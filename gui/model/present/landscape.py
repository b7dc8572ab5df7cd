"""What the landscape view draws, computed here: the cliff scene and the line through a session.

:func:`cliff_scene` gathers, for one set of settings, the loss surface of the one-unit RNN of
Pascanu et al. (:func:`sim.landscape.loss_surface`), its contour lines (one per decade of the
loss, :mod:`sim.contours`) and two gradient-descent paths from the same start with the same
learning rate, one unclipped and one clipped (:func:`sim.landscape.descend`).

:func:`session_line` is the same question asked of the session's real model: the loss J along
the line theta + alpha d through its weights, d = -g / ||g|| the direction of steepest descent,
with where the session's update theta - lr g (alpha = lr ||g||) and its clipped version land.

>>> scene = cliff_scene(CliffSettings())
>>> bool(scene.unclipped.steps.max() > 10 * scene.clipped.steps.max())  # off the cliff or not
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sim import landscape
from sim.contours import contour_segments
from sim.losses import per_step_loss
from sim.run import RunResult, build_model
from sim.trace import freeze

_DEMO = landscape.default_demo()


@dataclass(frozen=True)
class CliffSettings:
    """Everything one cliff scene depends on.

    Attributes
    ----------
    model : the one-unit RNN (sequence length T, target, x0, activation).
    start : (w, b) where both paths begin.
    lr : learning rate of both paths.
    clip : threshold of the clipped path.
    n_steps : steps of each path.
    w_range, b_range : the grid's extent; n : points per side.
    """

    model: landscape.CliffRNN = field(default_factory=lambda: _DEMO.model)
    start: tuple[float, float] = _DEMO.start
    lr: float = _DEMO.lr
    clip: float = _DEMO.clip
    n_steps: int = _DEMO.n_steps
    w_range: tuple[float, float] = landscape.DEFAULT_W
    b_range: tuple[float, float] = landscape.DEFAULT_B
    n: int = 200

    def __post_init__(self):
        object.__setattr__(self, "start", tuple(float(v) for v in self.start))
        object.__setattr__(self, "w_range", tuple(float(v) for v in self.w_range))
        object.__setattr__(self, "b_range", tuple(float(v) for v in self.b_range))


@dataclass(frozen=True, eq=False)
class CliffScene:
    """The surface, its contours and the two paths for one :class:`CliffSettings`.

    Attributes
    ----------
    settings : what it was computed from.
    surface : sim.landscape.LossSurface; ``surface.L[i, j]`` is the loss at (w[j], b[i]), over
        the settings' grid grown to hold both paths (:func:`map_ranges`, :func:`grid_points`).
    levels : (m,) the contour levels, in log10 of the loss (whole decades).
    contours : (k, 2, 2) the contour segments in (w, b), all levels together.
    unclipped, clipped : sim.landscape.Trajectory, the two paths.
    """

    settings: CliffSettings
    surface: landscape.LossSurface
    levels: np.ndarray
    contours: np.ndarray
    unclipped: landscape.Trajectory
    clipped: landscape.Trajectory

    @property
    def max_step(self) -> float:
        """clip * lr: the longest step the clipped path may take."""
        return self.settings.clip * self.settings.lr


def decade_levels(log10_values, most: int = 12) -> np.ndarray:
    """Whole decades strictly inside the finite range of ``log10_values`` (every other decade,
    or sparser, when there would be more than ``most``): (m,)."""
    v = np.asarray(log10_values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.zeros(0)
    lo, hi = int(np.floor(v.min())) + 1, int(np.ceil(v.max())) - 1
    levels = np.arange(lo, hi + 1, dtype=float)  # (m,)
    every = max(1, int(np.ceil(levels.size / most)))
    return levels[levels % every == 0] if every > 1 else levels


@lru_cache(maxsize=8)
def _contours(model, w_range, b_range, n) -> tuple[np.ndarray, np.ndarray]:
    s = landscape.loss_surface(model, w_range, b_range, n)
    Z = s.log10_L  # (n_b, n_w)
    levels = decade_levels(Z)  # (m,)
    parts = [contour_segments(s.w, s.b, Z, lv) for lv in levels]
    segs = np.concatenate(parts) if parts else np.zeros((0, 2, 2))  # (k, 2, 2)
    return freeze(levels), freeze(segs)


#: how far the map may grow to show where a path went, in spans of the settings' grid
MAX_GROWTH = 2.0


def map_ranges(settings: CliffSettings, *paths) -> tuple[tuple, tuple]:
    """The grid's (w_range, b_range): the settings' ranges, grown to hold every point of
    ``paths`` (sim.landscape.Trajectory) with a 4 % margin, but at most :data:`MAX_GROWTH` spans
    beyond each side (a point thrown further is off the map)."""
    out = []
    for axis, r in enumerate((settings.w_range, settings.b_range)):
        lo, hi = r
        span = hi - lo
        v = np.concatenate([p.points[:, axis] for p in paths]) if paths else np.zeros(0)
        v = v[np.isfinite(v)]
        if v.size and (v.min() < lo or v.max() > hi):
            a, b = min(lo, float(v.min())), max(hi, float(v.max()))
            margin = 0.04 * (b - a)
            lo = max(a - margin if a < lo else lo, r[0] - MAX_GROWTH * span)
            hi = min(b + margin if b > hi else hi, r[1] + MAX_GROWTH * span)
        out.append((float(lo), float(hi)))
    return out[0], out[1]


def grid_points(settings: CliffSettings, w_range, b_range) -> int:
    """Points per side of a grown grid: as many as keep the settings' cell size along the axis
    that grew most (the cliff is thin: coarser cells step over it)."""
    growth = max((w_range[1] - w_range[0]) / (settings.w_range[1] - settings.w_range[0]),
                 (b_range[1] - b_range[0]) / (settings.b_range[1] - settings.b_range[0]))
    return int(min(np.ceil(settings.n * growth), 2000))


@lru_cache(maxsize=32)
def cliff_scene(settings: CliffSettings) -> CliffScene:
    """The scene for ``settings`` (cached: the same settings return the same object). The grid
    covers the settings' ranges, grown to show where the paths went (:func:`map_ranges`)."""
    st = settings
    unclipped = landscape.descend(st.model, st.start, st.lr, st.n_steps)
    clipped = landscape.descend(st.model, st.start, st.lr, st.n_steps, clip=st.clip)
    w_range, b_range = map_ranges(st, unclipped, clipped)
    n = grid_points(st, w_range, b_range)
    surface = landscape.loss_surface(st.model, w_range, b_range, n)
    levels, segs = _contours(st.model, w_range, b_range, n)
    return CliffScene(settings=st, surface=surface, levels=levels, contours=segs,
                      unclipped=unclipped, clipped=clipped)


def step_at(frame: int, n_frames: int, n_steps: int) -> int:
    """The path step shown at playback ``frame`` of ``n_frames``: the paths run from step 0 at
    the first frame to step ``n_steps`` at the last (the session's update)."""
    if n_frames <= 1:
        return n_steps
    f = min(max(int(frame), 0), n_frames - 1)
    return int(round(f * n_steps / (n_frames - 1)))


# -- the line through a real model ------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SessionLine:
    """The session's loss along theta + alpha d, d = -g / ||g||.

    Attributes
    ----------
    alphas : (n,) distances along d (in weight space).
    losses : (n,) J(theta + alpha d) on the session's sample, with its loss and mask.
    loss0 : J(theta), the session's loss.
    grad_norm : ||g||, the norm of the session's gradient (the slope of J along d is -||g||).
    step : lr ||g||, where the session's update theta - lr g lands on the line.
    clipped_step : lr * min(||g||, clip), where the clipped update lands (None without clip).
    ok : False when g is zero or not finite (no direction; the losses are all J(theta)).
    """

    alphas: np.ndarray
    losses: np.ndarray
    loss0: float
    grad_norm: float
    step: float
    clipped_step: float | None
    ok: bool


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

    def loss_fn(params: dict) -> float:
        model.params = dict(params)
        with np.errstate(all="ignore"):
            tr = model.forward(xs)
            J, _ = per_step_loss(tr.readout, tr.y_hat, targets, loss, tr.output)  # (T,)
            losses = J * mask  # (T,)
            losses[mask == 0] = 0.0
        return float(losses.sum())

    return loss_fn


def auto_span(step: float) -> float:
    """The default half-width of the line: 1.5 times the update's length, within [0.1, 20]."""
    return float(min(max(1.5 * step, 0.1), 20.0)) if np.isfinite(step) else 1.0


def session_line(result: RunResult, n: int = 201, span: float | None = None) -> SessionLine:
    """The loss of the session's model along its steepest-descent direction.

    Parameters
    ----------
    result : the session (its weights, sample, loss and gradient are used).
    n : points on the line (odd, so alpha = 0 is one of them).
    span : half-width of the alpha range; None for :func:`auto_span` of the update's length.

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
    lr, clip = result.config.lr, result.config.clip
    step = lr * norm if ok else 0.0
    clipped = (lr * min(norm, clip) if ok else 0.0) if clip is not None else None
    span = auto_span(step) if span is None else float(span)
    if not (np.isfinite(span) and span > 0):
        raise ValueError(f"span must be a number > 0, got {span!r}")
    alphas = np.linspace(-span, span, n)  # (n,)
    if ok:
        direction = {k: -np.asarray(g[k], dtype=float) / norm for k in params}  # unit, downhill
    else:
        direction = {k: np.zeros_like(v) for k, v in params.items()}
    losses = landscape.loss_along_line(session_loss_fn(result), params, direction, alphas)
    return SessionLine(alphas=freeze(alphas), losses=freeze(np.asarray(losses, dtype=float)),
                       loss0=float(result.backward.loss), grad_norm=norm, step=float(step),
                       clipped_step=None if clipped is None else float(clipped), ok=ok)
