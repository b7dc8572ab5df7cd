"""The side panel of session controls: model, sizes, task, loss, truncation, the update's
learning rate and clipping, seeds.

Every control writes the user's intent to the application model; the model's run is computed off
the GUI thread and the panel follows the model's config (so a loaded session shows in the
controls). While training runs, the controls that fix the weights' shapes are locked.
"""

from __future__ import annotations

from PySide6 import QtWidgets

from sim import tasks
from sim.run import MODELS, SessionConfig

from .controls import RangeDoubleSpinBox, RangeSpinBox
from .model.limits import MAX_HIDDEN, MAX_LENGTH

LOSSES = (("task default", None), ("cross entropy", "cross_entropy"), ("mean squared", "mse"))
CLIP_MODES = (("global ‖g‖ (the articles')", "global"), ("per step ‖g⁽ᵗ⁾‖", "per_step"))


class SessionPanel(QtWidgets.QWidget):
    """Controls for :class:`sim.run.SessionConfig`, bound to ``ctx.app``."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.state = state = ctx.app
        self._syncing = False
        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.model = QtWidgets.QComboBox()
        self.model.addItems(list(MODELS))
        self.model.setToolTip("Simple (Elman) RNN; LSTM with gates and a cell highway; GRU; a "
                              "bidirectional model (two cells, one reading backwards); an "
                              "encoder-decoder (seq2seq: T steps in, T steps out)")
        self.cell = QtWidgets.QComboBox()
        for label, value in (("simple RNN", "rnn"), ("LSTM", "lstm"), ("GRU", "gru")):
            self.cell.addItem(label, value)
        self.cell.setToolTip("The kind of the two cells of a bidirectional model or an "
                             "encoder-decoder")
        self.forget_gate = QtWidgets.QCheckBox("forget gate")
        self.forget_gate.setToolTip("Off: f = 1, the LSTM before the forget gate (c(t) = c(t−1) "
                                    "+ z⊙i): the highway never decays (see Gradient flow)")
        self.teacher_forcing = QtWidgets.QCheckBox("teacher forcing")
        self.teacher_forcing.setToolTip("A decoder step reads the target of the step before "
                                        "(on) or its own most likely output (off: the "
                                        "article's picture)")
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(["tanh", "relu", "sigmoid"])
        self.activation.setToolTip("g, the SimpleRNN's hidden nonlinearity: h = g(a)")
        self.peepholes = QtWidgets.QCheckBox("peepholes")
        self.peepholes.setToolTip("LSTM peepholes: p_i, p_f read c(t-1); p_o reads c(t)")
        self.hidden = RangeSpinBox(1, MAX_HIDDEN, "Hidden size H", "H, the number of hidden units")
        self.length = RangeSpinBox(1, MAX_LENGTH, "Length T", "T, the sequence length")
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
        self.truncation = RangeSpinBox(0, MAX_LENGTH, "Truncation K",
                                       "Truncated BPTT with window K: the error of J(s) "
                                       "reaches back K − 1 steps, to h(s − K + 1) (every term "
                                       "with s − t ≥ K is dropped); off: full BPTT")
        self.truncation.setSpecialValueText("off")
        self.lr = RangeDoubleSpinBox(0.0001, 10.0, "Learning rate η",
                                     "η, the learning rate of the update θ ← θ − η g (the "
                                     "update shown at the end of the sequence, and every update "
                                     "training makes)", decimals=4)
        self.lr.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.clip_on = QtWidgets.QCheckBox("clip at τ =")
        self.clip_on.setToolTip("Norm clipping of the update: g ← g τ/‖g‖ when ‖g‖ > τ")
        self.clip = RangeDoubleSpinBox(0.001, 1e5, "Clipping threshold τ",
                                       "τ, the clipping threshold (the one threshold of the "
                                       "session: the update, training and the gradient-flow "
                                       "view all use it)", decimals=3)
        self.clip.setValue(1.0)
        self.clip.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.clip_mode = QtWidgets.QComboBox()
        for label, value in CLIP_MODES:
            self.clip_mode.addItem(label, value)
        self.clip_mode.setToolTip("global: the whole gradient g scaled by τ/‖g‖ (Pascanu et al., "
                                  "the articles' pseudo-code); per step: each (∂J/∂θ)⁽ᵗ⁾ clipped "
                                  "on its own, then summed")
        clip_row = QtWidgets.QHBoxLayout()
        clip_row.setContentsMargins(0, 0, 0, 0)
        clip_row.addWidget(self.clip_on)
        clip_row.addWidget(self.clip, 1)
        self.seed = RangeSpinBox(0, 10**6, "Weight seed", "Seed of the initial weights")
        self.new_input = QtWidgets.QPushButton("New input sequence")
        self.new_input.setToolTip("Draw a new sample of the task (the weights stay)")
        self.radius = RangeDoubleSpinBox(0.0, 3.0, "Recurrent radius",
                                         "Rescale W (or every R) to this spectral radius: "
                                         "< 1 vanishing, > 1 exploding", special="as initialised")
        self.text = QtWidgets.QLineEdit()
        self.text.setPlaceholderText("type a text (char-text)")
        self.text.setToolTip("char-text: the text the model reads; the columns show exactly it "
                             "(T becomes its length − 1). Characters outside the text's own "
                             "vocabulary are fine: the vocabulary is the text's.")
        self.text.editingFinished.connect(self._on_text_typed)

        form.addRow("Model", self.model)
        form.addRow("Activation g", self.activation)
        form.addRow("Cells", self.cell)
        form.addRow("", self.peepholes)
        form.addRow("", self.forget_gate)
        form.addRow("", self.teacher_forcing)
        form.addRow("Hidden size H", self.hidden)
        form.addRow("Length T", self.length)
        form.addRow("Task", self.task)
        form.addRow(self.task_info)
        form.addRow(self.settings_box)
        form.addRow("Text", self.text)
        self.form = form
        form.addRow("Loss", self.loss)
        form.addRow("Truncation K", self.truncation)
        form.addRow("Recurrent radius", self.radius)
        form.addRow("Learning rate η", self.lr)
        form.addRow("Clipping", clip_row)
        form.addRow("", self.clip_mode)
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

        self.model.currentTextChanged.connect(self._on_model_chosen)
        self.cell.currentIndexChanged.connect(lambda i: self._set(cell=self.cell.itemData(i)))
        self.forget_gate.toggled.connect(lambda v: self._set(forget_gate=bool(v)))
        self.teacher_forcing.toggled.connect(lambda v: self._set(teacher_forcing=bool(v)))
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
        self.lr.valueChanged.connect(lambda v: self._set(lr=float(v)))
        self.clip_on.toggled.connect(self._on_clip_changed)
        self.clip.valueChanged.connect(self._on_clip_changed)
        self.clip_mode.currentIndexChanged.connect(
            lambda i: self._set(clip_mode=self.clip_mode.itemData(i)))
        self.new_input.clicked.connect(
            lambda: self._set(input_seed=self.state.config.input_seed + 1))
        for w in (self.hidden, self.length, self.truncation, self.lr, self.clip, self.seed,
                  self.radius):
            w.refused.connect(self.status.setText)
        ctx.qt.config_changed.connect(self.sync)
        ctx.qt.error.connect(self.status.setText)
        ctx.qt.result_changed.connect(self._on_result_changed)
        ctx.qt.training_running_changed.connect(self._on_training_running)
        self.sync(state.config)
        self._on_training_running(state.training_running)

    # -- intent -----------------------------------------------------------------------------
    def _set(self, **changes) -> None:
        if not self._syncing:
            self.state.update_config(**changes)

    def _on_model_chosen(self, model: str) -> None:
        changes = {"model": model}
        if model != "LSTM":
            changes["forget_gate"] = True  # only an LSTM can lose its forget gate
        if model == "Seq2Seq" and self.state.config.length > MAX_LENGTH // 2:
            changes["length"] = MAX_LENGTH // 2  # T in and T out share the window's cap
        self._set(**changes)

    def _on_clip_changed(self, *_) -> None:
        self.clip.setEnabled(self.clip_on.isChecked())
        self._set(clip=float(self.clip.value()) if self.clip_on.isChecked() else None)

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

    def _on_text_typed(self) -> None:
        """char-text: the typed text becomes the sequence (T = its length − 1, so the columns
        show exactly it); an empty field goes back to the built-in text."""
        if self._syncing or self.state.config.task != "char-text":
            return
        text = self.text.text()
        settings = {**self.state.config.settings, "text": text}
        changes = {"task_settings": settings}
        if text:
            if len(text) < 3:
                self.status.setText("type at least three characters")
                return
            changes["length"] = min(len(text) - 1, MAX_LENGTH)
            changes["input_seed"] = 0
        self.state.update_config(**changes)

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

    # -- follow the model ------------------------------------------------------------------------
    def _on_result_changed(self, _result) -> None:
        self.status.setText("")

    def _on_training_running(self, running: bool) -> None:
        """The weights' shapes are the trainer's while it runs: lock what would change them."""
        for w in (self.model, self.activation, self.peepholes, self.cell, self.forget_gate,
                  self.teacher_forcing, self.hidden, self.task,
                  self.settings_box, self.seed):
            w.setEnabled(not running)
        if not running:
            self.sync(self.state.config)  # re-applies the per-model enabled states

    def sync(self, config: SessionConfig) -> None:
        """Show ``config`` in the controls without echoing changes back."""
        self._syncing = True
        try:
            self.model.setCurrentText(config.model)
            self.activation.setCurrentText(config.activation)
            two = config.model in ("BidirectionalRNN", "Seq2Seq")
            self.activation.setEnabled(config.model == "SimpleRNN" or two and config.cell == "rnn")
            self.cell.setCurrentIndex(self.cell.findData(config.cell))
            self.form.setRowVisible(self.cell, two)
            self.peepholes.setChecked(config.peepholes)
            self.peepholes.setEnabled(config.model == "LSTM" or two and config.cell == "lstm")
            self.forget_gate.setChecked(config.forget_gate)
            self.form.setRowVisible(self.forget_gate, config.model == "LSTM")
            self.teacher_forcing.setChecked(config.teacher_forcing)
            self.form.setRowVisible(self.teacher_forcing, config.model == "Seq2Seq")
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
            self.lr.setValue(config.lr)
            self.clip_on.setChecked(config.clip is not None)
            self.clip.setEnabled(config.clip is not None)
            if config.clip is not None:
                self.clip.setValue(config.clip)
            self.clip_mode.setCurrentIndex(self.clip_mode.findData(config.clip_mode))
            chars = config.task == "char-text"
            self.form.setRowVisible(self.text, chars)
            if chars:
                self.text.setText(config.settings.get("text", ""))
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
                label = key.replace("_", " ")
                if isinstance(default, int):
                    w = RangeSpinBox(int(lo), int(hi), label, help_text)
                    w.valueChanged.connect(lambda v, k=key: self._on_setting_changed(k, int(v)))
                else:
                    w = RangeDoubleSpinBox(float(lo), float(hi), label, help_text,
                                           step=0.05 if hi <= 1 else 1.0)
                    w.valueChanged.connect(lambda v, k=key: self._on_setting_changed(k, float(v)))
                w.refused.connect(self.status.setText)
                self.settings_form.addRow(key.replace("_", " "), w)
                self.setting_widgets[key] = w
        values = config.make_task().settings
        for key, w in self.setting_widgets.items():
            w.setValue(values[key])
