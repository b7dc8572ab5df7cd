"""The Training view's controls: how to train (the model's "training" section), the session's
learning rate, clipping and truncation (the same config fields the session panel shows), and the
run buttons.

Every control writes the user's intent to the application model and shows what the model says
(:meth:`TrainingControls.sync`); the run buttons are wired by the view to the controller.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...model.limits import MAX_LENGTH
from ...model.training.settings import (
    COMPARE_TASKS,
    MAX_BATCH,
    MAX_CHUNK,
    MAX_UPDATES,
    truncation_note,
)

OPTIMIZER_LABELS = (("SGD", "sgd"), ("momentum", "momentum"), ("Adam", "adam"))
CLIP_MODES = (("global ‖g‖", "global"), ("per step ‖g⁽ᵗ⁾‖", "per_step"))


def _spin(lo: int, hi: int, tip: str, *, off: bool = False) -> QtWidgets.QSpinBox:
    w = QtWidgets.QSpinBox()
    w.setRange(lo, hi)
    w.setToolTip(tip)
    w.setKeyboardTracking(False)  # typing "64" asks once, not for "6" then "64"
    if off:
        w.setSpecialValueText("off")
    return w


def _combo(items, tip: str) -> QtWidgets.QComboBox:
    w = QtWidgets.QComboBox()
    for label, value in items:
        w.addItem(label, value)
    w.setToolTip(tip)
    return w


class TrainingControls(QtWidgets.QWidget):
    """The form on the left of the Training view, bound to ``app`` (an AppModel, or None for a
    view that only draws)."""

    def __init__(self, app, parent=None):
        super().__init__(parent)
        self.app = app
        form = QtWidgets.QFormLayout(self)
        form.setContentsMargins(6, 6, 6, 6)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        form.addRow(self.caption)
        self._build_settings(form)
        self._build_buttons(form)
        self._build_compare(form)
        self._connect()
        self.fit_width()

    def fit_width(self) -> int:
        """Take the width the widest button needs in the current font (presentation mode
        enlarges it) and no more; returns it."""
        text = self.compare_button.text()
        width = self.compare_button.fontMetrics().horizontalAdvance(text) + 90
        self.setFixedWidth(width)
        return width

    def changeEvent(self, ev):  # noqa: N802 - Qt's name
        super().changeEvent(ev)
        if ev.type() == QtCore.QEvent.Type.FontChange:
            self.fit_width()

    # -- construction -------------------------------------------------------------------------
    def _build_settings(self, form: QtWidgets.QFormLayout) -> None:
        self.optimizer = _combo(OPTIMIZER_LABELS, "SGD: θ ← θ − η g · momentum: v ← 0.9 v + g, "
                                "θ ← θ − η v · Adam: steps scaled by running moments of g")
        self.lr = QtWidgets.QDoubleSpinBox()
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 10.0)
        self.lr.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr.setKeyboardTracking(False)
        self.lr.setToolTip("The session's learning rate η: the update the session shows and "
                           "every update training makes (the session panel shows the same)")
        self.clip = QtWidgets.QDoubleSpinBox()
        self.clip.setDecimals(3)
        self.clip.setRange(0.0, 1e5)
        self.clip.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.clip.setSpecialValueText("off")
        self.clip.setKeyboardTracking(False)
        self.clip.setToolTip("The session's clipping threshold τ: g ← g τ/‖g‖ when ‖g‖ > τ "
                             "(0: no clipping; the session panel shows the same)")
        self.clip_mode = _combo(CLIP_MODES, "Clip the summed gradient, or each step's "
                                "contribution (∂J/∂θ)⁽ᵗ⁾ before summing (the session's)")
        self.truncation = _spin(0, MAX_LENGTH, "The session's truncated BPTT: each error "
                                "reaches back k − 1 steps: J(s) reaches h(t) only for s − t < k "
                                "(0: off)", off=True)
        self.chunk = _spin(0, MAX_CHUNK, "Chunks K: one update every K steps of each sequence, "
                           "the state carried from chunk to chunk and no error crossing a "
                           "chunk's start (the article's truncation; 0: off, one update per "
                           "sequence)", off=True)
        self.truncation_note = QtWidgets.QLabel()
        self.truncation_note.setWordWrap(True)
        self.batch = _spin(1, MAX_BATCH, "Sequences per update (their gradients are averaged)")
        self.updates = _spin(1, MAX_UPDATES, "Updates per run (Start and Compare)")
        self.updates.setSingleStep(500)
        form.addRow("Optimiser", self.optimizer)
        form.addRow("Learning rate η", self.lr)
        form.addRow("Clip threshold τ", self.clip)
        form.addRow("Clip", self.clip_mode)
        form.addRow("Truncation k", self.truncation)
        form.addRow("Chunks K", self.chunk)
        form.addRow(self.truncation_note)
        note = QtWidgets.QLabel("η, τ and k are the session's: the update it shows and "
                                "training use the same numbers.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        form.addRow(note)
        form.addRow("Batch", self.batch)
        form.addRow("Updates", self.updates)

    def _build_buttons(self, form: QtWidgets.QFormLayout) -> None:
        self.start_button = QtWidgets.QPushButton("Start")
        self.start_button.setToolTip("Train the session's model (continues a paused run)")
        self.pause_button = QtWidgets.QPushButton("Pause")
        self.pause_button.setToolTip("Pause: every other view shows the weights so far")
        self.stop_button = QtWidgets.QPushButton("Stop")
        self.stop_button.setToolTip("End the run; the weights stay in the session")
        self.one_button = QtWidgets.QPushButton("One update")
        self.one_button.setToolTip("One update on one sequence, played forward → backward → "
                                   "update in the session's views")
        self.reset_button = QtWidgets.QPushButton("Reset weights")
        self.reset_button.setToolTip("Back to the seeded initial weights")
        self.follow = QtWidgets.QCheckBox("show it in the Unfolded tab")
        self.follow.setToolTip("After One update, bring the unfolded network to the front")
        grid = QtWidgets.QGridLayout()
        grid.addWidget(self.start_button, 0, 0)
        grid.addWidget(self.pause_button, 0, 1)
        grid.addWidget(self.stop_button, 0, 2)
        grid.addWidget(self.one_button, 1, 0, 1, 2)
        grid.addWidget(self.reset_button, 1, 2)
        form.addRow(grid)
        form.addRow(self.follow)

    def _build_compare(self, form: QtWidgets.QFormLayout) -> None:
        self.compare_task = QtWidgets.QComboBox()
        for label in COMPARE_TASKS:
            self.compare_task.addItem(label)
        self.compare_task.setToolTip("The task of the compare run. On the adding problem "
                                     "(T = 30) the GRU (within ~1,000 updates) and the LSTM (after "
                                     "~2,000-3,000) learn where the SimpleRNN stalls")
        self.compare_button = QtWidgets.QPushButton("Compare SimpleRNN / LSTM / GRU")
        self.compare_button.setToolTip("Train a SimpleRNN, an LSTM and a GRU with about the same "
                                       "number of weights on the same task and samples, side "
                                       "by side, for 'Updates' updates (the session's run "
                                       "stays)")
        self.compare_hint = QtWidgets.QLabel()
        self.compare_hint.setWordWrap(True)
        self.compare_hint.setStyleSheet("color: palette(mid);")
        form.addRow(QtWidgets.QLabel("<b>Compare</b>"))
        form.addRow("Task", self.compare_task)
        form.addRow(self.compare_button)
        form.addRow(self.compare_hint)
        self.show_single = QtWidgets.QRadioButton("session")
        self.show_compare = QtWidgets.QRadioButton("compare")
        self.show_single.setToolTip("Show the curves of the run of the session's model")
        self.show_compare.setToolTip("Show the curves of the compare run")
        self.clear_button = QtWidgets.QPushButton("Clear")
        self.clear_button.setToolTip("Forget the curves shown")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel("Curves:"))
        row.addWidget(self.show_single)
        row.addWidget(self.show_compare)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        form.addRow(row)

    def _connect(self) -> None:
        self.optimizer.currentIndexChanged.connect(self._on_optimizer)
        self.compare_task.currentIndexChanged.connect(self._on_compare_task)
        self.batch.valueChanged.connect(self._on_batch)
        self.updates.valueChanged.connect(self._on_updates)
        self.follow.toggled.connect(self._on_follow)
        self.lr.valueChanged.connect(self._on_lr)
        self.clip.valueChanged.connect(self._on_clip)
        self.clip_mode.currentIndexChanged.connect(self._on_clip_mode)
        self.truncation.valueChanged.connect(self._on_truncation)
        self.chunk.valueChanged.connect(self._on_chunk)

    # -- intent -------------------------------------------------------------------------------
    def _options(self, **changes) -> None:
        if self.app is not None:
            self.app.set_options("training", **changes)

    def _config(self, **changes) -> None:
        if self.app is not None:
            self.app.update_config(**changes)

    def _on_optimizer(self, index: int) -> None:
        self._options(optimizer=self.optimizer.itemData(index))

    def _on_compare_task(self, index: int) -> None:
        self._options(compare_task=self.compare_task.itemText(index))

    def _on_batch(self, value: int) -> None:
        self._options(batch_size=int(value))

    def _on_updates(self, value: int) -> None:
        self._options(n_updates=int(value))

    def _on_follow(self, on: bool) -> None:
        self._options(follow=bool(on))

    def _on_lr(self, value: float) -> None:
        self._config(lr=float(value))

    def _on_clip(self, value: float) -> None:
        self._config(clip=float(value) or None)

    def _on_clip_mode(self, index: int) -> None:
        self._config(clip_mode=self.clip_mode.itemData(index))

    def _on_chunk(self, value: int) -> None:
        self._options(chunk=int(value) or None)

    def _on_truncation(self, value: int) -> None:
        self._config(truncation=int(value) or None)

    # -- showing the model --------------------------------------------------------------------
    def _widgets(self) -> tuple:
        return (self.optimizer, self.lr, self.clip, self.clip_mode, self.truncation, self.chunk,
                self.batch, self.updates, self.follow, self.compare_task)

    def sync(self, settings, config) -> None:
        """Show ``settings`` (a TrainingSettings) and ``config``'s lr, clipping and truncation,
        without echoing them back to the model."""
        widgets = self._widgets()
        for w in widgets:
            w.blockSignals(True)
        try:
            self.optimizer.setCurrentIndex(self.optimizer.findData(settings.optimizer))
            self.batch.setValue(settings.batch_size)
            self.updates.setValue(settings.n_updates)
            self.follow.setChecked(settings.follow)
            self.compare_task.setCurrentText(settings.compare_task)
            self.lr.setValue(config.lr)
            self.clip.setValue(config.clip or 0.0)
            self.clip_mode.setCurrentIndex(self.clip_mode.findData(config.clip_mode))
            self.truncation.setValue(config.truncation or 0)
            self.chunk.setValue(settings.chunk or 0)
            self.truncation_note.setText(truncation_note(config.truncation, settings.chunk))
        finally:
            for w in widgets:
                w.blockSignals(False)

    def set_locked(self, locked: bool) -> None:
        """While a run or an update goes, how it trains cannot change."""
        for w in self._widgets():
            if w is not self.follow:
                w.setEnabled(not locked)
