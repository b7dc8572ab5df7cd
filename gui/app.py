"""Start the application: the QApplication, the state and the window."""

from __future__ import annotations

import sys


def make_app():
    """The QApplication (created once, inside a function, never at import)."""
    import pyqtgraph as pg
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Unfold")
    app.setOrganizationName("Unfold")
    pg.setConfigOptions(antialias=False, foreground="k", background="w")
    return app


def run_window(config=None, *, theme: str = "light") -> int:
    """Open the window on ``config`` (the default session if None) and run until it closes."""
    app = make_app()
    from .main_window import MainWindow
    from .state import AppState

    state = AppState(config)
    state.set_theme(theme)
    window = MainWindow(state)
    window.show()
    return app.exec()
