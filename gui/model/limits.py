"""The window's caps on a session: smaller than the engine's, so every view stays responsive.

The engine accepts H <= 256 and T <= 1000 (``sim._checks``); a session shown in the window keeps
H <= 64 and T <= 100, the sizes the views are measured at (tests/bench/bench_stalls.py).
"""

from __future__ import annotations

MAX_HIDDEN = 64
MAX_LENGTH = 100


def check_config(config) -> None:
    """ValueError naming the field when ``config`` (a sim.run.SessionConfig) exceeds the caps."""
    for name, value, cap in (("hidden", config.hidden, MAX_HIDDEN),
                             ("length", config.length, MAX_LENGTH),
                             ("truncation", config.truncation, MAX_LENGTH)):
        if value is not None and value > cap:
            raise ValueError(f"{name} must be <= {cap} in the window, got {value}")
    if config.model == "Seq2Seq" and config.length > MAX_LENGTH // 2:
        raise ValueError(f"length must be <= {MAX_LENGTH // 2} for a Seq2Seq model in the "
                         f"window (encoder and decoder: {MAX_LENGTH} steps), got "
                         f"{config.length}")
