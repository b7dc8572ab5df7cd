"""The geometry of a block drawing (pure data): where each node, operator and wire of
:data:`sim.lstm_graph.WIRES` goes. The circuit and the odyssey are two :class:`Layout` s of the
same nodes and wires, so they show the same numbers and follow the same flows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: the drawing's design density (pixels per data unit): texts and arrowheads scale from here
PX_PER_UNIT = 44.0


@dataclass(frozen=True)
class NodeSpec:
    """A node drawn as a row (or grid) of cells centred at (x, y), ``width`` data units wide."""

    name: str
    x: float
    y: float
    width: float = 2.0
    title_side: str = "top"  # top, bottom, left, right, topleft, topright (beside a wire)
    circle: float = 0.0  # > 0: drawn inside a circle of this radius (the odyssey's cell)


@dataclass(frozen=True)
class GlyphSpec:
    """An operator: ×, +, σ, tanh. Follows the stage of ``node``."""

    text: str
    x: float
    y: float
    node: str
    r: float = 0.3


@dataclass(frozen=True)
class TrunkSpec:
    """A wire segment shared by several wires (a bus): drawn once, carrying their sum."""

    points: tuple
    members: tuple


@dataclass(frozen=True)
class LabelSpec:
    """A fixed text of the drawing; ``color`` names a Theme attribute."""

    text: str
    x: float
    y: float
    anchor: tuple = (0.5, 0.5)
    color: str = "muted"
    size: str = "9pt"
    peephole: bool = False  # shown only when the model has peepholes


@dataclass(frozen=True)
class Layout:
    """The geometry of one block drawing (data units, aspect locked).

    wires : (offset, wire id) -> polyline ((x, y), ...) drawn from source to target; offset -1,
        0, +1 is the block t-1, t, t+1.
    dashed : wire keys drawn dashed (information from the past).
    hints : (x0, y0, x1, y1, label) faint boxes of the neighbouring blocks.
    decor : (polyline, kind, dashed) lines that are no wire of the flows (highways in the hints).
    """

    nodes: tuple
    glyphs: tuple
    wires: dict
    trunks: tuple = ()
    labels: tuple = ()
    hints: tuple = ()
    decor: tuple = ()
    dots: tuple = ()
    peephole_dots: tuple = ()  # junctions of peephole taps
    dashed: frozenset = frozenset()
    xrange: tuple = (0.0, 20.0)
    yrange: tuple = (0.0, 12.0)

    def node(self, name: str) -> NodeSpec:
        return next(n for n in self.nodes if n.name == name)


@dataclass(frozen=True)
class CellGeometry:
    """Where every unit cell of every node goes, for H hidden, I input and O output units.

    pos : (N, 2) cell centres; size : (N,) side; node_of : (N,) node names; unit_of : (N,) unit
    index; boxes : name -> (x0, y0, w, h, cell) of the node's cells; runs : (name, n) in the
    order the cells are stored; titles : name -> (x, y, anchor) of the node's title.
    """

    pos: np.ndarray
    size: np.ndarray
    node_of: np.ndarray
    unit_of: np.ndarray
    boxes: dict
    runs: tuple
    titles: dict
    places: dict


BOX_PAD = 0.08  # a node's box around its cells
_ANCHOR = {"top": (0.5, 1.0), "bottom": (0.5, 0.0), "left": (1.0, 0.5), "right": (0.0, 0.5),
           "topleft": (1.0, 1.0), "topright": (0.0, 1.0), "bottomleft": (1.0, 0.0),
           "bottomright": (0.0, 0.0)}


def cell_geometry(layout: Layout, H: int, I: int, O: int) -> CellGeometry:
    """Cell positions of every node: a grid of up to 16 columns inside its width."""
    pos, size, node_of, unit_of, boxes, titles, places = [], [], [], [], {}, {}, {}
    for spec in layout.nodes:
        n = {"x": I, "out": O}.get(spec.name, H)
        cols = min(n, 16)
        rows = int(np.ceil(n / cols))
        cell = min(0.42, spec.width / cols)
        w, h = cols * cell, rows * cell
        k = np.arange(n)
        cx = spec.x - w / 2 + (k % cols + 0.5) * cell  # (n,)
        cy = spec.y + h / 2 - (k // cols + 0.5) * cell  # (n,) first row on top
        boxes[spec.name] = (spec.x - w / 2, spec.y - h / 2, w, h, cell)
        pos.append(np.stack([cx, cy], axis=1))
        size.append(np.full(n, cell * 0.88))
        node_of += [spec.name] * n
        unit_of.append(k)
        pad, gap = BOX_PAD, 0.12
        top, bot = spec.y + h / 2 + pad + 0.02, spec.y - h / 2 - pad - 0.02
        at = {"top": (spec.x, top), "bottom": (spec.x, bot),
              "topleft": (spec.x - 0.06, top), "topright": (spec.x + 0.06, top),
              "bottomleft": (spec.x - 0.06, bot), "bottomright": (spec.x + 0.06, bot),
              "left": (spec.x - w / 2 - pad - gap, spec.y),
              "right": (spec.x + w / 2 + pad + gap, spec.y)}
        sides = [spec.title_side] + [s for s in _ANCHOR if s != spec.title_side]
        places[spec.name] = [(*at[s], _ANCHOR[s]) for s in sides] + [  # clear of operators
            (spec.x, top + 0.3, _ANCHOR["top"]), (spec.x, bot - 0.3, _ANCHOR["bottom"])]
        if spec.circle:
            places[spec.name] = [(spec.x, spec.y + h / 2 + gap + 0.35, (0.5, 1.0))]
        titles[spec.name] = places[spec.name][0]
    node_of = np.array(node_of, dtype=object)  # (N,)
    runs = tuple((spec.name, int((node_of == spec.name).sum())) for spec in layout.nodes)
    return CellGeometry(np.concatenate(pos), np.concatenate(size), node_of,
                        np.concatenate(unit_of), boxes, runs, titles, places)


def point_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Distance from point ``p`` (2,) to the segment ``a``-``b``."""
    ab = b - a
    L = float(ab @ ab)
    s = 0.0 if L == 0 else float(np.clip((p - a) @ ab / L, 0, 1))
    return float(np.hypot(*(a + s * ab - p)))
