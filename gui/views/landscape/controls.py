"""The landscape view's controls row: the mode, the one-unit model's settings (cliff mode), the
line's range (line mode) and a note while something computes.

Every control writes the user's intent to the model's "landscape" option section and shows what
the model says (:meth:`LandscapeControls.sync`); it keeps nothing of its own.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...flow_layout import FlowLayout
from ...model.options import LandscapeOptions
from ...model.present import landscape_text as text

MODES = (("Cliff: one-unit RNN", "cliff"), ("Line through the session's model", "line"))
#: the option fields the Default button restores (the mode and the line's range stay)
CLIFF_FIELDS = ("T", "target", "lr", "clip", "steps", "start")


def _double(lo: float, hi: float, step: float, decimals: int, tip: str):
    w = QtWidgets.QDoubleSpinBox()
    w.setRange(lo, hi)
    w.setSingleStep(step)
    w.setDecimals(decimals)
    w.setToolTip(tip)
    w.setKeyboardTracking(False)
    return w


def _int(lo: int, hi: int, tip: str):
    w = QtWidgets.QSpinBox()
    w.setRange(lo, hi)
    w.setToolTip(tip)
    w.setKeyboardTracking(False)
    return w


class LandscapeControls(QtWidgets.QWidget):
    """The row above the landscape's figures, bound to ``app`` (an AppModel, or None for a view
    that only draws)."""

    def __init__(self, app, parent=None):
        super().__init__(parent)
        self.app = app
        # the row wraps onto a second line when the view is narrow (1280 px screens), so no
        # control or note hides behind a scroll bar
        h = FlowLayout(self, spacing=8)
        h.setContentsMargins(6, 3, 6, 3)
        self.mode_box = QtWidgets.QComboBox()
        for label, value in MODES:
            self.mode_box.addItem(label, value)
        self.mode_box.setToolTip("The cliff of a one-unit RNN (its own η and τ), or the loss "
                                 "along a line through the session's model (the session's)")
        h.addWidget(self.mode_box)
        self.cliff_controls = QtWidgets.QWidget()
        self._build_cliff(QtWidgets.QHBoxLayout(self.cliff_controls))
        h.addWidget(self.cliff_controls)
        self.line_controls = QtWidgets.QWidget()
        self._build_line(QtWidgets.QHBoxLayout(self.line_controls))
        h.addWidget(self.line_controls)
        h.addWidget(self.start_label)
        self.busy = QtWidgets.QLabel()
        h.addWidget(self.busy)
        self._reserve_notes()
        self._connect()

    def _reserve_notes(self) -> None:
        """The start and "computing…" notes keep the room of their longest text whatever they
        say, so the row never rewraps (and the figure below never moves) when a scene lands."""
        fm = self.busy.fontMetrics()
        self.busy.setMinimumWidth(fm.horizontalAdvance(text.COMPUTING) + 8)
        self.start_label.setMinimumWidth(
            fm.horizontalAdvance(text.start_label((-88.88, -88.88))) + 8)

    def changeEvent(self, ev):  # noqa: N802 - Qt's name
        super().changeEvent(ev)
        if ev.type() == QtCore.QEvent.Type.FontChange:  # presentation mode: larger type
            self._reserve_notes()

    def _build_cliff(self, c: QtWidgets.QHBoxLayout) -> None:
        c.setContentsMargins(8, 0, 0, 0)
        own = text.NOT_SESSION
        self.T = _int(1, 1000, "Sequence length T: x(t) = w σ(x(t−1)) + b for t = 1..T")
        self.target = _double(-100.0, 100.0, 0.1, 2, "The loss is (x(T) − target)²")
        self.lr = _double(0.001, 5.0, 0.01, 3, f"Learning rate η of both paths: {own}")
        self.clip = _double(0.01, 1000.0, 0.5, 2, "Clipping threshold τ of the clipped path: "
                            f"no step is longer than τ·η; {own}")
        self.steps = _int(1, 10_000, "Gradient-descent steps of each path")
        self.default_button = QtWidgets.QPushButton("Default")
        self.default_button.setToolTip("Pascanu et al.'s setting with a start above the cliff")
        self.group_label = QtWidgets.QLabel(f"<b>{text.MODEL_GROUP}</b>")
        self.group_label.setToolTip(f"These settings are {own}")
        c.addWidget(self.group_label)
        for label, w in (("T", self.T), ("target", self.target), ("η", self.lr),
                         ("τ", self.clip), ("steps", self.steps)):
            lab = QtWidgets.QLabel(label)
            lab.setToolTip(w.toolTip())
            c.addWidget(lab)
            c.addWidget(w)
        c.addWidget(self.default_button)
        self.start_label = QtWidgets.QLabel()  # placed by the row (it wraps first)

    def _build_line(self, lc: QtWidgets.QHBoxLayout) -> None:
        lc.setContentsMargins(8, 0, 0, 0)
        self.span_box = _double(0.0, 100.0, 0.1, 2, "Half-width of the α range (auto: 1.5 × "
                                "the update's length)")
        self.span_box.setSpecialValueText("auto")
        lc.addWidget(QtWidgets.QLabel("α range ±"))
        lc.addWidget(self.span_box)
        note = QtWidgets.QLabel("η and τ: the session's")
        note.setToolTip("The line uses the session's learning rate and clipping (the session "
                        "panel and the Training tab set them)")
        lc.addWidget(note)

    def _connect(self) -> None:
        self.mode_box.currentIndexChanged.connect(self._on_mode)
        self.T.valueChanged.connect(lambda v: self._set(T=int(v)))
        self.target.valueChanged.connect(lambda v: self._set(target=float(v)))
        self.lr.valueChanged.connect(lambda v: self._set(lr=float(v)))
        self.clip.valueChanged.connect(lambda v: self._set(clip=float(v)))
        self.steps.valueChanged.connect(lambda v: self._set(steps=int(v)))
        self.span_box.valueChanged.connect(lambda v: self._set(span=float(v) or None))
        self.default_button.clicked.connect(self._on_default)

    # -- intent -------------------------------------------------------------------------------
    def _set(self, **changes) -> None:
        if self.app is not None:
            self.app.set_options("landscape", **changes)

    def _on_mode(self, index: int) -> None:
        self._set(mode=self.mode_box.itemData(index))

    def _on_default(self) -> None:
        d = LandscapeOptions()
        self._set(**{k: getattr(d, k) for k in CLIFF_FIELDS})

    # -- showing the model --------------------------------------------------------------------
    def _widgets(self) -> tuple:
        return (self.mode_box, self.T, self.target, self.lr, self.clip, self.steps,
                self.span_box)

    def sync(self, opts: LandscapeOptions, note: str) -> None:
        """Show ``opts`` and ``note`` ("computing…", an error or nothing) without echoing them
        back to the model."""
        widgets = self._widgets()
        for w in widgets:
            w.blockSignals(True)
        try:
            self.mode_box.setCurrentIndex(self.mode_box.findData(opts.mode))
            self.T.setValue(opts.T)
            self.target.setValue(opts.target)
            self.lr.setValue(opts.lr)
            self.clip.setValue(opts.clip)
            self.steps.setValue(opts.steps)
            self.span_box.setValue(opts.span or 0.0)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.cliff_controls.setVisible(opts.mode == "cliff")
        self.start_label.setVisible(opts.mode == "cliff")
        self.line_controls.setVisible(opts.mode == "line")
        self.start_label.setText(text.start_label(opts.start))
        self.busy.setText(note)
