"""The cliff's loss surface and descent: medians of repeated runs (a script, not a test).

Run: python tests/bench/bench_landscape.py
"""

import statistics
import sys
import time
from pathlib import Path

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


def main():
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


if __name__ == "__main__":
    main()
