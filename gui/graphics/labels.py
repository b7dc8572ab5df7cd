"""Text drawn inside the scene (so PNG and SVG exports carry it): wrapping labels and the one
helper that sets a label only when its text changed."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore


def set_label(item, text: str, **style) -> None:
    """``item.setText`` only when the text or style changed: re-layouting HTML costs a frame."""
    key = (text, tuple(sorted(style.items())))
    if getattr(item, "_unfold_key", None) != key:
        item._unfold_key = key
        item.setText(text, **style)


class WrapLabel(pg.LabelItem):
    """A LabelItem that wraps its text to the width the layout gives it.

    pyqtgraph's LabelItem makes its unwrapped text width its minimum width, so one long caption
    pushes a narrow view's plots out of the window; this one asks only for a sliver of width and
    for the height of its wrapped text. With ``steady`` the height only grows while the width
    stays, so a caption that wraps onto one line fewer does not move the plots below it.
    """

    MIN_WIDTH = 60

    steady = False
    _tallest = 0.0

    def __init__(self, text=" ", parent=None, *, steady: bool = False, **kw):
        self.steady = steady
        super().__init__(text, parent, **kw)
        if self.opts.get("justify") == "center":
            option = self.item.document().defaultTextOption()
            option.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
            self.item.document().setDefaultTextOption(option)

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        w = self.rect().width()
        if w >= self.MIN_WIDTH and abs(self.item.textWidth() - w) > 0.5:
            self.item.setTextWidth(w)
            self._tallest = 0.0  # a new width: wrap afresh
        super().resizeEvent(ev)

    def updateMin(self):  # noqa: N802 - pyqtgraph's name
        h = self.itemRect().height()
        if self.steady:
            h = max(h, self._tallest)
            self._tallest = h
        self.setMinimumWidth(self.MIN_WIDTH)
        self.setMinimumHeight(h)
        if self.steady:
            self.setMaximumHeight(h)
        hint = QtCore.Qt.SizeHint
        self._sizeHint = {hint.MinimumSize: (self.MIN_WIDTH, h),
                          hint.PreferredSize: (self.MIN_WIDTH if self.steady
                                               else self.itemRect().width(), h),
                          hint.MaximumSize: (-1, h if self.steady else -1),
                          hint.MinimumDescent: (0, 0)}
        self.updateGeometry()


def add_label(layout, row: int, col: int, *, justify: str = "left", steady: bool = False,
              **kw) -> WrapLabel:
    """A wrapping label added to a pyqtgraph layout at (row, col)."""
    label = WrapLabel("", justify=justify, steady=steady)
    layout.addItem(label, row=row, col=col, **kw)
    return label


def pt(theme, size: float) -> str:
    """A label size in points, scaled for the theme (presentation mode makes type larger)."""
    return f"{size * theme.font_scale:g}pt"
