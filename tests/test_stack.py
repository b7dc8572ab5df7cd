"""Guards against the dependency traps of DESIGN.md: a PySide6 that aborts after thousands of
void Qt calls (6.12 on Python 3.11) and a pyqtgraph/Qt pair whose SVG export raises (Qt >= 6.11).
"""

import xml.etree.ElementTree as ET

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets


def test_tens_of_thousands_of_void_qt_calls(qapp):
    w = QtWidgets.QWidget()
    for i in range(30_000):
        w.setMinimumWidth(i % 50)  # a void call: 6.12 decrements None's refcount on each
        w.update()
    assert w.minimumWidth() == 29_999 % 50
    pen = QtGui.QPen()
    for i in range(20_000):
        pen.setWidthF(1.0 + (i % 3))
    assert pen.widthF() == 1.0 + (19_999 % 3)
    w.deleteLater()


def test_svg_export_works(qapp, tmp_path):
    from pyqtgraph.exporters import SVGExporter

    win = pg.GraphicsLayoutWidget()
    plot = win.addPlot()
    plot.plot([0, 1, 2, 3], [0, 1, 0, 1], pen="b")
    plot.addItem(pg.TextItem("J(3)"))
    path = tmp_path / "out.svg"
    SVGExporter(plot).export(str(path))
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert any(el.tag.endswith("path") or el.tag.endswith("polyline") for el in root.iter())
    win.deleteLater()


def test_versions_are_the_pinned_ones():
    from importlib.metadata import version

    major, minor = (int(x) for x in QtCore.__version__.split(".")[:2])
    assert (6, 8) <= (major, minor) < (6, 11), QtCore.__version__
    assert version("pyqtgraph").startswith("0.14"), version("pyqtgraph")
