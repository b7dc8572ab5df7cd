"""Wall-clock playback: frame = start + int(elapsed * rate), so speed ignores machine load."""

from __future__ import annotations

import time

from PySide6 import QtCore


class Playback(QtCore.QObject):
    """Drives the model's cursor while ``app.playing``; the timer runs only then.

    Parameters
    ----------
    ctx : the gui.context.Context (its ``app`` is driven, its ``qt`` signals followed).
    """

    TICK_MS = 15

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.state = ctx.app
        self._timer = QtCore.QTimer(self)
        self._timer.setObjectName("playback")
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        ctx.qt.playing_changed.connect(self._on_playing_changed)
        ctx.qt.rate_changed.connect(self._anchor)
        ctx.qt.result_changed.connect(self._anchor)
        self._t0 = 0.0
        self._f0 = 0
        self._last = -1

    def _anchor(self, *_) -> None:
        self._t0 = time.monotonic()
        self._f0 = self.state.frame
        self._last = self._f0

    def _on_playing_changed(self, playing: bool) -> None:
        if playing:
            self._anchor()
            self._timer.start()
        else:
            self._timer.stop()

    def _on_tick(self) -> None:
        s = self.state
        if s.frame != self._last:  # the user stepped or scrubbed while playing
            self._anchor()
        frame = self._f0 + int((time.monotonic() - self._t0) * s.rate)
        last = s.n_frames - 1
        if frame > last:
            if s.loop:
                frame %= s.n_frames
                self._t0 = time.monotonic() - frame / s.rate
                self._f0 = 0
            else:
                s.set_frame(last)
                s.set_playing(False)
                return
        if frame != s.frame:
            s.set_frame(frame)
        self._last = s.frame

    def stop(self) -> None:
        self._timer.stop()
