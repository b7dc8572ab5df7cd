"""Headless training from the command line: ``python main.py --train 2000 --summary`` on the
default session (LSTM, H = 6, T = 12, delayed-recall), wall-clock time of the whole process
(start-up, 2,000 updates, the summary), median of three; plus the start-up alone, and the size
of the session file that holds a 20,000-point history.

Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python tests/bench/bench_train_cli.py
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
N = 2000
REPEAT = 3


def timed(argv: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{argv} failed ({r.returncode}): {r.stderr}")
    return dt


def history_file_size() -> int:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from gui.model import session_file
    from gui.model.training import headless
    from gui.model.training.history import METRICS
    from gui.model.training.saved import MAX_POINTS
    from sim.run import SessionConfig

    session = session_file.Session(config=SessionConfig())
    run = headless.session_run(session)
    rows = np.random.default_rng(0).random((5 * MAX_POINTS, len(METRICS)))
    rows[:, 0] = np.arange(1, 5 * MAX_POINTS + 1)
    run.series[0].extend(rows)
    return len(session_file.dumps(headless.trained_session(session, run)))


def main() -> None:
    times = [timed(["--train", str(N), "--summary"]) for _ in range(REPEAT)]
    print(f"python main.py --train {N} --summary: median {statistics.median(times):.2f} s "
          f"(of {', '.join(f'{t:.2f}' for t in times)}), "
          f"{N / statistics.median(times):.0f} updates/s including start-up")
    summary = [timed(["--summary"]) for _ in range(REPEAT)]
    print(f"python main.py --summary (start-up alone): median {statistics.median(summary):.2f} s")
    print(f"session file with a full 20,000-point history: {history_file_size() / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
