"""Hidden nonlinearities g and their derivatives g', written in terms of (a, g(a))."""

from __future__ import annotations

import numpy as np

ACTIVATIONS = ("tanh", "relu", "sigmoid")


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic sigmoid; callers run it under np.errstate so exp overflow quietly gives 0."""
    return 1.0 / (1.0 + np.exp(-a))


def apply(name: str, a: np.ndarray) -> np.ndarray:
    """g(a)."""
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    return sigmoid(a)


def derivative(name: str, a: np.ndarray, h: np.ndarray) -> np.ndarray:
    """g'(a), given h = g(a) as well (cheaper for tanh and sigmoid)."""
    if name == "tanh":
        return 1.0 - h * h
    if name == "relu":
        return (a > 0).astype(np.float64)
    return h * (1.0 - h)
