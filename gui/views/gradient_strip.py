"""Per-step gradients: the articles' (dJ/dtheta)^(t) of one parameter as a row of small heat maps
that fill in as the backward pass reaches each step; beside them, on their own scale, their
running sum, the parameter theta and, at the update, theta - eta * sum. In the article's
colouring (errors by gradient step) the tiles of the coloured steps get frames of their colours.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from .. import colors
from ..graphics import type_scale
from ..graphics.arrows import EdgeLayer
from ..graphics.labels import pt, set_label
from ..model.present.numbers import fmt
from ..model.present.unfolded_layout import article_steps
from . import register
from .base import View, plain_viewbox

#: the parameter shown first: the first recurrent matrix the model has
#: the tiles' box grows for its labels up to this height (at type scale 1)
MAX_LABEL_ROOM_PX = 110
RECURRENT_FIRST = ("W", "R_z", "R_r", "fwd.W", "fwd.R_z", "fwd.R_r", "enc.W", "enc.R_z",
                   "enc.R_r")


def default_parameter(names) -> str:
    """The first recurrent matrix among parameter ``names`` (else the first name)."""
    names = list(names)
    return next((n for n in RECURRENT_FIRST if n in names), names[0])


def strip_layout(shape, T):
    """Column offsets of the T per-step tiles (gap of one column between tiles).

    Returns h, w (a tile's rows and columns), xs (T,) the tiles' first columns, and the total
    width of the per-step image.
    """
    h, w = (shape[0], 1) if len(shape) == 1 else shape
    step = w + 1
    xs = np.arange(T) * step  # (T,)
    return h, w, xs, T * step - 1


def _colour(values: np.ndarray, vmax: float) -> np.ndarray:
    """(..., 3) the diverging colours of signed ``values`` on [-vmax, vmax]."""
    return colors.rgb("diverging", colors.signed_index(values, vmax))


@register
class GradientStripView(View):
    name = "gradient-strip"
    title = "Per-step gradients"
    tabs = ("Unfolded",)
    order = 10
    description = ("(dJ/dθ)^(t) for each step t as it is computed, their running sum, and the "
                   "update θ − η Σ_t (dJ/dθ)^(t).")

    def __init__(self, ctx=None, parent=None):
        super().__init__(ctx, parent)
        self.combo = QtWidgets.QComboBox()
        self.combo.setToolTip("The parameter θ whose per-step gradients are shown")
        self.combo.activated.connect(self._on_parameter_chosen)
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        head.addWidget(QtWidgets.QLabel("Per-step gradient of"))
        head.addWidget(self.combo)
        head.addStretch(1)
        ci = self.add_canvas(head)
        row = ci.addLayout(row=1, col=0)
        self.vb = plain_viewbox(row, row=0, col=0)
        self.sum_vb = plain_viewbox(row, row=0, col=1)
        row.layout.setColumnStretchFactor(0, 6)
        row.layout.setColumnStretchFactor(1, 1)
        for vb in (self.vb, self.sum_vb):
            vb.invertY(True)
        self.image = pg.ImageItem()
        self.vb.addItem(self.image)
        self.sum_image = pg.ImageItem()
        self.sum_vb.addItem(self.sum_image)
        self.frames = EdgeLayer(self.vb, z=2, head_px=0)
        self.step_labels: list[pg.TextItem] = []
        self.sum_labels = [pg.TextItem(anchor=(0.5, 0)) for _ in range(3)]
        for lab in self.sum_labels:
            self.sum_vb.addItem(lab)
        self._layout_key = None
        self.rgba = np.zeros((1, 1, 4), np.uint8)
        self.running = np.zeros(0)
        self.parameter = None
        self.framed: tuple = ()
        self.setMinimumHeight(150)

    def _on_parameter_chosen(self, index: int) -> None:
        if self.app is not None:
            self.app.set_selection(parameter=self.combo.itemText(index))

    @staticmethod
    def shown_steps(T: int, cursor) -> np.ndarray:
        """(T,) which steps' contributions are computed at ``cursor``."""
        t = np.arange(1, T + 1)
        if cursor.phase == "forward":
            return np.zeros(T, bool)
        if cursor.phase == "backward":
            return t >= cursor.t
        return np.ones(T, bool)

    def _draw(self, frame) -> None:
        result, cursor = frame.result, frame.cursor
        tr, bt = result.forward, result.backward
        names = list(result.applied_gradient)
        if [self.combo.itemText(i) for i in range(self.combo.count())] != names:
            self.combo.clear()
            self.combo.addItems(names)
        name = frame.selection.parameter
        if name not in names:  # none chosen, or a parameter of another model
            name = default_parameter(names)
        self.parameter = name
        self.combo.setCurrentText(name)
        T = tr.T
        g = np.asarray(bt.grads_per_step[name])  # (T, *shape)
        theta = np.asarray(tr.params[name])
        new = np.asarray(result.new_params[name])
        if g.ndim == 2:  # vectors as one column
            g, theta, new = g[:, :, None], theta[:, None], new[:, None]
        h, w, xs, width = strip_layout(theta.shape, T)
        shown = self.shown_steps(T, cursor)
        faint = colors.hex_to_rgb(self.theme.faint)
        full, v_step = self._tiles(result, name, g, h, w, T, width)  # (width, h, 4), scale
        image = full.copy()  # (width, h, 4): one row per column of tiles
        step_of = np.minimum(np.arange(width) // (w + 1), T - 1)  # (width,) each row's step
        tile = np.arange(width) % (w + 1) < w  # (width,) False on the gap columns
        image[tile & ~shown[step_of], :, :3] = faint  # steps not computed yet
        self.rgba = image.transpose(1, 0, 2)  # (h, width, 4)
        self.image.setImage(image, levels=(0, 255))
        running = g[shown].sum(axis=0) if shown.any() else np.zeros_like(theta)
        self.running = running
        v_sum = colors.finite_max(running) if shown.any() else 1.0
        summary = np.zeros((h, 3 * w + 2, 4), np.uint8)
        summary[:, :w, :3] = _colour(running, v_sum) if shown.any() else faint
        v_theta = max(colors.finite_max(theta), colors.finite_max(new))
        summary[:, w + 1:2 * w + 1, :3] = _colour(theta, v_theta)
        summary[:, 2 * w + 2:, :3] = _colour(new, v_theta) if cursor.phase == "update" \
            else faint
        for x0 in (0, w + 1, 2 * w + 2):
            summary[:, x0:x0 + w, 3] = 255
        self.sum_image.setImage(np.ascontiguousarray(summary.transpose(1, 0, 2)),
                                levels=(0, 255))
        key = (name, T, h, w, self.theme)
        if key != self._layout_key:
            self._layout_key = key
            self._place_labels(name, T, h, w, xs, width)
        self._draw_frames(frame, h, w, xs)
        fg = self.theme.foreground
        text = (f"(∂J/∂{name})<sup>(t)</sup> for each step t, scale ±{fmt(v_step)} · right: "
                f"Σ so far (±{fmt(v_sum)}), θ = {name} and θ − η Σ (±{fmt(v_theta)})")
        if cursor.phase == "update":
            c = result.config
            text += f", η = {fmt(c.lr)}{', clipped' if result.clipped else ''}"
        elif cursor.phase == "forward":
            text += " · the gradients fill in during the backward pass"
        set_label(self.caption, text, color=fg, size=pt(self.theme, 10))

    def _tiles(self, result, name: str, g, h: int, w: int, T: int, width: int):
        """The strip with every step's tile coloured, (width, h, 4) uint8, and its colour scale
        max |g|: the same for every moment of one result and parameter, so coloured once (at
        H = 64, T = 100 an LSTM's W has 1.8 million entries: 30 ms a frame)."""
        key = (name, h, w, T)
        if self._tiles_of is not result or self._tiles_key != key:
            v_step = colors.finite_max(g)
            tiles = _colour(g, v_step)  # (T, h, w, 3)
            full = np.zeros((T, w + 1, h, 4), np.uint8)  # a gap column after every tile
            full[:, :w, :, :3] = tiles.transpose(0, 2, 1, 3)
            full[:, :w, :, 3] = 255
            self._tiles_cache = (full.reshape(T * (w + 1), h, 4)[:width], v_step)
            self._tiles_of, self._tiles_key = result, key
        return self._tiles_cache

    _tiles_of = None  # the result and (parameter, sizes) the cached tiles were coloured for
    _tiles_key = None

    def _draw_frames(self, frame, h: int, w: int, xs: np.ndarray) -> None:
        """Frames in the colours of the gradient steps the unfolded view colours (the article's
        figure: "a gradient in a colored frame needs all the errors in the same color")."""
        if frame.options["network"].color_by != "step" or frame.cursor.phase == "forward":
            self.framed = ()
            self.frames.set(np.zeros((0, 2, 2)), np.zeros(0), {})
            return
        T = len(xs)
        steps = (frame.cursor.t,) if T >= 40 and frame.cursor.phase == "backward" else \
            article_steps(T, frame.cursor)
        self.framed = steps
        segs, style = [], []
        for i, k in enumerate(steps):  # pixel (x, y) of the image covers [x, x+1] x [y, y+1]
            x0, x1 = xs[k - 1] - 0.35, xs[k - 1] + w + 0.35
            y0, y1 = -0.35, h + 0.35
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            segs += [(corners[j], corners[(j + 1) % 4]) for j in range(4)]
            style += [i] * 4
        pens = {i: colors.pen(colors.STEP_HEX[i % len(colors.STEP_HEX)],
                              2.5 if self.exporting else 2.0) for i in range(len(steps))}
        self.frames.set(np.asarray(segs, dtype=float), np.asarray(style), pens)

    def _place_labels(self, name, T, h, w, xs, width) -> None:
        for lab in self.step_labels:
            self.vb.removeItem(lab)
        self.step_labels = []
        fg = self.theme.foreground
        every = max(1, int(np.ceil(T / 20)))
        for t in range(0, T, every):
            lab = pg.TextItem(str(t + 1), anchor=(0.5, 0), color=fg)
            lab.setPos(xs[t] + w / 2, h + 0.4)
            self.vb.addItem(lab)
            self.step_labels.append(lab)
        pad = 0.25 * h + 1.5
        # θ sits a row lower than its neighbours: three labels never overlap over narrow tiles
        for lab, text, x, dy in zip(self.sum_labels, ("Σ", "θ", "θ − ηΣ"),
                                    (w / 2, 1.5 * w + 1, 2.5 * w + 2),
                                    (0.4, 0.4 + 0.25 * pad, 0.4), strict=True):
            lab.setText(text, color=fg)
            lab.setPos(x, h + dy)
        # the labels under the tiles are sized in pixels: the tiles' box is high enough that
        # they fit under them (the lowered θ too); on a low screen the canvas scales it all down
        label_px = QtGui.QFontInfo(QtWidgets.QApplication.font()).pixelSize() \
            * self.theme.font_scale / type_scale.app_font_scale() + 2
        room = (h + 0.6 + pad) / (0.75 * pad - 0.4)  # box height per label height
        low = min(label_px * room, MAX_LABEL_ROOM_PX * self.theme.font_scale)
        self.vb.setMinimumHeight(low)
        self.sum_vb.setMinimumHeight(low)
        self.vb.setRange(xRange=(-0.6, width + 0.6), yRange=(-0.6, h + pad), padding=0)
        self.sum_vb.setRange(xRange=(-0.8, 3 * w + 2.8), yRange=(-0.6, h + pad), padding=0)
        row = self.vb.parentItem()
        grid = getattr(row, "layout", None)
        if grid is not None:  # each side as wide as its tiles, the right at least a quarter
            grid.setColumnStretchFactor(0, int(width))
            grid.setColumnStretchFactor(1, int(max(3 * w + 4, width / 3)))

    def graphics_item(self):
        return self.canvas.ci
