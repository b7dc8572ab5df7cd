"""Slides (issue 12): --slide lays a figure out for 16:9 or 4:3 with type large enough for the
back of a lecture hall (the smallest text 24 px at 1600 px), figure only; --transparent leaves
out the background; presentation mode scales the type inside the plots too."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtGui

from gui import export, theme, views
from gui.context import Context
from gui.graphics.type_scale import overlapping_texts, text_pixel_sizes, text_runs
from gui.model import session_file
from gui.model.app_model import AppModel, from_session
from gui.model.cursor import Cursor

ROOT = Path(__file__).resolve().parents[2]
SESSION_VIEWS = [n for n, cls in views.load().items() if cls.uses_session]


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=300, env={"QT_QPA_PLATFORM": "offscreen",
                                                       "PATH": "/usr/bin:/bin"})


def rgba(path) -> np.ndarray:
    img = QtGui.QImage(str(path)).convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    return np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.width(), 4).copy()


def test_slide_exports_have_the_slides_shape_and_no_background(qapp, tmp_path):
    wide, square = tmp_path / "wide.png", tmp_path / "square.png"
    r = run("--view", "network", "--phase", "backward", "--step", "5", "--slide",
            "--transparent", "--export", str(wide))
    assert r.returncode == 0, r.stderr
    r = run("--view", "network-folded", "--slide", "--aspect", "4:3", "--export", str(square))
    assert r.returncode == 0, r.stderr
    a = rgba(wide)
    assert a.shape[:2] == (900, 1600)
    assert rgba(square).shape[:2] == (1200, 1600)
    alpha = a[..., 3]
    assert alpha[:8, :8].max() == 0 and alpha[-8:, -8:].max() == 0  # no background
    assert (alpha == 255).mean() > 0.02  # the drawing itself is opaque
    assert rgba(square)[..., 3].min() == 255  # without --transparent, a background


@pytest.mark.parametrize("args, words", [
    (("--slide",), "--slide only applies to --export"),
    (("--transparent", "--export", "x.svg"), "--transparent needs a PNG"),
    (("--aspect", "5:4", "--export", "x.png"), "invalid choice"),
])
def test_slide_options_refuse_what_they_cannot_do(tmp_path, args, words):
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                       text=True, timeout=120, cwd=tmp_path,
                       env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2 and words in r.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", SESSION_VIEWS)
def test_every_text_of_a_slide_is_24_px_or_more(qapp, name):
    ctx = Context(AppModel())
    view = export.make_view(name, ctx, size=export.layout_size(slide=True))
    try:
        export.draw(view, ctx, Cursor("backward", 5), theme=theme.slide(theme.get("light")))
        export.to_image(view, 1600)  # painted: text items place themselves as they paint
        scale = 1600 / export.figure_widget(view).width()
        sizes = np.array(text_pixel_sizes(view)) * scale  # px on the 1600 px slide
        assert len(sizes), f"{name}: no text measured"
        assert sizes.min() >= 24, f"{name}: smallest text {sizes.min():.1f} px"
    finally:
        view.close()
        view.deleteLater()


def test_presentation_mode_scales_type_inside_the_plots(window):
    view = window.view("network")
    window.show_tab("Unfolded")
    before = min(text_pixel_sizes(view))
    window.set_presentation(True)
    try:
        during = min(text_pixel_sizes(view))
        assert during >= 1.45 * before  # the theme's 1.5, ticks and colour-bar titles included
    finally:
        window.set_presentation(False)
    assert min(text_pixel_sizes(view)) == pytest.approx(before)


def test_the_file_menu_exports_the_current_view_as_a_slide(window, tmp_path):
    window.show_tab("Unfolded")
    path = window.files.export_slide_to(tmp_path / "s.png", aspect="4:3", transparent=True)
    a = rgba(path)
    assert a.shape[:2] == (1200, 1600) and a[0, 0, 3] == 0
    assert window.view("network").isVisible()  # the window's own view is untouched


BLOCKS = [("lstm-circuit", None), ("lstm-odyssey", None), ("lstm-circuit", "peepholes"),
          ("lstm-odyssey", "peepholes"), ("gru-block", "gru-vs-lstm")]


@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
@pytest.mark.parametrize("phase", ["forward", "backward"])
@pytest.mark.parametrize("name, preset", BLOCKS)
def test_a_block_slide_has_large_type_and_no_text_over_another(qapp, name, preset, phase,
                                                               aspect):
    """The block drawings paint their labels themselves (the LSTM's in one pass): every one
    of them is measured, for size and for overlap, on a 1600 px slide."""
    app = AppModel() if preset is None else from_session(session_file.load_preset(preset))
    ctx = Context(app)
    view = export.make_view(name, ctx, size=export.layout_size(slide=True, aspect=aspect))
    try:
        export.draw(view, ctx, Cursor(phase, 5), theme=theme.slide(theme.get("light")))
        export.to_image(view, 1600)  # painted: text items place themselves as they paint
        figure = export.figure_widget(view)
        scale = 1600 / figure.width()
        runs = [(r, s, t) for r, s, t in text_runs(figure) if not r.isEmpty()]
        assert len(runs) >= 20, f"{name}: only {len(runs)} placed texts measured"
        small = sorted((round(s * scale, 1), t) for _r, s, t in runs if s * scale < 24)
        assert not small, f"{name}: {len(small)} texts under 24 px: {small[:6]}"
        assert overlapping_texts(figure) == []
        if name == "gru-block":  # every operator keeps its sign (a label may give way)
            assert all(text.isVisible() for _g, _item, text in view.block.glyphs)
        else:
            assert not [n for n in view.static_texts.hidden if view._static_kinds[n] == "glyph"]
    finally:
        view.close()
        view.deleteLater()
