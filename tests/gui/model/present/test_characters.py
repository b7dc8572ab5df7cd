"""The characters under the unfolded network's columns for a text task: what each column reads,
its target and the most likely output; an encoder-decoder reads in its first T_enc columns and
writes in the others (it used to index its T_enc characters by all 2 T_enc columns)."""

import pytest

from gui.context import Context
from gui.frames import draw_now
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present.characters import column_chars_html, column_text
from gui.views import get
from sim.run import SessionConfig, compute


def test_one_cell_columns_read_and_write_the_same_step():
    r = compute(SessionConfig(model="LSTM", task="char-text", hidden=4, length=6))
    chars = column_text(r)
    assert len(chars.inputs) == len(chars.targets) == len(chars.predicted) == r.T == 6
    for i in range(r.T):
        html = column_chars_html(chars, i, 0, "#000", "#888")
        assert f"<b>{chars.inputs[i]}</b>" in html and f"→{chars.targets[i]}" in html


def test_an_encoder_decoder_reads_then_writes():
    r = compute(SessionConfig(model="Seq2Seq", task="char-text", hidden=4, length=5))
    chars = column_text(r)
    t_enc = r.forward.T_enc
    assert r.T == 2 * t_enc == 10 and len(chars.inputs) == len(chars.targets) == t_enc
    for i in range(r.T):
        html = column_chars_html(chars, i, t_enc, "#000", "#888")
        if i < t_enc:  # the encoder reads a character and writes nothing
            assert f"<b>{chars.inputs[i]}</b>" in html and "→" not in html
        else:  # the decoder writes target (guess) and reads no text of its own
            j = i - t_enc
            assert f"→{chars.targets[j]} ({chars.predicted[j]})" in html and "<b>" not in html


@pytest.mark.parametrize("model", ["Seq2Seq", "BidirectionalRNN"])
def test_the_network_view_draws_a_text_task_of_every_kind(qapp, model):
    ctx = Context(AppModel(SessionConfig(model=model, task="char-text", hidden=4, length=5)))
    view = get("network")(ctx)
    view.resize(1200, 700)
    for cursor in (Cursor("forward", 3), Cursor("backward", 2), Cursor("update", 1)):
        ctx.app.set_cursor(cursor)
        assert draw_now(view, ctx)  # raised IndexError for an encoder-decoder
        shown = [it for it in view.char_items if it.isVisible()]
        assert len(shown) == ctx.app.result.T
        assert all(it.toPlainText().strip() for it in shown)
    view.close()
    ctx.close()
