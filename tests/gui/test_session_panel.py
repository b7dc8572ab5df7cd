"""The session panel: fields say their range and refuse what is out of it visibly, the sizes lock
while training runs, and a typed text becomes the char-text sequence."""

import pytest
from PySide6 import QtCore

from gui.model.app_model import AppModel
from sim.run import SessionConfig


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    edit = box.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, QtCore.Qt.Key.Key_Return)


@pytest.mark.parametrize("field,text,words", [
    ("length", "200", "Length T must be 1 to 100; 200 was not applied"),
    ("hidden", "999", "Hidden size H must be 1 to 64; 999 was not applied"),
    ("radius", "5", "Recurrent radius must be 0.10 to 3.00, or as initialised; 5 was not"),
])
def test_out_of_range_input_is_refused_visibly_not_cut(window, qtbot, field, text, words):
    panel = window.panel
    before = window.app.config
    box = getattr(panel, field)
    type_into(qtbot, box, text)
    window.session.wait()
    assert words in panel.status.text()
    assert window.app.config == before  # neither 200 nor a cut 20 was applied
    assert box.value() == pytest.approx(getattr(before, field) or 0)  # the last value shows
    assert "to" in box.toolTip()  # the field says its range


def test_in_range_input_applies_once(window, qtbot):
    runs = []
    window.ctx.qt.run_requested.connect(runs.append)
    type_into(qtbot, window.panel.length, "64")
    window.session.wait()
    assert window.app.config.length == 64 and len(runs) == 1  # not 6 then 64


def test_sizes_lock_while_training_runs(window):
    panel = window.panel
    window.app.set_training_running(True)
    assert not panel.hidden.isEnabled() and not panel.model.isEnabled()
    assert panel.new_input.isEnabled() and panel.lr.isEnabled()
    window.app.set_training_running(False)
    assert panel.hidden.isEnabled()


def test_a_typed_text_is_the_char_text_sequence(make_window, qtbot):
    w = make_window(AppModel(SessionConfig(task="char-text", model="SimpleRNN", hidden=8,
                                           length=12)))
    assert w.panel.text.isVisible()
    w.panel.text.setText("hello, world")
    w.panel.text.editingFinished.emit()
    w.session.wait()
    c = w.app.config
    assert c.length == len("hello, world") - 1 and c.settings["text"] == "hello, world"
    view = w.view("network")
    assert "".join(view.chars.inputs) == "hello,␣worl"
    assert "".join(view.chars.targets) == "ello,␣world"


def test_every_model_kinds_own_settings_show_and_apply(window, qtbot):
    panel, app = window.panel, window.app
    form = panel.form

    def rows():
        return {name: form.isRowVisible(getattr(panel, name))
                for name in ("cell", "forget_gate", "teacher_forcing")}

    panel.model.setCurrentText("LSTM")
    window.session.wait()
    assert rows() == {"cell": False, "forget_gate": True, "teacher_forcing": False}
    panel.forget_gate.setChecked(False)
    window.session.wait()
    assert app.config.forget_gate is False and app.result.forward.forget_gate is False
    panel.model.setCurrentText("GRU")  # only an LSTM loses its forget gate: it comes back
    window.session.wait()
    assert app.config.model == "GRU" and app.config.forget_gate is True
    assert rows() == {"cell": False, "forget_gate": False, "teacher_forcing": False}
    app.update_config(length=80)
    window.session.wait()
    panel.model.setCurrentText("Seq2Seq")  # 80 in and 80 out would pass the window's cap
    window.session.wait()
    assert app.config.model == "Seq2Seq" and app.config.length == 50
    assert rows() == {"cell": True, "forget_gate": False, "teacher_forcing": True}
    panel.cell.setCurrentIndex(panel.cell.findData("gru"))
    panel.teacher_forcing.setChecked(True)
    window.session.wait()
    assert app.config.cell == "gru" and app.config.teacher_forcing
    assert app.result.forward.cell == "gru" and app.result.forward.teacher_forcing
    assert not panel.peepholes.isEnabled()  # a GRU cell has none
