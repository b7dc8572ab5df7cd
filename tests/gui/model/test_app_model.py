"""The application model without Qt: one place for the session, consistent before it speaks,
trained weights kept or dropped by one rule, work tracked as dirty, sessions round-tripped."""

import numpy as np

from gui.model.app_model import AppModel, RunRequest, from_session
from gui.model.cursor import Cursor
from gui.model.session_file import Session
from sim.run import SessionConfig, compute


def events(model):
    """Record (name, args) of every signal of ``model``."""
    seen = []
    for name in ("config_changed", "run_requested", "result_changed", "cursor_changed",
                 "selection_changed", "options_changed", "dirty_changed", "busy_changed",
                 "error", "theme_changed", "view_changed", "caption_changed"):
        getattr(model, name).connect(lambda *a, n=name: seen.append((n, a)))
    return seen


def test_it_computes_without_a_job_runner():
    m = AppModel(SessionConfig(hidden=3, length=4))
    assert m.result is not None and m.result.T == 4 and not m.busy


def test_a_run_is_requested_and_landed_and_a_stale_one_dropped():
    m = AppModel(SessionConfig(hidden=3, length=4), compute_now=False)
    first = m.pending
    assert m.busy and m.result is None and isinstance(first, RunRequest)
    m.update_config(hidden=5)
    second = m.pending
    assert second.number > first.number
    assert not m.land(first, compute(first.config))  # an older request: dropped
    assert m.result is None and m.busy
    assert m.land(second, compute(second.config))
    assert not m.busy and m.result.forward.n_hidden == 5


def test_everything_is_consistent_before_any_listener_hears_of_it():
    m = AppModel(SessionConfig(hidden=6, length=12))
    m.set_cursor(Cursor("backward", 12))
    m.set_selection(unit=5, parameter="W_z")
    seen = []

    def check(*_):
        r = m.result
        seen.append(True)
        assert m.cursor == m.cursor.clamp(r.T)
        assert m.selection.unit < r.forward.n_hidden
        assert m.selection.parameter is None or m.selection.parameter in r.applied_gradient

    for name in ("result_changed", "cursor_changed", "selection_changed"):
        getattr(m, name).connect(check)
    m.set_config(SessionConfig(model="SimpleRNN", hidden=2, length=5))
    m.compute_now()
    assert seen and m.cursor == Cursor("backward", 5) and m.selection.unit == 1
    assert m.selection.parameter is None


def test_trained_weights_survive_what_keeps_their_shapes_and_only_that():
    m = AppModel(SessionConfig(hidden=3, length=4))
    w = {k: np.asarray(v) * 2 for k, v in m.result.forward.params.items()}
    m.set_config(m.config, params=w)
    m.compute_now()
    assert m.params is w
    for change in (dict(input_seed=5), dict(truncation=2), dict(lr=0.5), dict(clip=1.0),
                   dict(length=6)):
        m.update_config(**change)
        m.compute_now()
        assert m.params is w, change
        np.testing.assert_array_equal(m.result.forward.params["R_z"], w["R_z"])
    m.update_config(seed=3)  # new seeded weights were asked for
    assert m.params is None
    m.set_config(m.config, params={k: np.asarray(v) for k, v in
                                   compute(m.config).forward.params.items()})
    m.update_config(hidden=4)  # no longer fit
    assert m.params is None


def test_the_window_caps_and_training_lock_the_sizes():
    m = AppModel(SessionConfig(hidden=3, length=4))
    errors = []
    m.error.connect(errors.append)
    assert not m.update_config(hidden=65)
    assert "hidden must be <= 64" in errors[-1] and m.config.hidden == 3
    m.set_training_running(True)
    assert not m.update_config(hidden=5)
    assert "stop training" in errors[-1] and m.config.hidden == 3
    assert m.update_config(input_seed=3)  # what keeps the shapes stays free
    m.set_training_running(False)
    assert m.update_config(hidden=5)


def test_user_changes_make_the_session_dirty_and_saving_or_opening_cleans_it():
    m = AppModel(SessionConfig(hidden=3, length=4))
    assert not m.dirty
    m.set_cursor(Cursor("forward", 2))
    m.set_theme("dark")
    m.set_playing(True)
    m.set_playing(False)
    assert not m.dirty  # looking around is not work
    m.update_config(truncation=2)
    assert m.dirty
    m.mark_saved()
    assert not m.dirty
    m.set_options("geometry", D=77)
    assert m.dirty
    m.restore(Session(config=SessionConfig(hidden=2, length=5)), compute_now=True)
    assert not m.dirty and m.options["geometry"].D == 100  # the defaults again
    m.set_config(m.config, params={k: np.asarray(v) for k, v in m.result.forward.params.items()})
    assert m.dirty  # trained weights are work


def test_options_are_validated_by_their_schema():
    m = AppModel(SessionConfig(hidden=3, length=4))
    errors = []
    m.error.connect(errors.append)
    assert not m.set_options("geometry", D=-1)
    assert "D must be an integer in 1..10000" in errors[-1]
    assert not m.set_options("training", temperature="hot")
    assert "temperature must be a number" in errors[-1]
    assert not m.set_options("landscape", nonsense=1)
    assert m.options["geometry"].D == 100


def test_snapshot_and_restore_round_trip_every_section():
    m = AppModel(SessionConfig(model="SimpleRNN", hidden=3, length=5, truncation=2, clip=0.5,
                               clip_mode="per_step", lr=0.2))
    m.set_config(m.config, params={k: np.asarray(v) * 1.5 for k, v in
                                   m.result.forward.params.items()})
    m.compute_now()
    m.set_cursor(Cursor("backward", 3))
    m.set_theme("dark")
    m.set_view("gradient-flow")
    m.set_caption("A title", "A caption.")
    m.set_options("geometry", D=321, eps=0.02, angle_dims=(2, 7))
    m.set_options("training", optimizer="sgd", n_updates=17, follow=True)
    m.set_options("gradient-flow", compare=True)
    m.set_options("landscape", mode="line", span=0.5, start=(6.5, -2.0))
    m.set_options("geometry-panel", layout="tabs")
    s = m.snapshot()
    back = from_session(s)
    assert back.config == m.config and back.cursor == m.cursor and back.theme == "dark"
    assert back.view == "gradient-flow" and (back.title, back.caption) == ("A title",
                                                                         "A caption.")
    assert back.options == m.options
    for k in m.params:
        np.testing.assert_array_equal(back.params[k], m.params[k])
    for k, v in m.result.forward.arrays().items():
        assert np.array_equal(v, back.result.forward.arrays()[k]), k


def test_events_carry_what_changed():
    m = AppModel(SessionConfig(hidden=3, length=4))
    seen = events(m)
    m.set_options("gradient-flow", compare=True)
    m.set_options("gradient-flow", compare=True)  # no change, no event
    m.set_selection(unit=2)
    names = [n for n, _ in seen]
    assert names.count("options_changed") == 1
    assert ("options_changed", ("gradient-flow", m.options["gradient-flow"])) in seen
    assert "selection_changed" in names and "dirty_changed" in names
    assert not m.set_options("network", color_by="rainbow")  # refused, said, not raised
