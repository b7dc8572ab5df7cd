"""The wires of a block drawing: forward in the colours of their kind (greyed until computed),
backward each carrying its term of the chain rule for unit k (colour = sign, width = |term|,
arrows pointing back), and the followed flow's routes in purple."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from sim.lstm_graph import WIRE

from ... import colors
from ...graphics.arrows import EdgeLayer
from ...model.present import lstm_block as pres
from .nodes import HINT_ALPHA

#: pens by (colour, width, alpha, style), made once: a frame's styles repeat
_pen = lru_cache(maxsize=512)(colors.pen)


class WiresMixin:
    """Draws the wires, buses and flow of ``self.layout`` in ``self.vb``."""

    def _build_wires(self) -> None:
        vb = self.vb
        self.decor = EdgeLayer(vb, z=0, head_px=0)
        self.wires = EdgeLayer(vb, z=1, head_px=8)
        self.trunk_lines = EdgeLayer(vb, z=1, head_px=0)
        self.flow_lines = EdgeLayer(vb, z=0.5, head_px=12)
        self.flow_trunks = EdgeLayer(vb, z=0.5, head_px=0)
        self._wire_keys = list(self.layout.wires)
        self._wire_polys = [self.layout.wires[k] for k in self._wire_keys]
        self._wire_shown: dict = {}
        self._wire_style: dict = {}
        self._flow_keys: set = set()

    def _layers(self) -> tuple:
        return self.wires, self.trunk_lines, self.flow_lines, self.flow_trunks, self.decor

    def _draw_wires(self, result, errors, scales, phase, t, k, stage) -> None:
        """``errors``: the block graph's wire errors around block t (backward), else {}."""
        th = self.theme
        lw = 1.5 if self.exporting else 1.0
        peep = result.forward.peepholes
        keys, polys, styles, pens, reverse = [], [], [], {}, []
        shown = {}
        vmax = scales["err"] if scales else 1.0

        def dash(dashed):
            return "dash" if dashed else "solid"

        def err_style(v, dashed):
            if not np.isfinite(v):
                key = ("nan", dashed)
                pens[key] = _pen(colors.NONFINITE_RGB, 3.0 * lw, 255, dash(dashed))
                return key
            if v == 0:
                key = ("zero", dashed)
                pens[key] = _pen(th.faint, lw, 255, dash(dashed))
                return key
            wbin = pres.error_level(v, vmax)
            key = ("err", int(np.sign(v)), wbin, dashed)
            rgb = colors.TABLES["diverging"][pres.error_colour_index(v, wbin)]
            pens[key] = _pen(tuple(int(c) for c in rgb), pres.ERROR_WIDTHS[wbin] * lw * 1.2,
                                   255, dash(dashed))
            return key

        def fwd_style(kind, state, dashed):
            key = ("fwd", kind, state, dashed)
            col = self._kind_hex(kind)
            width = (2.6 if kind == "cell" else 1.5) * lw
            alpha = 255
            if state == "now":
                width *= 1.9
            elif state == "later":
                col = th.faint
            elif state == "hint":
                alpha = HINT_ALPHA
            pens[key] = _pen(col, width, alpha, dash(dashed))
            return key

        for key, pts in zip(self._wire_keys, self._wire_polys, strict=True):
            w = WIRE[key[1]]
            if w.peephole and not peep:
                continue
            dashed = key in self.layout.dashed
            state = pres.wire_state(phase, key, stage) if scales else "later"
            back = False
            if phase == "backward":
                ekey = (t + key[0], key[1])
                if w.src == "x" or ekey not in errors or state in ("later", "hint"):
                    st = fwd_style(w.kind, "later", dashed)  # nothing flows here now
                else:
                    v = float(errors[ekey][k])
                    shown[key] = v
                    st = err_style(v, dashed)
                    back = True
            else:
                st = fwd_style(w.kind, state, dashed)
            keys.append(key)
            polys.append(pts)
            styles.append(st)
            reverse.append(back)
        self.wires.set_polylines(polys, styles, pens, reverse=reverse)
        self._wire_style = dict(zip(keys, styles, strict=True))
        polys, styles = [], []
        for trunk in self.layout.trunks:
            members = [m for m in trunk.members if not WIRE[m[1]].peephole or peep]
            if not members:
                continue
            dashed = members[0] in self.layout.dashed
            if phase == "backward" and all(m in shown for m in members):
                v = float(sum(shown[m] for m in members))
                st = err_style(v, dashed)
                shown[("trunk",) + tuple(members)] = v
            else:
                state = pres.wire_state(phase, members[0], stage) if scales else "later"
                st = fwd_style(WIRE[members[0][1]].kind,
                               state if phase == "forward" else "later", dashed)
            polys.append(trunk.points)
            styles.append(st)
        self.trunk_lines.set_polylines(polys, styles, pens)
        self._wire_shown = shown

    def _draw_flow(self, flow, t) -> None:
        """The followed flow's routes in purple (the articles' purple arrows)."""
        keys = pres.flow_wire_keys(flow, t)
        self._flow_keys = keys
        pen = {"flow": _pen(pres.FLOW_HEX, 15.0 if self.exporting else 12.0, 95)}
        polys = [self.layout.wires[key] for key in self._wire_keys if key in keys]
        self.flow_lines.set_polylines(polys, ["flow"] * len(polys), pen)
        polys = [tr.points for tr in self.layout.trunks if any(m in keys for m in tr.members)]
        self.flow_trunks.set_polylines(polys, ["flow"] * len(polys), pen)
