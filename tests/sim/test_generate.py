"""Sampling from a model: seeded, temperature-controlled, within the task's symbols."""

import numpy as np
import pytest

from sim import tasks
from sim.generate import generate, probabilities, supports
from sim.lstm import LSTM
from sim.rnn import SimpleRNN


@pytest.fixture(scope="module")
def char():
    return tasks.make("char-text")


def model_for(task, kind=LSTM, seed=0):
    return kind(task.n_in, 5, task.n_out, output="softmax", seed=seed)


def test_probabilities_follow_the_temperature():
    r = np.array([1.0, 2.0, 0.5])
    p1 = probabilities(r, 1.0)
    np.testing.assert_allclose(p1, np.exp(r) / np.exp(r).sum())
    np.testing.assert_allclose(probabilities(r, 0.5), np.exp(2 * r) / np.exp(2 * r).sum())
    np.testing.assert_array_equal(probabilities(r, 0.0), [0.0, 1.0, 0.0])  # argmax
    hot = probabilities(r, 10.0)
    assert hot.max() - hot.min() < p1.max() - p1.min()  # flatter
    np.testing.assert_allclose(probabilities(np.array([np.nan, 1.0]), 1.0), [0.5, 0.5])


def test_char_text_is_seeded_and_in_the_vocabulary(char):
    m = model_for(char)
    a = generate(m, char, 40, temperature=1.0, seed=3, context=12)
    b = generate(m, char, 40, temperature=1.0, seed=3, context=12)
    c = generate(m, char, 40, temperature=1.0, seed=4, context=12)
    np.testing.assert_array_equal(a.indices, b.indices)
    assert a.text == b.text != c.text
    assert len(a.text) == 40 and set(a.text) <= set(char.vocabulary)
    assert a.prime == char.text[0] and a.targets is None and a.correct is None
    assert a.text == char.decode(a.indices)


def test_char_text_feeds_each_sample_back(char):
    # greedy sampling: each character is the argmax of the model run on the text so far
    m = model_for(char, SimpleRNN)
    g = generate(m, char, 6, temperature=0.0, prime="th")
    codes = list(char.encode("th"))
    eye = np.eye(char.n_in)
    for k in range(6):
        r = m.forward(eye[codes]).readout[-1]
        assert g.indices[k] == int(np.argmax(r))
        codes.append(int(g.indices[k]))
    # a context as long as the whole text changes nothing
    np.testing.assert_array_equal(generate(m, char, 6, temperature=0.0, prime="th",
                                           context=100).indices, g.indices)


def test_generate_task_samples_each_step_and_scores_the_count():
    task = tasks.make("generate", n_symbols=5, step=2)
    m = model_for(task)
    g = generate(m, task, 8, temperature=0.0, prime=3)
    xs = np.zeros((8, 5))
    xs[0, 3] = 1.0
    np.testing.assert_array_equal(g.indices, np.argmax(m.forward(xs).readout, axis=1))
    np.testing.assert_array_equal(g.targets, (3 + 2 * np.arange(8)) % 5)
    assert g.correct == pytest.approx(np.mean(g.indices == g.targets))
    assert g.text == " ".join(str(int(s)) for s in g.indices) and g.prime == "3"


def test_temperature_spreads_the_symbols():
    task = tasks.make("generate", n_symbols=6)
    m = model_for(task)
    cold = generate(m, task, 300, temperature=0.0, seed=1, prime=0)
    hot = generate(m, task, 300, temperature=5.0, seed=1, prime=0)
    assert len(set(hot.indices.tolist())) > len(set(cold.indices[50:].tolist()))


def test_bad_arguments_are_named(char):
    m = model_for(char)
    assert supports(char) and not supports(tasks.make("adding"))
    with pytest.raises(ValueError, match="task"):
        generate(m, tasks.make("adding"), 5)
    with pytest.raises(ValueError, match="temperature"):
        generate(m, char, 5, temperature=-1)
    with pytest.raises(ValueError, match="n"):
        generate(m, char, 0)
    with pytest.raises(ValueError, match="vocabulary"):
        generate(m, char, 5, prime="\u00e9\u00e9")
    with pytest.raises(ValueError, match="prime"):
        generate(model_for(tasks.make("generate")), tasks.make("generate"), 5, prime=9)
    with pytest.raises(ValueError, match="does not fit"):
        generate(LSTM(3, 4, 3, seed=0), char, 5)
