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
#: SimpleRNN of ~220 weights stays at the loss of guessing the mean while the LSTM of the same
#: size learns (Adam, eta = 0.03, batch 1: its loss drops ~20x between updates ~2000 and ~3000).
COMPARE_TASKS = {
    "adding, T = 30": ("adding", (), 30, 4000),
    "session task": None,
}
MAX_UPDATES = 1_000_000
MAX_BATCH = 1024


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
    """

    section = "training"

    optimizer: str = "adam"
    batch_size: int = 1
    n_updates: int = 2000
    temperature: float = 0.7
    compare_task: str = "adding, T = 30"
    follow: bool = False

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

    def train_config(self, config: SessionConfig, **changes) -> TrainConfig:
        """The engine's TrainConfig for training ``config``'s model with these settings: the
        session's lr, clipping and truncation, its length T, and its sample first."""
        values = dict(optimizer=self.optimizer, lr=config.lr, clip=config.clip,
                      clip_mode=config.clip_mode, truncation=config.truncation,
                      batch_size=self.batch_size, length=config.length,
                      seed=config.input_seed)
        values.update(changes)
        return TrainConfig(**values)
