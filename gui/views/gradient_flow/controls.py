"""The gradient-flow view's controls row: the recurrent radius, the comparison, and the session's
clipping (τ and its mode). Every control writes the user's intent to the application model and
shows what the model holds; the row keeps nothing of its own."""

from __future__ import annotations

from PySide6 import QtWidgets

from ...model.present.gradient_flow import companion_kinds

MODES = (("global", "global ‖g‖"), ("per_step", "per step"))


class FlowControls:
    """The widgets of the row (``row``, a QHBoxLayout) bound to ``app`` (None: they only show)."""

    def __init__(self, app):
        self.app = app
        self.radius = QtWidgets.QDoubleSpinBox()
        self.radius.setRange(0.0, 10.0)
        self.radius.setDecimals(2)
        self.radius.setSingleStep(0.1)
        self.radius.setSpecialValueText("as initialised")
        self.radius.setToolTip("Rescale the recurrent weights (W, or every R of a gated cell) to "
                               "this radius: below 1 errors vanish, above 1 they can explode. "
                               "Recomputes the session.")
        self.radius.valueChanged.connect(self._on_radius)
        self.compare = QtWidgets.QCheckBox("Compare with LSTM and GRU")
        self.compare.setToolTip("Run the other two one-cell kinds (of SimpleRNN, LSTM, GRU) on "
                                "the same input, same H, T, seeds and radius, and draw the three "
                                "decays side by side")
        self.compare.toggled.connect(self._on_compare)
        self.clip = QtWidgets.QCheckBox("Clip at τ =")
        self.clip.setToolTip("Clip the session's update at τ (the update phase, training and the "
                             "other views follow)")
        self.clip.toggled.connect(self._on_clip)
        self.tau = QtWidgets.QDoubleSpinBox()
        self.tau.setRange(0.001, 1e5)
        self.tau.setDecimals(3)
        self.tau.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.tau.setValue(1.0)
        self.tau.setToolTip("Clipping threshold τ: a gradient g with ‖g‖ > τ is rescaled to "
                            "g τ/‖g‖")
        self.tau.valueChanged.connect(self._on_tau)
        self.mode = QtWidgets.QComboBox()
        for key, text in MODES:
            self.mode.addItem(text, key)
        self.mode.setToolTip("global: the summed gradient is scaled (Pascanu et al.); per step: "
                             "each step's (∂J/∂θ)⁽ᵗ⁾ is clipped on its own, then summed")
        self.mode.activated.connect(self._on_mode)
        self.busy = QtWidgets.QLabel("")
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(6, 3, 6, 3)
        row.addWidget(QtWidgets.QLabel("Radius"))
        row.addWidget(self.radius)
        row.addSpacing(12)
        row.addWidget(self.compare)
        row.addSpacing(12)
        row.addWidget(self.clip)
        row.addWidget(self.tau)
        row.addWidget(self.mode)
        row.addStretch(1)
        row.addWidget(self.busy)
        self.row = row

    @property
    def widgets(self) -> tuple:
        return (self.radius, self.compare, self.clip, self.tau, self.mode)

    # -- intent -----------------------------------------------------------------------------
    def _on_radius(self, value: float) -> None:
        if self.app is not None:
            self.app.update_config(radius=None if value <= 0 else round(float(value), 2))

    def _on_compare(self, on: bool) -> None:
        if self.app is not None:
            self.app.set_options("gradient-flow", compare=bool(on))

    def _on_clip(self, on: bool) -> None:
        self.tau.setEnabled(on)
        self.mode.setEnabled(on)
        if self.app is not None:
            self.app.update_config(clip=float(self.tau.value()) if on else None)

    def _on_tau(self, value: float) -> None:
        if self.app is not None and self.clip.isChecked():
            self.app.update_config(clip=float(value))

    def _on_mode(self, index: int) -> None:
        if self.app is not None:
            self.app.update_config(clip_mode=self.mode.itemData(index))

    # -- shown as the model says ------------------------------------------------------------
    def sync(self, config, compare: bool, busy: str) -> None:
        """Show ``config`` (the session's, as asked for), the comparison flag and ``busy``."""
        for w in self.widgets:
            w.blockSignals(True)
        self.radius.setValue(config.radius or 0.0)
        kinds = companion_kinds(config)
        self.compare.setText(f"Compare with {' and '.join(kinds)}" if kinds
                             else "Compare (one-cell models only)")
        self.compare.setEnabled(bool(kinds))
        self.compare.setChecked(compare)
        on = config.clip is not None
        self.clip.setChecked(on)
        if on:
            self.tau.setValue(config.clip)
        self.mode.setCurrentIndex(max(0, self.mode.findData(config.clip_mode)))
        self.tau.setEnabled(on)
        self.mode.setEnabled(on)
        for w in self.widgets:
            w.blockSignals(False)
        if self.busy.text() != busy:
            self.busy.setText(busy)
