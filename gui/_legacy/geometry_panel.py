"""The Geometry tab: one control bar (the D slider, the sampling parameters, progress and Cancel)
above the five geometry views and a table of the article's claims next to the exact numbers.

The views sit in a 2 x 3 grid when the tab is large enough for each to stay readable, otherwise
in tabs of their own ("Layout: auto" switches at :data:`GRID_MIN`; the user can force either).
Every control writes to the :class:`~gui.geometry_state.GeometryState`; the controls follow the
state, so a change made elsewhere (a test, a preset) shows in them.
"""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from sim import geometry

from .. import geometry_state as gs
from . import register_tab
from .geometry_common import ARTICLE, VERMILLION, count, pct, sci, sci_log10

#: the smallest tab area (width, height) at which "auto" lays the views out in a 2 x 3 grid
GRID_MIN = (1560, 760)
LAYOUTS = ("auto", "grid", "tabs")
TAB_TITLES = {"geometry-grid": "Grids", "geometry-cube": "Spiky cubes",
              "geometry-angles": "Pac-Man angles", "geometry-shell": "M&&M's shell",
              "geometry-distances": "Distances"}
SAMPLER_LABELS = {"cube": "uniform in [−1, 1]ᴰ (article)", "ball": "uniform in the D-ball",
                  "gaussian": "Gaussian"}


class FlowLayout(QtWidgets.QLayout):
    """Lays widgets out left to right and wraps them onto new lines (Qt's flow layout example)."""

    def __init__(self, parent=None, spacing: int = 8):
        super().__init__(parent)
        self._items: list = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):  # noqa: N802 - Qt's name
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802 - Qt's name
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802 - Qt's name
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._place(QtCore.QRect(0, 0, width, 0), test=True)

    def setGeometry(self, rect):  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._place(rect, test=False)

    def sizeHint(self):  # noqa: N802 - Qt's name
        return self.minimumSize()

    def minimumSize(self):  # noqa: N802 - Qt's name
        size = QtCore.QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QtCore.QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect, *, test: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + gap // 2, 0
            if not test:
                item.setGeometry(QtCore.QRect(QtCore.QPoint(x, y), hint))
            x += hint.width() + gap
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


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


class ControlBar(QtWidgets.QWidget):
    """The D slider and box, the presets, the sampling parameters, progress and Cancel."""

    layout_changed = QtCore.Signal(str)

    def __init__(self, geo: gs.GeometryState, parent=None):
        super().__init__(parent)
        self.geo = geo
        p = geo.params
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 4)
        outer.setSpacing(4)

        # row 1: D
        row = QtWidgets.QHBoxLayout()
        d_label = QtWidgets.QLabel("<b>D</b>")
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, gs.SLIDER_MAX)
        self.slider.setValue(gs.d_to_slider(p.D))
        self.slider.setToolTip("The dimension D: one step per D up to 100, logarithmic from 100 "
                               "to 10,000")
        self.slider.setMinimumWidth(200)
        self.spin = QtWidgets.QSpinBox()
        self.spin.setRange(1, gs.D_MAX)
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
        slider_box = QtWidgets.QVBoxLayout()
        slider_box.setSpacing(0)
        slider_box.addWidget(self.slider)
        scale = QtWidgets.QHBoxLayout()
        for text, stretch in (("1", gs.D_LINEAR - 1), ("100", gs.SLIDER_LOG_STEPS // 2),
                              ("1,000", gs.SLIDER_LOG_STEPS // 2), ("10,000", 0)):
            lab = QtWidgets.QLabel(text)
            lab.setStyleSheet("color: palette(mid); font-size: 8pt;")
            scale.addWidget(lab, stretch)
        slider_box.addLayout(scale)
        row.addWidget(d_label)
        row.addLayout(slider_box, 1)
        row.addWidget(self.spin)
        row.addWidget(self.progress)
        row.addWidget(self.cancel)
        outer.addLayout(row)

        # the rest, wrapping as the window narrows
        flow = FlowLayout(spacing=10)
        presets = QtWidgets.QWidget()
        pl = QtWidgets.QHBoxLayout(presets)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addWidget(QtWidgets.QLabel("go to"))
        self.preset_buttons = {}
        for d in gs.PRESETS:
            b = QtWidgets.QToolButton()
            b.setText(f"{d:,}")
            b.setAutoRaise(False)
            b.setToolTip(f"D = {d:,}")
            b.clicked.connect(lambda _=False, d=d: self.geo.set(D=d))
            pl.addWidget(b)
            self.preset_buttons[d] = b
        flow.addWidget(presets)

        self.N = QtWidgets.QSpinBox()
        self.N.setRange(1, gs.N_MAX)
        self.N.setGroupSeparatorShown(True)
        self.N.setKeyboardTracking(False)
        self.N.setValue(p.N)
        flow.addWidget(_group("N", self.N, "Samples dropped into the grid (Grids view)"))
        self.b = QtWidgets.QSpinBox()
        self.b.setRange(2, gs.B_MAX)
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
        self.sampler = QtWidgets.QComboBox()
        for s in geometry.SAMPLERS:
            self.sampler.addItem(SAMPLER_LABELS[s], s)
        self.sampler.setCurrentIndex(geometry.SAMPLERS.index(p.sampler))
        flow.addWidget(_group("vectors", self.sampler, "Where the angle experiment's random "
                              "vectors come from"))
        self.pairs = QtWidgets.QComboBox()
        for n in gs.N_PAIRS_CHOICES:
            self.pairs.addItem(f"{n:,}", n)
        self.pairs.setCurrentIndex(gs.N_PAIRS_CHOICES.index(p.n_pairs))
        flow.addWidget(_group("pairs", self.pairs, "Random pairs per angle histogram (the "
                              "article: 10,000)"))
        self.dims = QtWidgets.QLineEdit(", ".join(map(str, p.angle_dims)))
        self.dims.setValidator(QtGui.QRegularExpressionValidator(
            QtCore.QRegularExpression(r"[0-9, ]{0,60}")))
        self.dims.setFixedWidth(110)
        flow.addWidget(_group("histograms at D", self.dims, "Up to six D for the angle "
                              "histograms, 1..10,000, separated by commas (the article: 2, 3, "
                              "50, 100); Enter applies"))
        self.kind = QtWidgets.QComboBox()
        self.kind.addItem("one query to n points", "query")
        self.kind.addItem("all pairs of n points", "pairwise")
        flow.addWidget(_group("distances", self.kind, "Which distances the histogram shows"))
        self.points = QtWidgets.QComboBox()
        for n in gs.N_POINTS_CHOICES:
            self.points.addItem(f"{n:,}", n)
        self.points.setCurrentIndex(gs.N_POINTS_CHOICES.index(p.n_points))
        flow.addWidget(_group("n", self.points, "Random points in the unit cube for the "
                              "distances and the contrast curve"))
        self.resample = QtWidgets.QPushButton("New samples")
        self.resample.setToolTip("Draw every Monte Carlo sample again with the next seed")
        flow.addWidget(self.resample)
        self.layout_box = QtWidgets.QComboBox()
        for name in LAYOUTS:
            self.layout_box.addItem(name, name)
        flow.addWidget(_group("layout", self.layout_box, "auto: a 2 × 3 grid when the window is "
                              "large, one view per tab otherwise"))
        self.status = QtWidgets.QLabel("")
        self.status.setStyleSheet("color: #b00020;")
        flow.addWidget(self.status)
        outer.addLayout(flow)

        # wiring
        self.slider.valueChanged.connect(self._on_slider_changed)
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
        self.resample.clicked.connect(geo.resample)
        self.cancel.clicked.connect(geo.cancel)
        self.layout_box.currentIndexChanged.connect(
            lambda _: self.layout_changed.emit(self.layout_box.currentData()))
        geo.changed.connect(self._on_params_changed)
        runner = geo.runner
        self._was_cancelled = False
        runner.progress.connect(self._on_progress)
        runner.busy_changed.connect(self._on_busy_changed)
        runner.cancelled.connect(self._on_cancelled)
        runner.failed.connect(self._on_failed)
        self._on_busy_changed(runner.busy)

    # -- user -> state ------------------------------------------------------------------------
    def _set(self, **changes) -> None:
        try:
            self.geo.set(**changes)
        except ValueError as exc:  # the controls' ranges make this rare; say it, never raise
            self.status.setText(str(exc))
        else:
            self.status.setText("")

    def _on_slider_changed(self, pos: int) -> None:
        self._set(D=gs.slider_to_d(pos))

    def _on_dims_edited(self) -> None:
        try:
            dims = gs.parse_dims(self.dims.text())
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self._set(angle_dims=dims)

    # -- state -> controls --------------------------------------------------------------------
    def _on_params_changed(self, changed) -> None:
        p = self.geo.params
        for w in (self.slider, self.spin, self.N, self.b, self.eps, self.sampler, self.pairs,
                  self.kind, self.points):
            w.blockSignals(True)
        if gs.slider_to_d(self.slider.value()) != p.D:
            self.slider.setValue(gs.d_to_slider(p.D))
        self.spin.setValue(p.D)
        self.N.setValue(p.N)
        self.b.setValue(p.b)
        if abs(self.eps.value() - p.eps) > 1e-9:
            self.eps.setValue(p.eps)
        self.sampler.setCurrentIndex(geometry.SAMPLERS.index(p.sampler))
        if p.n_pairs in gs.N_PAIRS_CHOICES:
            self.pairs.setCurrentIndex(gs.N_PAIRS_CHOICES.index(p.n_pairs))
        self.kind.setCurrentIndex(gs.DISTANCE_KINDS.index(p.distance_kind))
        if p.n_points in gs.N_POINTS_CHOICES:
            self.points.setCurrentIndex(gs.N_POINTS_CHOICES.index(p.n_points))
        for w in (self.slider, self.spin, self.N, self.b, self.eps, self.sampler, self.pairs,
                  self.kind, self.points):
            w.blockSignals(False)
        if "angle_dims" in changed or not self.dims.hasFocus():
            self.dims.setText(", ".join(map(str, p.angle_dims)))

    def _on_progress(self, f: float) -> None:
        v = int(100 * f)
        if v != self.progress.value():  # a repaint per percent at most
            self.progress.setValue(v)

    def _on_busy_changed(self, busy: bool) -> None:
        self.cancel.setEnabled(busy)
        if busy:
            self._was_cancelled = False
            self.progress.setFormat("sampling %p%")
        elif self._was_cancelled:
            self.progress.setFormat("cancelled")
        else:
            self.progress.setValue(100)
            self.progress.setFormat("samples ready")

    def _on_cancelled(self) -> None:
        self._was_cancelled = True
        self.progress.setFormat("cancelled")

    def _on_failed(self, key, message: str) -> None:
        self.status.setText(f"sampling failed: {message}")


class ClaimsPanel(QtWidgets.QTextBrowser):
    """The article's statements next to the exact numbers, and where to see each."""

    def __init__(self, geo: gs.GeometryState, parent=None):
        super().__init__(parent)
        self.geo = geo
        self.setOpenLinks(False)
        self.setObjectName("geometry-claims")
        geo.changed.connect(self._on_changed)
        geo.runner.landed.connect(self._on_changed)
        self._dirty = True
        self._pending = False
        self._shown = None

    def _on_changed(self, *_):
        # text only: refreshed just after the pictures have been painted
        self._dirty = True
        if self.isVisible() and not self._pending:
            self._pending = True
            QtCore.QTimer.singleShot(40, self, self._deferred)

    def _deferred(self) -> None:
        self._pending = False
        if self._dirty and self.isVisible():
            self.refresh()

    def showEvent(self, ev):  # noqa: N802 - Qt's name
        super().showEvent(ev)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        self._dirty = False
        html = claims_html(self.geo)
        if html != self._shown:
            self._shown = html
            bar = self.verticalScrollBar().value()
            self.setHtml(html)
            self.verticalScrollBar().setValue(bar)


def claims_html(geo: gs.GeometryState) -> str:
    """The claims table for the state's parameters (closed forms, and samples where cached)."""
    p = geo.params
    D, eps, N, b = p.D, p.eps, p.N, p.b
    rows = []

    def row(claim: str, exact: str, where: str) -> None:
        rows.append(f"<tr><td style='color:{ARTICLE}'>{claim}</td><td>{exact}</td>"
                    f"<td><i>{where}</i></td></tr>")

    d_eq = gs.cells_equal_samples(N, b)
    row("1-, 2-, 3-D grids have 10, 100, 1,000 cells; the number of cells grows exponentially "
        "and soon surpasses the number of training points",
        f"b<sup>D</sup> for b = {b}: {count(b)}, {count(b**2)}, {count(b**3)}; it passes "
        f"N = {count(N)} at D = {d_eq:.2f}; empty cells expected at D = {D:,}: "
        f"{pct(geometry.empty_cell_fraction(D, N, b))}", "Grids")
    r2, r3 = geometry.inner_ball_radius(2), geometry.inner_ball_radius(3)
    row("diagonals √2 and √3; the blue circle's diameter is √2 − 1, the blue sphere's √3 − 1",
        f"{math.sqrt(2):.4f}, {math.sqrt(3):.4f}; {2 * r2:.4f}, {2 * r3:.4f}", "Spiky cubes")
    row("in D dimensions the blue ball's diameter is √D − 1, which can soon surpass 2: it "
        "sticks out of the stacked cubes",
        f"√D − 1 = 1 (as big as the orange balls) at D = 4; = 2 at D = 9; D = 10: "
        f"{2 * geometry.inner_ball_radius(10):.4f}; D = {D:,}: "
        f"{2 * geometry.inner_ball_radius(D):.4g}", "Spiky cubes")
    row("the volume of a hypercube concentrates in its corners",
        f"share inside the inscribed ball: 2-D {pct(geometry.inscribed_ball_fraction(2))}, 3-D "
        f"{pct(geometry.inscribed_ball_fraction(3))}, D = {D:,}: "
        f"{_share(geometry.log10_inscribed_ball_fraction(D))}; corners at √D/2 = "
        f"{geometry.corner_distance(D):.4g} vs faces at 1/2", "Spiky cubes")
    sds = []
    for d in p.angle_dims:
        h = geo.runner.result(gs.AnglesKey(d, p.n_pairs, p.sampler, p.seed))
        sampled = f", sampled {h.sd:.2f}°" if h is not None else ""
        sds.append(f"D = {d:,}: {gs.exact_angle_sd(d):.2f}°{sampled}")
    row("angles between random vectors: almost uniform in 2-D, most likely 90° in 3-D, and the "
        "bigger D the more they concentrate around 90° (10,000 pairs, entries in [−1, 1])",
        "sd of the angle " + "; ".join(sds) + f"; → (180/π)/√D = "
        f"{geometry.angle_sd_asymptotic(D):.3g}° at D = {D:,}", "Pac-Man angles")
    row("the outer ε-shell holds 1 − (1 − ε)<sup>D</sup> of the volume; 2-D and 3-D",
        f"ε = {eps:g}: 2-D {pct(geometry.shell_fraction(2, eps))}, 3-D "
        f"{pct(geometry.shell_fraction(3, eps))}, D = {D:,}: "
        f"{pct(geometry.shell_fraction(D, eps))}", "M&M's shell")
    c90 = geometry.shell_crossing(0.01, 0.9)
    row("“when D is over 400, around 90 % of the volume is concentrated in the very thin 1 % "
        "surface”",
        f"<b>90 % from D = {c90}</b> (D* = {gs.real_crossing(0.01, 0.9):.1f}; D = {c90 - 1} "
        f"holds {pct(geometry.shell_fraction(c90 - 1, 0.01))}, D = {c90} "
        f"{pct(geometry.shell_fraction(c90, 0.01))}); at D = 400 it is "
        f"{pct(geometry.shell_fraction(400, 0.01))}", "M&M's shell")
    Dv = list(range(1, 41))
    v = geometry.ball_volume(Dv)
    peak = int(max(range(40), key=lambda i: v[i])) + 1
    row("the volume of a D-ball is π<sup>D/2</sup> r<sup>D</sup> / Γ(D/2 + 1)",
        f"unit ball: peaks at D = {peak} ({max(v):.4f}), D = {D:,}: "
        f"{_share(geometry.log_ball_volume(D) / math.log(10))}", "M&M's shell")
    h = geo.runner.result(gs.distances_key(p))
    if h is not None:
        near = (f"D = {D:,}: the nearest of {count(p.n_points)} points is {h.d_min / h.d_max:.3f}"
                f" × the farthest; relative contrast {sci(h.query_contrast)}")
    else:
        near = f"D = {D:,}: sampling…"
    row("uniform points are squashed onto the surface of a sphere around any centre; for each "
        "point all the others are about equally far", near, "Distances")
    return (f"<h3>What the article says, and the exact numbers</h3>"
            f"<p>Slider D = <b style='color:{VERMILLION}'>{D:,}</b>. Left: the article "
            f"(“Spiky cubes, Pac-Man walking, empty M&amp;M’s chocolate”); middle: computed "
            f"here; right: the view that shows it.</p>"
            f"<table cellspacing='0' cellpadding='4' border='1' style='border-collapse:collapse'>"
            f"<tr><th>the article</th><th>exact</th><th>view</th></tr>{''.join(rows)}</table>")


def _share(log10_x: float) -> str:
    return pct(10.0**log10_x) if log10_x > -4 else sci_log10(log10_x)


class GeometryTab(QtWidgets.QWidget):
    """The control bar above the five views (and the claims table), in a grid or in tabs."""

    def __init__(self, state, views: list, parent=None):
        super().__init__(parent)
        self.state = state
        self.geo = state.ext("geometry", gs.GeometryState)
        self.views = list(views)
        self.controls = ControlBar(self.geo)
        self.claims = ClaimsPanel(self.geo)
        self.cells = [(v, TAB_TITLES.get(v.name, v.title)) for v in self.views]
        self.cells.append((self.claims, "Claims"))
        self.grid_page = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout(self.grid_page)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.grid_page)
        self.stack.addWidget(self.tabs)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.stack, 1)
        self.layout_mode = "auto"
        self.arrangement = None
        self._tab_index = 0
        self._arrange("tabs")
        self.controls.layout_changed.connect(self.set_layout_mode)

    def set_layout_mode(self, mode: str) -> None:
        if mode not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {mode!r}")
        self.layout_mode = mode
        i = LAYOUTS.index(mode)
        if self.controls.layout_box.currentIndex() != i:
            self.controls.layout_box.blockSignals(True)
            self.controls.layout_box.setCurrentIndex(i)
            self.controls.layout_box.blockSignals(False)
        self._arrange(self._wanted_arrangement())

    def _wanted_arrangement(self) -> str:
        if self.layout_mode != "auto":
            return self.layout_mode
        size = self.stack.size()
        big = size.width() >= GRID_MIN[0] and size.height() >= GRID_MIN[1]
        return "grid" if big else "tabs"

    def _arrange(self, how: str) -> None:
        if how == self.arrangement:
            return
        if how == "grid":
            self._tab_index = max(self.tabs.currentIndex(), 0)
            while self.tabs.count():
                self.tabs.removeTab(0)
            for k, (w, _) in enumerate(self.cells):
                self.grid.addWidget(w, k // 3, k % 3)
                w.show()
            for c in range(3):
                self.grid.setColumnStretch(c, 1)
            self.stack.setCurrentWidget(self.grid_page)
            for v in self.views:  # small views: their numbers are in the claims table beside
                v.set_details(False)
        else:
            for w, _ in self.cells:
                self.grid.removeWidget(w)
            for w, title in self.cells:
                self.tabs.addTab(w, title)
            self.tabs.setCurrentIndex(self._tab_index)
            self.stack.setCurrentWidget(self.tabs)
            for v in self.views:
                v.set_details(True)
        self.arrangement = how

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.layout_mode == "auto":
            self._arrange(self._wanted_arrangement())

    def show_view(self, name: str) -> None:
        """Bring view ``name`` to the front (tabs) or do nothing (grid: all are shown)."""
        for i, (w, _) in enumerate(self.cells):
            if getattr(w, "name", None) == name and self.arrangement == "tabs":
                self.tabs.setCurrentIndex(i)


def build_geometry_tab(state, views) -> QtWidgets.QWidget:
    """The builder the window calls for the "Geometry" tab."""
    return GeometryTab(state, views)


register_tab("Geometry", build_geometry_tab)
