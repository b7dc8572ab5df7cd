"""Cursor change -> painted frame for the gradient-flow view and the equation strip.

Run: python tests/bench/bench_flow_equations.py
Every frame of the sequence (forward, backward, update) in turn; each timing is render + a real
paint of the whole widget into a pixmap (QWidget.grab). The gradient-flow target is 16 ms median
at H = 8; the equation strip may land after the frame but must keep up with playback at 4 steps
per second (250 ms per step). Also printed: typesetting every symbolic line of a session from
cold (ziamath, on the background thread), and the same sessions at the GUI's largest size.
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


def frame_times(name, cfg, size, rounds=3, setup=None):
    from gui.state import AppState

    from gui.model.cursor import Cursor
    from gui.views import get

    state = AppState(cfg)
    view = get(name)(state)
    view.setMinimumSize(*size)
    view.resize(*size)
    view.show()
    if setup is not None:
        setup(view)
    view.render(state.result, state.cursor)
    view.wait_ready()
    T = state.T
    cursors = [Cursor.from_frame(f, T) for f in range(Cursor.n_frames(T))] * rounds
    times = []
    for c in cursors:
        t0 = time.perf_counter()
        view.render(state.result, c)
        view.grab()  # a real paint of the whole widget into a pixmap
        times.append(time.perf_counter() - t0)
    view.close()
    return 1000 * statistics.median(times), 1000 * max(times), len(times)


def cold_typesetting(cfg):
    """Seconds to typeset every symbolic line a session can show (process-wide cache cleared)."""
    from gui.model.present import equations as eqm
    from gui.views import equations as ev
    from sim.run import compute

    r = compute(cfg)
    tr = r.forward
    lines = eqm.all_symbolic(tr.kind, peepholes=cfg.peepholes, output=tr.output,
                             loss=cfg.resolved_loss)
    ev._SVG.clear()
    t0 = time.perf_counter()
    ev.typeset(tuple(lines))
    return time.perf_counter() - t0, len(lines)


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
        rows.append(("gradient-flow", label, H, T, "1400x900",
                     *frame_times("gradient-flow", cfg, (1400, 900), rounds=1 if H > 8 else 3)))
        if H == 8:
            rows.append(("gradient-flow +cmp", label, H, T, "1400x900",
                         *frame_times("gradient-flow", cfg, (1400, 900),
                                      setup=lambda v: v.compare.setChecked(True))))
        rows.append(("equations strip", label, H, T, "1400x250",
                     *frame_times("equations", cfg, (1400, 250), rounds=1 if H > 8 else 3)))
        rows.append(("equations tab", label, H, T, "1400x800",
                     *frame_times("equations", cfg, (1400, 800), rounds=1 if H > 8 else 3)))
    print(f"{'view':<20} {'model':<15} {'H':>3} {'T':>4} {'size':>9} {'median ms':>10} "
          f"{'max ms':>8} {'frames':>7}")
    for name, label, H, T, size, med, mx, n in rows:
        print(f"{name:<20} {label:<15} {H:>3} {T:>4} {size:>9} {med:>10.2f} {mx:>8.2f} {n:>7}")
    print("\nrender + paint (QWidget.grab) per cursor change, every frame of forward, backward "
          "and update; +cmp: with the other model drawn beside. Targets: gradient-flow <= 16 ms "
          "median at H = 8; the equation strip within 250 ms (playback at 4 steps/s).")
    print("H = 64, T = 100: the Jacobian products (seconds for an LSTM) are computed off the GUI "
          "thread before the frames are timed.")
    for model, peep in (("SimpleRNN", False), ("LSTM", True)):
        secs, n = cold_typesetting(SessionConfig(model=model, peepholes=peep, hidden=8))
        print(f"cold typesetting, {model}{' +peep' if peep else ''}: {n} symbolic lines in "
              f"{secs:.2f} s on the background thread (once per process; then cached)")


if __name__ == "__main__":
    main()
