"""Colour maps and palettes as plain tables (Qt-free): diverging for signed values, sequential for
magnitudes, categorical for loss sources and for gradient steps. gui/colors.py builds Qt brushes
and pens from them."""

from __future__ import annotations

import numpy as np

LEVELS = 256
#: index of the grey used for inf/NaN, one past the last level
NONFINITE = LEVELS
NONFINITE_RGB = (150, 150, 150)

# ColorBrewer RdBu (11 classes), from negative (dark blue) through white to positive (dark red).
_RDBU = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
         "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"]
# viridis and cividis anchors (matplotlib's maps, sampled evenly).
_VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962",
            "#addc30", "#fde725"]
_CIVIDIS = ["#00224e", "#123570", "#3b496c", "#575d6d", "#707173", "#8a8779", "#a69d75",
            "#c4b56c", "#e4cf5b", "#fee838"]

#: Okabe-Ito without black and yellow (yellow is the recurrent connections' colour), then Paul
#: Tol's muted scheme: both colour-blind safe. Source J(s) takes entry (s - 1) mod len.
SOURCE_HEX = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
              "#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE",
              "#DDCC77", "#CC6677"]
#: the article's colours for the errors each per-step gradient (dJ/dtheta)^(t) needs, in the
#: order of its figure (purple, orange, red), then more for further steps
STEP_HEX = ["#7B3294", "#E66101", "#CA0020", "#1B7837", "#2166AC", "#8C510A"]
#: the LSTM's cell highway (not one of the source hues)
HIGHWAY_HEX = "#6a3d9a"


def hex_to_rgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _interpolate(anchors: list[str]) -> np.ndarray:
    """(LEVELS + 1, 3) uint8 table through ``anchors``; the last row is the non-finite grey."""
    rgb = np.array([hex_to_rgb(a) for a in anchors], dtype=float)  # (n, 3)
    x = np.linspace(0, 1, len(anchors))  # (n,)
    xi = np.linspace(0, 1, LEVELS)  # (LEVELS,)
    table = np.stack([np.interp(xi, x, rgb[:, k]) for k in range(3)], axis=1)  # (LEVELS, 3)
    table = np.vstack([table, NONFINITE_RGB])  # (LEVELS + 1, 3)
    return np.round(table).astype(np.uint8)


TABLES = {"diverging": _interpolate(_RDBU), "viridis": _interpolate(_VIRIDIS),
          "cividis": _interpolate(_CIVIDIS)}


def signed_index(values, vmax: float) -> np.ndarray:
    """Level index 0..255 of signed ``values`` on the scale [-vmax, vmax]; NaN/inf -> 256."""
    v = np.asarray(values, dtype=float)
    vmax = vmax if np.isfinite(vmax) and vmax > 0 else 1.0
    with np.errstate(invalid="ignore"):
        x = (np.clip(v / vmax, -1, 1) + 1) / 2  # [0, 1]
    idx = np.round(np.nan_to_num(x, nan=0.5) * (LEVELS - 1)).astype(np.int64)
    return np.where(np.isfinite(v), idx, NONFINITE)


def magnitude_index(values, vmax: float, *, log_decades: float | None = None) -> np.ndarray:
    """Level index of non-negative ``values`` on [0, vmax] (or on a log scale spanning
    ``log_decades`` decades below vmax); NaN/inf -> 256."""
    v = np.abs(np.asarray(values, dtype=float))
    vmax = vmax if np.isfinite(vmax) and vmax > 0 else 1.0
    with np.errstate(all="ignore"):
        if log_decades:
            x = 1 + np.log10(v / vmax) / log_decades
        else:
            x = v / vmax
        x = np.clip(np.nan_to_num(x, nan=0.0, neginf=0.0), 0, 1)
    idx = np.round(x * (LEVELS - 1)).astype(np.int64)
    return np.where(np.isfinite(v), idx, NONFINITE)


def rgb(table: str, idx) -> np.ndarray:
    """(..., 3) uint8 colours of level indices ``idx`` in ``table``."""
    return TABLES[table][np.asarray(idx)]


def source_rgb(s: int) -> tuple[int, int, int]:
    """The colour of loss J(s) (s 1-based), the same in every view."""
    return hex_to_rgb(SOURCE_HEX[(s - 1) % len(SOURCE_HEX)])


def source_hex(s: int) -> str:
    return SOURCE_HEX[(s - 1) % len(SOURCE_HEX)]


def finite_max(a) -> float:
    """max |a| over the finite entries, or 1.0 when there are none or it is 0 (a safe scale)."""
    a = np.abs(np.asarray(a, dtype=float))
    a = a[np.isfinite(a)]
    m = float(a.max()) if a.size else 1.0
    return m if m > 0 else 1.0
