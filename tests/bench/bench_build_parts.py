"""How long each step of building a view takes when the window builds it while idle.

The window builds a hidden tab's views one step per idle tick (gui/prepare_tabs.py,
:meth:`gui.views.base.View.build_steps`); a step is time in which the window does not respond.
This times every ``next(steps)`` of each registered view's build, over a few rounds after one
warm-up build of every view (the window's visible tab has been built before the idle builds
start, so Qt and pyqtgraph are warm), and prints per view: the number of steps, the longest step
and the total, in ms (the longest over the rounds).

    python tests/bench/bench_build_parts.py                    # every registered view
    python tests/bench/bench_build_parts.py gradient-flow -v   # one view, each step's time
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def step_times(cls, ctx) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms) of each step of ``cls.build_steps(ctx)`` (the last one returns the
    view). The CPU time is the step's own cost, whatever else the machine runs meanwhile."""
    steps = cls.build_steps(ctx)
    wall, cpu = [], []
    while True:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            next(steps)
            view = None
        except StopIteration as done:
            view = done.value
        wall.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
        if view is not None:
            break
    view.setParent(None)
    view.deleteLater()
    return wall, cpu


def _worst(old: list[float], new: list[float]) -> list[float]:
    n = max(len(old), len(new))
    old, new = old + [0.0] * (n - len(old)), new + [0.0] * (n - len(new))
    return [max(a, b) for a, b in zip(old, new, strict=True)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="views to time (default: every view)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each step's time")
    args = parser.parse_args(argv)

    from PySide6 import QtWidgets

    from gui.app import make_app
    from gui.context import Context
    from gui.model.app_model import AppModel
    from gui.views import load

    qapp = make_app()
    registry = load()
    names = args.names or sorted(registry)
    ctx = Context(AppModel())
    for name in names:  # warm-up: Qt's and pyqtgraph's first-use costs are not the view's
        step_times(registry[name], ctx)
    qapp.processEvents()
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for name in names:
            w, c = step_times(registry[name], ctx)
            wall[name] = _worst(wall.get(name, []), w)
            cpu[name] = _worst(cpu.get(name, []), c)
            QtWidgets.QApplication.sendPostedEvents()  # deleteLater, as the idle loop would
            gc.collect()
    print(f"{'view':<22} {'steps':>5} {'longest ms':>11} {'total ms':>9} {'longest CPU ms':>15}")
    for name in names:
        w, c = wall[name], cpu[name]
        print(f"{name:<22} {len(w):>5} {max(w):>11.1f} {sum(w):>9.1f} {max(c):>15.1f}")
        if args.verbose:
            print("    wall: " + " ".join(f"{x:.1f}" for x in w))
            print("    CPU:  " + " ".join(f"{x:.1f}" for x in c))
    print(f"\nms, each step's longest over {args.rounds} rounds after a warm-up build of each "
          "view (offscreen); CPU: the process's CPU time in the step (the wall time also counts "
          "other programs the machine runs)")
    ctx.close()


if __name__ == "__main__":
    main()
