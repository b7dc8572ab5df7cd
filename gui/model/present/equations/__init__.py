"""The equations the engine evaluates at the cursor, with one unit's numbers substituted, and
their typesetting as jobs.

- :mod:`.expr`: substituted expressions (trees that evaluate to what they show);
- :mod:`.latex`: the symbolic lines in the articles' notation;
- :mod:`.steps`: :func:`equations_at`, every equation of one cursor step;
- :mod:`.typeset`: :class:`TypesetJob`, one LaTeX line -> SVG bytes off the GUI thread.

Nothing here imports Qt: numbers are written by :func:`gui.model.present.numbers.fmt`, rich text
is a plain HTML string.
"""

from .expr import (
    FUNCTIONS,
    MAX_TERMS,
    Add,
    Div,
    Exp,
    Fn,
    Mul,
    Node,
    Num,
    Square,
    Sub,
    one_minus,
    shown,
)
from .latex import ALL_KEYS, KEYS, KINDS, all_symbolic, symbolic
from .steps import (
    FOCUS_REASON,
    Equation,
    StepEquations,
    equations_at,
    focus_key,
    output_unit,
    supports,
)
from .typeset import TypesetJob

__all__ = [
    "ALL_KEYS", "FOCUS_REASON", "FUNCTIONS", "KEYS", "KINDS", "MAX_TERMS", "Add", "Div",
    "Equation", "Exp", "Fn", "Mul", "Node", "Num", "Square", "StepEquations", "Sub",
    "TypesetJob", "all_symbolic", "equations_at", "focus_key", "one_minus", "output_unit",
    "shown", "supports", "symbolic",
]
