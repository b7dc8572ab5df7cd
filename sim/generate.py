"""Sampling from a model as it trains: the text a char-level RNN writes, the count it generates.

Pure NumPy and seeded: the same (weights, settings, seed) give the same sequence.

- ``char-text`` (many-to-many, next character): start from a priming text, feed each sampled
  character back in as the next input x(t + 1) (Karpathy's min-char-rnn ``sample``).
- ``generate`` (one-to-many): the input is the start symbol at t = 1 and silence after, so the
  outputs do not feed back; each step's symbol is drawn from y_hat(t).

The temperature tau divides the readout before the softmax, p = softmax(r(t) / tau): tau < 1
sharpens (tau = 0 is the argmax), tau > 1 flattens towards uniform.

>>> from sim import tasks
>>> from sim.lstm import LSTM
>>> task = tasks.make("generate", n_symbols=5)
>>> g = generate(LSTM(5, 4, 5, seed=0), task, 8, temperature=0.0, seed=1)
>>> g.indices.shape
(8,)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .losses import softmax

TASKS = ("char-text", "generate")
MAX_TEMPERATURE = 10.0


@dataclass(frozen=True, eq=False)
class Generated:
    """One generated sequence.

    Attributes
    ----------
    indices : (n,) int64, the sampled symbols.
    text : str, what to show: the characters (char-text) or the symbols separated by spaces.
    prime : str, the priming text (char-text) or the start symbol (generate).
    targets : (n,) int64, what the generate task asks for from this start (None for char-text).
    temperature : the tau used.
    """

    indices: np.ndarray
    text: str
    prime: str
    targets: np.ndarray | None
    temperature: float

    @property
    def correct(self) -> float | None:
        """Fraction of the steps that equal the targets (generate only)."""
        if self.targets is None:
            return None
        return float(np.mean(self.indices == self.targets))


def supports(task) -> bool:
    """Whether :func:`generate` can sample from ``task``."""
    return getattr(task, "name", None) in TASKS


def probabilities(r: np.ndarray, temperature: float) -> np.ndarray:
    """p = softmax(r / tau) of one readout row; tau = 0 puts all mass on the argmax.

    Parameters
    ----------
    r : (O,) readout before the softmax.
    temperature : tau >= 0.

    Returns
    -------
    (O,) probabilities; uniform when r is not finite (an exploded model says nothing).
    """
    r = np.asarray(r, dtype=float)  # (O,)
    if not np.all(np.isfinite(r)):
        return np.full(r.shape, 1.0 / r.size)  # (O,)
    if temperature == 0:
        p = np.zeros(r.shape)  # (O,)
        p[int(np.argmax(r))] = 1.0
        return p
    return softmax(r[None, :] / temperature)[0]  # (O,)


def _draw(p: np.ndarray, rng: np.random.Generator) -> int:
    c = np.cumsum(p)  # (O,)
    return int(min(np.searchsorted(c, rng.random() * c[-1], side="right"), p.size - 1))


def _check_temperature(temperature) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.floating)):
        raise ValueError(f"temperature must be a number, got {temperature!r}")
    t = float(temperature)
    if not (np.isfinite(t) and 0 <= t <= MAX_TEMPERATURE):
        raise ValueError(f"temperature must lie in [0, {MAX_TEMPERATURE}], got {temperature!r}")
    return t


def generate(model, task, n: int, *, temperature: float = 1.0, seed: int = 0,
             prime: str | int | None = None, context: int | None = None) -> Generated:
    """Sample ``n`` symbols from ``model`` on ``task`` ("char-text" or "generate").

    Parameters
    ----------
    model : a SimpleRNN or LSTM with a softmax readout sized for the task.
    task : the Task (``tasks.make("char-text")`` or ``tasks.make("generate", ...)``).
    n : how many symbols to sample, 1..1000.
    temperature : tau in [0, 10]; 0 is greedy (argmax).
    seed : seeds the draws (and the start symbol of "generate" when ``prime`` is None).
    prime : char-text: the text to start from (default: the first character of the task's text);
        generate: the start symbol (default: drawn from ``seed``).
    context : char-text only: run the model on at most this many most recent characters to
        predict the next one (the training length T is natural: the model learnt from windows
        of T characters that start from a zero state); None for the whole history.

    Returns
    -------
    Generated
    """
    if not supports(task):
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got "
                         f"{getattr(task, 'name', task)!r}")
    n = _checks.size("n", n, cap=_checks.MAX_LENGTH)
    tau = _check_temperature(temperature)
    seed = _checks.size("seed", seed, minimum=0)
    if context is not None:
        context = _checks.size("context", context, cap=_checks.MAX_LENGTH)
    if model.n_in != task.n_in or model.n_out != task.n_out:
        raise ValueError(f"model ({model.n_in} in, {model.n_out} out) does not fit task "
                         f"{task.name!r} ({task.n_in} in, {task.n_out} out)")
    rng = np.random.default_rng(seed)
    eye = np.eye(task.n_in)  # (I, I) one-hot rows
    with np.errstate(all="ignore"):
        if task.name == "generate":
            k, step = task.settings["n_symbols"], task.settings["step"]
            start = int(rng.integers(0, k)) if prime is None else int(prime)
            if not 0 <= start < k:
                raise ValueError(f"prime must be a symbol in 0..{k - 1}, got {prime!r}")
            xs = np.zeros((n, task.n_in))  # (n, k) silent after t = 1
            xs[0, start] = 1.0
            r = model.forward(xs).readout  # (n, V)
            out = np.array([_draw(probabilities(r[t], tau), rng) for t in range(n)],
                           dtype=np.int64)  # (n,)
            targets = (start + step * np.arange(n, dtype=np.int64)) % k  # (n,)
            return Generated(indices=out, text=" ".join(str(int(s)) for s in out),
                             prime=str(start), targets=targets, temperature=tau)
        prime = task.text[0] if prime is None else prime
        if not prime:
            raise ValueError("prime must hold at least one character")
        codes = list(task.encode(prime))
        out = []
        for _ in range(n):
            window = codes[-context:] if context is not None else codes
            r = model.forward(eye[window]).readout  # (len(window), V)
            nxt = _draw(probabilities(r[-1], tau), rng)  # the character after the window
            codes.append(nxt)
            out.append(nxt)
    indices = np.array(out, dtype=np.int64)  # (n,)
    return Generated(indices=indices, text=task.decode(indices), prime=prime, targets=None,
                     temperature=tau)
