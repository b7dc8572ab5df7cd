"""Forward + full BPTT time for both models, and what delta_by_source costs on top.

Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python tests/bench/bench_engine.py
Prints a table of medians over repeated runs (one thread).
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import sim  # noqa: E402


def median_ms(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main():
    sizes = [(8, 20), (32, 50), (64, 100), (128, 200)]
    print(f"{'model':<10} {'H':>4} {'T':>4} {'forward':>8} {'backward':>8} {'fwd+bwd':>8} "
          f"{'by_source':>9} {'ratio':>6} {'trunc k=10':>10}")
    for cls in (sim.LSTM, sim.SimpleRNN):
        for H, T in sizes:
            m = cls(16, H, 16, seed=0)
            rng = np.random.default_rng(0)
            xs = rng.standard_normal((T, 16))
            y = rng.integers(0, 16, T)
            tr = m.forward(xs)
            repeat = max(5, int(2000 / (H * T / 40 + 1)))
            f = median_ms(lambda m=m, xs=xs: m.forward(xs), repeat)
            b = median_ms(lambda m=m, tr=tr, y=y: m.backward(tr, y), repeat)
            fb = median_ms(lambda m=m, xs=xs, y=y: m.backward(m.forward(xs), y), repeat)
            bs = median_ms(lambda m=m, tr=tr, y=y: m.backward(tr, y).delta_by_source, repeat)
            tk = median_ms(lambda m=m, tr=tr, y=y: m.backward(tr, y, truncation=10), repeat)
            print(f"{cls.kind:<10} {H:>4} {T:>4} {f:>8.3f} {b:>8.3f} {fb:>8.3f} "
                  f"{bs - b:>9.3f} {(bs - b) / b:>6.2f} {tk:>10.3f}")
    print("ms, medians, one thread. by_source: the extra cost of delta_by_source after a backward;"
          " ratio: that extra / backward. It fills T*T*H numbers, T/2 times more than the deltas.")


if __name__ == "__main__":
    main()
