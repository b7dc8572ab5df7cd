"""The random-action storm (tests/gui/test_fuzz.py) over twelve seeds: 520 actions each against
the whole window. The suite runs one seed of 260; this runs 0..11 and prints one line per seed.

    python tests/bench/bench_fuzz.py              # target: 12 passed, 0 exceptions
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(12)


def main() -> None:
    rows = []
    for seed in SEEDS:
        env = dict(os.environ, UNFOLD_FUZZ_SEEDS=str(seed), UNFOLD_FUZZ_ACTIONS="520",
                   QT_QPA_PLATFORM="offscreen")
        t0 = time.perf_counter()
        argv = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
                "tests/gui/test_fuzz.py"]
        r = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        out = r.stdout + r.stderr
        errors = re.findall(r"^E\s+(\w+(?:Error|Exception)[^\n]*)", out, flags=re.M)
        status = "passed" if r.returncode == 0 else "FAILED"
        rows.append((seed, status, len(errors), seconds, errors[:1]))
        print(f"seed {seed:2d}: {status}, {len(errors)} exceptions, {seconds:5.1f} s"
              + (f"  ({errors[0][:120]})" if errors else ""), flush=True)
    passed = sum(r[1] == "passed" for r in rows)
    print(f"\n{passed} of {len(rows)} seeds passed, {sum(r[2] for r in rows)} exceptions, "
          f"{520 * len(rows)} actions")


if __name__ == "__main__":
    main()
