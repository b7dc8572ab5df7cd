"""Substituted expressions: small trees of the trace's numbers that evaluate to what they show.

Every substituted right-hand side is a tree (:class:`Num`, :class:`Add`, :class:`Mul`, ...):
:meth:`Node.evaluate` gives back the trace's value from the operands' full values, or (``rounded``)
from the operands as displayed; :meth:`Node.text` writes it out, numbers through
:func:`gui.model.present.numbers.fmt`.

>>> Add((Mul((Num(0.41), Num(0.77))), Mul((Num(-0.12), Num(0.93))))).text()
'0.41 × 0.77 + (−0.12) × 0.93'
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from ..numbers import DIGITS, MINUS, TIMES, fmt

#: a sum with more terms than this is shown as its first and last terms around an ellipsis
MAX_TERMS = 7


def shown(v: float) -> float:
    """The value a reader sees: ``v`` rounded to DIGITS significant digits."""
    if not np.isfinite(v) or v == 0:
        return float(v)
    return float(f"{v:.{DIGITS}g}")


# -- expression trees ----------------------------------------------------------------------------

def _sigmoid(x: float) -> float:
    with np.errstate(over="ignore"):
        return float(1.0 / (1.0 + np.exp(-x)))


#: the one-argument functions an expression may apply: name -> (evaluate, plain, rich prefix)
FUNCTIONS = {
    "tanh": (math.tanh, "tanh", "tanh"),
    "sigma": (_sigmoid, "\u03c3", "\u03c3"),
    "tanh2": (lambda x: math.tanh(x) ** 2, "tanh\u00b2", "tanh\u00b2"),
    "relu": (lambda x: max(x, 0.0), "relu", "relu"),
    "relu'": (lambda x: 1.0 if x > 0 else 0.0, "relu\u2032", "relu\u2032"),
}


class Node(ABC):
    """A node of a substituted expression."""

    @abstractmethod
    def evaluate(self, rounded: bool = False) -> float:
        """Its value from the operands' full values, or (``rounded``) as displayed."""

    @abstractmethod
    def text(self, rich: bool = False, lead: bool = True) -> str:
        """How it is written: plain Unicode, or an HTML string (``rich``). ``lead``: it starts
        the line or follows an opening parenthesis, so a leading minus needs no parentheses."""

    @abstractmethod
    def numbers(self) -> list[Num]:
        """Every operand, left to right."""


def _paren(s: str) -> str:
    return f"({s})"


@dataclass(frozen=True)
class Num(Node):
    value: float

    def evaluate(self, rounded: bool = False) -> float:
        return shown(self.value) if rounded else float(self.value)

    def text(self, rich: bool = False, lead: bool = True) -> str:
        s = fmt(self.value)
        return s if lead or not s.startswith(MINUS) else _paren(s)

    def numbers(self) -> list[Num]:
        return [self]


@dataclass(frozen=True)
class Add(Node):
    terms: tuple[Node, ...]

    def evaluate(self, rounded: bool = False) -> float:
        return float(sum(t.evaluate(rounded) for t in self.terms))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        terms = list(self.terms)
        if len(terms) > MAX_TERMS:
            terms = terms[:3] + [None] + terms[-2:]
        parts = []
        for i, term in enumerate(terms):
            if term is None:
                parts.append("\u2026")
            elif isinstance(term, Add):
                parts.append(_paren(term.text(rich)))
            else:
                parts.append(term.text(rich, lead=lead and i == 0))
        return " + ".join(parts)

    def numbers(self) -> list[Num]:
        return [n for t in self.terms for n in t.numbers()]


@dataclass(frozen=True)
class Sub(Node):
    a: Node
    b: Node

    def evaluate(self, rounded: bool = False) -> float:
        return self.a.evaluate(rounded) - self.b.evaluate(rounded)

    def text(self, rich: bool = False, lead: bool = True) -> str:
        a = _paren(self.a.text(rich)) if isinstance(self.a, Add) else self.a.text(rich, lead)
        b = (_paren(self.b.text(rich)) if isinstance(self.b, (Add, Sub))
             else self.b.text(rich, lead=False))
        return f"{a} {MINUS} {b}"

    def numbers(self) -> list[Num]:
        return self.a.numbers() + self.b.numbers()


@dataclass(frozen=True)
class Mul(Node):
    factors: tuple[Node, ...]

    def evaluate(self, rounded: bool = False) -> float:
        out = 1.0
        for f in self.factors:
            out *= f.evaluate(rounded)
        return out

    def text(self, rich: bool = False, lead: bool = True) -> str:
        parts = []
        for i, f in enumerate(self.factors):
            if isinstance(f, (Add, Sub)):
                parts.append(_paren(f.text(rich)))
            else:
                parts.append(f.text(rich, lead=lead and i == 0))
        return f" {TIMES} ".join(parts)

    def numbers(self) -> list[Num]:
        return [n for f in self.factors for n in f.numbers()]


@dataclass(frozen=True)
class Div(Node):
    a: Node
    b: Node

    def evaluate(self, rounded: bool = False) -> float:
        with np.errstate(all="ignore"):
            return float(np.float64(self.a.evaluate(rounded)) / self.b.evaluate(rounded))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        a = (_paren(self.a.text(rich)) if isinstance(self.a, (Add, Sub, Mul))
             else self.a.text(rich, lead))
        b = (_paren(self.b.text(rich)) if isinstance(self.b, (Add, Sub, Mul, Div))
             else self.b.text(rich, lead=False))
        return f"{a} / {b}"

    def numbers(self) -> list[Num]:
        return self.a.numbers() + self.b.numbers()


@dataclass(frozen=True)
class Fn(Node):
    """A function applied to one argument: tanh(x), sigma(x), tanh^2(x), relu'(x)."""

    name: str
    arg: Node

    def evaluate(self, rounded: bool = False) -> float:
        return float(FUNCTIONS[self.name][0](self.arg.evaluate(rounded)))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        prefix = FUNCTIONS[self.name][2 if rich else 1]
        return f"{prefix}({self.arg.text(rich)})"

    def numbers(self) -> list[Num]:
        return self.arg.numbers()


@dataclass(frozen=True)
class Exp(Node):
    """e to the power of its argument."""

    arg: Node

    def evaluate(self, rounded: bool = False) -> float:
        with np.errstate(over="ignore"):
            return float(np.exp(self.arg.evaluate(rounded)))

    def text(self, rich: bool = False, lead: bool = True) -> str:
        return f"exp({self.arg.text(rich)})"

    def numbers(self) -> list[Num]:
        return self.arg.numbers()


@dataclass(frozen=True)
class Square(Node):
    base: Node

    def evaluate(self, rounded: bool = False) -> float:
        v = self.base.evaluate(rounded)
        return v * v

    def text(self, rich: bool = False, lead: bool = True) -> str:
        b = self.base
        s = (_paren(b.text(rich)) if isinstance(b, (Add, Sub, Mul, Div))
             else b.text(rich, lead=False))
        return f"{s}\u00b2"

    def numbers(self) -> list[Num]:
        return self.base.numbers()


def one_minus(x: float) -> Sub:
    """1 − x, with x as an operand."""
    return Sub(Num(1.0), Num(x))
