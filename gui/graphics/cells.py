"""Many neurons at once as one image: a (T, n) table of colour levels drawn as small cells, one
group per time step, either as a vertical stack or as a horizontal row. One ``setImage`` per
frame, whatever T and n are (a scatter item pays per point for its brushes)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from .. import colors


class CellImage:
    """Cells of layer values in a ViewBox.

    Parameters
    ----------
    viewbox : where to draw.
    orientation : "stack" (n cells from ``lo`` (last) to ``hi`` (first) at x = t + ``dx``) or
        "row" (n cells side by side across the middle of the step, at height ``lo``).
    lo, hi : the stack's extent in y (a row's y is ``lo``).
    dx : the stack's x offset within the column.
    """

    def __init__(self, viewbox, orientation: str, lo: float, hi: float = 0.0, *,
                 dx: float = 0.0, z: float = 3.0):
        self.image = pg.ImageItem()
        self.image.setZValue(z)
        viewbox.addItem(self.image)
        self.orientation, self.lo, self.hi, self.dx = orientation, lo, hi, dx
        self.levels = np.zeros((0, 0), dtype=np.int64)
        self.rgb = np.zeros((0, 0, 3), dtype=np.uint8)

    def set(self, levels: np.ndarray, lit: np.ndarray, faint_hex: str, table="diverging") -> None:
        """Draw ``levels`` (T, n) (0..255, 256 non-finite); steps where ``lit`` (T,) is False
        are drawn faint."""
        T, n = levels.shape
        self.levels = levels
        rgb = colors.TABLES[table][np.minimum(levels, colors.NONFINITE)]  # (T, n, 3)
        rgb[~lit] = colors.hex_to_rgb(faint_hex)
        self.rgb = rgb  # what is drawn, for tests
        if self.orientation == "stack":
            img = np.zeros((3 * T, n, 4), np.uint8)  # (x, y, rgba): a cell in every third column
            img[1::3, :, :3] = rgb[:, ::-1]  # unit 0 on top
            img[1::3, :, 3] = 255
            step = (self.hi - self.lo) / max(n - 1, 1)
            y0 = self.lo - step / 2 if n > 1 else self.lo - 0.2
            height = self.hi - self.lo + step if n > 1 else 0.4
            self.image.setImage(img, levels=(0, 255))
            self.image.setRect(0.5 + self.dx, y0, float(T), height)
        else:
            gap = max(1, round(n / 3))
            per = n + 2 * gap  # sub-columns per step
            img = np.zeros((T * per, 1, 4), np.uint8)
            cols = (np.arange(T)[:, None] * per + gap + np.arange(n)[None]).ravel()  # (T n,)
            img[cols, 0, :3] = rgb.reshape(-1, 3)
            img[cols, 0, 3] = 255
            self.image.setImage(img, levels=(0, 255))
            self.image.setRect(0.5, self.lo - 0.12, float(T), 0.24)  # cells: n / per of a step
        self.image.setVisible(True)

    def hide(self) -> None:
        self.image.setVisible(False)
