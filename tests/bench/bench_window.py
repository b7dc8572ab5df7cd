"""Cursor change -> painted frame for the unfolded network, and launch -> window shown.

Run: python tests/bench/bench_window.py
Renders offscreen into an image (QWidget.render into a QImage), so the paint is real.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def frame_times(name, cfg, n=200, size=(1400, 800)):
    """Median and longest ms of cursor change -> drawn frame -> painted widget, backward phase
    (every job the view needs has landed first)."""
    from gui.context import Context
    from gui.frames import draw_now
    from gui.model.app_model import AppModel
    from gui.model.cursor import Cursor
    from gui.views import get

    ctx = Context(AppModel(cfg))
    view = get(name)(ctx)
    view.resize(*size)
    view.show()
    T = ctx.app.T
    cursors = [Cursor("backward", T - (i % T)) for i in range(n)]
    ctx.app.set_cursor(cursors[0])
    draw_now(view, ctx)
    times = []
    for c in cursors:
        t0 = time.perf_counter()
        ctx.app.set_cursor(c)
        draw_now(view, ctx)
        view.grab()  # a real paint of the whole widget into a pixmap
        times.append(time.perf_counter() - t0)
    view.close()
    ctx.close()
    return 1000 * statistics.median(times), 1000 * max(times)


def launch_time(repeat=3):
    code = ("import time; t0 = time.perf_counter(); import os; "
            "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen'); "
            "from gui.app import make_app; app = make_app(); "
            "from gui.main_window import MainWindow; "
            "w = MainWindow(); w.show(); app.processEvents(); "
            "print(time.perf_counter() - t0)")
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT)
        total = time.perf_counter() - t0
        out.append((float(r.stdout.strip().splitlines()[-1]), total))
    return out


def main():
    from gui.app import make_app
    from sim.run import SessionConfig

    make_app()
    print(f"{'view':<16} {'model':<10} {'H':>3} {'T':>4} {'median ms':>10} {'max ms':>8}")
    for model in ("LSTM", "SimpleRNN"):
        for H, T in ((6, 12), (8, 20), (32, 50), (64, 100)):
            cfg = SessionConfig(model=model, hidden=H, length=T)
            for name in ("network", "gradient-strip"):
                med, mx = frame_times(name, cfg)
                print(f"{name:<16} {model:<10} {H:>3} {T:>4} {med:>10.2f} {mx:>8.2f}")
    print("\nbackward phase, 200 frames, 1400x800, render + paint (QWidget.grab)")
    for inside, total in launch_time():
        print(f"launch -> window shown: {inside:.2f} s in-process, {total:.2f} s wall "
              "(with interpreter start)")


if __name__ == "__main__":
    main()
