"""The vanishing-gradient formulas at the cursor carry the engine's numbers (issue 11, item 7)."""

import numpy as np

from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.model.present.numbers import fmt
from gui.model.present.vanishing_text import formula_text
from sim.run import SessionConfig, compute
from sim.vanishing import cell_error_row, simple_rnn_product
from tests.gui.conftest import draw_waiting


def test_simple_rnn_formula_has_the_true_product_the_articles_and_the_bound():
    r = compute(SessionConfig(model="SimpleRNN", hidden=5, length=12, radius=0.8))
    s = int(r.backward.sources[-1])
    text = formula_text(r, 3)
    p = simple_rnn_product(r.forward, s, 3)
    for number in (p.true_norm, p.article_norm, p.bound, p.relative_error):
        assert fmt(number) in text
    assert f"J({s}) → h(3)" in text
    assert formula_text(r, s) == ""  # no later loss reaches the last source's own step


def test_lstm_formula_is_the_error_into_the_cell_through_the_whole_block():
    r = compute(SessionConfig(model="LSTM", hidden=4, length=10))
    s = int(r.backward.sources[-1])
    row = cell_error_row(r.forward, np.asarray(r.backward.deltas["out"]), s)
    assert fmt(row[1]) in formula_text(r, 2) and "holds y fixed" in formula_text(r, 2)
    assert formula_text(compute(SessionConfig(model="GRU", length=6)), 2) == ""


def test_the_gradient_flow_view_shows_it_at_a_backward_cursor(qtbot):
    from gui.context import Context
    from gui.views.gradient_flow import GradientFlowView

    app = AppModel(SessionConfig(model="SimpleRNN", hidden=4, length=10))
    ctx = Context(app)
    view = GradientFlowView(ctx)
    qtbot.addWidget(view)
    draw_waiting(view, ctx, Cursor("backward", 4))
    assert formula_text(app.result, 4) in view.cursor_caption.text
