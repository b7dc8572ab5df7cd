"""The Geometry tab: one control bar (the D slider, the sampling parameters, progress and Cancel)
above the five geometry views and a table of the article's claims next to the exact numbers.

The views sit in a 2 x 3 grid when the tab is large enough for each to stay readable, otherwise
in tabs of their own ("layout: auto" switches at :data:`GRID_MIN`; the user can force either). The
tab writes what is in front into the model (the "geometry-panel" section's ``front``: "all" in the
grid, else the current tab's view or "claims"), and a view behind another neither draws nor
samples.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...model.options import GEOMETRY_LAYOUTS
from ...model.present import geometry as gp
from .. import register_tab
from .claims import ClaimsPanel
from .controls import ControlBar
from .step_queue import StepQueue

#: the smallest tab area (width, height) at which "auto" lays the views out in a 2 x 3 grid
GRID_MIN = (1560, 760)
TAB_TITLES = {"geometry-grid": "Grids", "geometry-cube": "Spiky cubes",
              "geometry-angles": "Pac-Man angles", "geometry-shell": "M&&M's shell",
              "geometry-distances": "Distances"}


class GeometryTab(QtWidgets.QWidget):
    """The control bar above the five views (and the claims table), in a grid or in tabs.

    Parameters
    ----------
    ctx : the gui.context.Context.
    views : the tab's geometry view instances, in order.
    """

    def __init__(self, ctx, views: list, parent=None):
        super().__init__(parent)
        self.ctx, self.app = ctx, ctx.app
        self.views = list(views)
        self.steps = StepQueue(self)
        for v in self.views:
            v.in_panel = True
            v.steps = self.steps
        self.claims = ClaimsPanel(ctx)
        self.controls = ControlBar(ctx, self.busy)
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
        # the figures take the height that is left under the (wrapping) controls: their
        # preferred height must not make the tab taller than a 720 px screen and scroll it
        self.stack.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred,
                                 QtWidgets.QSizePolicy.Policy.Ignored)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.stack, 1)
        self.arrangement = None
        names = [w.name for w, _ in self.cells]
        front = self.app.options["geometry-panel"].front
        self._tab_index = names.index(front) if front in names else 0
        self._building = True  # the model is not written while the window builds the tab: a
        # model event now would make the window draw (and build) the tab again
        self._arrange("tabs" if self.layout_mode == "auto" else self.layout_mode)
        self._building = False
        self.tabs.currentChanged.connect(self._on_tab_changed)
        ctx.qt.options_changed.connect(self._on_options_changed)
        QtCore.QTimer.singleShot(0, self, self._sync_front)

    # -- the model ------------------------------------------------------------------------------
    @property
    def layout_mode(self) -> str:
        return self.app.options["geometry-panel"].layout

    def set_layout_mode(self, mode: str) -> None:
        """"auto", "grid" or "tabs" (ValueError otherwise)."""
        if mode not in GEOMETRY_LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(GEOMETRY_LAYOUTS)}, "
                             f"got {mode!r}")
        self.app.set_options("geometry-panel", user=False, layout=mode)

    def _set_front(self, front: str) -> None:
        if not self._building:
            self.app.set_options("geometry-panel", user=False, front=front)

    def front(self) -> str:
        """What the arrangement shows in front: "all" in the grid, else the current tab's."""
        if self.arrangement == "grid":
            return "all"
        return self.cells[max(self.tabs.currentIndex(), 0)][0].name

    def _sync_front(self) -> None:
        self._set_front(self.front())

    def _on_options_changed(self, section: str, options) -> None:
        if section == "geometry":  # a new question: what the user cancelled may run again
            self.ctx.runner.resume(predicate=gp.is_geometry_job)
        elif section == "geometry-panel":
            self._arrange(self._wanted_arrangement())
            names = [w.name for w, _ in self.cells]
            if self.arrangement == "grid":
                if options.front != "all":
                    self._set_front("all")
            elif options.front in names:
                if self.tabs.currentIndex() != names.index(options.front):
                    self.tabs.setCurrentIndex(names.index(options.front))
            else:
                self._set_front(names[max(self.tabs.currentIndex(), 0)])

    def busy(self) -> bool:
        """Whether any of the tab's jobs is queued or running."""
        runner = self.ctx.runner
        jobs = [j for v in self.views for j in v.asked] + list(runner.wanted(self.claims.owner))
        return any(runner.status(j) in ("queued", "running") for j in jobs)

    # -- arrangement ----------------------------------------------------------------------------
    def _wanted_arrangement(self) -> str:
        if self.layout_mode != "auto":
            return self.layout_mode
        size = self.stack.size()
        big = size.width() >= GRID_MIN[0] and size.height() >= GRID_MIN[1]
        return "grid" if big else "tabs"

    def _arrange(self, how: str) -> None:
        if how == self.arrangement:
            return
        self.arrangement = how
        self.tabs.blockSignals(True)
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
        else:
            for w, _ in self.cells:
                self.grid.removeWidget(w)
            for w, title in self.cells:
                self.tabs.addTab(w, title)
            self.tabs.setCurrentIndex(self._tab_index)
            self.stack.setCurrentWidget(self.tabs)
        self.tabs.blockSignals(False)
        for v in self.views:  # small views: their numbers are in the claims table beside
            v.set_details(how != "grid")
        self._set_front(self.front())

    def _on_tab_changed(self, i: int) -> None:
        if self.arrangement == "tabs" and 0 <= i < len(self.cells):
            self._tab_index = i
            self._set_front(self.cells[i][0].name)

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.layout_mode == "auto":
            self._arrange(self._wanted_arrangement())

    def hideEvent(self, ev):  # noqa: N802 - Qt's name
        super().hideEvent(ev)
        self.steps.clear()  # drawn again from the next frame when shown

    def show_view(self, name: str) -> None:
        """Bring view ``name`` to the front (tabs) or do nothing (grid: all are shown)."""
        for i, (w, _) in enumerate(self.cells):
            if w.name == name and self.arrangement == "tabs":
                self.tabs.setCurrentIndex(i)


def build_geometry_tab(ctx, views) -> QtWidgets.QWidget:
    """The builder the window calls for the "Geometry" tab."""
    return GeometryTab(ctx, views)


register_tab("Geometry", build_geometry_tab)
