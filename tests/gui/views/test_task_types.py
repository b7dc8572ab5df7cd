"""The Task types view: every panel drawn from its own preset's run as the trace says, the
bidirectional panel reading both ways, clicks that open the kind (and refuse to replace unsaved
work), headless export, runs as jobs off the GUI thread."""

import threading

import numpy as np
import pytest
from PySide6 import QtCore

from gui import colors, export
from gui.context import Context
from gui.frames import frame_for
from gui.model import session_file
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present import task_types
from gui.views.task_types import TaskTypesView
from gui.views.task_types.drawing import (
    BWD,
    CURRENT,
    DASHED,
    FWD,
    SOLID,
    UNREAD_ALPHA,
    rows_of,
)
from sim.run import SessionConfig, compute
from tests.gui.conftest import draw_waiting


@pytest.fixture
def made(qtbot, no_leaks):
    """A Task types view on a default session, its five runs landed."""
    ctx = Context(AppModel())
    view = TaskTypesView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    draw_waiting(view, ctx, Cursor("update", ctx.app.T))
    yield view, ctx
    ctx.close()


def diverging(values, vmax):
    return colors.TABLES["diverging"][colors.signed_index(values, vmax)]


def test_each_panel_draws_what_its_trace_says(made):
    view, ctx = made
    theme = view.theme
    runs = {k: compute(j.config) for k, j in task_types.panel_jobs().items()}
    for kind, panel in view.panels.items():
        sc, r = panel.scene, runs[kind]
        tr, bt = r.forward, r.backward
        assert sc is not None and panel.status == "", kind
        assert sc.moment == Cursor("update", tr.T)  # the session's last moment is its last too
        x, y_hat = panel.boxes["x"], panel.boxes["y_hat"]
        if kind == "seq2seq":
            T_enc, T_dec = tr.T_enc, tr.T_dec
            assert sc.T == T_enc + T_dec == 10
            # the encoder reads its inputs; the decoder's first input is missing (dashed, empty)
            assert list(x.styles[:T_enc]) == [SOLID] * T_enc
            assert x.styles[T_enc] == DASHED and not x.rgba[T_enc, :, 3].any()
            np.testing.assert_array_equal(x.rgba[0, :, :3],
                                          diverging(tr.x[0], np.abs(tr.x).max()))
            # no outputs on encoder steps; losses on decoder steps only, each J(j) its colour
            assert list(y_hat.styles[:T_enc]) == [-1] * T_enc
            assert not y_hat.rgba[:T_enc, :, 3].any()
            assert list(np.flatnonzero(sc.loss) + 1) == list(range(T_enc + 1, T_enc + T_dec + 1))
            assert panel.loss_colors == [colors.source_hex(j) for j in range(1, T_dec + 1)]
            # the hand-off: a thick arrow from the encoder's last state into the decoder
            drawn = panel.arrows.drawn()
            hand = drawn[task_types.ARROWS.index("handoff")]
            assert len(hand) == 1
            assert hand[0][0][0] < T_enc + 0.5 < hand[0][1][0]
            assert panel.arrows.pen_of(task_types.ARROWS.index("handoff")).widthF() >= 3
            # y_hat(j - 1) fed back into step j: dashed, one per decoder step after the first
            fb = task_types.ARROWS.index("feedback")
            assert len(drawn[fb]) == T_dec - 1
            assert panel.arrows.pen_of(fb).style() == QtCore.Qt.PenStyle.DashLine
            np.testing.assert_array_equal(panel.boxes["h"].rgba[:, :, :3].reshape(-1, 3),
                                          diverging(tr.h, 1.0).reshape(-1, 3))
            continue
        mask = bt.loss_mask
        # J(t) exactly where the loss mask is 1, in that loss's colour
        assert list(np.flatnonzero(sc.loss)) == list(np.flatnonzero(mask))
        assert panel.loss_colors == [colors.source_hex(t + 1) for t in np.flatnonzero(mask)]
        # outputs no loss reads: dashed and see-through; read ones: solid and opaque
        for t in range(tr.T):
            if mask[t]:
                assert y_hat.styles[t] == SOLID and (y_hat.rgba[t, :, 3] == 255).all()
            else:
                assert y_hat.styles[t] == DASHED
                assert (y_hat.rgba[t, :, 3] == UNREAD_ALPHA).all()
        np.testing.assert_array_equal(y_hat.rgba[:, :, :3],
                                      diverging(tr.y_hat, np.abs(tr.y_hat).max()))
        given = np.any(tr.x != 0, axis=1)
        if kind == "one-to-many":  # one input, then none: dashed empty boxes
            assert given[0] and not given[1:].any()
            assert list(x.styles) == [SOLID] + [DASHED] * (tr.T - 1)
            assert not x.rgba[1:, :, 3].any()
        else:
            assert list(x.styles) == [SOLID] * tr.T
            np.testing.assert_array_equal(x.rgba[:, :, :3], diverging(tr.x, np.abs(tr.x).max()))
        if kind == "many-to-one":
            assert list(mask) == [0] * 7 + [1] and r.config.task == "temperature"
        if kind == "bidirectional":
            H = tr.n_hidden
            fwd, bwd = panel.boxes["h_fwd"], panel.boxes["h_bwd"]
            np.testing.assert_array_equal(fwd.rgba[:, :, :3], diverging(tr.h[:, :H], 1.0))
            np.testing.assert_array_equal(bwd.rgba[:, :, :3], diverging(tr.h[:, H:], 1.0))
            assert set(fwd.styles) == {FWD} and set(bwd.styles) == {BWD}
            drawn = panel.arrows.drawn()
            right = drawn[task_types.ARROWS.index("recurrent")]
            left = drawn[task_types.ARROWS.index("recurrent_back")]
            assert len(right) == len(left) == tr.T - 1
            assert (right[:, 1, 0] > right[:, 0, 0]).all()  # h→ runs left to right
            assert (left[:, 1, 0] < left[:, 0, 0]).all()  # h← runs right to left
            assert panel.arrows.pen_of(task_types.ARROWS.index("recurrent")).color().name() \
                == theme.recurrent.lower()
            assert panel.arrows.pen_of(task_types.ARROWS.index("recurrent_back")).color() \
                .name() == theme.peephole.lower()
            words = panel.words_text()
            assert "Teddy Roosevelt" in words and "Teddy bears" in words
        else:
            np.testing.assert_array_equal(panel.boxes["h"].rgba[:, :, :3],
                                          diverging(tr.state, 1.0))


def test_bidirectional_reads_both_ways_mid_sequence(made):
    view, ctx = made
    panel = view.panels["bidirectional"]
    faint = colors.hex_to_rgb(view.theme.faint)
    # the session has T = 12 (frames 0..24), the panel T = 8 (frames 0..16): forward t = 4 of
    # the session is frame 3, the panel's frame 2, its forward t = 3
    assert ctx.app.T == 12
    draw_waiting(view, ctx, Cursor("forward", 4))
    sc = panel.scene
    assert sc.moment == Cursor("forward", 3)
    lit = {r.name: list(np.flatnonzero(r.lit) + 1) for r in sc.rows}
    assert lit["h_fwd"] == [1, 2, 3]
    assert lit["h_bwd"] == [6, 7, 8]
    assert lit["y_hat"] == []  # no step has heard both directions yet
    assert set(sc.current) == {("h_fwd", 3), ("h_bwd", 6)}
    assert panel.boxes["h_fwd"].styles[2] == CURRENT and panel.boxes["h_bwd"].styles[5] == CURRENT
    fwd_rgb = panel.boxes["h_fwd"].rgba[:, :, :3]
    assert (fwd_rgb[3:] == faint).all() and not (fwd_rgb[:3] == faint).all()
    assert (panel.boxes["h_bwd"].rgba[:5, :, :3] == faint).all()
    assert not sc.loss_lit.any()
    # two steps further: the rows have crossed, y_hat(t) appears where both reached t
    draw_waiting(view, ctx, Cursor("forward", 7))
    sc = panel.scene
    assert sc.moment == Cursor("forward", 5)
    assert list(np.flatnonzero(sc.row("y_hat").lit) + 1) == [4, 5]
    assert list(np.flatnonzero(sc.loss_lit) + 1) == [4, 5]
    # every panel at the same fraction of its own length
    for kind, p in view.panels.items():
        T = p.scene.T
        assert p.scene.moment == Cursor.from_frame(round(6 / 24 * 2 * T), T), kind
    # backward and at the update: every forward value shown
    for c in (Cursor("backward", 6), Cursor("update", 12)):
        draw_waiting(view, ctx, c)
        assert all(r.lit.all() for r in panel.scene.rows)


def test_clicks_open_the_kind_and_unsaved_work_is_kept(window, qtbot):
    app = window.app
    window.show_tab("Task types")
    view = window.current_view()
    assert view.name == "task-types"
    window.ctx.runner.wait()
    # a real mouse click in the one-to-many panel opens its preset
    panel = view.panels["one-to-many"]
    centre = panel.vb.sceneBoundingRect().center()
    at = view.canvas.mapFromScene(centre)
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=at)
    window.session.wait()
    assert app.config == session_file.load_preset("one-to-many").config
    assert app.title == session_file.load_preset("one-to-many").title
    assert not app.dirty
    # a button opens its kind too
    view.buttons["bidirectional"].click()
    window.session.wait()
    assert app.config == session_file.load_preset("bidirectional-teddy").config
    assert app.result.kind == "BidirectionalRNN"
    # in the window a click goes through the window's guarded loader: unsaved work is asked
    # about first, and kept unless the user discards it
    assert app.update_config(hidden=5)
    window.session.wait()
    assert app.dirty
    asked = []
    window.discard_answer = lambda what: asked.append(what) or "cancel"
    before = app.config
    view.buttons["seq2seq"].click()
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=at)
    window.session.wait()
    assert app.config == before and app.dirty and len(asked) == 2
    window.discard_answer = lambda what: "discard"
    view.buttons["seq2seq"].click()
    window.session.wait()
    assert app.config == session_file.load_preset("seq2seq-reverse").config


def test_without_a_window_unsaved_work_is_kept_with_a_message(qtbot):
    app = AppModel()
    ctx = Context(app)
    view = TaskTypesView(ctx)
    qtbot.addWidget(view)
    assert app.update_config(hidden=5)
    app.compute_now()
    assert app.dirty
    said = []
    app.error.connect(said.append)
    before = app.config
    view.buttons["seq2seq"].click()
    assert app.config == before and app.dirty
    assert len(said) == 1 and "save" in said[0] and "File \u25b8 Presets" in said[0]
    # whoever listens to open_requested (the window's guarded loader) decides instead
    asked = []
    view.open_requested.connect(asked.append)
    view.buttons["seq2seq"].click()
    assert asked == ["seq2seq-reverse"] and app.config == before


def test_png_export_headless(qapp, tmp_path):
    from PIL import Image

    ctx = Context(AppModel(SessionConfig(model="SimpleRNN", hidden=4, length=6)))
    view = export.make_view("task-types", ctx)
    path = export.export_png(view, ctx, tmp_path / "tt.png", width=1280,
                             cursor=Cursor("forward", 4))
    assert all(p.scene is not None and p.status == "" for p in view.panels.values())
    img = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert img.shape[1] == 1280 and img.shape[0] > 500
    bg = img[2, 2]
    assert ((np.abs(img - bg).sum(axis=2) > 30).mean()) > 0.03
    # a figure's caption has no screen-only words
    export.draw(view, ctx, None)
    assert "click" not in view.caption.text and "forward t = 4" in view.caption.text
    view.close()
    ctx.close()


def test_runs_are_jobs_off_the_gui_thread_computing_until_they_land(qtbot, monkeypatch,
                                                                    no_leaks):
    threads = []
    real = task_types.compute

    def recording(config, params=None):
        threads.append(threading.current_thread())
        return real(config, params)

    monkeypatch.setattr(task_types, "compute", recording)
    ctx = Context(AppModel())
    view = TaskTypesView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    frame = frame_for(view, ctx)
    assert frame.pending == set(task_types.KEYS)  # asked for, not computed on this thread
    view.draw(frame)
    for panel in view.panels.values():
        assert panel.status == "computing\u2026" and panel.message.isVisible()
        assert panel.scene is None
    assert ctx.runner.wait(60_000)
    assert len(threads) == 5 and threading.main_thread() not in threads
    frame = frame_for(view, ctx)
    assert not frame.pending and set(frame.derived) == set(task_types.KEYS)
    view.draw(frame)
    assert view.drawn == 5 and all(p.status == "" for p in view.panels.values())
    for kind, panel in view.panels.items():  # the rows made while the view was built are
        assert {r.name for r in panel.scene.rows} == set(rows_of(kind))  # the rows it draws
        assert set(panel.boxes) == set(rows_of(kind))
    view.draw(frame_for(view, ctx))
    assert view.drawn == 0  # nothing moved: nothing redrawn
    ctx.app.set_cursor(Cursor("forward", 2))  # session frame 1 of 24
    view.draw(frame_for(view, ctx))
    moved = {k for k, p in view.panels.items() if p.scene.moment != Cursor("forward", 1)}
    assert 0 < view.drawn == len(moved) < 5  # only the panels whose own moment changed
    # runs that must be computed again: "computing…" over the old drawing, then drawn again
    ctx.runner.forget(lambda job: isinstance(job, task_types.PanelRun))
    view.draw(frame_for(view, ctx, force=True))
    assert all(p.status == "computing\u2026" and p.scene is None for p in view.panels.values())
    assert not any(b.image.isVisible() for p in view.panels.values() for b in p.boxes.values())
    assert ctx.runner.wait(60_000)
    view.draw(frame_for(view, ctx))
    assert view.drawn == 5 and all(b.image.isVisible() for p in view.panels.values()
                                   for b in p.boxes.values())
    ctx.close()


def test_the_five_presets_load_compute_and_open_the_right_view():
    names = session_file.preset_names()
    want = {"gru-vs-lstm": ("GRU", "delayed-recall", 12),
            "many-to-one": ("SimpleRNN", "temperature", 8),
            "one-to-many": ("SimpleRNN", "generate", 6),
            "seq2seq-reverse": ("Seq2Seq", "reverse", 10),
            "bidirectional-teddy": ("BidirectionalRNN", "next-word", 8)}
    existing = [n for n in names if n not in want]
    assert set(want) <= set(names)  # all in the tour (every view draws every model kind, so
    # the tour may meet them anywhere: tests/gui/views/test_every_model.py)
    assert len(existing) >= 8
    for name, (model, task, T) in want.items():
        s = session_file.load_preset(name)
        assert s.title and s.caption.count(". ") + s.caption.endswith(".") == 2, name
        r = compute(s.config, s.params)
        assert (r.config.model, r.config.task, r.T) == (model, task, T), name
        assert r.finite
        # the unfolded view draws every model kind: the seq2seq and bidirectional presets open it
        assert s.view in ("task-types", "network-folded", "network", "gru-block")
    assert session_file.load_preset("seq2seq-reverse").config.cell == "lstm"
    assert session_file.load_preset("bidirectional-teddy").config.input_seed == 2
    # each panel draws the model of the preset its click opens
    for kind in task_types.KINDS:
        assert task_types.panel_jobs()[kind.key].config == \
            session_file.load_preset(kind.preset).config
