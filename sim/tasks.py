"""Training tasks: small seeded sequence problems of each kind an RNN can solve.

Each task turns ``(settings, T, seed)`` into one :class:`Sample`: inputs ``xs`` (T, n_in), targets
and a loss mask that says at which steps t the loss J(t) counts. The three kinds of the articles:

- many-to-one: read the whole sequence, answer once at the last step (``adding``,
  ``sine-forecast``, ``temperature`` -- the article's weather example -- and ``sign-of-sum`` --
  the "sentiment" example). The loss mask is 1 only at t = T.
- one-to-many: one input at t = 1, an answer at every step (``generate``).
- many-to-many: an input and an answer at every step (``delayed-recall``, ``char-text``, and
  ``next-word``, whose answer at t can depend on the input at t + 1: a one-directional model
  cannot know it, a bidirectional one can).
- seq2seq: read a whole sequence, then write another (``reverse``, ``sort``): the article's
  encoder-decoder tasks.

Row ``t - 1`` of every array holds step ``t`` of the articles (t = 1..T). Samples are
deterministic for (settings, T, seed) and their arrays are read-only.

A seq2seq sample carries its two lengths in its shapes: ``xs`` is (T_enc, n_in), ``targets`` and
``loss_mask`` are (T_dec, ...) -- :attr:`Sample.T_enc` and :attr:`Sample.T_dec`. The ``T`` given
to :meth:`Task.sample` is T_enc; for ``reverse`` and ``sort`` T_dec = T_enc, so a one-sequence
model can also read such a sample step against step (and must then answer some steps before it
has seen what they ask for: :meth:`Task.future_dependent` tells which).

>>> from sim import tasks
>>> t = tasks.make("delayed-recall", delay=2)
>>> s = t.sample(10, seed=3)
>>> s.xs.shape, s.targets.shape, t.loss
((10, 4), (10,), 'cross_entropy')
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import _checks
from ._checks import MAX_LENGTH
from ._task import MAX_BATCH, Sample, Task, freeze

__all__ = [
    "KINDS",
    "MAX_BATCH",
    "MAX_LENGTH",
    "SETTINGS",
    "CharTextTask",
    "Sample",
    "Task",
    "corpus_path",
    "describe",
    "make",
    "names",
]

KINDS = ("many-to-one", "one-to-many", "many-to-many", "seq2seq")
#: the largest vocabulary a user text for ``char-text`` may have
MAX_VOCABULARY = 128
#: the longest user text ``char-text`` accepts
MAX_TEXT = 1_000_000


def corpus_path() -> Path:
    """The built-in text of ``char-text``: ``assets/corpus.txt`` next to the ``sim`` package."""
    return Path(__file__).resolve().parent.parent / "assets" / "corpus.txt"


@lru_cache(maxsize=1)
def _builtin_corpus() -> str:
    # Line breaks in the file are only wrapping: runs of white space become one space, so the
    # vocabulary holds no newline and stays at ~30 symbols.
    path = corpus_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileNotFoundError(f"char-text: built-in corpus missing at {path}: {exc}") from None
    return " ".join(raw.split())


# -- the tasks -------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Adding(Task):
    def _draw(self, T, rng):
        xs = np.zeros((T, 2))  # (T, 2) column 0 value, column 1 marker
        xs[:, 0] = rng.uniform(0.0, 1.0, size=T)  # (T,)
        first = int(rng.integers(0, T // 2))  # in the first half, 0-based
        second = int(rng.integers(first + 1, T))  # anywhere after the first
        xs[[first, second], 1] = 1.0
        targets = np.zeros((T, 1))  # (T, 1)
        targets[-1, 0] = xs[first, 0] + xs[second, 0]  # () the sum, asked for at t = T
        mask = np.zeros(T)  # (T,)
        mask[-1] = 1.0
        return xs, targets, mask


@dataclass(frozen=True, repr=False)
class _DelayedRecall(Task):
    def _draw(self, T, rng):
        s = dict(self._settings)
        d, k = s["delay"], s["n_symbols"]
        symbols = rng.integers(0, k, size=T)  # (T,)
        xs = np.eye(k)[symbols]  # (T, k) one-hot
        targets = np.zeros(T, dtype=np.int64)  # (T,)
        targets[d:] = symbols[: T - d]  # (T - d,) target(t) = symbol(t - d)
        mask = np.zeros(T)  # (T,)
        mask[d:] = 1.0  # nothing to recall before t = d + 1
        return xs, targets, mask


@dataclass(frozen=True, repr=False)
class _SineForecast(Task):
    def _draw(self, T, rng):
        s = dict(self._settings)
        period = rng.uniform(s["period_min"], s["period_max"])  # () in steps
        phase = rng.uniform(0.0, 2.0 * np.pi)  # ()
        steps = np.arange(T + 1)  # (T + 1,) 0..T, the last one is the step to forecast
        clean = np.sin(2.0 * np.pi * steps / period + phase)  # (T + 1,)
        noise = s["noise"] * rng.standard_normal(T)  # (T,)
        xs = (clean[:T] + noise)[:, None]  # (T, 1) what the network reads
        targets = np.zeros((T, 1))  # (T, 1)
        targets[-1, 0] = clean[T]  # () the next value, noise-free
        mask = np.zeros(T)  # (T,)
        mask[-1] = 1.0
        return xs, targets, mask


@dataclass(frozen=True, repr=False)
class _SignOfSum(Task):
    def _draw(self, T, rng):
        xs = rng.standard_normal((T, 1))  # (T, 1) one "word sentiment" per step
        targets = np.zeros(T, dtype=np.int64)  # (T,)
        targets[-1] = 1 if xs.sum() > 0 else 0  # () 1 = positive, 0 = negative
        mask = np.zeros(T)  # (T,)
        mask[-1] = 1.0
        return xs, targets, mask


@dataclass(frozen=True, repr=False)
class _Generate(Task):
    def _draw(self, T, rng):
        s = dict(self._settings)
        k, step = s["n_symbols"], s["step"]
        start = int(rng.integers(0, k))  # () the start symbol s
        xs = np.zeros((T, k))  # (T, k) silent after t = 1
        xs[0, start] = 1.0
        targets = (start + step * np.arange(T, dtype=np.int64)) % k  # (T,) s, s+step, ...
        mask = np.ones(T)  # (T,)
        return xs, targets, mask


@dataclass(frozen=True, repr=False)
class _Temperature(Task):
    """Weather readings every ``hours / T`` hours; the clean temperature ``horizon`` hours after
    the last one is the target. Temperature = season + daily cycle + a passing front; pressure
    leads the front by a quarter period (it falls before the warmth), humidity runs against the
    daily cycle, wind follows the pressure's slope."""

    def _draw(self, T, rng):
        s = dict(self._settings)
        dt = s["hours"] / T  # () hours per step
        start = rng.uniform(0.0, 24.0)  # () clock time of the first reading
        hour = start + dt * np.arange(T + 1)  # (T + 1,) reading times, then the forecast time
        hour[T] = hour[T - 1] + s["horizon"]
        season = rng.uniform(-0.5, 0.5)  # () the level of these days
        amp = rng.uniform(0.3, 1.0)  # () the front's strength
        omega = 2.0 * np.pi / rng.uniform(60.0, 160.0)  # () the front's angular speed, per hour
        phase = rng.uniform(0.0, 2.0 * np.pi)  # ()
        day = np.sin(2.0 * np.pi * (hour - 9.0) / 24.0)  # (T + 1,) peaks at 15:00
        front = amp * np.sin(omega * hour + phase)  # (T + 1,)
        temperature = season + 0.5 * day + front  # (T + 1,)
        pressure = -amp * np.cos(omega * hour + phase)  # (T + 1,) a quarter period ahead
        humidity = -0.6 * day + 0.2 * pressure  # (T + 1,)
        wind = np.abs(amp * np.sin(omega * hour + phase + 0.5))  # (T + 1,)
        clean = np.stack([temperature, pressure, humidity, wind], axis=1)  # (T + 1, 4)
        xs = clean[:T] + s["noise"] * rng.standard_normal((T, 4))  # (T, 4) what is read
        targets = np.zeros((T, 1))  # (T, 1)
        targets[-1, 0] = temperature[T]  # () the temperature at the forecast time
        mask = np.zeros(T)  # (T,)
        mask[-1] = 1.0
        return xs, targets, mask


@dataclass(frozen=True, repr=False)
class _NextWord(Task):
    """Word 0 is ambiguous ("Teddy"); of the others the first half are names ("Roosevelt",
    class 1), the rest ordinary words ("bears", class 0). Each word's class is its own, except
    word 0's, which is the class of the word after it (never word 0, and word 0 never ends a
    sequence). That follower is a name or not with even odds, so before it arrives the answer is
    a coin toss."""

    def _classes(self) -> np.ndarray:
        k = dict(self._settings)["n_symbols"]
        n_names = (k - 1) // 2
        return np.r_[0, np.ones(n_names, dtype=np.int64), np.zeros(k - 1 - n_names, np.int64)]

    def _draw(self, T, rng):
        s = dict(self._settings)
        k = s["n_symbols"]
        cls = self._classes()  # (k,) class of each word (word 0: decided by its follower)
        names, plain = np.flatnonzero(cls[1:] == 1) + 1, np.flatnonzero(cls[1:] == 0) + 1
        words = rng.integers(1, k, size=T)  # (T,) unambiguous words
        teddy = rng.random(T) < s["p_ambiguous"]  # (T,) where an ambiguous word may go
        teddy[-1] = False
        for t in range(1, T):
            teddy[t] &= not teddy[t - 1]  # an ambiguous word is followed by a clear one
        follower = np.flatnonzero(teddy) + 1  # (n,) the steps after an ambiguous word
        is_name = rng.random(follower.size) < 0.5  # (n,) even odds: a name or not
        words[follower] = np.where(is_name, rng.choice(names, follower.size),
                                   rng.choice(plain, follower.size))  # (n,)
        words[teddy] = 0
        targets = cls[words]  # (T,) each word's own class ...
        targets[teddy] = cls[words[follower]]  # (n,) ... or, for word 0, its follower's
        xs = np.eye(k)[words]  # (T, k) one-hot
        return xs, targets, np.ones(T)

    def _future(self, sample):
        return sample.xs[:, 0] == 1  # (T,) the ambiguous words


@dataclass(frozen=True, repr=False)
class _Seq2SeqSymbols(Task, ABC):
    """Read T symbols, then write T symbols made from them (reverse or sort)."""

    def _draw(self, T, rng):
        k = dict(self._settings)["n_symbols"]
        symbols = rng.integers(0, k, size=T)  # (T,)
        xs = np.eye(k)[symbols]  # (T_enc, k) one-hot, T_enc = T
        targets = self._write(symbols)  # (T_dec,), T_dec = T
        return xs, targets, np.ones(T)

    @abstractmethod
    def _write(self, symbols: np.ndarray) -> np.ndarray:
        """(T,) the symbols to write after reading ``symbols`` (T,)."""


@dataclass(frozen=True, repr=False)
class _Reverse(_Seq2SeqSymbols):
    def _write(self, symbols):
        return symbols[::-1].copy()  # (T,) target(j) = symbol(T + 1 - j)

    def _future(self, sample):
        j = np.arange(sample.T_dec)  # (T,) 0-based
        return sample.T_enc - 1 - j > j  # (T,) the symbol asked for comes later


@dataclass(frozen=True, repr=False)
class _Sort(_Seq2SeqSymbols):
    def _write(self, symbols):
        return np.sort(symbols)  # (T,) ascending

    def _future(self, sample):
        return np.arange(sample.T_dec) < sample.T_enc - 1  # (T,) any later symbol may change it


@dataclass(frozen=True, repr=False)
class CharTextTask(Task):
    """``char-text``: predict the next character. Adds the vocabulary and text coding.

    Attributes
    ----------
    vocabulary : str, the sorted distinct characters of the text; symbol i is vocabulary[i].
    text : str, the text the windows are cut from.
    """

    vocabulary: str = ""
    text: str = field(default="", repr=False, compare=False)
    _codes: np.ndarray = field(default=None, repr=False, compare=False)

    def encode(self, text: str) -> np.ndarray:
        """Symbol indices of ``text``: (n,) int64, a fresh writable array.

        Raises a ValueError naming the characters of ``text`` not in the vocabulary.
        """
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        index = {c: i for i, c in enumerate(self.vocabulary)}
        unknown = sorted(set(text) - index.keys())
        if unknown:
            raise ValueError(f"text holds characters not in the vocabulary: {''.join(unknown)!r}")
        return np.array([index[c] for c in text], dtype=np.int64)  # (n,)

    def decode(self, indices) -> str:
        """The text spelled by symbol ``indices`` (a sequence of ints in 0..V-1)."""
        arr = np.asarray(indices)
        if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
            raise ValueError(
                f"indices must be a 1-D sequence of integers, got {arr.dtype}{arr.shape}"
            )
        V = len(self.vocabulary)
        if arr.size and (arr.min() < 0 or arr.max() >= V):
            raise ValueError(f"indices must lie in 0..{V - 1}, got {arr.min()}..{arr.max()}")
        return "".join(self.vocabulary[int(i)] for i in arr)

    def _draw(self, T, rng):
        V = len(self.vocabulary)
        start = int(rng.integers(0, self._codes.size - T))  # () window start, needs T + 1 chars
        window = self._codes[start : start + T + 1]  # (T + 1,)
        xs = np.eye(V)[window[:T]]  # (T, V) one-hot of characters 1..T
        targets = window[1:].copy()  # (T,) the character after each one
        mask = np.ones(T)  # (T,)
        return xs, targets, mask


# -- registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    kind: str
    description: str
    settings: dict  # setting name -> (default, min, max, help)


_SPECS: dict[str, _Spec] = {
    "adding": _Spec(
        "many-to-one",
        "Adding problem: two of the numbers are marked; at the last step output their sum.",
        {},
    ),
    "delayed-recall": _Spec(
        "many-to-many",
        "Delayed recall: at every step output the symbol that came in `delay` steps earlier.",
        {
            "delay": (3, 1, 50, "how many steps back the symbol to recall came in"),
            "n_symbols": (4, 2, 16, "how many different symbols there are"),
        },
    ),
    "sine-forecast": _Spec(
        "many-to-one",
        "Forecast (like tomorrow's temperature): read a noisy sine wave, predict its next value.",
        {
            "noise": (0.05, 0.0, 1.0, "standard deviation of the noise added to the inputs"),
            "period_min": (8.0, 2.0, 200.0, "shortest period of the wave, in steps"),
            "period_max": (24.0, 2.0, 200.0, "longest period of the wave, in steps"),
        },
    ),
    "sign-of-sum": _Spec(
        "many-to-one",
        "Sentiment in miniature: read one score per word, then say if the total is positive.",
        {},
    ),
    "generate": _Spec(
        "one-to-many",
        "Generation: given only a start symbol, count up from it, one symbol per step.",
        {
            "n_symbols": (4, 2, 26, "how many different symbols there are"),
            "step": (1, 1, 25, "how far each symbol is from the one before (mod n_symbols)"),
        },
    ),
    "char-text": _Spec(
        "many-to-many",
        "Character-level text: at every step predict the next character of a small text.",
        {
            "text": ("", None, None, "text to learn instead of the built-in one (empty: built-in)"),
        },
    ),

    "temperature": _Spec(
        "many-to-one",
        "Weather (the article's example): from T readings of temperature, pressure, humidity "
        "and wind over `hours` (96 h), forecast the temperature `horizon` (24 h) later.",
        {
            "hours": (96.0, 12.0, 480.0, "how many hours the T readings span"),
            "horizon": (24.0, 1.0, 96.0, "how many hours after the last reading to forecast"),
            "noise": (0.05, 0.0, 1.0, "standard deviation of the noise on the readings"),
        },
    ),
    "next-word": _Spec(
        "many-to-many",
        "Names (the article's 'Teddy bears' and 'Teddy Roosevelt'): at every step say if the "
        "word is part of a name; for the ambiguous word only the next word tells.",
        {
            "n_symbols": (6, 4, 16, "how many different words there are (word 0 is ambiguous)"),
            "p_ambiguous": (0.3, 0.0, 0.5, "how often the ambiguous word comes"),
        },
    ),
    "reverse": _Spec(
        "seq2seq",
        "Reverse (encoder-decoder): read a sequence of symbols, then write it backwards.",
        {"n_symbols": (4, 2, 16, "how many different symbols there are")},
    ),
    "sort": _Spec(
        "seq2seq",
        "Sort (encoder-decoder): read a sequence of symbols, then write them in ascending order.",
        {"n_symbols": (4, 2, 16, "how many different symbols there are")},
    ),
}

#: task name -> {setting name -> (default, min, max, help)}; min and max are None for text.
SETTINGS: dict[str, dict[str, tuple]] = {n: dict(s.settings) for n, s in _SPECS.items()}


def names() -> list[str]:
    """The task names, in the order a menu should list them."""
    return list(_SPECS)


def describe(name: str) -> tuple[str, str]:
    """``(kind, description)`` of task ``name`` without building it."""
    spec = _spec(name)
    return spec.kind, spec.description


def make(name: str, **settings) -> Task:
    """Build task ``name`` with ``settings`` (see :data:`SETTINGS`); missing ones take defaults.

    Raises
    ------
    ValueError naming the argument: unknown task name, unknown setting, or a setting of the
    wrong type or out of range.
    """
    spec = _spec(name)
    s = _resolve(name, spec, settings)
    common = dict(name=name, kind=spec.kind, description=spec.description)
    frozen = tuple(s.items())
    if name == "adding":
        return _Adding(
            **common, n_in=2, n_out=1, loss="mse", output="linear", default_length=10,
            min_length=2, max_length=MAX_LENGTH, tolerance=0.04, _settings=frozen,
        )  # fmt: skip
    if name == "delayed-recall":
        k, d = s["n_symbols"], s["delay"]
        return _DelayedRecall(
            **common, n_in=k, n_out=k, loss="cross_entropy", output="softmax",
            default_length=max(12, d + 9), min_length=d + 1, max_length=MAX_LENGTH,
            tolerance=None, _settings=frozen,
        )  # fmt: skip
    if name == "sine-forecast":
        if s["period_min"] > s["period_max"]:
            raise ValueError(
                f"period_max must be >= period_min ({s['period_min']}), got {s['period_max']}"
            )
        return _SineForecast(
            **common, n_in=1, n_out=1, loss="mse", output="linear", default_length=24,
            min_length=1, max_length=MAX_LENGTH, tolerance=0.1, _settings=frozen,
        )  # fmt: skip
    if name == "sign-of-sum":
        return _SignOfSum(
            **common, n_in=1, n_out=2, loss="cross_entropy", output="softmax", default_length=10,
            min_length=1, max_length=MAX_LENGTH, tolerance=None, _settings=frozen,
        )  # fmt: skip
    if name == "generate":
        k = s["n_symbols"]
        if s["step"] >= k:
            raise ValueError(f"step must be < n_symbols ({k}), got {s['step']}")
        return _Generate(
            **common, n_in=k, n_out=k, loss="cross_entropy", output="softmax", default_length=8,
            min_length=1, max_length=MAX_LENGTH, tolerance=None, _settings=frozen,
        )  # fmt: skip
    if name == "temperature":
        return _Temperature(
            **common, n_in=4, n_out=1, loss="mse", output="linear", default_length=24,
            min_length=2, max_length=MAX_LENGTH, tolerance=0.1, _settings=frozen,
        )  # fmt: skip
    if name == "next-word":
        k = s["n_symbols"]
        return _NextWord(
            **common, n_in=k, n_out=2, loss="cross_entropy", output="softmax",
            default_length=12, min_length=2, max_length=MAX_LENGTH, tolerance=None,
            _settings=frozen,
        )  # fmt: skip
    if name in ("reverse", "sort"):
        k = s["n_symbols"]
        cls = _Reverse if name == "reverse" else _Sort
        return cls(
            **common, n_in=k, n_out=k, loss="cross_entropy", output="softmax", default_length=6,
            min_length=1, max_length=MAX_LENGTH // 2, tolerance=None, _settings=frozen,
        )  # fmt: skip
    # char-text
    text = s["text"] or _builtin_corpus()
    if len(text) < 2:
        raise ValueError(f"text must hold at least 2 characters, got {len(text)}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"text must hold at most {MAX_TEXT} characters, got {len(text)}")
    vocabulary = "".join(sorted(set(text)))
    if len(vocabulary) > MAX_VOCABULARY:
        raise ValueError(
            f"text must use at most {MAX_VOCABULARY} distinct characters, got {len(vocabulary)}"
        )
    index = {c: i for i, c in enumerate(vocabulary)}
    codes = freeze(np.array([index[c] for c in text], dtype=np.int64))  # (N,)
    V = len(vocabulary)
    longest = min(MAX_LENGTH, len(text) - 1)
    return CharTextTask(
        **common, n_in=V, n_out=V, loss="cross_entropy", output="softmax",
        default_length=min(25, longest), min_length=1, max_length=longest, tolerance=None,
        _settings=frozen, vocabulary=vocabulary, text=text, _codes=codes,
    )  # fmt: skip


def _spec(name) -> _Spec:
    if not isinstance(name, str) or name not in _SPECS:
        raise ValueError(f"name must be one of {', '.join(_SPECS)}; got {name!r}")
    return _SPECS[name]


def _resolve(name: str, spec: _Spec, given: dict) -> dict:
    """Defaults filled in and every value checked against its (default, min, max)."""
    unknown = sorted(set(given) - spec.settings.keys())
    if unknown:
        known = ", ".join(spec.settings) or "none"
        raise ValueError(f"unknown setting {unknown[0]!r} for task {name!r} (settings: {known})")
    out = {}
    for key, (default, lo, hi, _help) in spec.settings.items():
        value = given.get(key, default)
        if isinstance(default, str):
            if not isinstance(value, str):
                raise ValueError(f"{key} must be a str, got {type(value).__name__}")
        elif isinstance(default, int):
            value = _checks.size(key, value, minimum=lo, cap=hi)
        else:
            value = _real(key, value, lo, hi)
        out[key] = value
    return out


def _real(key: str, value, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{key} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"{key} must lie in [{lo}, {hi}], got {value}")
    return value
