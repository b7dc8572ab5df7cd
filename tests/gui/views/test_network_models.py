"""The unfolded view draws every model kind as its trace says: a GRU, a bidirectional model
(errors into h← travel forward in time) and an encoder-decoder (losses on the decoder's steps
only), at every phase, with arrows whose widths are the engine's error norms."""

import numpy as np
import pytest

from gui import colors
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present.numbers import fmt
from gui.model.present.unfolded_layout import BWD, STATE_NODE, XDEC
from gui.views.network.view import NetworkView
from sim.run import SessionConfig
from tests.gui.conftest import draw

CONFIGS = {
    "GRU": SessionConfig(model="GRU", hidden=4, length=7),
    "BidirectionalRNN": SessionConfig(model="BidirectionalRNN", cell="rnn", hidden=3, length=7),
    "Bidirectional-LSTM": SessionConfig(model="BidirectionalRNN", cell="lstm", hidden=3,
                                        length=6),
    "Seq2Seq": SessionConfig(model="Seq2Seq", task="reverse", hidden=4, length=4),
    "Seq2Seq-GRU": SessionConfig(model="Seq2Seq", cell="gru", task="reverse", hidden=3,
                                 length=4, teacher_forcing=True),
}


def view_on(qtbot, config):
    app = AppModel()
    app.set_config(config)
    app.compute_now()
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    return app, view


def expected_norm(result, col_s: int, col_t: int) -> float:
    """||dJ/dstate|| of the loss at 1-based column col_s arriving at column col_t, as the engine
    computed it (a bidirectional model's arrows carry one direction's half)."""
    tr, bt = result.forward, result.backward
    if tr.kind == "Seq2Seq":
        return float(result.error_norms[col_s - tr.T_enc - 1, col_t - 1])
    D = np.asarray(bt.delta_by_source)[col_s - 1, col_t - 1]  # (state size,)
    if tr.kind == "BidirectionalRNN":
        H = tr.n_hidden
        if col_t == col_s:
            return float(np.linalg.norm(D))
        return float(np.linalg.norm(D[:H] if col_t < col_s else D[H:]))
    return float(np.linalg.norm(D))


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_phase_draws_the_engines_errors(qtbot, name):
    app, view = view_on(qtbot, CONFIGS[name])
    result = app.result
    tr = result.forward
    t_enc = tr.T_enc if tr.kind == "Seq2Seq" else 0
    T = result.T
    for t in (1, T // 2 + 1, T):
        draw(view, app, Cursor("forward", t))
        assert view.error_arrows().shape == (0, 3)
    seen_forward_in_time = False
    for t in range(T, 0, -1):
        draw(view, app, Cursor("backward", t))
        arrows = view.error_arrows()
        assert len(arrows), f"no errors drawn at backward {t}"
        for (s, k, m), rgb in zip(arrows, view.error_arrow_colors(), strict=True):
            s, k = int(s), int(k)
            assert s > t_enc, "only decoder steps carry losses"
            assert m == pytest.approx(expected_norm(result, s, k), rel=1e-9, abs=1e-12)
            # colour: the loss's own colour, J(j) numbered by its own step
            assert rgb == colors.hex_to_rgb(colors.source_hex(s - t_enc))
            if k > s:
                assert tr.kind == "BidirectionalRNN", "errors travel forward only into h←"
                assert k <= T + 1 - t, "h← has only reached columns 1..T + 1 - t"
                seen_forward_in_time = True
            elif k < s:
                assert k >= t, "h→ (or h) has only reached columns t..T"
    assert seen_forward_in_time == (tr.kind == "BidirectionalRNN")
    draw(view, app, Cursor("update", 0))
    assert view.error_arrows().shape == (0, 3)


def test_seq2seq_layout_reads_the_trace(qtbot):
    app, view = view_on(qtbot, CONFIGS["Seq2Seq"])
    draw(view, app, Cursor("forward", 6))
    tr = app.result.forward
    table = view.node_table
    code, col = table[:, 0].astype(int), table[:, 1].astype(int)
    assert set(col[code == XDEC]) == set(range(tr.T_enc + 1, tr.T + 1))
    assert not np.isin(col[code == 0], col[code == XDEC]).any()  # x only on encoder steps
    # free running: the decoder's input at step j is its output at j - 1, drawn as a dashed arrow
    assert not tr.teacher_forcing
    assert tr.output == "softmax"  # the most likely class is fed back, one-hot
    np.testing.assert_array_equal(tr.x_dec[1:], np.eye(tr.n_out)[tr.y_hat[:-1].argmax(1)])
    assert len(view.feedback.segments) == 6 - tr.T_enc - 1
    text = view.describe_at_node(XDEC, tr.T_enc + 2, 0)
    assert "its own most likely output ŷ of decoder step 1" in text
    # J(t) of the decoder's step j is drawn in J(j)'s colour once reached
    draw(view, app, Cursor("backward", tr.T))
    colors_drawn = view.node_colors()
    last_j = np.flatnonzero((code == 3) & (col == tr.T))[0]
    assert tuple(colors_drawn[last_j]) == colors.hex_to_rgb(colors.source_hex(tr.T_dec))


def test_bidirectional_states_and_hover(qtbot):
    app, view = view_on(qtbot, CONFIGS["BidirectionalRNN"])
    tr = app.result.forward
    T = tr.T
    draw(view, app, Cursor("forward", 2))
    table = view.node_table
    code = table[:, 0].astype(int)
    assert (code == BWD).sum() == (code == STATE_NODE).sum() == T * tr.n_hidden
    # forward t = 2: h→ has run 1..2, h← (reading T..1) has run T..T-1
    lit = view.node_colors()
    faint = colors.hex_to_rgb(view.theme.faint)
    col = table[:, 1].astype(int)
    for c in range(1, T + 1):
        fwd_lit = (tuple(lit[(code == STATE_NODE) & (col == c)][0]) != faint)
        bwd_lit = (tuple(lit[(code == BWD) & (col == c)][0]) != faint)
        assert fwd_lit == (c <= 2) and bwd_lit == (c >= T - 1)
    text = view.describe_at_node(BWD, 3, 1)
    assert fmt(tr.h_bwd[2, 1]) in text and "h←(4)" in text


def test_gru_gate_choice_draws_that_gates_matrices(qtbot):
    app, view = view_on(qtbot, CONFIGS["GRU"])
    draw(view, app, Cursor("forward", 7))
    assert [view.gate_box.itemData(i) for i in range(view.gate_box.count())] == ["r", "u", "n"]
    app.set_options("network", gate="u")
    draw(view, app)
    names = {m.name for m in view.mats}
    assert names == {"W_u", "R_u", "V"}
    w = view._edge_values(app.result.forward.params)
    meta = view.edge_meta
    for m, mat in enumerate(view.mats):
        sel = meta[:, 0] == m
        P = app.result.forward.params[mat.name]
        np.testing.assert_array_equal(w[sel], P[meta[sel, 2], meta[sel, 3]])
    # an LSTM gate name on a GRU falls back to its first gate instead of failing
    app.set_options("network", gate="o")
    draw(view, app)
    assert {m.name for m in view.mats} == {"W_r", "R_r", "V"}


def test_a_seq2seq_cursor_reaches_the_decoders_steps():
    from gui.model import session_file

    config = CONFIGS["Seq2Seq"]
    assert config.steps == 2 * config.length
    app = AppModel()
    app.set_config(config)
    app.compute_now()
    app.set_cursor(Cursor("forward", config.steps - 1))
    back = AppModel()
    back.restore(session_file.loads(session_file.dumps(app.snapshot())))
    assert back.cursor == Cursor("forward", config.steps - 1)
    with pytest.raises(ValueError, match="step"):
        session_file.loads(session_file.dumps(app.snapshot()).replace(
            f'"forward:{config.steps - 1}"', f'"forward:{config.steps + 1}"'))
