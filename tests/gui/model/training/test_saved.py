"""Training history in session files: written, read back, capped, checked field by field, and
carried on from."""

import copy
import json

import numpy as np
import pytest

from gui.model import session_file
from gui.model.training import headless
from gui.model.training.history import METRICS, Run, Series
from gui.model.training.saved import (
    MAX_POINTS,
    SavedRun,
    TrainingHistory,
    kept_points,
    weights_hash,
)
from gui.model.training.settings import TrainingSettings
from sim.run import SessionConfig

BASE = SessionConfig(model="SimpleRNN", hidden=3, length=6)


def trained(n=5, session=None):
    session = session or session_file.Session(config=BASE)
    run = headless.session_run(session)
    for _ in range(n):
        headless.step(run)
    return headless.trained_session(session, run), run


def roundtrip(session):
    return session_file.loads(session_file.dumps(session))


def test_save_then_load_gives_the_same_arrays_and_non_finite_values_as_nan():
    session, run = trained(7)
    s = run.series[0]
    s._data[1, 2] = np.inf  # a loss that overflowed
    s._data[3, 4] = np.nan  # a norm that did too
    session = headless.trained_session(session_file.Session(config=BASE), run)
    text = session_file.dumps(session)
    assert "null" in text
    back = session_file.loads(text)
    h = back.options["training-history"]
    assert h.compare is None and h.single.models[0].updates == 7
    a, b = s.arrays(), h.single.series[0]
    for name in METRICS:
        want = np.asarray(a[name], dtype=float)
        want = np.where(np.isfinite(want), want, np.nan)
        np.testing.assert_array_equal(b[name], want, err_msg=name)
    assert np.isnan(b["loss"][2]) and np.isnan(b["norm_before"][4])
    assert h.single.training == run.train_config and h.single.config == BASE
    assert h.single.weights == weights_hash(back.params)
    # the session's weights come back too, exactly
    for k, v in session.params.items():
        np.testing.assert_array_equal(back.params[k], v)


def test_each_series_keeps_at_most_the_limit_with_first_last_and_totals():
    n = 3 * MAX_POINTS + 17
    series = Series("SimpleRNN (H = 3)", "SimpleRNN")
    rows = np.zeros((n, len(METRICS)))
    rows[:, 0] = np.arange(1, n + 1)
    rows[:, 1] = np.linspace(5, 1, n)
    rows[::3, 5] = 1  # every third update clipped
    rows[:, 6] = 1
    series.extend(rows)
    run = Run("single", BASE, [headless.session_run(session_file.Session(config=BASE))
                               .trainers[0]], [series.label], n, key=None)
    run.series[0] = series
    saved = SavedRun.from_run(run, "abc")
    u = saved.series[0]["update"]
    assert len(u) == MAX_POINTS and u[0] == 1 and u[-1] == n
    gaps = np.diff(u)
    assert gaps.min() >= 3 and gaps.max() <= 4  # evenly spread
    assert saved.models[0].updates == n and saved.models[0].clipped == (n + 2) // 3
    assert saved.points_left_out
    back = TrainingHistory.from_dict(json.loads(json.dumps(
        TrainingHistory(single=saved).to_dict())))
    again = Series("x", "SimpleRNN")
    back.single.fill([again])
    assert len(again) == MAX_POINTS and again.updates == n
    assert again.clipped_left_out + int(again.arrays()["clipped"].sum()) == (n + 2) // 3
    assert list(kept_points(5)) == [0, 1, 2, 3, 4]


def _good():
    session, _ = trained(4)
    return json.loads(session_file.dumps(session))


def _set(d, path, value):
    *head, last = path
    for k in head:
        d = d[k]
    if value is KeyError:
        del d[last]
    else:
        d[last] = value


H = ("options", "training-history")
S = H + ("single",)
BAD = [
    (S + ("series", 0, "loss", 1), "x", "training-history.single.series[0].loss[1]"),
    (S + ("series", 0, "loss"), "nope", "training-history.single.series[0].loss"),
    (S + ("series", 0, "clipped", 0), 2, "training-history.single.series[0].clipped[0]"),
    (S + ("series", 0, "finite", 0), "yes", "training-history.single.series[0].finite[0]"),
    (S + ("series", 0, "update", 0), 0, "training-history.single.series[0].update[0]"),
    (S + ("series", 0, "update", 2), 1, "training-history.single.series[0].update"),
    (S + ("series", 0, "accuracy"), [0.5], "training-history.single.series[0].accuracy"),
    (S + ("series", 0, "norm_before"), KeyError, "training-history.single.series[0]"
                                                 ".norm_before"),
    (S + ("series", 0, "extra"), [], "training-history.single.series[0]"),
    (S + ("series",), [], "training-history.single.series"),
    (S + ("models", 0, "updates"), -1, "training-history.single.models[0].updates"),
    (S + ("models", 0, "updates"), 2, "training-history.single.series[0]"),
    (S + ("models", 0, "label"), 7, "training-history.single.models[0].label"),
    (S + ("models", 0, "config", "hidden"), "six", "training-history.single.models[0].config"),
    (S + ("training", "lr"), -1.0, "training-history.single.training"),
    (S + ("training", "optimizer"), "rmsprop", "training-history.single.training"),
    (S + ("total",), 1.5, "training-history.single.total"),
    (S + ("weights",), 12, "training-history.single.weights"),
    (S + ("config",), "LSTM", "training-history.single.config"),
    (H + ("other",), None, "training-history"),
    (H, [], "training-history"),
]


@pytest.mark.parametrize("path,value,names", BAD, ids=[str(i) for i in range(len(BAD))])
def test_a_bad_history_is_refused_naming_the_field(path, value, names):
    d = _good()
    _set(d, path, value)
    with pytest.raises(ValueError) as info:
        session_file.from_dict(copy.deepcopy(d))
    assert names in str(info.value)


def test_a_good_history_loads_and_null_runs_are_no_runs():
    d = _good()
    assert session_file.from_dict(copy.deepcopy(d)).options["training-history"].single
    d["options"]["training-history"]["single"] = None
    assert session_file.from_dict(d).options["training-history"].single is None


def test_reopening_carries_on_when_the_weights_are_the_runs():
    session, run = trained(6)
    back = roundtrip(session)
    again = headless.session_run(back)
    assert again.done == 6 and again.trainers[0].count == 6
    assert again.trainers[0].drawn == run.trainers[0].drawn  # the next samples are new ones
    headless.step(again)
    s = headless.trained_session(back, again)
    assert s.options["training-history"].single.models[0].updates == 7
    np.testing.assert_array_equal(s.options["training-history"].single.series[0]["update"],
                                  np.arange(1, 8))
    # other weights (the seeded ones): a new run
    fresh = session_file.Session(config=BASE, options=back.options)
    assert headless.session_run(fresh).done == 0
    # other training settings: a new run
    other = dict(back.options)
    other["training"] = TrainingSettings(batch_size=2)
    assert headless.session_run(session_file.Session(config=BASE, params=back.params,
                                                     options=other)).done == 0


def test_a_session_file_with_a_long_history_stays_small():
    session, run = trained(1)
    s = run.series[0]
    rows = np.tile(np.array(list(s.arrays()["update"][:1]) + [1.0] * 6), (MAX_POINTS, 1))
    rows[:, 0] = np.arange(2, MAX_POINTS + 2)
    s.extend(rows)
    session = headless.trained_session(session_file.Session(config=BASE), run)
    text = session_file.dumps(session)
    assert len(text) < 1_500_000  # number lists on one line each
    assert session_file.loads(text).options["training-history"].single.models[0].updates == (
        MAX_POINTS + 1)
