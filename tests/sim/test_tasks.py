"""Tests for sim.tasks: each task keeps the promise of its kind, and the samples are right."""

import dataclasses
import re

import numpy as np
import pytest

from sim import tasks

ALL = tasks.names()


def perfect(t, s):
    """(T, n_out) predictions that are right wherever the loss counts."""
    if t.loss == "cross_entropy":
        return np.eye(t.n_out)[s.targets]  # (T, O) one-hot of the targets
    return np.array(s.targets, dtype=float)  # (T, O)


def wrong(t, s):
    """(T, n_out) predictions that are wrong at every step."""
    if t.loss == "cross_entropy":
        return np.eye(t.n_out)[(s.targets + 1) % t.n_out]  # (T, O) the next class
    return s.targets + 1.0  # (T, O) off by one


# -- registry --------------------------------------------------------------------------------


def test_names_and_describe():
    assert ALL == [
        "adding",
        "delayed-recall",
        "sine-forecast",
        "sign-of-sum",
        "generate",
        "char-text",
        "temperature",
        "next-word",
        "reverse",
        "sort",
    ]
    for name in ALL:
        kind, description = tasks.describe(name)
        t = tasks.make(name)
        assert (t.name, t.kind, t.description) == (name, kind, description)
        assert kind in tasks.KINDS
        assert description and "\n" not in description
        assert set(tasks.SETTINGS[name]) == set(t.settings)


def test_settings_table_defaults_build_and_are_in_range():
    for name, table in tasks.SETTINGS.items():
        for key, (default, lo, hi, help_text) in table.items():
            assert isinstance(help_text, str) and help_text
            if lo is not None:
                assert lo <= default <= hi, (name, key)
        assert tasks.make(name).settings == {k: v[0] for k, v in table.items()}


@pytest.mark.parametrize("name", ALL)
def test_shapes_dtypes_and_read_only(name):
    t = tasks.make(name)
    T = t.default_length
    assert t.min_length <= T <= t.max_length
    s = t.sample(T, seed=5)
    assert s.T == T
    assert s.xs.shape == (T, t.n_in) and s.xs.dtype == np.float64
    assert s.loss_mask.shape == (T,) and s.loss_mask.dtype == np.float64
    assert set(np.unique(s.loss_mask)) <= {0.0, 1.0}
    if t.loss == "cross_entropy":
        assert t.output == "softmax"
        assert s.targets.shape == (T,) and s.targets.dtype == np.int64
        assert s.targets.min() >= 0 and s.targets.max() < t.n_out
    else:
        assert (t.loss, t.output) == ("mse", "linear")
        assert s.targets.shape == (T, t.n_out) and s.targets.dtype == np.float64
    for arr in (s.xs, s.targets, s.loss_mask):
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.xs = np.zeros_like(s.xs)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.n_in = 99
    # settings is a copy: changing it cannot change the task
    t.settings["x"] = 1
    assert "x" not in t.settings


@pytest.mark.parametrize("name", ALL)
def test_kind_promise(name):
    t = tasks.make(name)
    for seed in range(5):
        s = t.sample(t.default_length, seed=seed)
        T = s.T
        if t.kind == "many-to-one":
            assert s.loss_mask.tolist() == [0.0] * (T - 1) + [1.0]
        elif t.kind == "one-to-many":
            assert np.all(s.loss_mask == 1.0)
            assert np.any(s.xs[0] != 0)
            assert np.all(s.xs[1:] == 0)
        else:
            assert s.loss_mask.sum() >= T - t.settings.get("delay", 0)
            assert s.loss_mask.sum() >= 0.5 * T


@pytest.mark.parametrize("name", ALL)
def test_reproducible_and_seed_dependent(name):
    t = tasks.make(name)
    T = t.default_length
    a, b = t.sample(T, seed=7), t.sample(T, seed=7)
    for x, y in [(a.xs, b.xs), (a.targets, b.targets), (a.loss_mask, b.loss_mask)]:
        assert x.tobytes() == y.tobytes()
    # a fresh task with the same settings gives the same sample too
    c = tasks.make(name, **t.settings).sample(T, seed=7)
    assert c.xs.tobytes() == a.xs.tobytes()
    # generate has only n_symbols distinct samples: look across several seeds
    others = [t.sample(T, seed=s).xs.tobytes() for s in range(8, 16)]
    assert any(o != a.xs.tobytes() for o in others)
    if name != "generate":
        assert t.sample(T, seed=8).xs.tobytes() != a.xs.tobytes()


@pytest.mark.parametrize("name", ALL)
def test_batch(name):
    t = tasks.make(name)
    T = t.default_length
    b = t.batch(T, 6, seed=3)
    assert len(b) == 6 and all(s.xs.shape == (T, t.n_in) for s in b)
    again = t.batch(T, 6, seed=3)
    assert all(x.xs.tobytes() == y.xs.tobytes() for x, y in zip(b, again, strict=True))
    assert [s.xs.tobytes() for s in t.batch(T, 2, seed=3)] == [s.xs.tobytes() for s in b[:2]]
    assert len({s.xs.tobytes() for s in b}) > 1
    assert t.batch(T, 6, seed=4)[0].xs.tobytes() != b[0].xs.tobytes() or name == "generate"


@pytest.mark.parametrize("name", ALL)
def test_accuracy_perfect_and_wrong(name):
    t = tasks.make(name)
    for s in t.batch(t.default_length, 4, seed=1):
        assert t.accuracy(perfect(t, s), s) == 1.0
        assert t.accuracy(wrong(t, s), s) == 0.0


def test_accuracy_counts_only_masked_steps_and_checks_shape():
    t = tasks.make("delayed-recall", delay=2, n_symbols=3)
    s = t.sample(6, seed=0)
    y = perfect(t, s).copy()
    y[:2] = np.eye(3)[(s.targets[:2] + 1) % 3]  # wrong only where the mask is 0
    assert t.accuracy(y, s) == 1.0
    y[2] = np.eye(3)[(s.targets[2] + 1) % 3]  # one of the 4 counted steps wrong
    assert t.accuracy(y, s) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="y_hat"):
        t.accuracy(np.zeros((6, 4)), s)
    with pytest.raises(ValueError, match="y_hat"):
        t.accuracy(np.zeros((5, 3)), s)


def test_regression_tolerances():
    t = tasks.make("adding")
    s = t.sample(10, seed=0)
    y = np.array(s.targets)
    y[-1] += 0.03
    assert t.accuracy(y, s) == 1.0
    y[-1] += 0.02
    assert t.accuracy(y, s) == 0.0
    t = tasks.make("sine-forecast")
    s = t.sample(20, seed=0)
    y = np.array(s.targets)
    y[-1] -= 0.09
    assert t.accuracy(y, s) == 1.0
    y[-1] -= 0.02
    assert t.accuracy(y, s) == 0.0


# -- each task's content ---------------------------------------------------------------------


@pytest.mark.parametrize("T", [2, 3, 4, 11, 50])
def test_adding_target_is_sum_of_marked_values(T):
    t = tasks.make("adding")
    for seed in range(20):
        s = t.sample(T, seed=seed)
        values, marker = s.xs[:, 0], s.xs[:, 1]
        assert np.all((values >= 0) & (values <= 1))
        marked = np.flatnonzero(marker)
        assert set(np.unique(marker)) <= {0.0, 1.0}
        assert len(marked) == 2 and marker.sum() == 2
        assert marked[0] < T // 2 and marked[1] > marked[0]
        assert s.targets[-1, 0] == pytest.approx(values[marked].sum(), abs=1e-15)
        assert np.all(s.targets[:-1] == 0)


def test_adding_second_marker_reaches_the_second_half():
    t = tasks.make("adding")
    seconds = {int(np.flatnonzero(t.sample(20, seed=s).xs[:, 1])[1]) for s in range(200)}
    assert max(seconds) >= 15 and min(seconds) <= 9


@pytest.mark.parametrize("delay, k", [(1, 2), (3, 4), (7, 16)])
def test_delayed_recall_targets_are_inputs_delay_steps_ago(delay, k):
    t = tasks.make("delayed-recall", delay=delay, n_symbols=k)
    assert (t.n_in, t.n_out) == (k, k)
    for T in (delay + 1, delay + 5, 60):
        s = t.sample(T, seed=T)
        assert np.all(s.xs.sum(axis=1) == 1)  # one-hot
        symbols = s.xs.argmax(axis=1)
        assert np.array_equal(s.targets[delay:], symbols[: T - delay])
        assert np.all(s.loss_mask[:delay] == 0) and np.all(s.loss_mask[delay:] == 1)


def test_delayed_recall_needs_T_longer_than_delay():
    t = tasks.make("delayed-recall", delay=5)
    assert t.min_length == 6 and t.default_length > 5
    with pytest.raises(ValueError, match="T must be >= 6"):
        t.sample(5)
    assert tasks.make("delayed-recall", delay=50).default_length > 50


def test_sine_forecast_target_continues_the_wave():
    t = tasks.make("sine-forecast", noise=0.0, period_min=10, period_max=10)
    s = t.sample(30, seed=2)
    x = s.xs[:, 0]
    # a pure sine of period 10 obeys x(t+1) = 2 cos(2 pi / 10) x(t) - x(t-1)
    c = 2 * np.cos(2 * np.pi / 10)
    assert np.allclose(x[2:], c * x[1:-1] - x[:-2])
    assert s.targets[-1, 0] == pytest.approx(c * x[-1] - x[-2])
    noisy = tasks.make("sine-forecast", noise=0.5).sample(200, seed=0)
    assert np.abs(noisy.xs).max() > 1.2
    assert abs(noisy.targets[-1, 0]) <= 1.0  # the target is the clean value


def test_sine_forecast_bad_period_range():
    with pytest.raises(ValueError, match="period_max"):
        tasks.make("sine-forecast", period_min=20, period_max=10)


def test_sign_of_sum_target_is_sign_of_sum():
    t = tasks.make("sign-of-sum")
    assert (t.n_in, t.n_out) == (1, 2)
    labels = []
    for seed in range(40):
        s = t.sample(7, seed=seed)
        assert s.targets[-1] == int(s.xs.sum() > 0)
        assert np.all(s.targets[:-1] == 0)
        labels.append(int(s.targets[-1]))
    assert 0 < sum(labels) < 40  # both classes occur


@pytest.mark.parametrize("k, step", [(4, 1), (5, 2), (26, 3)])
def test_generate_counts_up_from_start(k, step):
    t = tasks.make("generate", n_symbols=k, step=step)
    starts = set()
    for seed in range(30):
        s = t.sample(12, seed=seed)
        start = int(np.argmax(s.xs[0]))
        starts.add(start)
        assert s.xs[0].sum() == 1
        assert s.targets.tolist() == [(start + step * i) % k for i in range(12)]
    assert len(starts) > 1


def test_generate_step_must_be_below_n_symbols():
    with pytest.raises(ValueError, match="step"):
        tasks.make("generate", n_symbols=3, step=3)


def test_char_text_builtin_corpus():
    t = tasks.make("char-text")
    text = " ".join(tasks.corpus_path().read_text(encoding="utf-8").split())
    assert 3000 <= len(text) <= 6000
    assert t.vocabulary == "".join(sorted(set(text)))
    assert 20 <= len(t.vocabulary) <= 40
    assert re.fullmatch(r"[a-z .,?\-]+", t.vocabulary)
    assert (t.n_in, t.n_out) == (len(t.vocabulary),) * 2
    s = t.sample(40, seed=9)
    inputs = t.decode(s.xs.argmax(axis=1))
    following = t.decode(s.targets)
    assert inputs[1:] == following[:-1]
    assert inputs + following[-1] in text
    assert np.all(s.loss_mask == 1)


def test_char_text_encode_decode_roundtrip_and_errors():
    t = tasks.make("char-text")
    codes = t.encode("a recurrent network")
    assert codes.dtype == np.int64 and codes.shape == (19,)
    assert t.decode(codes) == "a recurrent network"
    assert t.decode([]) == ""
    with pytest.raises(ValueError, match="vocabulary"):
        t.encode("Hello!")
    with pytest.raises(ValueError, match="indices"):
        t.decode([0, len(t.vocabulary)])
    with pytest.raises(ValueError, match="indices"):
        t.decode(np.zeros((2, 2), dtype=int))


def test_char_text_user_text():
    t = tasks.make("char-text", text="abcabcabcx")
    assert t.vocabulary == "abcx"
    assert t.max_length == 9 and t.default_length == 9
    s = t.sample(9, seed=0)
    assert t.decode(s.xs.argmax(axis=1)) == "abcabcabc"
    assert t.decode(s.targets) == "bcabcabcx"
    with pytest.raises(ValueError, match="T must be <= 9"):
        t.sample(10)
    with pytest.raises(ValueError, match="text"):
        tasks.make("char-text", text="a")
    with pytest.raises(ValueError, match="text"):
        tasks.make("char-text", text=42)
    assert "characters" in repr(t) and "abcabc" not in repr(t)


# -- bad input -------------------------------------------------------------------------------


def test_unknown_task_name():
    with pytest.raises(ValueError, match="name"):
        tasks.make("translate")
    with pytest.raises(ValueError, match="name"):
        tasks.describe("translate")


@pytest.mark.parametrize(
    "name, settings, word",
    [
        ("adding", {"delay": 3}, "delay"),
        ("delayed-recall", {"dealy": 3}, "dealy"),
        ("delayed-recall", {"delay": 0}, "delay"),
        ("delayed-recall", {"delay": 51}, "delay"),
        ("delayed-recall", {"delay": 2.5}, "delay"),
        ("delayed-recall", {"delay": True}, "delay"),
        ("delayed-recall", {"n_symbols": 1}, "n_symbols"),
        ("delayed-recall", {"n_symbols": 17}, "n_symbols"),
        ("sine-forecast", {"noise": -0.1}, "noise"),
        ("sine-forecast", {"noise": float("nan")}, "noise"),
        ("sine-forecast", {"noise": "lots"}, "noise"),
        ("sine-forecast", {"period_min": 1.0}, "period_min"),
        ("generate", {"n_symbols": 1}, "n_symbols"),
    ],
)
def test_bad_settings_name_the_setting(name, settings, word):
    with pytest.raises(ValueError, match=word):
        tasks.make(name, **settings)


def test_settings_accept_numpy_and_int_for_float():
    t = tasks.make("delayed-recall", delay=np.int64(4))
    assert t.settings["delay"] == 4 and type(t.settings["delay"]) is int
    t = tasks.make("sine-forecast", noise=0, period_min=np.float32(5))
    assert t.settings["noise"] == 0.0 and isinstance(t.settings["period_min"], float)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("T", [0, -3, 1001, 2.0, "10", None])
def test_bad_length_names_T(name, T):
    t = tasks.make(name)
    with pytest.raises(ValueError, match="T must"):
        t.sample(T)
    with pytest.raises(ValueError, match="T must"):
        t.batch(T, 2)


def test_length_cap_is_in_the_message():
    with pytest.raises(ValueError, match="1000"):
        tasks.make("adding").sample(1001)
    assert tasks.make("adding").sample(1000).xs.shape == (1000, 2)


def test_adding_needs_two_steps():
    with pytest.raises(ValueError, match="T must be >= 2"):
        tasks.make("adding").sample(1)


def test_bad_seed_and_batch_size():
    t = tasks.make("sign-of-sum")
    with pytest.raises(ValueError, match="seed"):
        t.sample(5, seed=-1)
    with pytest.raises(ValueError, match="seed"):
        t.sample(5, seed=1.5)
    with pytest.raises(ValueError, match="n must"):
        t.batch(5, 0)
    with pytest.raises(ValueError, match="sample"):
        t.accuracy(np.zeros((5, 2)), "not a sample")
    with pytest.raises(ValueError, match="inputs per step"):
        t.accuracy(np.zeros((5, 2)), tasks.make("adding").sample(5))
