"""What each architecture can learn, shown on small tasks (one seed, one thread).

Run: python tests/bench/bench_learning.py [delay]

1. Delayed recall: SimpleRNN, LSTM and GRU with about the same number of parameters. The gated
   models remember across the delay, the simple RNN stays near chance.
2. Next-word: an LSTM and a bidirectional LSTM. On the steps whose class depends on the next word
   the one-directional model cannot beat a coin toss; the bidirectional one reads the answer.
3. Reverse: a seq2seq LSTM, trained with teacher forcing, decoding free-running; beside it an
   LSTM reading and answering at once, which cannot know the first half of its answer yet.

Each table prints accuracy as training goes, then the time taken.
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import sim  # noqa: E402
from sim import tasks, train  # noqa: E402


def n_params(model) -> int:
    return sum(v.size for v in model.params.values())


def race(trainers: dict, updates: int, every: int, score) -> dict:
    """Train every model ``every`` updates at a time; print ``score(model)`` after each round."""
    print(f"{'updates':>8} " + " ".join(f"{name:>22}" for name in trainers))
    t0 = time.perf_counter()
    final = {}
    for u in range(every, updates + 1, every):
        for name, tr in trainers.items():
            for _ in range(every):
                tr.step()
            final[name] = score(name, tr.model)
        print(f"{u:>8} " + " ".join(f"{final[name]:>22}" for name in trainers))
    print(f"({time.perf_counter() - t0:.0f} s)")
    return final


def delayed_recall(delay: int = 5, updates: int = 1500, every: int = 250) -> None:
    task = tasks.make("delayed-recall", delay=delay)
    T = delay + 8
    models = {"SimpleRNN H=38": sim.SimpleRNN(task.n_in, 38, task.n_out, seed=0),
              "LSTM H=16": sim.LSTM(task.n_in, 16, task.n_out, seed=0),
              "GRU H=19": sim.GRU(task.n_in, 19, task.n_out, seed=0)}
    cfg = train.TrainConfig(optimizer="adam", lr=0.05, clip=5.0, batch_size=8, length=T, seed=0)
    sizes = ", ".join(f"{name} ({n_params(m)} parameters)" for name, m in models.items())
    print(f"1. delayed recall, delay {delay}, T = {T}: {sizes}; Adam lr 0.05, clip 5, batch 8. "
          "Accuracy on 64 fresh sequences (chance 0.25):")
    trainers = {name: train.Trainer(m, task, cfg) for name, m in models.items()}
    race(trainers, updates, every,
         lambda name, m: f"{train.evaluate(m, task, T, n=64)[1]:.3f}")


def next_word(updates: int = 300, every: int = 50) -> None:
    task = tasks.make("next-word")
    T = 12
    models = {"LSTM H=12": sim.LSTM(task.n_in, 12, task.n_out, seed=0),
              "Bi-LSTM H=8": sim.BidirectionalRNN(task.n_in, 8, task.n_out, cell="lstm",
                                                  seed=0)}
    cfg = train.TrainConfig(optimizer="adam", lr=0.02, clip=5.0, batch_size=8, length=T, seed=0)
    sizes = ", ".join(f"{name} ({n_params(m)} parameters)" for name, m in models.items())
    print(f"2. next-word, T = {T}: {sizes}; Adam lr 0.02, batch 8. Accuracy on the ambiguous "
          "steps (class = the next word's; chance 0.5) / on the other steps, 100 sequences:")

    def score(name, m):
        right = {True: 0, False: 0}
        count = {True: 0, False: 0}
        for s in task.batch(T, 100, seed=999):
            ok = m.forward(s.xs).y_hat.argmax(axis=1) == s.targets  # (T,)
            future = task.future_dependent(s)  # (T,)
            for f in (True, False):
                right[f] += int(ok[future == f].sum())
                count[f] += int((future == f).sum())
        return f"{right[True] / count[True]:.3f} / {right[False] / count[False]:.3f}"

    trainers = {name: train.Trainer(m, task, cfg) for name, m in models.items()}
    race(trainers, updates, every, score)


def reverse(T: int = 8, updates: int = 1500, every: int = 250) -> None:
    task = tasks.make("reverse", n_symbols=4)
    models = {"Seq2Seq-LSTM H=32": sim.Seq2Seq(task.n_in, 32, task.n_out, cell="lstm", seed=0),
              "LSTM H=48 (at once)": sim.LSTM(task.n_in, 48, task.n_out, seed=0)}
    cfg = train.TrainConfig(optimizer="adam", lr=0.02, clip=5.0, batch_size=16, length=T,
                            seed=0)
    sizes = ", ".join(f"{name} ({n_params(m)} parameters)" for name, m in models.items())
    print(f"3. reverse {T} symbols of 4: {sizes}; Adam lr 0.02, batch 16; the seq2seq decoder "
          "trained with teacher forcing, scored free-running. Whole-sequence / per-symbol "
          f"accuracy on 100 sequences (chance {0.25 ** T:.0e} / 0.25):")

    def score(name, m):
        seq, step = [], []
        for s in task.batch(T, 100, seed=999):
            y_hat = m.forward_for(s.xs, s.targets, teacher_forcing=False).y_hat  # (T_dec, O)
            seq.append(task.sequence_accuracy(y_hat, s))
            step.append(task.accuracy(y_hat, s))
        return f"{np.mean(seq):.2f} / {np.mean(step):.3f}"

    trainers = {name: train.Trainer(m, task, cfg) for name, m in models.items()}
    race(trainers, updates, every, score)


def main(delay: int = 5) -> None:
    t0 = time.perf_counter()
    delayed_recall(delay)
    print()
    next_word()
    print()
    reverse()
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
