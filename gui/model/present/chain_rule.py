"""The chain rule as a graph, as the LSTM-backprop article draws it (section 1, "Chain rules"):
every node is a function of the nodes below it; the derivative of f with respect to a variable
is the sum, over every route from the variable up to f, of the product of the local derivatives
along the route. Three examples with numbers: f(x(y)); f(x1, x2) with both depending on y1 and
y2; y_1 reaching f through n variables x_1..x_n. Each sum is checked against a finite
difference of the same functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EXAMPLES = ("single", "two", "n")
TITLES = {"single": "f(x(y))", "two": "f(x₁, x₂), each x depending on y₁ and y₂",
          "n": "y₁ reaching f through n variables x₁ … xₙ"}
H = 1e-6  # finite-difference step


@dataclass(frozen=True)
class ChainGraph:
    """One example, evaluated.

    Attributes
    ----------
    name : a key of EXAMPLES; title : how the article writes it.
    nodes : (key, label, x, y) per node, positions in a unit box (y up).
    edges : (src, dst) dependencies: dst is a function of src.
    values : key -> the node's value.
    local : (src, dst) -> d dst / d src at these values.
    target : the variable differentiated; routes : every path from it to "f", as edge lists.
    terms : (n,) the product of local derivatives along each route.
    total : their sum, df/d target; finite : the centred finite difference of f.
    """

    name: str
    title: str
    nodes: tuple
    edges: tuple
    values: dict
    local: dict
    target: str
    routes: tuple
    terms: tuple
    total: float
    finite: float


def _routes(edges, start: str, end: str = "f") -> list[list[tuple]]:
    """Every path from ``start`` to ``end`` along ``edges`` (a DAG)."""
    out = []

    def walk(node, path):
        if node == end:
            out.append(path)
            return
        for src, dst in edges:
            if src == node:
                walk(dst, path + [(src, dst)])

    walk(start, [])
    return out


def _single(y: float):
    x = math.tanh(2 * y)
    f = x * x + 0.5 * x
    values = {"y": y, "x": x, "f": f}
    local = {("y", "x"): 2 * (1 - x * x), ("x", "f"): 2 * x + 0.5}
    return values, local


def _two(y1: float, y2: float = -0.7):
    x1 = y1 * y2 + y1
    x2 = math.sin(y1) + y2 * y2
    f = x1 * x2 + x2
    values = {"y1": y1, "y2": y2, "x1": x1, "x2": x2, "f": f}
    local = {("y1", "x1"): y2 + 1, ("y2", "x1"): y1, ("y1", "x2"): math.cos(y1),
             ("y2", "x2"): 2 * y2, ("x1", "f"): x2, ("x2", "f"): x1 + 1}
    return values, local


def _weights(n: int):
    """Fixed weights of the n-route example: x_j = tanh(w_j1 y1 + w_j2 y2), f = sum c_j x_j²."""
    w1 = [0.9 - 0.45 * j for j in range(n)]
    w2 = [0.3 + 0.2 * j for j in range(n)]
    c = [1.0 - 0.3 * (j % 3) for j in range(n)]
    return w1, w2, c


def _many(y1: float, n: int, y2: float = -0.3):
    w1, w2, c = _weights(n)
    values = {"y1": y1, "y2": y2}
    local = {}
    f = 0.0
    for j in range(n):
        x = math.tanh(w1[j] * y1 + w2[j] * y2)
        values[f"x{j + 1}"] = x
        f += c[j] * x * x
        local[("y1", f"x{j + 1}")] = w1[j] * (1 - x * x)
        local[("y2", f"x{j + 1}")] = w2[j] * (1 - x * x)
        local[(f"x{j + 1}", "f")] = 2 * c[j] * x
    values["f"] = f
    return values, local


def example(name: str, n: int = 4) -> ChainGraph:
    """Example ``name`` ("single", "two" or "n" with ``n`` variables in the middle)."""
    if name == "single":
        fn, start, y0 = _single, "y", 0.6
        nodes = (("y", "y", 0.5, 0.1), ("x", "x", 0.5, 0.5), ("f", "f", 0.5, 0.9))
    elif name == "two":
        fn, start, y0 = _two, "y1", 0.4
        nodes = (("y1", "y₁", 0.25, 0.1), ("y2", "y₂", 0.75, 0.1), ("x1", "x₁", 0.25, 0.5),
                 ("x2", "x₂", 0.75, 0.5), ("f", "f", 0.5, 0.9))
    elif name == "n":
        if not 2 <= n <= 8:
            raise ValueError(f"n must be an integer in 2..8, got {n}")

        def fn(y1):
            return _many(y1, n)

        start, y0 = "y1", 0.5
        xs = tuple((f"x{j + 1}", f"x{_sub(j + 1)}", (j + 0.5) / n, 0.5) for j in range(n))
        nodes = (("y1", "y₁", 0.33, 0.1), ("y2", "y₂", 0.67, 0.1)) + xs + (("f", "f", 0.5, 0.9),)
    else:
        raise ValueError(f"example must be one of {', '.join(EXAMPLES)}, got {name!r}")
    values, local = fn(y0)
    edges = tuple(local)
    routes = tuple(tuple(r) for r in _routes(edges, start))
    terms = tuple(math.prod(local[e] for e in r) for r in routes)
    finite = (fn(y0 + H)[0]["f"] - fn(y0 - H)[0]["f"]) / (2 * H)
    return ChainGraph(name=name, title=TITLES[name], nodes=nodes, edges=edges, values=values,
                      local=local, target=start, routes=routes, terms=terms,
                      total=float(sum(terms)), finite=float(finite))


def _sub(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def route_words(g: ChainGraph, route: int | None, fmt) -> str:
    """The sum in symbols, then in numbers (the lit route in purple when ``route`` is set),
    then the finite difference it must equal."""
    labels = {key: label for key, label, _, _ in g.nodes}

    def symbol(r):
        return " ".join(f"∂{labels[d]}/∂{labels[s]}" for s, d in reversed(r))

    def numbers(r):
        return " × ".join(fmt(g.local[e]) for e in reversed(r))

    parts_s, parts_n = [], []
    for i, r in enumerate(g.routes):
        lit = route is not None and i == route
        style = ("<span style='color:#7B3294'><b>{}</b></span>" if lit else "{}")
        parts_s.append(style.format(symbol(r)))
        parts_n.append(style.format(numbers(r)))
    t = labels[g.target]
    return (f"∂f/∂{t} = " + " + ".join(parts_s) + "<br>= " + " + ".join(parts_n)
            + f" = <b>{fmt(g.total)}</b><br>finite difference (f({t} + h) − f({t} − h)) / 2h, "
            f"h = 10⁻⁶: {fmt(g.finite, 7)}")
