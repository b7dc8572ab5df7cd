"""Training in the window: the controller runs the engine off the GUI thread, the view draws what
it reported, pausing hands the weights to every other view, "one update" replays the update."""

import time

import numpy as np
import pytest
from gui.state import AppState
from gui.training import SAMPLE_LENGTH, TrainingSettings
from gui.views.training import TrainingView

from gui.model.cursor import Cursor
from gui.model.training.trainer import model_for, param_count
from sim import tasks
from sim.run import SessionConfig
from sim.train import evaluate


def make_view(qtbot, config=None, **settings):
    state = AppState(config or SessionConfig())
    view = TrainingView(state)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.refresh()
    if settings:
        view.set_settings(TrainingSettings(**settings))
    return state, view, view.controller


def finish(qtbot, state, c, timeout=20_000):
    qtbot.waitUntil(lambda: not c.running, timeout=timeout)
    state.wait()


@pytest.fixture
def cleanup():
    made = []
    yield made.append
    for c in made:
        c.shutdown()


@pytest.mark.parametrize("task", tasks.names())
def test_training_lowers_the_loss_on_each_task(qtbot, no_leaks, cleanup, task):
    T = 12 if task != "adding" else 10
    config = SessionConfig(task=task, length=T)
    state, view, c = make_view(qtbot, config, lr=0.03, batch_size=2, n_updates=40, clip=None)
    cleanup(c)
    t = config.make_task()
    before = evaluate(model_for(config, task=t), t, T, n=16)[0]
    view.start_button.click()
    finish(qtbot, state, c)
    assert len(c.series[0]) == 40
    assert view.progress.value() == view.progress.maximum() == 40
    # the trained weights are the session's now, and they do better on fresh samples
    after = evaluate(model_for(state.config, state.params, t), t, T, n=16)[0]
    assert after < before
    assert state.result.config == state.config
    np.testing.assert_array_equal(state.result.forward.params["V"], state.params["V"])


def test_the_plots_draw_the_reported_metrics(qtbot, no_leaks, cleanup):
    state, view, c = make_view(qtbot, n_updates=30, clip=2.0)
    cleanup(c)
    view.start_button.click()
    finish(qtbot, state, c)
    a = c.series[0].arrays()
    x, y = view.loss[0].raw.getData()
    np.testing.assert_array_equal(x, a["update"])
    np.testing.assert_allclose(y, np.log10(a["loss"]))
    _, acc = view.acc[0].mean.getData()
    np.testing.assert_allclose(acc, np.cumsum(a["accuracy"]) / np.arange(1, 31))  # < 50 updates
    _, before = view.before[0].getData()
    _, after = view.after[0].getData()
    np.testing.assert_allclose(before, np.log10(a["norm_before"]))
    np.testing.assert_allclose(after, np.log10(a["norm_after"]))
    assert view.tau_line.isVisible() and view.tau_line.value() == pytest.approx(np.log10(2.0))
    x1, _ = view.loss[1].raw.getData()
    assert x1 is None or len(x1) == 0  # one series, the second set of curves is empty


def test_clipping_marks_and_limits_the_norm(qtbot, no_leaks, cleanup):
    tau = 0.5
    state, view, c = make_view(qtbot, n_updates=30, clip=tau, optimizer="sgd", lr=0.05)
    cleanup(c)
    view.start_button.click()
    finish(qtbot, state, c)
    a = c.series[0].arrays()
    assert a["clipped"].any()
    np.testing.assert_array_equal(a["clipped"], a["norm_before"] > tau)
    assert np.all(a["norm_after"] <= tau * (1 + 1e-9))
    np.testing.assert_allclose(a["norm_after"][a["clipped"]], tau)
    xs, ys = view.clipped_marks.getData()
    np.testing.assert_array_equal(xs, a["update"][a["clipped"]])
    np.testing.assert_allclose(ys, np.log10(a["norm_before"][a["clipped"]]))
    assert f"{int(a['clipped'].sum())} of 30 updates clipped" in view.header.text


@pytest.mark.parametrize("model", ["SimpleRNN", "LSTM"])
def test_one_update_is_the_engines_update_played_in_the_session(qtbot, no_leaks, cleanup, model):
    config = SessionConfig(model=model, hidden=4, truncation=None, input_seed=3)
    state, view, c = make_view(qtbot, config, optimizer="sgd", lr=0.2, clip=0.7, truncation=5)
    cleanup(c)
    view.follow.setChecked(False)
    start = {k: np.array(v) for k, v in state.result.forward.params.items()}
    for i in range(2):
        view.one_button.click()
        state.wait()
        r = state.result
        trained = c.run.trainers[0].model.params
        # the session shows the sample and the weights the update used, and its update phase
        # lands exactly where the engine's update went
        assert r.config.input_seed == 3 + i
        assert (r.config.lr, r.config.clip, r.config.truncation) == (0.2, 0.7, 5)
        for k in trained:
            np.testing.assert_allclose(r.new_params[k], trained[k], rtol=0, atol=1e-12)
        m = c.series[0].arrays()
        assert m["loss"][-1] == pytest.approx(r.backward.loss)
        assert m["norm_before"][-1] == pytest.approx(r.norm_before)
        assert bool(m["clipped"][-1]) == r.clipped
        if i == 0:
            for k in start:
                np.testing.assert_array_equal(r.forward.params[k], start[k])
        assert state.playing and state.cursor == Cursor("forward", 1)
        state.set_playing(False)
    assert len(c.series[0]) == 2
    assert c.shows_update_exactly


def test_stop_cancels_a_run_within_half_a_second(qtbot, no_leaks, cleanup):
    config = SessionConfig(hidden=32, length=40)
    state, view, c = make_view(qtbot, config, n_updates=100_000, batch_size=4)
    cleanup(c)
    view.start_button.click()
    assert c.running and not view.start_button.isEnabled()
    qtbot.waitUntil(lambda: len(c.series) and len(c.series[0]) >= 3, timeout=5000)
    t0 = time.perf_counter()
    view.stop_button.click()
    assert c.wait(500)
    assert time.perf_counter() - t0 < 0.5
    assert not c.running
    assert c.run.done < 100_000
    state.wait()
    assert view.start_button.isEnabled() and view.start_button.text() == "Start"
    assert "stopped" in view.status.text()


def test_pause_writes_the_weights_back_and_resume_goes_on(qtbot, no_leaks, cleanup):
    state, view, c = make_view(qtbot, n_updates=100_000)
    cleanup(c)
    seeded = {k: np.array(v) for k, v in state.result.forward.params.items()}
    view.start_button.click()
    qtbot.waitUntil(lambda: len(c.series) and len(c.series[0]) >= 5, timeout=5000)
    view.pause_button.click()
    finish(qtbot, state, c)
    assert c.paused and view.start_button.text() == "Resume"
    done = c.run.done
    trained = c.run.trainers[0].model.params
    for k in trained:
        np.testing.assert_array_equal(state.params[k], trained[k])
        np.testing.assert_array_equal(state.result.forward.params[k], trained[k])
    assert any(not np.array_equal(seeded[k], trained[k]) for k in seeded)
    assert "paused" in view.status.text()
    view.start_button.click()  # resume: the same run goes on
    qtbot.waitUntil(lambda: c.run.done >= done + 5, timeout=5000)
    view.stop_button.click()
    finish(qtbot, state, c)
    assert len(c.series[0]) == c.run.done > done
    np.testing.assert_array_equal(c.series[0].arrays()["update"], np.arange(1, c.run.done + 1))
    view.reset_button.click()
    state.wait()
    assert state.params is None
    for k in seeded:
        np.testing.assert_array_equal(state.result.forward.params[k], seeded[k])


def test_compare_trains_both_models_side_by_side(qtbot, no_leaks, cleanup):
    state, view, c = make_view(qtbot, n_updates=20, compare_task="session task")
    cleanup(c)
    view.compare_button.click()
    finish(qtbot, state, c)
    kinds = [s.kind for s in c.series]
    assert kinds == ["SimpleRNN", "LSTM"]
    assert [len(s) for s in c.series] == [20, 20]
    rnn, lstm = (t.model for t in c.run.trainers)
    n_rnn = sum(p.size for p in rnn.params.values())
    n_lstm = sum(p.size for p in lstm.params.values())
    assert n_lstm == param_count(state.config)  # the session's LSTM keeps its size
    assert abs(n_rnn - n_lstm) / n_lstm < 0.1
    # the same samples for both: the first update's accuracy is on the same sequence
    assert c.run.trainers[0].drawn == c.run.trainers[1].drawn == 20
    for i in range(2):
        _, y = view.loss[i].mean.getData()
        assert len(y) == 20
    assert "SimpleRNN" in view.header.text and "LSTM" in view.header.text
    assert state.params is None  # a compare run leaves the session's weights alone


@pytest.mark.parametrize("task", ["char-text", "generate"])
def test_samples_appear_while_training(qtbot, no_leaks, cleanup, task):
    config = SessionConfig(task=task, length=12)
    state, view, c = make_view(qtbot, config, n_updates=30, temperature=0.5)
    cleanup(c)
    got = []
    c.samples_changed.connect(got.append)
    view.start_button.click()
    finish(qtbot, state, c)
    assert got
    (label, g), = got[-1]
    assert label == c.series[0].label
    assert g.indices.shape == (SAMPLE_LENGTH,) and g.temperature == 0.5
    text = view.samples.toPlainText()
    assert view.samples_box.isVisible()
    assert g.text in text and "after 30 updates" in text
    if task == "char-text":
        assert set(g.text) <= set(config.make_task().vocabulary)
    # a new temperature samples again from the trained model, off the GUI thread
    view.temperature.setValue(0.0)
    qtbot.waitUntil(lambda: got[-1][0][1].temperature == 0.0, timeout=5000)


def test_settings_are_saved_with_the_session(qtbot, no_leaks, cleanup):
    state, view, c = make_view(qtbot)
    cleanup(c)
    s = TrainingSettings(optimizer="momentum", lr=0.005, clip=None, clip_mode="per_step",
                         truncation=4, batch_size=3, n_updates=123, temperature=1.3,
                         compare_task="session task")
    view.set_options({**s.to_dict(), "follow": False, "unknown": 1})
    assert view.settings() == s
    assert view.options() == {**s.to_dict(), "follow": False}
    assert c.settings == s
    view.set_options({"lr": -1})  # a bad value is reported, not raised
    assert "not restored" in view.status.text()
    assert view.settings() == s
