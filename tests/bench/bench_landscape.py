"""The landscape: the engine's surface and descent, and the view in a 1300 x 760 window as the
window draws it (a script, not a test).

Run: python tests/bench/bench_landscape.py

For each case the view's job runs on the window's job runner; printed are the job's time (s),
the draw when its data landed (ms), a draw for a new playback cursor (ms, median of 8), the
same with the canvas painted (ms) and the longest single GUI-thread call of the case (ms: the
request, every draw and paint). BLAS runs on one thread (the jobs' threads are the parallelism).
"""

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from sim import landscape as ls  # noqa: E402


def median_ms(fn, repeat=7):
    """Median wall time of ``fn()`` in ms, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def engine():
    print(f"{'what':<40} {'median ms':>10}")
    for T in (50, 100):
        m = ls.CliffRNN(T=T)
        for n in (100, 200, 400):
            ms = median_ms(lambda m=m, n=n: ls._surface.__wrapped__(m, ls.DEFAULT_W_RANGE,
                                                                     ls.DEFAULT_B_RANGE, n))
            print(f"{f'loss_surface n = {n}, T = {T} (uncached)':<40} {ms:>10.2f}")
    ls.loss_surface()
    ms = median_ms(ls.loss_surface)
    print(f"{'loss_surface default (cached)':<40} {ms:>10.4f}")
    d = ls.default_demo()
    ms = median_ms(lambda: ls.descend(d.model, d.start, d.lr, 100))
    print(f"{'descend, 100 steps, T = 50':<40} {ms:>10.2f}")
    ms = median_ms(lambda: ls.descend(d.model, d.start, d.lr, 100, clip=d.clip))
    print(f"{'descend, 100 steps, T = 50, clipped':<40} {ms:>10.2f}")


class Timed:
    """Wraps ``view.draw``: the wall time of every draw, and whether its data had landed."""

    def __init__(self, view):
        self.calls = []
        self._draw = view.draw

        def draw(frame):
            t0 = time.perf_counter()
            self._draw(frame)
            self.calls.append((1000 * (time.perf_counter() - t0), dict(frame.derived)))

        view.draw = draw


def forget_caches():
    from gui.model.present import landscape as present

    present._scenes.clear()
    present._contours.cache_clear()
    ls._surface.cache_clear()


def measure(ctx, view, timed, label, act, prepare=None):
    """Run ``prepare()`` (untimed), then ``act()`` (a GUI-thread action that makes the view need
    a job), wait for the job, then step the cursor; print one row."""
    from PySide6 import QtWidgets

    from gui.frames import owner_of
    from gui.model.cursor import Cursor

    if prepare is not None:
        prepare()
    forget_caches()
    ctx.runner.forget(lambda j: True)
    QtWidgets.QApplication.processEvents()
    timed.calls.clear()
    t0 = time.perf_counter()
    act()
    request_ms = 1000 * (time.perf_counter() - t0)
    ctx.runner.wait(300_000)
    QtWidgets.QApplication.processEvents()
    jobs = ctx.runner.wanted(owner_of(view))
    job_s = sum(ctx.runner.seconds.get(j, 0.0) for j in jobs)
    landed = [ms for ms, derived in timed.calls if derived]
    landed_ms = landed[0] if landed else float("nan")
    T = ctx.app.T
    draws, paints = [], []
    for i in range(8):
        frame = (i * (2 * T + 1)) // 8
        t0 = time.perf_counter()
        ctx.app.set_cursor(Cursor.from_frame(frame, T))  # the painter draws the view
        draws.append(1000 * (time.perf_counter() - t0))
        t0 = time.perf_counter()
        view.stack.currentWidget().viewport().repaint()
        paints.append(draws[-1] + 1000 * (time.perf_counter() - t0))
    worst = max([request_ms] + [ms for ms, _ in timed.calls] + paints)
    print(f"{label:<40} {job_s:>7.2f} {landed_ms:>10.1f} {statistics.median(draws):>10.1f} "
          f"{statistics.median(paints):>9.1f} {worst:>8.1f}")


def view_bench():
    from PySide6 import QtCore, QtTest

    from gui import theme as themes
    from gui.app import make_app
    from gui.context import Context
    from gui.frames import Painter
    from gui.model.app_model import AppModel
    from gui.model.options import LandscapeOptions
    from gui.views.landscape import LandscapeView
    from sim.run import SessionConfig

    make_app()
    ctx = Context(AppModel(SessionConfig()))
    view = LandscapeView(ctx)
    view.resize(1300, 760)
    view.show()
    painter = Painter(ctx, lambda: [view], lambda: themes.get(ctx.app.theme))
    timed = Timed(view)
    app = ctx.app
    print(f"\n{'view at 1300 x 760':<40} {'job s':>7} {'landed ms':>10} {'cursor ms':>10} "
          f"{'+paint ms':>9} {'max ms':>8}")

    measure(ctx, view, timed, "cliff, default", painter.draw)  # the view's first draw

    def click():
        vb = view.map_viewbox()
        pos = view.canvas.mapFromScene(vb.mapViewToScene(QtCore.QPointF(4.2, -1.7)))
        QtTest.QTest.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton,
                                pos=pos)

    measure(ctx, view, timed, "cliff, click at (4.2, -1.7)", click)
    measure(ctx, view, timed, "line, default session",
            lambda: app.set_options("landscape", mode="line"))

    def big():
        app.replace_options("landscape", LandscapeOptions(mode="cliff"))
        app.set_config(SessionConfig(model="LSTM", hidden=64, length=100))
        app.compute_now()

    measure(ctx, view, timed, "line, LSTM H = 64, T = 100",
            lambda: app.set_options("landscape", mode="line"), prepare=big)
    ctx.close()


if __name__ == "__main__":
    engine()
    view_bench()
