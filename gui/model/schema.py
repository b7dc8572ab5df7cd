"""Settings sections as frozen, validated dataclasses: one schema per section of a session file,
the same one the application model holds.

A section class subclasses :class:`Section` and checks its fields in ``__post_init__`` with the
helpers below, whose messages name the field and say what was expected ("D must be an integer in
1..10000, got -1"). :meth:`Section.from_dict` reads a JSON object (unknown keys refused, lists
turned into tuples) and :meth:`Section.to_dict` writes one.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import ClassVar


class Section:
    """Mixin for frozen dataclasses that are one section of the settings."""

    #: how the section is called in messages and session files
    section: ClassVar[str] = ""

    def replace(self, **changes):
        """A copy with ``changes`` (validated; ValueError naming a bad or unknown field)."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown {self.section} setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **{k: _tuples(v) for k, v in changes.items()})

    def to_dict(self) -> dict:
        """JSON-ready values (tuples become lists)."""
        return {f.name: _lists(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data):
        """Validate a JSON object; ValueError naming the first bad field as ``section.field``."""
        if not isinstance(data, dict):
            raise ValueError(f"{cls.section} must be an object, got {type(data).__name__}")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown {cls.section} field {unknown[0]!r} "
                             f"(known: {', '.join(sorted(names))})")
        try:
            return cls(**{k: _tuples(v) for k, v in data.items()})
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{cls.section}.{exc}") from None


def _tuples(v):
    return tuple(_tuples(x) for x in v) if isinstance(v, list) else v


def _lists(v):
    return [_lists(x) for x in v] if isinstance(v, tuple) else v


# -- field checks: each returns the value in its canonical type or raises ValueError ------------

def integer(name: str, value, lo: int, hi: int) -> int:
    """An int in lo..hi (an integral float such as 3.0 from JSON is accepted)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        raise ValueError(f"{name} must be an integer in {lo}..{hi}, got {value!r}")
    return int(value)


def number(name: str, value, lo: float, hi: float, *, open_lo: bool = False,
           open_hi: bool = False) -> float:
    """A finite float in [lo, hi] (or open at either end)."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Real)
          and math.isfinite(value))
    if ok:
        v = float(value)
        ok = (v > lo if open_lo else v >= lo) and (v < hi if open_hi else v <= hi)
    if not ok:
        left, right = "(" if open_lo else "[", ")" if open_hi else "]"
        raise ValueError(f"{name} must be a number in {left}{lo:g}, {hi:g}{right}, got {value!r}")
    return float(value)


def choice(name: str, value, options) -> str:
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}, "
                         f"got {value!r}")
    return value


def boolean(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return value
