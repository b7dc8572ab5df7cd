"""Training speed (updates per second) and the landscape grid time.

Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python tests/bench/bench_training.py
Prints two tables: updates per second of the default LSTM (H = 6, T = 12) on delayed-recall,
directly (sim.train.Trainer, gui.model.training.trainer.SessionTrainer) and through the window's
TrainingController (gui/controllers/training.py: worker process + 30 Hz collection, offscreen),
and with the Training view drawing live (how long the GUI thread is ever blocked), and "One
update" as a job at the window's largest size; then the time of
sim.landscape.loss_surface on a 200 x 200 grid at T = 50 (uncached and cached), the landscape
view's whole scene and the session line.
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from gui.model.training.settings import TrainingSettings  # noqa: E402
from gui.model.training.trainer import SessionTrainer  # noqa: E402
from sim.run import SessionConfig, build_model  # noqa: E402
from sim.train import TrainConfig, Trainer  # noqa: E402

N = 1000


def direct(cls, batch: int, optimizer: str = "adam") -> float:
    cfg = SessionConfig()
    task = cfg.make_task()
    tc = TrainingSettings(batch_size=batch, optimizer=optimizer).train_config(cfg)
    if cls is Trainer:
        tc = TrainConfig(optimizer=optimizer, lr=cfg.lr, clip=cfg.clip, batch_size=batch,
                         length=cfg.length)
    rates = []
    for _ in range(3):
        t = cls(build_model(cfg, task), task, tc)
        t0 = time.perf_counter()
        for _ in range(N // batch):
            t.step()
        rates.append((N // batch) / (time.perf_counter() - t0))
    return statistics.median(rates)


def _app():
    from PySide6 import QtWidgets

    return QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


def _context():
    """A context on the default session whose runs are computed on its job runner."""
    from gui.context import Context
    from gui.controllers.session import SessionController
    from gui.model.app_model import AppModel

    ctx = Context(AppModel(SessionConfig()))
    ctx.session = SessionController(ctx)
    return ctx


def controller(batch: int) -> float:
    """Through the window's controller (worker process), steady state: one warm-up run starts
    the process, then the median of 3 runs."""
    app = _app()
    ctx = _context()
    c = ctx.training
    rates = []
    for k in range(4):
        n = N // batch
        ctx.app.set_options("training", batch_size=batch, n_updates=n)
        c.stop()
        c.clear()  # a new run each time (not a resumed one)
        t0 = time.perf_counter()
        c.start()
        while c.running:
            app.processEvents()
            time.sleep(0.002)
        if k:
            rates.append(n / (time.perf_counter() - t0))
        ctx.session.wait()
    c.shutdown()
    ctx.close()
    return statistics.median(rates)


def one_update() -> None:
    """"One update" at the window's largest session (H = 64, T = 100): the job's time on the job
    runner, and the longest gap of a 10 ms GUI timer meanwhile."""
    import numpy as np
    from PySide6 import QtCore

    from gui.model.limits import MAX_HIDDEN, MAX_LENGTH

    app = _app()
    ctx = _context()
    ctx.app.update_config(hidden=MAX_HIDDEN, length=MAX_LENGTH)
    ctx.session.wait()
    c = ctx.training
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    times = []
    for _ in range(5):
        c.one_update()
        job = c._update_job
        while c.updating:
            app.processEvents()
            time.sleep(0.001)
        times.append(ctx.runner.seconds[job])
        ctx.session.wait()
        ctx.app.set_playing(False)
    timer.stop()
    g = 1000 * np.array(gaps[1:])
    ms = 1000 * statistics.median(times)
    print(f"\n{'One update, LSTM H = 64, T = 100 (job)':<44} {ms:>8.0f} ms, "
          f"GUI timer gap max {g.max():.0f} ms")
    c.shutdown()
    ctx.close()


def live_view() -> None:
    """The Training view drawing live while the default LSTM trains: update rate, redraws per
    second and the longest gap of a 10 ms GUI timer (how long the GUI thread was blocked)."""
    import numpy as np
    from PySide6 import QtCore

    from gui.frames import draw_now
    from gui.views.training import TrainingView

    app = _app()
    ctx = _context()
    view = TrainingView(ctx)
    view.resize(1200, 800)
    view.show()
    draw_now(view, ctx)
    app.processEvents()
    c = view.controller
    ctx.app.set_options("training", n_updates=100_000)
    redraws = [0]
    c.metrics_changed.connect(lambda: redraws.__setitem__(0, redraws[0] + 1))
    view.start_button.click()
    while not c.run.done:  # the worker process has started
        app.processEvents()
        time.sleep(0.005)
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    n0, redraws[0], t0 = c.run.done, 0, time.perf_counter()
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(3000, loop.quit)
    loop.exec()
    dt = time.perf_counter() - t0
    n = c.run.done - n0
    timer.stop()
    c.stop()
    c.wait()
    c.shutdown()
    ctx.close()
    g = 1000 * np.array(gaps[1:])
    print(f"\n{'Training view live, 3 s (worker process)':<44} {n / dt:>10.0f} updates/s, "
          f"{redraws[0] / dt:.0f} redraws/s, GUI timer gap median {np.median(g):.0f} ms, "
          f"max {g.max():.0f} ms")


def landscape() -> None:
    from gui.model.present.landscape import CliffSettings, cliff_scene, session_line
    from sim import landscape as ls
    from sim.run import compute

    model = ls.CliffRNN(T=50)
    print(f"\n{'landscape (one-unit RNN, T = 50)':<44} {'ms':>8}")

    def fresh(i):  # a new range each time: never a cache hit
        return (ls.DEFAULT_W[0] - 1e-9 * (i + 1), ls.DEFAULT_W[1])

    times = []
    for i in range(5):
        t0 = time.perf_counter()
        ls.loss_surface(model, fresh(i), ls.DEFAULT_B, n=200)
        times.append(time.perf_counter() - t0)
    print(f"{'loss_surface 200 x 200 (uncached)':<44} {1000 * statistics.median(times):>8.1f}")
    t0 = time.perf_counter()
    ls.loss_surface(model, fresh(4), ls.DEFAULT_B, n=200)
    print(f"{'loss_surface again (cached)':<44} {1000 * (time.perf_counter() - t0):>8.3f}")
    times = []
    for i in range(3):
        st = CliffSettings(w_range=fresh(10 + i))
        t0 = time.perf_counter()
        sc = cliff_scene(st)
        times.append(time.perf_counter() - t0)
    label = f"view's scene: grid {sc.surface.w.size}^2, contours, 2 paths"
    print(f"{label:<44} {1000 * statistics.median(times):>8.1f}")
    r = compute(SessionConfig())
    t0 = time.perf_counter()
    session_line(r)
    print(f"{'session line, 201 points, default LSTM':<44} "
          f"{1000 * (time.perf_counter() - t0):>8.1f}")


def main():
    print(f"{'default LSTM H=6 T=12, delayed-recall, Adam':<44} {'batch':>5} {'updates/s':>10} "
          f"{'seq/s':>8}")
    for label, fn, batch in (
        ("sim.train.Trainer (task.batch samples)", lambda b: direct(Trainer, b), 1),
        ("sim.train.Trainer (task.batch samples)", lambda b: direct(Trainer, b), 8),
        ("SessionTrainer (session samples)", lambda b: direct(SessionTrainer, b), 1),
        ("SessionTrainer (session samples)", lambda b: direct(SessionTrainer, b), 8),
        ("SessionTrainer, SGD", lambda b: direct(SessionTrainer, b, "sgd"), 1),
        ("TrainingController (worker process)", controller, 1),
        ("TrainingController (worker process)", controller, 8),
    ):
        r = fn(batch)
        print(f"{label:<44} {batch:>5} {r:>10.0f} {r * batch:>8.0f}")
    print("medians of 3 runs of 1000 sequences; target >= 200 updates/s")
    live_view()
    one_update()
    landscape()


if __name__ == "__main__":
    main()
