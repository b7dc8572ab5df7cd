"""How the window trains: the training section of a session (one schema).

The learning rate, clipping and truncation are the session's own (``SessionConfig.lr``,
``clip``, ``clip_mode``, ``truncation``): the update the window shows and the updates training
makes use the same numbers. This section holds only what is training's alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.run import SessionConfig
from sim.train import OPTIMIZERS, TrainConfig

from ..schema import Section, choice, integer, number

#: compare presets: label -> (task, settings, T, suggested updates), or None for the session's own
#: task and length. A compare run always makes the section's ``n_updates`` updates; the suggested
#: count is what the preset needs to show its point. On the adding problem with T = 30 a
#: SimpleRNN of ~220 weights stays at the loss of guessing the mean while the LSTM and the GRU of
#: the same size learn. Measured, seed 0, Adam, eta = 0.03, batch 1 (SimpleRNN H = 13, 222
#: weights; LSTM H = 6, 223; GRU H = 7, 218), mean loss over updates 1-500, 501-1000, ...:
#: SimpleRNN 0.119 0.109 0.120 0.115 0.132 0.130 0.126 0.126; LSTM 0.093 0.082 0.089 0.085
#: 0.029 0.0049 0.0038 0.0034; GRU 0.064 0.0034 0.0022 0.0016 0.0014 0.0013 0.0024 0.0017.
COMPARE_TASKS = {
    "adding, T = 30": ("adding", (), 30, 4000),
    "session task": None,
}
MAX_UPDATES = 1_000_000
MAX_BATCH = 1024
MAX_CHUNK = 100


@dataclass(frozen=True)
class TrainingSettings(Section):
    """The training section.

    Attributes
    ----------
    optimizer : "sgd", "momentum" or "adam".
    batch_size : sequences per update, 1..1024.
    n_updates : updates per run, 1..1,000,000.
    temperature : tau of the generated samples, in [0, 10] (0: always the likeliest symbol).
    compare_task : a key of :data:`COMPARE_TASKS`.
    follow : after "One update", bring the unfolded network to the front, where the update
        plays (forward, backward, update).
    chunk : K in 1..100: one update per chunk of K steps of each sequence, the state carried
        from chunk to chunk (the article's truncation: update from a part of the sequence);
        None: one update per sequence.
    """

    section = "training"

    optimizer: str = "adam"
    batch_size: int = 1
    n_updates: int = 2000
    temperature: float = 0.7
    compare_task: str = "adding, T = 30"
    follow: bool = False
    chunk: int | None = None

    def __post_init__(self):
        choice("optimizer", self.optimizer, OPTIMIZERS)
        object.__setattr__(self, "batch_size", integer("batch_size", self.batch_size, 1,
                                                       MAX_BATCH))
        object.__setattr__(self, "n_updates", integer("n_updates", self.n_updates, 1,
                                                      MAX_UPDATES))
        object.__setattr__(self, "temperature", number("temperature", self.temperature, 0.0,
                                                       10.0))
        choice("compare_task", self.compare_task, tuple(COMPARE_TASKS))
        if not isinstance(self.follow, bool):
            raise ValueError(f"follow must be true or false, got {self.follow!r}")
        if self.chunk is not None:
            object.__setattr__(self, "chunk", integer("chunk", self.chunk, 1, MAX_CHUNK))

    def train_config(self, config: SessionConfig, **changes) -> TrainConfig:
        """The engine's TrainConfig for training ``config``'s model with these settings: the
        session's lr, clipping and truncation, its length T, and its sample first."""
        values = dict(optimizer=self.optimizer, lr=config.lr, clip=config.clip,
                      clip_mode=config.clip_mode, truncation=config.truncation,
                      batch_size=self.batch_size, length=config.length,
                      seed=config.input_seed, chunk=self.chunk)
        values.update(changes)
        return TrainConfig(**values)


def truncation_note(truncation: int | None, chunk: int | None) -> str:
    """Which truncation is on, in words (the two the articles mean)."""
    parts = []
    if truncation is not None:
        parts.append(f"Truncation k = {truncation}: errors travel back at most k − 1 = "
                     f"{truncation - 1} steps within each pass.")
    if chunk is not None:
        parts.append(f"Chunks of K = {chunk}: one update every {chunk} steps, the state carried "
                     f"from chunk to chunk, no error crossing a chunk's start.")
    if not parts:
        return "Full BPTT: every error travels back to step 1; one update per sequence."
    if chunk is None:
        parts.append("One update per sequence.")
    return " ".join(parts)
