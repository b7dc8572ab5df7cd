"""The base of every view: a widget that draws one frozen :class:`Frame` and nothing else.

A view never computes what a trace holds and never starts work of its own: it says which
derived data a frame needs (:meth:`View.needs`, jobs for the one job runner), and draws the
frame it is given (:meth:`View.draw`), with a visible "computing" note for what has not landed
yet. The window, the headless export and the tests all draw the same way: build a frame, call
``draw``. A view's controls write the user's intent into the application model (``self.app``);
they are shown as the frame says, never as the widget remembers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from .. import theme as themes
from ..graphics.axes import (
    activate_layouts,
    draw_axis_pictures,
    plain_viewbox,  # noqa: F401 - views import it from here
)

#: what a view shows for derived data stopped with Cancel
CANCELLED = "cancelled (F5 computes it again)"


def failure_text(message: str) -> str:
    """A failed or cancelled job's note, from its ``frame.failed`` message."""
    return message if message == CANCELLED else f"failed: {message}"


class ReadOptions(Mapping):
    """A frame's option sections, remembering which ones were read: a frame whose drawing
    read only the "network" section shows the same picture whatever the geometry panel's
    options do (:meth:`Frame.same_as`)."""

    def __init__(self, sections: Mapping[str, Any]):
        self.sections = sections  #: every section, read or not (comparisons look here)
        self.read: set[str] = set()

    def __getitem__(self, section: str):
        self.read.add(section)
        return self.sections[section]

    def __iter__(self):
        self.read.update(self.sections)
        return iter(self.sections)

    def __len__(self) -> int:
        return len(self.sections)


@dataclass(frozen=True, eq=False)
class Frame:
    """Everything a view draws.

    Attributes
    ----------
    result : the run's result (sim.run.RunResult), or None before the first one lands.
    cursor : the moment shown (gui.model.cursor.Cursor).
    selection : what the user picked (gui.model.app_model.Selection).
    theme : colours and the type scale (presentation mode scales it).
    options : every option section of the model (gui.model.options), by section name.
    derived : the view's derived data that has landed, by the names :meth:`View.needs` gave.
    pending : names of derived data still computing.
    failed : name -> message of derived data whose job failed.
    export : drawn for a figure: antialiased, thicker lines, no screen-only text.
    busy : the model waits for a newer result than ``result``.
    """

    result: Any
    cursor: Any
    selection: Any
    theme: themes.Theme
    options: Mapping[str, Any]
    derived: Mapping[str, Any] = field(default_factory=dict)
    pending: frozenset = frozenset()
    failed: Mapping[str, str] = field(default_factory=dict)
    export: bool = False
    busy: bool = False

    def option(self, section: str):
        return self.options[section]

    def same_as(self, other: Frame | None) -> bool:
        """Whether ``other`` shows the very same moment: the same result and derived objects,
        equal cursor, selection, theme, options and notes (drawing it again would change no
        pixel)."""
        if other is None:
            return False
        if self.result is not other.result or self.derived.keys() != other.derived.keys():
            return False
        if any(self.derived[k] is not other.derived[k] for k in self.derived):
            return False
        if not (self.cursor == other.cursor and self.selection == other.selection
                and self.theme == other.theme and self.export == other.export
                and self.busy == other.busy and self.pending == other.pending
                and self.failed == other.failed):
            return False
        read = getattr(other.options, "read", None)  # what drawing ``other`` looked at
        sections = read if read is not None else set(self.options) | set(other.options)
        mine = getattr(self.options, "sections", self.options)
        theirs = getattr(other.options, "sections", other.options)
        return all(mine.get(k) == theirs.get(k) for k in sections)


def build_in_parts(cls, *args):
    """A generator that makes ``cls(*args)`` part by part and returns it (``yield from``).

    ``cls`` is a plain Python class (a figure holding plot items) whose ``__init__`` runs
    ``for _ in self._parts(*args): pass``; ``_parts`` builds it, yielding between parts.
    A view's :meth:`View._build_parts` uses it to build such a figure one part per step.
    """
    obj = cls.__new__(cls)
    yield from obj._parts(*args)
    return obj


class View(QtWidgets.QWidget):
    """A widget that draws frames.

    Subclasses set ``name`` (stable: the command line and the export use it), ``title`` and
    ``description``, build their plot items once in ``__init__`` and update them in
    :meth:`_draw`. Views that do not show the RNN session (geometry) set
    ``uses_session = False``.

    Parameters
    ----------
    ctx : the gui.context.Context: the application model the view's controls write to
        (``self.app``) and the controllers a view may use (training); None for a view that only
        draws (it then has no working controls).
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

    def __init__(self, ctx=None, parent=None, *, parts_later: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.app = ctx.app if ctx is not None else None
        self.theme = themes.get(self.app.theme if self.app is not None else "light")
        self.frame: Frame | None = None
        self.exporting = False
        self._type_scaled = False  # in-scene type scaled by the theme (presentation, slides)
        self.setObjectName(self.name)
        if not parts_later:
            for _ in self._build_parts():
                pass

    # -- building -------------------------------------------------------------------------
    def _build_parts(self):
        """A view made of heavy parts (plots at 10 to 15 ms each) builds them here, yielding
        between parts, instead of in ``__init__``: the window then builds it one part per idle
        moment (:meth:`build_steps`). Everything else builds all at once."""
        yield from ()

    @classmethod
    def build_steps(cls, ctx):
        """A generator that builds a view of this class in parts, yielding between them, and
        returns it (``StopIteration.value``)."""
        if cls._build_parts is View._build_parts:
            return cls(ctx)
        view = cls(ctx, parts_later=True)
        yield
        yield from view._build_parts()
        return view

    # -- the one entry point --------------------------------------------------------------
    def draw(self, frame: Frame) -> None:
        """Draw ``frame``."""
        if frame.theme != self.theme:
            self.theme = frame.theme
            self._restyle(frame.theme)
        if frame.export != self.exporting:
            self.exporting = frame.export
            self._set_export_style(frame.export)
        self.frame = frame
        if frame.result is None and self.uses_session:
            return
        self._drawing = True
        try:
            self._draw_and_lay_out(frame)
            if self._redraw_due:  # laying the figure out resized a plot whose drawing depends
                self._redraw_due = False  # on its pixel size: once more now, before the paint
                self._before_redraw()
                self._draw_and_lay_out(frame)
        finally:
            self._drawing = False

    def _draw_and_lay_out(self, frame: Frame) -> None:
        self._draw(frame)
        if frame.theme.font_scale != 1.0 or self._type_scaled:
            from ..graphics.type_scale import scale_widget

            scale_widget(self, frame.theme.font_scale)
            self._type_scaled = frame.theme.font_scale != 1.0
        for canvas in self.findChildren(Canvas):  # text may have grown: fit the figure again,
            canvas.settle()  # now and once its labels have rewrapped (their sizes land later)
            canvas.fit_later()

    _drawing = False
    _redraw_due = False

    def request_redraw(self, *_) -> None:
        """A plot whose drawing depends on its size in pixels (arrowheads, labelled decades)
        was resized: draw the last frame again, within the draw under way if the draw's own
        layout resized it (one paint instead of two), else at the next pass of the loop."""
        if self._redraw_due:
            return
        self._redraw_due = True
        if not self._drawing:
            QtCore.QTimer.singleShot(0, self, self._redraw_if_due)  # dropped if the view is gone

    def _redraw_if_due(self) -> None:
        if self._redraw_due:
            self._redraw_due = False
            self._before_redraw()
            self.redraw()

    def _before_redraw(self) -> None:
        """Forget what makes :meth:`_draw` skip work that depends on pixel sizes."""

    def needs(self, frame: Frame) -> dict:
        """Derived data ``frame`` needs, as name -> job (see gui/jobs.py); none by default."""
        return {}

    # -- to override ----------------------------------------------------------------------
    def _draw(self, frame: Frame) -> None:
        """Update the plot items to show ``frame``. Every named view defines it: a class that
        does not fails when it is made (:meth:`__init_subclass__`), not at its first draw.
        (View is a Qt widget, whose metaclass cannot be mixed with ``abc.ABCMeta``.)"""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name and cls._draw is View._draw:
            raise TypeError(f"view {cls.name!r} ({cls.__qualname__}) defines no _draw")

    def _restyle(self, theme: themes.Theme) -> None:
        """Recolour what does not change per frame (background, axes) for ``theme``."""
        canvas = getattr(self, "canvas", None)
        if canvas is not None:
            canvas.setBackground(theme.background)
        style = getattr(self, "_style_axes", None)
        if style is not None:
            style()

    def _set_export_style(self, on: bool) -> None:
        """Antialiasing and thicker pens for figures (on) or speed while animating (off)."""

    def graphics_item(self):
        """The pyqtgraph item an SVG/PNG exporter renders (a layout's central item), or None to
        export the widget."""
        return None

    def redraw(self) -> None:
        """Draw the last frame again (after a resize: sizes in pixels changed)."""
        if self.frame is not None:
            self.draw(self.frame)

    # -- helpers ----------------------------------------------------------------------------
    def add_canvas(self, header=None):
        """Fill the view with a GraphicsLayoutWidget (``self.canvas``) under an optional
        ``header`` layout of Qt controls, with a caption label on its first row; returns the
        canvas' central layout."""
        from ..graphics.labels import add_label

        self.canvas = make_canvas(self.theme)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        if header is not None:
            lay.addLayout(header)
        lay.addWidget(self.canvas)
        self.caption = add_label(self.canvas.ci, 0, 0)
        return self.canvas.ci


class _NoActivation(QtCore.QObject):
    """Keeps window activation from a scene: Qt then asks every graphics widget in it to be
    painted again (for its active or inactive palette, which no figure here uses), and a tab
    shown in an active window painted its whole figure two or three times."""

    _TYPES = (QtCore.QEvent.Type.WindowActivate, QtCore.QEvent.Type.WindowDeactivate)

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
        return ev.type() in self._TYPES


class Canvas(pg.GraphicsLayoutWidget):
    """A GraphicsLayoutWidget that never cuts its figure off: when its rows and columns need
    more room than the widget has (large type on a small screen: presentation mode at 1280 x
    720), the whole figure is laid out at the size it needs and drawn scaled down to fit, as a
    figure on a slide would be, instead of losing its bottom rows or right columns. Its scene
    ignores window activation (see :class:`_NoActivation`)."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._no_activation = _NoActivation(self)  # lives and dies with the canvas
        self.scene().installEventFilter(self._no_activation)

    def fit(self) -> float:
        """Lay the figure out in the widget (scaled down if it needs more room); returns the
        scale (1.0: drawn pixel for pixel)."""
        if self.closed or getattr(self, "ci", None) is None:
            return 1.0
        w, h = max(1, self.width()), max(1, self.height())
        need = self.ci.effectiveSizeHint(QtCore.Qt.SizeHint.MinimumSize)
        shrink = max(1.0, need.width() / w, need.height() / h)
        rect = QtCore.QRectF(0, 0, w * shrink, h * shrink)
        if shrink > 1.0:
            if rect != self.range and self._refits < 3:  # wrapped labels rewrap at the new
                self._refits += 1  # width: fit again (a few rounds settle it)
                QtCore.QTimer.singleShot(0, self, self.fit)
            else:
                self._refits = 0
            pg.GraphicsView.setRange(self, rect, padding=0, disableAutoPixel=True)
        elif not self.autoPixelRange or self.range != rect or self.ci.geometry() != rect:
            self.autoPixelRange = True
            pg.GraphicsView.setRange(self, rect, padding=0, disableAutoPixel=False)
            self.updateMatrix()
        return 1.0 / shrink

    def settle(self) -> None:
        """Lay the figure out now (the layout requests its new texts posted, the axes widened
        for their tick labels) and fit it: done later, each relayout painted the whole canvas
        once more (up to three full paints per draw)."""
        if self.closed or getattr(self, "ci", None) is None:
            return
        layout, scene = self.ci.layout, self.scene()
        for _ in range(4):  # wrapped labels and widened axes take a few rounds to settle
            layout.activate()
            self.fit()
            # a layout inside a plot whose own size did not change (its title rewrapped, a
            # legend shown) waits for its posted request: laid out after the draw, it resized
            # the plot's axes and view box, and the figure was painted again
            nested = activate_layouts(scene)
            # a label that rewrapped at its new width, or an axis widened for its tick labels,
            # invalidated the layout again: once more
            if not draw_axis_pictures(scene) and not nested and layout.isActivated():
                break

    _refits = 0  # fits in a row that changed the scale
    _fit_due = False

    def fit_later(self) -> None:
        """:meth:`fit` once the events queued now (layout requests) are done."""
        if not self._fit_due:
            self._fit_due = True
            QtCore.QTimer.singleShot(0, self, self._fit_now)

    def _fit_now(self) -> None:
        self._fit_due = False
        self.fit()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        if getattr(self, "ci", None) is None:  # still being built
            super().resizeEvent(ev)
        elif not self.closed:
            self.fit()


def make_canvas(theme: themes.Theme) -> pg.GraphicsLayoutWidget:
    """A :class:`Canvas` with the theme's background and no antialiasing (fast redraws)."""
    w = Canvas()
    w.setBackground(theme.background)
    w.ci.setContentsMargins(4, 4, 4, 4)
    return w


