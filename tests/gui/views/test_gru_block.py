"""The GRU block view: what it draws is the trace (values forward, the engine's deltas backward),
the followed routes are lit in purple and their numbers sum to the node's error, its controls
write to the model, every model kind draws (a note for what is not a GRU), and the command line
exports it."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gui import colors, export
from gui.context import Context
from gui.frames import make_frame
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present import gru_block as gb
from gui.model.present import gru_block_layout as gl
from gui.model.present.numbers import fmt
from gui.views.gru_block import GruBlockView
from gui.views.gru_block.drawing import FLOW_HEX
from sim.run import SessionConfig
from tests.gui.conftest import draw_waiting

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def made(qtbot, no_leaks):
    app = AppModel(SessionConfig(model="GRU", hidden=5, length=7, task="generate"))
    ctx = Context(app)
    view = GruBlockView(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 820)
    view.show()
    yield view, ctx
    ctx.close()


def _plain(item) -> str:
    return item.textItem.toPlainText()


def test_forward_cells_and_colours_are_the_trace(made):
    view, ctx = made
    tr = ctx.app.result.forward
    sc = gb.scales_for(ctx.app.result)
    draw_waiting(view, ctx, Cursor("forward", 4))
    k = 3
    table = colors.TABLES["diverging"]
    for name, scale in (("r", 1.0), ("u", 1.0), ("n", 1.0), ("h", 1.0), ("n_bar", sc["pre"]),
                        ("r_bar", sc["pre"])):
        want = table[colors.signed_index(getattr(tr, name)[k], scale)]
        np.testing.assert_array_equal(view.drawn_rgb[name], want)
        assert _plain(view.block.titles[name]).endswith(f"= {fmt(getattr(tr, name)[k][0])}")
    np.testing.assert_array_equal(view.drawn_rgb["out"],
                                  table[colors.signed_index(tr.y_hat[k], sc["y_hat"])])
    assert view.block.cells["next:h"].isVisible() is False  # step 5 is not computed yet
    assert "forward t = 4" in view.caption.text


def test_a_stage_greys_what_is_not_computed(made):
    view, ctx = made
    ctx.app.set_selection(stage=1)  # ② u
    draw_waiting(view, ctx, Cursor("forward", 3))
    faint = np.asarray(colors.hex_to_rgb(view.theme.faint))
    assert (view.drawn_rgb["n"] == faint).all() and (view.drawn_rgb["h"] == faint).all()
    assert not (view.drawn_rgb["u"] == faint).all()
    assert view.stage_box.currentIndex() == 2
    assert "stage ②" in view.readout.text
    view.next_stage.click()
    assert ctx.app.selection.stage == 2
    ctx.app.set_selection(stage=len(gb.FORWARD_STAGES) - 1)
    draw_waiting(view, ctx)
    view.next_stage.click()  # past the last stage: the next moment, from its first stage
    assert ctx.app.cursor == Cursor("forward", 4) and ctx.app.selection.stage == 0


def test_backward_errors_are_the_engines_deltas(made):
    view, ctx = made
    d = ctx.app.result.backward.deltas
    sc = gb.scales_for(ctx.app.result)
    table = colors.TABLES["diverging"]
    ctx.app.set_selection(unit=2)
    draw_waiting(view, ctx, Cursor("backward", 5))
    k = 4
    for name in ("h", "r_bar", "u_bar", "n_bar", "n_rec"):
        np.testing.assert_array_equal(view.picture.cells[name], d[name][k])
        np.testing.assert_array_equal(view.drawn_rgb[name],
                                      table[colors.signed_index(d[name][k], sc["err"])])
        assert _plain(view.block.titles[name]).endswith(f"= {fmt(d[name][k][2])}"), name
    np.testing.assert_array_equal(view.picture.cells["next:h"], d["h"][k + 1])
    assert view.block.cells["x"].isVisible() is False  # inputs receive no error
    draw_waiting(view, ctx, Cursor("backward", ctx.app.T))  # no block T + 1
    assert all(not view.block.cells[n].isVisible() for n in gl.NEXT_NODES)
    assert all(_plain(view.block.titles[n]) == "" for n in gl.NEXT_NODES)
    assert "no block t+1" in _plain(view.block.hint_titles[1][1])
    draw_waiting(view, ctx, Cursor("backward", 5))
    # every wire drawn with its error's colour, arrows pointing back
    level, _, value = view.picture.wires[(0, "n_bar->n")]
    assert value == pytest.approx(d["n_bar"][k][2], abs=1e-14)
    assert level == colors.signed_index(np.array([value]), sc["err"])[0]
    drawn = view.block.wires.drawn()
    assert sum(len(v) for v in drawn.values()) >= len(gl.WIRES)
    assert view.unit_spin.value() == 3


def test_follow_one_flow_lights_its_routes_in_purple(made):
    view, ctx = made
    d = ctx.app.result.backward.deltas
    ctx.app.set_selection(flow="u_bar", unit=1)
    draw_waiting(view, ctx, Cursor("backward", 3))
    pic = view.picture
    assert len(pic.routes) == 10
    total = sum(r.value for r in pic.routes)
    assert total == pytest.approx(d["u_bar"][2][1], abs=1e-12)
    shown = [t for t in view.block.route_numbers if t.isVisible()]
    assert [_plain(t) for t in shown] == [gb.number(n) for n in range(1, 11)]
    assert FLOW_HEX in shown[0].toHtml()
    pen = view.block.flow.shafts.pen_of(0)
    assert pen.color().name() == FLOW_HEX
    lit = view.block.flow.drawn()[0]
    assert len(lit) >= 10
    assert f"sum = {fmt(total)}" in view.readout.text
    ctx.app.set_selection(flow=None)
    draw_waiting(view, ctx)
    assert not any(t.isVisible() for t in view.block.route_numbers)
    assert len(view.block.flow.drawn()) == 0 or all(len(v) == 0 for v in
                                                    view.block.flow.drawn().values())


def test_controls_write_to_the_model(made):
    view, ctx = made
    draw_waiting(view, ctx, Cursor("forward", 2))
    view.unit_spin.setValue(4)
    assert ctx.app.selection.unit == 3
    i = view.flow_box.findData("n_bar")
    view.flow_box.setCurrentIndex(i)
    view.flow_box.activated.emit(i)
    assert ctx.app.selection.flow == "n_bar"
    view.stage_box.setCurrentIndex(3)
    view.stage_box.activated.emit(3)
    assert ctx.app.selection.stage == 2
    draw_waiting(view, ctx)
    assert view.flow_box.currentData() == "n_bar" and view.unit_spin.value() == 4


def test_a_click_on_a_cell_picks_its_unit(made, qtbot):
    from PySide6 import QtCore

    view, ctx = made
    draw_waiting(view, ctx, Cursor("forward", 3))
    x, y = gl.cell_centre(gl.SPEC["n"], 5, 3)
    scene_pt = view.vb.mapViewToScene(QtCore.QPointF(x, y))
    view_pt = view.canvas.mapFromScene(scene_pt)
    qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=view_pt)
    assert ctx.app.selection.unit == 3


def test_the_window_draws_it_as_the_cursor_moves(make_window, qtbot):
    app = AppModel(SessionConfig(model="GRU", hidden=4, length=6, truncation=3))
    w = make_window(app)
    assert w.show_tab("GRU")
    view = w.view("gru-block")
    d = app.result.backward.deltas
    for t in (6, 5, 2):
        app.set_cursor(Cursor("backward", t))
        qtbot.waitUntil(lambda t=t: view.picture is not None and view.picture.t == t
                        and view.picture.phase == "backward", timeout=10_000)
        np.testing.assert_array_equal(view.picture.cells["u_bar"], d["u_bar"][t - 1])


def test_it_says_when_a_step_is_still_computing(made):
    view, ctx = made
    view.draw(make_frame(ctx.app))  # no derived data yet
    assert "computing" in view.caption.text


@pytest.mark.parametrize("config", [
    SessionConfig(model="SimpleRNN", hidden=3, length=5),
    SessionConfig(model="LSTM", hidden=3, length=5),
    SessionConfig(model="BidirectionalRNN", cell="gru", hidden=3, length=5),
    SessionConfig(model="Seq2Seq", cell="gru", task="reverse", hidden=3, length=4),
], ids=["rnn", "lstm", "bidirectional", "seq2seq"])
def test_other_models_get_a_note_not_a_crash(qtbot, no_leaks, config):
    app = AppModel(config)
    ctx = Context(app)
    view = GruBlockView(ctx)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    try:
        for cursor in (Cursor("forward", 1), Cursor("backward", 1), Cursor("update", 0)):
            draw_waiting(view, ctx, cursor)
        assert "The GRU block shows a GRU session" in view.caption.text
        assert f"This session is {'an' if config.model == 'LSTM' else 'a'} {config.model}" \
            in view.caption.text
        assert "gru-vs-lstm" in view.caption.text
        assert not view.vb.isVisible() and view.switch.isVisibleTo(view)
        view.switch.click()  # "Switch Model to GRU"
        assert ctx.app.config.model == "GRU"
    finally:
        ctx.close()


def test_the_view_exports_light_and_dark(made, tmp_path):
    view, ctx = made
    ctx.app.set_selection(flow="h")
    for theme in ("light", "dark"):
        ctx.app.set_theme(theme)
        path = export.export_png(view, ctx, tmp_path / f"{theme}.png", width=1200,
                                 cursor=Cursor("backward", 3))
        img = export.to_image(view, 600)
        rgb = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), -1)
        assert path.stat().st_size > 20_000 and len(np.unique(rgb)) > 50


def test_the_command_line_exports_a_gru_session(tmp_path):
    out = tmp_path / "x.png"
    proc = subprocess.run([sys.executable, "main.py", "--preset", "gru-vs-lstm", "--view",
                           "gru-block", "--phase", "backward", "--step", "3", "--export",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=240,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                               "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 20_000
