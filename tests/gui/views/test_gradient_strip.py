"""The per-step gradient strip draws the trace's (dJ/dθ)^(t): each step's tile in the diverging
colours of its own entries, steps not computed yet faint, at every moment and after the result
or the parameter changes (the tiles are coloured once per result and parameter)."""

import numpy as np

from gui import colors
from gui.context import Context
from gui.frames import draw_now
from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from gui.views import get
from gui.views.gradient_strip import strip_layout
from sim.run import SessionConfig, compute


def tiles_drawn(strip, T):
    """(T, h, w, 3) the colours of each step's tile in the drawn image."""
    g = strip.rgba  # (h, width, 4)
    h = g.shape[0]
    w = (g.shape[1] + 1) // T - 1
    return np.stack([g[:, t * (w + 1):t * (w + 1) + w, :3] for t in range(T)]), h, w


def expected(result, name):
    g = np.asarray(result.backward.grads_per_step[name])  # (T, *shape)
    if g.ndim == 2:
        g = g[:, :, None]
    return colors.rgb("diverging", colors.signed_index(g, colors.finite_max(g)))


def test_each_tile_is_its_steps_gradient_and_later_steps_are_faint(qapp):
    ctx = Context(AppModel(SessionConfig(model="LSTM", hidden=5, length=7)))
    strip = get("gradient-strip")(ctx)
    strip.resize(900, 300)
    app = ctx.app
    faint = colors.hex_to_rgb(strip.theme.faint)
    for name in ("W_i", "b_o", "W_i"):
        app.set_selection(parameter=name)
        for cursor in (Cursor("backward", 7), Cursor("backward", 3), Cursor("update", 7),
                       Cursor("forward", 2), Cursor("backward", 5)):
            app.set_cursor(cursor)
            draw_now(strip, ctx)
            assert strip.parameter == name
            drawn, h, w = tiles_drawn(strip, 7)
            want = expected(app.result, name)
            shown = strip.shown_steps(7, cursor)
            assert shown.sum() == {"backward": 8 - cursor.t, "update": 7,
                                   "forward": 0}[cursor.phase]
            for t in range(7):
                if shown[t]:
                    np.testing.assert_array_equal(drawn[t], want[t], err_msg=f"{name} {cursor}")
                else:
                    assert (drawn[t] == faint).all(), (name, cursor, t)
            width = strip_layout(np.asarray(app.result.forward.params[name]).shape, 7)[3]
            assert strip.rgba.shape == (h, width, 4)
            assert (strip.rgba[:, w::w + 1, 3] == 0).all()  # the gaps stay see-through
    old = app.result
    app.update_config(hidden=3)  # a new result: its own tiles
    if app.result is old:
        assert app.land(app.pending, compute(app.pending.config))
    assert app.result is not old and app.result.forward.n_hidden == 3
    app.set_cursor(Cursor("update", 7))
    draw_now(strip, ctx)
    drawn, h, w = tiles_drawn(strip, 7)
    np.testing.assert_array_equal(drawn, expected(app.result, strip.parameter))
    strip.close()
    ctx.close()
