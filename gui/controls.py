"""Qt controls shared by the panels: number fields that say their range and refuse what is out of
it visibly, instead of cutting what is typed (QSpinBox turns "200" into "20" when its maximum
is 100)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets


class _Ranged:
    """Mixin for spin boxes: any number may be typed; on Enter or leaving the field, a number
    outside the range is refused with :attr:`refused` (a message naming the range) and the
    field shows the last accepted value again."""

    label = "value"

    def _setup(self, label: str, tip: str) -> None:
        self.label = label
        self.setKeyboardTracking(False)  # typing "64" applies once, not for "6" then "64"
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setToolTip(f"{tip} ({self.range_text()})" if tip else self.range_text())

    def range_text(self) -> str:
        special = self.specialValueText()
        lo = self.textFromValue(self.minimum())
        if special:
            lo = self.textFromValue(self.minimum() + self.singleStep())
            return f"{lo} to {self.textFromValue(self.maximum())}, or {special}"
        return f"{lo} to {self.textFromValue(self.maximum())}"

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt's
        state = super().validate(text, pos)
        if state[0] == QtGui.QValidator.State.Invalid and self._number(text) is not None:
            return (QtGui.QValidator.State.Intermediate, text, pos)  # keep what is typed
        return state

    def _number(self, text: str):
        cleaned = text.replace(self.suffix(), "").replace(self.prefix(), "").strip()
        try:
            return float(cleaned.replace(",", ""))
        except ValueError:
            return None

    def fixup(self, text: str) -> str:  # noqa: D102 - Qt's: called when typing ends half-valid
        value = self._number(text)
        if value is not None and not self.minimum() <= value <= self.maximum():
            self.refused.emit(f"{self.label} must be {self.range_text()}; {text.strip()} was "
                              "not applied")
        return super().fixup(text)


class RangeSpinBox(_Ranged, QtWidgets.QSpinBox):
    """An integer field that refuses out-of-range input visibly (:attr:`refused`)."""

    refused = QtCore.Signal(str)

    def __init__(self, lo: int, hi: int, label: str, tip: str = "", parent=None):
        super().__init__(parent)
        self.setRange(lo, hi)
        self._setup(label, tip)


class RangeDoubleSpinBox(_Ranged, QtWidgets.QDoubleSpinBox):
    """A decimal field that refuses out-of-range input visibly (:attr:`refused`)."""

    refused = QtCore.Signal(str)

    def __init__(self, lo: float, hi: float, label: str, tip: str = "", *, decimals: int = 2,
                 step: float = 0.1, special: str = "", parent=None):
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(lo, hi)
        self.setSingleStep(step)
        if special:
            self.setSpecialValueText(special)
        self._setup(label, tip)
