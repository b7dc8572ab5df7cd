"""Characters of a text task under each column: the input, the target, the most likely output."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as _escape

import numpy as np


@dataclass(frozen=True)
class ColumnText:
    """(T,) strings per column: the input character x(t), the target, the most likely output
    (argmax of ŷ(t)); a space is shown as '␣'."""

    inputs: tuple[str, ...]
    targets: tuple[str, ...]
    predicted: tuple[str, ...]


def _visible(c: str) -> str:
    return "␣" if c == " " else c


def column_text(result) -> ColumnText | None:
    """The characters of a char-text session, or None for tasks whose symbols are not text."""
    task = result.task
    if not hasattr(task, "decode"):
        return None
    xs = np.asarray(result.sample.xs)  # (T, V) one-hot inputs
    inputs = task.decode(np.argmax(xs, axis=1))
    targets = task.decode(np.asarray(result.sample.targets, dtype=np.int64))
    with np.errstate(invalid="ignore"):
        guess = np.nan_to_num(np.asarray(result.forward.y_hat), nan=-1.0)  # (T, V)
    predicted = task.decode(np.argmax(guess, axis=1))
    return ColumnText(tuple(map(_visible, inputs)), tuple(map(_visible, targets)),
                      tuple(map(_visible, predicted)))


def _esc(c: str) -> str:
    return _escape(c, quote=False)  # a bare < would start a tag in rich text


def column_chars_html(chars, i: int, t_enc: int, fg: str, muted: str) -> str:
    """Rich text under column ``i`` (0-based) of a text task: the character read, then the
    target and the most likely output. An encoder-decoder reads its characters in its first
    ``t_enc`` columns and writes its targets in the others; a one-cell model does both in every
    column."""
    read = i if not t_enc else (i if i < t_enc else None)
    written = i if not t_enc else (i - t_enc if i >= t_enc else None)
    lines = []
    if read is not None and read < len(chars.inputs):
        lines.append(f"<span style='color:{fg}'><b>{_esc(chars.inputs[read])}</b></span>")
    if written is not None and written < len(chars.targets):
        lines.append(f"<span style='color:{muted}'>→{_esc(chars.targets[written])}"
                     f" ({_esc(chars.predicted[written])})</span>")
    return "<br>".join(lines)
