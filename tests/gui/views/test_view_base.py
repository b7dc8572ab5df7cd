"""The view base: a view class that forgets its one drawing method is refused when it is made;
a canvas is not painted again when its window is activated."""

import pytest
from PySide6 import QtCore, QtWidgets

from gui import theme as themes
from gui.views import load
from gui.views.base import View, make_canvas


def test_a_named_view_without_draw_is_refused_when_made():
    with pytest.raises(TypeError, match="defines no _draw"):
        type("Forgetful", (View,), {"name": "forgetful"})
    assert all(cls._draw is not View._draw for cls in load().values())


def test_window_activation_does_not_repaint_a_figure(qtbot):
    """Qt asks every graphics widget of a scene to be painted again when the window is
    activated or deactivated, and a tab shown in an active window is (its whole figure was
    painted two or three times); a canvas's scene ignores activation."""
    canvas = make_canvas(themes.get("light"))
    qtbot.addWidget(canvas)
    plot = canvas.ci.addPlot(row=0, col=0)
    plot.plot([0, 1, 2], [1, 0, 1])
    canvas.resize(400, 300)
    canvas.show()
    qtbot.waitExposed(canvas)
    changed = []
    canvas.scene().changed.connect(changed.append)
    for _ in range(50):  # until the first show's layout and paints are over
        changed.clear()
        qtbot.wait(100)
        if not changed:
            break
    assert not changed
    for kind in (QtCore.QEvent.Type.WindowDeactivate, QtCore.QEvent.Type.WindowActivate):
        QtWidgets.QApplication.sendEvent(canvas.scene(), QtCore.QEvent(kind))
    qtbot.wait(100)  # the scene reports changed regions on the next pass of the event loop
    assert changed == []
    plot.plot([0, 1], [0, 1])  # the figure itself still repaints when it changes
    qtbot.waitUntil(lambda: changed != [], timeout=1_000)
