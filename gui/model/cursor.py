"""The cursor: which moment of forward -> backward -> update the views show.

``(phase, t)``: forward t = 1..T, then backward t = T..1, then the one parameter update.
"""

from __future__ import annotations

from dataclasses import dataclass

PHASES = ("forward", "backward", "update")


def _phase(value) -> str:
    if value not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(repr(p) for p in PHASES)}, "
                         f"got {value!r}")
    return value


@dataclass(frozen=True, order=True)
class Cursor:
    """A moment of the sequence forward t = 1..T, backward t = T..1, then the update.

    ``frame`` numbers the moments 0..2T: forward t is frame t - 1, backward t is frame 2T - t,
    the update is frame 2T.
    """

    phase: str = "forward"
    t: int = 1

    def __post_init__(self):
        _phase(self.phase)

    @staticmethod
    def n_frames(T: int) -> int:
        return 2 * T + 1

    @classmethod
    def from_frame(cls, frame: int, T: int) -> Cursor:
        frame = int(min(max(frame, 0), 2 * T))
        if frame < T:
            return cls("forward", frame + 1)
        if frame < 2 * T:
            return cls("backward", 2 * T - frame)
        return cls("update", T)

    def frame(self, T: int) -> int:
        if self.phase == "forward":
            return self.t - 1
        if self.phase == "backward":
            return 2 * T - self.t
        return 2 * T

    def clamp(self, T: int) -> Cursor:
        """The nearest valid cursor for sequence length T (same phase, t clipped to 1..T)."""
        if self.phase == "update":
            return Cursor("update", T)
        return Cursor(self.phase, min(max(self.t, 1), T))

    @classmethod
    def parse(cls, text: str, T: int) -> Cursor:
        """Parse "forward:3", "backward:7", "update", "backward" (its first moment, t = T)."""
        phase, _, t = str(text).partition(":")
        phase = phase.strip()
        _phase(phase)
        if not t:
            return cls(phase, 1 if phase == "forward" else T)
        try:
            step = int(t)
        except ValueError:
            raise ValueError(f"step must be an integer, got {t!r}") from None
        if not 1 <= step <= T:
            raise ValueError(f"step must be in 1..{T}, got {step}")
        return cls(phase, step)
