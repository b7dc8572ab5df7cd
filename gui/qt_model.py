"""The one adapter from the application model's events to Qt.

:class:`QtModel` re-emits every :class:`gui.model.app_model.AppModel` event as a Qt signal of the
same name. Widgets connect to these, never to the model's psygnal signals: a Qt connection to a
widget's method ends when the widget is destroyed, so no event ever reaches a deleted widget
(connect with :func:`bind` when the slot is not a method of the receiving widget).
"""

from __future__ import annotations

from PySide6 import QtCore

from .model.app_model import AppModel

#: AppModel signal -> number of arguments
EVENTS = {
    "config_changed": 1, "run_requested": 1, "result_changed": 1, "cursor_changed": 1,
    "selection_changed": 1, "playing_changed": 1, "rate_changed": 1, "loop_changed": 1,
    "busy_changed": 1, "theme_changed": 1, "options_changed": 2, "view_changed": 1,
    "caption_changed": 2, "dirty_changed": 1, "training_running_changed": 1, "error": 1,
}


class QtModel(QtCore.QObject):
    """Qt signals for an AppModel's events; ``model`` is the AppModel itself."""

    config_changed = QtCore.Signal(object)
    run_requested = QtCore.Signal(object)
    result_changed = QtCore.Signal(object)
    cursor_changed = QtCore.Signal(object)
    selection_changed = QtCore.Signal(object)
    playing_changed = QtCore.Signal(bool)
    rate_changed = QtCore.Signal(float)
    loop_changed = QtCore.Signal(bool)
    busy_changed = QtCore.Signal(bool)
    theme_changed = QtCore.Signal(str)
    options_changed = QtCore.Signal(str, object)
    view_changed = QtCore.Signal(object)
    caption_changed = QtCore.Signal(str, str)
    dirty_changed = QtCore.Signal(bool)
    training_running_changed = QtCore.Signal(bool)
    error = QtCore.Signal(str)

    def __init__(self, model: AppModel, parent=None):
        super().__init__(parent)
        self.model = model
        forwards = []
        for name in EVENTS:
            forward = getattr(self, name).emit
            getattr(model, name).connect(forward)
            forwards.append((name, forward))

        def disconnect(*_):
            for name, forward in forwards:
                getattr(model, name).disconnect(forward, missing_ok=True)
            forwards.clear()

        self._disconnect = disconnect
        # a plain function (not a method of the object being destroyed) still runs then
        self.destroyed.connect(disconnect)

    def close(self) -> None:
        """Stop forwarding (the window is closing)."""
        self._disconnect()


def bind(signal, receiver: QtCore.QObject, slot) -> None:
    """Connect ``signal`` to ``slot`` (any callable) for as long as ``receiver`` lives."""
    connection = signal.connect(slot)

    def drop(*_):
        try:
            signal.disconnect(connection)
        except (RuntimeError, TypeError):
            pass

    receiver.destroyed.connect(drop)
