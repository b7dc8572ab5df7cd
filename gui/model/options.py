"""The option sections a session saves beside its config, and their defaults.

Each section is one schema (a :class:`gui.model.schema.Section`): the application model holds an
instance, the session file reads and writes it with the same class, and a view or controller
changes it through :meth:`gui.model.app_model.AppModel.set_options`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim import landscape

from .present.geometry import GeometryParams
from .schema import Section, boolean, choice, integer, number
from .training.settings import TrainingSettings

GEOMETRY_LAYOUTS = ("auto", "grid", "tabs")
LANDSCAPE_MODES = ("cliff", "line")


@dataclass(frozen=True)
class NetworkOptions(Section):
    """The unfolded view.

    split : draw a simple RNN's middle layer as two layers, a(t) then h(t) = g(a(t)) (the
        simple-RNN article's figure).
    gate : which of an LSTM's four gate matrices (W_g, R_g) the connections show: "z", "i",
        "f" or "o" (drawing their sum would show connections no matrix makes).
    """

    section = "network"
    split: bool = False
    gate: str = "z"

    def __post_init__(self):
        boolean("split", self.split)
        choice("gate", self.gate, ("z", "i", "f", "o"))


@dataclass(frozen=True)
class GradientFlowOptions(Section):
    """compare : draw a model of the other kind on the same input beside the session's."""

    section = "gradient-flow"
    compare: bool = False

    def __post_init__(self):
        boolean("compare", self.compare)


@dataclass(frozen=True)
class GeometryPanelOptions(Section):
    """layout : "auto" (a 2 x 3 grid when there is room), "grid" or "tabs"."""

    section = "geometry-panel"
    layout: str = "auto"

    def __post_init__(self):
        choice("layout", self.layout, GEOMETRY_LAYOUTS)


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


SECTIONS: dict[str, type[Section]] = {
    cls.section: cls for cls in (NetworkOptions, GeometryParams, GeometryPanelOptions,
                                 TrainingSettings, GradientFlowOptions, LandscapeOptions)
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
