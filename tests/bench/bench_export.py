"""Headless export: the command line's wall time, and a 60-frame GIF of a backward pass.

Run: python tests/bench/bench_export.py
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wall(argv, repeat=3):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                           capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            raise SystemExit(r.stderr)
    return statistics.median(times)


def main():
    with tempfile.TemporaryDirectory() as d:
        print(f"{'command':<66} {'median s':>9}")
        for argv in (["--view", "network", "--export", f"{d}/n.png"],
                     ["--view", "network", "--export", f"{d}/n.svg"],
                     ["--view", "lstm-circuit", "--export", f"{d}/c.png"],
                     ["--view", "geometry-angles", "--export", f"{d}/g.png"]):
            print(f"{'python main.py ' + ' '.join(argv[:4]).replace(d, '.'):<66} "
                  f"{wall(argv):>9.2f}")
        session = Path(d) / "s.json"
        session.write_text('{"format": "unfold-session", "version": 1, "config": '
                           '{"model": "LSTM", "hidden": 6, "length": 60, '
                           '"task": "delayed-recall"}}')
        argv = ["--session", str(session), "--view", "network", "--export-animation",
                f"{d}/b.gif", "--from", "backward:60", "--to", "backward:1", "--width", "800"]
        print(f"{'60-frame GIF of the backward pass (T = 60), 800 px':<66} "
              f"{wall(argv, repeat=1):>9.2f}")


if __name__ == "__main__":
    main()
