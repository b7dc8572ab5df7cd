"""The doors between a file, a path or a signal and the engine: every bad session file, path and
combination of options is one line on stderr and exit status 2 with nothing written; an
interrupted export stops, exits 130 or 143 and leaves no stray file."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import main
from gui.model import session_file
from gui.model.session_file import Session
from sim.run import SessionConfig

ROOT = Path(__file__).resolve().parents[2]


def good_session() -> dict:
    return session_file.to_dict(Session(config=SessionConfig(hidden=3, length=6)))


def with_section(section, values):
    def mutate(d):
        d.setdefault("options", {})[section] = values
    return mutate


#: (mutation of a valid session file, words the one line must hold): the issue's cases and the
#: classes they stand for
BAD_SESSIONS = [
    (with_section("geometry", {"D": -1}), "geometry.D must be an integer in 1..10000, got -1"),
    (with_section("geometry", {"D": "x"}), "geometry.D must be an integer"),
    (with_section("geometry", {"D": 1e9}), "geometry.D must be an integer in 1..10000"),
    (with_section("geometry", {"sampler": {}}), "geometry.sampler must be one of"),
    (with_section("geometry", {"n_pairs": 1000000000}), "geometry.n_pairs must be an integer"),
    (with_section("geometry", {"eps": float("nan")}), "geometry.eps must be a number"),
    (with_section("geometry", {"seed": -1}), "geometry.seed must be an integer"),
    (with_section("geometry", {"angle_dims": 5}), "geometry.angle_dims must be a list"),
    (with_section("gradient-flow", {"threshold": "x"}), "unknown gradient-flow field"),
    (with_section("gradient-flow", []), "gradient-flow must be an object"),
    (with_section("gradient-flow", {"compare": "yes"}), "gradient-flow.compare must be true"),
    (with_section("training", {"n_updates": float("inf")}), "training.n_updates must be an"),
    (with_section("training", {"temperature": "hot"}), "training.temperature must be a number"),
    (with_section("geometry-distances", {"n_points": 1000000000}), "options.geometry-distances"),
    (with_section("landscape", {"start": [1]}), "landscape.start must be a pair"),
    (with_section("network", {"gate": "q"}), "network.gate must be one of"),
    (lambda d: d.update(options=[]), "options must be an object"),
    (lambda d: d["config"].update(lr=float("nan")), "lr must be a number > 0"),
    (lambda d: d["config"].update(clip_mode="sometimes"), "clip_mode must be one of"),
    (lambda d: d.update(version=99), "written by a newer Unfold"),
]


@pytest.mark.parametrize("mutate,words", BAD_SESSIONS)
def test_the_session_reader_names_the_first_bad_field(mutate, words):
    d = good_session()
    mutate(d)
    with pytest.raises(ValueError) as exc:
        session_file.loads(json.dumps(d, allow_nan=True))
    assert words in str(exc.value), str(exc.value)


def run_cli(argv, capsys):
    code = main.main(argv)
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.strip()], err


def assert_refused(code, lines, err, words):
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("unfold: error: ") and words in lines[0], lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize("mutate,words", BAD_SESSIONS[::2])
def test_bad_session_files_on_the_command_line(mutate, words, tmp_path, capsys):
    d = good_session()
    mutate(d)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(d, allow_nan=True))
    before = set(tmp_path.iterdir())
    code, lines, err = run_cli(["--session", str(path), "--export",
                                str(tmp_path / "o.png")], capsys)
    assert_refused(code, lines, err, words)
    assert set(tmp_path.iterdir()) == before


def test_deeply_nested_json_is_one_line(tmp_path, capsys):
    deep = "[" * 100_000 + "]" * 100_000
    text = json.dumps(good_session()).replace('"network"', '"network"', 1)
    text = text[:-1] + f', "view": {deep}}}'
    path = tmp_path / "deep.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="nested too deeply"):
        session_file.load(path)
    code, lines, err = run_cli(["--session", str(path), "--summary"], capsys)
    assert_refused(code, lines, err, "nested too deeply")


@pytest.mark.parametrize("target,words", [
    ("{d}/" + "x" * 280 + ".png", "cannot write"),
    ("{d}/" + "x" * 245 + ".png", "longer than the folder allows"),
    ("/proc/unfold-figure.png", "cannot write"),
    ("{d}/o.png/", "ends in a slash"),
    ("{d}/missing/o.png", "does not exist"),
    ("{d}/o.txt", "must end in .png or .svg"),
])
def test_bad_paths_are_one_line(target, words, tmp_path, capsys):
    before = set(tmp_path.iterdir())
    code, lines, err = run_cli(["--export", target.replace("{d}", str(tmp_path))], capsys)
    assert_refused(code, lines, err, words)
    assert set(tmp_path.iterdir()) == before


def test_a_failed_write_is_one_line_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    import errno

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)  # the disk fills as the file is put in place
    code, lines, err = run_cli(["--export", str(tmp_path / "o.png"), "--width", "300"], capsys)
    assert_refused(code, lines, err, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_standard_output_on_a_full_device_is_an_error():
    r = subprocess.run(f"{sys.executable} main.py --list-presets > /dev/full", shell=True,
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "No space left" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("argv,words", [
    (["--export", "{d}/a.png", "--export-all", "{d}"], "conflict"),
    (["--export", "{d}/a.png", "--summary"], "conflict"),
    (["--export", "{d}/a.png", "--list-views"], "conflict"),
    (["--export", "{d}/a.png", "--present"], "--present opens the window"),
    (["--export", "{d}/a.png", "--fps", "4"], "--fps only applies to --export-animation"),
    (["--export", "{d}/a.png", "--from", "backward"], "--from only applies"),
    (["--export-all", "{d}", "--to", "update"], "--to only applies"),
    (["--view", "", "--export", "{d}/a.png"], "--view needs a name"),
    (["--session", "", "--export", "{d}/a.png"], "--session needs a name"),
    (["--step", "0"], "--step must be in 1..12"),
    (["--summary", "--view", "network"], "--view does not apply to --summary"),
    (["--width", "800"], "--width only applies"),
])
def test_conflicting_options_are_refused_by_name(argv, words, tmp_path, capsys):
    before = set(tmp_path.iterdir())
    code, lines, err = run_cli([a.replace("{d}", str(tmp_path)) for a in argv], capsys)
    assert_refused(code, lines, err, words)
    assert set(tmp_path.iterdir()) == before


def test_summary_into_a_closed_pipe_prints_no_traceback():
    r = subprocess.run(f"{sys.executable} main.py --summary | head -c 1 > /dev/null", shell=True,
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def interrupt(argv, delay: float, sig: int, folder: Path):
    """Start ``main.py argv``, send ``sig`` after ``delay`` s; (returncode, stderr)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.Popen([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    p.send_signal(sig)
    _, err = p.communicate(timeout=30)
    return p.returncode, err


@pytest.mark.parametrize("sig,delay", [(signal.SIGINT, 1.2), (signal.SIGTERM, 1.6)])
def test_an_interrupted_animation_stops_cleanly(sig, delay, tmp_path):
    out = tmp_path / "a.gif"
    code, err = interrupt(["--export-animation", str(out), "--width", "500"], delay, sig,
                          tmp_path)
    assert code in ({signal.SIGINT: 130, signal.SIGTERM: 143}[sig], 0), err
    assert "Traceback" not in err and "Segmentation" not in err
    stray = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert stray == []
    if code != 0:
        assert not out.exists() and "interrupted" in err
