"""Training the session's model so that any update can be shown as a session."""

import numpy as np
import pytest

from gui.model.training.settings import TrainingSettings
from gui.model.training.trainer import (
    SessionTrainer,
    param_count,
    params_fit,
    shows_update_exactly,
    similar_size,
    update_session,
)
from sim import tasks
from sim.run import SessionConfig, build_model, compute
from sim.train import TrainConfig


@pytest.mark.parametrize("model", ["SimpleRNN", "LSTM"])
@pytest.mark.parametrize("clip,truncation", [(None, None), (0.3, 4)])
def test_the_sessions_update_is_the_engines_sgd_update(model, clip, truncation):
    base = SessionConfig(model=model, hidden=5, task="delayed-recall", input_seed=7)
    tc = TrainConfig(optimizer="sgd", lr=0.2, clip=clip, truncation=truncation, batch_size=1,
                     length=base.length, seed=7)
    trainer = SessionTrainer(build_model(base), base.make_task(), tc)
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
    tc = TrainingSettings(batch_size=3).train_config(base, seed=5)
    trainer = SessionTrainer(build_model(base), task, tc)
    assert trainer.next_seeds() == [5, 6, 7]
    for s, want in zip(trainer.next_samples(), [5, 6, 7], strict=True):
        np.testing.assert_array_equal(s.xs, task.sample(10, seed=want).xs)
    trainer.step()
    assert trainer.drawn == 3 and trainer.next_seeds() == [8, 9, 10]
    with pytest.raises(ValueError, match="batch of one"):
        update_session(base, trainer)


def test_build_model_loads_trained_weights_as_copies():
    base = SessionConfig(model="SimpleRNN", hidden=3)
    seeded = build_model(base)
    w = {k: v + 1.0 for k, v in seeded.params.items()}
    m = build_model(base, params=w)
    np.testing.assert_array_equal(m.params["W"], w["W"])
    m.params["W"] += 1
    assert not np.array_equal(m.params["W"], w["W"])  # the caller's arrays are not shared
    assert params_fit(base, w) and not params_fit(base.replace(hidden=4), w)
    assert not params_fit(base, None)
    with pytest.raises(ValueError, match="params"):
        build_model(base, params={"W": w["W"]})


def test_optimisers_that_the_session_shows_exactly():
    assert shows_update_exactly(TrainConfig(optimizer="sgd", clip=None))
    assert shows_update_exactly(TrainConfig(optimizer="sgd", clip=1.0))
    # the session clips per step too now (SessionConfig.clip_mode), so SGD is shown exactly
    assert shows_update_exactly(TrainConfig(optimizer="sgd", clip=1.0, clip_mode="per_step"))
    assert not shows_update_exactly(TrainConfig(optimizer="adam"))
    assert not shows_update_exactly(TrainConfig(optimizer="momentum"))


@pytest.mark.parametrize("task", ["delayed-recall", "adding", "char-text"])
def test_similar_size_matches_the_weight_counts(task):
    base = SessionConfig(model="LSTM", hidden=6, task=task,
                         length=max(12, tasks.make(task).min_length))
    rnn, lstm, gru = similar_size(base)
    assert (rnn.model, lstm.model, gru.model) == ("SimpleRNN", "LSTM", "GRU") and lstm == base
    # the GRU's H is the nearest too
    for H in (gru.hidden - 1, gru.hidden + 1):
        if H >= 1:
            assert (abs(param_count(gru.replace(hidden=H)) - param_count(lstm))
                    >= abs(param_count(gru) - param_count(lstm)))
    n_rnn, n_lstm = param_count(rnn), param_count(lstm)
    # the nearest H: one unit more or fewer would be further off
    for H in (rnn.hidden - 1, rnn.hidden + 1):
        if 1 <= H <= 64:
            assert abs(param_count(rnn.replace(hidden=H)) - n_lstm) >= abs(n_rnn - n_lstm)
    rnn2, lstm2, gru2 = similar_size(rnn)
    assert rnn2 == rnn and lstm2.model == "LSTM" and gru2.model == "GRU"
    assert param_count(gru2) == pytest.approx(n_rnn, rel=0.35)
    assert param_count(lstm2) == pytest.approx(n_rnn, rel=0.35)
    assert param_count(SessionConfig(model="SimpleRNN", hidden=2, task="adding")) == (
        2 * 2 + 2 * 2 + 2 + 1 * 2 + 1)  # U, W, b, V, c
