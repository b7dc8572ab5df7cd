"""The equations evaluated at the cursor, typeset, with the selected unit's numbers substituted.

Every equation the engine evaluates at the cursor's step is a card, in the order the engine
evaluates them: on top the symbolic line in the articles' notation (typeset with ziamath, generic
in k and t, so each line is typeset once), below it the same equation with the trace's numbers of
hidden unit k (output unit m for the readout) and the result in bold. Framed are the equations
that matter now: the card the user clicked (the "equations" options' ``pinned``, until clicked
again), else the stage the LSTM block views walk through, else the flow they follow, else the
equation that carries information across time (forward the recurrence a(t) or the cell highway
c(t), backward their errors, at the update a bias).

The numbers come from :func:`gui.model.present.equations.equations_at`. Typesetting is jobs on
the one runner (:class:`gui.model.present.equations.TypesetJob`, one line each: this step's lines
first, then every other line the session can show), so a cursor step costs a few milliseconds;
landed SVGs become pixmaps in gui/graphics/math_lines.py and the cards are drawn by
gui/graphics/equation_strip.py.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..graphics import math_lines
from ..graphics.equation_strip import GAP, EquationBoard
from ..model.present import equations as eqs
from ..model.present.lstm_stages import stage_keys
from ..model.present.numbers import cursor_label
from . import register
from .base import View

#: a view less tall than this is a strip under the LSTM block views: one header line, smaller type
STRIP_HEIGHT = 420
MIN_HEIGHT = 120  # the strip's least height (more when its cards are taller)
#: derived-data names of typeset lines: this prefix, then the LaTeX
SVG = "svg:"


def session_variant(result) -> tuple:
    """What decides the symbolic lines a session can show: kind, peepholes, output, loss,
    truncation."""
    tr = result.forward
    return (tr.kind, bool(getattr(tr, "peepholes", False)), tr.output,
            result.config.resolved_loss, result.backward.truncation is not None)


@register
class EquationsView(View):
    name = "equations"
    title = "Equations with live numbers"
    tabs = ("Equations", "LSTM circuit", "LSTM odyssey")
    order = 100
    stretch = 1
    description = ("The equations evaluated at the cursor in the articles' notation, with the "
                   "numbers of the selected unit substituted.")

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        self.lines = math_lines.shared()
        self.header = QtWidgets.QLabel()
        self.header.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.unit = QtWidgets.QSpinBox()
        self.unit.setPrefix("unit k = ")
        self.unit.setMinimum(1)
        self.unit.setToolTip("The hidden unit whose numbers are substituted (k, counted from 1)")
        self.unit.valueChanged.connect(self._on_unit_chosen)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 2)
        top.addWidget(self.header, 1)
        top.addWidget(self.unit)
        self.board = EquationBoard(self.lines)
        self.board.clicked.connect(self._on_card_clicked)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidget(self.board)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(top)
        lay.addWidget(self.scroll, 1)
        # the cards reflow when the board or its window changes size (presentation mode's
        # larger type, a smaller screen): the framed card is brought back into view after
        self.board.installEventFilter(self)
        self.scroll.viewport().installEventFilter(self)
        self.setMinimumHeight(MIN_HEIGHT)
        self.step: eqs.StepEquations | None = None
        self.focus: tuple[str, ...] = ()
        self.focus_why = ""
        self._memo: tuple | None = None  # (result, cursor, unit, StepEquations)
        self._session: tuple | None = None  # (variant, its symbolic lines)
        self._restyle(self.theme)

    # -- intent -----------------------------------------------------------------------------
    def _on_unit_chosen(self, value: int) -> None:
        if self.app is not None:
            self.app.set_selection(unit=value - 1)

    def _on_card_clicked(self, key: str) -> None:
        if self.app is not None and self.frame is not None:
            pinned = self.frame.options["equations"].pinned
            self.app.set_options("equations", user=False, pinned="" if pinned == key else key)

    # -- what a frame needs -----------------------------------------------------------------------
    def step_at(self, frame) -> eqs.StepEquations | None:
        """The equations of ``frame``'s cursor for the selected unit (None for a model whose
        equations are not written out); the last one is kept, as needs() and draw() both ask."""
        result = frame.result
        if result is None or not eqs.supports(result.forward.kind):
            return None
        unit = min(max(frame.selection.unit, 0), result.forward.n_hidden - 1)
        memo = self._memo
        if memo is not None and memo[0] is result and memo[1:3] == (frame.cursor, unit):
            return memo[3]
        step = eqs.equations_at(result, frame.cursor, unit)
        self._memo = (result, frame.cursor, unit, step)
        return step

    def session_lines(self, result) -> list[str]:
        """Every symbolic line this session can show."""
        variant = session_variant(result)
        if self._session is None or self._session[0] != variant:
            kind, peep, output, loss, truncated = variant
            self._session = (variant, eqs.all_symbolic(kind, peepholes=peep, output=output,
                                                       loss=loss, truncated=truncated))
        return self._session[1]

    def needs(self, frame) -> dict:
        """One typesetting job per line: this step's first, then the rest of the session's (a
        figure waits only for the lines it shows)."""
        step = self.step_at(frame)
        if step is None:
            return {}
        lines = [e.latex for e in step.equations]
        if not frame.export:
            lines += self.session_lines(frame.result)
        return {SVG + s: eqs.TypesetJob(s) for s in dict.fromkeys(lines)}

    # -- drawing ----------------------------------------------------------------------------
    def _restyle(self, theme) -> None:
        for w in (self, self.board):  # the header row too: its text is the theme's colour
            pal = w.palette()
            pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.background))
            w.setPalette(pal)
            w.setAutoFillBackground(True)
        self.scroll.setStyleSheet(f"background: {theme.background};")
        self.header.setStyleSheet(f"color: {theme.foreground};")

    def _set_export_style(self, on: bool) -> None:
        self.board.vector = on  # figures: vector glyphs, crisp at any scale and in SVG
        self.board.update()

    def _draw(self, frame) -> None:
        result = frame.result
        tr = result.forward
        H = tr.n_hidden
        unit = min(max(frame.selection.unit, 0), H - 1)
        self.unit.blockSignals(True)
        self.unit.setMaximum(H)
        self.unit.setValue(unit + 1)
        self.unit.blockSignals(False)
        self.board.set_scale(self._scale())
        step = self.step_at(frame)
        if step is None:
            self.step, self.focus, self.focus_why = None, (), ""
            text = (f"The equations are written out for {', '.join(eqs.KINDS)} sessions; "
                    f"this session is a {tr.kind}.")
            self.header.setText(f"<b>{cursor_label(frame.cursor, result.T)}</b> · {text}")
            self.board.show_message(text, frame.theme)
            return
        for name, svg in frame.derived.items():
            if name.startswith(SVG):
                self.lines.add(name[len(SVG):], svg)
        failed = {name[len(SVG):]: msg for name, msg in frame.failed.items()
                  if name.startswith(SVG)}
        self.step = step
        self.focus, self.focus_why = self._focus_keys(frame, step)
        self.board.set_step(step, self.focus, frame.theme, failed)
        self.header.setText(self._header(frame, step))
        self._fit_strip()
        self._scroll_to_focus()

    def _fit_strip(self) -> None:
        """A strip (under the block views) is at least as high as its header and its tallest
        card, so the framed card is never cut at its top or bottom on a low screen."""
        if self.height() >= STRIP_HEIGHT or not self.board.cards:
            self.setMinimumHeight(MIN_HEIGHT)
            return
        tallest = max(c.rect.height() for c in self.board.cards)
        head = self.header.heightForWidth(max(200, self.width() - self.unit.width() - 24))
        self.setMinimumHeight(max(MIN_HEIGHT, int(head + tallest + 2 * GAP + 6)))

    def _scale(self) -> float:
        """Larger type in the Equations tab than in a strip; presentation mode scales both."""
        return (1.3 if self.height() >= STRIP_HEIGHT else 1.0) * self.theme.font_scale

    def _focus_keys(self, frame, step: eqs.StepEquations) -> tuple[tuple[str, ...], str]:
        """The framed equations and why: the user's click, else the stage the LSTM block views
        walk through, else the flow they follow, else the one that carries information across
        time."""
        keys = step.keys()
        pinned = frame.options["equations"].pinned
        if pinned in keys:
            return (pinned,), "your choice (click it again to release)"
        stage = frame.selection.stage
        if step.kind == "LSTM" and stage is not None:
            framed = tuple(k for k in stage_keys(step.phase, stage) if k in keys)
            if framed:
                return framed, f"stage {stage + 1} of the block views' walk"
        flow = frame.selection.flow
        if flow:
            key = f"delta_{flow}" if step.phase == "backward" else flow
            if key in keys:
                return (key,), "the flow followed in the block views"
        return (step.focus,), eqs.FOCUS_REASON[(step.kind, step.phase)]

    def _header(self, frame, step: eqs.StepEquations) -> str:
        k, m = step.unit + 1, step.out_unit + 1
        cursor = frame.cursor
        where = ("update (one step of gradient descent)" if cursor.phase == "update"
                 else cursor_label(cursor, frame.result.T))
        notes = "".join(f" · {n}" for n in step.notes)
        if self.height() < STRIP_HEIGHT:  # a strip under the block views: one line
            why = self.focus_why.split(":")[0]
            return (f"<b>{where}</b> · hidden unit k = {k}, readout unit m = {m} · framed: {why}"
                    f" · click an equation to frame it{notes}")
        return (f"<b>{where}</b> · {step.kind} · numbers of hidden unit k = {k}, readout unit "
                f"m = {m} ({step.out_reason}) · framed: {self.focus_why} · click an equation "
                f"to frame it{notes}")

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.Resize:
            QtCore.QTimer.singleShot(0, self, self._scroll_to_focus)  # after the reflow
        return super().eventFilter(watched, event)

    def _scroll_to_focus(self) -> None:
        """The framed card in view (all of it, when it fits) without the user scrolling."""
        r = self.board.focus_rect()
        if r is not None:
            self.scroll.ensureVisible(int(r.center().x()), int(r.center().y()),
                                      int(r.width() / 2) + 4, int(r.height() / 2) + 4)

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        strip = (ev.oldSize().height() < STRIP_HEIGHT, ev.size().height() < STRIP_HEIGHT)
        if strip[0] != strip[1]:
            self.redraw()  # the header and the type size follow the height

    # -- introspection for tests and export -------------------------------------------------------
    def cards(self) -> list[dict]:
        """What each card shows: key, numbers line (plain text), the value as shown, whether it
        is framed and whether its symbolic line is typeset."""
        return [{"key": c.eq.key, "numbers": c.eq.numbers_text(), "value": c.eq.shown_value,
                 "focus": c.focus, "typeset": self.lines.has(c.eq.latex),
                 "latex": c.eq.latex, "rect": c.rect}
                for c in self.board.cards]
