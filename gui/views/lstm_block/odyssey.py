"""The LSTM block as Greff et al. draw it ("LSTM: A Search Space Odyssey", Figure 1).

The cell sits at the centre. The block input z comes up from below through the on-ramp product
with the input gate i (right); the forget gate f (left) scales the cell's own past c(t-1), which
loops back from the cell (dashed: information from the past); above the cell, tanh and the output
gate o (right) give the block output y(t) on top. Every gate reads x(t) and y(t-1) (dashed:
recurrent, from the past); peepholes (blue) read the cell: c(t-1) into i and f (dashed), c(t)
into o. The steps before and after are folded away; two insets show where y(t-1), c(t-1) came
from and where y(t), c(t) go, so the same flows and errors as in the circuit view can be drawn.
"""

from __future__ import annotations

from .. import register
from .layout import GlyphSpec, LabelSpec, Layout, NodeSpec, TrunkSpec
from .view import LstmBlockView

CX, CY, R = 10.5, 6.2, 1.45  # the cell
Y_I, Y_O = 3.7, 10.2  # input gate and output gate rows
X_ACT, X_SIG, X_BAR = 12.5, 13.9, 15.5  # gate columns on the right
NEXT_X, NEXT_Y = 21.8, {"o": 10.2, "f": 5.4, "i": 3.6, "z": 1.5}
Y_NEXT_C = 8.2
COS30, SIN30, D45 = 0.866 * R, 0.5 * R, 0.707 * R


def _layout() -> Layout:
    nodes = (
        NodeSpec("c", CX, CY - 0.15, 2.0, circle=R),
        NodeSpec("z_bar", CX, 0.5, 1.6, "left"), NodeSpec("z", CX, 2.5, 1.6, "left"),
        NodeSpec("zi", 8.5, Y_I, 1.2, "left"),
        NodeSpec("i", X_ACT, Y_I, 1.6, "bottom"), NodeSpec("i_bar", X_BAR, Y_I, 1.6, "bottom"),
        NodeSpec("f_bar", 3.5, CY, 1.6, "top"), NodeSpec("f", 6.4, CY, 1.6, "top"),
        NodeSpec("cf", 8.0, 5.05, 1.2, "left"),
        NodeSpec("c_prev", 8.0, 7.9, 1.4, "top"),
        NodeSpec("tanh_c", CX, 9.2, 1.4, "left"),
        NodeSpec("o", X_ACT, Y_O, 1.6, "top"), NodeSpec("o_bar", X_BAR, Y_O, 1.6, "top"),
        NodeSpec("y", CX, 11.2, 1.4, "left"),
        NodeSpec("out", CX, 12.45, 1.6, "right"),
        NodeSpec("x", 2.0, 0.4, 1.8, "bottom"), NodeSpec("y_prev", 2.0, 1.9, 1.8, "top"),
        NodeSpec("next:c", NEXT_X, Y_NEXT_C, 1.4),
        *(NodeSpec(f"next:{g}_bar", NEXT_X, y, 1.4) for g, y in NEXT_Y.items()),
    )
    glyphs = (
        GlyphSpec("tanh", CX, 1.5, "z", 0.28), GlyphSpec("×", CX, Y_I, "zi"),
        GlyphSpec("σ", X_SIG, Y_I, "i", 0.28), GlyphSpec("σ", 4.95, CY, "f", 0.28),
        GlyphSpec("×", 8.0, CY, "cf"), GlyphSpec("tanh", CX, 8.3, "tanh_c", 0.3),
        GlyphSpec("×", CX, Y_O, "y"), GlyphSpec("σ", X_SIG, Y_O, "o", 0.28),
        GlyphSpec("×", 19.9, Y_NEXT_C, "next:c", 0.25),
        GlyphSpec("o⊙tanh", 3.0, 10.4, "y_prev", 0.36),
    )
    bottom = CY - R  # where the block input enters the cell
    w = {
        # block input from below, input gate from the right, the on-ramp into the cell
        (0, "x->z_bar"): ((CX - 0.4, -0.8), (CX - 0.4, 0.2)),
        (0, "y_prev->z_bar"): ((CX + 0.4, -0.8), (CX + 0.4, 0.2)),
        (0, "z_bar->z"): ((CX, 0.8), (CX, 2.2)),
        (0, "z->zi"): ((CX, 2.8), (CX, Y_I - 0.3)),
        (0, "x->i_bar"): ((17.6, Y_I - 0.15), (16.35, Y_I - 0.15)),
        (0, "y_prev->i_bar"): ((17.6, Y_I + 0.15), (16.35, Y_I + 0.15)),
        (0, "i_bar->i"): ((X_BAR - 0.82, Y_I), (X_ACT + 0.82, Y_I)),
        (0, "i->zi"): ((X_ACT - 0.82, Y_I), (CX + 0.3, Y_I)),
        (0, "zi->c"): ((CX, Y_I + 0.3), (CX, bottom)),
        # forget gate from the left, scaling the cell's past that loops round
        (0, "x->f_bar"): ((1.4, CY - 0.15), (2.65, CY - 0.15)),
        (0, "y_prev->f_bar"): ((1.4, CY + 0.15), (2.65, CY + 0.15)),
        (0, "f_bar->f"): ((4.32, CY), (5.58, CY)),
        (0, "f->cf"): ((7.22, CY), (7.7, CY)),
        (0, "c_prev->cf"): ((8.0, 7.6), (8.0, CY + 0.3)),
        (0, "cf->c"): ((8.3, CY), (CX - R, CY)),
        # output: tanh of the cell times the output gate (right) is y(t)
        (0, "c->tanh_c"): ((CX, CY + R), (CX, 8.0)),
        (0, "tanh_c->y"): ((CX, 8.6), (CX, 10.95)),
        (0, "x->o_bar"): ((17.6, Y_O - 0.15), (16.35, Y_O - 0.15)),
        (0, "y_prev->o_bar"): ((17.6, Y_O + 0.15), (16.35, Y_O + 0.15)),
        (0, "o_bar->o"): ((X_BAR - 0.82, Y_O), (X_ACT + 0.82, Y_O)),
        (0, "o->y"): ((X_ACT - 0.82, Y_O), (CX + 0.3, Y_O)),
        (0, "y->out"): ((CX, 11.45), (CX, 12.2)),
        # peepholes: p_o reads the new cell c(t); p_i and p_f read c(t-1), so they leave from
        # the c(t-1) node, not from the circle (backward, their errors belong to δc(t-1))
        (0, "c_prev->i_bar"): ((8.7, 7.75), (X_BAR + 0.45, 7.75), (X_BAR + 0.45, Y_I + 0.3)),
        (0, "c->o_bar"): ((CX + COS30, CY + SIN30), (X_BAR, CY + SIN30), (X_BAR, Y_O - 0.3)),
        (0, "c_prev->f_bar"): ((7.3, 7.75), (3.9, 7.75), (3.9, CY + 0.3)),
        # step t+1: c(t) round to its forget gate and peepholes, y(t) into its gates
        (1, "c_prev->cf"): ((CX + R, CY), (18.6, CY), (18.6, Y_NEXT_C), (19.65, Y_NEXT_C)),
        (1, "cf->c"): ((20.15, Y_NEXT_C), (NEXT_X - 0.8, Y_NEXT_C)),
        (1, "c_prev->i_bar"): ((18.2, CY), (18.2, NEXT_Y["i"] + 0.12),
                               (NEXT_X - 0.8, NEXT_Y["i"] + 0.12)),
        (1, "c_prev->f_bar"): ((18.2, CY), (18.2, NEXT_Y["f"] + 0.12),
                               (NEXT_X - 0.8, NEXT_Y["f"] + 0.12)),
        # step t-1: c(t-1) became y(t-1) there, which met its own loss J(t-1)
        (-1, "c->tanh_c"): ((7.3, 7.9), (3.0, 7.9), (3.0, 10.05)),
        (-1, "c->o_bar"): ((7.3, 7.9), (3.0, 7.9), (3.0, 10.05)),
        (-1, "o_bar->o"): ((7.3, 7.9), (3.0, 7.9), (3.0, 10.05)),
        (-1, "tanh_c->y"): ((3.0, 10.75), (3.0, 11.5)),
        (-1, "o->y"): ((3.0, 10.75), (3.0, 11.5)),
        (-1, "y->out"): ((3.0, 11.5), (1.4, 11.5), (1.4, 11.95)),
    }
    for g, y in NEXT_Y.items():
        w[(1, f"y_prev->{g}_bar")] = ((20.6, y - 0.12), (NEXT_X - 0.8, y - 0.12))
    trunks = (TrunkSpec(((CX + 0.75, 11.2), (20.6, 11.2), (20.6, NEXT_Y["z"] - 0.12)),
                        tuple((1, f"y_prev->{g}_bar") for g in "ofiz")),)
    dashed = frozenset(
        [k for k in w if "y_prev->" in k[1] or "c_prev->" in k[1]] + [(-1, "c->tanh_c"),
                                                                       (-1, "c->o_bar"),
                                                                       (-1, "o_bar->o")])
    labels = [
        LabelSpec("W_z x(t)", CX - 0.45, -0.8, (1.0, 0.5)),
        LabelSpec("R_z y(t−1)", CX + 0.45, -0.8, (0.0, 0.5), "recurrent"),
        LabelSpec("W_f x(t)", 1.35, CY - 0.2, (1.0, 0.5)),
        LabelSpec("R_f y(t−1)", 1.35, CY + 0.25, (1.0, 0.5), "recurrent"),
        LabelSpec("block input", CX + 0.9, 1.5, (0.0, 0.5), "muted", "8pt"),
        LabelSpec("input gate", X_BAR, Y_I + 0.55, (0.5, 1.0), "muted", "8pt"),
        LabelSpec("forget gate", 3.5, CY - 0.45, (0.5, 0.0), "muted", "8pt"),
        LabelSpec("output gate", X_BAR, Y_O - 0.45, (0.5, 0.0), "muted", "8pt"),
        LabelSpec("cell", CX, CY - R + 0.05, (0.5, 1.0), "muted", "8pt"),
        LabelSpec("block output", CX - 0.9, 11.65, (1.0, 0.5), "muted", "8pt"),
        LabelSpec("inputs of step t (every gate reads both)", 2.0, 2.75, (0.5, 1.0), "muted",
                  "8pt"),
        LabelSpec("J(t−1)", 1.4, 12.0, (0.5, 1.0), "muted"),
        LabelSpec("y(t−1)", 3.1, 11.45, (0.0, 1.0), "recurrent", "8pt"),
        LabelSpec("f(t+1)", 19.9, Y_NEXT_C - 0.3, (0.5, 0.0), "muted", "8pt"),
        LabelSpec("R_*", 20.65, 11.15, (0.0, 1.0), "recurrent", "8pt"),
        LabelSpec("p_o", X_BAR + 0.08, 8.4, (0.0, 0.5), "peephole", "8pt", True),
        LabelSpec("p_i", X_BAR + 0.53, 5.3, (0.0, 0.5), "peephole", "8pt", True),
        LabelSpec("p_f", 3.98, 7.1, (0.0, 0.5), "peephole", "8pt", True),
    ]
    for g, y in (("i", Y_I), ("o", Y_O)):
        labels.append(LabelSpec(f"W_{g} x(t)", 17.65, y - 0.2, (0.0, 0.5)))
        labels.append(LabelSpec(f"R_{g} y(t−1)", 17.65, y + 0.25, (0.0, 0.5), "recurrent"))
    decor = ((((CX - D45, CY + D45), (CX - D45, 7.9), (8.7, 7.9)), "cell", True),)
    return Layout(
        nodes=nodes, glyphs=glyphs, wires=w, trunks=trunks, labels=tuple(labels),
        hints=((0.4, 7.3, 6.4, 12.95, "step t−1 (folded away)"),
               (19.2, -1.0, 23.3, 12.95, "step t+1")),
        decor=decor, peephole_dots=((18.2, CY),), dashed=dashed,
        xrange=(-1.2, 23.4), yrange=(-1.2, 13.1),
    )


ODYSSEY = _layout()


@register
class LstmOdysseyView(LstmBlockView):
    name = "lstm-odyssey"
    title = "LSTM block: Space Odyssey"
    tabs = ("LSTM odyssey",)
    order = 0
    stretch = 4
    description = ("The same LSTM block as Greff et al. draw it: the cell at the centre, the "
                   "gates around it, peepholes in blue, dashed lines from the past.")
    layout = ODYSSEY
    reading = ("Greff et al.'s Figure 1: the cell c in the middle; z from below × i from the "
               "right enter it; its past c(t−1) loops back through × f (left); tanh c × o "
               "(right) is y(t) on top. Dashed: from the past.")
