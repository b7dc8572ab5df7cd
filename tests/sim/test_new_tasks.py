"""The new tasks: temperature, next-word (needs the future), reverse and sort (seq2seq)."""

import dataclasses

import numpy as np
import pytest

import sim
from sim import tasks

NEW = ["temperature", "next-word", "reverse", "sort"]


def test_kinds_and_registry():
    assert tasks.KINDS == ("many-to-one", "one-to-many", "many-to-many", "seq2seq")
    assert tasks.names()[-4:] == NEW
    kinds = {n: tasks.describe(n)[0] for n in NEW}
    assert kinds == {"temperature": "many-to-one", "next-word": "many-to-many",
                     "reverse": "seq2seq", "sort": "seq2seq"}
    for name in NEW:
        t = tasks.make(name)
        assert (t.kind, t.description) == tasks.describe(name)
        assert t.settings == {k: v[0] for k, v in tasks.SETTINGS[name].items()}


@pytest.mark.parametrize("name", NEW)
def test_samples_are_deterministic_read_only_and_shaped(name):
    t = tasks.make(name)
    T = t.default_length
    a, b = t.sample(T, seed=4), t.sample(T, seed=4)
    for x, y in [(a.xs, b.xs), (a.targets, b.targets), (a.loss_mask, b.loss_mask)]:
        assert x.tobytes() == y.tobytes() and not x.flags.writeable
    assert a.xs.tobytes() != t.sample(T, seed=5).xs.tobytes()
    assert a.xs.shape == (T, t.n_in) and (a.T_enc, a.T_dec) == (T, T)
    assert a.targets.shape == ((T,) if t.loss == "cross_entropy" else (T, t.n_out))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.targets = None


# -- temperature -----------------------------------------------------------------------------

def test_temperature_forecasts_the_temperature_horizon_hours_after_the_last_reading():
    T = 24
    t = tasks.make("temperature", noise=0.0, hours=96.0, horizon=4.0)  # one step of 4 h ahead
    longer = tasks.make("temperature", noise=0.0, hours=100.0, horizon=4.0)  # same 4 h steps
    for seed in range(5):
        s, s1 = t.sample(T, seed=seed), longer.sample(T + 1, seed=seed)
        np.testing.assert_allclose(s1.xs[:T], s.xs, atol=1e-12)  # the same weather, read on
        assert s.targets[-1, 0] == pytest.approx(s1.xs[T, 0], abs=1e-12)
    s = tasks.make("temperature").sample(T, seed=0)
    assert s.xs.shape == (T, 4) and s.loss_mask.tolist() == [0.0] * (T - 1) + [1.0]
    assert np.all(s.targets[:-1] == 0) and abs(s.targets[-1, 0]) < 3


def test_temperature_series_are_smooth_and_the_forecast_is_not_the_last_reading():
    t = tasks.make("temperature", noise=0.0)
    steps, changes = [], []
    for seed in range(20):
        s = t.sample(48, seed=seed)
        steps.append(np.abs(np.diff(s.xs, axis=0)).max())  # 2 h apart
        changes.append(abs(s.targets[-1, 0] - s.xs[-1, 0]))
    assert max(steps) < 0.6
    assert np.mean(changes) > 0.1
    with pytest.raises(ValueError, match="horizon"):
        tasks.make("temperature", horizon=0.5)


# -- next-word -------------------------------------------------------------------------------

def test_next_word_classes_follow_the_word_or_the_next_one():
    t = tasks.make("next-word", n_symbols=7)
    assert (t.n_in, t.n_out, t.kind) == (7, 2, "many-to-many")
    own = np.array([0, 1, 1, 1, 0, 0, 0])  # words 1-3 are names, 4-6 not (word 0: see next)
    counts = {"teddy": 0, "steps": 0, "name_after": 0}
    for seed in range(40):
        s = t.sample(15, seed=seed)
        words = s.xs.argmax(axis=1)
        teddy = words == 0
        assert np.all(s.xs.sum(axis=1) == 1) and not teddy[-1]
        assert not np.any(teddy[1:] & teddy[:-1])
        np.testing.assert_array_equal(s.targets[~teddy], own[words[~teddy]])
        after = np.flatnonzero(teddy) + 1
        np.testing.assert_array_equal(s.targets[teddy], own[words[after]])
        np.testing.assert_array_equal(t.future_dependent(s), teddy)
        assert np.all(s.loss_mask == 1)
        counts["teddy"] += teddy.sum()
        counts["steps"] += 15
        counts["name_after"] += s.targets[teddy].sum()
    assert 0.15 < counts["teddy"] / counts["steps"] < 0.35
    assert 0.35 < counts["name_after"] / counts["teddy"] < 0.65  # a coin toss without the future
    s = tasks.make("next-word", p_ambiguous=0.0).sample(30, seed=1)
    assert not t.future_dependent(s).any()


def test_next_word_needs_the_future():
    """A reader of the past alone is at chance on the ambiguous steps; one that sees x(t + 1)
    is perfect."""
    t = tasks.make("next-word")
    own = t._classes()
    past, both = [], []
    for s in t.batch(20, 50, seed=0):
        words = s.xs.argmax(axis=1)
        future = t.future_dependent(s)
        guess = own[words].copy()  # (T,) the word's own class; 0 for the ambiguous word
        seen = guess.copy()
        seen[future] = own[words[np.flatnonzero(future) + 1]]  # what the next word says
        past.append(t.accuracy(np.eye(2)[guess], s, steps=future))
        both.append(t.accuracy(np.eye(2)[seen], s, steps=future))
        assert t.accuracy(np.eye(2)[guess], s, steps=~future) == 1.0
    assert 0.35 < np.mean(past) < 0.65 and np.mean(both) == 1.0


# -- reverse and sort ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["reverse", "sort"])
def test_seq2seq_tasks_write_what_they_read(name):
    t = tasks.make(name, n_symbols=5)
    assert (t.kind, t.n_in, t.n_out, t.loss) == ("seq2seq", 5, 5, "cross_entropy")
    for T in (1, 4, 9):
        s = t.sample(T, seed=T)
        symbols = s.xs.argmax(axis=1)
        want = symbols[::-1] if name == "reverse" else np.sort(symbols)
        np.testing.assert_array_equal(s.targets, want)
        assert (s.T_enc, s.T_dec) == (T, T) and np.all(s.loss_mask == 1)
    assert t.max_length == 500  # T_enc + T_dec within the engine's 1000 steps
    with pytest.raises(ValueError, match="T must be <= 500"):
        t.sample(501)


def test_future_dependent_steps_of_reverse_and_sort():
    s = tasks.make("reverse").sample(5, seed=0)
    np.testing.assert_array_equal(tasks.make("reverse").future_dependent(s), [1, 1, 0, 0, 0])
    np.testing.assert_array_equal(tasks.make("sort").future_dependent(s), [1, 1, 1, 1, 0])
    for name in ("adding", "delayed-recall", "temperature", "generate"):
        t = tasks.make(name)
        assert not t.future_dependent(t.sample(t.default_length)).any()
    with pytest.raises(ValueError, match="sample"):
        tasks.make("sort").future_dependent("no sample")


def test_sequence_accuracy_and_steps():
    t = tasks.make("reverse", n_symbols=3)
    s = t.sample(4, seed=2)
    y = np.eye(3)[s.targets]  # (T_dec, O) perfect
    assert t.sequence_accuracy(y, s) == 1.0 and t.accuracy(y, s) == 1.0
    y[1] = np.eye(3)[(s.targets[1] + 1) % 3]
    assert t.sequence_accuracy(y, s) == 0.0 and t.accuracy(y, s) == 0.75
    on = np.array([True, False, True, True])
    assert t.accuracy(y, s, steps=on) == 1.0
    with pytest.raises(ValueError, match="steps"):
        t.accuracy(y, s, steps=[True, False])
    with pytest.raises(ValueError, match="among steps"):
        t.accuracy(y, s, steps=np.zeros(4, bool))


def test_a_seq2seq_model_reads_a_seq2seq_sample():
    t = tasks.make("sort", n_symbols=4)
    s = t.sample(5, seed=1)
    m = sim.Seq2Seq(t.n_in, 6, t.n_out, cell="gru", seed=0)
    tr = m.forward(s.xs, s.targets)
    assert tr.y_hat.shape == (s.T_dec, t.n_out) and tr.T == s.T_enc + s.T_dec
    bt = m.backward(tr, s.targets, loss_mask=s.loss_mask)
    assert 0.0 <= t.accuracy(tr.y_hat, s) <= 1.0 and bt.losses.shape == (s.T_dec,)


# -- training every model --------------------------------------------------------------------

MODELS = {
    "gru": lambda t: sim.GRU(t.n_in, 6, t.n_out, output=t.output, seed=0),
    "bi-rnn": lambda t: sim.BidirectionalRNN(t.n_in, 5, t.n_out, output=t.output, seed=0),
    "bi-lstm": lambda t: sim.BidirectionalRNN(t.n_in, 4, t.n_out, cell="lstm", peepholes=True,
                                              output=t.output, seed=0),
    "bi-gru": lambda t: sim.BidirectionalRNN(t.n_in, 4, t.n_out, cell="gru", output=t.output,
                                             seed=0),
    "s2s-lstm": lambda t: sim.Seq2Seq(t.n_in, 6, t.n_out, cell="lstm", seed=0),
    "s2s-rnn": lambda t: sim.Seq2Seq(t.n_in, 6, t.n_out, cell="rnn", seed=0),
}


@pytest.mark.parametrize("model,name,loss", [
    ("gru", "temperature", None), ("bi-rnn", "next-word", None), ("bi-lstm", "adding", None),
    ("bi-gru", "sign-of-sum", None), ("s2s-lstm", "reverse", None), ("s2s-rnn", "sort", "mse")])
def test_training_lowers_the_loss(model, name, loss):
    task = tasks.make(name)
    m = MODELS[model](task)
    T = 6
    kw = dict(n=8, loss=loss, teacher_forcing=True)
    before = sim.train.evaluate(m, task, T, **kw)[0]
    cfg = sim.train.TrainConfig(lr=0.03, batch_size=4, length=T, truncation=4, seed=1)
    trainer = sim.train.Trainer(m, task, cfg, loss=loss)
    for _ in range(25):
        trainer.step()
    assert sim.train.evaluate(m, task, T, **kw)[0] < before
    assert all(h.finite for h in trainer.history)


def test_a_trainer_update_is_the_teacher_forced_engine_update():
    task = tasks.make("reverse", n_symbols=3)
    m = sim.Seq2Seq(3, 5, 3, cell="gru", seed=0)
    cfg = sim.train.TrainConfig(optimizer="sgd", lr=0.1, clip=None, batch_size=1, length=4)
    trainer = sim.train.Trainer(m, task, cfg)
    (s,) = trainer.next_samples()
    before = {k: v.copy() for k, v in m.params.items()}
    bt = m.backward(m.forward(s.xs, s.targets), s.targets, loss_mask=s.loss_mask)
    trainer.step()
    for k in before:
        np.testing.assert_allclose(m.params[k], before[k] - 0.1 * bt.grads[k], atol=1e-14)


def test_evaluate_runs_a_seq2seq_decoder_free_unless_told():
    task = tasks.make("sort", n_symbols=3)
    m = sim.Seq2Seq(3, 4, 3, cell="lstm", seed=2)
    (s,) = task.batch(5, 1, seed=9)
    free = m.backward(m.forward(s.xs, steps=5), s.targets).loss
    forced = m.backward(m.forward(s.xs, s.targets), s.targets).loss
    assert sim.train.evaluate(m, task, 5, n=1, seed=9)[0] == pytest.approx(free)
    assert sim.train.evaluate(m, task, 5, n=1, seed=9, teacher_forcing=True)[0] == \
        pytest.approx(forced)
    assert free != forced
