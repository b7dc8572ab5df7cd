"""--train N: checked first, trains in-process with the session's settings, reports progress,
stops cleanly on a signal, and hands the trained session (weights and curves) on."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import main
from gui.model import session_file
from sim.run import SessionConfig

ROOT = Path(__file__).resolve().parents[2]


def run_main(argv, capsys):
    code = main.main(argv)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "s.json"
    session_file.save(path, session_file.Session(config=SessionConfig(model="SimpleRNN",
                                                                      hidden=3, length=6)))
    return path


@pytest.mark.parametrize("argv,word", [
    (["--train", "0", "--summary"], "--train must be a whole number of updates in 1..1,000,000"),
    (["--train", "-5", "--summary"], "got '-5'"),
    (["--train", "1000001", "--summary"], "1..1,000,000"),
    (["--train", "2.5", "--summary"], "got '2.5'"),
    (["--train", "many", "--summary"], "got 'many'"),
    (["--train", "5", "--list-views"], "--train trains a session; it does not apply to "
                                       "--list-views"),
    (["--train", "5", "--list-presets"], "does not apply to --list-presets"),
    (["--train", "500000", "--export", "{d}/missing/o.png"], "does not exist"),
    (["--train", "500000", "--export", "{d}/o.jpg"], "must end in .png or .svg"),
    (["--train", "500000", "--view", "nope", "--export", "{d}/o.png"], "unknown view 'nope'"),
])
def test_bad_input_fails_at_once_with_one_line(argv, word, tmp_path, capsys):
    before = set(tmp_path.iterdir())
    t0 = time.monotonic()
    code, _, err = run_main([a.replace("{d}", str(tmp_path)) for a in argv], capsys)
    assert time.monotonic() - t0 < 10  # refused before 500,000 updates, not after
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("unfold: error: ") and word in lines[0], lines[0]
    assert set(tmp_path.iterdir()) == before


def test_train_then_summary_shows_the_trained_model(capsys, small):
    code, before, _ = run_main(["--session", str(small), "--summary"], capsys)
    assert code == 0
    code, after, err = run_main(["--session", str(small), "--train", "40", "--summary"], capsys)
    assert code == 0
    assert after != before and after.splitlines()[0] == before.splitlines()[0]
    # progress: not a terminal, so whole lines, ending with the last one
    last = err.strip().splitlines()[-1]
    assert "40 / 40 updates" in last and "updates/s" in last and "mean loss of the last 40" in last
    assert "\r" not in err


def test_training_uses_the_sessions_settings_and_its_history_carries_on(tmp_path, small):
    from gui import cli
    from gui.model.training import headless

    args = main.build_parser().parse_args(["--session", str(small), "--train", "25"])
    session = cli.resolve_session(args)
    trained = cli.train(args, session)
    h = trained.options["training-history"].single
    assert h.models[0].updates == 25 and len(h.series[0]["update"]) == 25
    assert h.training.lr == session.config.lr and h.training.clip == session.config.clip
    assert h.training.length == session.config.length
    assert not all(np.array_equal(trained.params[k], v)
                   for k, v in headless.session_run(session).trainers[0].params_copy().items())
    # saved and trained again: the curves go on from update 26
    path = tmp_path / "t.json"
    session_file.save(path, trained)
    args = main.build_parser().parse_args(["--session", str(path), "--train", "5"])
    again = cli.train(args, cli.resolve_session(args))
    u = again.options["training-history"].single.series[0]["update"]
    assert u[-1] == 30 and len(u) == 30


def test_chunks_with_a_model_that_cannot_carry_its_state_are_refused(tmp_path, capsys):
    path = tmp_path / "bi.json"
    session = session_file.Session(config=SessionConfig(model="BidirectionalRNN", hidden=3,
                                                        length=6),
                                   options={"training": {"chunk": 3}})
    session_file.save(path, session)
    code, _, err = run_main(["--session", str(path), "--train", "5", "--summary"], capsys)
    assert code == 2 and "chunk" in err and "Traceback" not in err


def test_the_training_export_draws_the_trained_curves(tmp_path, capsys, small):
    from PIL import Image

    curve = np.array([0xE6, 0x9F, 0x00])  # the SimpleRNN's orange

    def curve_pixels(path):
        a = np.asarray(Image.open(path).convert("RGB")).astype(int)
        return int((np.abs(a - curve).sum(axis=2) < 40).sum())

    empty, full = tmp_path / "empty.png", tmp_path / "full.png"
    assert run_main(["--session", str(small), "--view", "training", "--export", str(empty)],
                    capsys)[0] == 0
    assert run_main(["--session", str(small), "--train", "60", "--view", "training",
                     "--export", str(full)], capsys)[0] == 0
    assert curve_pixels(empty) == 0
    assert curve_pixels(full) > 500


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_training_stops_between_updates_and_writes_nothing(sig, tmp_path):
    out = tmp_path / "t.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.Popen([sys.executable, "main.py", "--train", "1000000", "--view", "training",
                          "--export", str(out)], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                         text=True)
    # wait until it is training (its first progress line, a second into the updates), not a
    # fixed 3 s: idle on a quiet machine, and perhaps still starting up on a busy one
    err = ""
    for line in p.stderr:
        err += line
        if line.startswith("training "):
            break
    p.send_signal(sig)
    p.wait(timeout=30)  # its last lines are a few hundred bytes: the pipe holds them meanwhile
    with p.stderr:
        err += p.stderr.read()  # the same buffered reader: nothing read ahead is lost
    assert p.returncode == {signal.SIGINT: 130, signal.SIGTERM: 143}[sig], err
    assert "Traceback" not in err
    assert "training stopped after" in err and "of 1,000,000 updates" in err
    assert list(tmp_path.iterdir()) == []


def test_help_shows_train_with_examples(capsys):
    with pytest.raises(SystemExit):
        main.main(["--help"])
    text = capsys.readouterr().out
    assert "--train N" in text and text.count("--train ") >= 3


def test_the_window_opens_on_the_trained_session_as_unsaved_work(monkeypatch, capsys, small):
    from gui import app as gui_app
    from gui.model.app_model import from_session

    seen = {}

    def fake_window(session=None, **kw):
        seen.update(kw, session=session)
        return 0

    monkeypatch.setattr(gui_app, "run_window", fake_window)
    assert run_main(["--session", str(small), "--train", "3"], capsys)[0] == 0
    assert seen["unsaved"] is True
    assert seen["session"].options["training-history"].single.models[0].updates == 3
    app = from_session(seen["session"])
    assert not app.dirty
    gui_app.mark_unsaved(app)
    assert app.dirty  # closing the window asks before the trained model is lost
    assert app.options["training-history"].single.models[0].updates == 3
    assert run_main(["--session", str(small)], capsys)[0] == 0
    assert seen["unsaved"] is False
