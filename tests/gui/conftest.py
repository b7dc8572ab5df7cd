"""Fixtures of the application's tests: a window on the default session, a factory for windows
on other sessions, and drawing a view from a model without a window."""

import pytest
from PySide6 import QtCore, QtWidgets

from gui.frames import draw_now, make_frame
from gui.main_window import MainWindow
from gui.model.app_model import AppModel


@pytest.fixture(autouse=True)
def _delete_what_was_closed():
    """After each test, delete the widgets it closed with ``deleteLater`` (pytest-qt does so for
    every widget given to ``qtbot.addWidget``).

    Nothing runs an event loop between tests, and ``processEvents`` leaves deferred deletions
    alone, so without this a closed window stayed alive (it holds itself through its signal
    connections) until some later test happened to run an event loop: the four test files of
    export, window, slides and small screens left some 1,900 hidden top-level widgets (18
    windows) behind, which every later leak check walked, every garbage collection traversed and
    every application-wide font change reached.
    """
    yield
    if QtWidgets.QApplication.instance() is not None:
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


@pytest.fixture
def make_window(qtbot, no_leaks):
    """make_window(app=None, size=(1400, 900)) -> a shown MainWindow; closed after the test
    (unsaved work is discarded without asking)."""
    made = []

    def make(app=None, size=(1400, 900)):
        w = MainWindow(app if app is not None else AppModel())
        w.discard_answer = lambda what: "discard"
        qtbot.addWidget(w)
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        w.session.wait()
        made.append(w)
        return w

    yield make
    for w in made:
        w.app.set_playing(False)
        w.discard_answer = lambda what: "discard"
        w.close()


@pytest.fixture
def window(make_window):
    """A shown window on the default session."""
    return make_window()


def draw(view, app, cursor=None, *, export=False):
    """Draw ``app`` (an AppModel) at ``cursor`` into ``view`` (no derived data)."""
    if cursor is not None:
        app.set_cursor(cursor)
    view.draw(make_frame(app, export=export))


def draw_waiting(view, ctx, cursor=None, *, export=False):
    """Draw with the view's derived data, waiting for it on the context's job runner."""
    if cursor is not None:
        ctx.app.set_cursor(cursor)
    assert draw_now(view, ctx, export=export)
