"""The option sections a session saves beside its config, and their defaults.

Each section is one schema (a :class:`gui.model.schema.Section`): the application model holds an
instance, the session file reads and writes it with the same class, and a view or controller
changes it through :meth:`gui.model.app_model.AppModel.set_options`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim import landscape

from .present.equations.latex import ALL_KEYS
from .present.geometry import GeometryParams
from .schema import Section, boolean, choice, integer, number
from .training.saved import TrainingHistory
from .training.settings import TrainingSettings

GEOMETRY_LAYOUTS = ("auto", "grid", "tabs")
#: what the geometry tab shows in front: every view (its grid), one view or the claims table
GEOMETRY_FRONTS = ("all", "geometry-grid", "geometry-cube", "geometry-angles", "geometry-shell",
                   "geometry-distances", "claims")
#: how error arrows are coloured: by their source loss J(s), by the per-step gradient that needs
#: them (the simple-RNN article's figure), or by their magnitude
COLOR_BY = ("source", "step", "magnitude")
LANDSCAPE_MODES = ("cliff", "line")


@dataclass(frozen=True)
class NetworkOptions(Section):
    """The unfolded view.

    split : draw a simple RNN's middle layer as two layers, a(t) then h(t) = g(a(t)) (the
        simple-RNN article's figure).
    gate : which gate's matrices (W_g, R_g) the connections show: an LSTM's "z", "i", "f" or
        "o", a GRU's "r", "u" or "n" (drawing their sum would show connections no matrix
        makes); a cell without the gate shows its first.
    color_by : error arrows coloured by "source" (each J(s) its own hue), by gradient "step"
        (the arrows each (dJ/dtheta)^(k) needs: the simple-RNN article's figure) or by
        "magnitude".
    """

    section = "network"
    split: bool = False
    gate: str = "z"
    color_by: str = "source"

    def __post_init__(self):
        boolean("split", self.split)
        choice("gate", self.gate, ("z", "i", "f", "o", "r", "u", "n"))
        choice("color_by", self.color_by, COLOR_BY)


@dataclass(frozen=True)
class FoldedOptions(Section):
    """The folded view.

    unroll : redraw the folded block as the deep network it is: the recurrent connections
        h(1) -> h(2) -> ... -> h(T) as a stack of dense layers that all use the one W, with the
        product the backward pass multiplies (the LSTM forward article's "multiply parameters
        many times"). A simple RNN's figure; other models keep the block and say why.
    """

    section = "folded"
    unroll: bool = False

    def __post_init__(self):
        boolean("unroll", self.unroll)


@dataclass(frozen=True)
class GradientFlowOptions(Section):
    """compare : run the other two one-cell kinds (of SimpleRNN, LSTM, GRU) on the same input and
    draw the three side by side."""

    section = "gradient-flow"
    compare: bool = False

    def __post_init__(self):
        boolean("compare", self.compare)


@dataclass(frozen=True)
class GeometryPanelOptions(Section):
    """layout : "auto" (a 2 x 3 grid when there is room), "grid" or "tabs".
    front : what is in front: "all" (the grid), a geometry view's name or "claims"; a view
        behind another neither draws nor samples.
    """

    section = "geometry-panel"
    layout: str = "auto"
    front: str = "all"

    def __post_init__(self):
        choice("layout", self.layout, GEOMETRY_LAYOUTS)
        choice("front", self.front, GEOMETRY_FRONTS)


@dataclass(frozen=True)
class LandscapeOptions(Section):
    """The landscape view: the cliff of a one-unit RNN, or the line through the session.

    mode : "cliff" or "line".
    span : half-width of the line's alpha range, or None for automatic.
    T, target : the cliff model's sequence length (1..1000) and target.
    lr, clip : learning rate and clipping threshold of the cliff demo's two descents (the
        one-unit model's own; the line through the session uses the session's).
    steps : steps of each descent, 1..10000; start : (w, b) where both begin.
    """

    section = "landscape"
    mode: str = "cliff"
    span: float | None = None
    T: int = landscape.CliffRNN.T
    target: float = landscape.CliffRNN.target
    lr: float = landscape.DEMO_LR
    clip: float = landscape.DEMO_CLIP
    steps: int = landscape.DEMO_N_STEPS
    start: tuple = landscape.DEMO_START

    def __post_init__(self):
        choice("mode", self.mode, LANDSCAPE_MODES)
        if self.span is not None:
            object.__setattr__(self, "span", number("span", self.span, 0.0, 100.0,
                                                    open_lo=True))
        object.__setattr__(self, "T", integer("T", self.T, 1, 1000))
        object.__setattr__(self, "target", number("target", self.target, -1e6, 1e6))
        object.__setattr__(self, "lr", number("lr", self.lr, 0.0, 1e6, open_lo=True))
        object.__setattr__(self, "clip", number("clip", self.clip, 0.0, 1e9, open_lo=True))
        object.__setattr__(self, "steps", integer("steps", self.steps, 1, 10_000))
        start = self.start
        if not isinstance(start, (tuple, list)) or len(start) != 2:
            raise ValueError(f"start must be a pair [w, b], got {start!r}")
        object.__setattr__(self, "start", tuple(number("start", v, -1e6, 1e6) for v in start))


@dataclass(frozen=True)
class ChainRuleOptions(Section):
    """The chain-rule view: the example ("single", "two" or "n"), n for the n-route example,
    and the route lit in purple (-1: all at once)."""

    section = "chain-rule"
    example: str = "two"
    n: int = 4
    route: int = -1

    def __post_init__(self):
        choice("example", self.example, ("single", "two", "n"))
        object.__setattr__(self, "n", integer("n", self.n, 2, 8))
        object.__setattr__(self, "route", integer("route", self.route, -1, 7))


@dataclass(frozen=True)
class DenseOptions(Section):
    """The dense-layer backprop view: the step (0..2L-1: forward layer 1..L, then backward
    layer L..1) and the neuron whose incoming errors are drawn."""

    section = "dense"
    step: int = 0
    neuron: int = 0

    def __post_init__(self):
        object.__setattr__(self, "step", integer("step", self.step, 0, 63))
        object.__setattr__(self, "neuron", integer("neuron", self.neuron, 0, 63))


@dataclass(frozen=True)
class EquationsOptions(Section):
    """The equations view: ``pinned`` names the equation the user framed by a click (a key of
    gui.model.present.equations, "" for none); it stays framed while it exists at the cursor."""

    section = "equations"
    pinned: str = ""

    def __post_init__(self):
        choice("pinned", self.pinned, ("",) + ALL_KEYS)


SECTIONS: dict[str, type[Section]] = {
    cls.section: cls for cls in (NetworkOptions, FoldedOptions, GeometryParams,
                                 GeometryPanelOptions, TrainingSettings, GradientFlowOptions,
                                 LandscapeOptions, ChainRuleOptions, DenseOptions,
                                 EquationsOptions, TrainingHistory)
}


def default_options() -> dict:
    """Every section at its defaults."""
    return {name: cls() for name, cls in SECTIONS.items()}


def parse_options(data) -> dict:
    """Sections from a session file's "options" object (validated; ValueError naming the first
    bad field as ``section.field``). Sections that are absent keep their defaults."""
    if not isinstance(data, dict):
        raise ValueError("options must be an object of section name -> object")
    out = {}
    for name, value in data.items():
        if name not in SECTIONS:
            raise ValueError(f"options.{name} is not a known section "
                             f"(known: {', '.join(SECTIONS)})")
        if isinstance(value, Section):
            out[name] = value
        else:
            out[name] = SECTIONS[name].from_dict(value)
    return out
