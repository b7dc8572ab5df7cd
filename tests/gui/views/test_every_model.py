"""Every view draws every model kind (issue 13): a session of a GRU, a bidirectional model or an
encoder-decoder never breaks a view, and the pictures say which model they show."""

import numpy as np
import pytest

from gui import export, views
from gui.context import Context
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from sim.run import SessionConfig

CONFIGS = {
    "gru": SessionConfig(model="GRU", hidden=4, length=6),
    "bidirectional-gru": SessionConfig(model="BidirectionalRNN", cell="gru", hidden=3, length=6),
    "seq2seq-lstm": SessionConfig(model="Seq2Seq", task="reverse", hidden=3, length=4),
    "seq2seq-rnn": SessionConfig(model="Seq2Seq", cell="rnn", task="reverse", hidden=3,
                                 length=4),
}
SESSION_VIEWS = [n for n, cls in views.load().items() if cls.uses_session]


@pytest.fixture(scope="module", params=list(CONFIGS))
def ctx(request, qapp):
    app = AppModel()
    app.set_config(CONFIGS[request.param])
    app.compute_now()
    c = Context(app)
    yield c
    c.close() if hasattr(c, "close") else None


@pytest.mark.parametrize("name", SESSION_VIEWS)
def test_every_view_draws_every_model(ctx, name):
    view = export.make_view(name, ctx, size=(900, 600))
    try:
        T = ctx.app.result.T
        for cursor in (Cursor("forward", 1), Cursor("forward", T), Cursor("backward", T),
                       Cursor("backward", 1), Cursor("update", 0)):
            export.draw(view, ctx, cursor)
        img = export.to_image(view, 600)
        rgb = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), -1)
        assert len(np.unique(rgb)) > 4, f"{name} drew an empty picture"
    finally:
        view.close()
        view.deleteLater()


def test_the_folded_view_names_the_model(ctx):
    view = export.make_view("network-folded", ctx, size=(900, 600))
    try:
        tr = ctx.app.result.forward
        export.draw(view, ctx, Cursor("forward", 1))
        block = view.texts["block"].textItem.toPlainText()
        if tr.kind == "Seq2Seq":
            assert block.startswith("encoder")
            assert view.texts["out"].textItem.toPlainText() == "no output (encoder)"
            export.draw(view, ctx, Cursor("forward", tr.T))
            assert view.texts["block"].textItem.toPlainText().startswith("decoder")
            assert view.texts["out"].textItem.toPlainText() == f"ŷ({tr.T_dec})"
        elif tr.kind == "BidirectionalRNN":
            assert block.startswith("bidirectional GRUs")
            assert "bwd.R_r, R_u, R_n from t + 1" in view.texts["loop"].textItem.toPlainText()
        else:
            assert "R_r, R_u, R_n" in view.texts["loop"].textItem.toPlainText()
    finally:
        view.close()
        view.deleteLater()
