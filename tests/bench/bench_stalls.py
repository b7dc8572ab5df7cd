"""The longest GUI stall a user can cause: stepping, End, switching tabs, clicking the landscape.

A heartbeat timer fires every 2 ms on the GUI thread; the longest gap between two beats while an
action is handled (and its background work lands and is drawn) is the longest time the window
could not respond. Each action is started from inside the event loop, as a key press or click
would be. Sizes: (H, T) = (6, 12), (16, 40), (64, 100), the LSTM of the default session, in a
1600 x 1000 window (offscreen). As in the app, the window first builds its hidden tabs' views
ahead of time, one small step per idle moment (its longest stall is the first row): built,
laid out at the window's size, drawn and painted once off screen, and drawn again when the
moment moves; a tab switch then only paints. The "at once" rows click a tab 40 ms after End (two
events, as a key and a click are), before the hidden tabs could be drawn again: the switch draws
the new moment itself.

    python tests/bench/bench_stalls.py            # prints a table; target: every cell <= 100 ms
    python tests/bench/bench_stalls.py --why      # also names (on stderr) where stalls over
                                                  # 100 ms spent their time (sampled stacks)
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" python tests/bench/bench_stalls.py
                                                  # a real X server: offscreen paints each
                                                  # newly shown pyqtgraph canvas three times
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # as main.py sets them: the job threads share the cores
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6 import QtCore, QtTest, QtWidgets  # noqa: E402

SIZES = ((6, 12), (16, 40), (64, 100))
#: with --why: the GUI thread's Python stack is sampled whenever it has not beaten for this long
WHY_AFTER_S = 0.05
SETTLE_S = 0.25  # quiet time after the last background job before an action counts as done


class Heartbeat(QtCore.QObject):
    """Beats every 2 ms; :meth:`longest` is the longest gap since :meth:`reset`."""

    def __init__(self):
        super().__init__()
        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._beat)
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.gap = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gap = max(self.gap, now - self.last)
        self.last = now

    def longest(self) -> float:
        return max(self.gap, time.perf_counter() - self.last)


class StallSampler:
    """With --why: a thread that samples the GUI thread's Python stack while it stalls, and
    names, per action, the functions of ours the stalled time was spent in."""

    def __init__(self, beat: Heartbeat):
        import collections
        import threading

        self.beat, self.on, self.counts = beat, False, collections.Counter()
        self.main = threading.get_ident()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        import traceback

        while True:
            time.sleep(0.003)
            if not self.on or time.perf_counter() - self.beat.last < WHY_AFTER_S:
                continue
            frame = sys._current_frames().get(self.main)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if "/gui/" in f.filename] or \
                [f for f in stack if "pyqtgraph" in f.filename]
            if ours:
                f = ours[-1]
                self.counts[f"{Path(f.filename).parent.name}/{Path(f.filename).name}:"
                            f"{f.name}"] += 1
            else:  # in Qt's C++ (painting, layout) under the event loop
                self.counts["Qt"] += 1

    def report(self) -> str:
        top = ", ".join(f"{k} {3 * n} ms" for k, n in self.counts.most_common(3))
        self.counts.clear()
        return top


SAMPLER = None


def run_action(window, beat: Heartbeat, action) -> float:
    """Start ``action`` from the event loop; the longest stall (s) until all its work is drawn."""
    app = QtWidgets.QApplication.instance()
    runner = window.ctx.runner
    beat.reset()
    if SAMPLER is not None:
        SAMPLER.on = True
    QtCore.QTimer.singleShot(0, action)
    deadline = time.perf_counter() + 60
    quiet_since = None
    while time.perf_counter() < deadline:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        busy = runner.busy or window.app.busy
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since > SETTLE_S:
            break
    if SAMPLER is not None:
        SAMPLER.on = False
        where = SAMPLER.report()
        if where and beat.longest() > 0.1:
            print(f"  over 100 ms ({1000 * beat.longest():.0f}): {where}", file=sys.stderr)
    return beat.longest()


def key(window, k):
    return lambda: QtTest.QTest.keyClick(window, k)


#: the tab click of the "at once" rows, after the key (ms): sooner than the hidden tabs are
#: drawn again (gui/prepare_tabs.py waits STEP_DELAY_MS of quiet)
AT_ONCE_MS = 40


def end_then_tab(window, press, title: str):
    """``press`` (End or Home), then tab ``title`` AT_ONCE_MS later, each its own event (as a
    user's key and click are); checks that the tab's views were still drawn at the old moment
    when it was clicked."""
    i = window._tab_titles.index(title)

    def switch():
        stale = [v for v in window._tab_views[i] if v.frame.cursor != window.app.cursor]
        assert stale, f"{title} was drawn at the new moment before the click: not this case"
        window.tabs.setCurrentIndex(i)

    def act():
        press()
        QtCore.QTimer.singleShot(AT_ONCE_MS, switch)
    return act


def click_landscape(window):
    """A click in the middle of the landscape's map (it sets the descent's start)."""
    view = window.view("landscape")
    if view is None or not hasattr(view, "map_viewbox"):
        return None
    vb = view.map_viewbox()
    rect = vb.sceneBoundingRect()
    pos = view.canvas.mapFromScene(rect.center().toPoint())
    return lambda: QtTest.QTest.mouseClick(view.canvas.viewport(),
                                            QtCore.Qt.MouseButton.LeftButton, pos=pos)


def build_ahead(window, beat: Heartbeat) -> float:
    """Let the window build its hidden tabs' views ahead of time, as the app does after it
    shows; the longest stall (s) while it does."""
    app = QtWidgets.QApplication.instance()
    beat.reset()
    window.prebuild_tabs()
    deadline = time.perf_counter() + 60
    while not window.preparer.done and time.perf_counter() < deadline:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return beat.longest()


def measure(H: int, T: int) -> dict:
    from gui.main_window import MainWindow
    from gui.model.app_model import AppModel
    from sim.run import SessionConfig

    window = MainWindow(AppModel(SessionConfig(hidden=H, length=T)))
    window.discard_answer = lambda what: "discard"
    window.resize(1600, 1000)
    window.show()
    window.activateWindow()  # under Xvfb without a window manager: the keys reach the window
    window.session.wait()
    beat = Heartbeat()
    global SAMPLER
    if "--why" in sys.argv:
        SAMPLER = StallSampler(beat)
    out = {}
    window.show_tab("Unfolded")
    run_action(window, beat, lambda: None)
    out["start-up: hidden tabs made ready, one step per idle moment"] = build_ahead(window, beat)
    out["step (Right)"] = max(run_action(window, beat, key(window, QtCore.Qt.Key.Key_Right))
                              for _ in range(8))
    out["End"] = run_action(window, beat, key(window, QtCore.Qt.Key.Key_End))
    out["Home"] = run_action(window, beat, key(window, QtCore.Qt.Key.Key_Home))
    for i in range(window.tabs.count()):
        title = window.tabs.tabText(i)
        if SAMPLER is not None:
            print(f"(H={H}, T={T}) tab: {title}", file=sys.stderr)
        out[f"tab: {title}"] = run_action(window, beat, lambda i=i: window.tabs.setCurrentIndex(i))
    # a tab clicked straight after End (its own event, AT_ONCE_MS later: faster than a hand),
    # before the idle moment that draws the hidden tabs again: the switch draws the new moment
    for title in ("Gradient flow", "LSTM circuit", "Training", "Landscape"):
        window.show_tab("Unfolded")
        run_action(window, beat, lambda: None)
        home_then_end = key(window, QtCore.Qt.Key.Key_Home if window.app.cursor.phase == "update"
                            else QtCore.Qt.Key.Key_End)
        out[f"End or Home, then tab {title} at once"] = run_action(
            window, beat, end_then_tab(window, home_then_end, title))
    window.show_tab("Landscape")
    run_action(window, beat, lambda: None)
    click = click_landscape(window)
    if click is not None:
        out["landscape click"] = run_action(window, beat, click)
    window.show_tab("Gradient flow")
    run_action(window, beat, lambda: None)
    out["gradient flow: End"] = run_action(window, beat, key(window, QtCore.Qt.Key.Key_End))
    window.close()
    beat.timer.stop()
    return out


def main() -> None:
    from gui.app import make_app

    make_app()
    results = {size: measure(*size) for size in SIZES}
    actions = list(next(iter(results.values())))
    head = "| action | " + " | ".join(f"H={H}, T={T}" for H, T in SIZES) + " |"
    print(head)
    print("|---" * (len(SIZES) + 1) + "|")
    for a in actions:
        cells = [f"{1000 * results[s].get(a, float('nan')):.0f} ms" for s in SIZES]
        print(f"| {a} | " + " | ".join(cells) + " |")
    worst = max(v for r in results.values() for v in r.values())
    print(f"\nlongest stall: {1000 * worst:.0f} ms (target <= 100 ms)")


if __name__ == "__main__":
    main()
