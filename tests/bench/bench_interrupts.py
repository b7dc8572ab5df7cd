"""Interrupts at random moments: SIGINT and SIGTERM sent 20 times each (random delays) to a
60-frame GIF export and to --export-all. Counts crashes (a negative status other than the
signal's), stray temporary files, wrong exit statuses and half-written outputs.

    python tests/bench/bench_interrupts.py        # target: 0 crashes, 0 stray, 0 wrong
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
RUNS = 20
EXPECTED = {signal.SIGINT: 130, signal.SIGTERM: 143}
SESSION = ('{"format": "unfold-session", "version": 2, "config": {"model": "SimpleRNN", '
           '"hidden": 6, "length": 30, "task": "adding"}}')


def one(kind: str, sig: int, delay: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="unfold-int-"))
    if kind == "gif":  # T = 30: 61 frames, forward 1..30, backward 30..1, the update
        session = folder.parent / f"{folder.name}-session.json"
        session.write_text(SESSION)
        argv = ["--export-animation", str(folder / "a.gif"), "--width", "400",
                "--session", str(session)]
    else:
        argv = ["--export-all", str(folder), "--width", "300"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    sent = time.perf_counter()
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    stopped = time.perf_counter() - sent
    stray = [q.name for q in folder.iterdir() if q.name.startswith(".")]
    files = [q for q in folder.iterdir() if not q.name.startswith(".")]
    broken = 0
    for f in files:
        try:
            with Image.open(f) as im:
                im.load()
        except Exception:  # noqa: BLE001 - any unreadable output counts
            broken += 1
    code = p.returncode
    ok_code = code in (EXPECTED[sig], 0)
    crash = code < 0 or "Segmentation" in err or "Traceback" in err
    return {"code": code, "crash": crash, "stray": len(stray), "wrong": not ok_code,
            "broken": broken, "stop_s": stopped, "total_s": time.perf_counter() - t0}


def main() -> None:
    rng = random.Random(0)
    print("| export | signal | runs | crashes | stray files | wrong status | broken files |"
          " interrupted | longest stop (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, span in (("gif", (0.4, 5.0)), ("export-all", (0.4, 9.0))):
        for sig in (signal.SIGINT, signal.SIGTERM):
            rows = [one(kind, sig, rng.uniform(*span)) for _ in range(RUNS)]
            interrupted = sum(r["code"] == EXPECTED[sig] for r in rows)
            print(f"| {kind} | {signal.Signals(sig).name} | {RUNS} | "
                  f"{sum(r['crash'] for r in rows)} | {sum(r['stray'] for r in rows)} | "
                  f"{sum(r['wrong'] for r in rows)} | {sum(r['broken'] for r in rows)} | "
                  f"{interrupted} | {max(r['stop_s'] for r in rows):.2f} |", flush=True)


if __name__ == "__main__":
    main()
