"""The D slider: one step per D up to 100, logarithmic from 100 to 10,000, with its scale."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...model.present import geometry as gp


class DSlider(QtWidgets.QWidget):
    """A horizontal slider over D = 1..10,000 with a scale under it.

    Signals
    -------
    d_changed(int) : the user moved it to this D.
    """

    d_changed = QtCore.Signal(int)

    def __init__(self, D: int = 100, parent=None):
        super().__init__(parent)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, gp.SLIDER_MAX)
        self.slider.setValue(gp.d_to_slider(D))
        self.slider.setToolTip("The dimension D: one step per D up to 100, logarithmic from 100 "
                               "to 10,000")
        self.slider.setMinimumWidth(200)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.slider)
        scale = QtWidgets.QHBoxLayout()
        for text, stretch in (("1", gp.D_LINEAR - 1), ("100", gp.SLIDER_LOG_STEPS // 2),
                              ("1,000", gp.SLIDER_LOG_STEPS // 2), ("10,000", 0)):
            lab = QtWidgets.QLabel(text)
            lab.setStyleSheet("color: palette(mid); font-size: 8pt;")
            scale.addWidget(lab, stretch)
        box.addLayout(scale)
        self.slider.valueChanged.connect(lambda pos: self.d_changed.emit(gp.slider_to_d(pos)))

    def show_d(self, D: int) -> None:
        """Put the handle at D (silently; kept where it is if it already stands for D)."""
        if gp.slider_to_d(self.slider.value()) != D:
            self.slider.blockSignals(True)
            self.slider.setValue(gp.d_to_slider(D))
            self.slider.blockSignals(False)
