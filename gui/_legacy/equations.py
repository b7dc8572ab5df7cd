"""The equations evaluated at the cursor, typeset, with the selected unit's numbers substituted.

Every equation the engine evaluates at the cursor's step is a card, in the order the engine
evaluates them: on top the symbolic line in the articles' notation (typeset with ziamath, generic
in k and t, so each line is typeset once and cached), below it the same equation with the trace's
numbers of hidden unit k (output unit m for the readout) and the result in bold. One card is
framed: the equation that carries information across time at this step (forward the recurrence
a(t) or the cell highway c(t), backward their errors delta_h(t) / delta_c(t), at the update a
bias). A click on another card frames that one instead while it exists; a second click releases
it.

The numbers come from :func:`gui.model.present.equations.equations_at`; this module only typesets. ziamath is
pure Python and takes 10-60 ms per line, so lines are typeset on a background thread (all lines
of a session ahead of time, the current step's first) and drawn from cached pixmaps; the numbers
line is drawn with Qt in the same STIX Two Math font ziamath uses, so a cursor step costs a few
milliseconds.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from gui.model.present import equations as eqs

from ..worker import Worker
from . import register
from .base import View

SYMBOL_PX = 17  # symbolic line: ziamath font size, px
FOCUS_PX = 20  # the framed card's symbolic line
NUMBER_PT = 11.5  # numbers line, pt
PAD = 8
GAP = 8
_FONT_FAMILY: str | None = None
#: the equations of each stage of the LSTM block views' walk (gui/views/lstm_common.py
#: FORWARD_STAGES, BACKWARD_STAGES); () where a stage has no equation of its own here
STAGE_KEYS = {
    "forward": (("z_bar", "z"), ("i_bar", "i"), ("f_bar", "f"), ("c",), ("o_bar", "o"), ("y",),
                ("readout", "y_hat")),
    "backward": (("delta_readout", "delta_y"), ("delta_o_bar",), ("delta_c",),
                 ("delta_f_bar", "delta_i_bar", "delta_z_bar"), ()),
}
#: latex -> SVG text, shared by every view and state (a line is typeset once per process)
_SVG: dict[str, str] = {}


def _ziamath():
    """ziamath, imported once on the GUI thread (see Typesetter): its import warns through a
    deprecated importlib API, and warning filters are process-wide, so the worker thread must
    find it imported."""
    zm = sys.modules.get("ziamath")
    if zm is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import ziamath as zm
    zm.config.svg2 = False  # Qt's SVG renderer drops glyphs of SVG 2 output
    return zm


def typeset(latexes: tuple[str, ...], size: int = SYMBOL_PX * 2) -> dict[str, str]:
    """LaTeX -> SVG text with ziamath (pure Python: safe off the GUI thread). ``size`` is large so
    that the pixmaps stay sharp when scaled down."""
    zm = _ziamath()
    return {s: zm.Math.fromlatex(s, size=size).svg() for s in latexes}


def math_font_family() -> str:
    """The family of ziamath's STIX Two Math, registered with Qt once (serif if it is missing)."""
    global _FONT_FAMILY
    if _FONT_FAMILY is None:
        _FONT_FAMILY = "serif"
        spec = importlib.util.find_spec("ziamath")
        if spec is not None and spec.submodule_search_locations:
            path = Path(spec.submodule_search_locations[0]) / "fonts" / "STIXTwoMath-Regular.ttf"
            if path.exists():
                fid = QtGui.QFontDatabase.addApplicationFont(str(path))
                fams = QtGui.QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
                if fams:
                    _FONT_FAMILY = fams[0]
    return _FONT_FAMILY


def _block_stage(state):
    """The stage the LSTM block views walk through (their shared sub-state), or None when those
    views are not installed."""
    try:
        from .lstm_common import BACKWARD_STAGES, FORWARD_STAGES, block_stage
    except ImportError:
        return None
    if (len(FORWARD_STAGES), len(BACKWARD_STAGES)) != tuple(map(len, STAGE_KEYS.values())):
        return None  # their walk changed: do not frame the wrong equations
    return block_stage(state)


class Typesetter(QtCore.QObject):
    """Typesets LaTeX lines on its own thread and keeps rasterised pixmaps of them."""

    ready = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        _ziamath()  # import here, on the GUI thread, before any job runs
        self._worker = Worker(self)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._pending: set[str] = set()
        self._jobs: set[int] = set()
        self._sizes: dict[str, QtCore.QSizeF] = {}
        self._vector: dict[tuple, object] = {}
        self._pixmaps: dict[tuple, QtGui.QPixmap] = {}
        self.failed: dict[str, str] = {}

    def request(self, latexes) -> None:
        """Typeset the lines not yet done, in this order, on the background thread."""
        missing = tuple(dict.fromkeys(s for s in latexes
                                      if s not in _SVG and s not in self._pending
                                      and s not in self.failed))
        if missing:
            self._pending.update(missing)
            self._jobs.add(self._worker.submit(typeset, missing))

    def _on_done(self, job_id: int, svgs: dict) -> None:
        self._jobs.discard(job_id)
        _SVG.update(svgs)
        self._pending.difference_update(svgs)
        self.ready.emit()

    def _on_failed(self, job_id: int, message: str) -> None:
        self._jobs.discard(job_id)
        for s in list(self._pending):
            self.failed[s] = message
        self._pending.clear()
        self.ready.emit()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 30_000) -> bool:
        ok = self._worker.wait(msecs)
        QtCore.QCoreApplication.processEvents()
        return ok and not self._jobs

    def has(self, latex: str) -> bool:
        return latex in _SVG

    def size(self, latex: str, px: float) -> QtCore.QSizeF | None:
        """The size in pixels the line takes at font size ``px``, or None until it is typeset."""
        base = self._sizes.get(latex)
        if base is None:
            svg = _SVG.get(latex)
            if svg is None:
                return None
            from PySide6 import QtSvg

            base = QtCore.QSizeF(QtSvg.QSvgRenderer(QtCore.QByteArray(svg.encode())).defaultSize())
            self._sizes[latex] = base
        scale = px / (SYMBOL_PX * 2)
        return QtCore.QSizeF(round(base.width() * scale), round(base.height() * scale))

    def renderer(self, latex: str, color: str):
        """A QSvgRenderer of the line in ``color`` (vector drawing for figures), or None."""
        key = (latex, color)
        r = self._vector.get(key)
        if r is None:
            svg = _SVG.get(latex)
            if svg is None:
                return None
            from PySide6 import QtSvg

            svg = svg.replace('fill="black"', f'fill="{color}"')
            r = self._vector[key] = QtSvg.QSvgRenderer(QtCore.QByteArray(svg.encode()))
        return r

    def pixmap(self, latex: str, px: float, color: str, dpr: float) -> QtGui.QPixmap | None:
        """The line at font size ``px`` in ``color``, or None until it is typeset."""
        key = (latex, round(px, 1), color, dpr)
        pm = self._pixmaps.get(key)
        if pm is not None:
            return pm
        svg = _SVG.get(latex)
        if svg is None:
            return None
        from PySide6 import QtSvg

        r = QtSvg.QSvgRenderer(QtCore.QByteArray(svg.encode()))
        size = self.size(latex, px)
        w, h = max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr))
        img = QtGui.QImage(w, h, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        r.render(p, QtCore.QRectF(0, 0, w, h))
        p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_SourceIn)
        p.fillRect(img.rect(), QtGui.QColor(color))  # recolour the glyphs for the theme
        p.end()
        pm = QtGui.QPixmap.fromImage(img)
        pm.setDevicePixelRatio(dpr)
        if len(self._pixmaps) > 400:
            self._pixmaps.clear()
        self._pixmaps[key] = pm
        return pm


_TYPESETTER: Typesetter | None = None


def typesetter() -> Typesetter:
    """The process-wide typesetter (owned by the QApplication): every view and every state
    shares its cache and its queue, so no line is typeset twice."""
    global _TYPESETTER
    app = QtCore.QCoreApplication.instance()
    if _TYPESETTER is None or _TYPESETTER.parent() is not app:
        _TYPESETTER = Typesetter(app)
    return _TYPESETTER


@dataclass
class Card:
    """One equation card as laid out on the board."""

    eq: eqs.Equation
    rect: QtCore.QRectF
    focus: bool
    numbers: QtGui.QTextDocument
    numbers_size: QtCore.QSizeF
    sym_px: float
    base_px: float = 0.0  # the size asked for; sym_px is smaller when the line must fit


def _breakable(text: str) -> str:
    """Rich text that may wrap only after a "+" or "=" between terms."""
    s = text.replace(" ", "&nbsp;")
    return s.replace("&nbsp;+&nbsp;", "&nbsp;+ ").replace("&nbsp;=&nbsp;", "&nbsp;= ")


class EquationBoard(QtWidgets.QWidget):
    """Paints the cards of one step, flowed into rows as wide as the board."""

    clicked = QtCore.Signal(str)

    def __init__(self, typesetter: Typesetter, parent=None):
        super().__init__(parent)
        self.typesetter = typesetter
        self.cards: list[Card] = []
        self.theme = None
        self._step = None
        self._focus = None
        self._height = 60
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Preferred)
        self.scale = 1.0
        self.vector = False
        self._font = QtGui.QFont(math_font_family())
        self._font.setPointSizeF(NUMBER_PT)
        self._small = QtGui.QFont(self.font())
        self._small.setPointSizeF(8.5)

    def set_scale(self, scale: float) -> None:
        """Larger type when the board has room (the Equations tab), 1 in a strip."""
        if scale != self.scale:
            self.scale = scale
            self._font.setPointSizeF(NUMBER_PT * scale)
            if self._step is not None:
                self.set_step(self._step, self._focus, self.theme)

    def set_step(self, step: eqs.StepEquations, focus: tuple[str, ...], theme) -> None:
        self._step, self._focus, self.theme = step, focus, theme
        self.cards = []
        for eq in step.equations:
            doc = QtGui.QTextDocument()
            doc.setDefaultFont(self._font)
            doc.setDocumentMargin(0)
            doc.setHtml(f"<span style='color:{theme.foreground}'>"
                        f"{_breakable(eq.numbers_text(rich=True))}</span>")
            self._tight(doc)
            size = QtCore.QSizeF(doc.idealWidth(), doc.size().height())
            framed = eq.key in focus
            px = (FOCUS_PX if framed else SYMBOL_PX) * self.scale
            self.cards.append(Card(eq, QtCore.QRectF(), framed, doc, size, px, px))
        self._layout()
        self.update()

    def _tight(self, doc: QtGui.QTextDocument) -> None:
        """A math font's line height is made for tall operators: use a text's line height."""
        fmt = QtGui.QTextBlockFormat()
        fmt.setLineHeight(QtGui.QFontInfo(self._font).pixelSize() * 1.6,
                          QtGui.QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        cur = QtGui.QTextCursor(doc)
        cur.select(QtGui.QTextCursor.SelectionType.Document)
        cur.mergeBlockFormat(fmt)

    def _sym_size(self, card: Card) -> QtCore.QSizeF:
        size = self.typesetter.size(card.eq.latex, card.sym_px)
        if size is None:  # not typeset yet: reserve about the space it will take
            return QtCore.QSizeF(12 * len(card.eq.key) + 160, card.sym_px * 1.6)
        return size

    def _fit(self, card: Card, avail: float) -> None:
        """Shrink the symbolic line and wrap the numbers (after + and =) of a card wider than
        ``avail`` pixels."""
        card.sym_px = card.base_px
        sym = self.typesetter.size(card.eq.latex, card.sym_px)
        if sym is not None and sym.width() > avail:
            card.sym_px = card.base_px * avail / sym.width()
        doc = card.numbers
        doc.setTextWidth(-1)
        ideal = doc.idealWidth()
        if ideal > avail:
            doc.setTextWidth(avail)
        card.numbers_size = QtCore.QSizeF(min(ideal, avail), doc.size().height())

    def _layout(self) -> None:
        width = max(self.width(), 300)
        avail = width - 2 * GAP - 2 * PAD
        x = y = GAP
        row_h = 0.0
        for card in self.cards:
            self._fit(card, avail)
            sym = self._sym_size(card)
            w = max(sym.width(), card.numbers_size.width(), 120) + 2 * PAD
            h = 14 + sym.height() + 4 + card.numbers_size.height() + 2 * PAD
            if card.eq.note:
                h += 14
            if x > GAP and x + w > width - GAP:
                x, y = GAP, y + row_h + GAP
                row_h = 0.0
            card.rect = QtCore.QRectF(x, y, w, h)
            x += w + GAP
            row_h = max(row_h, h)
        self._height = int(y + row_h + GAP)
        self.setMinimumHeight(self._height)
        self.updateGeometry()

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(600, self._height)

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self.cards and ev.oldSize().width() != ev.size().width():
            self._layout()

    def relayout(self) -> None:
        """Lines were typeset: their real sizes replace the placeholders."""
        if self.cards:
            self._layout()
            self.update()

    def focus_rect(self) -> QtCore.QRectF | None:
        return next((c.rect for c in self.cards if c.focus), None)

    def paintEvent(self, ev):  # noqa: N802 - Qt's name
        th = self.theme
        if th is None:
            return
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
        p.fillRect(self.rect(), QtGui.QColor(th.background))
        dpr = self.devicePixelRatioF()
        muted = QtGui.QColor(th.muted)
        tint = QtGui.QColor(th.banner_bg)
        for card in self.cards:
            r = card.rect
            if not r.intersects(QtCore.QRectF(ev.rect())):
                continue
            if card.focus:
                p.setPen(QtGui.QPen(QtGui.QColor(th.highlight), 2.0))
                p.setBrush(tint)
            else:
                p.setPen(QtGui.QPen(QtGui.QColor(th.faint), 1.0))
                p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r, 5, 5)
            p.setFont(self._small)
            p.setPen(muted)
            p.drawText(QtCore.QPointF(r.x() + PAD, r.y() + PAD + 8), card.eq.role)
            y = r.y() + PAD + 14
            size = self.typesetter.size(card.eq.latex, card.sym_px)
            vec = self.typesetter.renderer(card.eq.latex, th.foreground) if self.vector else None
            pm = (None if self.vector or size is None else
                  self.typesetter.pixmap(card.eq.latex, card.sym_px, th.foreground, dpr))
            if vec is not None:  # figures: vector glyphs, crisp at any scale and in SVG
                vec.render(p, QtCore.QRectF(r.x() + PAD, y, size.width(), size.height()))
                y += size.height()
            elif pm is not None:
                p.drawPixmap(QtCore.QPointF(r.x() + PAD, y), pm)
                y += pm.height() / pm.devicePixelRatio()
            else:
                p.drawText(QtCore.QPointF(r.x() + PAD, y + card.sym_px), "typesetting…")
                y += card.sym_px * 1.6
            y += 4
            p.save()
            p.translate(r.x() + PAD, y)
            card.numbers.drawContents(p)
            p.restore()
            if card.eq.note:
                p.setFont(self._small)
                p.setPen(muted)
                p.drawText(QtCore.QPointF(r.x() + PAD, r.bottom() - PAD), card.eq.note)
        p.end()

    def mousePressEvent(self, ev):  # noqa: N802 - Qt's name
        pos = ev.position()
        for card in self.cards:
            if card.rect.contains(pos):
                self.clicked.emit(card.eq.key)
                return
        super().mousePressEvent(ev)


@register
class EquationsView(View):
    name = "equations"
    title = "Equations with live numbers"
    tabs = ("Equations", "LSTM circuit", "LSTM odyssey")
    order = 100
    stretch = 1
    description = ("The equations evaluated at the cursor in the articles' notation, with the "
                   "numbers of the selected unit substituted.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.typesetter = typesetter()
        self.typesetter.ready.connect(self._on_typeset)
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
        self.board = EquationBoard(self.typesetter)
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
        self.setMinimumHeight(120)
        self.pinned: str | None = None
        self.step: eqs.StepEquations | None = None
        self.focus: tuple[str, ...] = ()
        self.focus_why = ""
        self._stage = _block_stage(state)
        if self._stage is not None:
            self._stage.changed.connect(lambda _: self.refresh())
        self._result = None
        self._cursor = None
        self._variant = None
        self.apply_theme(self.theme)

    # -- intent -----------------------------------------------------------------------------
    def _on_unit_chosen(self, value: int) -> None:
        if self.state.selection.unit != value - 1:
            self.state.set_selection(unit=value - 1)
            if self._result is not None:  # a window re-renders too; standalone we do it here
                self.render(self._result, self._cursor)

    def _on_card_clicked(self, key: str) -> None:
        self.pinned = None if self.pinned == key else key
        if self._result is not None:
            self.render(self._result, self._cursor)

    def _on_typeset(self) -> None:
        self.board.relayout()
        self._scroll_to_focus()

    # -- rendering --------------------------------------------------------------------------
    def apply_theme(self, theme) -> None:
        super().apply_theme(theme)
        for w in (self, self.board):  # the header row too: its text is the theme's colour
            pal = w.palette()
            pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.background))
            w.setPalette(pal)
            w.setAutoFillBackground(True)
        self.scroll.setStyleSheet(f"background: {theme.background};")
        self.header.setStyleSheet(f"color: {theme.foreground};")
        if self.step is not None:
            self.board.set_step(self.step, self.focus, theme)

    def _prefetch(self, result) -> None:
        """Typeset every line this session can show, in the background."""
        tr = result.forward
        variant = (tr.kind, getattr(tr, "peepholes", False), tr.output,
                   result.config.resolved_loss, result.backward.truncation is not None)
        if variant != self._variant:
            self._variant = variant
            self.typesetter.request(eqs.all_symbolic(
                tr.kind, peepholes=variant[1], output=tr.output, loss=variant[3],
                truncated=variant[4]))

    def _focus_keys(self, step: eqs.StepEquations) -> tuple[tuple[str, ...], str]:
        """The framed equations and why: the user's click, else the stage the LSTM block views
        walk through, else the flow they follow, else the one that carries information across
        time."""
        keys = step.keys()
        if self.pinned in keys:
            return (self.pinned,), "your choice (click it again to release)"
        stage = self._stage.stage if self._stage is not None else None
        if step.kind == "LSTM" and stage is not None:
            table = STAGE_KEYS.get(step.phase, ())
            if 0 <= stage < len(table) and table[stage]:
                return table[stage], f"stage {stage + 1} of the block views' walk"
        flow = self.state.selection.flow
        if flow:
            key = f"delta_{flow}" if step.phase == "backward" else flow
            if key in keys:
                return (key,), "the flow followed in the block views"
        return (step.focus,), eqs.FOCUS_REASON[(step.kind, step.phase)]

    def render(self, result, cursor) -> None:
        if result is None:
            return
        self._result, self._cursor = result, cursor
        H = result.forward.n_hidden
        unit = min(self.state.selection.unit, H - 1)
        self.unit.blockSignals(True)
        self.unit.setMaximum(H)
        self.unit.setValue(unit + 1)
        self.unit.blockSignals(False)
        step = eqs.equations_at(result, cursor, unit)
        # the current step's lines first, then everything else the session can show
        self.typesetter.request([e.latex for e in step.equations])
        self._prefetch(result)
        self.step = step
        self.focus, self.focus_why = self._focus_keys(step)
        self.board.set_step(step, self.focus, self.theme)
        self.header.setText(self._header(result, cursor, step))
        self._scroll_to_focus()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        self.board.set_scale(1.3 if ev.size().height() >= 420 else 1.0)

    def _scroll_to_focus(self) -> None:
        r = self.board.focus_rect()
        if r is not None:
            self.scroll.ensureVisible(int(r.center().x()), int(r.center().y()),
                                      int(r.width() / 2) + 4, int(r.height() / 2) + 4)

    def _header(self, result, cursor, step) -> str:
        T = result.T
        k, m = step.unit + 1, step.out_unit + 1
        where = {"forward": f"forward t = {cursor.t} / {T}", "backward": f"backward t = {cursor.t}",
                 "update": "update (one step of gradient descent)"}[cursor.phase]
        notes = "".join(f" · {n}" for n in step.notes)
        if self.height() < 420:  # a strip under the block views: one line
            why = self.focus_why.split(":")[0]
            return (f"<b>{where}</b> · hidden unit k = {k}, readout unit m = {m} · framed: {why}"
                    f" · click an equation to frame it{notes}")
        return (f"<b>{where}</b> · {step.kind} · numbers of hidden unit k = {k}, readout unit "
                f"m = {m} ({step.out_reason}) · framed: {self.focus_why} · click an equation "
                f"to frame it{notes}")

    # -- introspection for tests and export -------------------------------------------------------
    def cards(self) -> list[dict]:
        """What each card shows: key, numbers line (plain text), the value as shown, whether it
        is framed and whether its symbolic line is typeset."""
        return [{"key": c.eq.key, "numbers": c.eq.numbers_text(), "value": c.eq.shown_value,
                 "focus": c.focus, "typeset": self.typesetter.has(c.eq.latex),
                 "latex": c.eq.latex, "rect": c.rect}
                for c in self.board.cards]

    def set_export_style(self, on: bool) -> None:
        self.board.vector = on
        self.board.update()

    def wait_ready(self, msecs: int = 60_000) -> bool:
        if self._result is None and self.state.result is not None:
            self.refresh()  # never drawn (headless export): ask for its lines, then wait
        ok = self.typesetter.wait(msecs)
        self.board.relayout()
        return ok
