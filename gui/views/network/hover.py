"""Hovering the unfolded view: the name, value and error of the neuron, error arrow or
connection under the mouse (the words are gui.model.present.unfolded_hover's)."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from ...model.present import unfolded_hover as words
from ...model.present.unfolded_layout import BWD, STATE_NODE, XDEC, Y_HAT, A, C, X

#: how the hover names the node layers a connection joins
LAYER_SYMBOL = {X: "x", XDEC: "x", Y_HAT: "ŷ", A: "a", C: "c"}


class HoverMixin:
    """Needs ``frame``, ``lay``, ``vb``, ``canvas``, ``errors``, ``edge_segs``, ``edge_meta``,
    ``mats``, ``chars``, ``_arrow_table`` and ``_arrow_bundle``."""

    def _on_mouse_moved(self, pos) -> None:
        if self.frame is None or self.lay is None or \
                not self.vb.sceneBoundingRect().contains(pos):
            return
        text = self.describe_at(self.vb.mapSceneToView(pos))
        self.hover_text = text or ""  # a tooltip: the layout never moves under the mouse
        if text:
            view_pt = self.canvas.mapFromScene(pos)
            QtWidgets.QToolTip.showText(self.canvas.mapToGlobal(view_pt),
                                        text.replace("<br>", "\n"), self)

    def describe_at_node(self, code: int, t: int, k: int) -> str | None:
        """The hover text at the centre of unit k (0-based) of layer ``code`` in column t."""
        table = self.lay.nodes
        row = np.flatnonzero((table[:, 0] == code) & (table[:, 1] == t) & (table[:, 2] == k))[0]
        return self.describe_at(QtCore.QPointF(table[row, 3], table[row, 4]))

    def describe_at(self, p) -> str | None:
        """The hover text for the point ``p`` (view coordinates), or None if nothing is near."""
        frame, lay = self.frame, self.lay
        px, py = self.vb.viewPixelSize()
        table = lay.nodes
        d = np.hypot((table[:, 3] - p.x()) / px, (table[:, 4] - p.y()) / py)
        n = int(np.argmin(d))
        if d[n] <= 12:
            code, t, k = (int(v) for v in table[n, :3])
            return words.node(frame.result, code, t, k, self.chars)
        tr = frame.result.forward
        if frame.cursor.phase == "backward" and len(self._arrow_table):
            a, dist = nearest_segment(self.errors.segments, p.x(), p.y(), px, py)
            if dist <= 8:
                s, t, m = self._arrow_table[a]
                col, t = int(s), int(t)
                state = tr.state_name
                if lay.bi:
                    state = "h→" if t <= col else "h←"
                own = col == t
                text = words.error(state, col - lay.t_enc, t, m,
                                   1 if own else self._arrow_bundle, own=own)
                return text if not lay.t_enc else text + " (J numbered by decoder step)"
        if len(self.edge_segs) and frame.cursor.phase != "backward":
            a, dist = nearest_segment(self.edge_segs, p.x(), p.y(), px, py)
            if dist <= 6:
                m, t, j, k = (int(v) for v in self.edge_meta[a])
                mat = self.mats[m]
                names = dict(LAYER_SYMBOL, **{STATE_NODE: "h→" if lay.bi else tr.state_name,
                                              BWD: "h←"})
                col = None if mat.part is None else k + mat.part[0]
                return words.edge(frame.result, mat.name, names[mat.src], names[mat.dst], j, k,
                                  t, mat.offset, col)
        return None


def nearest_segment(segs: np.ndarray, x: float, y: float, px: float, py: float):
    """Index of the segment nearest to (x, y) and its distance in pixels."""
    if not len(segs):
        return 0, np.inf
    a = segs[:, 0] / [px, py]  # (n, 2) in pixels
    b = segs[:, 1] / [px, py]
    q = np.array([x / px, y / py])
    ab = b - a
    with np.errstate(all="ignore"):
        u = np.clip(np.sum((q - a) * ab, axis=1) / np.sum(ab * ab, axis=1), 0, 1)
    u = np.nan_to_num(u)
    closest = a + u[:, None] * ab  # (n, 2)
    dist = np.hypot(*(closest - q).T)
    i = int(np.argmin(dist))
    return i, float(dist[i])
