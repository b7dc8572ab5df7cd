"""Argument checks shared by the engine: every message names the argument and what was expected."""

from __future__ import annotations

import numpy as np

MAX_HIDDEN = 256
MAX_LENGTH = 1000
MAX_IO = 4096


def size(name: str, value, *, cap: int | None = None, minimum: int = 1) -> int:
    """Return ``value`` as an int in ``[minimum, cap]`` or raise a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if cap is not None and value > cap:
        raise ValueError(f"{name} must be <= {cap} (Unfold's cap), got {value}")
    return value


def choice(name: str, value, options) -> str:
    """Return ``value`` if it is one of ``options``, else raise a ValueError listing them."""
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def array(name: str, value, shape: tuple, *, dtype=np.float64, finite: bool = True) -> np.ndarray:
    """Return ``value`` as an array of ``shape`` (None matches any length) or raise a ValueError.

    The result is a fresh C-contiguous copy, so the caller can keep mutating its own array.
    """
    try:
        arr = np.array(value, dtype=dtype, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from None
    want = "(" + ", ".join("T" if s is None else str(s) for s in shape) + ")"
    if arr.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)
    ):
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    if finite and arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} must be finite; found {arr[tuple(bad)]} at index {tuple(bad)}")
    return arr


def length(name: str, T: int) -> int:
    """Check a sequence length against the cap."""
    return size(name, T, cap=MAX_LENGTH)
