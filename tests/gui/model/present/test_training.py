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


def test_the_run_in_words():
    from gui.model.present.training import compare_hint, how_trained, last_updates, sample_lines
    from gui.model.training.settings import COMPARE_TASKS
    from sim.generate import Generated
    from sim.train import TrainConfig

    tc = TrainConfig(optimizer="sgd", lr=0.05, clip=2.0, clip_mode="per_step", truncation=4,
                     batch_size=3)
    assert how_trained(tc) == "SGD, η = 0.05, batch 3, clip τ = 2 (per step), truncation k = 4"
    assert how_trained(TrainConfig(clip=None)) == "Adam, η = 0.01, batch 8"
    a = {"loss": np.array([9.0, np.nan, 1.0, 3.0]), "accuracy": np.array([0, 0, 1.0, 0.5]),
         "clipped": np.array([True, False, True, False])}
    assert last_updates(a, 3) == {"n": 4, "k": 3, "loss": 2.0, "accuracy": 0.5, "clipped": 2}
    g = Generated(indices=np.array([1, 2]), text="ab", prime="x", targets=None, temperature=0.5)
    assert sample_lines([("LSTM", g)], 1200) == ["LSTM, after 1,200 updates, τ = 0.5:  x|ab"]
    adding = COMPARE_TASKS["adding, T = 30"]
    assert compare_hint("adding, T = 30", adding, 500).endswith("try 4,000")
    assert compare_hint("adding, T = 30", adding, 4000) == "4,000 updates on adding, T = 30"
    assert compare_hint("session task", None, 20) == "20 updates on the session's task"
