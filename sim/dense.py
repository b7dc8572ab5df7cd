"""A small densely connected network (DCL) and its backprop: the prerequisite the simple-RNN
article starts from ("in order to adjust parameters of a layer you need errors in the next
layer").

    a^(l) = W^(l) h^(l-1) + b^(l),   h^(l) = g(a^(l)) for hidden layers,   y_hat = softmax(a^(L))
    J = -log y_hat[target]

Backward, the error of layer l comes from every neuron of layer l + 1:

    delta a^(L) = y_hat - onehot(target)
    delta h^(l) = W^(l+1)^T delta a^(l+1),   delta a^(l) = g'(a^(l)) * delta h^(l)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks, activations
from .losses import softmax
from .trace import freeze


@dataclass(frozen=True, eq=False)
class DenseTrace:
    """Forward and backward values of one input, per layer (index 0 is the input layer).

    Attributes
    ----------
    sizes : (L + 1,) neurons per layer, the input first.
    h : list of (n_l,) values: h[0] = x, h[l] = g(a[l]) (the last: y_hat).
    a : list of (n_l,) pre-activations (a[0] is x itself, there is none).
    delta_a, delta_h : list of (n_l,) errors dJ/da^(l), dJ/dh^(l) (delta_a[0] is unused: 0).
    grads : name -> dJ/dtheta ("W1", "b1", ...).
    loss : J.
    """

    sizes: tuple
    h: list
    a: list
    delta_a: list
    delta_h: list
    grads: dict
    loss: float


class DenseNet:
    """A DCL with ``sizes`` = (inputs, hidden..., outputs), activation g on hidden layers and a
    softmax output with the cross-entropy loss.

    Parameters
    ----------
    sizes : neurons per layer, at least an input and an output layer, each 1..64.
    activation : "tanh", "relu" or "sigmoid".
    seed : seeds the weights.
    """

    def __init__(self, sizes, *, activation: str = "tanh", seed: int = 0):
        sizes = tuple(_checks.size("sizes", n, cap=64) for n in sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output layer, got {sizes}")
        self.sizes = sizes
        self.activation = _checks.choice("activation", activation, activations.ACTIVATIONS)
        rng = np.random.default_rng(_checks.size("seed", seed, minimum=0))
        self.params = {}
        for l in range(1, len(sizes)):
            self.params[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1])) / np.sqrt(
                sizes[l - 1])  # (n_l, n_{l-1})
            self.params[f"b{l}"] = 0.1 * rng.standard_normal(sizes[l])  # (n_l,)

    @property
    def L(self) -> int:
        """The number of weight layers."""
        return len(self.sizes) - 1

    def run(self, x, target: int) -> DenseTrace:
        """Forward and backward for input ``x`` (n_0,) and class ``target``."""
        x = _checks.array("x", x, (self.sizes[0],))
        target = _checks.size("target", target, minimum=0, cap=self.sizes[-1] - 1)
        p, L = self.params, self.L
        h, a = [x], [x]
        for l in range(1, L + 1):
            a_l = p[f"W{l}"] @ h[-1] + p[f"b{l}"]  # (n_l,) a(l) = W(l) h(l-1) + b(l)
            a.append(a_l)
            h.append(softmax(a_l[None])[0] if l == L
                     else activations.apply(self.activation, a_l))  # (n_l,)
        loss = float(-np.log(h[-1][target]))
        delta_a = [None] * (L + 1)
        delta_h = [None] * (L + 1)
        delta_a[L] = h[-1] - np.eye(self.sizes[-1])[target]  # (n_L,) softmax + cross entropy
        delta_h[L] = delta_a[L]
        grads = {}
        for l in range(L, 0, -1):
            grads[f"W{l}"] = np.outer(delta_a[l], h[l - 1])  # (n_l, n_{l-1})
            grads[f"b{l}"] = delta_a[l].copy()  # (n_l,)
            delta_h[l - 1] = p[f"W{l}"].T @ delta_a[l]  # (n_{l-1},) from every neuron of l
            if l > 1:
                g_prime = activations.derivative(self.activation, a[l - 1], h[l - 1])
                delta_a[l - 1] = g_prime * delta_h[l - 1]  # (n_{l-1},) back through g
        delta_a[0] = np.zeros(self.sizes[0])
        for arr in h + a + delta_h + delta_a[1:]:
            freeze(arr)
        return DenseTrace(sizes=self.sizes, h=h, a=a, delta_a=delta_a, delta_h=delta_h,
                          grads=grads, loss=loss)
