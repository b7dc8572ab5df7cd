"""The folded view's unroll mode (issue 11, "the same parameters used at every step"): every
drawn gap is the one W, the nodes and the product come from the trace, the option round-trips in
a session file, the preset opens it and exports headless, other models keep their block and say
why, slides stay legible."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtGui

from gui import colors, export
from gui import theme as themes
from gui.context import Context
from gui.frames import frame_for
from gui.graphics.type_scale import text_pixel_sizes
from gui.model import session_file as session_io
from gui.model.app_model import AppModel, from_session
from gui.model.cursor import Cursor
from gui.model.present import unrolled_chain as uc
from gui.model.present.numbers import fmt
from gui.views.folded.unroll import N_BINS
from sim.run import SessionConfig

ROOT = Path(__file__).resolve().parents[3]


def open_view(ctx, size=(1280, 720)):
    return export.make_view("network-folded", ctx, size=size)


@pytest.fixture
def preset(qapp):
    """The same-parameters preset, drawn at its own cursor."""
    s = session_io.load_preset("same-parameters")
    ctx = Context(from_session(s))
    view = open_view(ctx)
    export.draw(view, ctx, Cursor.parse(s.cursor, ctx.app.T))
    yield ctx, view
    view.close()
    view.deleteLater()


def test_the_preset_opens_the_unroll_mode_on_a_long_product(preset):
    ctx, view = preset
    s = session_io.load_preset("same-parameters")
    assert s.view == "network-folded" and s.options["folded"].unroll is True
    assert s.cursor == "backward:1"
    chain = view.chain
    assert chain is not None and chain.n == ctx.app.T - 1 == 39  # W appears 39 times
    assert view.unroll_box.isChecked()
    assert not view.block.isVisible() and view.unroll.image.isVisible()
    # the preset's place in the tour: after the truncations, before vanishing gradients
    names = session_io.preset_names()
    i = names.index("same-parameters")
    assert names[i - 1] == "chunked-truncation" and names[i + 1] == "vanishing-gradients"


def test_every_drawn_gap_is_the_one_w(preset):
    ctx, view = preset
    chain, u = view.chain, view.unroll
    W = np.asarray(ctx.app.result.forward.params["W"])
    drawn_gaps = [r for r in range(len(chain.layers) - 1)
                  if chain.layers[r] is not None and chain.layers[r + 1] is not None]
    assert len(u.gap_edges) == len(drawn_gaps) == 4  # h(1) .. h(4), ⋮, h(39), h(40)
    for e in u.gap_edges:
        i, j = e[:, 0].astype(int), e[:, 1].astype(int)
        np.testing.assert_array_equal(e[:, 2], W[i, j])  # W's own entries
        np.testing.assert_array_equal(e, u.gap_edges[0])  # the same in every gap
    assert len(u.gap_edges[0]) == W.size  # H = 8: every entry of W
    # the lines really drawn: every bin's item holds its edges once per gap, in its colour
    wmax = colors.finite_max(W)
    bins = np.minimum(colors.signed_index(W.ravel(), wmax) * N_BINS // colors.LEVELS,
                      N_BINS - 1)
    for b, item in enumerate(u.edges):
        x, _ = item.getData()
        n = 0 if x is None else len(x) // 2
        assert n == int((bins == b).sum()) * len(drawn_gaps)
    labels = [t.textItem.toPlainText() for t in u.gap_texts if t.isVisible()]
    assert len(labels) == 4 and all(lab.startswith("Wᵀ diag g′") for lab in labels)
    # the one W drawn once beside the stack, on the same colour scale
    img = u.image.image  # (x = j, y = i from the bottom, 3)
    want = colors.TABLES["diverging"][colors.signed_index(W, wmax)]  # (H, H, 3)
    np.testing.assert_array_equal(img, np.transpose(want[::-1], (1, 0, 2)))


def test_nodes_and_the_product_come_from_the_trace(preset):
    ctx, view = preset
    r = ctx.app.result
    chain, u = view.chain, view.unroll
    d = np.asarray(r.backward.delta_by_source)
    s = chain.source
    drawn = [m for m in chain.layers if m is not None]
    want = np.stack([d[s - 1, m - 1] for m in drawn])  # (L', H) dJ(s)/dh(m)
    np.testing.assert_array_equal(u.node_levels, colors.signed_index(want, chain.value_max))
    # the product shown is the engine's: its norm in the caption and at the plot's marker
    P = uc.chain_product(r.forward, "backward", 1, s)
    np.testing.assert_allclose(P @ d[s - 1, s - 1], d[s - 1, 0], rtol=1e-9, atol=1e-15)
    norm = np.linalg.norm(P, 2)
    assert chain.product_norm == pytest.approx(norm, rel=1e-9)
    caption = view.caption.text
    assert fmt(chain.product_norm) in caption and "W appears 39 times" in caption
    x, y = u.marker.getData()
    assert x[0] == 39 and y[0] == pytest.approx(np.log10(norm))
    xs, ys = u.norm_curve.getData()  # log10 on the log axis
    assert len(xs) == 40 and ys[0] == pytest.approx(0.0) and ys[39] == pytest.approx(y[0])
    _, rho = u.rho_curve.getData()
    assert 10 ** rho[39] == pytest.approx(chain.rho ** 39)


def test_the_toggle_writes_the_option_and_round_trips_in_a_session_file(qapp, tmp_path):
    app = AppModel(SessionConfig(model="SimpleRNN", hidden=3, length=6))
    app.compute_now()
    ctx = Context(app)
    view = open_view(ctx)
    try:
        assert app.options["folded"].unroll is False
        view.unroll_box.setChecked(True)  # the user's intent goes to the model
        assert app.options["folded"].unroll is True
        assert set(view.needs(frame_for(view, ctx))) == {"chain-curve"}
        path = tmp_path / "s.json"
        session_io.save(path, app.snapshot())
        back = session_io.load(path)
        assert back.options["folded"].unroll is True
        view.unroll_box.setChecked(False)
        assert app.options["folded"].unroll is False
        assert view.needs(frame_for(view, ctx)) == {}
        export.draw(view, ctx, Cursor("backward", 2))
        assert view.chain is None and view.block.isVisible()
        assert not view.unroll.image.isVisible()
    finally:
        view.close()
        view.deleteLater()
    with pytest.raises(ValueError, match="folded.unroll"):
        session_io.loads(session_io.dumps(back).replace('"unroll": true', '"unroll": 1'))


@pytest.mark.parametrize("config, word", [
    (SessionConfig(model="LSTM", hidden=3, length=5), "highway"),
    (SessionConfig(model="GRU", hidden=3, length=5), "interpolation"),
])
def test_gated_models_keep_the_block_and_say_why(qapp, config, word):
    app = AppModel(config)
    app.compute_now()
    app.set_options("folded", unroll=True)
    ctx = Context(app)
    view = open_view(ctx)
    try:
        export.draw(view, ctx, Cursor("backward", 2))
        assert view.chain is None and view.block.isVisible()
        assert word in view.caption.text and "the same at every step" in view.caption.text
        assert view.needs(frame_for(view, ctx)) == {}
    finally:
        view.close()
        view.deleteLater()


def test_a_large_network_stays_readable(qapp):
    app = AppModel(SessionConfig(model="SimpleRNN", hidden=64, length=100))
    app.compute_now()
    app.set_options("folded", unroll=True)
    ctx = Context(app)
    view = open_view(ctx)
    try:
        for cursor in (Cursor("backward", 1), Cursor("forward", 100), Cursor("update", 100)):
            export.draw(view, ctx, cursor)
            chain = view.chain
            assert len(chain.layers) == uc.MAX_LAYERS and None in chain.layers
            assert len(view.unroll.gap_edges[0]) == uc.MAX_EDGES  # W's strongest entries
            assert view.unroll.node_levels.shape == (uc.MAX_LAYERS - 1, 64)
            assert not view.unroll.nodes.data.size  # 64 units: cell rows, not circles
            assert sum(item.isVisible() for item in view.unroll.rows) == uc.MAX_LAYERS - 1
            assert chain.product_norm is not None  # the curve landed
    finally:
        view.close()
        view.deleteLater()


def test_a_slide_of_the_unroll_mode_is_legible(preset):
    ctx, _ = preset
    view = open_view(ctx, size=export.layout_size(slide=True))
    try:
        export.draw(view, ctx, Cursor("backward", 1), theme=themes.slide(themes.get("light")))
        assert len(view.chain.layers) == 5  # fewer layers on a slide
        scale = 1600 / export.figure_widget(view).width()
        sizes = np.array(text_pixel_sizes(view)) * scale
        assert sizes.min() >= 24
    finally:
        view.close()
        view.deleteLater()


def test_the_preset_exports_headless(tmp_path):
    out = tmp_path / "a.png"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--preset", "same-parameters",
                        "--view", "network-folded", "--export", str(out)], capture_output=True,
                       text=True, timeout=300, env={"QT_QPA_PLATFORM": "offscreen",
                                                    "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    img = QtGui.QImage(str(out)).convertToFormat(QtGui.QImage.Format.Format_RGB888)
    rgb = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), -1, 3)
    assert rgb.shape[1] == 1600
    yellow = np.all(np.abs(rgb.astype(int) - colors.hex_to_rgb(themes.LIGHT.recurrent)) < 30,
                    axis=2)
    assert yellow.mean() > 0.002  # the recurrent colour: the W labels, frame and the curve
    assert (rgb.min(axis=2) < 200).mean() > 0.03  # a drawing, not a blank page


def test_forward_shows_the_curve_only_up_to_the_cursor(preset):
    ctx, view = preset
    export.draw(view, ctx, Cursor("forward", 12))
    chain = view.chain
    assert (chain.direction, chain.bottom, chain.top) == ("forward", 1, 12)
    xs, _ = view.unroll.norm_curve.getData()
    assert xs[-1] == 11  # no future: the forward pass has reached h(12)
    assert [t.textItem.toPlainText() for t in view.unroll.gap_texts if t.isVisible()][-1] == \
        "diag g′(a(12)) W"


def test_the_window_toggles_the_mode_and_lands_the_curve(make_window, qtbot):
    w = make_window(AppModel(SessionConfig(model="SimpleRNN", hidden=6, length=30)))
    w.show_tab("Folded")
    view = w.view("network-folded")
    w.app.set_cursor(Cursor("backward", 3))
    view.unroll_box.click()
    assert w.app.options["folded"].unroll is True
    qtbot.waitUntil(lambda: view.chain is not None and view.chain.product_norm is not None,
                    timeout=10_000)
    assert view.chain.n == view.chain.source - 3
    view.unroll_box.click()
    qtbot.waitUntil(lambda: view.chain is None and view.block.isVisible(), timeout=10_000)


def test_the_plot_says_computing_failed_or_cancelled_while_it_has_no_curve(preset):
    from gui.frames import make_frame
    from gui.views.base import CANCELLED

    ctx, view = preset
    title = view.unroll.plot_title
    view.draw(make_frame(ctx.app, pending=("chain-curve",)))
    assert "computing the norms" in title.text and view.chain.product_norm is None
    assert "computing" in view.caption.text
    view.draw(make_frame(ctx.app, failed={"chain-curve": CANCELLED}))
    assert title.text == CANCELLED
    x, _ = view.unroll.norm_curve.getData()
    assert x is None or len(x) == 0  # no curve drawn from nothing
    view.draw(make_frame(ctx.app, failed={"chain-curve": "boom"}))
    assert title.text == "failed: boom"


@pytest.mark.parametrize("model", ["SimpleRNN", "LSTM"])
def test_the_block_name_stays_clear_of_the_block_and_its_loops_in_large_type(qapp, model):
    """Presentation type put "SimpleRNN, H = 4" across the block's edge and the loop's arrow;
    it sits under the block now, clear of the loops (an LSTM's c loop is on the left)."""
    ctx = Context(AppModel(SessionConfig(model=model, hidden=4)))
    view = open_view(ctx)
    try:
        export.draw(view, ctx, Cursor("backward", 3),
                    theme=themes.presentation(themes.get("light")))
        view.grab()  # painted: text items place themselves by the view's transform
        text = view.texts["block"].textItem  # the drawn text, placed by its anchor
        label = text.mapRectToScene(text.boundingRect())
        assert view.texts["block"].textItem.toPlainText().startswith(model)
        # the shapes' own geometry (a bounding rect also holds half the pen's width)
        shapes = [view.block.mapRectToScene(view.block.rect())]
        shapes += [item.mapRectToScene(item.path().boundingRect())
                   for item in (view.loop, view.cell_loop) if item.isVisible()]
        for shape in shapes:
            assert not label.intersects(shape), (label, shape)
    finally:
        view.close()
        view.deleteLater()
