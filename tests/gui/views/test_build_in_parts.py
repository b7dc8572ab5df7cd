"""Views built in parts (gui/views/base.py, View.build_steps): the window builds a hidden tab's
heavy views one part per idle step (gui/prepare_tabs.py). Built so, a view has more than one
step, no step makes more than one plot, and it draws exactly as the same view made at once."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtWidgets

from gui.context import Context
from gui.frames import draw_now
from gui.model.app_model import AppModel
from gui.views import REGISTRY, load
from sim.run import SessionConfig

#: view name -> (session, options set before building)
CASES = {
    "gradient-flow": (SessionConfig(model="LSTM", hidden=4, length=8),
                      {"gradient-flow": {"compare": True}}),
    "landscape": (SessionConfig(model="SimpleRNN", hidden=4, length=8), {}),
    "training": (SessionConfig(model="LSTM", hidden=4, length=8), {}),
    "network-folded": (SessionConfig(model="SimpleRNN", hidden=4, length=8),
                       {"folded": {"unroll": True}}),
    "task-types": (SessionConfig(model="LSTM", hidden=4, length=8), {}),
    "gru-block": (SessionConfig(model="GRU", hidden=4, length=8), {}),
}
#: plots (pyqtgraph PlotItems) each view holds; the others draw in plain view boxes
PLOTS = {"gradient-flow": 3, "landscape": 3, "training": 3, "network-folded": 1}


def _context(name):
    cfg, options = CASES[name]
    ctx = Context(AppModel(cfg))
    for section, values in options.items():
        ctx.app.set_options(section, **values)
    return ctx


def _build(cls, ctx, monkeypatch):
    """Run ``cls.build_steps(ctx)`` to the end: (the view, PlotItems made in each step)."""
    made = [0]
    init = pg.PlotItem.__init__

    def counting(self, *args, **kwargs):
        made[0] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(pg.PlotItem, "__init__", counting)
    steps = cls.build_steps(ctx)
    per_step = []
    while True:
        made[0] = 0
        try:
            next(steps)
        except StopIteration as done:
            per_step.append(made[0])
            view = done.value
            break
        per_step.append(made[0])
    monkeypatch.setattr(pg.PlotItem, "__init__", init)
    return view, per_step


def _value(item):
    """What ``item`` shows: its data, image or text (None for items that show neither)."""
    if isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem, pg.ScatterPlotItem)):
        x, y = item.getData()
        return [None if x is None else np.asarray(x).tolist(),
                None if y is None else np.asarray(y).tolist(), item.isVisible()]
    if isinstance(item, pg.ImageItem):
        return None if item.image is None else np.asarray(item.image).tolist()
    if isinstance(item, pg.TextItem):
        return [item.toPlainText(), item.isVisible()]
    if isinstance(item, pg.LabelItem):
        return [item.text, item.isVisible()]
    if isinstance(item, pg.AxisItem):
        return [item.labelText, item.isVisible(), repr(item._tickLevels)]
    if isinstance(item, pg.InfiniteLine):
        return [item.value(), item.isVisible()]
    if isinstance(item, pg.LinearRegionItem):
        return [list(item.getRegion()), item.isVisible()]
    return None


def drawn(view) -> list:
    """Everything ``view`` draws, in its scenes' stacking order: each item's type and what it
    shows, each plot's place and ranges, each control's text and state."""
    out = []
    for canvas in view.findChildren(pg.GraphicsView):
        for item in canvas.scene().items(QtCore.Qt.SortOrder.AscendingOrder):
            value = _value(item)
            if isinstance(item, pg.PlotItem):
                r = item.sceneBoundingRect()
                value = [round(r.x()), round(r.y()), round(r.width()), round(r.height()),
                         np.round(item.viewRange(), 6).tolist()]
            out.append((type(item).__name__, value))
    for w in view.findChildren(QtWidgets.QWidget):
        if isinstance(w, QtWidgets.QLabel):
            out.append(("QLabel", w.text()))
        elif isinstance(w, QtWidgets.QAbstractButton):
            out.append((type(w).__name__, w.text(), w.isChecked(), w.isEnabled()))
        elif isinstance(w, (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox)):
            text = w.currentText() if isinstance(w, QtWidgets.QComboBox) else w.text()
            out.append((type(w).__name__, text, w.isEnabled()))
    return out


def _show(qtbot, views, ctx):
    """Show ``views`` side by side (separate windows), then draw each twice; each wait serves
    all of them."""
    for view in views:
        qtbot.addWidget(view)
        view.setMinimumSize(1000, 700)  # fixed: no size-hint changes for the offscreen window
        view.resize(1200, 800)
        view.show()
        qtbot.waitExposed(view)
    qtbot.wait(100)  # shown and laid out (the controls' row wraps to its width)
    for view in views:
        assert draw_now(view, ctx)
    qtbot.wait(100)  # the canvases fit their figures once the labels have rewrapped
    for view in views:
        assert draw_now(view, ctx)


@pytest.mark.parametrize("name", sorted(CASES))
def test_built_in_parts_draws_as_made_at_once(qtbot, no_leaks, monkeypatch, name):
    load()
    cls = REGISTRY[name]
    assert "__init__" not in vars(cls)  # built in _build_parts, nothing left in __init__
    ctx = _context(name)
    parted, per_step = _build(cls, ctx, monkeypatch)
    assert len(per_step) > 2, per_step  # built over several idle steps, not in one
    assert max(per_step) <= 1, per_step  # no step makes more than one plot (10 to 25 ms each)
    assert sum(per_step) >= PLOTS.get(name, 0), per_step  # its plots are made in the steps
    direct = cls(ctx)
    _show(qtbot, (parted, direct), ctx)
    a, b = drawn(parted), drawn(direct)
    assert len(a) > 20  # plots, curves, texts and controls: the comparison compares something
    assert sum(1 for kind, *_ in a if kind == "PlotItem") >= PLOTS.get(name, 0)
    shows = ("PlotDataItem", "PlotCurveItem", "ImageItem", "TextItem", "LabelItem")
    if name != "training":  # (no curves before the first training run)
        assert any(e[1][0] for e in a if e[0] in shows and e[1] is not None)  # drawn data
    assert a == b
    ctx.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_views_made_at_once_still_build_everything(qtbot, name):
    """``cls(ctx)`` (exports, tests) runs every part: the same items as built in steps."""
    load()
    cls = REGISTRY[name]
    ctx = _context(name)
    view = cls(ctx)
    qtbot.addWidget(view)
    steps = cls.build_steps(ctx)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            other = done.value
            break
    qtbot.addWidget(other)
    count = [len(v.findChildren(pg.GraphicsView)) for v in (view, other)]
    assert count[0] == count[1] >= 1
    items = [sorted(type(i).__name__ for c in v.findChildren(pg.GraphicsView)
                    for i in c.scene().items()) for v in (view, other)]
    assert items[0] == items[1]
    ctx.close()
