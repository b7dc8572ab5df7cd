"""Figures, animations, data, the command line, sessions in the window, presets, presentation."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6 import QtCore, QtGui

import main
from gui import export, views
from gui.context import Context
from gui.model import export_data
from gui.model import session_file as session_io
from gui.model.app_model import AppModel, from_session
from gui.model.cursor import Cursor
from gui.model.session_file import Session
from sim.run import SessionConfig, compute

ROOT = Path(__file__).resolve().parents[2]


def image(path):
    """The image at ``path``, loaded and closed (frames of an animation stay available)."""
    with Image.open(path) as im:
        im.load()
        if getattr(im, "n_frames", 1) > 1:
            frames = []
            for i in range(im.n_frames):
                im.seek(i)
                frames.append(np.asarray(im.convert("RGB")))
            info = dict(im.info)
            return frames, info
        return im.copy()


def non_background_fraction(path) -> float:
    a = np.asarray(image(path).convert("RGB")).astype(int)
    bg = a[2, 2]
    return float((np.abs(a - bg).sum(axis=2) > 30).mean())


@pytest.mark.parametrize("name", views.names())
def test_every_view_exports_png_and_svg(qapp, tmp_path, name):
    state = Context(AppModel(SessionConfig(hidden=4, length=6)))
    state.app.set_cursor(Cursor("backward", 3))
    view = export.make_view(name, state)
    png = export.export_png(view, state, tmp_path / "v.png", width=900)
    img = image(png)
    assert img.size[0] == 900 and img.size[1] > 200
    assert non_background_fraction(png) > 0.01, "the figure is blank"
    svg = export.export_svg(view, state, tmp_path / "v.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    drawn = [el for el in root.iter() if el.tag.split("}")[-1] in ("path", "polyline", "rect",
                                                                    "image", "text", "ellipse")]
    assert len(drawn) > 5
    view.close()


def test_png_width_and_crispness(qapp, tmp_path):
    state = Context(AppModel())
    view = export.make_view("network", state)
    small = export.export_png(view, state, tmp_path / "a.png", width=800)
    big = export.export_png(view, state, tmp_path / "b.png", width=2400)
    assert image(small).size[0] == 800 and image(big).size[0] == 2400
    view.close()


def test_gif_has_the_expected_number_of_frames(qapp, tmp_path):
    state = Context(AppModel(SessionConfig(hidden=3, length=5)))
    view = export.make_view("network", state)
    cursors = export.animation_cursors(5, Cursor.parse("backward", 5), Cursor("update", 5))
    assert len(cursors) == 6  # backward 5..1 and the update
    n = export.export_animation(view, state, tmp_path / "a.gif", cursors, fps=4, width=400)
    frames, info = image(tmp_path / "a.gif")
    assert n == len(frames) == 6
    assert info["duration"] == 250
    assert not np.array_equal(frames[0], frames[-1])  # the animation moves
    view.close()


def test_animation_cancel_writes_nothing(qapp, tmp_path):
    state = Context(AppModel(SessionConfig(hidden=3, length=5)))
    view = export.make_view("network", state)
    cursors = export.animation_cursors(5, Cursor("forward", 1), Cursor("update", 5))
    calls = []
    with pytest.raises(export.ExportCancelled):
        export.export_animation(view, state, tmp_path / "a.gif", cursors,
                                should_stop=lambda: len(calls) > 2,
                                progress=lambda d, t: calls.append(d))
    assert not (tmp_path / "a.gif").exists()
    view.close()


def test_data_export_npz_and_csv(tmp_path):
    r = compute(SessionConfig(hidden=3, length=4))
    export_data.save(r, tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz") as z:
        np.testing.assert_array_equal(z["forward/c"], r.forward.c)
        np.testing.assert_array_equal(z["backward/delta_by_source"], r.backward.delta_by_source)
        np.testing.assert_array_equal(z["backward/grads/R_z"], r.backward.grads["R_z"])
    export_data.save(r, tmp_path / "t.csv")
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert lines[0] == "array,step,index,value"
    row = next(line for line in lines if line.startswith("forward/y,2,3,"))
    assert float(row.split(",")[3]) == r.forward.y[1, 2]
    with pytest.raises(ValueError, match="npz or .csv"):
        export_data.save(r, tmp_path / "t.xlsx")


# -- the command line ------------------------------------------------------------------------

def run_main(argv, capsys):
    code = main.main(argv)
    err = capsys.readouterr().err
    return code, err


@pytest.fixture
def session_path(tmp_path):
    path = tmp_path / "s.json"
    session_io.save(path, Session(config=SessionConfig(hidden=3, length=5)))
    return path


@pytest.mark.parametrize("argv,word", [
    (["--view", "nope", "--export", "{d}/o.png"], "unknown view 'nope'"),
    (["--preset", "nope", "--export", "{d}/o.png"], "unknown preset 'nope'"),
    (["--export", "{d}/missing/o.png"], "does not exist"),
    (["--export", "{d}"], "must end in .png or .svg"),
    (["--export", "{d}/o.jpg"], "must end in .png or .svg"),
    (["--export", "{d}/o.png", "--width", "5"], "--width must be in 16..10000"),
    (["--export", "{d}/o.png", "--phase", "backward", "--step", "99"], "--step must be in"),
    (["--export", "{d}/o.png", "--phase", "update", "--step", "3"], "does not apply"),
    (["--export", "{d}/o.png", "--step", "99"], "--step must be in"),
    (["--session", "{d}/absent.json", "--export", "{d}/o.png"], "no such session file"),
    (["--session", "{d}/bad.json", "--export", "{d}/o.png"], "malformed session JSON"),
    (["--session", "{d}/cut.json", "--export", "{d}/o.png"], "malformed session JSON"),
    (["--session", "{d}/huge.json", "--export", "{d}/o.png"], "hidden must be <= 64"),
    (["--session", "{d}/v9.json", "--export", "{d}/o.png"], "version 9 is not supported"),
    (["--export-animation", "{d}/o.gif", "--fps", "0"], "--fps must be in"),
    (["--export-animation", "{d}/o.gif", "--from", "update", "--to", "forward:1"],
     "comes before"),
    (["--export-animation", "{d}/o.png"], "must end in .gif or .mp4"),
    (["--bogus"], "unrecognized arguments"),
    (["--theme", "neon"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(argv, word, tmp_path, capsys,
                                                            session_path):
    good = session_io.dumps(Session(config=SessionConfig(hidden=3, length=5)))
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "cut.json").write_text(good[: len(good) // 2])
    (tmp_path / "huge.json").write_text(good.replace('"hidden": 3', '"hidden": 100000000'))
    (tmp_path / "v9.json").write_text(good.replace('"version": 2', '"version": 9'))
    before = set(tmp_path.iterdir())
    code, err = run_main([a.replace("{d}", str(tmp_path)) for a in argv], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("unfold: error: ") and word in lines[0], lines[0]
    assert "Traceback" not in err
    assert set(tmp_path.iterdir()) == before


def test_cli_exports_a_still_and_an_animation(tmp_path, capsys, session_path):
    code, err = run_main(["--session", str(session_path), "--view", "network", "--export",
                          str(tmp_path / "n.png"), "--phase", "backward", "--step", "2",
                          "--width", "1000", "--theme", "dark"], capsys)
    assert code == 0, err
    img = image(tmp_path / "n.png")
    assert img.size[0] == 1000
    assert np.asarray(img.convert("RGB"))[3, 3].sum() < 150  # dark background
    code, err = run_main(["--session", str(session_path), "--export-animation",
                          str(tmp_path / "n.gif"), "--from", "backward", "--to", "update",
                          "--width", "300"], capsys)
    assert code == 0, err
    assert len(image(tmp_path / "n.gif")[0]) == 6
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_mp4_without_the_extra_says_how_to_get_it(tmp_path, capsys):
    import importlib.util

    code, err = run_main(["--export-animation", str(tmp_path / "a.mp4"), "--to", "forward:2"],
                         capsys)
    if importlib.util.find_spec("imageio") is None:
        assert code == 2 and 'pip install -e ".[mp4]"' in err
        assert list(tmp_path.iterdir()) == []
    else:
        assert code == 0 and (tmp_path / "a.mp4").stat().st_size > 0


@pytest.mark.slow
def test_export_all_writes_every_view(tmp_path, capsys):
    code, err = run_main(["--export-all", str(tmp_path), "--width", "400"], capsys)
    assert code == 0, err
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(views.names())
    for p in tmp_path.glob("*.png"):
        assert image(p).size[0] == 400


def test_list_views_and_presets(capsys):
    assert main.main(["--list-views"]) == 0
    out = capsys.readouterr().out.split()
    assert out == views.names() and "network" in out and "network-folded" in out
    assert main.main(["--list-presets"]) == 0
    out = capsys.readouterr().out
    assert "bptt-colours\t" in out and len(out.splitlines()) == len(session_io.preset_names())


def test_help_documents_every_option_with_an_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main.main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for opt in ("--list-views", "--list-presets", "--view", "--export", "--export-animation",
                "--width", "--phase", "--step", "--preset", "--session", "--theme", "--fps",
                "--from", "--to", "--present"):
        assert opt in text
    assert text.count("e.g.") >= 10 and "examples:" in text


def test_every_view_is_found_in_the_module_the_export_imports_first():
    # an export imports only views.home(name); a view registered elsewhere would still be
    # found (every module is then imported), but the export would start slower again
    for name, cls in views.load().items():
        assert cls.__module__.split(".")[2] == views.home(name), name


def test_a_headless_export_imports_only_its_own_view(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    code = ("import sys, main; main.main(sys.argv[1:]); "
            "print(sorted({m.split('.')[2] for m in sys.modules if m.startswith('gui.views.')}))")
    r = subprocess.run([sys.executable, "-c", code, "--view", "lstm-odyssey", "--export",
                        str(tmp_path / "o.png")], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[-2] == "['base', 'lstm_block']"
    assert image(tmp_path / "o.png").size[0] == 1600


def test_headless_export_needs_no_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM",
                                                             "WAYLAND_DISPLAY")}
    out = tmp_path / "x.png"
    r = subprocess.run([sys.executable, "main.py", "--view", "network", "--export", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert image(out).size[0] == 1600


# -- sessions and presets in the window --------------------------------------------------------

@pytest.fixture
def window(make_window, qapp):
    qapp.setProperty("unfold_quiet", True)  # warnings go to the status bar, not a dialog
    yield make_window(AppModel(SessionConfig(hidden=4, length=6)))
    qapp.setProperty("unfold_quiet", False)


def test_session_round_trip_in_the_window(window, qtbot, tmp_path):
    s = window.app
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.set_config(s.config.replace(truncation=2),
                     params={k: v * 1.1 for k, v in s.result.forward.params.items()})
    s.set_cursor(Cursor("backward", 4))
    before = s.result

    def figure():  # a fresh offscreen view, as the exporter makes it
        v = export.make_view("network", window.ctx)
        export.draw(v, window.ctx, None)
        img = export.to_image(v, 600)
        v.close()
        return img

    fig1 = figure()
    window.files.save_to(tmp_path / "s.json")
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        s.update_config(hidden=5)
    assert s.result.forward.n_hidden == 5
    with qtbot.waitSignal(window.ctx.qt.result_changed, timeout=10_000):
        assert window.files.open_path(tmp_path / "s.json")
    window.session.wait()
    qtbot.waitUntil(lambda: s.cursor == Cursor("backward", 4), timeout=5000)
    for k, v in before.forward.arrays().items():
        assert np.array_equal(v, s.result.forward.arrays()[k]), k
    for k in before.backward.grads:
        assert np.array_equal(before.backward.grads[k], s.result.backward.grads[k])
    assert figure() == fig1  # the same figure, pixel for pixel


def test_a_corrupted_file_leaves_the_open_session_untouched(window, tmp_path):
    s = window.app
    before = (s.config, s.result, s.cursor)
    for text in ("{", '{"format": "unfold-session", "version": 2, "config": {"hidden": -3}}'):
        p = tmp_path / "bad.json"
        p.write_text(text)
        assert not window.files.open_path(p)
        assert (s.config, s.result, s.cursor) == before
        assert "session" in window.statusBar().currentMessage().lower() or \
            "hidden" in window.statusBar().currentMessage()


def test_same_session_same_seed_same_figure(qapp, tmp_path):
    sess = session_io.load_preset("bptt-colours")
    paths = []
    for i in range(2):
        state = Context(from_session(sess))
        view = export.make_view("network", state)
        paths.append(export.export_png(view, state, tmp_path / f"{i}.png", width=700,
                                       cursor=Cursor.parse(sess.cursor, state.app.T)))
        view.close()
    a, b = (np.asarray(image(p)) for p in paths)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("name", session_io.preset_names())
def test_presets_load_and_render(window, qtbot, name, tmp_path):
    s = window.app
    assert window.files.load_preset(name)
    window.session.wait()
    preset = session_io.load_preset(name)
    assert s.config == preset.config
    assert window.caption.isVisible() and preset.title in window.caption.text()
    assert any(v.name == preset.view for v in window.current_views()), preset.view
    png = export.export_png(window.current_view(), window.ctx, tmp_path / "p.png", width=600)
    assert non_background_fraction(png) > 0.01


@pytest.mark.slow
def test_tour_steps_through_the_presets_in_order(window, qtbot):
    names = session_io.preset_names()
    seen = []
    for _ in range(len(names)):
        qtbot.keyClick(window, QtGui.QKeySequence("PgDown")[0].key())
        window.session.wait()
        seen.append(window.files.presets[window.files.tour_index])
    assert seen == names
    qtbot.keyClick(window, QtGui.QKeySequence("PgUp")[0].key())
    assert window.files.presets[window.files.tour_index] == names[-2]


def test_presentation_mode_toggles(window, qtbot, qapp):
    size = qapp.font().pointSizeF()
    window.set_presentation(True)
    assert window.presenting and not window.dock.isVisible()
    assert not window.menuBar().isVisible()
    assert window.playback_bar.isVisible()
    assert qapp.font().pointSizeF() == pytest.approx(size * 1.5)
    assert window.app.theme == "light"
    assert window.current_view().theme.font_scale == 1.5
    window.set_presentation(False)
    assert window.dock.isVisible() and qapp.font().pointSizeF() == pytest.approx(size)


def test_geometry_settings_round_trip_through_a_session(window, qtbot, tmp_path):
    window.open_view("geometry-shell")
    window.app.set_options("geometry", D=321, eps=0.02)
    window.files.save_to(tmp_path / "g.json")
    assert session_io.load(tmp_path / "g.json").options["geometry"].D == 321
    window.app.set_options("geometry", D=5)
    assert window.files.open_path(tmp_path / "g.json")
    window.session.wait()
    geo = window.app.options["geometry"]
    assert geo.D == 321 and geo.eps == 0.02


def test_preset_geometry_reaches_a_panel_built_later(qapp):
    state = Context(from_session(session_io.load_preset("curse-of-dimensionality")))
    view = export.make_view("geometry-angles", state)
    assert state.app.options["geometry"].D == 100
    view.close()


def test_theme_keys_work_in_presentation_and_the_theme_comes_back(window, qtbot):
    window.app.set_theme("dark")
    window.set_presentation(True)
    assert window.app.theme == "light"
    qtbot.keyClick(window, QtCore.Qt.Key.Key_T, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.app.theme == "dark"  # Ctrl+T with the menu bar hidden
    window.set_presentation(False)
    assert window.app.theme == "dark"
