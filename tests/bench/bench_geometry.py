"""Benchmark sim.geometry: median wall time of the geometry panel's Monte Carlo and closed forms.

Run from the repository root::

    python tests/bench/bench_geometry.py            # full table (about half a minute)
    python tests/bench/bench_geometry.py --quick    # skip D = 10,000 angles

Not collected by pytest (bench_*.py). Each case runs at least ``--min-runs`` times and until about
``--budget`` seconds have been spent on it; the table gives the median and the fastest run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

import numpy as np  # noqa: E402

from sim import geometry  # noqa: E402

# targets from the geometry issue (ms); cases without one print "-"
TARGETS_MS = {
    ("sample_angles", 1000, "cube"): 100.0,
    ("relative_contrast", 1000, ""): 200.0,
}


def time_case(fn, *, min_runs: int, max_runs: int, budget_s: float) -> list[float]:
    """Wall times (s) of repeated ``fn()`` calls, after one untimed warm-up call."""
    fn()
    times: list[float] = []
    spent = 0.0
    while len(times) < min_runs or (spent < budget_s and len(times) < max_runs):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the D = 10,000 angle cases")
    parser.add_argument("--min-runs", type=int, default=3)
    parser.add_argument("--max-runs", type=int, default=25)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per case")
    args = parser.parse_args(argv)

    cases = []
    angle_dims = (2, 100, 1000) if args.quick else (2, 100, 1000, 10_000)
    for D in angle_dims:
        for sampler in geometry.SAMPLERS:
            cases.append(
                (
                    ("sample_angles", D, sampler),
                    f"sample_angles(D={D}, 10_000, sampler={sampler!r})",
                    lambda D=D, s=sampler: geometry.sample_angles(D, 10_000, sampler=s),
                )
            )
    for D in (2, 100, 1000):
        cases.append(
            (
                ("relative_contrast", D, ""),
                f"relative_contrast(D={D}, 2000)",
                lambda D=D: geometry.relative_contrast(D, 2000),
            )
        )
    D_all = np.arange(1, 10_001)
    cases.append(
        (
            ("ball_volume", 10_000, ""),
            "ball_volume(D=1..10000)",
            lambda: geometry.ball_volume(D_all),
        )
    )
    cases.append(
        (
            ("angle_sd", 1, ""),
            "angle_sd(D) one value",
            lambda: geometry.angle_sd(1000),
        )
    )

    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}")
    header = f"{'case':<48} {'median ms':>10} {'min ms':>9} {'runs':>5} {'target ms':>10}"
    print(header)
    print("-" * len(header))
    for key, label, fn in cases:
        times = time_case(fn, min_runs=args.min_runs, max_runs=args.max_runs, budget_s=args.budget)
        median_ms = 1e3 * statistics.median(times)
        target = TARGETS_MS.get(key)
        if target is None:
            flag = "-"
        else:
            flag = f"{target:.0f} " + ("OK" if median_ms <= target else "SLOW")
        print(f"{label:<48} {median_ms:>10.2f} {1e3 * min(times):>9.2f} {len(times):>5} {flag:>10}")


if __name__ == "__main__":
    main()
