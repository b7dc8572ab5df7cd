"""What the landscape view draws of the cliff, computed here (the line through the session is
in :mod:`gui.model.present.landscape_line`, the words in :mod:`.landscape_text`).

:func:`cliff_scene` gathers, for one set of settings, the loss surface of the one-unit RNN of
Pascanu et al. (:func:`sim.landscape.loss_surface`), its contour lines (one per decade of the
loss, :mod:`sim.contours`), the heat map's image and two gradient-descent paths from the same
start with the same learning rate, one unclipped and one clipped (:func:`sim.landscape.descend`).
:class:`SceneJob` computes it on the window's job runner; :func:`cliff_settings` reads the
settings from the model's "landscape" options. The :data:`SCENES_KEPT` most recent scenes are
kept.

>>> scene = cliff_scene(CliffSettings())
>>> bool(scene.unclipped.steps.max() > 10 * scene.clipped.steps.max())  # off the cliff or not
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

import numpy as np

from sim import landscape
from sim.contours import contour_segments
from sim.trace import freeze

from .. import palette
from .landscape_line import (  # noqa: F401 - the line's names, importable from here too
    LineJob,
    SessionLine,
    auto_span,
    session_line,
    session_loss_fn,
)

_DEMO = landscape.default_demo()
#: the heat map's colour table
HEAT_TABLE = "viridis"


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
    heat_range : (lo, hi) the whole decades of log10 L the heat map's colours span.
    rgba : (n_w, n_b, 4) uint8 the heat map's image (x = w first, as an image item wants).
    """

    settings: CliffSettings
    surface: landscape.LossSurface
    levels: np.ndarray
    contours: np.ndarray
    unclipped: landscape.Trajectory
    clipped: landscape.Trajectory
    heat_range: tuple[float, float] = (0.0, 1.0)
    rgba: np.ndarray | None = None

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


#: scenes kept (the most recent first out last): each holds a surface of up to ~2 MB
SCENES_KEPT = 16
_scenes: OrderedDict = OrderedDict()
_scenes_lock = threading.Lock()


class SceneStopped(Exception):
    """A scene's job was told to stop (the runner counts it as cancelled)."""


def cliff_scene(settings: CliffSettings, *, progress=None, should_stop=None) -> CliffScene:
    """The scene for ``settings``. The grid covers the settings' ranges, grown to show where the
    paths went (:func:`map_ranges`).

    The :data:`SCENES_KEPT` most recent scenes are kept: the same settings return the same
    object. ``progress(f)`` and ``should_stop()`` are a job runner's hooks (a stopped scene
    raises :class:`SceneStopped` and is not kept).
    """
    with _scenes_lock:
        if settings in _scenes:
            _scenes.move_to_end(settings)
            return _scenes[settings]
    st = settings

    def part(lo, hi):
        if progress is None:
            return None
        return lambda f: progress(lo + (hi - lo) * f)

    unclipped, clipped = landscape.descend_each(st.model, st.start, st.lr, st.n_steps,
                                                (None, st.clip), progress=part(0.0, 0.5),
                                                should_stop=should_stop)
    if "stopped" in (unclipped.stopped, clipped.stopped) or (
            should_stop is not None and should_stop()):
        raise SceneStopped("the scene was no longer wanted")
    w_range, b_range = map_ranges(st, unclipped, clipped)
    n = grid_points(st, w_range, b_range)
    surface = landscape.loss_surface(st.model, w_range, b_range, n)
    if progress is not None:
        progress(0.85)
    levels, segs = _contours(st.model, w_range, b_range, n)
    lo, hi = heat_range(surface.log10_L)
    scene = CliffScene(settings=st, surface=surface, levels=levels, contours=segs,
                       unclipped=unclipped, clipped=clipped, heat_range=(lo, hi),
                       rgba=freeze(heat_rgba(surface.log10_L, lo, hi)))
    with _scenes_lock:
        scene = _scenes.setdefault(settings, scene)
        _scenes.move_to_end(settings)
        while len(_scenes) > SCENES_KEPT:
            _scenes.popitem(last=False)
    return scene


def scenes_kept() -> int:
    """How many scenes the presenter holds now (at most :data:`SCENES_KEPT`)."""
    return len(_scenes)


def scene_cost(settings: CliffSettings) -> float:
    """A rough estimate of :func:`cliff_scene`'s time in seconds: two descents of n_steps
    steps of T time steps each, and a grid of about (1.5 n)**2 points, T time steps each, with
    its contours (measured on a shared 2-core machine, tests/bench/bench_landscape.py)."""
    T = settings.model.T
    return 2 * settings.n_steps * T * 4e-5 + 1.5e-7 * settings.n ** 2 * T


@dataclass(frozen=True)
class SceneJob:
    """The cliff scene of ``settings``, for the window's job runner."""

    settings: CliffSettings
    delay_ms: ClassVar[int] = 0
    #: the same for every session: worth computing while the user reads another tab
    ahead: ClassVar[bool] = True

    @property
    def cost(self) -> float:
        return scene_cost(self.settings)

    def compute(self, progress, should_stop) -> CliffScene:
        return cliff_scene(self.settings, progress=progress, should_stop=should_stop)


def cliff_settings(options) -> CliffSettings:
    """The :class:`CliffSettings` of a LandscapeOptions section (T, target, lr, clip, steps,
    start); the rest (x0, activation, ranges, grid) stay the demo's."""
    model = landscape.CliffRNN(T=options.T, target=options.target, x0=_DEMO.model.x0,
                               activation=_DEMO.model.activation)
    return CliffSettings(model=model, start=tuple(options.start), lr=options.lr,
                         clip=options.clip, n_steps=options.steps)


def clamp_start(w: float, b: float, scene: CliffScene | None,
                settings: CliffSettings) -> tuple[float, float]:
    """(w, b) clamped into the map shown: ``scene``'s grid, or ``settings``' ranges before any
    scene is drawn."""
    if scene is not None:
        wr, br = scene.surface.w[[0, -1]], scene.surface.b[[0, -1]]
    else:
        wr, br = settings.w_range, settings.b_range
    return float(np.clip(w, *wr)), float(np.clip(b, *br))


def heat_range(log10_L) -> tuple[float, float]:
    """(lo, hi) whole decades the heat map's colours span: the finite values' range, at most
    8 decades below the top."""
    Z = np.asarray(log10_L, dtype=float)
    fin = Z[np.isfinite(Z)]
    hi = float(np.ceil(fin.max())) if fin.size else 1.0
    lo = float(np.floor(fin.min())) if fin.size else 0.0
    return max(lo, hi - 8), hi


def heat_rgba(log10_L, lo: float, hi: float, table: str = HEAT_TABLE) -> np.ndarray:
    """(n_w, n_b, 4) uint8 image of (n_b, n_w) log10 losses on [lo, hi] (x = w first, as an
    image item wants); non-finite cells grey."""
    x = (np.asarray(log10_L, dtype=float) - lo) / (hi - lo)  # (n_b, n_w) in [0, 1] on the scale
    with np.errstate(invalid="ignore"):
        idx = np.round(np.clip(x, 0, 1) * (palette.LEVELS - 1))
    idx = np.where(np.isfinite(x), idx, palette.NONFINITE).astype(np.int64)  # (n_b, n_w)
    rgba = np.empty(idx.shape + (4,), np.uint8)  # (n_b, n_w, 4)
    rgba[..., :3] = palette.rgb(table, idx)
    rgba[..., 3] = 255
    return np.ascontiguousarray(rgba.transpose(1, 0, 2))  # (n_w, n_b, 4)


def path_series(path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The side plots of one sim.landscape.Trajectory with K steps: (K+1,) steps 0..K and their
    log10 losses, (K,) steps 1..K and the log10 length of each."""
    with np.errstate(all="ignore"):
        ll = np.log10(np.maximum(path.losses, 1e-12))  # (K + 1,)
        ls_ = np.log10(np.maximum(path.steps, 1e-12))  # (K,)
    return np.arange(ll.size), ll, np.arange(1, ls_.size + 1), ls_


def log_range(arrays) -> tuple[float, float]:
    """(lo, hi) of the finite values of ``arrays`` (log10 data), at least half a decade wide."""
    parts = [np.asarray(a, float).ravel() for a in arrays if a is not None]
    vals = np.concatenate(parts) if parts else np.zeros(0)
    vals = vals[np.isfinite(vals)]
    lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (-1.0, 1.0)
    if hi - lo < 0.5:
        lo, hi = lo - 0.25, hi + 0.25
    return lo, hi


def step_at(frame: int, n_frames: int, n_steps: int) -> int:
    """The path step shown at playback ``frame`` of ``n_frames``: the paths run from step 0 at
    the first frame to step ``n_steps`` at the last (the session's update)."""
    if n_frames <= 1:
        return n_steps
    f = min(max(int(frame), 0), n_frames - 1)
    return int(round(f * n_steps / (n_frames - 1)))


