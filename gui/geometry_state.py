"""The geometry panel's shared state: one D, the sampling parameters, and the Monte Carlo runner.

The five geometry views (``gui/views/geometry_*.py``) share one :class:`GeometryState`, attached
to the application state with ``state.ext("geometry", GeometryState)``. It holds the parameters as
one frozen :class:`GeometryParams` and says which changed (``changed``, a frozenset of field
names). Closed forms are drawn straight from ``sim.geometry``; Monte Carlo work is described by
hashable keys (:class:`AnglesKey`, ...) that a view asks the :class:`SampleRunner` for. The runner
computes them one at a time on a worker thread (cancelled through ``should_stop``), reports
progress, caches the results per key and says when one has landed.

Nothing here draws; :func:`compute` and the small helpers below are plain NumPy so that tests can
call them without Qt.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from functools import cache
from typing import NamedTuple

import numpy as np
from PySide6 import QtCore

from sim import geometry

# -- limits of the controls (the GUI cannot produce anything outside them) -----------------------
D_MAX = 10_000
D_LINEAR = 100  #: the D slider is linear up to here, logarithmic above
SLIDER_LOG_STEPS = 300  #: slider positions between D_LINEAR and D_MAX
SLIDER_MAX = D_LINEAR - 1 + SLIDER_LOG_STEPS  #: the slider runs 0..SLIDER_MAX
N_MAX = 1_000_000
B_MAX = 20
N_PAIRS_MAX = 1_000_000
N_POINTS_MAX = 20_000
MAX_ANGLE_DIMS = 6
DISTANCE_KINDS = ("query", "pairwise")
N_PAIRS_CHOICES = (1_000, 10_000, 100_000)
N_POINTS_CHOICES = (200, 500, 1_000, 2_000, 5_000)
#: D values of the sampled relative-contrast curve, and how many queries (seeds) at each
CONTRAST_DIMS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000)
CONTRAST_SEEDS = 5
GRID_SHOWN = 4_000  #: at most this many of the N samples are drawn in each grid picture
DISTANCE_BINS = 50
PRESETS = (2, 3, 4, 9, 50, 100, 230, 400, 1_000, 10_000)  #: the article's and the issue's D


# ---------------------------------------------------------------------------------------------
# parameters
# ---------------------------------------------------------------------------------------------


def _int_in(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer in {lo}..{hi}, got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be an integer in {lo}..{hi}, got {value}")
    return int(value)


@dataclass(frozen=True)
class GeometryParams:
    """Everything the geometry panel draws depends on (validated; see :meth:`replace`).

    D : the dimension the slider picks, 1..10,000.
    N, b : samples dropped into a grid of b cells per axis (the article's first section).
    eps : shell thickness as a fraction of the radius (empty M&M's), in (0, 1).
    sampler : where the angle experiment's vectors come from (``sim.geometry.SAMPLERS``).
    n_pairs : random pairs per angle histogram.
    angle_dims : the D of the angle histograms besides the slider's D (the article's 2, 3, 50,
        100), at most :data:`MAX_ANGLE_DIMS`, no repeats.
    distance_kind : "query" (one random query to n_points points) or "pairwise" (all pairs).
    n_points : points in the unit cube for the distance histogram and the contrast curve.
    seed : seed of every sampler (the "New samples" button adds one).
    """

    D: int = 100
    N: int = 1_000
    b: int = 10
    eps: float = 0.01
    sampler: str = "cube"
    n_pairs: int = 10_000
    angle_dims: tuple[int, ...] = (2, 3, 50, 100)
    distance_kind: str = "query"
    n_points: int = 1_000
    seed: int = 0

    def __post_init__(self):
        _int_in("D", self.D, 1, D_MAX)
        _int_in("N", self.N, 1, N_MAX)
        _int_in("b", self.b, 2, B_MAX)
        eps = self.eps
        if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)) \
                or not 0.0 < float(eps) < 1.0:
            raise ValueError(f"eps must be a number in (0, 1), got {eps!r}")
        object.__setattr__(self, "eps", float(eps))
        if self.sampler not in geometry.SAMPLERS:
            raise ValueError(f"sampler must be one of {', '.join(geometry.SAMPLERS)}, "
                             f"got {self.sampler!r}")
        _int_in("n_pairs", self.n_pairs, 1, N_PAIRS_MAX)
        dims = tuple(_int_in("angle_dims", d, 1, D_MAX) for d in self.angle_dims)
        dims = tuple(dict.fromkeys(dims))  # no repeats, first order kept
        if not 1 <= len(dims) <= MAX_ANGLE_DIMS:
            raise ValueError(f"angle_dims must hold 1..{MAX_ANGLE_DIMS} dimensions, "
                             f"got {len(dims)}")
        object.__setattr__(self, "angle_dims", dims)
        if self.distance_kind not in DISTANCE_KINDS:
            raise ValueError(f"distance_kind must be one of {', '.join(DISTANCE_KINDS)}, "
                             f"got {self.distance_kind!r}")
        _int_in("n_points", self.n_points, 2, N_POINTS_MAX)
        _int_in("seed", self.seed, 0, 2**31 - 1)

    def replace(self, **changes) -> GeometryParams:
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown geometry parameter(s): {', '.join(sorted(unknown))}")
        if "angle_dims" in changes:
            changes["angle_dims"] = tuple(changes["angle_dims"])
        return replace(self, **changes)


def parse_dims(text: str) -> tuple[int, ...]:
    """'2, 3, 50, 100' -> (2, 3, 50, 100); ValueError naming ``angle_dims`` for anything else."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        dims = tuple(int(p.replace("_", "")) for p in parts)
    except ValueError:
        raise ValueError(f"angle_dims must be integers separated by commas, got {text!r}") \
            from None
    return GeometryParams(angle_dims=dims).angle_dims  # validated


# ---------------------------------------------------------------------------------------------
# the D slider: linear up to 100, logarithmic above
# ---------------------------------------------------------------------------------------------


def slider_to_d(pos: int) -> int:
    """D at slider position ``pos`` in 0..SLIDER_MAX: 1..100 one per step, then geometric."""
    pos = min(max(int(pos), 0), SLIDER_MAX)
    if pos <= D_LINEAR - 1:
        return pos + 1
    frac = (pos - (D_LINEAR - 1)) / SLIDER_LOG_STEPS  # 0..1 along the log part
    return int(round(D_LINEAR * (D_MAX / D_LINEAR) ** frac))


def d_to_slider(D: int) -> int:
    """The slider position nearest to D (exact for D <= 100 and at D = 10,000)."""
    D = min(max(int(D), 1), D_MAX)
    if D <= D_LINEAR:
        return D - 1
    frac = math.log(D / D_LINEAR) / math.log(D_MAX / D_LINEAR)
    return D_LINEAR - 1 + int(round(frac * SLIDER_LOG_STEPS))


# ---------------------------------------------------------------------------------------------
# small closed forms the pictures need beyond sim.geometry (pure, tested)
# ---------------------------------------------------------------------------------------------


def real_crossing(eps: float, fraction: float) -> float:
    """D* solving 1 - (1 - eps)^D = fraction over the reals; ``shell_crossing`` is its ceiling."""
    return math.log1p(-fraction) / math.log1p(-eps)


def equal_volume_radii(D: int, n: int = 10) -> np.ndarray:
    """(n + 1,) radii 0 = r_0 < ... < r_n = 1 that cut the unit D-ball into n equal volumes.

    The ball of radius r holds r^D of the volume, so r_k = (k / n)^(1 / D).
    """
    k = np.arange(n + 1) / n  # (n + 1,) volume fractions
    return k ** (1.0 / D)  # (n + 1,) radii


def ring_density(radii: np.ndarray) -> np.ndarray:
    """(n,) volume per unit of drawn area of the rings between ``radii`` (n + 1,), relative to
    a flat disc: 1 everywhere in 2-D, < 1 inside and > 1 near the rim in higher D."""
    share = np.diff(np.linspace(0.0, 1.0, radii.size))  # (n,) volume share of each ring
    area = np.diff(radii**2)  # (n,) share of the disc's drawn area
    with np.errstate(divide="ignore"):
        return np.where(area > 0, share / np.where(area > 0, area, 1.0), np.inf)  # (n,)


def cells_log10(D, b: int):
    """log10 of the number of grid cells b^D (b^D itself overflows for large D)."""
    return np.asarray(D, dtype=float) * math.log10(b)  # same shape as D


def cells_equal_samples(N: int, b: int) -> float:
    """The D at which the grid has as many cells as there are samples: b^D = N."""
    return math.log(N) / math.log(b) if N > 1 else 0.0


def d_grid(lo: float = 1.0, hi: float = D_MAX, n: int = 400) -> np.ndarray:
    """(n,) real dimensions spaced evenly on a log axis, for smooth curves against D."""
    return np.geomspace(lo, hi, n)  # (n,)


@cache
def sd_curve() -> tuple[np.ndarray, np.ndarray]:
    """Integer D on a log grid (1..10,000) and the exact angle sd there (degrees), computed once."""
    D = np.unique(np.round(np.geomspace(1, D_MAX, 90)).astype(np.int64))  # (k,)
    return D, geometry.angle_sd(D)  # (k,), (k,)


def angle_edges(D: int) -> np.ndarray:
    """Histogram bin edges (degrees) for the angles at D: 2-degree bins over 0..180 while the
    spread is wide, else 60 bins over 90 +- 6 exact sd (so a narrow peak still has a shape)."""
    sd = geometry.angle_sd(D)
    if D <= 2 or sd >= 4.0:
        return np.linspace(0.0, 180.0, 91)  # (91,)
    half = 6.0 * sd
    return np.linspace(90.0 - half, 90.0 + half, 61)  # (61,)


def grid_cells(points: np.ndarray, b: int) -> np.ndarray:
    """Integer cell coordinates (n, D) of points (n, D) in [-1, 1): b cells per axis."""
    c = np.floor((points + 1.0) * (b / 2.0)).astype(np.int64)  # (n, D)
    return np.clip(c, 0, b - 1)  # (n, D) guards the point x = 1 exactly


# ---------------------------------------------------------------------------------------------
# sampling jobs: keys (hashable) and results (frozen)
# ---------------------------------------------------------------------------------------------


class AnglesKey(NamedTuple):
    D: int
    n_pairs: int
    sampler: str
    seed: int


class DistancesKey(NamedTuple):
    D: int
    kind: str
    n_points: int
    seed: int


class ContrastKey(NamedTuple):
    dims: tuple[int, ...]
    n_points: int
    seeds: tuple[int, ...]


class CellsKey(NamedTuple):
    N: int
    b: int
    seed: int


class GridPointsKey(NamedTuple):
    N: int
    b: int
    seed: int


@dataclass(frozen=True)
class AngleHistogram:
    """Angles between n random pairs at D, as a histogram with density per degree.

    heights = counts / (n * bin width), so it compares with ``angle_density`` directly.
    """

    D: int
    n: int
    edges: np.ndarray  # (bins + 1,) degrees
    heights: np.ndarray  # (bins,) per degree
    mean: float
    sd: float
    outside: int  # samples outside the edges (none when the edges span 0..180)


@dataclass(frozen=True)
class DistanceHistogram:
    """Distances at D as a histogram of d / d_max (density per unit of d / d_max)."""

    D: int
    kind: str
    n: int  # number of distances
    edges: np.ndarray  # (bins + 1,) in units of d_max
    heights: np.ndarray  # (bins,)
    d_min: float
    d_max: float
    d_mean: float
    d_sd: float
    contrast: float  # (max - min) / min of these distances
    query_contrast: float  # relative_contrast(D, n_points, seed): the curve's measure at D


@dataclass(frozen=True)
class ContrastCurve:
    dims: np.ndarray  # (k,)
    seeds: np.ndarray  # (s,)
    values: np.ndarray  # (k, s) relative_contrast(D, n_points, seed)
    median: np.ndarray  # (k,)


@dataclass(frozen=True)
class CellCounts:
    """sample_empty_cells(D, N, b, seed) for every D with b^D <= MAX_CELLS."""

    dims: np.ndarray  # (k,)
    occupied: np.ndarray  # (k,)
    total: np.ndarray  # (k,)
    empty: np.ndarray  # (k,) empty fraction


@dataclass(frozen=True)
class GridPoints:
    """The N samples of the article's 1-, 2- and 3-D grids (uniform in the cube [-1, 1]^D).

    shown[D] : (min(N, GRID_SHOWN), D) points in cell units [0, b) to draw.
    occupied[D] : cells holding at least one of the N samples; occupancy[D] : (b,)*D bool for
    D = 1, 2.
    """

    N: int
    b: int
    shown: dict = field(default_factory=dict)
    occupied: dict = field(default_factory=dict)
    occupancy: dict = field(default_factory=dict)


def _sub_progress(progress, lo: float, hi: float):
    if progress is None:
        return None
    return lambda f: progress(lo + (hi - lo) * f)


def compute(key, progress=None, should_stop=None):
    """Run the sampling ``key`` describes with ``sim.geometry`` (any thread; no Qt).

    Raises ``sim.geometry.Cancelled`` when ``should_stop`` becomes true.
    """
    if isinstance(key, AnglesKey):
        theta = geometry.sample_angles(key.D, key.n_pairs, sampler=key.sampler, seed=key.seed,
                                       progress=progress, should_stop=should_stop)  # (n,)
        edges = angle_edges(key.D)  # (bins + 1,)
        counts, _ = np.histogram(theta, edges)  # (bins,)
        heights = counts / (key.n_pairs * np.diff(edges))  # (bins,) per degree
        return AngleHistogram(key.D, key.n_pairs, edges, heights, float(theta.mean()),
                              float(theta.std()), int(key.n_pairs - counts.sum()))
    if isinstance(key, DistancesKey):
        fn = geometry.query_distances if key.kind == "query" else geometry.pairwise_distances
        last = 0.5 if key.kind == "pairwise" else 1.0
        d = fn(key.D, key.n_points, seed=key.seed, progress=_sub_progress(progress, 0, last),
               should_stop=should_stop)  # (n,)
        d_min, d_max = float(d.min()), float(d.max())
        edges = np.linspace(0.0, 1.0, DISTANCE_BINS + 1)  # (bins + 1,)
        counts, _ = np.histogram(d / d_max, edges)  # (bins,)
        heights = counts / (d.size * np.diff(edges))  # (bins,)
        contrast = math.inf if d_min == 0.0 else (d_max - d_min) / d_min
        if key.kind == "query":
            query_contrast = contrast  # the same distances relative_contrast looks at
        else:
            query_contrast = geometry.relative_contrast(
                key.D, key.n_points, seed=key.seed, progress=_sub_progress(progress, 0.5, 1.0),
                should_stop=should_stop)
        return DistanceHistogram(key.D, key.kind, int(d.size), edges, heights, d_min, d_max,
                                 float(d.mean()), float(d.std()), contrast, query_contrast)
    if isinstance(key, ContrastKey):
        dims = np.asarray(key.dims)
        cost = dims / dims.sum()  # (k,) share of the work, ~ D
        done = np.concatenate([[0.0], np.cumsum(cost)])  # (k + 1,)
        values = np.empty((len(dims), len(key.seeds)))  # (k, s)
        for i, D in enumerate(key.dims):
            for j, s in enumerate(key.seeds):
                lo = done[i] + cost[i] * j / len(key.seeds)
                hi = done[i] + cost[i] * (j + 1) / len(key.seeds)
                values[i, j] = geometry.relative_contrast(
                    int(D), key.n_points, seed=int(s), progress=_sub_progress(progress, lo, hi),
                    should_stop=should_stop)
        return ContrastCurve(dims, np.asarray(key.seeds), values, np.median(values, axis=1))
    if isinstance(key, CellsKey):
        dims = [D for D in range(1, 64) if key.b**D <= geometry.MAX_CELLS]
        occ, tot = [], []
        for i, D in enumerate(dims):
            c = geometry.sample_empty_cells(D, key.N, key.b, seed=key.seed,
                                            progress=_sub_progress(progress, i / len(dims),
                                                                   (i + 1) / len(dims)),
                                            should_stop=should_stop)
            occ.append(c.occupied)
            tot.append(c.total)
        occ_a, tot_a = np.asarray(occ), np.asarray(tot)  # (k,), (k,)
        return CellCounts(np.asarray(dims), occ_a, tot_a, 1.0 - occ_a / tot_a)
    if isinstance(key, GridPointsKey):
        out = GridPoints(key.N, key.b)
        for D in (1, 2, 3):
            if should_stop is not None and should_stop():
                raise geometry.Cancelled("stopped by should_stop()")
            pts = geometry.sample_points(D, key.N, sampler="cube", seed=key.seed)  # (N, D)
            cells = grid_cells(pts, key.b)  # (N, D)
            flat = np.ravel_multi_index(cells.T, (key.b,) * D)  # (N,)
            occupancy = np.zeros(key.b**D, dtype=bool)  # (b^D,)
            occupancy[flat] = True
            out.shown[D] = (pts[:GRID_SHOWN] + 1.0) * (key.b / 2.0)  # (shown, D) cell units
            out.occupied[D] = int(occupancy.sum())
            if D <= 2:
                out.occupancy[D] = occupancy.reshape((key.b,) * D)  # (b,) or (b, b)
            if progress is not None:
                progress(D / 3)
        return out
    raise ValueError(f"unknown sampling key {key!r}")


# keys a view needs for parameters p ----------------------------------------------------------


def angle_keys(p: GeometryParams) -> list[AnglesKey]:
    """The slider's D first (it is what the user just moved), then the article's list."""
    dims = [p.D] + [d for d in p.angle_dims if d != p.D]
    return [AnglesKey(d, p.n_pairs, p.sampler, p.seed) for d in dims]


def distances_key(p: GeometryParams) -> DistancesKey:
    return DistancesKey(p.D, p.distance_kind, p.n_points, p.seed)


def contrast_key(p: GeometryParams) -> ContrastKey:
    return ContrastKey(CONTRAST_DIMS, p.n_points,
                       tuple(range(p.seed, p.seed + CONTRAST_SEEDS)))


def cells_key(p: GeometryParams) -> CellsKey:
    return CellsKey(p.N, p.b, p.seed)


def grid_points_key(p: GeometryParams) -> GridPointsKey:
    return GridPointsKey(p.N, p.b, p.seed)


# ---------------------------------------------------------------------------------------------
# the runner
# ---------------------------------------------------------------------------------------------


class _Signals(QtCore.QObject):
    progress = QtCore.Signal(int, float)
    finished = QtCore.Signal(int, object, object, str, str)  # id, key, result, status, message


class _Job(QtCore.QRunnable):
    def __init__(self, job_id: int, key, stop: threading.Event, signals: _Signals):
        super().__init__()
        self.job_id, self.key, self.stop, self.signals = job_id, key, stop, signals
        self.setAutoDelete(True)

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the runner is gone (application shutting down)
            pass

    def run(self) -> None:
        last = [-1.0]

        def progress(f: float) -> None:
            if f - last[0] >= 0.01 or f >= 1.0:
                last[0] = f
                self._emit(self.signals.progress, self.job_id, float(f))

        try:
            result = compute(self.key, progress, self.stop)
        except geometry.Cancelled:
            self._emit(self.signals.finished, self.job_id, self.key, None, "cancelled", "")
        except Exception as exc:  # noqa: BLE001 - the panel must survive and say what happened
            if not isinstance(exc, ValueError):
                traceback.print_exc()
            self._emit(self.signals.finished, self.job_id, self.key, None, "failed",
                       f"{type(exc).__name__}: {exc}")
        else:
            self._emit(self.signals.finished, self.job_id, self.key, result, "done", "")


class SampleRunner(QtCore.QObject):
    """Computes sampling keys one at a time on a worker thread and caches the results.

    Views say what they need with :meth:`request` (per owner: a new request replaces the
    owner's old one). The runner works through the union of all owners' keys that are neither
    cached nor cancelled, in request order; a running key that nobody wants any more is stopped
    at its next chunk. :meth:`cancel` stops everything; the cancelled keys are not started again
    until :meth:`resume` (the state calls it whenever a parameter changes).
    """

    progress = QtCore.Signal(float)  #: fraction done of the current batch of keys
    busy_changed = QtCore.Signal(bool)
    landed = QtCore.Signal(object)  #: a key whose result is now cached
    failed = QtCore.Signal(object, str)
    cancelled = QtCore.Signal()

    def __init__(self, parent=None, *, cache_size: int = 256):
        super().__init__(parent)
        # created before the signals object, so that it is destroyed (and waits for a running
        # job) before the object the job reports to
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._wanted: dict[str, tuple] = {}
        self._queue: list = []
        self._running = None  # (job id, key, stop event) of the job on the thread
        self._ids = 0
        self._cancelled: set = set()
        self._errors: dict = {}
        self._batch_total = 0  # keys in the current batch (done, running and queued)
        self._batch_done = 0
        self._fraction = 0.0
        self.busy = False
        self.last_job_seconds: dict = {}  #: wall time of each computed key (benchmarks)
        self._t0 = 0.0

    # -- queries ------------------------------------------------------------------------------
    def result(self, key):
        """The cached result for ``key``, or None."""
        r = self._cache.get(key)
        if r is not None:
            self._cache.move_to_end(key)
        return r

    def status(self, key) -> str:
        """"ready", "running", "queued", "cancelled", "failed" or "idle" (nobody asked)."""
        if key in self._cache:
            return "ready"
        if self._running is not None and self._running[1] == key:
            return "running"
        if key in self._queue:
            return "queued"
        if key in self._cancelled:
            return "cancelled"
        if key in self._errors:
            return "failed"
        return "idle"

    def error(self, key) -> str:
        return self._errors.get(key, "")

    @property
    def fraction(self) -> float:
        """Progress of the current batch, 0..1 (1 when idle)."""
        return self._fraction

    def running_key(self):
        return None if self._running is None else self._running[1]

    # -- requests -----------------------------------------------------------------------------
    def request(self, owner: str, keys, *, force: bool = False) -> None:
        """Owner ``owner`` needs ``keys`` (replacing what it asked for before).

        ``force`` restarts keys that were cancelled or failed (headless export waits for them).
        """
        keys = tuple(keys)
        if force:
            for k in keys:
                self._cancelled.discard(k)
                self._errors.pop(k, None)
        if self._wanted.get(owner) == keys and not force:
            return
        self._wanted[owner] = keys
        self._schedule()

    def release(self, owner: str) -> None:
        """Owner ``owner`` needs nothing any more."""
        if self._wanted.pop(owner, None) is not None:
            self._schedule()

    def resume(self) -> None:
        """Forget cancellations and failures: wanted keys are computed again."""
        if self._cancelled or self._errors:
            self._cancelled.clear()
            self._errors.clear()
            self._schedule()

    def cancel(self) -> None:
        """Stop the running key at its next chunk and drop the queue (the Cancel button)."""
        if not self.busy:
            return
        self._cancelled.update(self._queue)
        self._queue.clear()
        if self._running is not None:
            self._cancelled.add(self._running[1])
            self._running[2].set()
        self.cancelled.emit()

    def _pending(self) -> list:
        seen: dict = {}
        for keys in self._wanted.values():
            for k in keys:
                if k not in self._cache and k not in self._cancelled and k not in self._errors:
                    seen.setdefault(k, None)
        return list(seen)

    def _schedule(self) -> None:
        pending = self._pending()
        running = self.running_key()
        if running is not None and running not in pending:
            self._running[2].set()  # nobody wants it any more
        self._queue = [k for k in pending if k != running]
        if self._running is None:
            self._batch_done = 0  # a new batch starts
            self._start_next()
        else:
            self._batch_total = self._batch_done + len(self._queue) + 1

    def _start_next(self) -> None:
        if not self._queue:
            self._running = None
            self._fraction = 1.0
            self._set_busy(False)
            return
        key = self._queue.pop(0)
        self._ids += 1
        stop = threading.Event()
        self._running = (self._ids, key, stop)
        self._batch_total = self._batch_done + len(self._queue) + 1
        self._set_busy(True)
        self._emit_progress(0.0)
        self._t0 = time.perf_counter()
        self._pool.start(_Job(self._ids, key, stop, self._signals))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)
            if not busy:
                self.progress.emit(1.0)

    def _emit_progress(self, f: float) -> None:
        total = max(self._batch_total, 1)
        self._fraction = min(1.0, (self._batch_done + f) / total)
        self.progress.emit(self._fraction)

    def _on_progress(self, job_id: int, f: float) -> None:
        if self._running is not None and self._running[0] == job_id:
            self._emit_progress(f)

    def _on_finished(self, job_id: int, key, result, status: str, message: str) -> None:
        if self._running is None or self._running[0] != job_id:
            return
        self._running = None
        self._batch_done += 1
        if status == "done":
            self.last_job_seconds[key] = time.perf_counter() - self._t0
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        elif status == "failed":
            self._errors[key] = message
        # a key stopped because nobody wanted it is neither cached nor marked: if it is wanted
        # again by now, it simply runs again
        self._queue = self._pending()
        self._start_next()
        if status == "done":
            self.landed.emit(key)
        elif status == "failed":
            self.failed.emit(key, message)

    # -- blocking (tests, headless export) ----------------------------------------------------
    def wait(self, msecs: int = 60_000, keys=None) -> bool:
        """Block until idle (or until none of ``keys`` is queued or running); False on timeout."""
        deadline = time.monotonic() + msecs / 1000.0

        def pending() -> bool:
            if keys is None:
                return self.busy
            return any(self.status(k) in ("queued", "running") for k in keys)

        while pending():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._pool.waitForDone(int(min(left, 0.05) * 1000) + 1)
            QtCore.QCoreApplication.sendPostedEvents(self._signals)
            QtCore.QCoreApplication.sendPostedEvents(self)
            QtCore.QCoreApplication.processEvents()
        return True


# ---------------------------------------------------------------------------------------------
# the state
# ---------------------------------------------------------------------------------------------


class GeometryState(QtCore.QObject):
    """D, the sampling parameters and the runner the geometry views share."""

    changed = QtCore.Signal(object)  #: frozenset of the GeometryParams fields that changed

    def __init__(self, app_state=None, params: GeometryParams | None = None):
        super().__init__(app_state if isinstance(app_state, QtCore.QObject) else None)
        self.params = params or GeometryParams()
        self.runner = SampleRunner(self)

    def __getattr__(self, name):
        # p.D, p.eps ... read through the state for convenience (only for parameter names)
        if name in GeometryParams.__dataclass_fields__:
            return getattr(self.__dict__.get("params") or GeometryParams(), name)
        raise AttributeError(name)

    def set(self, **changes) -> frozenset:
        """Change parameters (ValueError naming the argument if invalid); returns what changed."""
        new = self.params.replace(**changes)
        diff = frozenset(f.name for f in fields(new)
                         if getattr(new, f.name) != getattr(self.params, f.name))
        if diff:
            self.params = new
            self.runner.resume()  # a new question: cancelled keys may run again
            self.changed.emit(diff)
        return diff

    def set_D(self, D: int) -> frozenset:
        return self.set(D=int(D))

    def resample(self) -> None:
        """New random samples everywhere (the seed moves on)."""
        self.set(seed=self.params.seed + 1)

    def cancel(self) -> None:
        self.runner.cancel()

    def wait(self, msecs: int = 60_000) -> bool:
        return self.runner.wait(msecs)
