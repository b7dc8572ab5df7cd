"""Drawing helpers of the training curves."""

import numpy as np
import pytest

from gui.model.present.training import envelope, running_mean


def test_running_mean():
    v = np.array([1.0, 3.0, np.nan, 5.0, 7.0, np.inf])
    got = running_mean(v, 2)
    np.testing.assert_allclose(got, [1.0, 2.0, 3.0, 5.0, 6.0, 7.0])
    np.testing.assert_allclose(running_mean(np.arange(5.0), 100), [0, 0.5, 1, 1.5, 2])
    assert np.isnan(running_mean([np.nan, 2.0], 3)[0])
    assert running_mean([], 3).shape == (0,)
    with pytest.raises(ValueError, match="window"):
        running_mean([1.0], 0)


def test_envelope_keeps_every_spike():
    x = np.arange(1.0, 10_001.0)
    y = np.sin(x / 300.0)
    y[4321] = 50.0  # one spike
    y[7000:7010] = np.nan
    xs, ys = envelope(x, y, 100)
    assert xs.shape == ys.shape == (200,)
    assert np.nanmax(ys) == 50.0 and np.nanmin(ys) == pytest.approx(y[np.isfinite(y)].min())
    np.testing.assert_array_equal(xs[::2], x[(np.arange(100) * 10_000) // 100])
    np.testing.assert_array_equal(xs[::2], xs[1::2])
    assert np.all(ys[::2] <= ys[1::2])
    short_x, short_y = envelope(x[:150], y[:150], 100)
    np.testing.assert_array_equal(short_y, y[:150])  # short curves are drawn as they are
