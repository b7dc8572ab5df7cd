"""The equations view shows the trace's numbers of the selected unit, typeset off the GUI thread."""

import time

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gui import theme, views
from gui.context import Context
from gui.frames import frame_for
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present.equations import TypesetJob
from gui.model.present.numbers import fmt as fmt_number
from gui.views.equations import EquationsView
from sim.run import SessionConfig
from tests.gui.conftest import draw_waiting

_CONTEXTS = []


@pytest.fixture(autouse=True)
def _close_contexts():
    yield
    while _CONTEXTS:
        ctx = _CONTEXTS.pop()
        ctx.runner.wait(30_000)
        ctx.close()


def make_view(qtbot, config, unit=0, size=(1300, 700)):
    ctx = Context(AppModel(config))
    _CONTEXTS.append(ctx)
    ctx.app.set_selection(unit=unit)
    v = EquationsView(ctx)
    qtbot.addWidget(v)
    v.setMinimumSize(600, 200)  # a fixed minimum: no size-hint changes for the offscreen window
    v.resize(*size)
    v.show()
    qtbot.waitExposed(v)
    render(v, ctx)
    return ctx, v


def render(v, ctx, cursor=None):
    """Draw the model (at ``cursor``) with what has landed, without waiting (the window's way)."""
    if cursor is not None:
        ctx.app.set_cursor(cursor)
    v.draw(frame_for(v, ctx))


def pending(v):
    return {n for n in v.frame.pending if n.startswith("svg:")}


def trace_value(result, phase, t, key, k, m):
    """What the trace holds for an equation's left-hand side (hidden unit k, output unit m)."""
    tr, bt = result.forward, result.backward
    r = t - 1
    if phase == "forward":
        if key == "readout":
            return tr.readout[r, m]
        if key == "y_hat":
            return tr.y_hat[r, m]
        return getattr(tr, key)[r, k]
    if phase == "backward":
        if key == "delta_readout":
            return bt.deltas["o" if tr.kind == "SimpleRNN" else "out"][r, m]
        return bt.deltas[key.removeprefix("delta_")][r, k]
    param = key.removeprefix("new_")
    return result.new_params[param][m if param == "c" else k]


@pytest.mark.parametrize("model, peepholes", [("SimpleRNN", False), ("LSTM", False),
                                              ("LSTM", True), ("GRU", False)])
def test_numbers_are_the_trace_numbers_of_the_selected_unit(qtbot, no_leaks, model, peepholes):
    ctx, v = make_view(qtbot, SessionConfig(model=model, peepholes=peepholes, hidden=6),
                       unit=4)
    r = ctx.app.result
    T = r.T
    for cursor in (Cursor("forward", 1), Cursor("forward", 7), Cursor("backward", T),
                   Cursor("backward", 3), Cursor("update", T)):
        render(v, ctx, cursor)
        cards = v.cards()
        assert cards, cursor
        m = v.step.out_unit
        assert v.step.unit == 4
        for card in cards:
            want = float(trace_value(r, cursor.phase, cursor.t, card["key"], 4, m))
            assert card["value"] == fmt_number(want), (cursor, card["key"])
            assert card["numbers"].endswith("= " + fmt_number(want))
        assert sum(c["focus"] for c in cards) == 1
        assert "hidden unit k = 5" in v.header.text()  # shown counted from 1


def test_substituted_operands_are_the_trace_values(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", peepholes=True, hidden=6), unit=2)
    tr, bt = ctx.app.result.forward, ctx.app.result.backward
    t, k = 6, 2
    render(v, ctx, Cursor("forward", t))
    c = next(c for c in v.cards() if c["key"] == "c")
    z, i, c_prev, f = (float(x) for x in (tr.z[t - 1, k], tr.i[t - 1, k], tr.c[t - 2, k],
                                          tr.f[t - 1, k]))
    cp = fmt_number(c_prev) if c_prev >= 0 else f"({fmt_number(c_prev)})"
    zs = fmt_number(z)  # the leading number needs no parentheses
    assert c["numbers"] == (f"= {zs} × {fmt_number(i)} + {cp} × {fmt_number(f)} = "
                            f"{fmt_number(tr.c[t - 1, k])}")
    assert c["focus"]  # forward: the cell highway is framed
    render(v, ctx, Cursor("backward", t))
    dc = next(c for c in v.cards() if c["key"] == "delta_c")
    assert dc["focus"]
    for x in (bt.deltas["c"][t, k], tr.f[t, k], bt.deltas["i_bar"][t, k],
              bt.deltas["f_bar"][t, k], tr.params["p_i"][k], tr.params["p_f"][k]):
        assert fmt_number(x) in dc["numbers"]


def test_unit_chooser_sets_the_selection(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=5), unit=0)
    render(v, ctx, Cursor("forward", 4))
    v.unit.setValue(3)
    assert ctx.app.selection.unit == 2
    render(v, ctx)  # the window draws again on the selection's change
    a = next(c for c in v.cards() if c["key"] == "a")
    assert a["value"] == fmt_number(ctx.app.result.forward.a[3, 2])
    assert v.unit.maximum() == 5
    ctx.app.set_selection(unit=4)  # from another view: the chooser follows on the next draw
    render(v, ctx)
    assert v.unit.value() == 5


def test_click_frames_an_equation_until_clicked_again(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=4))
    draw_waiting(v, ctx, Cursor("forward", 3))
    target = next(c for c in v.cards() if c["key"] == "f")
    center = target["rect"].center().toPoint()
    qtbot.mouseClick(v.board, QtCore.Qt.MouseButton.LeftButton, pos=center)
    assert ctx.app.options["equations"].pinned == "f"
    assert not ctx.app.dirty  # framing a card is no work to save
    render(v, ctx)
    assert [c["key"] for c in v.cards() if c["focus"]] == ["f"]
    assert "your choice" in v.header.text()
    render(v, ctx, Cursor("forward", 4))  # stays framed while stepping
    assert [c["key"] for c in v.cards() if c["focus"]] == ["f"]
    render(v, ctx, Cursor("backward", 4))  # no "f" backward: the default frame
    assert [c["key"] for c in v.cards() if c["focus"]] == ["delta_c"]
    render(v, ctx, Cursor("forward", 4))
    target = next(c for c in v.cards() if c["key"] == "f")
    qtbot.mouseClick(v.board, QtCore.Qt.MouseButton.LeftButton,
                     pos=target["rect"].center().toPoint())
    assert ctx.app.options["equations"].pinned == ""
    render(v, ctx)
    assert [c["key"] for c in v.cards() if c["focus"]] == ["c"]


def test_selected_flow_is_framed_backward(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=4))
    ctx.app.set_selection(flow="f_bar")
    render(v, ctx, Cursor("backward", 5))
    assert [c["key"] for c in v.cards() if c["focus"]] == ["delta_f_bar"]


def test_typesetting_runs_off_thread_and_is_drawn(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", peepholes=True, hidden=4,
                                            truncation=3, seed=7))
    jobs = v.needs(v.frame)
    assert all(isinstance(j, TypesetJob) for j in jobs.values())
    step_lines = [f"svg:{c['latex']}" for c in v.cards()]
    assert list(jobs)[:len(step_lines)] == list(dict.fromkeys(step_lines))  # this step first
    draw_waiting(v, ctx, Cursor("backward", 2))
    assert not pending(v) and not ctx.runner.busy
    cards = v.cards()
    assert all(c["typeset"] for c in cards)
    img = v.board.grab().toImage()
    # the framed card is tinted and carries dark glyphs
    r = next(c["rect"] for c in cards if c["focus"])
    tint = QtGui.QColor(v.theme.banner_bg)
    dpr = img.devicePixelRatio()
    x0, y0 = int(r.x() * dpr) + 20, int(r.y() * dpr) + 20
    region = [img.pixelColor(x, y) for x in range(x0, int(r.right() * dpr) - 5, 3)
              for y in range(y0, int(r.bottom() * dpr) - 5, 3)]
    assert sum(c == tint for c in region) > len(region) / 3
    assert sum(c.lightness() < 80 for c in region) > 20  # typeset glyphs and numbers
    # figures draw the lines as vectors (crisp when scaled, real paths in SVG)
    draw_waiting(v, ctx, export=True)
    vec = v.board.grab().toImage()
    assert v.board.vector
    assert sum(vec.pixelColor(x, y).lightness() < 80 for x in range(x0, int(r.right() * dpr) - 5, 3)
               for y in range(y0, int(r.bottom() * dpr) - 5, 3)) > 20
    render(v, ctx)
    assert not v.board.vector
    # every line of this session was typeset ahead of time: stepping needs no typesetting
    for cursor in (Cursor("forward", 1), Cursor("update", ctx.app.T)):
        render(v, ctx, cursor)
        assert all(c["typeset"] for c in v.cards()) and not pending(v)
        assert not ctx.runner.busy


def test_dark_theme_recolours_the_typeset_lines(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="SimpleRNN", hidden=4))
    draw_waiting(v, ctx)
    ctx.app.set_theme("dark")
    render(v, ctx, Cursor("forward", 2))
    img = v.board.grab().toImage()
    colours = {img.pixelColor(x, y).name() for x in range(0, img.width(), 4)
               for y in range(0, img.height(), 4)}
    assert theme.DARK.background in colours
    assert any(QtGui.QColor(c).lightness() > 200 for c in colours)  # light glyphs


def test_the_strip_appears_under_the_lstm_block_views():
    tabs = dict(views.tabs())
    for title in ("Equations", "LSTM circuit", "LSTM odyssey"):
        assert "equations" in tabs[title]
    for title in ("LSTM circuit", "LSTM odyssey"):
        assert tabs[title][-1] == "equations"  # the strip goes under the block view
    assert EquationsView.stretch == 1


def test_keeps_up_with_playback(qtbot, no_leaks):
    """A cursor step costs far less than the 250 ms of playback at 4 steps per second."""
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", peepholes=True, hidden=8))
    draw_waiting(v, ctx)
    times = []
    for frame in range(ctx.app.n_frames):
        t0 = time.perf_counter()
        render(v, ctx, Cursor.from_frame(frame, ctx.app.T))
        v.board.repaint()
        times.append(time.perf_counter() - t0)
    assert np.median(times) < 0.1


def test_frames_follow_the_block_views_stage_walk(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="LSTM", hidden=4))
    ctx.app.set_cursor(Cursor("forward", 3))
    ctx.app.set_selection(stage=3)  # c(t) = z i + c(t-1) f
    render(v, ctx)
    assert [c["key"] for c in v.cards() if c["focus"]] == ["c"]
    assert "stage 4" in v.header.text()
    ctx.app.set_selection(stage=1)
    render(v, ctx)
    assert [c["key"] for c in v.cards() if c["focus"]] == ["i_bar", "i"]
    render(v, ctx, Cursor("backward", 3))
    ctx.app.set_selection(stage=3)
    render(v, ctx)
    assert [c["key"] for c in v.cards() if c["focus"]] == ["delta_z_bar", "delta_i_bar",
                                                          "delta_f_bar"]
    ctx.app.set_selection(stage=None)
    render(v, ctx)
    assert [c["key"] for c in v.cards() if c["focus"]] == ["delta_c"]


def test_other_models_say_so(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="BidirectionalRNN", hidden=3, length=4))
    assert v.needs(v.frame) == {} and v.cards() == [] and v.step is None
    assert "BidirectionalRNN" in v.header.text() and "BidirectionalRNN" in v.board.message
    assert "GRU" in v.board.message  # among the kinds that are written out


def test_a_gru_session_draws_its_equations(qtbot, no_leaks):
    ctx, v = make_view(qtbot, SessionConfig(model="GRU", hidden=3, length=4), unit=1)
    assert v.step is not None and v.step.kind == "GRU" and v.board.message == ""
    assert "not written out" not in v.header.text() and "GRU" in v.header.text()
    assert v.needs(v.frame)  # its lines are typeset
    render(v, ctx, Cursor("forward", 2))
    assert [c["key"] for c in v.cards()] == ["r_bar", "r", "u_bar", "u", "n_bar", "n", "h",
                                             "readout", "y_hat"]
    assert [c["key"] for c in v.cards() if c["focus"]] == ["h"]
    render(v, ctx, Cursor("backward", 2))
    assert [c["key"] for c in v.cards() if c["focus"]] == ["delta_h"]
    assert "delta_u_bar" in [c["key"] for c in v.cards()]
