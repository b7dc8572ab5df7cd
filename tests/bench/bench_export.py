"""Headless export: the command line's wall time, a 60-frame GIF of a backward pass, the GIF's
colour error on the categorical colours, a slide of every view, and headless training.

Each command runs three times (the median is printed) with the CPU time it used beside it: on a
shared machine the wall time follows the load (printed at the start and the end), the CPU time
much less. ``--slides`` runs only the slides.

Run: python tests/bench/bench_export.py [--slides]
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(argv, repeat=3) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``python main.py argv``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                           capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if r.returncode != 0:
            raise SystemExit(r.stderr)
    return statistics.median(times), statistics.median(cpu)


def wall(argv, repeat=3) -> float:
    return timed(argv, repeat)[0]


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def main():
    print(load())
    with tempfile.TemporaryDirectory() as d:
        if "--slides" not in sys.argv:
            commands(d)
        slides(d)
    print(load())


def commands(d):
    print(f"{'command':<66} {'median s':>9} {'cpu s':>6}")
    for argv in (["--view", "network", "--export", f"{d}/n.png"],
                 ["--view", "network", "--export", f"{d}/n.svg"],
                 ["--view", "lstm-circuit", "--export", f"{d}/c.png"],
                 ["--view", "geometry-angles", "--export", f"{d}/g.png"]):
        w, c = timed(argv)
        print(f"{'python main.py ' + ' '.join(argv[:4]).replace(d, '.'):<66} {w:>9.2f} {c:>6.2f}")
    session = Path(d) / "s.json"
    session.write_text('{"format": "unfold-session", "version": 1, "config": '
                       '{"model": "LSTM", "hidden": 6, "length": 60, '
                       '"task": "delayed-recall"}}')
    argv = ["--session", str(session), "--view", "network", "--export-animation",
            f"{d}/b.gif", "--from", "backward:60", "--to", "backward:1", "--width", "800"]
    print(f"{'60-frame GIF of the backward pass (T = 60), 800 px':<66} "
          f"{wall(argv, repeat=1):>9.2f}")
    print(f"{'python main.py --train 2000 --summary (default session)':<66} "
          f"{wall(['--train', '2000', '--summary'], repeat=1):>9.2f}")
    print()
    print(f"GIF colour error on categorical colours (max |RGB| difference, goal <= 3): "
          f"{gif_colour_error(Path(d) / 'e.gif')}")


def slides(d):
    print()
    print(f"{'slide (--slide, 1600 px) of view':<40} {'wall s':>8} {'cpu s':>6}  (goal <= 2.5 s)")
    names = subprocess.run([sys.executable, "main.py", "--list-views"], cwd=ROOT,
                           capture_output=True, text=True).stdout.split()
    for name in names:
        w, c = timed(["--view", name, "--slide", "--export", f"{d}/{name}.png"])
        print(f"{name:<40} {w:>8.2f} {c:>6.2f}")


def gif_colour_error(path) -> int:
    """Render a backward pass in process, write it as GIF, read it back: the largest RGB
    difference at pixels whose source colour is one of the views' categorical colours."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from PIL import Image
    from PySide6 import QtWidgets

    _ = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    sys.path.insert(0, str(ROOT))
    from gui import export, gif
    from gui.context import Context
    from gui.model.app_model import AppModel
    from gui.model.cursor import Cursor
    from sim.run import SessionConfig

    ctx = Context(AppModel(SessionConfig(model="LSTM", hidden=6, length=12)))
    view = export.make_view("network", ctx)
    cursors = [Cursor("forward", 6)] + [Cursor("backward", t) for t in range(12, 0, -1)]
    frames = list(export.render_frames(view, ctx, cursors, width=800))
    gif.write_gif(frames, path, fps=8)
    cats = gif.categorical_colors().astype(int)  # (n, 3)
    worst = 0
    with Image.open(path) as im:
        for i, src in enumerate(frames):
            im.seek(i)
            got = np.asarray(im.convert("RGB")).astype(int)
            flat = src.reshape(-1, 3).astype(int)
            exact = (np.abs(flat[:, None, :] - cats[None]).max(axis=2) == 0).any(axis=1)
            if exact.any():
                diff = np.abs(got.reshape(-1, 3)[exact] - flat[exact]).max()
                worst = max(worst, int(diff))
    view.close()
    return worst


if __name__ == "__main__":
    main()
