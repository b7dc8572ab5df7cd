"""A heat map of error norms ||dJ(s)/dh(t)|| over (t, s), on a log colour scale, with the cursor's
column outlined: the whole of BPTT at a glance when the sequence is too long for arrows."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .. import colors
from .axes import static_plot, style_axes


class NormMap:
    """An ImageItem of log norms in its own static PlotItem of ``layout``."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        self.plot = static_plot(layout, row, col)
        self.plot.setFixedWidth(230)
        self.plot.setTitle("errors ‖∂J(s)/∂h(t)‖", size="9pt")
        self.plot.setLabel("bottom", "t, the step reached")
        self.plot.setLabel("left", "s, the loss J(s)")
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.outline = pg.PlotCurveItem()
        self.outline.setZValue(5)
        self.plot.addItem(self.outline)
        self.shown = np.zeros((0, 0))

    def set(self, norms: np.ndarray, visible: np.ndarray, decades: float, cursor_t, theme) -> None:
        """Draw ``norms`` (T, T) [s-1, t-1] where ``visible`` (T, T) is True; a column outline
        at ``cursor_t`` (1-based) or none."""
        T = norms.shape[0]
        vmax = colors.finite_max(norms)
        idx = colors.magnitude_index(norms, vmax, log_decades=decades)  # (T, T)
        rgb = colors.TABLES["viridis"][idx]  # (T, T, 3)
        alpha = np.where(visible & ((norms != 0) | ~np.isfinite(norms)), 255, 0)
        img = np.concatenate([rgb, alpha[..., None].astype(np.uint8)], axis=2)  # (T, T, 4)
        self.shown = np.where(alpha > 0, norms, np.nan)
        self.image.setImage(np.ascontiguousarray(img.transpose(1, 0, 2)), levels=(0, 255))
        self.image.setRect(0.5, 0.5, T, T)
        self.plot.setRange(xRange=(0.5, T + 0.5), yRange=(0.5, T + 0.5), padding=0.0)
        if cursor_t is None:
            self.outline.setData([], [])
        else:
            x0, x1 = cursor_t - 0.5, cursor_t + 0.5
            self.outline.setData([x0, x1, x1, x0, x0], [0.5, 0.5, T + 0.5, T + 0.5, 0.5],
                                 pen=colors.pen(theme.highlight, 1.5))
        style_axes(self.plot, theme)

    def set_visible(self, on: bool) -> None:
        self.plot.setVisible(on)
        self.plot.setFixedWidth(230 if on else 0)
