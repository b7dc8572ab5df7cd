"""Training in the window: the controller runs the engine off the GUI thread, the view draws what
it reported, pausing hands the weights to every other view, "one update" replays the update;
one learning rate and one clipping threshold per session; nothing reaches a deleted view."""

import time

import numpy as np
import pytest
from PySide6 import QtCore

from gui import theme as themes
from gui.context import Context
from gui.controllers.session import SessionController
from gui.frames import Painter
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.training.process import SAMPLE_LENGTH
from gui.model.training.trainer import param_count
from gui.views.training import TrainingView
from sim import tasks
from sim.run import SessionConfig, build_model
from sim.train import evaluate

#: what used to be the training view's own settings are the session's now
SESSION_FIELDS = ("lr", "clip", "clip_mode", "truncation")


class Rig:
    """A training view on its own context, drawn as the window draws it, with the session's runs
    computed on the job runner."""

    def __init__(self, qtbot, config=None, **settings):
        config = (config or SessionConfig()).replace(
            **{k: v for k, v in settings.items() if k in SESSION_FIELDS})
        self.ctx = Context(AppModel(config))
        self.app = self.ctx.app
        self.session = SessionController(self.ctx)
        self.view = TrainingView(self.ctx)
        qtbot.addWidget(self.view)
        self.painter = Painter(self.ctx, self.views, self.theme)
        self.view.resize(1200, 800)
        self.view.show()
        self.painter.draw()
        options = {k: v for k, v in settings.items() if k not in SESSION_FIELDS}
        if options:
            assert self.app.set_options("training", **options)
        self.c = self.ctx.training

    def views(self):
        return [self.view]

    def theme(self):
        return themes.get(self.app.theme)

    def finish(self, qtbot, timeout=20_000):
        qtbot.waitUntil(lambda: not self.c.busy, timeout=timeout)
        assert self.c.wait(timeout)
        assert self.session.wait(timeout)

    def close(self):
        self.c.shutdown()
        self.ctx.close()


@pytest.fixture
def rig(qtbot, no_leaks):
    made = []

    def make(config=None, **settings):
        r = Rig(qtbot, config, **settings)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.mark.parametrize("task", tasks.names())
def test_training_lowers_the_loss_on_each_task(qtbot, rig, task):
    T = 12 if task != "adding" else 10
    config = SessionConfig(task=task, length=T)
    r = rig(config, lr=0.03, batch_size=2, n_updates=40, clip=None)
    app, view, c = r.app, r.view, r.c
    t = config.make_task()
    before = evaluate(build_model(config, t), t, T, n=16)[0]
    view.start_button.click()
    r.finish(qtbot)
    assert len(c.series[0]) == 40
    assert view.progress.value() == view.progress.maximum() == 40
    # the trained weights are the session's now, and they do better on fresh samples
    after = evaluate(build_model(app.config, t, app.params), t, T, n=16)[0]
    assert after < before
    assert app.result.config == app.config
    np.testing.assert_array_equal(app.result.forward.params["V"], app.params["V"])


def test_the_plots_draw_the_reported_metrics(qtbot, rig):
    r = rig(n_updates=30, clip=2.0)
    view, c = r.view, r.c
    view.start_button.click()
    r.finish(qtbot)
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


def test_clipping_marks_and_limits_the_norm(qtbot, rig):
    tau = 0.5
    r = rig(n_updates=30, clip=tau, optimizer="sgd", lr=0.05)
    view, c = r.view, r.c
    view.start_button.click()
    r.finish(qtbot)
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
def test_one_update_is_the_engines_update_played_in_the_session(qtbot, rig, model):
    config = SessionConfig(model=model, hidden=4, truncation=None, input_seed=3)
    r = rig(config, optimizer="sgd", lr=0.2, clip=0.7, truncation=5, follow=False)
    app, view, c = r.app, r.view, r.c
    start = {k: np.array(v) for k, v in app.result.forward.params.items()}
    for i in range(2):
        view.one_button.click()
        assert c.updating and not view.one_button.isEnabled()  # a job, not the GUI thread
        r.finish(qtbot)
        res = app.result
        trained = c.run.trainers[0].model.params
        # the session shows the sample and the weights the update used, and its update phase
        # lands exactly where the engine's update went
        assert res.config.input_seed == 3 + i
        assert (res.config.lr, res.config.clip, res.config.truncation) == (0.2, 0.7, 5)
        for k in trained:
            np.testing.assert_allclose(res.new_params[k], trained[k], rtol=0, atol=1e-12)
        m = c.series[0].arrays()
        assert m["loss"][-1] == pytest.approx(res.backward.loss)
        assert m["norm_before"][-1] == pytest.approx(res.norm_before)
        assert bool(m["clipped"][-1]) == res.clipped
        if i == 0:
            for k in start:
                np.testing.assert_array_equal(res.forward.params[k], start[k])
        assert app.playing and app.cursor == Cursor("forward", 1)
        assert f"update {i + 1}: J = " in view.status.text()
        app.set_playing(False)
    assert len(c.series[0]) == 2
    assert c.shows_update_exactly
    assert app.view is None  # "follow" off: the tab stays


def test_an_update_the_session_outran_is_not_shown(qtbot, rig):
    r = rig(SessionConfig(hidden=4, length=6))
    app, view, c = r.app, r.view, r.c
    view.one_button.click()
    app.update_config(length=8)  # while the update computes
    r.finish(qtbot)
    assert app.config.length == 8 and app.params is None
    assert "not shown" in view.status.text() and not c.updating
    assert view.one_button.isEnabled()


def test_stop_cancels_a_run_within_half_a_second(qtbot, rig):
    r = rig(SessionConfig(hidden=32, length=40), n_updates=100_000, batch_size=4)
    view, c = r.view, r.c
    view.start_button.click()
    assert c.running and not view.start_button.isEnabled()
    qtbot.waitUntil(lambda: len(c.series) and len(c.series[0]) >= 3, timeout=5000)
    t0 = time.perf_counter()
    view.stop_button.click()
    assert c.wait(500)
    assert time.perf_counter() - t0 < 0.5
    assert not c.running
    assert c.run.done < 100_000
    r.session.wait()
    assert view.start_button.isEnabled() and view.start_button.text() == "Start"
    assert "stopped" in view.status.text()


def test_pause_writes_the_weights_back_and_resume_goes_on(qtbot, rig):
    r = rig(n_updates=100_000)
    app, view, c = r.app, r.view, r.c
    seeded = {k: np.array(v) for k, v in app.result.forward.params.items()}
    view.start_button.click()
    qtbot.waitUntil(lambda: len(c.series) and len(c.series[0]) >= 5, timeout=5000)
    view.pause_button.click()
    r.finish(qtbot)
    assert c.paused and view.start_button.text() == "Resume"
    done = c.run.done
    trained = c.run.trainers[0].model.params
    for k in trained:
        np.testing.assert_array_equal(app.params[k], trained[k])
        np.testing.assert_array_equal(app.result.forward.params[k], trained[k])
    assert any(not np.array_equal(seeded[k], trained[k]) for k in seeded)
    assert "paused" in view.status.text()
    view.start_button.click()  # resume: the same run goes on
    qtbot.waitUntil(lambda: c.run.done >= done + 5, timeout=5000)
    view.stop_button.click()
    r.finish(qtbot)
    assert len(c.series[0]) == c.run.done > done
    np.testing.assert_array_equal(c.series[0].arrays()["update"], np.arange(1, c.run.done + 1))
    assert "earlier run" not in view.header.text
    view.reset_button.click()
    r.session.wait()
    assert "earlier run" in view.header.text  # Start would begin from the seeded weights
    assert app.params is None
    for k in seeded:
        np.testing.assert_array_equal(app.result.forward.params[k], seeded[k])


def test_compare_trains_both_models_side_by_side(qtbot, rig):
    r = rig(n_updates=20, compare_task="session task")
    app, view, c = r.app, r.view, r.c
    view.compare_button.click()
    r.finish(qtbot)
    kinds = [s.kind for s in c.series]
    assert kinds == ["SimpleRNN", "LSTM", "GRU"]  # the GRU joined the compare run
    assert [len(s) for s in c.series] == [20, 20, 20]
    rnn, lstm, gru = (t.model for t in c.run.trainers)
    n_rnn = sum(p.size for p in rnn.params.values())
    n_lstm = sum(p.size for p in lstm.params.values())
    n_gru = sum(p.size for p in gru.params.values())
    assert n_lstm == param_count(app.config)  # the session's LSTM keeps its size
    assert abs(n_rnn - n_lstm) / n_lstm < 0.1
    assert abs(n_gru - n_lstm) / n_lstm < 0.1
    # the same samples for all: the first update's accuracy is on the same sequence
    assert c.run.trainers[0].drawn == c.run.trainers[1].drawn == c.run.trainers[2].drawn == 20
    for i in range(3):
        _, y = view.loss[i].mean.getData()
        assert len(y) == 20
    assert ("SimpleRNN" in view.header.text and "LSTM" in view.header.text
            and "GRU" in view.header.text)
    assert app.params is None  # a compare run leaves the session's weights alone


@pytest.mark.parametrize("task", ["char-text", "generate"])
def test_samples_appear_while_training(qtbot, rig, task):
    config = SessionConfig(task=task, length=12)
    r = rig(config, n_updates=30, temperature=0.5)
    view, c = r.view, r.c
    got = []
    c.samples_changed.connect(got.append)
    view.start_button.click()
    r.finish(qtbot)
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
    assert r.app.options["training"].temperature == 0.0
    qtbot.waitUntil(lambda: got[-1][0][1].temperature == 0.0, timeout=5000)


def test_settings_are_the_models_and_saved_with_the_session(qtbot, rig):
    r = rig()
    app, view = r.app, r.view
    assert app.set_options("training", optimizer="momentum", batch_size=3, n_updates=123,
                           temperature=1.3, compare_task="session task", follow=True)
    assert (view.optimizer.currentData(), view.batch.value(), view.updates.value(),
            view.temperature.value(), view.compare_task.currentText(), view.follow.isChecked()
            ) == ("momentum", 3, 123, 1.3, "session task", True)
    view.batch.setValue(7)  # the controls write to the model
    view.optimizer.setCurrentIndex(view.optimizer.findData("sgd"))
    s = app.options["training"]
    assert (s.batch_size, s.optimizer) == (7, "sgd")
    assert app.snapshot().options["training"] == s.to_dict()
    errors = []
    app.error.connect(errors.append)
    assert not app.set_options("training", batch_size=-1)  # refused and said, not raised
    assert errors and "batch_size" in errors[0]
    assert app.options["training"] == s and view.batch.value() == 7


# -- the issue "three layers" -------------------------------------------------------------------

def training_in(window):
    window.open_view("training")
    return window.view("training"), window.ctx.training


def test_trained_weights_are_asked_about_before_a_preset_replaces_them(qtbot, window):
    view, c = training_in(window)
    window.app.set_options("training", n_updates=15)
    view.start_button.click()
    qtbot.waitUntil(lambda: not c.running, timeout=20_000)
    window.session.wait()
    trained = window.app.params
    assert trained is not None and window.app.dirty  # written back as the user's work
    asked = []
    window.discard_answer = lambda what: asked.append(what) or "cancel"
    assert not window.files.load_preset("bptt-colours")
    assert asked == ["open the preset 'bptt-colours'"]
    assert window.app.params is trained
    window.discard_answer = lambda what: "discard"
    assert window.files.load_preset("bptt-colours")
    window.session.wait()
    assert window.app.params is None and not window.app.dirty


def test_the_panel_describes_the_model_the_views_show(qtbot, rig):
    r = rig(n_updates=10, compare_task="session task")
    app, view, c = r.app, r.view, r.c
    view.start_button.click()
    r.finish(qtbot)
    view.compare_button.click()
    r.finish(qtbot)
    view.show_single.click()
    assert "LSTM" in view.header.text and "LSTM" in view.caption.text()
    assert app.update_config(model="SimpleRNN")  # not training: allowed
    r.session.wait()
    assert "<b>SimpleRNN</b> (H = 6)" in view.caption.text()
    # the LSTM's curves are gone with it: nothing of another model is drawn as the session's
    assert c.run is None and c.series == []
    x, _ = view.loss[0].mean.getData()
    assert x is None or len(x) == 0
    assert "LSTM" not in view.header.text and "Press <b>Start</b>" in view.header.text
    # the compare run is labelled as what it is, and still there
    assert view.show_compare.isEnabled()
    view.show_compare.click()
    assert view.header.text.startswith("Compare on delayed-recall")
    assert len(view.loss[0].mean.getData()[1]) == 10


def test_sizes_are_locked_while_training_runs(qtbot, window):
    view, c = training_in(window)
    app, panel = window.app, window.panel
    app.set_options("training", n_updates=100_000)
    assert panel.hidden.isEnabled() and panel.model.isEnabled()
    view.start_button.click()
    assert app.training_running
    assert not panel.hidden.isEnabled() and not panel.model.isEnabled()
    assert not panel.task.isEnabled()
    errors = []
    app.error.connect(errors.append)
    assert not app.update_config(hidden=9)  # the model refuses
    assert not app.update_config(model="SimpleRNN")
    assert app.config.hidden == 6 and len(errors) == 2 and "stop training" in errors[0]
    assert app.update_config(input_seed=4)  # what keeps the shapes is still free
    view.stop_button.click()
    assert c.wait(5000)
    window.session.wait()
    assert not app.training_running and panel.hidden.isEnabled()
    assert app.update_config(hidden=9)


def test_a_preset_while_training_abandons_the_run_and_unlocks(qtbot, window):
    view, c = training_in(window)
    app = window.app
    app.set_options("training", n_updates=100_000)
    view.start_button.click()
    qtbot.waitUntil(lambda: c.run.done >= 3, timeout=5000)
    assert window.files.load_preset("peepholes")  # a clean session: nothing asked
    assert c.wait(5000) and not c.running
    window.session.wait()
    assert app.params is None  # the old session's weights were not written into the new one
    assert window.panel.hidden.isEnabled() and "abandoned" in view.status.text()


def test_one_learning_rate_and_clip_threshold_per_session(qtbot, window):
    view, c = training_in(window)
    app, panel = window.app, window.panel
    app.update_config(lr=0.1, clip=3.0, clip_mode="per_step")
    window.session.wait()

    def shown():
        return {"view": (view.lr.value(), view.clip.value(), view.clip_mode.currentData()),
                "panel": (panel.lr.value(), panel.clip.value(), panel.clip_mode.currentData())}

    want = (0.1, 3.0, "per_step")
    assert shown() == {"view": want, "panel": want}
    view.one_button.click()
    c.wait()
    window.session.wait()
    app.set_playing(False)
    assert (app.config.lr, app.config.clip, app.config.clip_mode) == want
    assert shown() == {"view": want, "panel": want}
    assert c.run.train_config.lr == 0.1 and c.run.train_config.clip == 3.0
    app.set_options("training", n_updates=10)
    view.start_button.click()
    qtbot.waitUntil(lambda: not c.running, timeout=20_000)
    window.session.wait()
    assert (app.config.lr, app.config.clip, app.config.clip_mode) == want
    assert shown() == {"view": want, "panel": want}
    assert "η = 0.1" in view.header.text and "clip τ = 3 (per step)" in view.header.text
    app.set_options("training", follow=True)
    view.one_button.click()
    c.wait()
    window.session.wait()
    app.set_playing(False)
    assert app.view == "network" and window.current_view().name == "network"  # followed
    view.lr.setValue(0.05)  # the training view's control is the session's field
    view.clip.setValue(0.0)  # off
    window.session.wait()
    assert (app.config.lr, app.config.clip) == (0.05, None)
    assert panel.lr.value() == 0.05 and not panel.clip_on.isChecked()


def test_subscriptions_die_with_their_widgets(qtbot, no_leaks):
    ctx = Context(AppModel(SessionConfig(hidden=2, length=4)))
    c = ctx.training
    view = TrainingView(ctx)
    view.show()
    view.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    run = c._new_single_run()
    c.runs["single"] = run
    run.series[0].extend(np.ones((3, 7)))
    m = run.trainers[0].step()
    with qtbot.captureExceptions() as raised:
        c.metrics_changed.emit()
        c.run_changed.emit()
        c.progress.emit(1, 2)
        c.samples_changed.emit([])
        c.running_changed.emit(True)
        c.running_changed.emit(False)
        c.updating_changed.emit(True)
        c.updated.emit(m)
        c.finished.emit("done")
        c.message.emit("hello")
        ctx.app.set_options("training", n_updates=7)
        ctx.app.update_config(hidden=3)
        QtCore.QCoreApplication.processEvents()
    assert raised == []
    c.shutdown()
    ctx.close()


def test_compare_makes_the_updates_asked_for_and_keeps_the_sessions_curves(qtbot, rig):
    r = rig(n_updates=12)
    view, c = r.view, r.c
    view.start_button.click()
    r.finish(qtbot)
    session_series = c.series[0]
    assert view.compare_task.currentText() == "adding, T = 30"
    view.compare_button.click()
    assert view.progress.maximum() == 12  # not the preset's 4,000
    r.finish(qtbot)
    assert [len(s) for s in c.series] == [12, 12, 12] and c.run.total == 12
    assert c.run.base.task == "adding" and c.run.base.length == 30
    assert "try 4,000" in view.compare_hint.text()
    # the session's run and its curves are still there
    assert c.runs["single"].series[0] is session_series and len(session_series) == 12
    view.show_single.click()
    assert c.run.kind == "single" and view.header.text.startswith("Training LSTM")
    assert len(view.loss[0].mean.getData()[1]) == 12
    x1, _ = view.loss[1].mean.getData()
    assert x1 is None or len(x1) == 0


def test_the_progress_bar_counts_the_updates_asked_for(qtbot, rig):
    r = rig()
    view = r.view
    assert (view.progress.value(), view.progress.maximum()) == (0, 2000)
    assert view.progress.text() == "0 / 2,000 updates"
    r.app.set_options("training", n_updates=500)
    assert view.progress.maximum() == 500 and view.progress.text() == "0 / 500 updates"
    view.updates.setValue(40)
    assert r.app.options["training"].n_updates == 40
    view.start_button.click()
    assert view.progress.maximum() == 40
    r.finish(qtbot)
    assert view.progress.text() == "40 / 40 updates"


# -- training history in the session, chunks ---------------------------------------------------

def _trained_session(n, config):
    from gui.model.session_file import Session, dumps, loads
    from gui.model.training import headless

    session = Session(config=config, view="training")
    run = headless.session_run(session)
    for _ in range(n):
        headless.step(run)
    return loads(dumps(headless.trained_session(session, run)))


def test_opening_a_session_brings_its_curves_back_and_start_carries_on(qtbot, rig):
    config = SessionConfig(model="SimpleRNN", hidden=3, length=6)
    saved = _trained_session(15, config)
    r = rig(config, n_updates=5)
    view, c, app = r.view, r.c, r.app
    assert c.run is None
    app.restore(saved, compute_now=True)
    app.set_options("training", n_updates=5, user=False)  # the session brought its own
    r.painter.draw()
    assert c.run is not None and c.run.done == 15 and len(c.series[0]) == 15
    assert c.run_is_current  # the session's weights are those the run ended with
    _, y = view.loss[0].mean.getData()
    assert len(y) == 15
    assert view.start_button.text() == "Resume"
    assert not app.dirty
    view.start_button.click()
    assert "Adam starts afresh" in view.status.text()  # its state was not saved
    r.finish(qtbot)
    assert c.run.done == 20 and c.series[0].arrays()["update"][-1] == 20
    # the history the model holds (and a save would write) has all 20
    h = app.options["training-history"].single
    assert h.models[0].updates == 20 and app.dirty


def test_a_saved_run_with_other_weights_is_an_earlier_run(qtbot, rig):
    config = SessionConfig(model="SimpleRNN", hidden=3, length=6)
    saved = _trained_session(8, config)
    r = rig(config, n_updates=4)
    view, c, app = r.view, r.c, r.app
    app.restore(saved, compute_now=True)
    app.set_options("training", n_updates=4, user=False)
    app.reset_params()  # the seeded weights, not the run's
    assert r.session.wait(10_000)
    r.painter.draw()
    assert c.run.done == 8 and not c.run_is_current
    assert "earlier run" in view.header.text
    view.start_button.click()
    r.finish(qtbot)
    assert c.run.done == 4  # a new run


def test_chunks_setting_note_and_one_update_refused(qtbot, rig):
    r = rig(SessionConfig(model="SimpleRNN", hidden=4, length=20, task="char-text",
                          truncation=5), n_updates=4)
    view, c, app = r.view, r.c, r.app
    r.painter.draw()
    assert "Truncation k = 5: errors travel back at most k − 1 = 4 steps" in (
        view.truncation_note.text())
    assert view.chunk.value() == 0 and view.chunk.text() == "off"
    view.chunk.setValue(10)
    assert app.options["training"].chunk == 10
    r.painter.draw()
    assert "Chunks of K = 10: one update every 10 steps" in view.truncation_note.text()
    assert not c.one_update()
    assert "chunks off" in view.status.text()
    view.start_button.click()
    r.finish(qtbot)
    assert c.run.done == 4 and c.run.train_config.chunk == 10
    assert c.run.trainers[0].drawn == 2  # 20 steps in chunks of 10: one sequence per two updates
    assert "chunk of K = 10" in view.header.text
    view.chunk.setValue(0)
    assert app.options["training"].chunk is None


def test_compare_draws_three_models_in_three_colours(qtbot, rig):
    from gui.views.training.plots import MODEL_HEX

    r = rig(n_updates=6, compare_task="session task")
    view, c = r.view, r.c
    assert view.compare_button.text() == "Compare SimpleRNN / LSTM / GRU"
    view.compare_button.click()
    r.finish(qtbot)
    pens = [view.loss[i].mean.opts["pen"].color().name().upper() for i in range(3)]
    assert pens == [MODEL_HEX[k].upper() for k in ("SimpleRNN", "LSTM", "GRU")]
    assert len(set(pens)) == 3
    assert c.app.options["training-history"].compare.models[2].kind == "GRU"


def test_the_header_says_when_a_saved_history_left_points_out(qtbot, rig):
    from gui.model.training import headless
    from gui.model.training.history import METRICS
    from gui.model.training.saved import MAX_POINTS, SavedRun, TrainingHistory

    config = SessionConfig(model="SimpleRNN", hidden=3, length=6)
    r = rig(config)
    run = headless.session_run(r.app.snapshot())
    n = MAX_POINTS + 5000
    rows = np.ones((n, len(METRICS)))
    rows[:, 0] = np.arange(1, n + 1)
    rows[:10, 5] = 0  # the first ten not clipped
    run.series[0].extend(rows)
    history = TrainingHistory(single=SavedRun.from_run(run, None))
    r.app.replace_options("training-history", history, user=False)
    r.painter.draw()
    c, view = r.c, r.view
    assert c.run.done == n and len(c.series[0]) == MAX_POINTS
    text = view.header.text
    assert f"{n - 10:,} of {n:,} updates clipped" in text
    assert f"{MAX_POINTS:,} of {n:,} updates drawn" in text


def test_large_type_gives_the_short_plots_short_titles(qtbot, no_leaks):
    """Presentation type ran the rotated titles of the three short plots into each other and
    piled up the accuracy ticks: large type gets short titles and three accuracy ticks."""
    from gui.frames import frame_for

    ctx = Context(AppModel(SessionConfig()))
    v = TrainingView(ctx)
    qtbot.addWidget(v)
    fig = v.figure

    def titles():
        return [p.getAxis("left").labelText for p in fig.plots]

    v.draw(frame_for(v, ctx, theme=themes.presentation(themes.get("light"))))
    assert titles() == ["J", "‖g‖", "accuracy"]
    assert fig.acc_plot.getAxis("left")._tickLevels == [[(0.0, "0"), (0.5, "0.5"),
                                                         (1.0, "1")], []]
    v.draw(frame_for(v, ctx))
    assert titles()[0] == "loss J (log)" and titles()[2].startswith("accuracy (mean of")
    assert fig.acc_plot.getAxis("left")._tickLevels is None
    ctx.close()


def test_an_untrained_session_exports_an_explained_empty_figure(qtbot, rig):
    """No run yet: the exported figure says so (not a bare grid), and its update axis has no
    fractional ticks (0.1 of an update means nothing); once trained, the ticks are the axis's."""
    from gui.frames import draw_now

    r = rig(n_updates=5)
    view = r.view
    draw_now(view, r.ctx, export=True)
    assert "not been trained" in view.figure.header.text
    axis = view.figure.loss_plot.getAxis("bottom")
    ticks = [v for level in axis.tickValues(0, 1, 1000) for v in level[1]]
    assert ticks and all(float(v).is_integer() for v in ticks)
    view.start_button.click()
    r.finish(qtbot)
    draw_now(view, r.ctx, export=True)
    assert "not been trained" not in view.figure.header.text
    assert axis._tickSpacing is None  # pyqtgraph's own spacing again
