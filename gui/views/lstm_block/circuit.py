"""The LSTM block as an "electronic circuit" (the articles' preferred drawing).

The cell highway runs straight across the top: c(t-1) enters from block t-1, is multiplied by the
forget gate f (×), gets z⊙i added at the on-ramp (+), leaves as c(t) towards block t+1; a branch
goes through tanh and is multiplied by the output gate o to give y(t), which goes up to the
readout (ŷ, J(t)) and right into every gate of block t+1 (the recurrent connection, yellow). Below
the highway the four gates, left to right as in the articles: forget gate f, input gate i, block
input z, output gate o, each fed by x(t) (grey, through W_*) and y(t-1) (yellow, through R_*).
Peepholes (blue) read c(t-1) into i and f and c(t) into o when the model has them.
"""

from __future__ import annotations

from .. import register
from .layout import GlyphSpec, LabelSpec, Layout, NodeSpec, TrunkSpec
from .view import LstmBlockView

HW = 9.6  # the cell highway
Y_BAR, Y_SIG, Y_ACT, Y_MIX = 3.0, 4.15, 5.5, 7.6  # gate rows: pre-activation, σ, gate, products
Y_X, Y_YP = 0.0, 1.5  # the x(t) and y(t-1) buses
HH = 0.3  # half height of a box, where arrows stop
COL = {"f": 4.6, "i": 7.6, "z": 10.9, "o": 17.9}
X_MIX = 9.25  # the on-ramp: z * i, then + onto the highway
X_TANH, X_PO, X_Y = 13.6, 16.5, 19.7
NEXT_X, NEXT_Y = 24.3, {"o": 6.6, "f": 5.2, "i": 3.8, "z": 2.4}


def _layout() -> Layout:
    nodes = [
        NodeSpec("c_prev", 1.2, HW, 1.8),
        NodeSpec("x", 1.2, Y_X, 1.8, "bottom"),
        NodeSpec("y_prev", 1.2, Y_YP, 1.8, "top"),
        NodeSpec("cf", COL["f"], HW + 0.85, 1.8),
        NodeSpec("zi", 7.4, 8.55, 1.8),
        NodeSpec("c", 12.0, HW, 1.8),
        NodeSpec("tanh_c", 15.1, Y_MIX, 1.4, "bottom"),
        NodeSpec("y", X_Y, Y_MIX, 1.4, "bottom"),
        NodeSpec("out", X_Y, 11.5, 1.6),
        NodeSpec("next:c", NEXT_X, HW, 1.4),
    ]
    sides = {"f": "topleft", "i": "topright", "z": "topright", "o": "topright"}
    for g, x in COL.items():
        nodes.append(NodeSpec(f"{g}_bar", x, Y_BAR, 1.8, sides[g]))
        nodes.append(NodeSpec(g, x, Y_ACT, 1.8, sides[g]))
    for g, y in NEXT_Y.items():
        nodes.append(NodeSpec(f"next:{g}_bar", NEXT_X, y, 1.4))
    glyphs = [
        GlyphSpec("×", COL["f"], HW, "cf"), GlyphSpec("+", X_MIX, HW, "c"),
        GlyphSpec("×", X_MIX, Y_MIX, "zi"), GlyphSpec("tanh", X_TANH, Y_MIX, "tanh_c"),
        GlyphSpec("×", COL["o"], Y_MIX, "y"),
        GlyphSpec("σ", COL["f"], Y_SIG, "f", 0.28), GlyphSpec("σ", COL["i"], Y_SIG, "i", 0.28),
        GlyphSpec("tanh", COL["z"], Y_SIG, "z", 0.28), GlyphSpec("σ", COL["o"], Y_SIG, "o", 0.28),
        GlyphSpec("×", 22.2, HW, "next:c", 0.25), GlyphSpec("+", 23.1, HW, "next:c", 0.25),
        GlyphSpec("o⊙tanh", -1.0, 5.4, "y_prev", 0.36),
    ]
    w = {}
    for g, x in COL.items():
        w[(0, f"x->{g}_bar")] = ((x - 0.35, Y_X), (x - 0.35, Y_BAR - HH))
        w[(0, f"y_prev->{g}_bar")] = ((x + 0.35, Y_YP), (x + 0.35, Y_BAR - HH))
        w[(0, f"{g}_bar->{g}")] = ((x, Y_BAR + HH), (x, Y_ACT - HH))
    edge = {g: COL[g] - 0.98 for g in COL}  # left edges of the gate boxes
    w.update({
        (0, "c_prev->i_bar"): ((2.6, 6.7), (6.2, 6.7), (6.2, Y_BAR), (edge["i"], Y_BAR)),
        (0, "c_prev->f_bar"): ((2.6, HW), (2.6, Y_BAR), (edge["f"], Y_BAR)),
        (0, "c_prev->cf"): ((2.2, HW), (COL["f"] - 0.3, HW)),
        (0, "f->cf"): ((COL["f"], Y_ACT + HH), (COL["f"], HW - 0.3)),
        (0, "i->zi"): ((COL["i"], Y_ACT + HH), (COL["i"], Y_MIX), (X_MIX - 0.3, Y_MIX)),
        (0, "z->zi"): ((COL["z"], Y_ACT + HH), (COL["z"], Y_MIX), (X_MIX + 0.3, Y_MIX)),
        (0, "cf->c"): ((COL["f"] + 0.3, HW), (11.1, HW)),
        (0, "zi->c"): ((X_MIX, Y_MIX + 0.3), (X_MIX, HW), (11.1, HW)),
        (0, "c->tanh_c"): ((X_TANH, HW), (X_TANH, Y_MIX + 0.3)),
        (0, "c->o_bar"): ((X_PO, HW), (X_PO, Y_BAR), (edge["o"], Y_BAR)),
        (0, "tanh_c->y"): ((X_TANH + 0.5, Y_MIX), (X_Y - 0.75, Y_MIX)),
        (0, "o->y"): ((COL["o"], Y_ACT + HH), (COL["o"], Y_MIX - 0.3)),
        (0, "y->out"): ((X_Y, Y_MIX + HH), (X_Y, 11.5 - HH)),
        # block t+1: the highway, the peepholes and y(t) into its gates
        (1, "c_prev->cf"): ((12.98, HW), (21.95, HW)),
        (1, "cf->c"): ((22.45, HW), (NEXT_X - 0.8, HW)),
        (1, "c_prev->i_bar"): ((21.4, HW), (21.4, NEXT_Y["i"] + 0.12),
                               (NEXT_X - 0.8, NEXT_Y["i"] + 0.12)),
        (1, "c_prev->f_bar"): ((21.4, HW), (21.4, NEXT_Y["f"] + 0.12),
                               (NEXT_X - 0.8, NEXT_Y["f"] + 0.12)),
        # block t-1: how c(t-1) became y(t-1) there, and y(t-1)'s own loss J(t-1)
        (-1, "c->tanh_c"): ((-1.0, HW), (-1.0, 5.75)),
        (-1, "c->o_bar"): ((-1.0, HW), (-1.0, 5.75)),
        (-1, "o_bar->o"): ((-1.0, HW), (-1.0, 5.75)),
        (-1, "tanh_c->y"): ((-1.0, HW), (-1.0, Y_YP), (0.22, Y_YP)),
        (-1, "o->y"): ((-1.0, HW), (-1.0, Y_YP), (0.22, Y_YP)),
        (-1, "y->out"): ((-1.0, 3.0), (-2.4, 3.0), (-2.4, 11.2)),
    })
    for g, y in NEXT_Y.items():
        w[(1, f"y_prev->{g}_bar")] = ((22.6, y - 0.12), (NEXT_X - 0.8, y - 0.12))
    trunks = (
        TrunkSpec(((2.2, Y_X), (COL["o"] - 0.35, Y_X)), tuple((0, f"x->{g}_bar") for g in "fizo")),
        TrunkSpec(((2.2, Y_YP), (COL["o"] + 0.35, Y_YP)),
                  tuple((0, f"y_prev->{g}_bar") for g in "fizo")),
        TrunkSpec(((X_Y + 0.75, Y_MIX), (22.6, Y_MIX), (22.6, NEXT_Y["z"] - 0.12)),
                  tuple((1, f"y_prev->{g}_bar") for g in "ozfi")),
    )
    labels = [LabelSpec("J(t−1)", -2.4, 11.25, (0.5, 1.0), "muted"),
              LabelSpec("cell highway", 7.2, HW + 0.05, (0.5, 1.0), "muted"),
              LabelSpec("on-ramp", X_MIX + 0.15, 8.6, (0.0, 0.5), "muted", "8pt"),
              LabelSpec("f(t+1)", 22.2, HW - 0.3, (0.5, 0.0), "muted", "8pt"),
              LabelSpec("R_*", 22.65, Y_MIX + 0.05, (0.0, 1.0), "recurrent", "8pt")]
    for g, x in COL.items():
        labels.append(LabelSpec(f"W_{g}", x - 0.4, 2.15, (1.0, 0.5), "muted", "8pt"))
        labels.append(LabelSpec(f"R_{g}", x + 0.4, 2.15, (0.0, 0.5), "recurrent", "8pt"))
    labels.append(LabelSpec("p_i, p_f", 2.65, 8.0, (0.0, 0.5), "peephole", "8pt", True))
    labels.append(LabelSpec("p_o", X_PO + 0.05, 8.6, (0.0, 0.5), "peephole", "8pt", True))
    return Layout(
        nodes=tuple(nodes), glyphs=tuple(glyphs), wires=w, trunks=trunks, labels=tuple(labels),
        hints=((-3.4, -0.8, -0.3, 12.3, "block t−1"), (20.9, -0.8, 25.5, 12.3, "block t+1")),
        decor=((((-3.4, HW), (0.22, HW)), "cell", False),),
        dots=((X_TANH, HW), (-1.0, 3.0)),
        peephole_dots=((2.6, HW), (2.6, 6.7), (X_PO, HW), (21.4, HW)),
        xrange=(-3.5, 25.6), yrange=(-0.9, 12.45),
    )


CIRCUIT = _layout()


@register
class LstmCircuitView(LstmBlockView):
    name = "lstm-circuit"
    title = "LSTM block: electronic circuit"
    tabs = ("LSTM circuit",)
    order = 0
    stretch = 4
    description = ("Inside one LSTM block, drawn as an electronic circuit: the cell highway on "
                   "top, the gates below, live values forward, errors backward, and every route "
                   "of one variable to J in purple.")
    layout = CIRCUIT
    reading = ("Read left to right: c(t−1) × f + z⊙i = c(t); y(t) = o ⊙ tanh c(t). Forward the "
               "cells are values, backward errors δ and the arrows point back along each term "
               "of the chain rule.")
