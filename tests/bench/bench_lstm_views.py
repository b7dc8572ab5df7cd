"""Cursor change -> painted frame for the two LSTM block views (target: <= 16 ms median at H = 8).

Run: python tests/bench/bench_lstm_views.py
Each frame is a draw of a new cursor's frame (the block graph job has landed once before) plus a
real paint of the whole widget (QWidget.grab), for forward and backward cursors, with and without
peepholes, with and without a followed flow. The machine is shared, so each case runs three
times and the table gives the lowest of the three medians (and the largest single frame seen).
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def frame_times(cls, cfg, phase, flow, n=100, size=(1400, 800), runs=3):
    meds, worst = [], 0.0
    for _ in range(runs):
        med, mx = _frame_times(cls, cfg, phase, flow, n, size)
        meds.append(med)
        worst = max(worst, mx)
    return min(meds), worst


def _frame_times(cls, cfg, phase, flow, n, size):
    from gui.context import Context
    from gui.frames import draw_now, frame_for
    from gui.model.app_model import AppModel
    from gui.model.cursor import Cursor

    ctx = Context(AppModel(cfg))
    app = ctx.app
    app.set_selection(flow=flow)
    view = cls(ctx)
    view.resize(*size)
    view.show()
    T = app.T
    cursors = [Cursor(phase, 1 + (i % T)) for i in range(n)]
    app.set_cursor(cursors[-1])
    assert draw_now(view, ctx)  # the block graph job lands once; frames read it
    view.grab()
    times = []
    for c in cursors:
        t0 = time.perf_counter()
        app.set_cursor(c)
        view.draw(frame_for(view, ctx))
        view.grab()  # a real paint of the whole widget into a pixmap
        times.append(time.perf_counter() - t0)
    view.close()
    ctx.close()
    return 1000 * statistics.median(times), 1000 * max(times)


def main():
    from gui.app import make_app
    from gui.views.lstm_block.circuit import LstmCircuitView
    from gui.views.lstm_block.odyssey import LstmOdysseyView
    from sim.run import SessionConfig

    make_app()
    print(f"{'view':<14} {'H':>3} {'T':>4} {'peep':>5} {'phase':<9} {'flow':<6} "
          f"{'median ms':>10} {'max ms':>8}")
    for H, T in ((8, 20), (32, 50), (64, 100)):
        for peep in (False, True):
            for phase in ("forward", "backward"):
                for flow in (None, "c"):
                    if H != 8 and (not peep or flow is None):
                        continue  # the large sizes: the heaviest case only
                    cfg = SessionConfig(model="LSTM", hidden=H, length=T, peepholes=peep)
                    for cls in (LstmCircuitView, LstmOdysseyView):
                        med, mx = frame_times(cls, cfg, phase, flow)
                        print(f"{cls.name:<14} {H:>3} {T:>4} {str(peep):>5} {phase:<9} "
                              f"{flow or '-':<6} {med:>10.2f} {mx:>8.2f}")
    print("\n100 cursor changes per run, best median of 3 runs, 1400x800, draw + paint "
          "(QWidget.grab); max = slowest single frame")


if __name__ == "__main__":
    main()
