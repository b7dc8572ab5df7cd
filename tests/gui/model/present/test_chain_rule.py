"""The chain rule as a graph: the sum over routes equals a finite difference in every example."""

import pytest

from gui.model.present.chain_rule import EXAMPLES, example, route_words
from gui.model.present.numbers import fmt


@pytest.mark.parametrize("name,n", [("single", 4), ("two", 4), ("n", 2), ("n", 5), ("n", 8)])
def test_the_route_sum_is_the_derivative(name, n):
    g = example(name, n)
    assert g.total == pytest.approx(g.finite, rel=1e-7, abs=1e-9)
    want_routes = {"single": 1, "two": 2, "n": n}[name]
    assert len(g.routes) == want_routes  # y1 reaches f along one route per variable between
    for r in g.routes:
        assert r[0][0] == g.target and r[-1][1] == "f"


def test_the_words_name_every_route_and_light_one():
    g = example("two")
    text = route_words(g, 1, fmt)
    assert text.count("∂f/∂x") == 2 and "#7B3294" in text
    assert fmt(g.total) in text and "finite difference" in text


def test_bad_examples_are_named():
    with pytest.raises(ValueError, match="example must be one of"):
        example("three")
    with pytest.raises(ValueError, match="n must be"):
        example("n", 20)
    assert EXAMPLES == ("single", "two", "n")
