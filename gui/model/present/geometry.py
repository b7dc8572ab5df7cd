"""What the geometry panel computes: its parameters, its Monte Carlo jobs (frozen keys with
``compute(progress, should_stop)`` and ``cost``, for the one job runner in gui/jobs.py) and the
small closed forms its pictures need. Pure NumPy (no Qt): the runner, tests and scripts share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from sim import geometry

from ..schema import Section

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
#: a job starts this long after the last request, so that a slider drag repaints first (the
#: sampler thread competes for the GIL) and does not start and stop a job per step
START_DELAY_MS = 60
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
class GeometryParams(Section):
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

    section = "geometry"

    D: int = 100
    N: int = 100
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
        if not isinstance(self.angle_dims, (tuple, list)):
            raise ValueError(f"angle_dims must be a list of integers in 1..{D_MAX}, "
                             f"got {self.angle_dims!r}")
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


@cache
def exact_angle_sd(D: int) -> float:
    """``sim.geometry.angle_sd(D)``, remembered (it integrates numerically: ~0.3 ms a call)."""
    return geometry.angle_sd(int(D))


def angle_edges(D: int) -> np.ndarray:
    """Histogram bin edges (degrees) for the angles at D: 2-degree bins over 0..180 while the
    spread is wide, else 60 bins over 90 +- 6 exact sd (so a narrow peak still has a shape)."""
    sd = exact_angle_sd(D)
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


@dataclass(frozen=True)
class _Job:
    """A sampling job for the job runner (gui/jobs.py): its fields are its key, except
    ``delay_ms`` (start only after requests have paused this long; not part of the key)."""

    def compute(self, progress=None, should_stop=None):
        """Run it with ``sim.geometry`` (any thread; no Qt)."""
        return compute(self, progress, should_stop)

    @property
    def cost(self) -> float:
        """A rough estimate of the work in seconds (the window shows progress above 0.2 s)."""
        return 0.01


_DELAY = field(default=0, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class AnglesKey(_Job):
    D: int
    n_pairs: int
    sampler: str
    seed: int
    delay_ms: int = _DELAY

    @property
    def cost(self) -> float:
        return 1e-8 * self.D * self.n_pairs + 1e-3


@dataclass(frozen=True)
class DistancesKey(_Job):
    D: int
    kind: str
    n_points: int
    seed: int
    delay_ms: int = _DELAY

    @property
    def cost(self) -> float:
        pairs = self.n_points * (self.n_points - 1) / 2 if self.kind == "pairwise" else 0.0
        return 1e-8 * self.D * (self.n_points + pairs) + 1e-3


@dataclass(frozen=True)
class ContrastKey(_Job):
    dims: tuple[int, ...]
    n_points: int
    seeds: tuple[int, ...]
    delay_ms: int = _DELAY

    @property
    def cost(self) -> float:
        return 1e-8 * sum(self.dims) * self.n_points * len(self.seeds) + 1e-3


@dataclass(frozen=True)
class CellsKey(_Job):
    N: int
    b: int
    seed: int
    delay_ms: int = _DELAY

    @property
    def cost(self) -> float:
        return 2e-7 * self.N * 20 + 1e-3


@dataclass(frozen=True)
class GridPointsKey(_Job):
    N: int
    b: int
    seed: int
    delay_ms: int = _DELAY

    @property
    def cost(self) -> float:
        return 1e-7 * min(self.N, N_MAX) + 1e-3


@dataclass(frozen=True)
class SdCurveKey(_Job):
    """The exact angle sd on a log grid of D (:func:`sd_curve`: ~60 ms of integration)."""

    delay_ms: int = _DELAY

    @property
    def cost(self) -> float:
        return 0.06


def delayed(job, delay_ms: int = START_DELAY_MS):
    """``job`` starting only after requests have paused ``delay_ms`` (the same key)."""
    return replace(job, delay_ms=delay_ms)


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
            stop = getattr(should_stop, "is_set", should_stop)  # an Event or a callable
            if stop is not None and stop():
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
    if isinstance(key, SdCurveKey):
        return sd_curve()
    raise ValueError(f"unknown sampling key {key!r}")


def is_geometry_job(job) -> bool:
    """Whether ``job`` is one of the geometry panel's (its Cancel stops only these)."""
    return isinstance(job, _Job)


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
