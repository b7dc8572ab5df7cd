"""Per-step gradients: the articles' (dJ/dtheta)^(t) of one parameter as a row of small heat maps,
their running sum filling in as the backward pass proceeds, and at the update the new value."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from .. import colors
from ..graphics.labels import pt
from ..model.present.numbers import fmt
from . import register
from .base import View


def default_parameter(kind: str) -> str:
    return "W" if kind == "SimpleRNN" else "R_z"


def strip_layout(shape, T):
    """Column offsets of the tiles: T per-step tiles, the sum, theta, theta_new; gap of one."""
    h, w = (shape[0], 1) if len(shape) == 1 else shape
    step = w + 1
    x_steps = np.arange(T) * step  # (T,)
    x_sum = T * step + 1
    x_old = x_sum + step + 1
    x_new = x_old + step
    return h, w, x_steps, x_sum, x_old, x_new, x_new + w


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
        self.vb = ci.addViewBox(row=1, col=0)
        self.vb.setMouseEnabled(False, False)
        self.vb.setMenuEnabled(False)
        self.vb.invertY(True)
        self.image = pg.ImageItem()
        self.vb.addItem(self.image)
        self.labels: list[pg.TextItem] = []
        self._layout_key = None
        self.rgba = np.zeros((1, 1, 4), np.uint8)
        self.parameter = None
        self.setMinimumHeight(150)

    def _on_parameter_chosen(self, index: int) -> None:
        if self.app is not None:
            self.app.set_selection(parameter=self.combo.itemText(index))

    def _draw(self, frame) -> None:
        result, cursor = frame.result, frame.cursor
        tr, bt = result.forward, result.backward
        names = list(result.applied_gradient)
        if [self.combo.itemText(i) for i in range(self.combo.count())] != names:
            self.combo.clear()
            self.combo.addItems(names)
        name = frame.selection.parameter or default_parameter(tr.kind)
        self.parameter = name
        self.combo.setCurrentText(name)
        T = tr.T
        g = np.asarray(bt.grads_per_step[name])  # (T, *shape)
        theta = np.asarray(tr.params[name])
        new = np.asarray(result.new_params[name])
        if g.ndim == 2:  # vectors as one column
            g, theta, new = g[:, :, None], theta[:, None], new[:, None]
        h, w, xs, x_sum, x_old, x_new, width = strip_layout(theta.shape if theta.shape[1] > 1
                                                            else (theta.shape[0],), T)
        shown = self.shown_steps(T, cursor)
        rgba = np.zeros((h, width, 4), np.uint8)
        faint = colors.hex_to_rgb(self.theme.faint)
        v_step = colors.finite_max(g)
        for t in range(T):
            tile = rgba[:, xs[t]:xs[t] + w]
            if shown[t]:
                tile[..., :3] = colors.rgb("diverging", colors.signed_index(g[t], v_step))
            else:
                tile[..., :3] = faint
            tile[..., 3] = 255
        running = g[shown].sum(axis=0) if shown.any() else np.zeros_like(theta)
        v_sum = colors.finite_max(running) if shown.any() else 1.0
        rgba[:, x_sum:x_sum + w, :3] = colors.rgb("diverging",
                                                  colors.signed_index(running, v_sum)) \
            if shown.any() else faint
        rgba[:, x_sum:x_sum + w, 3] = 255
        if cursor.phase == "update":
            v_theta = max(colors.finite_max(theta), colors.finite_max(new))
            rgba[:, x_old:x_old + w, :3] = colors.rgb("diverging",
                                                      colors.signed_index(theta, v_theta))
            rgba[:, x_new:x_new + w, :3] = colors.rgb("diverging",
                                                      colors.signed_index(new, v_theta))
            rgba[:, x_old:x_old + w, 3] = 255
            rgba[:, x_new:x_new + w, 3] = 255
        self.rgba = rgba
        self.running = running
        self.image.setImage(np.ascontiguousarray(rgba.transpose(1, 0, 2)), levels=(0, 255))
        key = (name, T, h, w, self.theme)
        if key != self._layout_key:
            self._layout_key = key
            self._place_labels(name, T, h, w, xs, x_sum, x_old, x_new, width)
        fg = self.theme.foreground
        text = (f"(∂J/∂{name})<sup>(t)</sup>, scale ±{fmt(v_step)} · Σ so far, ±{fmt(v_sum)}")
        if cursor.phase == "update":
            text += (f" · {name} and {name} − η Σ, ±{fmt(v_theta)} (η = {fmt(result.config.lr)}"
                     f"{', clipped' if result.clipped else ''})")
        elif cursor.phase == "forward":
            text += " · fills in during the backward pass"
        self.caption.setText(text, color=fg, size=pt(self.theme, 10))

    @staticmethod
    def shown_steps(T: int, cursor) -> np.ndarray:
        """(T,) which steps' contributions are computed at ``cursor``."""
        t = np.arange(1, T + 1)
        if cursor.phase == "forward":
            return np.zeros(T, bool)
        if cursor.phase == "backward":
            return t >= cursor.t
        return np.ones(T, bool)

    def _place_labels(self, name, T, h, w, xs, x_sum, x_old, x_new, width) -> None:
        for lab in self.labels:
            self.vb.removeItem(lab)
        self.labels = []
        fg = self.theme.foreground
        every = max(1, int(np.ceil(T / 20)))
        marks = [(xs[t] + w / 2, str(t + 1)) for t in range(0, T, every)]
        marks += [(x_sum + w / 2, "Σ"), (x_old + w / 2, name), (x_new + w / 2, "new")]
        for x, text in marks:
            lab = pg.TextItem(text, anchor=(0.5, 0), color=fg)
            lab.setPos(x, h + 0.2)
            self.vb.addItem(lab)
            self.labels.append(lab)
        self.vb.setRange(xRange=(-0.5, width + 0.5), yRange=(-0.5, h + 0.5 + 0.25 * h + 1.5),
                         padding=0)

    def graphics_item(self):
        return self.canvas.ci
