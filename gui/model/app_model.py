"""The application model: one evented object holding everything the window shows.

Qt-free (psygnal signals, as napari's models use), so the window, the headless export and the
tests share it. It never computes a run itself: :meth:`AppModel.set_config` records what is
wanted and emits :attr:`AppModel.run_requested`; whoever runs jobs (the window's session
controller, or :meth:`AppModel.compute_now` without Qt) hands the result back with
:meth:`AppModel.land`. Everything is made consistent before any signal is emitted, so no
listener ever sees a cursor or a selection that does not fit the result.

A user's work is tracked: :attr:`AppModel.dirty` turns true when the session's config, weights,
view options, geometry or training settings change after the last :meth:`restore` or
:meth:`mark_saved`; the window asks before anything replaces dirty work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from typing import Any

from psygnal import Signal

from sim.run import RunResult, SessionConfig, compute

from . import limits
from .cursor import Cursor
from .options import default_options, parse_options

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
THEMES = ("light", "dark")
#: the config fields that fix the shapes of the weights: trained weights survive every other
#: change (a new input sequence, truncation, the learning rate), and none of these
SHAPE_KEYS = ("model", "cell", "hidden", "peepholes", "task", "task_settings")


@dataclass(frozen=True)
class Selection:
    """What the user picked, shared by the views that care.

    unit : hidden unit k (0-based) of the block and equation views.
    parameter : the parameter of the per-step gradient strip, or None for the first.
    flow : the variable whose routes to J "follow one flow" highlights, or None.
    stage : the stage of the LSTM block's equations highlighted (0-based), or None for all.
    """

    unit: int = 0
    parameter: str | None = None
    flow: str | None = None
    stage: int | None = None


@dataclass(frozen=True)
class RunRequest:
    """A run the model waits for: ``compute(config, params)``, numbered so that a late result of
    an older request is recognised and dropped."""

    number: int
    config: SessionConfig
    params: dict | None = dataclasses.field(compare=False, hash=False, repr=False)


def same_shapes(a: SessionConfig, b: SessionConfig) -> bool:
    """Whether weights of ``a``'s model fit ``b``'s."""
    return all(getattr(a, k) == getattr(b, k) for k in SHAPE_KEYS)


class AppModel:
    """Session config and trained weights, result, cursor, selection, playback, theme, geometry
    and training settings, and every view option a session saves.

    Parameters
    ----------
    config : the session config (defaults to ``SessionConfig()``).
    params : trained weights to use instead of the seeded ones, or None.
    compute_now : compute the first result synchronously (tests, headless export); otherwise
        the first :attr:`run_requested` waits for a job runner.
    """

    config_changed = Signal(object)  #: SessionConfig, before its result lands
    run_requested = Signal(object)  #: RunRequest
    result_changed = Signal(object)  #: RunResult
    cursor_changed = Signal(object)  #: Cursor
    selection_changed = Signal(object)  #: Selection
    playing_changed = Signal(bool)
    rate_changed = Signal(float)
    loop_changed = Signal(bool)
    busy_changed = Signal(bool)
    theme_changed = Signal(str)
    options_changed = Signal(str, object)  #: section name, its new options
    view_changed = Signal(object)  #: the view (name) in front, or None
    caption_changed = Signal(str, str)  #: title, caption (of a preset)
    dirty_changed = Signal(bool)
    training_running_changed = Signal(bool)
    error = Signal(str)  #: a message for the user (a refused change)

    def __init__(self, config: SessionConfig | None = None, params: dict | None = None, *,
                 compute_now: bool = True):
        self.config = config or SessionConfig()
        limits.check_config(self.config)
        self.params: dict | None = params
        self.result: RunResult | None = None
        self.busy = False
        self.cursor = Cursor("forward", 1)
        self.selection = Selection()
        self.playing = False
        self.rate = 2.0
        self.loop = False
        self.theme = "light"
        self.options: dict[str, Any] = default_options()
        self.view: str | None = None
        self.title = ""
        self.caption = ""
        self.dirty = False
        self.training_running = False
        self._requests = 0
        self._pending: RunRequest | None = None
        if compute_now:
            self.compute_now()
        else:
            self._request()

    # -- the session -----------------------------------------------------------------------
    @property
    def T(self) -> int:
        return self.result.T if self.result is not None else self.config.steps

    @property
    def pending(self) -> RunRequest | None:
        """The run the model waits for, or None."""
        return self._pending

    def update_config(self, **changes) -> bool:
        """Ask for a new session; False (and :attr:`error`) if the change is refused."""
        try:
            config = self.config.replace(**changes)
        except (ValueError, TypeError) as exc:
            self.error.emit(str(exc))
            return False
        return self.set_config(config)

    def set_config(self, config: SessionConfig, params: dict | None = None, *,
                   user: bool = True) -> bool:
        """Show ``config`` (with ``params`` as its weights, if given).

        Trained weights are kept unless the new config changes their shapes or asks for new
        seeded weights (another seed). While training runs, the shapes cannot change.
        ``user`` marks the session dirty (False for changes the program makes by itself).
        """
        try:
            limits.check_config(config)
        except ValueError as exc:
            self.error.emit(str(exc))
            return False
        if self.training_running and not same_shapes(config, self.config):
            self.error.emit("stop training before changing the model's size, kind or task")
            return False
        if params is not None:
            self.params = params
        elif self.params is not None and (not same_shapes(config, self.config)
                                          or config.seed != self.config.seed):
            self.params = None  # the trained weights no longer fit, or new ones were asked for
        changed = config != self.config or params is not None
        self.config = config
        if user and changed:
            self._set_dirty(True)
        self.config_changed.emit(config)
        self._request()
        return True

    def reset_params(self) -> None:
        """Forget trained weights: back to the config's seeded initial weights."""
        if self.params is not None:
            self.params = None
            self._set_dirty(True)
            self.config_changed.emit(self.config)
            self._request()

    def _request(self) -> None:
        self._requests += 1
        self._pending = RunRequest(self._requests, self.config, self.params)
        self._set_busy(True)
        self.run_requested.emit(self._pending)

    def compute_now(self) -> RunResult:
        """Compute the pending run on this thread and land it (no job runner needed)."""
        request = self._pending or RunRequest(self._requests, self.config, self.params)
        result = compute(request.config, request.params)
        self.land(request, result)
        return result

    def land(self, request: RunRequest, result: RunResult) -> bool:
        """The result of ``request`` has been computed: show it, unless a newer one is wanted."""
        if self._pending is not None and request.number != self._pending.number:
            return False  # stale
        self._pending = None
        self._set_busy(False)
        self._set_result(result)
        return True

    def fail(self, request: RunRequest, message: str) -> None:
        """The run of ``request`` failed with ``message``."""
        if self._pending is not None and request.number == self._pending.number:
            self._pending = None
            self._set_busy(False)
        self.error.emit(message)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _set_result(self, result: RunResult) -> None:
        self.result = result
        self.config = result.config
        self.cursor = self.cursor.clamp(result.T)
        sel = self.selection
        fixed = replace(sel, unit=min(sel.unit, result.forward.n_hidden - 1),
                        parameter=(sel.parameter if sel.parameter in result.applied_gradient
                                   else None))
        self.selection = fixed
        self.result_changed.emit(result)
        if fixed != sel:
            self.selection_changed.emit(fixed)
        self.cursor_changed.emit(self.cursor)

    # -- cursor and playback ---------------------------------------------------------------
    @property
    def frame(self) -> int:
        return self.cursor.frame(self.T)

    @property
    def n_frames(self) -> int:
        return Cursor.n_frames(self.T)

    def set_cursor(self, cursor: Cursor, *, force: bool = False) -> None:
        cursor = cursor.clamp(self.T)
        if cursor != self.cursor or force:
            self.cursor = cursor
            self.cursor_changed.emit(cursor)

    def set_frame(self, frame: int) -> None:
        self.set_cursor(Cursor.from_frame(frame, self.T))

    def step(self, delta: int = 1) -> None:
        self.set_frame(self.frame + delta)

    def home(self) -> None:
        self.set_frame(0)

    def end(self) -> None:
        self.set_frame(self.n_frames - 1)

    def set_playing(self, playing: bool) -> None:
        if playing and self.frame >= self.n_frames - 1 and not self.loop:
            self.home()  # Space at the end starts again from the beginning
        if playing != self.playing:
            self.playing = playing
            self.playing_changed.emit(playing)

    def toggle_play(self) -> None:
        self.set_playing(not self.playing)

    def set_rate(self, rate: float) -> None:
        rate = float(min(max(rate, SPEEDS[0]), SPEEDS[-1]))
        if rate != self.rate:
            self.rate = rate
            self.rate_changed.emit(rate)

    def set_loop(self, loop: bool) -> None:
        if bool(loop) != self.loop:
            self.loop = bool(loop)
            self.loop_changed.emit(self.loop)

    # -- what the user picked --------------------------------------------------------------
    def set_selection(self, **changes) -> None:
        new = replace(self.selection, **changes)
        if new != self.selection:
            self.selection = new
            self.selection_changed.emit(new)

    def set_theme(self, name: str) -> None:
        if name not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {name!r}")
        if name != self.theme:
            self.theme = name
            self.theme_changed.emit(name)

    def set_view(self, name: str | None) -> None:
        if name != self.view:
            self.view = name
            self.view_changed.emit(name)

    def set_caption(self, title: str, caption: str) -> None:
        if (title, caption) != (self.title, self.caption):
            self.title, self.caption = title, caption
            self.caption_changed.emit(title, caption)

    # -- options a session saves (geometry, training, views) -------------------------------
    def set_options(self, section: str, *, user: bool = True, **changes) -> bool:
        """Change fields of option section ``section`` (e.g. "geometry", "training",
        "gradient-flow"); False and :attr:`error` if a value is refused."""
        old = self.options[section]
        try:
            new = old.replace(**changes)
        except (ValueError, TypeError) as exc:
            self.error.emit(str(exc))
            return False
        if new == old:
            return True
        self.options = {**self.options, section: new}
        if user:
            self._set_dirty(True)
        self.options_changed.emit(section, new)
        return True

    def replace_options(self, section: str, options, *, user: bool = True) -> None:
        """Replace option section ``section`` by ``options`` (an instance of its schema)."""
        if options != self.options[section]:
            self.options = {**self.options, section: options}
            if user:
                self._set_dirty(True)
            self.options_changed.emit(section, options)

    # -- training --------------------------------------------------------------------------
    def set_training_running(self, running: bool) -> None:
        """While True, the weights' shapes are locked (the trainer owns a copy of them)."""
        if running != self.training_running:
            self.training_running = running
            self.training_running_changed.emit(running)

    # -- whole sessions --------------------------------------------------------------------
    def snapshot(self):
        """The open session as a :class:`gui.model.session_file.Session` (weights included
        when they are trained ones)."""
        from .session_file import Session

        params = None
        if self.params is not None:
            params = {k: v.copy() for k, v in self.params.items()}
        c = self.cursor
        cursor = "update" if c.phase == "update" else f"{c.phase}:{c.t}"
        return Session(config=self.config, params=params, view=self.view, cursor=cursor,
                       options={k: v.to_dict() for k, v in self.options.items()},
                       theme=self.theme, title=self.title, caption=self.caption)

    def restore(self, session, *, compute_now: bool = False) -> None:
        """Show ``session`` (a Session): config, weights, options, theme, view, cursor, caption.

        The result is requested (or computed now); the session is clean afterwards.
        """
        options = {**default_options(), **parse_options(session.options)}
        if session.theme:
            self.set_theme(session.theme)
        for section, value in options.items():
            self.replace_options(section, value, user=False)
        self.params = None
        self.set_training_running(False)  # said aloud: a run of the old session is abandoned
        self.set_config(session.config, params=session.params, user=False)
        if session.cursor:
            self.cursor = Cursor.parse(session.cursor, session.config.steps)
        self.set_view(session.view)
        self.set_caption(session.title, session.caption)
        if compute_now:
            self.compute_now()
        self.cursor_changed.emit(self.cursor)
        self.mark_saved()

    def mark_saved(self) -> None:
        """The session was saved (or just opened): nothing is lost by replacing it now."""
        self._set_dirty(False)

    def mark_unsaved(self) -> None:
        """The session holds work no file has yet (weights trained headless, say): replacing
        it asks first."""
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)


def from_session(session, *, theme: str | None = None, compute_now: bool = True) -> AppModel:
    """A model showing ``session`` (a gui.model.session_file.Session); its result computed now
    (headless export, start-up) or requested from a job runner."""
    app = AppModel(session.config, session.params, compute_now=False)
    app.restore(session, compute_now=compute_now)
    if theme:
        app.set_theme(theme)
    return app
