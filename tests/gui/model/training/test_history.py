"""A run's history and training's jobs for the job runner, without Qt."""

import numpy as np
import pytest

from gui.model.training.history import METRICS, Run, Series
from gui.model.training.jobs import OneUpdateJob, SampleJob
from gui.model.training.settings import TrainingSettings
from gui.model.training.trainer import SessionTrainer, same_params, update_session
from sim.run import SessionConfig, build_model, compute


def trainer(config):
    return SessionTrainer(build_model(config), config.make_task(),
                          TrainingSettings(optimizer="sgd").train_config(config))


def test_a_series_grows_in_batches():
    s = Series("LSTM", "LSTM")
    rows = np.arange(300 * len(METRICS), dtype=float).reshape(300, len(METRICS))
    s.extend(rows[:10])
    s.extend(rows[10:])
    s.extend([])
    a = s.arrays()
    assert len(s) == 300
    np.testing.assert_array_equal(a["update"], rows[:, 0])
    assert a["clipped"].dtype == bool


def test_a_run_aims_at_the_updates_asked_for():
    c = SessionConfig(hidden=2, length=4)
    run = Run("single", c, [trainer(c)], ["a"], 10, key=1)
    assert run.done == 0 and run.aim(10) == 10
    run.series[0].extend(np.ones((10, len(METRICS))))
    assert run.aim(10) == 20 and run.aim(25) == 25  # more once reached, else that many
    assert Run("compare", c, [trainer(c)], ["b"], 1, key=2).serial != run.serial
    with pytest.raises(ValueError, match="kind"):
        Run("other", c, [trainer(c)], ["a"], 1, key=1)


def test_one_update_job_steps_a_copy_and_shows_it_in_the_session():
    c = SessionConfig(model="SimpleRNN", hidden=3, length=6, lr=0.2, clip=0.5, truncation=50)
    t = trainer(c)
    seeded = t.params_copy()
    done = OneUpdateJob(1, c, t).compute(lambda f: None, lambda: False)
    assert same_params(t.params_copy(), seeded) and t.updates == 0  # the original is untouched
    assert done.trainer.updates == 1 and same_params(done.before, seeded)
    # the session's own lr, clipping and truncation: the update leaves them as they were
    assert (done.session.lr, done.session.clip, done.session.truncation) == (0.2, 0.5, 50)
    shown = compute(done.session, done.before)
    for k, v in done.trainer.model.params.items():
        np.testing.assert_allclose(shown.new_params[k], v, rtol=0, atol=1e-12)
    assert OneUpdateJob(1, None, None) == OneUpdateJob(1, c, t) != OneUpdateJob(2, c, t)
    assert update_session(c, done.trainer)[0].input_seed == 1


def test_sample_jobs_are_keyed_by_run_update_and_temperature():
    c = SessionConfig(task="char-text", hidden=3, length=8)
    t = trainer(c)
    job = SampleJob(1, 0, 0.0, (("lstm", t.model, t.task, 8, 0),))
    (label, g), = job.compute(lambda f: None, lambda: False)
    assert label == "lstm" and g.temperature == 0.0
    assert job == SampleJob(1, 0, 0.0, ()) and hash(job) == hash(SampleJob(1, 0, 0.0, ()))
    assert job != SampleJob(1, 0, 0.5, ())
    assert not same_params(None, None) and not same_params(t.params_copy(), {})
