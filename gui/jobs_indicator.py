"""The status bar's word on background work: a progress bar and Cancel while a job that takes
longer than a moment runs (see gui/jobs.py)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .jobs import SHOW_PROGRESS_S


class JobsIndicator(QtWidgets.QWidget):
    """Shows the runner's progress (and a Cancel button) once slow work has run for
    SHOW_PROGRESS_S; hidden otherwise."""

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 100)  # whole percents: setValue repaints at once when it changes
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setToolTip("Background work (computing derived data off the GUI thread)")
        self.cancel = QtWidgets.QPushButton("Cancel")
        self.cancel.setToolTip("Stop the background work (it starts again when you ask for it)")
        self.cancel.clicked.connect(self._on_cancel)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QtWidgets.QLabel("computing"))
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self._timer = QtCore.QTimer(self)
        self._timer.setObjectName("jobs-indicator")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_if_slow)
        runner.busy_changed.connect(self._on_busy_changed)
        runner.progress.connect(self._on_progress)
        self.setVisible(False)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self._timer.start(int(SHOW_PROGRESS_S * 1000))
        else:
            self._timer.stop()
            self.setVisible(False)

    def _show_if_slow(self) -> None:
        if self.runner.busy and self.runner.slow:
            self.bar.setValue(int(100 * self.runner.fraction))
            self.setVisible(True)

    def _on_progress(self, fraction: float) -> None:
        if not self.isVisible() and not self._timer.isActive():
            self._show_if_slow()  # quiet work (a hidden tab's) that someone now waits for
            return
        value = int(100 * fraction)
        if self.isVisible() and value != self.bar.value():  # QProgressBar repaints synchronously
            self.bar.setValue(value)

    def _on_cancel(self) -> None:
        self.runner.cancel()
