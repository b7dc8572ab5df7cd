"""The base of every view: a widget that draws (result, cursor) and nothing else."""

from __future__ import annotations

from typing import ClassVar

import pyqtgraph as pg
from PySide6 import QtWidgets

from .. import theme as themes


class View(QtWidgets.QWidget):
    """A pure renderer of (SessionResult, Cursor).

    Subclasses set ``name`` (stable, used by the command line and the export), ``title`` and
    ``description``, build their plot items once in ``__init__`` and update them in
    :meth:`render`. A view never calls the engine's forward or backward; it looks values up in the
    result it is given. Views that do not depend on the session (geometry) set
    ``uses_session = False`` and ignore the arguments of render.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    uses_session: ClassVar[bool] = True
    #: the window tab(s) the view appears in (one instance per tab) and its place there
    tabs: ClassVar[tuple[str, ...]] = ()
    order: ClassVar[int] = 0
    #: relative height in a tab's vertical stack
    stretch: ClassVar[int] = 1

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.theme = themes.get(state.theme)
        self.setObjectName(self.name)

    # -- to override ------------------------------------------------------------------------
    def render(self, result, cursor) -> None:
        """Draw ``result`` at ``cursor``."""

    def apply_theme(self, theme: themes.Theme) -> None:
        """Recolour for ``theme``; the next render uses it for everything it draws."""
        self.theme = theme
        canvas = getattr(self, "canvas", None)
        if canvas is not None:
            canvas.setBackground(theme.background)
        style = getattr(self, "_style_axes", None)
        if style is not None:
            style()

    def graphics_item(self):
        """The pyqtgraph item an SVG/PNG exporter renders (a layout's central item), or None to
        export the widget with ``grab()``."""
        return None

    def set_export_style(self, on: bool) -> None:
        """Antialiasing and thicker pens for figures (on) or speed while animating (off)."""

    def options(self) -> dict:
        """The view's own settings worth saving in a session (JSON-ready)."""
        return {}

    def set_options(self, options: dict) -> None:
        """Restore :meth:`options`; unknown keys are ignored."""

    def wait_ready(self, msecs: int = 60_000) -> bool:
        """Block until any background work the view started has landed (headless export);
        views that compute nothing in the background are always ready."""
        return True

    # -- helpers ----------------------------------------------------------------------------
    def add_canvas(self, header=None):
        """Fill the view with a GraphicsLayoutWidget (``self.canvas``) under an optional
        ``header`` layout of Qt controls, with a caption label on its first row; returns the
        canvas' central layout."""
        self.canvas = make_canvas(self.theme)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        if header is not None:
            lay.addLayout(header)
        lay.addWidget(self.canvas)
        ci = self.canvas.ci
        from .legend import add_label

        self.caption = add_label(ci, 0, 0)
        return ci

    def refresh(self) -> None:
        """Render the state's current result and cursor."""
        if self.state.result is not None or not self.uses_session:
            self.render(self.state.result, self.state.cursor)


def make_canvas(theme: themes.Theme) -> pg.GraphicsLayoutWidget:
    """A GraphicsLayoutWidget with the theme's background and no antialiasing (fast redraws)."""
    w = pg.GraphicsLayoutWidget()
    w.setBackground(theme.background)
    w.ci.setContentsMargins(4, 4, 4, 4)
    return w


def plain_viewbox(layout: pg.GraphicsLayout, row=None, col=None, **kw) -> pg.ViewBox:
    """A ViewBox without mouse interaction, for diagrams with fixed geometry."""
    vb = layout.addViewBox(row=row, col=col, **kw)
    vb.setMouseEnabled(False, False)
    vb.setMenuEnabled(False)
    return vb
