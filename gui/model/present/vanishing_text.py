"""The articles' vanishing-gradient formulas with the session's numbers, at the cursor, for the
gradient-flow view (rich text). The numbers come from sim.vanishing."""

from __future__ import annotations

import numpy as np

from sim.vanishing import cell_error_row, simple_rnn_product

from .numbers import fmt


def _last_source(bt, k: int) -> int | None:
    """The last loss s > k whose error reaches step k (1-based), or None."""
    later = [int(s) for s in bt.sources if s > k]
    if not later:
        return None
    s = later[-1]
    K = bt.truncation
    return s if K is None or s - k < K else None


def formula_text(result, k: int) -> str:
    """At backward step k: the error of the last loss J(s) arriving at step k, written the
    article's way and the true way (simple RNN), or the LSTM's ||dJ(s)/dc(k)|| beside the
    highway product; "" when no loss reaches k or the model is another kind."""
    tr, bt = result.forward, result.backward
    s = _last_source(bt, k)
    if s is None or tr.kind not in ("SimpleRNN", "LSTM"):
        return ""
    n = s - k
    if tr.kind == "SimpleRNN":
        p = simple_rnn_product(tr, s, k)
        return (f"J({s}) → h({k}): δh({k}) = ∏<sub>s′={k + 1}..{s}</sub> "
                f"(Wᵀ diag g′(a(s′))) δh({s}), ‖that product‖ = {fmt(p.true_norm)} · the "
                f"article's (Wᵀ)<sup>{n}</sup> ∏ diag g′ = {fmt(p.article_norm)} (its factors "
                f"do not commute: relative error {fmt(p.relative_error)}) · bound "
                f"‖W‖<sup>{n}</sup> ∏ max g′ = {fmt(p.bound)}")
    row = cell_error_row(tr, np.asarray(bt.deltas["out"]), s, bt.truncation)
    return (f"J({s}) → c({k}): ‖∂J({s})/∂c({k})‖ = {fmt(row[k - 1])} through the whole block "
            f"(y and c), the quantity the LSTM article names; the highway curve holds y fixed "
            f"(only ∏ diag f and the peepholes)")
