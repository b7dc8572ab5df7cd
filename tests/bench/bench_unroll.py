"""The folded view's unroll mode on the GUI thread: one draw per cursor step (the norm curve
landed, as it is after its job), with the curve pending, and the curve job itself (a worker
thread's), for (H, T) = (8, 40) and (64, 100) in a 1280 x 720 view (offscreen).

    python tests/bench/bench_unroll.py       # prints a table; target: draws well under 50 ms
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402
from PySide6 import QtWidgets  # noqa: E402


def main() -> None:
    QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from gui import export
    from gui.context import Context
    from gui.frames import make_frame
    from gui.model.app_model import AppModel
    from gui.model.cursor import Cursor
    from gui.model.present import unrolled_chain as uc
    from sim.run import SessionConfig

    print(f"{'H':>3} {'T':>4} {'phase':8} {'draw median':>12} {'p95':>6} {'max':>6} "
          f"{'pending median':>15} {'job median':>11}  (ms)")
    for H, T in ((8, 40), (64, 100)):
        app = AppModel(SessionConfig(model="SimpleRNN", hidden=H, length=T))
        app.compute_now()
        app.set_options("folded", unroll=True)
        view = export.make_view("network-folded", Context(app))
        for phase in ("forward", "backward"):
            draws, pending, jobs, curves = [], [], [], {}
            for t in (range(1, T + 1) if phase == "forward" else range(T, 0, -1)):
                cursor = Cursor(phase, t)
                app.set_cursor(cursor)
                job = uc.ChainCurveJob.of(app.result, cursor)
                key = (job.direction, job.anchor)
                if key not in curves:
                    t0 = time.perf_counter()
                    curves[key] = job.compute(None, lambda: False)
                    jobs.append((time.perf_counter() - t0) * 1e3)
                t0 = time.perf_counter()
                view.draw(make_frame(app, derived={"chain-curve": curves[key]}))
                draws.append((time.perf_counter() - t0) * 1e3)
                if t % 10 == 0:
                    t0 = time.perf_counter()
                    view.draw(make_frame(app, pending=("chain-curve",)))
                    pending.append((time.perf_counter() - t0) * 1e3)
            d = np.array(draws[1:])
            print(f"{H:3d} {T:4d} {phase:8} {np.median(d):12.1f} {np.percentile(d, 95):6.1f} "
                  f"{d.max():6.1f} {np.median(pending):15.1f} {np.median(jobs):11.1f}")
        view.close()


if __name__ == "__main__":
    main()
