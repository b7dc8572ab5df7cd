"""Training the session's model so that any update can be shown as a session."""

import numpy as np
import pytest

from sim import tasks
from sim.session import SessionConfig, compute
from sim.train import TrainConfig
from sim.training_session import (
    SessionTrainer,
    model_for,
    param_count,
    params_fit,
    running_mean,
    shows_update_exactly,
    similar_size,
    train_config,
    update_session,
)


@pytest.mark.parametrize("model", ["SimpleRNN", "LSTM"])
@pytest.mark.parametrize("clip,truncation", [(None, None), (0.3, 4)])
def test_the_sessions_update_is_the_engines_sgd_update(model, clip, truncation):
    base = SessionConfig(model=model, hidden=5, task="delayed-recall", input_seed=7)
    tc = TrainConfig(optimizer="sgd", lr=0.2, clip=clip, truncation=truncation, batch_size=1,
                     length=base.length, seed=7)
    trainer = SessionTrainer(model_for(base), base.make_task(), tc)
    for _ in range(3):
        config, params = update_session(base, trainer)
        shown = compute(config, params)
        m = trainer.step()
        assert config.input_seed == 7 + m.update - 1
        assert m.loss == shown.backward.loss and m.norm_before == shown.norm_before
        assert m.clipped == shown.clipped
        for k, v in trainer.model.params.items():
            np.testing.assert_allclose(shown.new_params[k], v, rtol=0, atol=1e-13)


def test_trainer_samples_are_session_samples():
    base = SessionConfig(task="adding", length=10)
    task = base.make_task()
    trainer = SessionTrainer(model_for(base), task, train_config(base, batch_size=3, seed=5))
    assert trainer.next_seeds() == [5, 6, 7]
    for s, want in zip(trainer.next_samples(), [5, 6, 7], strict=True):
        np.testing.assert_array_equal(s.xs, task.sample(10, seed=want).xs)
    trainer.step()
    assert trainer.drawn == 3 and trainer.next_seeds() == [8, 9, 10]
    with pytest.raises(ValueError, match="batch of one"):
        update_session(base, trainer)


def test_model_for_loads_trained_weights_as_copies():
    base = SessionConfig(model="SimpleRNN", hidden=3)
    seeded = model_for(base)
    w = {k: v + 1.0 for k, v in seeded.params.items()}
    m = model_for(base, w)
    np.testing.assert_array_equal(m.params["W"], w["W"])
    m.params["W"] += 1
    assert not np.array_equal(m.params["W"], w["W"])  # the caller's arrays are not shared
    assert params_fit(base, w) and not params_fit(base.replace(hidden=4), w)
    assert not params_fit(base, None)
    with pytest.raises(ValueError, match="params"):
        model_for(base, {"W": w["W"]})


def test_optimisers_that_the_session_shows_exactly():
    assert shows_update_exactly(TrainConfig(optimizer="sgd", clip=None))
    assert shows_update_exactly(TrainConfig(optimizer="sgd", clip=1.0))
    assert not shows_update_exactly(TrainConfig(optimizer="sgd", clip=1.0, clip_mode="per_step"))
    assert not shows_update_exactly(TrainConfig(optimizer="adam"))
    assert not shows_update_exactly(TrainConfig(optimizer="momentum"))


@pytest.mark.parametrize("task", ["delayed-recall", "adding", "char-text"])
def test_similar_size_matches_the_weight_counts(task):
    base = SessionConfig(model="LSTM", hidden=6, task=task,
                         length=max(12, tasks.make(task).min_length))
    rnn, lstm = similar_size(base)
    assert (rnn.model, lstm.model) == ("SimpleRNN", "LSTM") and lstm == base
    n_rnn, n_lstm = param_count(rnn), param_count(lstm)
    # the nearest H: one unit more or fewer would be further off
    for H in (rnn.hidden - 1, rnn.hidden + 1):
        if 1 <= H <= 64:
            assert abs(param_count(rnn.replace(hidden=H)) - n_lstm) >= abs(n_rnn - n_lstm)
    rnn2, lstm2 = similar_size(rnn)
    assert rnn2 == rnn and lstm2.model == "LSTM"
    assert param_count(lstm2) == pytest.approx(n_rnn, rel=0.35)
    assert param_count(SessionConfig(model="SimpleRNN", hidden=2, task="adding")) == (
        2 * 2 + 2 * 2 + 2 + 1 * 2 + 1)  # U, W, b, V, c


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
    from sim.training_session import envelope

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
