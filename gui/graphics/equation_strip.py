"""The card strip of the equations view: one card per equation of a cursor step, flowed into rows.

Each card shows the equation's role, its symbolic line (typeset, from :mod:`.math_lines`; a
"typesetting…" placeholder of about its size until it lands) and below it the numbers line
(rich text in the typeset line's font, the result in bold, wrapping after "+" and "="). Framed
cards (the view decides which) are tinted and larger; a click on a card emits its key.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from ..model.present.equations import Equation, StepEquations
from .math_lines import MathLines, math_font_family

SYMBOL_PX = 17  # symbolic line: font size, px
FOCUS_PX = 20  # a framed card's symbolic line
NUMBER_PT = 11.5  # numbers line, pt
PAD = 8
GAP = 8


@dataclass
class Card:
    """One equation card as laid out on the board."""

    eq: Equation
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

    def __init__(self, lines: MathLines, parent=None):
        super().__init__(parent)
        self.lines = lines
        self.cards: list[Card] = []
        self.theme = None
        self._step = None
        self._focus = None
        self._key = None  # what the cards were built from, and which of their lines had landed
        self._height = 60
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Preferred)
        self.scale = 1.0
        self.vector = False
        self.message = ""  # said instead of cards (a session whose equations are not written)
        self.failed: dict[str, str] = {}  # latex -> why it could not be typeset
        self._font = QtGui.QFont(math_font_family())
        self._font.setPointSizeF(NUMBER_PT)
        self._small = QtGui.QFont(self.font())
        self._small.setPointSizeF(8.5)

    def set_scale(self, scale: float) -> None:
        """Larger type when the board has room (the Equations tab), 1 in a strip."""
        if scale != self.scale:
            self.scale = scale
            self._font.setPointSizeF(NUMBER_PT * scale)
            self._small.setPointSizeF(8.5 * scale)
            if self._step is not None:
                self._key = None
                self.set_step(self._step, self._focus, self.theme)

    def text_pixel_sizes(self) -> list[float]:
        """The pixel sizes of the text this board paints itself (numbers, roles, typeset
        lines), for checks of legibility (gui.graphics.type_scale.text_pixel_sizes)."""
        dpi = self.logicalDpiY() or 96
        sizes = [f.pointSizeF() * dpi / 72 for f in (self._font, self._small)]
        return sizes + [card.sym_px for card in self.cards]

    def show_message(self, text: str, theme) -> None:
        """No cards: ``text`` instead."""
        self._step, self._focus, self.theme, self._key = None, None, theme, None
        self.cards, self.message = [], text
        self._height = 60
        self.setMinimumHeight(self._height)
        self.update()

    def set_step(self, step: StepEquations, focus: tuple[str, ...], theme,
                 failed=None) -> None:
        """Cards for every equation of ``step``; those keyed in ``focus`` framed. ``failed``:
        latex -> message of lines that could not be typeset.

        The same step again (a line landed) costs nothing unless one of its cards' lines landed
        or failed: then only the layout is redone, with the real sizes.
        """
        failed = self.failed if failed is None else dict(failed)
        landed = tuple(self.lines.has(e.latex) or e.latex in failed for e in step.equations)
        key = (id(step), tuple(focus), theme)
        if self._step is step and self._key is not None and self._key[0] == key:
            if self._key[1] != landed:
                self._key = (key, landed)
                self.failed = failed
                self.relayout()
            return
        self._key = (key, landed)
        self._step, self._focus, self.theme = step, focus, theme
        self.failed = failed
        self.message = ""
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
        size = self.lines.size(card.eq.latex, card.sym_px)
        if size is None:  # not typeset yet: reserve about the space it will take
            return QtCore.QSizeF(12 * len(card.eq.key) + 160, card.sym_px * 1.6)
        return size

    def _fit(self, card: Card, avail: float) -> None:
        """Shrink the symbolic line and wrap the numbers (after + and =) of a card wider than
        ``avail`` pixels."""
        card.sym_px = card.base_px
        sym = self.lines.size(card.eq.latex, card.sym_px)
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
        if self.message:
            p.setPen(QtGui.QColor(th.foreground))
            p.drawText(QtCore.QRectF(self.rect()).adjusted(GAP, GAP, -GAP, -GAP),
                       QtCore.Qt.TextFlag.TextWordWrap, self.message)
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
            size = self.lines.size(card.eq.latex, card.sym_px)
            vec = self.lines.renderer(card.eq.latex, th.foreground) if self.vector else None
            pm = (None if self.vector or size is None else
                  self.lines.pixmap(card.eq.latex, card.sym_px, th.foreground, dpr))
            if vec is not None:  # figures: vector glyphs, crisp at any scale and in SVG
                vec.render(p, QtCore.QRectF(r.x() + PAD, y, size.width(), size.height()))
                y += size.height()
            elif pm is not None:
                p.drawPixmap(QtCore.QPointF(r.x() + PAD, y), pm)
                y += pm.height() / pm.devicePixelRatio()
            else:
                why = "cannot typeset" if card.eq.latex in self.failed else "typesetting…"
                p.drawText(QtCore.QPointF(r.x() + PAD, y + card.sym_px), why)
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
