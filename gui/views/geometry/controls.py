"""The Geometry tab's control bar: the D slider and box, presets, the sampling parameters, the
layout, and the progress of the tab's sampling with Cancel.

Every control writes the user's intent into the application model (the "geometry" and
"geometry-panel" option sections) and shows what the model holds, so a change made elsewhere (a
session, a preset, a test) shows in them. Cancel stops the geometry jobs only.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from sim import geometry

from ...flow_layout import FlowLayout
from ...model.options import GEOMETRY_LAYOUTS
from ...model.present import geometry as gp
from .slider import DSlider

SAMPLER_LABELS = {"cube": "uniform in [−1, 1]ᴰ (article)", "ball": "uniform in the D-ball",
                  "gaussian": "Gaussian"}


def _group(label: str, widget: QtWidgets.QWidget, tip: str) -> QtWidgets.QWidget:
    box = QtWidgets.QWidget()
    lay = QtWidgets.QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(4)
    text = QtWidgets.QLabel(label)
    text.setToolTip(tip)
    widget.setToolTip(tip)
    lay.addWidget(text)
    lay.addWidget(widget)
    return box


def _combo(items) -> QtWidgets.QComboBox:
    box = QtWidgets.QComboBox()
    for text, data in items:
        box.addItem(text, data)
    return box


class ControlBar(QtWidgets.QWidget):
    """The D slider and box, the presets, the sampling parameters, progress and Cancel.

    Parameters
    ----------
    ctx : the gui.context.Context (its model is written, its runner watched).
    busy : a callable saying whether the tab's own jobs are queued or running.
    """

    def __init__(self, ctx, busy, parent=None):
        super().__init__(parent)
        self.ctx, self.app = ctx, ctx.app
        self._busy = busy
        p = self.app.options["geometry"]
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 4)
        outer.setSpacing(4)

        # row 1: D, progress, Cancel
        row = QtWidgets.QHBoxLayout()
        self.d_slider = DSlider(p.D)
        self.slider = self.d_slider.slider
        self.spin = QtWidgets.QSpinBox()
        self.spin.setRange(1, gp.D_MAX)
        self.spin.setValue(p.D)
        self.spin.setGroupSeparatorShown(True)
        self.spin.setKeyboardTracking(False)
        self.spin.setToolTip("Type any D from 1 to 10,000")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(100)
        self.progress.setFixedWidth(150)
        self.progress.setFormat("samples ready")
        self.progress.setToolTip("Monte Carlo sampling runs off the GUI thread")
        self.cancel = QtWidgets.QPushButton("Cancel")
        self.cancel.setEnabled(False)
        self.cancel.setToolTip("Stop the sampling now (closed forms stay drawn)")
        row.addWidget(QtWidgets.QLabel("<b>D</b>"))
        row.addWidget(self.d_slider, 1)
        row.addWidget(self.spin)
        row.addWidget(self.progress)
        row.addWidget(self.cancel)
        outer.addLayout(row)

        # the rest, wrapping as the window narrows
        flow = FlowLayout(spacing=10)
        flow.addWidget(self._presets())
        self.N = QtWidgets.QSpinBox()
        self.N.setRange(1, gp.N_MAX)
        self.N.setGroupSeparatorShown(True)
        self.N.setKeyboardTracking(False)
        self.N.setValue(p.N)
        flow.addWidget(_group("N", self.N, "Samples dropped into the grid (Grids view)"))
        self.b = QtWidgets.QSpinBox()
        self.b.setRange(2, gp.B_MAX)
        self.b.setValue(p.b)
        flow.addWidget(_group("b", self.b, "Cells per axis of the grid (the article: 10)"))
        self.eps = QtWidgets.QDoubleSpinBox()
        self.eps.setDecimals(3)
        self.eps.setRange(0.001, 0.5)
        self.eps.setSingleStep(0.005)
        self.eps.setKeyboardTracking(False)
        self.eps.setValue(p.eps)
        flow.addWidget(_group("ε", self.eps, "Shell thickness as a share of the radius "
                              "(the article: 0.01)"))
        self.sampler = _combo((SAMPLER_LABELS[s], s) for s in geometry.SAMPLERS)
        flow.addWidget(_group("vectors", self.sampler, "Where the angle experiment's random "
                              "vectors come from"))
        self.pairs = _combo((f"{n:,}", n) for n in gp.N_PAIRS_CHOICES)
        flow.addWidget(_group("pairs", self.pairs, "Random pairs per angle histogram (the "
                              "article: 10,000)"))
        self.dims = QtWidgets.QLineEdit(", ".join(map(str, p.angle_dims)))
        self.dims.setValidator(QtGui.QRegularExpressionValidator(
            QtCore.QRegularExpression(r"[0-9, ]{0,60}")))
        self.dims.setFixedWidth(110)
        flow.addWidget(_group("histograms at D", self.dims, "Up to six D for the angle "
                              "histograms, 1..10,000, separated by commas (the article: 2, 3, "
                              "50, 100); Enter applies"))
        self.kind = _combo((("one query to n points", "query"),
                            ("all pairs of n points", "pairwise")))
        flow.addWidget(_group("distances", self.kind, "Which distances the histogram shows"))
        self.points = _combo((f"{n:,}", n) for n in gp.N_POINTS_CHOICES)
        flow.addWidget(_group("n", self.points, "Random points in the unit cube for the "
                              "distances and the contrast curve"))
        self.resample = QtWidgets.QPushButton("New samples")
        self.resample.setToolTip("Draw every Monte Carlo sample again with the next seed")
        flow.addWidget(self.resample)
        self.layout_box = _combo((name, name) for name in GEOMETRY_LAYOUTS)
        flow.addWidget(_group("layout", self.layout_box, "auto: a 2 × 3 grid when the window is "
                              "large, one view per tab otherwise"))
        self.status = QtWidgets.QLabel("")
        self.status.setStyleSheet("color: #b00020;")
        flow.addWidget(self.status)
        outer.addLayout(flow)
        self._follow(p)
        self._follow_panel(self.app.options["geometry-panel"])
        self._connect()
        self._was_cancelled = False
        self.update_busy()

    def _presets(self) -> QtWidgets.QWidget:
        presets = QtWidgets.QWidget()
        pl = QtWidgets.QHBoxLayout(presets)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addWidget(QtWidgets.QLabel("go to"))
        self.preset_buttons = {}
        for d in gp.PRESETS:
            b = QtWidgets.QToolButton()
            b.setText(f"{d:,}")
            b.setToolTip(f"D = {d:,}")
            b.clicked.connect(lambda _=False, d=d: self._set(D=d))
            pl.addWidget(b)
            self.preset_buttons[d] = b
        return presets

    def _connect(self) -> None:
        self.d_slider.d_changed.connect(lambda d: self._set(D=d))
        self.spin.valueChanged.connect(lambda d: self._set(D=int(d)))
        self.N.valueChanged.connect(lambda n: self._set(N=int(n)))
        self.b.valueChanged.connect(lambda b: self._set(b=int(b)))
        self.eps.valueChanged.connect(lambda e: self._set(eps=round(float(e), 6)))
        self.sampler.currentIndexChanged.connect(
            lambda _: self._set(sampler=self.sampler.currentData()))
        self.pairs.currentIndexChanged.connect(
            lambda _: self._set(n_pairs=int(self.pairs.currentData())))
        self.dims.editingFinished.connect(self._on_dims_edited)
        self.kind.currentIndexChanged.connect(
            lambda _: self._set(distance_kind=self.kind.currentData()))
        self.points.currentIndexChanged.connect(
            lambda _: self._set(n_points=int(self.points.currentData())))
        self.resample.clicked.connect(
            lambda: self._set(seed=self.app.options["geometry"].seed + 1))
        self.cancel.clicked.connect(self._on_cancel)
        self.layout_box.currentIndexChanged.connect(
            lambda _: self.app.set_options("geometry-panel", user=False,
                                           layout=self.layout_box.currentData()))
        self.ctx.qt.options_changed.connect(self._on_options_changed)
        runner = self.ctx.runner
        runner.progress.connect(self._on_progress)
        runner.busy_changed.connect(self.update_busy)
        runner.settled.connect(self.update_busy)
        runner.failed.connect(self._on_failed)

    # -- user -> model ------------------------------------------------------------------------
    def _set(self, **changes) -> None:
        try:
            self.app.options["geometry"].replace(**changes)
        except ValueError as exc:  # the controls' ranges make this rare; say it, never raise
            self.status.setText(str(exc))
            return
        self.status.setText("")
        self.app.set_options("geometry", **changes)

    def _on_dims_edited(self) -> None:
        try:
            dims = gp.parse_dims(self.dims.text())
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self._set(angle_dims=dims)

    def _on_cancel(self) -> None:
        self.ctx.runner.cancel(predicate=gp.is_geometry_job)
        self._was_cancelled = True
        self.update_busy()

    # -- model -> controls --------------------------------------------------------------------
    def _on_options_changed(self, section: str, options) -> None:
        if section in ("geometry", "geometry-panel"):  # a new question: no longer cancelled
            self._was_cancelled = False
            self.update_busy()
        if section == "geometry":
            self._follow(options)
        elif section == "geometry-panel":
            self._follow_panel(options)

    def _follow(self, p) -> None:
        widgets = (self.spin, self.N, self.b, self.eps, self.sampler, self.pairs, self.kind,
                   self.points)
        for w in widgets:
            w.blockSignals(True)
        self.d_slider.show_d(p.D)
        self.spin.setValue(p.D)
        self.N.setValue(p.N)
        self.b.setValue(p.b)
        if abs(self.eps.value() - p.eps) > 1e-9:
            self.eps.setValue(p.eps)
        self.sampler.setCurrentIndex(geometry.SAMPLERS.index(p.sampler))
        if p.n_pairs in gp.N_PAIRS_CHOICES:
            self.pairs.setCurrentIndex(gp.N_PAIRS_CHOICES.index(p.n_pairs))
        self.kind.setCurrentIndex(gp.DISTANCE_KINDS.index(p.distance_kind))
        if p.n_points in gp.N_POINTS_CHOICES:
            self.points.setCurrentIndex(gp.N_POINTS_CHOICES.index(p.n_points))
        for w in widgets:
            w.blockSignals(False)
        text = ", ".join(map(str, p.angle_dims))
        if self.dims.text() != text and not self.dims.hasFocus():
            self.dims.setText(text)

    def _follow_panel(self, options) -> None:
        i = GEOMETRY_LAYOUTS.index(options.layout)
        if self.layout_box.currentIndex() != i:
            self.layout_box.blockSignals(True)
            self.layout_box.setCurrentIndex(i)
            self.layout_box.blockSignals(False)

    # -- the runner ---------------------------------------------------------------------------
    def _on_progress(self, f: float) -> None:
        if self._busy():
            v = int(100 * f)
            if v != self.progress.value():  # a repaint per percent at most
                self.progress.setValue(v)

    def update_busy(self, *_) -> None:
        """Cancel and the progress format follow whether the tab's jobs run."""
        busy = bool(self._busy())
        self.cancel.setEnabled(busy and not self._was_cancelled)
        if self._was_cancelled:
            self.progress.setFormat("cancelled")
        elif busy:
            self.progress.setFormat("sampling %p%")
        else:
            self.progress.setValue(100)
            self.progress.setFormat("samples ready")

    def _on_failed(self, job, message: str) -> None:
        if gp.is_geometry_job(job):
            self.status.setText(f"sampling failed: {message}")
