"""The one arrow layer: segments by style with arrowheads, and polylines with one arrowhead at
their end (or start, reversed)."""

import numpy as np
import pyqtgraph as pg
import pytest

from gui import colors
from gui.graphics.arrows import EdgeLayer, polyline_segments


@pytest.fixture
def vb(qtbot):
    w = pg.GraphicsLayoutWidget()
    qtbot.addWidget(w)
    w.resize(400, 400)
    box = w.ci.addViewBox()
    box.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    yield box
    w.close()  # the widget lives as long as the test


def _points(layer, code):
    item = layer._items[code]
    x, y = item.getData()
    return np.stack([x, y], axis=1).reshape(-1, 2, 2)  # (n, 2, 2) drawn pairs


def test_segments_get_one_arrowhead_each(vb):
    layer = EdgeLayer(vb, head_px=8)
    segs = np.array([[[0, 0], [5, 0]], [[0, 1], [0, 6]]], float)  # (2, 2, 2)
    layer.set(segs, np.array([0, 0]), {0: colors.pen("#000000")})
    assert len(_points(layer, 0)) == 2 * 3  # shaft and two chevrons each
    np.testing.assert_array_equal(layer.drawn()[0], segs)


def test_polylines_get_one_arrowhead_at_their_end_or_start(vb):
    layer = EdgeLayer(vb, head_px=8)
    line = ((0.0, 0.0), (4.0, 0.0), (4.0, 4.0))
    other = ((1.0, 1.0), (2.0, 1.0))
    pens = {("a", 1): colors.pen("#ff0000"), "b": colors.pen("#0000ff")}
    layer.set_polylines([line, other], [("a", 1), "b"], pens, reverse=[False, True])
    a, b = layer.code_of(("a", 1)), layer.code_of("b")
    assert a != b and layer.code_of("c") is None
    drawn = layer.drawn()
    np.testing.assert_array_equal(drawn[a], polyline_segments(line))  # arrowheads excluded
    np.testing.assert_array_equal(drawn[b], [[[2.0, 1.0], [1.0, 1.0]]])  # reversed
    pts = _points(layer, a)
    assert len(pts) == 2 + 2  # two shaft segments, one arrowhead of two chevrons
    assert all(np.allclose(p[1], (4.0, 4.0)) for p in pts[2:])  # the head is at the end
    pts = _points(layer, b)
    assert len(pts) == 1 + 2 and all(np.allclose(p[1], (1.0, 1.0)) for p in pts[1:])
    assert layer.pen_of(a).color().red() == 255
    # a style unused the next time is hidden; nothing drawn hides everything
    layer.set_polylines([other], ["b"], pens)
    assert not layer._items[a].isVisible() and layer._items[b].isVisible()
    layer.set_polylines([], [], {})
    assert layer.drawn() == {} and not any(i.isVisible() for i in layer.items())


def test_antialias_applies_to_styles_made_later(vb):
    layer = EdgeLayer(vb, head_px=0)
    layer.set_antialias(True)
    layer.set_polylines([((0.0, 0.0), (1.0, 1.0))], ["x"], {"x": colors.pen("#000000")})
    assert layer._items[layer.code_of("x")].opts["antialias"] is True
    assert len(_points(layer, layer.code_of("x"))) == 1  # head_px = 0: no arrowheads
