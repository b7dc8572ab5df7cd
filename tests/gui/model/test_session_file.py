"""Session files: round trip, validation of every field, atomic save, presets."""

import json

import numpy as np
import pytest

from gui.model import session_file as session_io
from gui.model.session_file import Session
from gui.model.training.settings import TrainingSettings
from sim.run import SessionConfig, compute


def trained_session():
    cfg = SessionConfig(model="SimpleRNN", hidden=3, length=7, truncation=2, seed=4)
    r = compute(cfg)
    params = {k: np.asarray(v) * 1.5 for k, v in r.forward.params.items()}
    return Session(config=cfg, params=params, view="network", cursor="backward:3",
                   options={"training": TrainingSettings(optimizer="adam", batch_size=4)},
                   theme="dark")


def test_round_trip_gives_identical_traces(tmp_path):
    s = trained_session()
    path = tmp_path / "s.json"
    session_io.save(path, s)
    back = session_io.load(path)
    assert back.config == s.config
    assert back.view == "network" and back.cursor == "backward:3" and back.theme == "dark"
    assert back.options["training"] == s.options["training"]
    a, b = compute(s.config, s.params), compute(back.config, back.params)
    for k, v in a.forward.arrays().items():
        assert np.array_equal(v, b.forward.arrays()[k]), k
    for k in a.backward.grads:
        assert np.array_equal(a.backward.grads[k], b.backward.grads[k])


def test_atomic_save_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    session_io.save(path, trained_session())
    before = path.read_text()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(session_io.os, "replace", boom)
    with pytest.raises(OSError):
        session_io.save(path, Session(config=SessionConfig(hidden=5)))
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary left behind


def valid():
    return session_io.to_dict(trained_session())


@pytest.mark.parametrize("mutate,word", [
    (lambda d: d.update(version=3), "version 3 is not supported"),
    (lambda d: d.pop("format"), "not an Unfold session"),
    (lambda d: d.pop("config"), "no config"),
    (lambda d: d.update(extra=1), "unknown field"),
    (lambda d: d["config"].update(hidden=10**8), "hidden must be <= 64"),
    (lambda d: d["config"].update(hidden="six"), "hidden must be an integer"),
    (lambda d: d["config"].update(model="Hopfield"), "model must be one of"),
    (lambda d: d["config"].update(task="chess"), "task must be one of"),
    (lambda d: d["config"].update(colour="red"), "unknown session field"),
    (lambda d: d["config"].update(lr=-1), "lr must be"),
    (lambda d: d["weights"].pop("W"), "missing"),
    (lambda d: d["weights"].update(W=[[1.0]]), r"weights\['W'\] must have shape"),
    (lambda d: d["weights"]["W"][0].__setitem__(0, "x"), "must be numbers"),
    (lambda d: d.update(cursor="sideways:3"), "phase must be one of"),
    (lambda d: d.update(cursor="forward:99"), "step must be in 1..7"),
    (lambda d: d.update(theme="pink"), "theme"),
    (lambda d: d["options"]["training"].update(optimizer="rmsprop"), "training.optimizer"),
    (lambda d: d["options"]["training"].update(temperature="hot"),
     "training.temperature must be a number"),
    (lambda d: d["options"]["training"].update(momentum=0.9), "unknown training field"),
])
def test_every_field_is_validated(mutate, word):
    d = valid()
    mutate(d)
    with pytest.raises(ValueError, match=word):
        session_io.from_dict(json.loads(json.dumps(d)))


def test_malformed_and_truncated_files(tmp_path):
    text = session_io.dumps(trained_session())
    for bad in (text[: len(text) // 2], "{", "", "[1, 2]", "null"):
        p = tmp_path / "bad.json"
        p.write_text(bad)
        with pytest.raises(ValueError):
            session_io.load(p)
    with pytest.raises(ValueError, match="no such session file"):
        session_io.load(tmp_path / "missing.json")


def test_every_preset_loads_and_computes():
    names = session_io.preset_names()
    for required in ("simple-rnn-forward", "bptt-colours", "vanishing-gradients",
                     "exploding-and-clipping", "lstm-highway", "peepholes", "truncated-bptt",
                     "curse-of-dimensionality", "same-parameters"):
        assert required in names
    for name in names:
        s = session_io.load_preset(name)
        assert s.title and s.caption.count(".") >= 2, name  # a title and two sentences
        r = compute(s.config, s.params)
        # a Seq2Seq run's one time axis holds the encoder's steps, then the decoder's
        steps = 2 * s.config.length if s.config.model == "Seq2Seq" else s.config.length
        assert r.T == steps, name
    with pytest.raises(ValueError, match="unknown preset 'nope'; presets: "):
        session_io.load_preset("nope")


def test_a_session_with_every_section_filled_round_trips_exactly():
    """Issue 14: every option section, changed from its default, the trained weights and a
    training history survive save and open exactly."""
    from gui.model.app_model import AppModel
    from gui.model.options import SECTIONS
    from gui.model.training import headless

    app = AppModel(SessionConfig(model="LSTM", hidden=3, length=6, clip=2.0))
    app.compute_now()
    changes = {"network": {"color_by": "step", "gate": "f", "split": True},
               "geometry": {"D": 7, "seed": 3}, "geometry-panel": {"layout": "grid"},
               "training": {"optimizer": "momentum", "n_updates": 3},
               "gradient-flow": {"compare": True}, "folded": {"unroll": True},
               "landscape": {"mode": "line"}, "chain-rule": {"example": "n", "n": 5},
               "equations": {"pinned": "c"}}
    for section, fields in changes.items():
        assert app.set_options(section, **fields), (section, app.error)
    run = headless.session_run(app.snapshot())
    for _ in range(3):
        headless.step(run)
    trained = headless.trained_session(app.snapshot(), run)
    app.restore(trained)
    snap = app.snapshot()
    assert set(snap.options) >= set(SECTIONS) - {"dense"}
    text = session_io.dumps(snap)
    back = session_io.loads(text)
    assert session_io.dumps(back) == text  # byte for byte
    assert back.config == snap.config
    for section, fields in changes.items():
        for name, value in fields.items():
            assert getattr(back.options[section], name) == value, (section, name)
    assert back.options["training-history"].single is not None  # the run came back too
    for name, w in snap.params.items():
        np.testing.assert_array_equal(back.params[name], w)
