"""The walk through one LSTM step's equations, stage by stage, shared by the block views (which
highlight a stage's nodes) and the equations view (which frames a stage's equations).

The application model's ``selection.stage`` is an index into :data:`FORWARD_STAGES` or
:data:`BACKWARD_STAGES` (0-based; None shows every stage at once, numbered).
"""

from __future__ import annotations

import re

#: forward stages in the order of the equations (sim/lstm.py)
FORWARD_STAGES = ("z̄ = W_z x + R_z y(t−1) + b_z,  z = tanh z̄",
                  "ī = W_i x + R_i y(t−1) (+ p_i⊙c(t−1)) + b_i,  i = σ(ī)",
                  "f̄ = W_f x + R_f y(t−1) (+ p_f⊙c(t−1)) + b_f,  f = σ(f̄)",
                  "c(t) = z⊙i + c(t−1)⊙f",
                  "ō = W_o x + R_o y(t−1) (+ p_o⊙c(t)) + b_o,  o = σ(ō)",
                  "y(t) = o⊙tanh c(t)",
                  "out = c + V y(t),  ŷ = f(out),  J(t)")
BACKWARD_STAGES = ("δy(t) = Vᵀδout(t) + Σ R_*ᵀ δ*̄(t+1)",
                   "δō(t) = δy(t)⊙tanh c(t)⊙o(1−o)",
                   "δc(t) = δy⊙o⊙(1−tanh²c) (+ p_o⊙δō) + δc(t+1)⊙f(t+1)"
                   " (+ p_i⊙δī(t+1) + p_f⊙δf̄(t+1))",
                   "δf̄, δī, δz̄ = δc(t) ⊙ ∂c(t)/∂(f̄, ī, z̄)",
                   "passed back to block t−1: R_*ᵀδ*̄(t), δc(t)⊙f(t), peepholes")
#: the equations (keys of the equations presenter) each stage frames; () where a stage has no
#: equation of its own there
STAGE_KEYS = {
    "forward": (("z_bar", "z"), ("i_bar", "i"), ("f_bar", "f"), ("c",), ("o_bar", "o"), ("y",),
                ("readout", "y_hat")),
    "backward": (("delta_readout", "delta_y"), ("delta_o_bar",), ("delta_c",),
                 ("delta_f_bar", "delta_i_bar", "delta_z_bar"), ()),
}


#: the peephole terms of the stage texts, in parentheses: written only for a model that has them
_PEEPHOLE_TERM = re.compile(r" \(\+ p_[^()]*(\([^()]*\)[^()]*)*\)")


def stages(phase: str, peepholes: bool = True) -> tuple[str, ...]:
    """The stage texts of ``phase`` ("forward"; anything else walks the backward stages);
    without ``peepholes``, without the peephole terms (a learner would read "+ p_o⊙δō" as a
    term of their model)."""
    texts = FORWARD_STAGES if phase == "forward" else BACKWARD_STAGES
    if peepholes:
        return texts
    return tuple(_PEEPHOLE_TERM.sub("", t).replace(", peepholes", "") for t in texts)


def n_stages(phase: str) -> int:
    return len(stages(phase))


def stage_keys(phase: str, stage: int | None) -> tuple[str, ...]:
    """The equation keys stage ``stage`` of ``phase`` frames (() for None or out of range)."""
    table = STAGE_KEYS["forward" if phase == "forward" else "backward"]
    if stage is None or not 0 <= stage < len(table):
        return ()
    return table[stage]
