"""The application state: the session, its traces, the cursor, playback and the selection.

One object, one source of truth. Widgets subscribe to its signals and write the user's intent back
through its methods; no widget keeps its own copy of any of this.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6 import QtCore

from sim.session import Cursor, SessionConfig, SessionResult, compute

from .worker import Worker

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


@dataclass(frozen=True)
class Selection:
    """What the user picked, shared by the views that care.

    unit : hidden unit k (0-based) shown in the block and equation views.
    parameter : the parameter of the per-step gradient strip.
    color_by : "source" (each J(s) its own hue) or "magnitude" for error arrows.
    flow : the variable whose routes to J the "follow one flow" mode highlights, or None.
    """

    unit: int = 0
    parameter: str | None = None
    color_by: str = "source"
    flow: str | None = None


class AppState(QtCore.QObject):
    """The single state the window, the views and the exporters share."""

    config_changed = QtCore.Signal(object)
    result_changed = QtCore.Signal(object)
    cursor_changed = QtCore.Signal(object)
    selection_changed = QtCore.Signal(object)
    playing_changed = QtCore.Signal(bool)
    rate_changed = QtCore.Signal(float)
    loop_changed = QtCore.Signal(bool)
    busy_changed = QtCore.Signal(bool)
    theme_changed = QtCore.Signal(str)
    error = QtCore.Signal(str)

    def __init__(self, config: SessionConfig | None = None, parent=None, *, compute_now=True,
                 params: dict | None = None):
        super().__init__(parent)
        self.config = config or SessionConfig()
        self.result: SessionResult | None = None
        self.cursor = Cursor("forward", 1)
        self.selection = Selection()
        self.params: dict | None = params  # trained weights that replace the seeded ones
        #: settings for sub-states created later with ext() (e.g. a session's geometry panel)
        self.pending_settings: dict[str, dict] = {}
        self.playing = False
        self.rate = 2.0
        self.loop = False
        self.theme = "light"
        self.busy = False
        self._worker = Worker(self)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._pending = 0
        if compute_now:
            self._set_result(compute(self.config, self.params))

    # -- session ----------------------------------------------------------------------------
    @property
    def T(self) -> int:
        return self.result.T if self.result is not None else self.config.length

    def update_config(self, **changes) -> bool:
        """Ask for a new session (computed off the GUI thread); False and ``error`` if invalid."""
        try:
            config = self.config.replace(**changes)
        except (ValueError, TypeError) as exc:
            self.error.emit(str(exc))
            return False
        return self.set_config(config)

    def set_config(self, config: SessionConfig, params: dict | None = None) -> bool:
        if self.params is not None and params is None and (
                not self._same_shapes(config) or config.seed != self.config.seed):
            self.params = None  # trained weights no longer fit, or new seeded weights asked for
        if params is not None:
            self.params = params
        self.config = config
        self.config_changed.emit(config)
        self._pending = self._worker.submit(compute, config, self.params)
        self._set_busy(True)
        return True

    def reset_params(self) -> None:
        """Forget trained weights: back to the seeded initial weights of the config."""
        self.params = None
        self.set_config(self.config)

    def _same_shapes(self, config: SessionConfig) -> bool:
        old = self.result.config if self.result is not None else self.config
        keys = ("model", "hidden", "peepholes", "task", "task_settings")
        return all(getattr(old, k) == getattr(config, k) for k in keys)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pending recomputation has landed (tests, headless export)."""
        return self._worker.wait(msecs)

    def _on_done(self, job_id: int, result: SessionResult) -> None:
        if job_id != self._pending:
            return  # a newer request is on its way
        self._set_busy(False)
        self._set_result(result)

    def _on_failed(self, job_id: int, message: str) -> None:
        if job_id == self._pending:
            self._set_busy(False)
        self.error.emit(message)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _set_result(self, result: SessionResult) -> None:
        # Everything consistent first, then tell the world: no listener sees a cursor or a
        # selection that does not fit the new traces.
        self.result = result
        self.config = result.config
        self.cursor = self.cursor.clamp(result.T)
        sel = self.selection
        fixed = replace(sel, unit=min(sel.unit, result.forward.n_hidden - 1),
                        parameter=sel.parameter if sel.parameter in result.update else None)
        self.selection = fixed
        self.result_changed.emit(result)
        if fixed != sel:
            self.selection_changed.emit(fixed)
        self.cursor_changed.emit(self.cursor)

    # -- cursor -----------------------------------------------------------------------------
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

    # -- playback and preferences -----------------------------------------------------------
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
        if loop != self.loop:
            self.loop = bool(loop)
            self.loop_changed.emit(self.loop)

    def set_selection(self, **changes) -> None:
        new = replace(self.selection, **changes)
        if new != self.selection:
            self.selection = new
            self.selection_changed.emit(new)

    def ext(self, name: str, factory):
        """A sub-state owned by a group of views (e.g. the geometry panel's D), created on first
        use with ``factory(self)`` and shared by everyone who asks for ``name``."""
        exts = self.__dict__.setdefault("_exts", {})
        if name not in exts:
            exts[name] = factory(self)
        return exts[name]

    def set_theme(self, name: str) -> None:
        if name != self.theme:
            self.theme = name
            self.theme_changed.emit(name)
