"""The controls above a block drawing: unit k, "follow one flow", the stage walk, and the bar that
says a session has no LSTM block (with a button to switch to one). They write the user's intent
into the application model and show what the frame says."""

from __future__ import annotations

from PySide6 import QtWidgets

from sim.lstm_graph import FLOW_NAMES

from ...model.present import lstm_block as pres
from ...model.present.lstm_stages import n_stages, stages


class ControlsMixin:
    """Builds ``self.controls`` and ``self.rnn_bar``; needs ``self.app`` (may be None)."""

    def _build_controls(self) -> None:
        self.controls = QtWidgets.QWidget()
        h = QtWidgets.QHBoxLayout(self.controls)
        h.setContentsMargins(6, 2, 6, 2)
        self.unit_spin = QtWidgets.QSpinBox()
        self.unit_spin.setMinimum(1)
        self.unit_spin.setToolTip("The hidden unit k whose numbers are written on the nodes "
                                  "(or click a cell)")
        self.unit_spin.valueChanged.connect(lambda v: self._select(unit=int(v) - 1))
        self.flow_combo = QtWidgets.QComboBox()
        self.flow_combo.addItem("none", None)
        for name in FLOW_NAMES:
            self.flow_combo.addItem(pres.pretty(name), name)
        self.flow_combo.setToolTip("Follow one flow: every route from this variable to J, in "
                                   "purple (the articles' purple arrows)")
        self.flow_combo.activated.connect(
            lambda i: self._select(flow=self.flow_combo.itemData(i)))
        self.stage_combo = QtWidgets.QComboBox()
        self.stage_combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stage_combo.setMinimumContentsLength(28)
        self.stage_combo.setToolTip("Walk through the equations of one step: later stages are "
                                    "greyed (not computed yet)")
        self.stage_combo.activated.connect(
            lambda i: self._select(stage=self.stage_combo.itemData(i)))
        self.prev_stage = QtWidgets.QToolButton(text="◀")
        self.next_stage = QtWidgets.QToolButton(text="▶")
        self.prev_stage.setToolTip("Previous stage (before the first: the previous step)")
        self.next_stage.setToolTip("Next stage (after the last: the next step)")
        self.prev_stage.clicked.connect(lambda: self.step_stage(-1))
        self.next_stage.clicked.connect(lambda: self.step_stage(1))
        for w in (QtWidgets.QLabel("unit k"), self.unit_spin, QtWidgets.QLabel("  follow one flow"),
                  self.flow_combo, QtWidgets.QLabel("  stage"), self.prev_stage,
                  self.stage_combo, self.next_stage):
            h.addWidget(w)
        h.addStretch(1)
        self._stage_phase = None
        self.rnn_bar = QtWidgets.QWidget()
        r = QtWidgets.QHBoxLayout(self.rnn_bar)
        r.setContentsMargins(6, 4, 6, 4)
        self.rnn_label = QtWidgets.QLabel()
        self.rnn_button = QtWidgets.QPushButton("Switch the session to an LSTM")
        self.rnn_button.clicked.connect(self._switch_to_lstm)
        r.addWidget(self.rnn_label)
        r.addWidget(self.rnn_button)
        r.addStretch(1)
        self.rnn_bar.setVisible(False)

    def _select(self, **changes) -> None:
        if self.app is not None:
            self.app.set_selection(**changes)

    def _switch_to_lstm(self) -> None:
        if self.app is not None:
            self.app.update_config(model="LSTM")

    def _show_not_lstm(self, kind: str) -> None:
        self.rnn_label.setText(f"This session is a {kind}: it has no LSTM block (no cell, no "
                               "gates) to draw.")
        self.rnn_bar.setVisible(True)
        self.controls.setEnabled(False)

    def _sync_controls(self, frame, phase: str) -> None:
        """Show what ``frame`` says (signals blocked: nothing is written back)."""
        self.rnn_bar.setVisible(False)
        self.controls.setEnabled(self.app is not None)
        sel = frame.selection
        H = frame.result.forward.n_hidden
        for w in (self.unit_spin, self.flow_combo, self.stage_combo):
            w.blockSignals(True)
        try:
            self.unit_spin.setMaximum(max(1, H))
            self.unit_spin.setValue(min(sel.unit, H - 1) + 1)
            self.flow_combo.setCurrentIndex(max(self.flow_combo.findData(sel.flow), 0))
            peep = bool(getattr(frame.result.forward, "peepholes", False))
            if (phase, peep) != self._stage_phase:
                self._stage_phase = (phase, peep)
                self.stage_combo.clear()
                self.stage_combo.addItem("all, numbered", None)
                for i, text in enumerate(stages(phase, peep)):
                    self.stage_combo.addItem(f"{pres.CIRCLED[i + 1]} {text}", i)
            self.stage_combo.setCurrentIndex(max(self.stage_combo.findData(sel.stage), 0))
        finally:
            for w in (self.unit_spin, self.flow_combo, self.stage_combo):
                w.blockSignals(False)

    def step_stage(self, delta: int) -> None:
        """Walk through the stages of the equations; past either end, move the cursor a step."""
        app = self.app
        if app is None:
            return
        move, stage = pres.step_stage(app.selection.stage, pres.phase_of(app.cursor), delta)
        if move:
            frame = app.frame
            app.step(move)
            if app.frame == frame:
                return
            phase = pres.phase_of(app.cursor)
            stage = 0 if delta > 0 else n_stages(phase) - 1
        app.set_selection(stage=stage)
