"""The Help menu's dialogs: what each tab shows, the notation, keyboard shortcuts, about."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .model.present import help as pages


class HelpDialog(QtWidgets.QDialog):
    """A scrollable page of rich text."""

    def __init__(self, parent, title: str, html: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        text = QtWidgets.QTextBrowser()
        text.setHtml(html)
        text.setOpenExternalLinks(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(buttons)
        self.text = text
        self.resize(900, 560)


def show_page(window, which: str) -> HelpDialog:
    """Open Help page ``which`` ("tabs", "notation", "keys" or "about") for ``window``."""
    from .menus import SHORTCUTS

    if which == "tabs":
        title, html = "What each tab shows", (
            f"<p>Unfold follows the article series <i>{pages.SERIES}</i>.</p>"
            + pages.tabs_html())
    elif which == "notation":
        title, html = "Notation", pages.notation_html()
    elif which == "keys":
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        title, html = "Keyboard shortcuts", f"<table cellspacing='6'>{rows}</table>"
    else:
        title, html = "About Unfold", f"<p>{pages.ABOUT}</p>"
    dialog = HelpDialog(window, title, html)
    dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
