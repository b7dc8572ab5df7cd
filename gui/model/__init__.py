"""The application model: Qt-free.

One evented :class:`~gui.model.app_model.AppModel` holds everything the window shows and a session
file saves; :mod:`gui.model.session_file` reads and writes it; :mod:`gui.model.present` turns a
run's result into what a view draws. Nothing in this package imports Qt or pyqtgraph (an
import-linter contract in pyproject.toml says so).
"""
