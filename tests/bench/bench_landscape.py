"""The cliff's loss surface and descent: medians of repeated runs.

Run: python tests/bench/bench_landscape.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from sim import landscape as ls  # noqa: E402


def median_ms(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main():
    print(f"{'what':<36} {'median ms':>10}")
    for T in (50, 100):
        for n in (100, 200, 400):
            m = ls.CliffRNN(T=T)
            ms = median_ms(lambda m=m, n=n: ls._surface.__wrapped__(m, ls.DEFAULT_W,
                                                                     ls.DEFAULT_B, n))
            print(f"{f'surface n = {n}, T = {T} (uncached)':<36} {ms:>10.1f}")
    d = ls.default_demo()
    ms = median_ms(lambda: ls.descend(d.model, d.start, d.lr, 100, clip=d.clip))
    print(f"{'descend, 100 steps':<36} {ms:>10.1f}")


if __name__ == "__main__":
    main()
