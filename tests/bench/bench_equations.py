"""Cursor change -> drawn and painted frame for the equations view (the tab and the strip under
the LSTM block views), and what its typesetting jobs cost.

Run: python tests/bench/bench_equations.py
Every frame of the sequence (forward, backward, update) in turn, after the session's lines have
landed: ``draw`` is View.draw of a frame with the landed lines (the GUI thread's work per cursor
step), ``paint`` a real paint of the whole widget into a pixmap (QWidget.grab). Playback at 4
steps per second leaves 250 ms per step; the GUI thread's budget is ~50 ms. Also printed:
equations_at alone, and each line's typesetting from cold (ziamath, a job on the runner's
threads, off the GUI thread).
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def frame_times(cfg, size, rounds=3):
    """(draw median, draw max, paint median, paint max) in ms, and the number of frames."""
    from PySide6 import QtWidgets

    from gui.context import Context
    from gui.frames import draw_now, frame_for
    from gui.model.app_model import AppModel
    from gui.model.cursor import Cursor
    from gui.views import get

    ctx = Context(AppModel(cfg))
    view = get("equations")(ctx)
    view.setMinimumSize(*size)
    view.resize(*size)
    view.show()
    QtWidgets.QApplication.processEvents()
    draw_now(view, ctx)  # every line of the session lands
    T = ctx.app.T
    cursors = [Cursor.from_frame(f, T) for f in range(Cursor.n_frames(T))] * rounds
    draws, paints = [], []
    for c in cursors:
        ctx.app.set_cursor(c)
        frame = frame_for(view, ctx)
        t0 = time.perf_counter()
        view.draw(frame)
        t1 = time.perf_counter()
        view.grab()  # a real paint of the whole widget into a pixmap
        t2 = time.perf_counter()
        draws.append(t1 - t0)
        paints.append(t2 - t1)
    view.close()
    ctx.close()
    ms = [1000 * f(x) for x in (draws, paints) for f in (statistics.median, max)]
    return (*ms, len(cursors))


def equations_at_times(cfg):
    """Median and max ms of equations_at over every frame, unit 0."""
    from gui.model.cursor import Cursor
    from gui.model.present.equations import equations_at
    from sim.run import compute

    r = compute(cfg)
    times = []
    for f in range(Cursor.n_frames(r.T)):
        t0 = time.perf_counter()
        equations_at(r, Cursor.from_frame(f, r.T), 0)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times), 1000 * max(times)


def cold_typesetting(cfg):
    """Per-line seconds of every symbolic line a session can show, as the runner's jobs compute
    them (the process-wide cache cleared first)."""
    from gui.model.present.equations import TypesetJob, all_symbolic
    from gui.model.present.equations import typeset as ts
    from sim.run import compute

    r = compute(cfg)
    tr = r.forward
    lines = all_symbolic(tr.kind, peepholes=cfg.peepholes, output=tr.output,
                         loss=cfg.resolved_loss)
    ts.load_ziamath()
    ts.clear_cache()
    times = []
    for s in lines:
        t0 = time.perf_counter()
        TypesetJob(s).compute(lambda f: None, lambda: False)
        times.append(time.perf_counter() - t0)
    return times


def main():
    from gui.app import make_app
    from sim.run import SessionConfig

    make_app()
    rows = []
    configs = [("SimpleRNN", False, 8, 12), ("LSTM", False, 8, 12), ("LSTM", True, 8, 12),
               ("LSTM", True, 64, 100)]
    for model, peep, H, T in configs:
        cfg = SessionConfig(model=model, peepholes=peep, hidden=H, length=T)
        label = model + (" +peep" if peep else "")
        rounds = 1 if H > 8 else 3
        rows.append(("equations strip", label, H, T, "1400x250",
                     *frame_times(cfg, (1400, 250), rounds)))
        rows.append(("equations tab", label, H, T, "1400x800",
                     *frame_times(cfg, (1400, 800), rounds)))
    print(f"{'view':<16} {'model':<12} {'H':>3} {'T':>4} {'size':>9} {'draw med':>9} "
          f"{'draw max':>9} {'paint med':>10} {'paint max':>10} {'frames':>7}")
    for name, label, H, T, size, dmed, dmax, pmed, pmax, n in rows:
        print(f"{name:<16} {label:<12} {H:>3} {T:>4} {size:>9} {dmed:>9.2f} {dmax:>9.2f} "
              f"{pmed:>10.2f} {pmax:>10.2f} {n:>7}")
    print("\nms per cursor change on the GUI thread, every frame of forward, backward and update, "
          "all lines landed. Targets: draw + paint within ~50 ms (GUI thread), within 250 ms "
          "(playback at 4 steps/s).")
    for model, peep, H, T in configs[::3]:
        cfg = SessionConfig(model=model, peepholes=peep, hidden=H, length=T)
        med, mx = equations_at_times(cfg)
        print(f"equations_at, {model} H = {H}, T = {T}: median {med:.2f} ms, max {mx:.2f} ms")
    for model, peep in (("SimpleRNN", False), ("LSTM", True)):
        times = cold_typesetting(SessionConfig(model=model, peepholes=peep, hidden=8))
        print(f"cold typesetting, {model}{' +peep' if peep else ''}: {len(times)} lines, "
              f"{1000 * statistics.median(times):.0f} ms median, {1000 * max(times):.0f} ms max "
              f"per line (one job each, off the GUI thread; then cached for the process)")


if __name__ == "__main__":
    main()
