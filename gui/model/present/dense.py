"""What the dense-layer backprop view draws: a small DCL on one input, its layers laid out left
to right, and at each step either the values of a layer (forward) or the errors reaching one
neuron from every neuron of the next layer (backward): delta h_j = sum_k W_kj delta a_k."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sim.dense import DenseNet, DenseTrace

SIZES = (4, 5, 5, 3)
INPUT = (0.9, -0.4, 0.3, -1.1)
TARGET = 2


@lru_cache(maxsize=1)
def network() -> tuple[DenseNet, DenseTrace]:
    """The example network and its forward/backward values (computed once, milliseconds)."""
    net = DenseNet(SIZES, seed=3)
    return net, net.run(np.array(INPUT), TARGET)


def n_steps(L: int) -> int:
    """Forward through layers 1..L, then backward through L..1."""
    return 2 * L


@dataclass(frozen=True)
class Step:
    """phase "forward" or "backward"; layer l: forward, the layer computed; backward, the
    layer whose errors are computed (from layer l + 1, or from the loss for l = L)."""

    phase: str
    layer: int


def step_at(index: int, L: int) -> Step:
    index = int(min(max(index, 0), n_steps(L) - 1))
    return Step("forward", index + 1) if index < L else Step("backward", 2 * L - index)


def positions(sizes) -> list[np.ndarray]:
    """Per layer, (n_l, 2) positions: layer l at x = l, neurons spread over y in [0, 1]."""
    out = []
    for l, n in enumerate(sizes):
        ys = np.full(n, 0.5) if n == 1 else np.linspace(0.9, 0.1, n)
        out.append(np.stack([np.full(n, float(l)), ys], axis=1))
    return out


def incoming_errors(net: DenseNet, tr: DenseTrace, layer: int, neuron: int):
    """The terms W_kj delta a_k^(l+1) that make delta h_j^(l) (j = ``neuron`` of ``layer``),
    one per neuron k of the next layer: (n_{l+1},)."""
    W = net.params[f"W{layer + 1}"]  # (n_{l+1}, n_l)
    return W[:, neuron] * tr.delta_a[layer + 1]  # (n_{l+1},)
