"""The Training view's samples: the text a model writes as it learns (char-text, generate), the
newest first, and the temperature they are drawn at (the model's "training" section)."""

from __future__ import annotations

from PySide6 import QtWidgets

from ...model.present.training import sample_lines

SAMPLE_HISTORY = 6  # sample blocks kept on screen


class SamplesBox(QtWidgets.QWidget):
    """The temperature control and the last :data:`SAMPLE_HISTORY` blocks of samples, bound to
    ``app`` (an AppModel, or None)."""

    def __init__(self, app, parent=None):
        super().__init__(parent)
        self.app = app
        self.history: list[str] = []
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 4)
        head = QtWidgets.QHBoxLayout()
        head.addWidget(QtWidgets.QLabel("<b>Samples</b> the model writes, temperature τ"))
        self.temperature = QtWidgets.QDoubleSpinBox()
        self.temperature.setRange(0.0, 10.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setSpecialValueText("0 (argmax)")
        self.temperature.setKeyboardTracking(False)
        self.temperature.setToolTip("p = softmax(r/τ): small τ picks the likeliest symbol, "
                                    "large τ writes more freely")
        head.addWidget(self.temperature)
        head.addStretch(1)
        lay.addLayout(head)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(110)
        self.text.setPlaceholderText("Samples appear while training on char-text or generate.")
        lay.addWidget(self.text)
        self.temperature.valueChanged.connect(self._on_temperature)

    def _on_temperature(self, value: float) -> None:
        if self.app is not None:
            self.app.set_options("training", temperature=float(value))

    def sync(self, settings) -> None:
        """Show the section's temperature without echoing it back."""
        self.temperature.blockSignals(True)
        self.temperature.setValue(settings.temperature)
        self.temperature.blockSignals(False)

    def add(self, samples, updates: int) -> None:
        """A new block of (label, Generated) samples, written after ``updates`` updates."""
        block = "\n".join(sample_lines(samples, updates))
        self.history = ([block] + self.history)[:SAMPLE_HISTORY]
        self.text.setPlainText("\n".join(self.history))

    def clear(self) -> None:
        self.history = []
        self.text.clear()
