"""The Help menu's pages: which article section each tab illustrates, the notation (the articles'
and where Unfold writes it differently), and about Unfold. Plain data, shown by gui/help.py and
listed in the README."""

from __future__ import annotations

SERIES = "A gentle introduction to the tiresome part of understanding RNN"
PREREQ = "Prerequisites for understanding RNN at a more mathematical level"
SIMPLE = "Simple RNN: the first foothold for understanding LSTM"
FORWARD = "Understanding LSTM forward propagation in two ways"
BACKPROP = "LSTM back propagation: following the flows of variables"
CURSE = "Spiky cubes, Pac-Man walking, empty M&M's chocolate: curse of dimensionality"

#: (tab, article, section, what the tab shows of it)
TAB_SECTIONS = (
    ("Task types", PREREQ, "4, the types of RNN tasks (many-to-one, one-to-many, "
     "many-to-many, sequence to sequence, bidirectional)", "one small model of each kind, "
     "drawn from its own run; click one to open it"),
    ("Backprop basics", BACKPROP, "1, chain rules as graphs; and " + SIMPLE + ", 1, a dense "
     "layer's back propagation", "the chain rule's routes summed and checked against a finite "
     "difference; the errors of a small dense network, layer by layer"),
    ("Unfolded", SIMPLE, "2, Forward propagation of simple RNN; 3, The steps of back "
     "propagation of simple RNN", "the RNN unfolded through time, BPTT with the errors of "
     "each J(s) (colour by gradient step: the article's figure), truncation, the per-step "
     "gradients summed into one update"),
    ("Folded", SIMPLE, "2, Forward propagation (the black box)", "the same network folded: "
     "one block and its loops"),
    ("LSTM circuit", FORWARD, "4, Forward propagation of LSTM in \"electronic circuit type\"",
     "the block with the cell highway across the top; backward, the flows of the errors"),
    ("LSTM odyssey", FORWARD, "5, Space Odyssey type", "Greff et al.'s drawing, the cell in "
     "the centre, peepholes in blue"),
    ("GRU", FORWARD, "4, the electronic-circuit drawing, applied to the GRU (Cho et al. "
     "2014); and " + BACKPROP + ", its flows", "one GRU block: the update gate interpolating "
     "between h(t−1) and the candidate n(t) on the state highway, the reset gate on R_n "
     "h(t−1), follow one flow"),
    ("Gradient flow", BACKPROP, "3, How LSTMs tackle exploding/vanishing gradients problems",
     "‖∂J(t)/∂h(k)‖ against t − k, Jacobian products, the cell highway, norm clipping"),
    ("Equations", BACKPROP, "2, Chain rules in LSTM", "the equations being evaluated, with "
     "the numbers of one unit"),
    ("Training", SIMPLE, "3 (one update per sequence; truncated BPTT)", "many updates: loss, "
     "gradient norms, accuracy; a simple RNN against an LSTM"),
    ("Landscape", BACKPROP, "3 (clipping; the cliff of Pascanu et al.)", "a cliff in the loss "
     "of a one-unit RNN, with a clipped and an unclipped descent"),
    ("Geometry", CURSE, "1, grids and samples; 2, spiky cubes, angles, shells, distances",
     "the geometry of high dimensions, with exact numbers beside the article's claims"),
)

#: (quantity, as Unfold writes it, as the articles write it / remark)
NOTATION = (
    ("time steps", "t = 1, …, T", "the simple-RNN article counts t = 0, …, τ: Unfold's t is "
     "the article's t + 1, T = τ + 1"),
    ("simple RNN", "a(t) = b + W h(t−1) + U x(t), h = g(a), o = c + V h, ŷ = f(o)",
     "the same (Goodfellow et al.)"),
    ("LSTM gates", "z, i, f, o (block input, input, forget, output gate); z̄, ī, f̄, ō before "
     "their nonlinearity", "Greff et al.'s notation; the forward article writes in, for, out "
     "for the three gates"),
    ("LSTM output", "y(t) = o ⊙ tanh c(t); the readout out(t) = c + V y(t)", "Unfold calls the "
     "readout's bias c as the articles do; the cell state is c(t), always with its step"),
    ("errors", "δh, δa, δo (simple RNN); δy, δc, δz̄, δī, δf̄, δō, δout (LSTM)",
     "δ* = ∂J/∂*, the articles' errors; the LSTM readout's error is δout, never δo (that is "
     "the output gate's ō)"),
    ("units", "h_k(t), unit k of h(t)", "k indexes units; the truncation window is K"),
    ("truncation", "K: J(s) reaches h(s), …, h(s − K + 1)", "every term with s − t ≥ K is "
     "dropped (the engine's rule); the simple-RNN article's other truncation (updating every "
     "K steps over a long text) is training's option"),
    ("clipping", "τ, the threshold; g ← g τ/‖g‖ when ‖g‖ > τ", "global (the whole g, the "
     "articles' pseudo-code and Pascanu et al.) or per step (each (∂J/∂θ)^(t))"),
    ("GRU", "r, u reset and update gates, n the candidate; h = (1 − u) ⊙ n + u ⊙ h(t−1)",
     "not in the articles (Cho et al.); u = 1 keeps the old state, as f = 1 does an LSTM's cell"),
    ("bidirectional", "h→(t) runs t = 1..T, h←(t) runs T..1; ŷ(t) = f(V [h→(t); h←(t)] + c)",
     "the prerequisites article's name-entity example; h←'s errors travel forward in time"),
    ("encoder-decoder", "columns 1..T_enc encode, T_enc + 1..T decode; J(j) numbered by the "
     "decoder's step j", "the articles' sequence to sequence; the decoder reads its own last "
     "output (or, with teacher forcing, the target)"),
)

ABOUT = (f"Unfold: see recurrent neural networks work. Built from the article series “{SERIES}” "
         f"and “{CURSE}”. A simple RNN and an LSTM unfolded through time, back-propagation "
         "through time as it happens, vanishing and exploding gradients, clipping, and the "
         "geometry of high dimensions. Every number on screen is computed by its NumPy engine, "
         "whose gradients are checked against finite differences and an independent "
         "implementation. MIT licence.")


def tabs_html() -> str:
    rows = "".join(f"<tr><td><b>{tab}</b></td><td><i>{article}</i>, {section}</td>"
                   f"<td>{what}</td></tr>" for tab, article, section, what in TAB_SECTIONS)
    return ("<table cellspacing='6'><tr><th>tab</th><th>article, section</th>"
            f"<th>shows</th></tr>{rows}</table>")


def notation_html() -> str:
    rows = "".join(f"<tr><td><b>{q}</b></td><td>{unfold}</td><td>{articles}</td></tr>"
                   for q, unfold, articles in NOTATION)
    return ("<table cellspacing='6'><tr><th></th><th>Unfold</th><th>the articles / remark"
            f"</th></tr>{rows}</table>")
