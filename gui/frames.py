"""Frames for views, and the painter that keeps the visible views drawn.

:func:`make_frame` freezes the model's state for one view; :class:`Painter` draws the views it is
given whenever the model changes, asks the job runner for the derived data each view needs, and
draws a view again when its data lands. :func:`draw_now` does the same once and waits for the
data (headless export and tests).
"""

from __future__ import annotations

from collections import deque

from PySide6 import QtCore
from shiboken6 import isValid

from . import theme as themes
from .jobs import SHOW_PROGRESS_S
from .views.base import CANCELLED, Frame, ReadOptions

#: model events after which the views are drawn again
REDRAW_ON = ("cursor_changed", "selection_changed", "theme_changed",
             "options_changed", "busy_changed")


def make_frame(app, *, theme: themes.Theme | None = None, derived=None, pending=(),
               failed=None, export: bool = False) -> Frame:
    """The model's state as a frozen Frame (``theme`` defaults to the model's)."""
    return Frame(result=app.result, cursor=app.cursor, selection=app.selection,
                 theme=theme or themes.get(app.theme), options=ReadOptions(app.options),
                 derived=dict(derived or {}), pending=frozenset(pending),
                 failed=dict(failed or {}), export=export, busy=app.busy)


def owner_of(view) -> str:
    """The job-runner owner name of one view instance."""
    return f"view:{view.name}:{id(view):x}"


def frame_for(view, ctx, *, theme=None, export: bool = False, force: bool = False,
              quick_only: bool = False) -> Frame:
    """A frame for ``view``: its derived data requested from the runner, with what has landed.

    ``quick_only``: a hidden tab drawn ahead of time. Data whose job would show a progress bar
    (cost above SHOW_PROGRESS_S) is not asked for, only shown as pending: the work starts when
    the user opens the tab; except jobs marked ``ahead`` (not the session's: the landscape's
    cliff), asked for quietly, without a progress bar."""
    base = make_frame(ctx.app, theme=theme, export=export)
    wanted = view.needs(base) if base.result is not None or not view.uses_session else {}
    if not wanted:
        ctx.runner.release(owner_of(view))
        return base
    names, jobs = list(wanted), list(wanted.values())
    runner = ctx.runner
    asked = jobs if not quick_only else [
        j for j in jobs if runner.status(j) == "ready" or getattr(j, "ahead", False)
        or getattr(j, "cost", 0.0) <= SHOW_PROGRESS_S]
    landed = dict(zip(asked, runner.request(owner_of(view), asked, force=force,
                                            quiet=quick_only), strict=True))
    derived, pending, failed = {}, [], {}
    for name, job in zip(names, jobs, strict=True):
        value = landed.get(job)
        if value is not None:
            derived[name] = value
        elif job not in landed:  # slow and not asked for: drawn as computing
            pending.append(name)
        elif runner.status(job) == "failed":
            failed[name] = runner.error(job)
        elif runner.status(job) == "cancelled":  # not computing: say so, not "computing…"
            failed[name] = CANCELLED
        else:
            pending.append(name)
    return make_frame(ctx.app, theme=theme, derived=derived, pending=pending, failed=failed,
                      export=export)


def draw_now(view, ctx, *, theme=None, export: bool = False, msecs: int = 120_000) -> bool:
    """Draw ``view`` with all its derived data, waiting for it (exports, tests). False if the
    data did not land in ``msecs``."""
    frame = frame_for(view, ctx, theme=theme, export=export, force=True)
    ok = True
    if frame.pending:
        jobs = list(view.needs(frame).values())
        ok = ctx.runner.wait(msecs, jobs=jobs)
        frame = frame_for(view, ctx, theme=theme, export=export)
    view.draw(frame)
    return ok and not frame.pending


class Painter(QtCore.QObject):
    """Keeps ``views()`` (the visible ones) drawn from ``ctx``'s model.

    Parameters
    ----------
    ctx : the gui.context.Context.
    views : a callable returning the views to draw now.
    theme : a callable returning the theme to draw with (the window scales it in presentation
        mode).
    """

    def __init__(self, ctx, views, theme, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._views = views
        self._theme = theme
        #: hidden views drawn ahead of time (gui/prepare_tabs.py): drawn again when their data
        #: lands, as the visible ones are
        self.hidden: dict = {}  # an ordered set: view -> None
        self._due: deque = deque()  # views to draw again for data that landed, in order
        self._flush_due = False
        for name in REDRAW_ON:
            getattr(ctx.qt, name).connect(self._on_model_changed)
        ctx.runner.landed.connect(self._on_landed)
        ctx.runner.settled.connect(self._on_settled)

    def _on_model_changed(self, *_) -> None:
        self.draw()

    def draw(self, views=None, *, quick_only: bool = False) -> None:
        """Draw ``views`` (default: every visible view) from the model's current state; a
        view whose last frame shows the same moment is left as it is. ``quick_only``: see
        :func:`frame_for`."""
        theme = self._theme()
        for view in self._views() if views is None else views:
            frame = frame_for(view, self.ctx, theme=theme, quick_only=quick_only)
            if not frame.same_as(view.frame):
                view.draw(frame)

    def _on_landed(self, job, _value) -> None:
        self._redraw_waiting_for(job)

    def _on_settled(self, job, status: str) -> None:
        if status != "done":
            self._redraw_waiting_for(job)

    def _redraw_waiting_for(self, job) -> None:
        """Draw again each view that waited for ``job``, one draw per pass of the event loop:
        jobs landing together (the five task-type runs) used to be drawn back to back, 160 ms
        in which no input was handled."""
        for view in {**dict.fromkeys(self._views()), **self.hidden}:
            if job in self.ctx.runner.wanted(owner_of(view)):
                self._due.append(view)
        if self._due and not self._flush_due:
            self._flush_due = True
            QtCore.QTimer.singleShot(1, self, self._draw_one_due)  # a timer: input first

    def stop(self) -> None:
        """Draw nothing more (the window closes)."""
        self._due.clear()
        self._stopped = True

    _stopped = False

    def _draw_one_due(self) -> None:
        self._flush_due = False
        if not self._due or self._stopped:
            return
        view = self._due.popleft()
        if isValid(view):  # not deleted since its data landed
            hidden = view not in self._views()
            view.draw(frame_for(view, self.ctx, theme=self._theme(), quick_only=hidden))
        if self._due:
            self._flush_due = True
            QtCore.QTimer.singleShot(1, self, self._draw_one_due)  # a timer: input first
