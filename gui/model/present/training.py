"""Drawing helpers for training curves: a running mean and peak decimation (pure NumPy)."""

from __future__ import annotations

import numpy as np

from sim import _checks


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
    count = c[hi] - c[lo]  # (n,)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, (s[hi] - s[lo]) / np.maximum(count, 1), np.nan)  # (n,)



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
