"""Training history in session files: the option section "training-history".

A session keeps the curves of its own run ("single") and of the compare run ("compare"), so that
a reopened session shows them and the training view exports a real chart. Per model: update,
loss, accuracy, the gradient norm before and after clipping, the clipped and finite flags; per
run: the session config it trained, its training settings (sim.train.TrainConfig), the update
count it aimed at, and for the session's run a hash of the weights it ended with (Start carries on
from the curves when the session's weights are those; the optimiser's state is not saved).

Each series keeps at most :data:`MAX_POINTS` points, evenly spread with the first and the last
kept; the totals (updates, clipped updates) still count the whole run. Non-finite values are
written as null and read back as NaN. Every field is checked on load, and an error names it:
``training-history.single.series[0].loss[3] must be a number or null, got 'x'``.

The section is Qt-free; the window's training controller turns it into runs and back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import numbers
from dataclasses import dataclass

import numpy as np

from sim.run import SessionConfig
from sim.train import TrainConfig

from ..schema import Section
from .history import KINDS, METRICS, Run, Series

SECTION = "training-history"
#: points each saved series keeps at most
MAX_POINTS = 20_000
#: the fields of a saved run and of one of its models
RUN_FIELDS = ("config", "training", "total", "weights", "models", "series")
MODEL_FIELDS = ("label", "kind", "config", "updates", "drawn", "clipped")
MAX_MODELS = 3
_FLAGS = ("clipped", "finite")


def weights_hash(params: dict | None) -> str | None:
    """A short hash of weights (names, shapes and float64 values), or None for no weights."""
    if params is None:
        return None
    h = hashlib.sha256()
    for name in sorted(params):
        a = np.ascontiguousarray(params[name], dtype=np.float64)
        h.update(name.encode())
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:32]


def kept_points(n: int, limit: int = MAX_POINTS) -> np.ndarray:
    """Indices of the points a series of ``n`` keeps: all, or ``limit`` evenly spread with the
    first and the last among them. (k,) int."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, limit)).astype(int))


@dataclass(frozen=True)
class SavedModel:
    """One model of a saved run: its legend label, kind, session config, updates made (the
    whole run), samples drawn, clipped updates (the whole run)."""

    label: str
    kind: str
    config: SessionConfig
    updates: int
    drawn: int
    clipped: int


@dataclass(frozen=True, eq=False)
class SavedRun:
    """A run as a session file holds it.

    Attributes
    ----------
    config : the SessionConfig the run trains (a compare run: its task's session).
    training : the sim.train.TrainConfig it trains with.
    total : the update count it aimed at.
    weights : hash of the weights the session's run ended with (:func:`weights_hash`), or None.
    models : one SavedModel per trained model.
    series : per model, metric name -> (k,) float64 array (k <= MAX_POINTS), columns METRICS.
    """

    config: SessionConfig
    training: TrainConfig
    total: int
    weights: str | None
    models: tuple
    series: tuple

    def __eq__(self, other) -> bool:
        if not isinstance(other, SavedRun):
            return NotImplemented
        return ((self.config, self.training, self.total, self.weights, self.models)
                == (other.config, other.training, other.total, other.weights, other.models)
                and len(self.series) == len(other.series)
                and all(np.array_equal(a[m], b[m], equal_nan=True)
                        for a, b in zip(self.series, other.series, strict=True)
                        for m in METRICS))

    __hash__ = None

    @classmethod
    def from_run(cls, run: Run, weights: str | None = None) -> SavedRun:
        """The saved form of ``run`` (at most MAX_POINTS points per series)."""
        models, series = [], []
        for t, s in zip(run.trainers, run.series, strict=True):
            a = s.arrays()
            keep = kept_points(len(s))
            clipped = int(np.sum(a["clipped"])) + s.clipped_left_out
            models.append(SavedModel(s.label, s.kind, getattr(t, "session_config", run.base),
                                     s.updates, int(getattr(t, "drawn", 0)), clipped))
            series.append({m: np.asarray(a[m], dtype=float)[keep] for m in METRICS})
        return cls(run.base, run.train_config, int(run.total), weights, tuple(models),
                   tuple(series))

    def fill(self, series: list[Series]) -> None:
        """Put the saved curves into empty ``series`` (one per model), with the totals."""
        for s, m, a in zip(series, self.models, self.series, strict=True):
            rows = np.stack([a[name] for name in METRICS], axis=1)  # (k, 7)
            s.extend(rows)
            s.left_out = m.updates - len(rows)
            s.clipped_left_out = m.clipped - int(np.sum(a["clipped"] > 0))

    @property
    def points_left_out(self) -> bool:
        """Whether any series holds fewer points than its model made updates."""
        return any(m.updates > len(a["update"]) for m, a in zip(self.models, self.series,
                                                                    strict=True))

    def to_dict(self) -> dict:
        out = {"config": self.config.to_dict(),
               "training": dataclasses.asdict(self.training),
               "total": self.total, "weights": self.weights,
               "models": [{"label": m.label, "kind": m.kind, "config": m.config.to_dict(),
                           "updates": m.updates, "drawn": m.drawn, "clipped": m.clipped}
                          for m in self.models],
               "series": [{name: _column(name, a[name]) for name in METRICS}
                          for a in self.series]}
        return out

    @classmethod
    def from_dict(cls, d, where: str) -> SavedRun:
        _obj(d, where, RUN_FIELDS, required=RUN_FIELDS)
        config = _config(d["config"], f"{where}.config")
        training = _training(d["training"], f"{where}.training")
        total = _int(d["total"], f"{where}.total", 0, 10**9)
        weights = d["weights"]
        if weights is not None and not (isinstance(weights, str) and 0 < len(weights) <= 64):
            raise ValueError(f"{where}.weights must be a hash string or null, got "
                             f"{_show(weights)}")
        models = _list(d["models"], f"{where}.models", 1, MAX_MODELS)
        series = _list(d["series"], f"{where}.series", 1, MAX_MODELS)
        if len(series) != len(models):
            raise ValueError(f"{where}.series must have one entry per model ({len(models)}), "
                             f"got {len(series)}")
        ms = tuple(_model(m, f"{where}.models[{i}]") for i, m in enumerate(models))
        ss = tuple(_series(s, f"{where}.series[{i}]") for i, s in enumerate(series))
        for i, (m, a) in enumerate(zip(ms, ss, strict=True)):
            if len(a["update"]) > m.updates:
                raise ValueError(f"{where}.series[{i}] holds {len(a['update'])} points, more "
                                 f"than models[{i}].updates = {m.updates}")
            if int(np.sum(a["clipped"] > 0)) > m.clipped:
                raise ValueError(f"{where}.models[{i}].clipped = {m.clipped} is fewer than the "
                                 f"clipped points of series[{i}]")
        return cls(config, training, total, weights, ms, ss)


@dataclass(frozen=True)
class TrainingHistory(Section):
    """The section: the session's run and the compare run, each a :class:`SavedRun` or None.

    Two histories are equal when they hold the same runs, point for point (NaN equal to NaN).
    """

    section = SECTION

    single: SavedRun | None = None
    compare: SavedRun | None = None

    def __post_init__(self):
        for kind in KINDS:
            v = getattr(self, kind)
            if v is not None and not isinstance(v, SavedRun):
                raise ValueError(f"{SECTION}.{kind} must be a saved run or None")

    def run(self, kind: str) -> SavedRun | None:
        return getattr(self, kind)

    @classmethod
    def from_runs(cls, runs: dict, weights: str | None = None) -> TrainingHistory:
        """The history of ``runs`` (kind -> gui.model.training.history.Run or None);
        ``weights``: the hash of the weights the session's run gave the session."""
        return cls(**{kind: None if runs.get(kind) is None or runs[kind].done == 0 else
                      SavedRun.from_run(runs[kind], weights if kind == "single" else None)
                      for kind in KINDS})

    def to_dict(self) -> dict:
        return {kind: None if getattr(self, kind) is None else getattr(self, kind).to_dict()
                for kind in KINDS}

    @classmethod
    def from_dict(cls, data) -> TrainingHistory:
        _obj(data, SECTION, KINDS)
        return cls(**{kind: None if data.get(kind) is None else
                      SavedRun.from_dict(data[kind], f"{SECTION}.{kind}") for kind in KINDS})


# -- writing ----------------------------------------------------------------------------------

def _column(name: str, values: np.ndarray) -> list:
    if name in _FLAGS:
        return [1 if v > 0 else 0 for v in values.tolist()]
    if name == "update":
        return [int(v) for v in values.tolist()]
    return [v if math.isfinite(v) else None for v in values.tolist()]


# -- reading, every field checked -------------------------------------------------------------

def _show(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _obj(d, where: str, known, required=()) -> None:
    if not isinstance(d, dict):
        raise ValueError(f"{where} must be an object, got {type(d).__name__}")
    unknown = sorted(set(d) - set(known))
    if unknown:
        raise ValueError(f"{where} has an unknown field {unknown[0]!r} "
                         f"(known: {', '.join(known)})")
    missing = [k for k in required if k not in d]
    if missing:
        raise ValueError(f"{where}.{missing[0]} is missing")


def _list(v, where: str, lo: int, hi: int) -> list:
    if not isinstance(v, list) or not lo <= len(v) <= hi:
        raise ValueError(f"{where} must be a list of {lo} to {hi} entries, got {_show(v)}")
    return v


def _int(v, where: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not lo <= v <= hi:
        raise ValueError(f"{where} must be an integer in {lo}..{hi}, got {_show(v)}")
    return int(v)


def _config(v, where: str) -> SessionConfig:
    from .. import limits
    from ..session_file import _json_config

    try:
        c = SessionConfig.from_dict(_json_config(v))
        limits.check_config(c)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    return c


def _training(v, where: str) -> TrainConfig:
    names = [f.name for f in dataclasses.fields(TrainConfig)]
    _obj(v, where, names)
    values = dict(v)
    for key in ("lr", "clip"):
        x = values.get(key)
        if x is not None and (isinstance(x, bool) or not isinstance(x, numbers.Real)):
            raise ValueError(f"{where}.{key} must be a number, got {_show(x)}")
    for key in ("truncation", "batch_size", "length", "seed", "chunk"):
        x = values.get(key)
        if x is not None and (isinstance(x, bool) or not isinstance(x, numbers.Integral)):
            raise ValueError(f"{where}.{key} must be an integer, got {_show(x)}")
    try:
        return TrainConfig(**values)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: {exc}") from None


def _model(v, where: str) -> SavedModel:
    _obj(v, where, MODEL_FIELDS, required=MODEL_FIELDS)
    for key in ("label", "kind"):
        if not isinstance(v[key], str) or not 0 < len(v[key]) <= 200:
            raise ValueError(f"{where}.{key} must be a non-empty string, got {_show(v[key])}")
    return SavedModel(v["label"], v["kind"], _config(v["config"], f"{where}.config"),
                      _int(v["updates"], f"{where}.updates", 0, 10**9),
                      _int(v["drawn"], f"{where}.drawn", 0, 10**12),
                      _int(v["clipped"], f"{where}.clipped", 0, 10**9))


def _series(v, where: str) -> dict:
    _obj(v, where, METRICS, required=METRICS)
    out, n = {}, None
    for name in METRICS:
        col = v[name]
        if not isinstance(col, list) or len(col) > MAX_POINTS:
            raise ValueError(f"{where}.{name} must be a list of at most {MAX_POINTS} values, "
                             f"got {_show(col)}")
        if n is None:
            n = len(col)
        elif len(col) != n:
            raise ValueError(f"{where}.{name} has {len(col)} values; update has {n}")
        out[name] = _values(name, col, f"{where}.{name}")
    u = out["update"]
    if n and (u[0] < 1 or np.any(np.diff(u) <= 0)):
        raise ValueError(f"{where}.update must be increasing update numbers from 1")
    return out


def _values(name: str, col: list, where: str) -> np.ndarray:
    if name in _FLAGS:
        for i, x in enumerate(col):
            if x not in (0, 1) or (isinstance(x, float) and not x.is_integer()):
                raise ValueError(f"{where}[{i}] must be 0 or 1, got {_show(x)}")
        return np.array(col, dtype=float)
    if name == "update":
        for i, x in enumerate(col):
            if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 1:
                raise ValueError(f"{where}[{i}] must be an update number >= 1, got {_show(x)}")
        return np.array(col, dtype=float)
    for i, x in enumerate(col):
        if x is not None and (isinstance(x, bool) or not isinstance(x, numbers.Real)):
            raise ValueError(f"{where}[{i}] must be a number or null, got {_show(x)}")
    return np.array([np.nan if x is None else float(x) for x in col], dtype=float)
