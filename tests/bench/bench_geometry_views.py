"""Benchmark the Geometry tab: D slider change to painted frame, and the sampling that follows.

Run from the repository root (headless is fine)::

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_geometry_views.py
    QT_QPA_PLATFORM=offscreen python tests/bench/bench_geometry_views.py --quick

Not collected by pytest (bench_*.py). Prints one table:

- opening the tab: the GUI thread's time to make the tab and its views (they build later, one a
  timer tick, the first time they are in front).
- "slider -> frame": ``slider.setValue(pos)`` (the views redraw; in the grid one a tick, flushed
  here), the posted layout
  requests, then ``tab.grab()`` (the whole tab, every visible view, painted into an image; the
  window's own repaint is partial and cheaper): the time until a new frame exists. Random
  positions over 1..10,000; median and 90th percentile. "closed forms": the sampler switched off
  (the views' own cost, samples shown as "sampling..."); "sampling on": every move starts from a
  settled panel whose samples the move replaces, and the sampling starts while it is measured.
- the sampling the issue names, timed directly (target: sample_angles(1000, 10_000) <= 100 ms,
  relative_contrast(1000, 2000) <= 200 ms), and the panel's whole sampling after a D change (all
  five views' keys until the runner is idle), and how long Cancel takes to stop a D = 10,000 run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from sim import geometry  # noqa: E402

VIEWS = ("geometry-grid", "geometry-cube", "geometry-angles", "geometry-shell",
         "geometry-distances")


def make_tab(size, mode):
    """A Geometry tab on a fresh model, laid out as ``mode``, drawn by a painter as in the
    window; returns (ctx, tab, seconds the GUI thread spent opening it)."""

    from gui import theme as themes
    from gui import views
    from gui.context import Context
    from gui.frames import Painter
    from gui.model.app_model import AppModel

    views.load()
    ctx = Context(AppModel(compute_now=False))
    ctx.app.set_options("geometry-panel", layout=mode, user=False)
    t0 = time.perf_counter()
    made = [views.get(n)(ctx) for n in VIEWS]
    tab = views.tab_builder("Geometry")(ctx, made)
    tab.painter = Painter(ctx, lambda: tab.views, lambda: themes.get(ctx.app.theme))
    tab.resize(*size)
    tab.show()
    tab.painter.draw()
    opened = time.perf_counter() - t0  # then back to the event loop: views build a tick each
    settle(tab)
    ctx.runner.wait()
    return ctx, tab, opened


def wait(ctx, msecs=60_000) -> bool:
    from PySide6 import QtWidgets

    ok = ctx.runner.wait(msecs)
    QtWidgets.QApplication.processEvents()
    return ok


def settle(tab, seconds=0.05):
    """Run the event loop until the tab's queued builds and redraws are done."""
    from PySide6 import QtWidgets

    t0 = time.perf_counter()
    while len(tab.steps) or time.perf_counter() - t0 < seconds:
        QtWidgets.QApplication.processEvents()


def frame_times(tab, ctx, n, *, sampling: bool, seed=0):
    """Seconds from a slider move to a painted frame, ``n`` random moves (the grid's one-a-tick
    redraws flushed, so every view is drawn)."""
    from PySide6 import QtCore, QtWidgets

    runner = ctx.runner
    original = runner.request
    if not sampling:  # the views' own cost only
        runner.request = lambda owner, jobs=(), **k: [None] * len(tuple(jobs))
    rng = np.random.default_rng(seed)
    out = []
    try:
        for pos in rng.integers(0, tab.controls.slider.maximum() + 1, n):
            t0 = time.perf_counter()
            tab.controls.slider.setValue(int(pos))
            tab.steps.flush()
            QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
            tab.grab()
            out.append(time.perf_counter() - t0)
            if sampling:
                wait(ctx)  # the next move starts from a settled panel
    finally:
        runner.request = original
    return out


def step_times(tab, ctx, n, seed=1):
    """Seconds the GUI thread spends in a slider move and in the longest queued redraw."""
    from PySide6 import QtWidgets

    runner = ctx.runner
    original = runner.request
    runner.request = lambda owner, jobs=(), **k: [None] * len(tuple(jobs))
    rng = np.random.default_rng(seed)
    out = []
    try:
        for pos in rng.integers(0, tab.controls.slider.maximum() + 1, n):
            t0 = time.perf_counter()
            tab.controls.slider.setValue(int(pos))
            longest = time.perf_counter() - t0
            while len(tab.steps):
                t0 = time.perf_counter()
                tab.steps._step()
                longest = max(longest, time.perf_counter() - t0)
            out.append(longest)
            QtWidgets.QApplication.processEvents()
    finally:
        runner.request = original
    return out


def timed(fn, runs):
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    n = 12 if args.quick else 40
    runs = 3 if args.quick else 7

    from gui.app import make_app

    app = make_app()
    rows = []

    def row(case, times, target=None):
        ms = [1e3 * t for t in times]
        med = statistics.median(ms)
        p90 = float(np.percentile(ms, 90))
        flag = "-" if target is None else f"{target:.0f} " + ("OK" if med <= target else "SLOW")
        rows.append((case, med, p90, len(ms), flag))

    for size, mode in (((1600, 1000), "tabs"), ((1600, 1000), "grid"), ((1024, 768), "tabs")):
        ctx, tab, opened = make_tab(size, mode)
        label = f"{size[0]}x{size[1]} {mode}"
        row(f"opening the Geometry tab, {label} (GUI thread)", [opened])
        if mode == "tabs":
            for i, (_w, title) in enumerate(tab.cells):
                tab.tabs.setCurrentIndex(i)
                settle(tab)
                row(f"slider -> frame, {label}: {title.replace('&&', '&')} (closed forms)",
                    frame_times(tab, ctx, n, sampling=False), 50)
        else:
            row(f"slider -> frame, {label}: all five + claims (closed forms)",
                frame_times(tab, ctx, n, sampling=False), 50)
            row(f"one slider step on the GUI thread, {label} (views then draw one a tick)",
                step_times(tab, ctx, n), 50)
        if size == (1600, 1000):
            if mode == "tabs":
                tab.tabs.setCurrentIndex(2)  # the angle histograms: most samples
                settle(tab)
            row(f"slider -> frame, {label}{' angles' if mode == 'tabs' else ''}: sampling on",
                frame_times(tab, ctx, max(6, n // 4), sampling=True), 50)
        ctx.runner.cancel()
        wait(ctx)
        tab.close()
        app.processEvents()
        ctx.close()

    row("sample_angles(1000, 10_000)", timed(lambda: geometry.sample_angles(1000, 10_000), runs),
        100)
    row("relative_contrast(1000, 2000)",
        timed(lambda: geometry.relative_contrast(1000, 2000), runs), 200)
    row("sample_angles(10_000, 10_000)",
        timed(lambda: geometry.sample_angles(10_000, 10_000), max(2, runs // 2)))

    # the whole panel's sampling after a D change (default parameters, all five views' keys)
    from gui.model.present.geometry import is_geometry_job

    ctx, tab, _ = make_tab((1600, 1000), "grid")
    app_model = ctx.app
    for D in (100, 1_000, 10_000):
        times = []
        for seed in range(1, 1 + max(2, runs // 2)):
            app_model.set_options("geometry", seed=seed)
            wait(ctx)
            t0 = time.perf_counter()
            old = app_model.options["geometry"].D
            app_model.set_options("geometry", D=D if old != D else D - 1)
            wait(ctx, 120_000)
            times.append(time.perf_counter() - t0)
        row(f"panel sampling after D -> {D:,} (until every view's samples landed)", times)
    # Cancel at D = 10,000
    stops = []
    for k in range(3):
        app_model.set_options("geometry", n_pairs=100_000, seed=100 + k)
        app_model.set_options("geometry", D=10_000 - k)
        t_start = time.perf_counter()
        while ctx.runner.fraction < 0.05 and time.perf_counter() - t_start < 10:
            app.processEvents()
            time.sleep(0.005)
        t0 = time.perf_counter()
        ctx.runner.cancel(predicate=is_geometry_job)
        wait(ctx)
        stops.append(time.perf_counter() - t0)
    row("Cancel during a D = 10,000 run: until the runner is idle", stops, 500)
    tab.close()
    ctx.close()

    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}")
    header = f"{'case':<78} {'median ms':>10} {'p90 ms':>8} {'n':>4} {'target':>9}"
    print(header)
    print("-" * len(header))
    for case, med, p90, count, flag in rows:
        print(f"{case:<78} {med:>10.1f} {p90:>8.1f} {count:>4} {flag:>9}")


if __name__ == "__main__":
    main()
