"""Which error arrows the unfolded view draws at a backward step, and how they are bundled when
the sequence is long (a level-of-detail decision, so it lives here and not in the engine)."""

from __future__ import annotations

import numpy as np


def error_arrows(norms: np.ndarray, loss_mask: np.ndarray, t: int, bundle: int = 1,
                 first: int = 0):
    """The errors that have reached steps t..T at backward step ``t``: what the BPTT picture draws.

    Parameters
    ----------
    norms : (T, T) ``sim.analysis.error_norms``, [s-1, k-1] = ||dJ(s)/dh(k)||.
    loss_mask : (T,) which losses J(s) exist.
    t : the backward cursor (1-based); arrows at steps k >= t.
    bundle : > 1 lets that many neighbouring sources share one arrow along the way back: each
        source keeps its own entry at k = s, and each (bundle, k < s) carries the norm of the
        bundle's errors together, sqrt(sum of squares), listed under the bundle's first source.
    first : the first source's row (bundles count from it: a seq2seq model's losses start at
        the decoder's first column).

    Returns
    -------
    s, k : (n,) 0-based source and step of each arrow (k == s: J(s) enters h(s)).
    norm : (n,) the error norm the arrow carries (inf/NaN kept).
    """
    s_idx, k_idx = np.nonzero((norms != 0) | ~np.isfinite(norms))  # (n,), (n,)
    keep = (k_idx + 1 >= t) & (s_idx >= k_idx) & (loss_mask[s_idx] == 1)
    s_idx, k_idx = s_idx[keep], k_idx[keep]
    mags = norms[s_idx, k_idx]  # (n,)
    if bundle <= 1:
        return s_idx, k_idx, mags
    own = s_idx == k_idx  # (n,) where J(s) enters h(s)
    lane = (s_idx[~own] - first) // bundle  # (m,) the bundle of each source
    key = lane * norms.shape[0] + k_idx[~own]  # (m,) one per (bundle, k)
    uniq, inverse = np.unique(key, return_inverse=True)
    sq = np.zeros(len(uniq))
    with np.errstate(all="ignore"):
        np.add.at(sq, inverse, mags[~own] ** 2)  # (u,) summed squares per (bundle, k)
    lead = (uniq // norms.shape[0]) * bundle + first  # (u,) the bundle's first source
    return (np.concatenate([s_idx[own], lead]),
            np.concatenate([k_idx[own], uniq % norms.shape[0]]),
            np.concatenate([mags[own], np.sqrt(sq)]))
