"""The side panel of session controls: model, sizes, task, loss, truncation, seeds.

Every control writes the user's intent to the application state; the state recomputes off the
GUI thread and the panel follows the state's config (so a loaded session shows in the controls).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from sim import tasks
from sim.session import GUI_MAX_HIDDEN, GUI_MAX_LENGTH, SessionConfig

LOSSES = (("task default", None), ("cross entropy", "cross_entropy"), ("mean squared", "mse"))


class SessionPanel(QtWidgets.QWidget):
    """Controls for :class:`sim.session.SessionConfig`, bound to an AppState."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self._syncing = False
        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.model = QtWidgets.QComboBox()
        self.model.addItems(["SimpleRNN", "LSTM"])
        self.model.setToolTip("Simple (Elman) RNN, or LSTM with gates and a cell highway")
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(["tanh", "relu", "sigmoid"])
        self.activation.setToolTip("g, the SimpleRNN's hidden nonlinearity: h = g(a)")
        self.peepholes = QtWidgets.QCheckBox("peepholes")
        self.peepholes.setToolTip("LSTM peepholes: p_i, p_f read c(t-1); p_o reads c(t)")
        self.hidden = _spin(1, GUI_MAX_HIDDEN, "H, the number of hidden units (1-64)")
        self.length = _spin(1, GUI_MAX_LENGTH, "T, the sequence length (1-100)")
        self.task = QtWidgets.QComboBox()
        for name in tasks.names():
            kind, _ = tasks.describe(name)
            self.task.addItem(f"{name} ({kind})", name)
        self.task_info = QtWidgets.QLabel()
        self.task_info.setWordWrap(True)
        self.task_info.setStyleSheet("color: palette(mid);")
        self.settings_box = QtWidgets.QWidget()
        self.settings_form = QtWidgets.QFormLayout(self.settings_box)
        self.settings_form.setContentsMargins(0, 0, 0, 0)
        self.setting_widgets: dict[str, QtWidgets.QWidget] = {}
        self.loss = QtWidgets.QComboBox()
        for label, value in LOSSES:
            self.loss.addItem(label, value)
        self.loss.setToolTip("J(t): cross entropy on the softmax, or 1/2 ||ŷ - target||²")
        self.truncation = _spin(0, GUI_MAX_LENGTH, "Truncated BPTT: each error J(s) travels back "
                                "at most k steps (0: off, full BPTT)")
        self.truncation.setSpecialValueText("off")
        self.seed = _spin(0, 10**6, "Seed of the initial weights")
        self.new_input = QtWidgets.QPushButton("New input sequence")
        self.new_input.setToolTip("Draw a new sample of the task (the weights stay)")
        self.radius = QtWidgets.QDoubleSpinBox()
        self.radius.setRange(0.0, 3.0)
        self.radius.setSingleStep(0.1)
        self.radius.setSpecialValueText("as initialised")
        self.radius.setToolTip("Rescale W (or every R) to this spectral radius: < 1 vanishing, "
                               "> 1 exploding")

        form.addRow("Model", self.model)
        form.addRow("Activation g", self.activation)
        form.addRow("", self.peepholes)
        form.addRow("Hidden size H", self.hidden)
        form.addRow("Length T", self.length)
        form.addRow("Task", self.task)
        form.addRow(self.task_info)
        form.addRow(self.settings_box)
        form.addRow("Loss", self.loss)
        form.addRow("Truncation k", self.truncation)
        form.addRow("Recurrent radius", self.radius)
        form.addRow("Weight seed", self.seed)
        form.addRow(self.new_input)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020;")
        form.addRow(self.status)

        lay = QtWidgets.QVBoxLayout(self)
        title = QtWidgets.QLabel("<b>Session</b>")
        lay.addWidget(title)
        lay.addLayout(form)
        lay.addStretch(1)

        self.model.currentTextChanged.connect(lambda v: self._set(model=v))
        self.activation.currentTextChanged.connect(lambda v: self._set(activation=v))
        self.peepholes.toggled.connect(lambda v: self._set(peepholes=bool(v)))
        self.hidden.valueChanged.connect(lambda v: self._set(hidden=v))
        self.length.valueChanged.connect(self._on_length_changed)
        self.task.currentIndexChanged.connect(self._on_task_changed)
        self.loss.currentIndexChanged.connect(
            lambda i: self._set(loss=self.loss.itemData(i)))
        self.truncation.valueChanged.connect(lambda v: self._set(truncation=v or None))
        self.radius.valueChanged.connect(lambda v: self._set(radius=v or None))
        self.seed.valueChanged.connect(lambda v: self._set(seed=v))
        self.new_input.clicked.connect(
            lambda: self._set(input_seed=self.state.config.input_seed + 1))
        state.config_changed.connect(self.sync)
        state.error.connect(self.status.setText)
        state.result_changed.connect(lambda _: self.status.setText(""))
        self.sync(state.config)

    # -- intent -----------------------------------------------------------------------------
    def _set(self, **changes) -> None:
        if not self._syncing:
            self.state.update_config(**changes)

    def _on_length_changed(self, T: int) -> None:
        if self._syncing:
            return
        task = self.state.config.make_task()
        lo = getattr(task, "min_length", 1)
        if T < lo:
            self.status.setText(f"{task.name} needs T >= {lo} with these settings")
            return
        self._set(length=T)

    def _on_task_changed(self, index: int) -> None:
        if self._syncing:
            return
        name = self.task.itemData(index)
        task = tasks.make(name)
        lo = getattr(task, "min_length", 1)
        length = max(self.state.config.length, lo)
        self.state.update_config(task=name, length=length)

    def _on_setting_changed(self, key: str, value) -> None:
        if self._syncing:
            return
        settings = self.state.config.settings
        settings[key] = value
        try:
            task = tasks.make(self.state.config.task, **settings)
        except ValueError as exc:  # e.g. generate's step must stay below n_symbols
            self.status.setText(str(exc))
            self.sync(self.state.config)
            return
        length = max(self.state.config.length, getattr(task, "min_length", 1))
        self._set(task_settings=settings, length=length)

    # -- follow the state ------------------------------------------------------------------------
    def sync(self, config: SessionConfig) -> None:
        """Show ``config`` in the controls without echoing changes back."""
        self._syncing = True
        try:
            self.model.setCurrentText(config.model)
            self.activation.setCurrentText(config.activation)
            self.activation.setEnabled(config.model == "SimpleRNN")
            self.peepholes.setChecked(config.peepholes)
            self.peepholes.setEnabled(config.model == "LSTM")
            self.hidden.setValue(config.hidden)
            self.length.setValue(config.length)
            self.task.setCurrentIndex(self.task.findData(config.task))
            kind, desc = tasks.describe(config.task)
            self.task_info.setText(f"{kind}: {desc}")
            self._sync_settings(config)
            self.loss.setCurrentIndex(self.loss.findData(config.loss))
            self.truncation.setValue(config.truncation or 0)
            self.radius.setValue(config.radius or 0.0)
            self.seed.setValue(config.seed)
        finally:
            self._syncing = False

    def _sync_settings(self, config: SessionConfig) -> None:
        spec = tasks.SETTINGS[config.task]
        if set(self.setting_widgets) != set(k for k, v in spec.items() if v[1] is not None):
            while self.settings_form.rowCount():
                self.settings_form.removeRow(0)
            self.setting_widgets = {}
            for key, (default, lo, hi, help_text) in spec.items():
                if lo is None:  # free text (char-text's own text): not a panel control
                    continue
                if isinstance(default, int):
                    w = _spin(int(lo), int(hi), help_text)
                    w.valueChanged.connect(lambda v, k=key: self._on_setting_changed(k, int(v)))
                else:
                    w = QtWidgets.QDoubleSpinBox()
                    w.setRange(float(lo), float(hi))
                    w.setSingleStep(0.05 if hi <= 1 else 1.0)
                    w.setToolTip(help_text)
                    w.valueChanged.connect(lambda v, k=key: self._on_setting_changed(k, float(v)))
                self.settings_form.addRow(key.replace("_", " "), w)
                self.setting_widgets[key] = w
        values = config.make_task().settings
        for key, w in self.setting_widgets.items():
            w.setValue(values[key])


def _spin(lo: int, hi: int, tip: str) -> QtWidgets.QSpinBox:
    w = QtWidgets.QSpinBox()
    w.setRange(lo, hi)
    w.setToolTip(tip)
    w.setKeyboardTracking(False)  # typing "64" recomputes once, not for "6" then "64"
    w.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
    return w
