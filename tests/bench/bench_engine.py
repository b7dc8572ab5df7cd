"""Forward + full BPTT time for every model, and what delta_by_source costs on top.

Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python tests/bench/bench_engine.py
Prints two tables (one thread): medians for SimpleRNN and LSTM at four sizes, then every model at
(H, T) = (32, 50) beside the LSTM, best of interleaved rounds (a Seq2Seq reads 25 steps and
writes 25: 50 on its time axis). The goal for the second: each within 2x of the LSTM.
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
    print()
    compare_models()


def models_at(H: int, I: int = 16, O: int = 16):
    """name -> model, each of the kinds and cells the engine has."""
    out = {"LSTM": sim.LSTM(I, H, O, seed=0), "SimpleRNN": sim.SimpleRNN(I, H, O, seed=0),
           "GRU": sim.GRU(I, H, O, seed=0)}
    for cell in ("rnn", "lstm", "gru"):
        out[f"Bi-{cell}"] = sim.BidirectionalRNN(I, H, O, cell=cell, seed=0)
    for cell in ("rnn", "lstm", "gru"):
        out[f"Seq2Seq-{cell}"] = sim.Seq2Seq(I, H, O, cell=cell, seed=0)
    return out


def compare_models(H: int = 32, T: int = 50, rounds: int = 40):
    """Every model at one size; rounds interleave the models so that a busy machine slows all."""
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((T, 16))
    y = rng.integers(0, 16, T)
    half = T // 2
    jobs = {}
    for name, m in models_at(H).items():
        if isinstance(m, sim.Seq2Seq):  # 25 steps read, 25 written: T on its axis
            def fwd(m=m):
                return m.forward(xs[:half], y[half:])

            jobs[name] = (fwd, lambda tr, m=m: m.backward(tr, y[half:]))
            jobs[f"{name} free"] = (lambda m=m: m.forward(xs[:half], steps=T - half),
                                    lambda tr, m=m: m.backward(tr, y[half:]))
        else:
            jobs[name] = (lambda m=m: m.forward(xs), lambda tr, m=m: m.backward(tr, y))
    times = {name: {"fwd": [], "bwd": [], "both": []} for name in jobs}
    traces = {name: f() for name, (f, _) in jobs.items()}
    for _ in range(rounds):
        for name, (f, b) in jobs.items():
            t0 = time.perf_counter()
            f()
            t1 = time.perf_counter()
            b(traces[name])
            t2 = time.perf_counter()
            b(f())
            t3 = time.perf_counter()
            for key, dt in (("fwd", t1 - t0), ("bwd", t2 - t1), ("both", t3 - t2)):
                times[name][key].append(1000 * dt)
    # the best of the rounds: what the code costs when the (shared) machine leaves it alone
    best = {name: {k: min(v) for k, v in d.items()} for name, d in times.items()}
    ref = best["LSTM"]["both"]
    print(f"every model at H = {H}, T = {T}; ratio = fwd+bwd / the LSTM's (goal: <= 2)")
    print(f"{'model':<18} {'forward':>8} {'backward':>8} {'fwd+bwd':>8} {'ratio':>6}")
    for name, d in best.items():
        print(f"{name:<18} {d['fwd']:>8.3f} {d['bwd']:>8.3f} {d['both']:>8.3f} "
              f"{d['both'] / ref:>6.2f}")
    print(f"ms, best of {rounds} interleaved rounds, one thread. Seq2Seq: teacher forcing; "
          "'free': the decoder feeds itself, one step per call.")


if __name__ == "__main__":
    main()
