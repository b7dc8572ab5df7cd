"""What the Training view draws, from a run's history (pure NumPy): a running mean, peak
decimation of long curves, the run's title, the last updates' summary and the samples' text."""

from __future__ import annotations

import numpy as np

from sim import _checks

from .numbers import count, fmt

OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}


def running_mean(values, window: int) -> np.ndarray:
    """Trailing mean of the finite values among the last ``window`` positions (fewer at the
    start): for [1, 3, nan, 5] and window 2 the last mean is 5, over the positions of nan and 5.

    Parameters
    ----------
    values : (n,) numbers; NaN and inf are skipped.
    window : >= 1.

    Returns
    -------
    (n,) float64; NaN where no finite value has been seen yet.
    """
    window = _checks.size("window", window, cap=10**7)
    v = np.asarray(values, dtype=float)  # (n,)
    ok = np.isfinite(v)  # (n,)
    s = np.concatenate([[0.0], np.cumsum(np.where(ok, v, 0.0))])  # (n + 1,) prefix sums
    c = np.concatenate([[0], np.cumsum(ok)])  # (n + 1,) prefix counts
    lo = np.maximum(np.arange(1, v.size + 1) - window, 0)  # (n,) window starts
    hi = np.arange(1, v.size + 1)  # (n,) window ends (exclusive, in prefix terms)
    seen = c[hi] - c[lo]  # (n,)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(seen > 0, (s[hi] - s[lo]) / np.maximum(seen, 1), np.nan)  # (n,)


def envelope(x, y, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Peak decimation for drawing a long curve: the minimum and maximum of ``y`` over each of
    ``bins`` runs of consecutive points, so every spike stays visible at any length.

    Parameters
    ----------
    x, y : (n,) the curve; NaN in y is skipped (a run of only NaN stays NaN).
    bins : the number of runs; when n <= 2 * bins the curve is returned unchanged.

    Returns
    -------
    xs, ys : (2 * bins,) each run's first x twice, with its min then its max (or the inputs).
    """
    x = np.asarray(x, dtype=float)  # (n,)
    y = np.asarray(y, dtype=float)  # (n,)
    bins = _checks.size("bins", bins, cap=10**7)
    n = y.size
    if n <= 2 * bins:
        return x, y
    starts = (np.arange(bins) * n) // bins  # (bins,) first index of each run
    with np.errstate(invalid="ignore"):
        lo = np.fmin.reduceat(y, starts)  # (bins,) NaN only if the whole run is NaN
        hi = np.fmax.reduceat(y, starts)  # (bins,)
    xs = np.repeat(x[starts], 2)  # (2 bins,)
    ys = np.stack([lo, hi], axis=1).ravel()  # (2 bins,) min, max, min, max, ...
    return xs, ys


def finite_log10(v) -> np.ndarray:
    """log10 of positive finite values, NaN elsewhere (a curve skips what it cannot place)."""
    v = np.asarray(v, dtype=float)
    out = np.full(v.shape, np.nan)
    ok = np.isfinite(v) & (v > 0)
    out[ok] = np.log10(v[ok])
    return out


def how_trained(tc) -> str:
    """A TrainConfig in words: "Adam, η = 0.03, batch 1, clip τ = 1 (global)"."""
    how = f"{OPTIMIZER_NAMES[tc.optimizer]}, η = {fmt(tc.lr)}, batch {tc.batch_size}"
    if tc.clip is not None:
        how += f", clip τ = {fmt(tc.clip)} ({tc.clip_mode.replace('_', ' ')})"
    if tc.truncation is not None:
        how += f", truncation k = {tc.truncation}"
    if getattr(tc, "chunk", None) is not None:
        how += f", one update per chunk of K = {tc.chunk} steps (state carried)"
    return how


def run_title(run) -> str:
    """One line on what a run (gui.model.training.history.Run) trains and how."""
    tc = run.train_config
    b = run.base
    task = f"{b.task}, T = {tc.length}"
    if run.kind == "compare":
        return f"Compare on {task} (same samples, seed {b.seed}): {how_trained(tc)}"
    return f"Training {b.model} (H = {b.hidden}) on {task}: {how_trained(tc)}"


def last_updates(arrays: dict, window: int) -> dict:
    """The summary of a series' last ``window`` updates.

    Parameters
    ----------
    arrays : a Series' arrays (update, loss, accuracy, clipped...).
    window : how many recent updates the means take.

    Returns
    -------
    dict with ``n`` (updates), ``k`` (updates averaged), ``loss`` and ``accuracy`` (means over
    the last k; NaN when there are none) and ``clipped`` (updates clipped, of all n).
    """
    n = len(arrays["loss"])
    k = min(n, window)
    with np.errstate(all="ignore"):
        finite = arrays["loss"][n - k:][np.isfinite(arrays["loss"][n - k:])]
        loss = float(finite.mean()) if finite.size else float("nan")
        acc = float(np.mean(arrays["accuracy"][n - k:])) if k else float("nan")
    return {"n": n, "k": k, "loss": loss, "accuracy": acc,
            "clipped": int(np.sum(arrays["clipped"]))}


def sample_lines(samples, updates: int) -> list[str]:
    """One line per (label, sim.generate.Generated): who wrote it, when, and the text (for the
    generate task, the wanted sequence and how much of it was right)."""
    lines = []
    for label, g in samples:
        head = f"{label}, after {count(updates)} updates, τ = {fmt(g.temperature)}"
        if g.targets is not None:
            body = (f"start {g.prime}: {g.text}   (wanted: "
                    + " ".join(str(int(s)) for s in g.targets)
                    + f"; {100 * g.correct:.0f} % right)")
        else:
            body = f"{g.prime}|{g.text}"
        lines.append(f"{head}:  {body}")
    return lines


def compare_hint(task: str, preset, n_updates: int) -> str:
    """What to expect of a compare run of ``n_updates`` updates on compare task ``task``
    (``preset``: its entry of COMPARE_TASKS, None for the session's task)."""
    if preset is None:
        return f"{count(n_updates)} updates on the session's task"
    suggested = preset[3]
    if n_updates >= suggested:
        return f"{count(n_updates)} updates on {task}"
    return (f"{count(n_updates)} updates on {task}: measured (seed 0), the GRU learns within "
            f"about {count(suggested // 4)} updates, the LSTM after about "
            f"{count(suggested // 2)}–{count(3 * suggested // 4)}, and the SimpleRNN stays at "
            f"the loss of guessing the mean; try {count(suggested)}")
