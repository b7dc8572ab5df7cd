"""The gradient-flow view on the new structure: its jobs, the frames in which they land, and
cursor changes.

Run: python tests/bench/bench_gradient_flow.py
At 1400x900 with the comparison on (both other one-cell kinds), for SimpleRNN, LSTM, LSTM with
peepholes and GRU at (H, T) = (8, 12) and (64, 100):

- flow job s: the Jacobian products of the session (FlowJob; computed once more alone after the
  runner delivered it, so the time is the job's own);
- job s of each compared kind: that kind on the same input with its products (one CompanionJob
  per kind, each computed once more alone);
- 1st lands ms, 2nd lands ms: drawing the frame in which the first compared kind has landed
  (the other still computing), then the frame in which both have (the static part: curves,
  small plots, maps, clipping, captions);
- cursor draw ms: median draw of one cursor change (every frame of forward, backward, update);
- +paint ms: the same plus a real paint of the whole widget into a pixmap (QWidget.grab);
- max ms: the slowest cursor change with its paint.

Targets: a cursor change with its paint within 16 ms median at H = 8 and nothing on the GUI
thread over ~50 ms; the jobs run off the GUI thread. BLAS runs on one thread (set before NumPy
is imported), as on a busy machine.
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SIZE = (1400, 900)


def measure(cfg, rounds=2):
    from PySide6 import QtWidgets

    from gui.context import Context
    from gui.frames import frame_for, make_frame
    from gui.model.app_model import AppModel
    from gui.model.cursor import Cursor
    from gui.model.present import gradient_flow as flow
    from gui.views import get

    ctx = Context(AppModel(cfg))
    ctx.app.set_options("gradient-flow", compare=True)
    view = get("gradient-flow")(ctx)
    view.setMinimumSize(*SIZE)
    view.resize(*SIZE)
    view.show()
    QtWidgets.QApplication.processEvents()
    view.draw(frame_for(view, ctx))  # asks for the jobs; draws the errors at once
    wanted = view.needs(frame_for(view, ctx))
    assert ctx.runner.wait(600_000, jobs=list(wanted.values()))
    secs = {}
    for j in wanted.values():  # what each job costs on a thread of its own (the runner's wall
        # time also holds the GUI thread's paints before the value is handed over)
        t0 = time.perf_counter()
        j.compute(lambda f: None, lambda: False)
        secs[getattr(j, "kind", "flow")] = time.perf_counter() - t0
    full = frame_for(view, ctx)
    assert not full.pending
    names = [n for n in wanted if n != "flow"]  # the compared kinds' jobs, in order
    landing = []
    for i in range(len(names) + 1):  # flow only, then one compared kind more at a time
        derived = {n: full.derived[n] for n in ["flow", *names[:i]]}
        frame = make_frame(ctx.app, derived=derived, pending=names[i:])
        t0 = time.perf_counter()
        view.draw(frame)
        landing.append(time.perf_counter() - t0)
        view.grab()
    T = ctx.app.T
    cursors = [Cursor.from_frame(f, T) for f in range(Cursor.n_frames(T))] * rounds
    draws, paints = [], []
    for c in cursors:
        ctx.app.set_cursor(c)
        t0 = time.perf_counter()
        view.draw(frame_for(view, ctx))
        t1 = time.perf_counter()
        view.grab()  # a real paint of the whole widget into a pixmap
        t2 = time.perf_counter()
        draws.append(t1 - t0)
        paints.append(t2 - t0)
    view.close()
    ctx.close()
    kinds = flow.companion_kinds(cfg)
    return (secs.get("flow", float("nan")), [(k, secs[k]) for k in kinds],
            1000 * landing[1], 1000 * landing[2], 1000 * statistics.median(draws),
            1000 * statistics.median(paints), 1000 * max(paints), len(cursors))


def main():
    from gui.app import make_app
    from sim.run import SessionConfig

    make_app()
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass
    rows = []
    for H, T in ((8, 12), (64, 100)):
        for model, peep in (("SimpleRNN", False), ("LSTM", False), ("LSTM", True),
                            ("GRU", False)):
            cfg = SessionConfig(model=model, peepholes=peep, hidden=H, length=T)
            label = model + (" +peep" if peep else "")
            rows.append((label, H, T, *measure(cfg, rounds=1 if H > 8 else 3)))
    print(f"{'model':<12} {'H':>3} {'T':>4} {'flow job s':>10} {'compared kinds: job s':>28} "
          f"{'1st lands ms':>12} {'2nd lands ms':>12} {'cursor ms':>9} {'+paint ms':>9} "
          f"{'max ms':>7} {'frames':>6}")
    for label, H, T, fs, comp, first, both, draw, paint, mx, n in rows:
        kinds = "  ".join(f"{k} {s:.3f}" for k, s in comp)
        print(f"{label:<12} {H:>3} {T:>4} {fs:>10.3f} {kinds:>28} {first:>12.1f} {both:>12.1f} "
              f"{draw:>9.2f} {paint:>9.2f} {mx:>7.1f} {n:>6}")
    print(f"\n{SIZE[0]}x{SIZE[1]}, comparison on (both other kinds), BLAS on one thread. Jobs "
          "run on the job runner's threads; 1st/2nd lands: the draw when the first, then the "
          "second compared kind has landed; cursor: one cursor change drawn (+paint: and "
          "painted), median over every frame.")
    if hasattr(os, "getloadavg"):
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

if __name__ == "__main__":
    main()
