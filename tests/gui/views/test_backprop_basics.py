"""The chain-rule graph and the dense network's backprop draw what their presenters compute."""

import numpy as np
import pytest

from gui.context import Context
from gui.model.app_model import AppModel
from gui.model.present import dense
from gui.model.present.chain_rule import example
from gui.views.chain_rule import ChainRuleView
from gui.views.dense_backprop import DenseBackpropView
from tests.gui.conftest import draw


@pytest.fixture
def ctx(qapp):
    return Context(AppModel())


@pytest.mark.parametrize("name,route", [("single", -1), ("two", -1), ("two", 1), ("n", 3)])
def test_the_purple_arrows_are_the_lit_routes(ctx, qtbot, name, route):
    view = ChainRuleView(ctx)
    qtbot.addWidget(view)
    ctx.app.set_options("chain-rule", example=name, n=5, route=route)
    draw(view, ctx.app)
    g = example(name, 5)
    lit = g.routes if route < 0 else (g.routes[route],)
    edges = {e for r in lit for e in r}
    assert len(view.backward.segments) == len(edges)
    assert len(view.forward.segments) == len(g.edges)  # every dependency, in grey
    assert f"{g.total:.3g}".replace("-", "−") in view.words.text
    view.route_box.setCurrentIndex(view.route_box.count() - 1)
    view.route_box.activated.emit(view.route_box.count() - 1)
    assert ctx.app.options["chain-rule"].route == len(g.routes) - 1


def test_the_red_arrows_are_the_next_layers_errors(ctx, qtbot):
    view = DenseBackpropView(ctx)
    qtbot.addWidget(view)
    net, tr = dense.network()
    L = net.L
    for step in range(dense.n_steps(L)):
        ctx.app.set_options("dense", step=step, neuron=1)
        draw(view, ctx.app)
        st = dense.step_at(step, L)
        if st.phase == "backward" and st.layer < L:
            terms = dense.incoming_errors(net, tr, st.layer, 1)
            assert len(view.errors.segments) == net.sizes[st.layer + 1]
            np.testing.assert_allclose(view.picked, terms)
            assert terms.sum() == pytest.approx(tr.delta_h[st.layer][1])
        else:
            assert len(view.errors.segments) == 0
