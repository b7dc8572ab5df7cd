"""The small dense network the simple-RNN article starts from: backprop checked by finite
differences, errors flowing from every neuron of the next layer."""

import numpy as np
import pytest

from sim.dense import DenseNet


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_gradients_match_finite_differences(activation):
    net = DenseNet((4, 5, 3, 3), activation=activation, seed=2)
    x = np.array([0.3, -1.2, 0.8, 0.05])
    tr = net.run(x, target=1)
    h = 1e-6
    for name, value in net.params.items():
        num = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            old = value[idx]
            value[idx] = old + h
            up = net.run(x, 1).loss
            value[idx] = old - h
            down = net.run(x, 1).loss
            value[idx] = old
            num[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(tr.grads[name], num, rtol=1e-6, atol=1e-9)


def test_the_error_of_a_neuron_comes_from_every_neuron_of_the_next_layer():
    net = DenseNet((3, 4, 2), seed=0)
    tr = net.run(np.array([0.5, -0.5, 1.0]), target=0)
    W2 = net.params["W2"]
    for j in range(4):
        parts = W2[:, j] * tr.delta_a[2]  # one term per neuron of the next layer
        assert tr.delta_h[1][j] == pytest.approx(parts.sum())


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="sizes"):
        DenseNet((3,))
    with pytest.raises(ValueError, match="activation"):
        DenseNet((3, 2), activation="swish")
    with pytest.raises(ValueError, match="target"):
        DenseNet((3, 2)).run(np.zeros(3), target=5)
    with pytest.raises(ValueError, match="x must have shape"):
        DenseNet((3, 2)).run(np.zeros(4), target=0)
