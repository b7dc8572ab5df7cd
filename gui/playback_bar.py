"""Play/pause, step, jump, a scrubber over forward -> backward -> update, speed and loop."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from . import icons
from . import theme as themes
from .model.app_model import SPEEDS
from .model.present.numbers import cursor_label


class PlaybackBar(QtWidgets.QWidget):
    """Buttons, scrubber, speed and loop for ``ctx.app``'s cursor (the model holds all of it)."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.state = state = ctx.app
        qt = ctx.qt
        self._icons: dict = {}

        def button(icon, tip, slot):
            b = QtWidgets.QToolButton()
            self._icons[b] = icon
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
            b.clicked.connect(slot)
            return b

        self.home = button("home", "Jump to the start (Home)", state.home)
        self.back = button("back", "Step back (Left)", lambda: state.step(-1))
        self.play = button("play", "Play / pause (Space)", state.toggle_play)
        self.fwd = button("forward", "Step forward (Right)", lambda: state.step(1))
        self.end = button("end", "Jump to the update (End)", state.end)
        self.scrubber = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.scrubber.setToolTip("The whole sequence: forward t = 1..T, backward t = T..1, "
                                 "then the one parameter update")
        self.scrubber.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.scrubber.valueChanged.connect(self._on_scrubbed)
        self.speed = QtWidgets.QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g} steps/s", s)
        self.speed.setToolTip("Playback speed")
        self.speed.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.speed.currentIndexChanged.connect(
            lambda i: state.set_rate(self.speed.itemData(i)))
        self.loop = QtWidgets.QCheckBox("loop")
        self.loop.setToolTip("Start again after the update")
        self.loop.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.loop.toggled.connect(state.set_loop)
        self.label = QtWidgets.QLabel()
        self.label.setMinimumWidth(170)
        self.label.setObjectName("cursorLabel")
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        for w in (self.home, self.back, self.play, self.fwd, self.end):
            lay.addWidget(w)
        lay.addWidget(self.label)
        lay.addWidget(self.scrubber, 1)
        lay.addWidget(self.speed)
        lay.addWidget(self.loop)
        qt.cursor_changed.connect(self._on_cursor_changed)
        qt.result_changed.connect(self._on_result_changed)
        qt.playing_changed.connect(self._on_playing_changed)
        qt.rate_changed.connect(self._on_rate_changed)
        qt.loop_changed.connect(self._on_loop_changed)
        qt.theme_changed.connect(self._on_theme_changed)
        self._on_theme_changed(state.theme)
        self._on_rate_changed(state.rate)
        self._on_cursor_changed(state.cursor)

    def _on_result_changed(self, _result) -> None:
        self._on_cursor_changed(self.state.cursor)

    def _on_loop_changed(self, loop: bool) -> None:
        self.loop.blockSignals(True)
        self.loop.setChecked(loop)
        self.loop.blockSignals(False)

    def _on_scrubbed(self, value: int) -> None:
        if value != self.state.frame:
            self.state.set_frame(value)

    def _on_cursor_changed(self, cursor) -> None:
        s = self.state
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, s.n_frames - 1)
        self.scrubber.setValue(s.frame)
        self.scrubber.blockSignals(False)
        self.label.setText(cursor_label(cursor, s.T))

    def _on_theme_changed(self, name: str) -> None:
        """Icons in the theme's text colour: visible on light and on dark."""
        self._color = themes.get(name).foreground
        self._icons[self.play] = "pause" if self.state.playing else "play"
        for b, shape in self._icons.items():
            b.setIcon(icons.icon(shape, self._color))

    def _on_playing_changed(self, playing: bool) -> None:
        self._icons[self.play] = "pause" if playing else "play"
        self.play.setIcon(icons.icon(self._icons[self.play], self._color))

    def _on_rate_changed(self, rate: float) -> None:
        i = self.speed.findData(rate)
        if i >= 0 and i != self.speed.currentIndex():
            self.speed.blockSignals(True)
            self.speed.setCurrentIndex(i)
            self.speed.blockSignals(False)
