"""Nothing a user made is lost silently: a preset, the tour, Open and Quit ask before they
replace trained weights or unsaved changes; and the model's events never reach a deleted widget.
"""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.model import session_file
from gui.model.app_model import AppModel
from gui.model.session_file import Session
from gui.qt_model import QtModel, bind
from sim.run import SessionConfig


@pytest.fixture
def asked(window):
    """window.discard_answer that records each question and answers what the test says."""
    log = {"asked": [], "answer": "cancel"}

    def answer(what):
        log["asked"].append(what)
        return log["answer"]

    window.discard_answer = answer
    return log


def train_a_little(window):
    """Weights the user made: the session's weights, changed."""
    app = window.app
    w = {k: np.asarray(v) * 1.01 for k, v in app.result.forward.params.items()}
    app.set_config(app.config, params=w)
    window.session.wait()
    return w


def test_a_clean_session_is_replaced_without_a_question(window, asked):
    assert not window.app.dirty
    assert window.files.load_preset("bptt-colours")
    assert asked["asked"] == []


@pytest.mark.parametrize("how", ["preset", "tour", "open"])
def test_replacing_trained_weights_asks_first(window, asked, how, tmp_path):
    w = train_a_little(window)
    assert window.app.dirty
    path = tmp_path / "other.json"
    session_file.save(path, Session(config=SessionConfig(hidden=3, length=5)))

    def replace():
        if how == "preset":
            return window.files.load_preset("bptt-colours")
        if how == "tour":
            window.files.tour_step(1)
            return None
        return window.files.open_path(path)

    replace()  # answered "cancel": nothing changes
    assert len(asked["asked"]) == 1
    assert window.app.params is w and window.app.dirty
    asked["answer"] = "discard"
    replace()
    window.session.wait()
    assert window.app.params is None and not window.app.dirty


def test_quit_asks_and_cancel_keeps_the_window(window, asked, qtbot):
    window.app.update_config(truncation=3)
    window.session.wait()
    window.close()
    assert window.isVisible() and asked["asked"] == ["quit"]
    asked["answer"] = "discard"
    window.close()
    assert not window.isVisible()


def test_save_as_the_answer_saves_then_replaces(window, asked, tmp_path):
    train_a_little(window)
    window.files.path = tmp_path / "mine.json"
    asked["answer"] = "save"
    assert window.files.load_preset("peepholes")
    window.session.wait()
    saved = session_file.load(tmp_path / "mine.json")
    assert saved.params is not None  # the trained weights are in the file
    assert window.app.config == session_file.load_preset("peepholes").config


def test_ctrl_q_goes_through_the_same_question(window, asked, qtbot):
    window.app.update_config(truncation=3)
    window.session.wait()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Q, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert asked["asked"] == ["quit"] and window.isVisible()


def test_events_never_reach_a_deleted_widget(qapp):
    app = AppModel(SessionConfig(hidden=2, length=6))
    qt = QtModel(app)
    label = QtWidgets.QLabel()
    seen = []
    bind(qt.cursor_changed, label, lambda c: (seen.append(c), label.setText(str(c))))
    app.step(1)
    assert len(seen) == 1
    label.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    app.step(1)  # would raise "Internal C++ object already deleted" if still connected
    assert len(seen) == 1
    qt.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    app.step(1)  # the adapter is gone: the model's events go nowhere, and raise nothing


def test_presets_name_their_view_and_the_tab_follows(window):
    assert window.files.load_preset("bptt-colours", ask=False)
    window.session.wait()
    assert window.app.view == "network" and window.current_view().name == "network"
    QtGui.QGuiApplication.processEvents()


def test_a_preset_opens_the_geometry_view_it_names_whatever_was_in_front(window, qtbot):
    """curse-of-dimensionality names the angles view: it opens that sub-tab even after the user
    last looked at the grids (the tour used to open whichever sub-tab was used last)."""
    window.resize(1100, 760)  # room for one view at a time: the sub-views are tabs
    window.open_view("geometry-grid")
    page = window.tabs.currentWidget().widget().layout().itemAt(0).widget()
    qtbot.waitUntil(lambda: page.arrangement == "tabs", timeout=5_000)
    window.open_view("geometry-grid")
    assert page.tabs.currentWidget().name == "geometry-grid"
    assert window.files.load_preset("curse-of-dimensionality", ask=False)
    window.session.wait()
    qtbot.waitUntil(lambda: page.tabs.currentWidget().name == "geometry-angles", timeout=5_000)
    assert window.app.view == "geometry-angles"
    assert window.app.options["geometry-panel"].front == "geometry-angles"
