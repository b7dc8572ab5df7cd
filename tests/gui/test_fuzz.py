"""A seeded storm of user actions: nothing may raise and the model's invariant must hold
throughout.

Every registered view is in some tab, so switching tabs puts every view through the storm. The
suite runs one seed; ``tests/bench/bench_fuzz.py`` runs twelve (UNFOLD_FUZZ_SEEDS).
"""

import os

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui.model.app_model import AppModel
from gui.model.cursor import Cursor
from sim import tasks

#: actions per seed: the suite runs 260 (one seed); tests/bench/bench_fuzz.py sets more
N_ACTIONS = int(os.environ.get("UNFOLD_FUZZ_ACTIONS", "260"))


def seeds() -> list[int]:
    """The seeds to run: UNFOLD_FUZZ_SEEDS ("0-11" or "3,8"), else 0."""
    text = os.environ.get("UNFOLD_FUZZ_SEEDS", "0")
    if "-" in text:
        lo, hi = (int(v) for v in text.split("-"))
        return list(range(lo, hi + 1))
    return [int(v) for v in text.split(",")]


def check_invariant(state):
    r = state.result
    assert r is not None
    assert r.T == r.config.steps  # T, or 2T for an encoder-decoder (T in, T out)
    assert 0 <= state.frame < state.n_frames == 2 * r.T + 1
    assert state.cursor == state.cursor.clamp(r.T)
    if not state.busy:
        assert r.config == state.config  # the traces match the session


@pytest.mark.slow
@pytest.mark.parametrize("seed", seeds())
def test_random_user_actions(qtbot, make_window, seed):
    rng = np.random.default_rng(seed)
    state = AppModel()
    w = make_window(state, size=(1200, 800))
    panel = w.panel
    errors = []
    state.error.connect(errors.append)

    def pick(seq):
        return seq[int(rng.integers(len(seq)))]

    actions = {
        "play": lambda: state.set_playing(True),
        "pause": lambda: state.set_playing(False),
        "step": lambda: state.step(int(pick([-1, 1, 1, 2]))),
        "key": lambda: qtbot.keyClick(w, pick([QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Left,
                                               QtCore.Qt.Key.Key_Home, QtCore.Qt.Key.Key_End,
                                               QtCore.Qt.Key.Key_Space])),
        "scrub": lambda: w.playback_bar.scrubber.setValue(int(rng.integers(0, state.n_frames))),
        "speed": lambda: w.playback_bar.speed.setCurrentIndex(int(rng.integers(0, 7))),
        "loop": lambda: w.playback_bar.loop.setChecked(bool(rng.integers(2))),
        "model": lambda: panel.model.setCurrentIndex(int(rng.integers(panel.model.count()))),
        "cell": lambda: panel.cell.setCurrentIndex(int(rng.integers(panel.cell.count()))),
        "teacher-forcing": lambda: panel.teacher_forcing.toggle(),
        "forget-gate": lambda: panel.forget_gate.toggle(),
        "activation": lambda: panel.activation.setCurrentIndex(int(rng.integers(3))),
        "peepholes": lambda: panel.peepholes.setChecked(bool(rng.integers(2))),
        "hidden": lambda: panel.hidden.setValue(int(pick([1, 2, 3, 6, 8, 17, 33, 64]))),
        "length": lambda: panel.length.setValue(int(pick([1, 2, 5, 12, 20, 41, 100]))),
        "task": lambda: panel.task.setCurrentIndex(int(rng.integers(len(tasks.names())))),
        "loss": lambda: panel.loss.setCurrentIndex(int(rng.integers(3))),
        "truncation": lambda: panel.truncation.setValue(int(pick([0, 1, 2, 5, 50]))),
        "radius": lambda: panel.radius.setValue(float(pick([0.0, 0.5, 1.0, 2.5, 3.0]))),
        "seed": lambda: panel.seed.setValue(int(rng.integers(0, 50))),
        "lr": lambda: panel.lr.setValue(float(pick([0.001, 0.03, 0.5, 3.0]))),
        "clip": lambda: panel.clip_on.setChecked(bool(rng.integers(2))),
        "clip-mode": lambda: panel.clip_mode.setCurrentIndex(int(rng.integers(2))),
        "new-input": lambda: panel.new_input.click(),
        "setting": lambda: [sw.setValue(sw.minimum() + (sw.maximum() - sw.minimum())
                                        * float(rng.random()) * 0.3)
                            for sw in panel.setting_widgets.values()],
        "tab": lambda: w.tabs.setCurrentIndex(int(rng.integers(w.tabs.count()))),
        "resize": lambda: w.resize(int(rng.integers(1000, 1700)), int(rng.integers(700, 1100))),
        "theme": lambda: w.dark_action.toggle(),
        "colour-mode": lambda: w.color_cycle_action.trigger(),
        "cursor": lambda: state.set_cursor(Cursor(pick(["forward", "backward", "update"]),
                                                  int(rng.integers(1, 101)))),
        "unit": lambda: state.set_selection(unit=int(rng.integers(0, state.result.forward
                                                                  .n_hidden))),
    }
    def poke_a_view_control():
        """Any control inside the visible tab's views (their own checkboxes, spin boxes,
        combos, sliders, buttons): every view's controls get the storm without a list here."""
        controls = []
        for v in w.current_views():
            for cls in (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox, QtWidgets.QSlider,
                        QtWidgets.QCheckBox, QtWidgets.QPushButton):
                controls += [c for c in v.findChildren(cls) if c.isEnabled() and c.isVisible()]
        if not controls:
            return
        c = pick(controls)
        if isinstance(c, QtWidgets.QSpinBox | QtWidgets.QSlider):
            c.setValue(int(rng.integers(c.minimum(), c.maximum() + 1)))
        elif isinstance(c, QtWidgets.QDoubleSpinBox):
            c.setValue(c.minimum() + (c.maximum() - c.minimum()) * float(rng.random()))
        elif isinstance(c, QtWidgets.QComboBox) and c.count():
            c.setCurrentIndex(int(rng.integers(c.count())))
        elif isinstance(c, QtWidgets.QCheckBox):
            c.toggle()
        elif isinstance(c, QtWidgets.QPushButton):
            c.click()

    actions["view-control"] = poke_a_view_control
    actions["view-control-2"] = poke_a_view_control  # twice the weight: views have many
    names = list(actions)
    done = {n: 0 for n in names}
    for i in range(N_ACTIONS):
        name = pick(names)
        actions[name]()
        done[name] += 1
        QtWidgets.QApplication.processEvents()
        if state.busy or name in ("hidden", "length", "task", "model", "setting", "cell"):
            w.session.wait()
        if i % 25 == 0:
            qtbot.wait(20)  # let playback ticks and queued results land
        check_invariant(state)
    state.set_playing(False)
    w.session.wait()
    QtWidgets.QApplication.processEvents()
    check_invariant(state)
    assert state.result.config == state.config
    assert all(done[n] > 0 for n in names), done
    # a rejected combination is reported to the user, never raised
    assert all(isinstance(e, str) and e for e in errors)
