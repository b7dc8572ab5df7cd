"""A simple RNN fails at a delay where an LSTM succeeds (delayed recall).

Run: python tests/bench/bench_learning.py [delay]
Trains both on the same task, seed and optimiser with about the same number of parameters, and
prints both accuracy curves and their final accuracies.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import sim  # noqa: E402
from sim import tasks, train  # noqa: E402


def n_params(model) -> int:
    return sum(v.size for v in model.params.values())


def main(delay: int = 10, updates: int = 3000, every: int = 500):
    task = tasks.make("delayed-recall", delay=delay)
    T = delay + 8
    lstm = sim.LSTM(task.n_in, 16, task.n_out, seed=0)
    rnn = sim.SimpleRNN(task.n_in, 38, task.n_out, seed=0)  # about as many parameters
    cfg = train.TrainConfig(optimizer="adam", lr=0.05, clip=5.0, batch_size=8, length=T, seed=0)
    print(f"delayed recall, delay {delay}, T = {T}; LSTM H=16 ({n_params(lstm)} parameters), "
          f"SimpleRNN H=38 ({n_params(rnn)} parameters); Adam lr 0.05, clip 5, batch 8")
    print(f"{'updates':>8} {'LSTM acc':>9} {'RNN acc':>9}")
    trainers = {"lstm": train.Trainer(lstm, task, cfg), "rnn": train.Trainer(rnn, task, cfg)}
    t0 = time.perf_counter()
    final = {}
    for u in range(every, updates + 1, every):
        for name, tr in trainers.items():
            for _ in range(every):
                tr.step()
            final[name] = train.evaluate(tr.model, task, T, n=64)[1]
        print(f"{u:>8} {final['lstm']:>9.3f} {final['rnn']:>9.3f}")
    print(f"final accuracy: LSTM {final['lstm']:.3f}, SimpleRNN {final['rnn']:.3f} "
          f"(chance 0.25; {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
