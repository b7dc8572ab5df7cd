"""The folded view's unroll mode: a simple RNN's recurrent connections as a deep dense network
whose every layer uses the one W (the LSTM forward article: "virtually a simple RNN behaves almost
the same way as densely connected layers with many layers ... you have to multiply parameters
many times").

With a(m) = b + W h(m-1) + U x(m) and h(m) = g(a(m)), one layer's Jacobian is
dh(m)/dh(m-1) = diag(g'(a(m))) W, so the error of a loss J(s) reaches step k < s as

    dJ(s)/dh(k) = W^T diag(g'(a(k+1))) W^T diag(g'(a(k+2))) ... W^T diag(g'(a(s))) dJ(s)/dh(s)

(column vectors; W appears s - k times). Forward, the cursor's h(t) depends on h(1) through
dh(t)/dh(1) = diag(g'(a(t))) W ... diag(g'(a(2))) W. The products come from sim.vanishing; the
curve of their norms against the number of factors is a job (:class:`ChainCurveJob`): at
H = 64, T = 100 its hundred spectral norms take tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

import numpy as np

from sim.activations import derivative
from sim.analysis import spectral_radius
from sim.vanishing import simple_rnn_product

from .numbers import fmt

#: layers drawn at most; a longer chain folds its middle into one "⋮" gap
MAX_LAYERS = 7
#: layers kept at the cursor's end of a folded chain (the other end keeps MAX_LAYERS - 1 - this)
NEAR = 4
#: connections drawn per layer-to-layer gap: W's strongest entries, the same in every gap
MAX_EDGES = 96

#: what the mode says instead of the figure for the other kinds of model
OTHER_NOTES = {
    "LSTM": ("An LSTM's recurrent matrices R_z, R_i, R_f, R_o are also the same at every step, "
             "but its error also travels the cell highway c(t−1) → c(t), multiplied only by "
             "diag f(t): the product is not a power of one matrix. The unrolled stack is drawn "
             "for a SimpleRNN session; the gradient-flow view shows an LSTM's products."),
    "GRU": ("A GRU's recurrent matrices R_r, R_u, R_n are also the same at every step, but its "
            "state is also carried straight across by the interpolation (1 − u(t)) ⊙ h(t−1), "
            "which no R multiplies: the product is not a power of one matrix. The unrolled stack "
            "is drawn for a SimpleRNN session; the gradient-flow view shows a GRU's products."),
    "BidirectionalRNN": ("Each direction reuses its own recurrent matrices at every step; the "
                         "unrolled stack is drawn for a one-cell SimpleRNN session."),
    "Seq2Seq": ("The encoder and the decoder each reuse their own recurrent matrices at every "
                "step; the unrolled stack is drawn for a one-cell SimpleRNN session."),
}


@dataclass(frozen=True, eq=False)
class UnrolledChain:
    """What the unroll mode draws at one cursor (every step 1-based).

    Attributes
    ----------
    direction : "backward" (the error of J(top) carried down to h(bottom); the update phase too)
        or "forward" (h(top) = h(t) depending on h(bottom) = h(1)).
    top, bottom : the chain's ends, bottom <= top; ``n = top - bottom`` factors, W in each.
    source : the loss J(source) whose error travels (backward), else None.
    cursor_step : the step the cursor is at (bottom backward, top forward).
    layers : the steps drawn, bottom to top, at most MAX_LAYERS; None is the folded middle.
    values : (len(layers), H) what each drawn layer holds: dJ(source)/dh(m) backward, h(m)
        forward (a row of zeros for the folded middle).
    value_max : the colour scale of ``values`` (finite, > 0).
    layer_norms : (len(layers),) ||values row|| (NaN for the folded middle).
    W : (H, H) the one recurrent matrix every layer uses.
    rho : spectral radius of W.
    edges : (E, 3) rows (i, j, W[i, j]) of the connections drawn in every gap: unit j of the
        lower layer to unit i of the upper one, W's E strongest entries by |W[i, j]|
        (computed when first read: a view redraws its lines only when W changes).
    product_norm : the spectral norm of the chain's matrix (:func:`chain_product`), from the
        landed :class:`ChainCurve`; None while it computes (NaN: not finite).
    bound : ||W||^n prod_m max|g'(a(m))|, the article's bound on it (None while computing).
    formula : the chain written out, plain text with Unicode.
    gap_labels : the label of each gap between consecutive drawn layers (len(layers) - 1), ""
        for the two gaps of the folded middle (they draw no connections).
    fold_label : what the folded middle stands for ("" when nothing is folded).
    """

    direction: str
    top: int
    bottom: int
    source: int | None
    cursor_step: int
    layers: tuple
    values: np.ndarray
    value_max: float
    layer_norms: np.ndarray
    W: np.ndarray
    rho: float
    product_norm: float | None
    bound: float | None
    formula: str
    gap_labels: tuple
    fold_label: str = ""

    @cached_property
    def edges(self) -> np.ndarray:
        return strongest_edges(self.W)

    @property
    def n(self) -> int:
        """The number of factors W^T diag(g') (or diag(g') W) in the chain."""
        return self.top - self.bottom

    @property
    def curve_anchor(self) -> int:
        """The fixed end of the norm curve: the source backward, step 1 forward."""
        return self.top if self.direction == "backward" else self.bottom


def applies(result) -> bool:
    """The unrolled stack is a one-cell simple RNN's figure."""
    return result is not None and result.forward.kind == "SimpleRNN"


def other_note(result) -> str:
    """Why another model keeps its folded block in unroll mode ("" for a simple RNN)."""
    return "" if applies(result) else OTHER_NOTES.get(result.forward.kind, "")


def chain_source(bt, k: int) -> int | None:
    """The last loss s > k whose error reaches step k (1-based) under the run's truncation K
    (s - k < K), or None: the longest product that ends at h(k)."""
    K = bt.truncation
    later = [int(s) for s in bt.sources if s > k and (K is None or s - k < K)]
    return later[-1] if later else None


def chain_ends(result, cursor) -> tuple[str, int, int, int | None]:
    """(direction, bottom, top, source) of the chain at ``cursor`` (see :func:`unrolled_chain`)."""
    if cursor.phase == "forward":
        return "forward", 1, int(cursor.t), None
    k = 1 if cursor.phase == "update" else int(cursor.t)
    source = chain_source(result.backward, k)
    return "backward", k, (k if source is None else source), source


def drawn_layers(bottom: int, top: int, near_bottom: bool, max_layers: int = MAX_LAYERS
                 ) -> tuple:
    """The steps drawn from ``bottom`` up to ``top``: all of them when they fit in
    ``max_layers`` (>= 4), else about two thirds at the cursor's end (the bottom when
    ``near_bottom``), None for the folded middle and the rest at the other end."""
    steps = list(range(bottom, top + 1))
    if len(steps) <= max_layers:
        return tuple(steps)
    near = min(NEAR, max_layers - 2)
    far = max_layers - 1 - near
    if near_bottom:
        return tuple(steps[:near]) + (None,) + tuple(steps[-far:])
    return tuple(steps[:far]) + (None,) + tuple(steps[-near:])


def strongest_edges(W: np.ndarray, limit: int = MAX_EDGES) -> np.ndarray:
    """(E, 3) rows (i, j, W[i, j]) of the ``limit`` largest |W[i, j]| (all of W when it has no
    more entries), strongest first; ties keep row-major order."""
    H = W.shape[0]
    flat = np.abs(W).ravel()  # (H H,)
    order = np.argsort(-flat, kind="stable")[: min(limit, flat.size)]  # (E,)
    i, j = np.divmod(order, H)  # (E,), (E,)
    return np.stack([i, j, W[i, j]], axis=1).astype(float)  # (E, 3)


def unrolled_chain(result, cursor, max_layers: int = MAX_LAYERS,
                   curve: ChainCurve | None = None) -> UnrolledChain | None:
    """The chain at ``cursor`` for a simple RNN run, or None for any other kind of model;
    at most ``max_layers`` layers are drawn (4..MAX_LAYERS: fewer for a small figure); the
    norms come from ``curve`` (the landed :class:`ChainCurveJob` of this cursor), None without.

    Backward at step k (and at the update, as k = 1): the error of the last loss J(s) that
    reaches h(k), carried down from h(s) (n = s - k; when no later loss reaches k the chain is
    h(k) alone). Forward at step t: h(t) as a function of h(1) (n = t - 1).
    """
    if not applies(result):
        return None
    tr, bt = result.forward, result.backward
    W = np.asarray(tr.params["W"])  # (H, H)
    H = W.shape[0]
    direction, bottom, top, source = chain_ends(result, cursor)
    cursor_step = bottom if direction == "backward" else top
    n = top - bottom
    anchor = top if direction == "backward" else bottom
    landed = curve is not None and (curve.direction, curve.anchor) == (direction, anchor)
    if landed:
        product_norm, bound = float(curve.norms[n]), float(curve.bounds[n])
    else:
        product_norm = bound = None
    layers = drawn_layers(bottom, top, direction == "backward", max_layers)
    if direction == "backward" and source is not None:
        rows = np.asarray(bt.delta_by_source)[source - 1]  # (T, H) dJ(s)/dh(m)
    elif direction == "backward":
        rows = np.asarray(bt.deltas["h"])  # (T, H) dJ/dh(m): no later loss, the step's own
    else:
        rows = np.asarray(tr.h)  # (T, H) h(m)
    values = np.zeros((len(layers), H))  # (L, H)
    for r, m in enumerate(layers):
        if m is not None:
            values[r] = rows[m - 1]
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(values, axis=1)  # (L,)
    norms[[m is None for m in layers]] = np.nan
    vmax = float(np.nanmax(np.abs(values))) if values.size else 0.0
    if not np.isfinite(vmax) or vmax <= 0:
        vmax = 1.0
    if direction == "forward":
        vmax = 1.0 if tr.activation == "tanh" else vmax  # tanh's range, like the folded block
    return UnrolledChain(
        direction=direction, top=top, bottom=bottom, source=source, cursor_step=cursor_step,
        layers=layers, values=values, value_max=vmax, layer_norms=norms, W=W,
        rho=curve.rho if landed else spectral_radius(W), product_norm=product_norm,
        bound=bound,
        formula=formula(direction, bottom, top, source),
        gap_labels=tuple(_gap_label(direction, layers, r) for r in range(len(layers) - 1)),
        fold_label=fold_label(layers))


def fold_label(layers: tuple, short: bool = False) -> str:
    """The folded middle: the steps left out and the factors they hide ("" when none)."""
    if None not in layers:
        return ""
    r = layers.index(None)
    a, b = layers[r - 1], layers[r + 1]  # the drawn neighbours
    if short:
        return f"⋮  W {b - a} more times"
    return f"⋮  h({a + 1}) … h({b - 1}): the same W {b - a} more times"


def chain_product(tr, direction: str, bottom: int, top: int) -> np.ndarray:
    """(H, H) the chain's matrix from sim.vanishing: (dh(top)/dh(bottom))^T backward (it maps
    dJ/dh(top) to dJ/dh(bottom)), dh(top)/dh(bottom) forward; the identity when top = bottom."""
    if top == bottom:
        return np.eye(tr.n_hidden)
    true = simple_rnn_product(tr, top, bottom).true  # (H, H) (dh(top)/dh(bottom))^T
    return true if direction == "backward" else true.T


def _gap_label(direction: str, layers: tuple, r: int) -> str:
    """The label of the gap between drawn layers r and r + 1 (bottom to top)."""
    lo, hi = layers[r], layers[r + 1]
    if lo is None or hi is None:  # the folded middle's gaps: no connections, its own label
        return ""
    if direction == "backward":
        return f"Wᵀ diag g′(a({hi}))"
    return f"diag g′(a({hi})) W"


def formula(direction: str, bottom: int, top: int, source: int | None) -> str:
    """The chain written out (first two factors, ⋯, the last when there are more than three)."""
    n = top - bottom
    if direction == "backward":
        if source is None:
            return (f"No later loss reaches h({bottom}) (no J(s) with s > {bottom}, or "
                    f"truncation cuts it): no product of W ends here.")
        fac = [f"Wᵀ diag g′(a({m}))" for m in range(bottom + 1, top + 1)]
        lhs, rhs = f"∂J({source})/∂h({bottom}) = ", f" · ∂J({source})/∂h({top})"
    else:
        if n == 0:
            return "h(1) = g(b + W h(0) + U x(1)): no product of W yet (step forward)."
        fac = [f"diag g′(a({m})) W" for m in range(top, bottom, -1)]
        lhs, rhs = f"∂h({top})/∂h({bottom}) = ", ""
    body = " · ".join(fac) if len(fac) <= 3 else " · ".join(fac[:2]) + " ⋯ " + fac[-1]
    times = "once" if n == 1 else f"{n} times"
    return f"{lhs}{body}{rhs}   (W appears {times})"


# -- the curve: ||product of n factors|| against n (a job) --------------------------------------

@dataclass(frozen=True, eq=False)
class ChainCurve:
    """Norms of the chain's partial products, n = 0..N factors.

    Attributes
    ----------
    direction, anchor : the chain it belongs to (see :class:`ChainCurveJob`).
    n : (N + 1,) number of factors.
    norms : (N + 1,) spectral norm of the product of n factors (NaN where it is not finite or
        0): backward from source s, ||(dh(s)/dh(s - n))^T||; forward from step 1,
        ||dh(1 + n)/dh(1)||.
    rho_power : (N + 1,) rho(W)^n, W's own growth without the g' factors.
    bounds : (N + 1,) ||W||^n times the product of max|g'| of the n factors (the bound).
    rho : the spectral radius of W.
    """

    direction: str
    anchor: int
    rho: float
    n: np.ndarray
    norms: np.ndarray
    rho_power: np.ndarray
    bounds: np.ndarray


def chain_curve(tr, direction: str, anchor: int, should_stop=None) -> ChainCurve | None:
    """The norm curve of a simple RNN trace ``tr``: backward from source ``anchor`` down to
    h(1), or forward from h(``anchor``) = h(1) up to h(T); None when ``should_stop()``."""
    W = np.asarray(tr.params["W"])  # (H, H)
    H = W.shape[0]
    gp = derivative(tr.activation, tr.a, tr.h)  # (T, H) g'(a(m)) at row m - 1
    if direction == "backward":
        rows = list(range(anchor - 1, 0, -1))  # g'(a(k+1)) for k = s-1 .. 1, row k
    else:
        rows = list(range(anchor, tr.T))  # g'(a(m)) for m = 2 .. T, row m - 1
    N = len(rows)
    norms = np.full(N + 1, np.nan)  # (N + 1,)
    norms[0] = 1.0
    P = np.eye(H)  # (H, H) the product so far
    with np.errstate(all="ignore"):
        for i, r in enumerate(rows, start=1):
            if should_stop is not None and should_stop():
                return None
            if direction == "backward":
                P = (W.T * gp[r][None, :]) @ P  # (H, H) Q_k = W^T diag g'(a(k+1)) Q_(k+1)
            else:
                P = (gp[r][:, None] * W) @ P  # (H, H) P_m = diag g'(a(m)) W P_(m-1)
            if np.all(np.isfinite(P)):
                v = float(np.linalg.norm(P, 2))
                norms[i] = v if v > 0 else np.nan
        g_max = np.abs(gp[rows]).max(axis=1) if N else np.zeros(0)  # (N,) max|g'| per factor
        bounds = np.concatenate([[1.0], np.cumprod(np.linalg.norm(W, 2) * g_max)])  # (N + 1,)
        rho = spectral_radius(W)
        rho_power = rho ** np.arange(N + 1, dtype=float)  # (N + 1,)
    rho_power[~np.isfinite(rho_power) | (rho_power <= 0)] = np.nan
    return ChainCurve(direction=direction, anchor=anchor, rho=rho, n=np.arange(N + 1), norms=norms,
                      rho_power=rho_power, bounds=bounds)


@dataclass(frozen=True)
class ChainCurveJob:
    """The norm curve of run ``result`` from ``anchor`` in ``direction`` (the result compared by
    identity: one result, its curves)."""

    result: object
    direction: str
    anchor: int
    cost: float = field(default=0.0, compare=False)
    delay_ms: ClassVar[int] = 0

    @classmethod
    def of(cls, result, cursor) -> ChainCurveJob:
        """The curve the chain at ``cursor`` sits on."""
        direction, bottom, top, _ = chain_ends(result, cursor)
        H = result.forward.n_hidden
        return cls(result, direction, top if direction == "backward" else bottom,
                   cost=4e-4 * result.T * max(1.0, (H / 64) ** 3))

    def compute(self, progress, should_stop):
        return chain_curve(self.result.forward, self.direction, self.anchor, should_stop)


def curve_title(chain: UnrolledChain, short: bool = False) -> str:
    """The plot's title (``short``: for a small figure)."""
    if short:
        return "‖product of n factors‖ against n"
    if chain.direction == "backward":
        s = chain.source if chain.source is not None else chain.top
        return f"from h({s}) down n steps: ‖(∂h({s})/∂h({s} − n))ᵀ‖ against n"
    return "from h(1) up n steps: ‖∂h(1 + n)/∂h(1)‖ against n"


def short_formula(chain: UnrolledChain) -> str:
    """The chain in a few words, for a small figure."""
    if chain.n == 0:
        return "no product of W ends at this step"
    times = "once" if chain.n == 1 else f"{chain.n} times"
    lhs = (f"∂J({chain.source})/∂h({chain.bottom})" if chain.direction == "backward"
           else f"∂h({chain.top})/∂h(1)")
    return (f"{lhs}: W appears {times}; ‖product‖ = {_norm(chain.product_norm)}, "
            f"ρ(W)ⁿ = {fmt(chain.rho ** chain.n)}")


def readout(chain: UnrolledChain) -> str:
    """One line of numbers under the formula."""
    return (f"n = {chain.n} · ‖product‖ = {_norm(chain.product_norm)} · ρ(W) = "
            f"{fmt(chain.rho)}, ρ(W)ⁿ = {fmt(chain.rho ** chain.n)} · bound ‖W‖ⁿ ∏ max g′ = "
            f"{_norm(chain.bound)}")


def _norm(v: float | None) -> str:
    """A norm from the curve, or a note while it computes."""
    return "computing…" if v is None else fmt(v)
