"""Vanishing and exploding gradients: how far back in time an error survives, and clipping.

Left, on a log scale against the distance d = t - k: the error ||dJ(t)/dh(k)|| from each loss
J(t) reaching the state d steps back (dots, and their geometric mean per d), the Jacobian
products ||dh(t)/dh(k)|| (the articles' prod W^T diag(g'(a(s)))) and, for an LSTM, the cell
highway ||dc(t)/dc(k)|| (the diag(f) path). Right, the Jacobian-product norms as heat maps over
(t, k), blue where they shrink, red where they grow. With "Compare" on, the other two one-cell
kinds run on the same input and the decay of SimpleRNN, LSTM and GRU is drawn side by side (one
small plot per kind, one log scale, the same colours), with each compared kind's products as a
heat map. Below, norm clipping: each step's gradient contribution ||(dJ/dtheta)^(t)|| and the
summed gradient against the session's threshold tau.

The cursor marks its step: forward t the row t of the heat map (how h(t) depends on the past)
and its points on the curve; backward t the column k = t (every error arriving at h(t)), its
errors coloured by source J(s) as in the unfolded view, and the step's gradient contribution.

The errors come with every run and are drawn at once; the Jacobian products and each compared
kind are jobs (gui.model.present.gradient_flow.FlowJob, one CompanionJob per kind) that land in
``frame.derived`` independently. Two-cell models (bidirectional, encoder-decoder) show errors
and clipping, and say why there are no products and nothing to compare.
"""

from __future__ import annotations

from ...graphics.labels import add_label, pt, set_label
from ...model.present import gradient_flow as flow
from ...model.present import gradient_flow_text as words
from ...model.present.vanishing_text import formula_text
from .. import register
from ..base import View, build_in_parts, failure_text
from .clip_plot import ClipPlot
from .controls import FlowControls
from .distance_plot import DistancePlot
from .heat_maps import HeatMaps
from .side_by_side import SideBySide


def job_name(kind: str) -> str:
    """The name of the compared ``kind``'s job in ``frame.derived``/``pending``/``failed``."""
    return f"companion {kind}"


#: below this canvas height (px, at type scale 1) with Compare on, the three small plots take
#: the heat maps' room
MAPS_MIN_HEIGHT_PX = 640

@register
class GradientFlowView(View):
    name = "gradient-flow"
    title = "Vanishing and exploding gradients"
    tabs = ("Gradient flow",)
    order = 0
    stretch = 1
    description = ("How errors shrink or grow as they travel back in time: ||dJ(t)/dh(k)|| "
                   "against t − k, the Jacobian products over (t, k), the LSTM's cell highway, "
                   "SimpleRNN, LSTM and GRU side by side on the same input, and norm "
                   "clipping.")

    def _build_parts(self):
        """Build the view one plot at a time (five to ten PlotItems at 10 to 25 ms each: built
        at once they stalled the window for 200 ms and more); see
        :meth:`gui.views.base.View.build_steps`."""
        self._static = None  # what the static part was drawn from
        self._errors = (None, None)  # (result, its error curves): at once, memoised
        self._parts: dict = {}  # part -> what it was drawn from (see _changed)
        self._curves = None
        self._companions: dict = {}
        self._readout = ""
        self.controls = FlowControls(self.app)
        c = self.controls
        self.radius, self.compare, self.clip_box, self.tau, self.clip_mode, self.busy = (
            c.radius, c.compare, c.clip, c.tau, c.mode, c.busy)
        ci = self.add_canvas(c.row)
        ci.removeItem(self.caption)
        ci.addItem(self.caption, row=0, col=0, colspan=2)
        self.cursor_caption = add_label(ci, 1, 0, colspan=2)
        yield
        self.distance = yield from build_in_parts(DistancePlot, ci, 2, 0, 3)
        yield
        right = ci.addLayout(row=2, col=1)  # the kinds side by side over the heat maps
        self.kinds = yield from build_in_parts(SideBySide, right, 0, 0)
        self.heat = yield from build_in_parts(HeatMaps, right, 1, 0)
        right.layout.setRowStretchFactor(1, 3)
        for half in (self.distance.plot, right):  # the columns share the width equally, whatever
            half.setPreferredWidth(100)  # their titles and captions would ask for
        self.maps = self.heat.maps
        yield
        self.clipping = yield from build_in_parts(ClipPlot, ci, 4, 5)
        self.cut_stems, self.clip_cursor = self.clipping.cut_stems, self.clipping.band
        ci.layout.setRowStretchFactor(2, 5)
        ci.layout.setRowStretchFactor(5, 2)
        ci.layout.setColumnStretchFactor(0, 1)
        ci.layout.setColumnStretchFactor(1, 1)

    # -- jobs -------------------------------------------------------------------------------
    def needs(self, frame) -> dict:
        result = frame.result
        out = {}
        if flow.flow_applies(result.kind):
            out["flow"] = flow.FlowJob.of(result)
        want = set()
        if frame.options["gradient-flow"].compare:
            for kind in flow.companion_kinds(result.config):  # each lands on its own
                job = flow.CompanionJob.of(result.config, kind)
                out[job_name(kind)] = job
                want.add(job)
        if self.ctx is not None:  # the compared kinds no longer shown go
            self.ctx.runner.forget(lambda j: isinstance(j, flow.CompanionJob) and j not in want)
        return out

    # -- drawing ----------------------------------------------------------------------------
    def _error_curves(self, result) -> flow.FlowCurves:
        if self._errors[0] is not result:
            self._errors = (result, flow.error_curves(result))
        return self._errors[1]

    def _draw(self, frame) -> None:
        result, theme = frame.result, frame.theme
        compare = frame.options["gradient-flow"].compare
        kinds = flow.companion_kinds(result.config) if compare else ()
        landed = frame.derived.get("flow")
        cu = landed if landed is not None else self._error_curves(result)
        comps = {k: frame.derived[job_name(k)] for k in kinds if job_name(k) in frame.derived}
        computing = "flow" in frame.pending
        busy = []
        if computing:
            busy.append("computing the Jacobian products…")
        running = [k for k in kinds if job_name(k) in frame.pending]
        if running:
            busy.append(f"running the {' and the '.join(running)} on the same input: "
                        "computing…")
        for name, message in frame.failed.items():
            busy.append(f"{name.removeprefix('companion ')} {failure_text(message)}")
        config = self.app.config if self.app is not None else result.config
        self.controls.sync(config, compare, " · ".join(busy))
        self._curves = landed
        self._companions = comps
        key = ((result, landed, *(comps.get(k) for k in flow.FLOW_KINDS)),
               (compare, theme, frame.export, computing, tuple(frame.failed.items()),
                self._short(theme)))
        old = self._static
        if old is None or any(a is not b for a, b in zip(key[0], old[0], strict=True)) \
                or key[1] != old[1]:
            self._static = key
            self._draw_static(frame, cu, comps, kinds, computing)
        self._draw_cursor(frame, cu)

    def _draw_static(self, frame, cu, comps: dict, kinds: tuple, computing: bool) -> None:
        """Everything that depends on the session, not on the cursor."""
        result, theme, export = frame.result, frame.theme, frame.export
        failed = frame.failed
        if self._changed("distance", cu, theme, export):  # not when a compared kind lands
            self.distance.draw(cu, theme, export)
        products = cu.jacobian is not None
        compact = self._compact(theme)
        highway = "LSTM" in kinds  # a compared LSTM's small plot draws its highway
        legend = words.short_legend if compact else words.legend_entries
        entries = legend(cu.kind, cu.state, products=products or computing, highway=highway)
        self.distance.draw_legend(entries, theme, export)
        specs = self._map_specs(cu, comps, kinds, frame, computing)
        if (compact or self._short(theme)) and kinds:  # large type or a short canvas: the
            specs = []  # three small plots take the room of the maps
        self.heat.set(specs, result.T, theme, ticks=4 if compact or len(specs) > 2 else 8)
        notes = {k: "failed" if job_name(k) in failed else "computing…" for k in kinds}
        notes[cu.kind] = ("failed" if "flow" in failed else "computing…" if computing else "")
        if kinds:
            self.kinds.draw(cu, comps, result.config, notes, theme, export, compact=compact)
        else:
            self.kinds.hide()
        if compact:
            self._readout = words.short_readout(cu, comps, computing=computing)
        else:
            self._readout = words.readout(
                cu, comps, computing=computing, compare=frame.options["gradient-flow"].compare,
                config=result.config,
                comp_failed={k: failed[job_name(k)] for k in kinds if job_name(k) in failed})
        set_label(self.caption, self._readout, color=theme.foreground, size=pt(theme, 11))
        if self._changed("clipping", result, theme, export):  # not when a compared kind lands
            c = result.config
            rep = flow.clip_report(result.backward, c.clip, c.clip_mode)
            self.clipping.draw(rep, result.T, theme, export, compact=compact)

    def _changed(self, part: str, source, theme, export: bool) -> bool:
        """Whether ``part`` must be drawn again: it was last drawn from another ``source``
        (compared by identity), theme or export style. Remembers what it is drawn from now."""
        old = self._parts.get(part)
        if old is not None and old[0] is source and old[1:] == (theme, export):
            return False
        self._parts[part] = (source, theme, export)
        return True

    def _short(self, theme) -> bool:
        """Whether the canvas is too short for the heat maps and the three small plots at
        once (at 1280 x 720 beside the session panel they squashed each other)."""
        return self.canvas.height() < MAPS_MIN_HEIGHT_PX * theme.font_scale

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        if self._static is not None and self.frame is not None \
                and self._static[1][-1] != self._short(self.theme):
            self.redraw()  # across the height where the maps make room for the small plots

    @staticmethod
    def _compact(theme) -> bool:
        """Large type (slides, presentation mode): short words, fewer maps and ticks."""
        return theme.font_scale > 1.0

    @staticmethod
    def _map_specs(cu, comps: dict, kinds: tuple, frame, computing: bool) -> list:
        """(norms or None, title, note) of each heat map, in the order SimpleRNN, LSTM, GRU as
        the small plots: the session's (state, LSTM highway) and each compared kind's products;
        empty slots while computing, so nothing moves when they land."""
        failed = frame.failed
        if not flow.flow_applies(cu.kind):
            return [(None, words.map_title(cu.kind, cu.state), f"not drawn for a {cu.kind}")]
        specs = []
        for kind in flow.FLOW_KINDS:
            if kind == cu.kind:
                note = "failed" if "flow" in failed else "computing…" if computing else ""
                specs.append((cu.jacobian, words.map_title(cu.kind, cu.state), note))
                if cu.kind == "LSTM":
                    specs.append((cu.highway, words.map_title("LSTM", "c", highway=True), note))
            elif kind in kinds:
                comp = comps.get(kind)
                note = "failed" if job_name(kind) in failed else "computing…"
                st = "y" if kind == "LSTM" else "h"
                specs.append((None if comp is None else comp.curves.jacobian,
                              words.map_title(kind, st, star=True), note))
        return specs

    def _draw_cursor(self, frame, cu) -> None:
        """What depends on the cursor: its points, the map outlines, the clipping band."""
        theme, cursor, T = frame.theme, frame.cursor, frame.result.T
        phase, t = cursor.phase, cursor.t
        compact = self._compact(theme)
        self.clipping.draw_cursor(phase, t, T, theme, compact=compact)
        text = (words.short_cursor_text(cu.state, phase, t) if compact
                else words.cursor_text(cu.state, phase, t, products=cu.jacobian is not None))
        if phase == "backward" and not compact:
            formula = formula_text(frame.result, t)
            if formula:
                text += "<br>" + formula
        set_label(self.cursor_caption, text, color=theme.foreground, size=pt(theme, 10))
        self.heat.mark(phase, t)
        self.distance.draw_cursor(flow.cursor_points(cu, phase, t), theme)

    # -- introspection for tests and export -------------------------------------------------
    @property
    def decades(self) -> float:
        return self.heat.decades

    @property
    def threshold(self) -> float | None:
        """The session's clipping threshold τ (None: clipping is off)."""
        return self.app.config.clip if self.app is not None else None

    def curves(self):
        """The FlowCurves with the Jacobian products drawn (None while computing)."""
        return self._curves

    def companions(self) -> dict:
        """kind -> the compared model drawn (flow.Companion), for the kinds that have landed."""
        return dict(self._companions)

    def companion(self, kind: str):
        """The compared model of ``kind`` drawn (flow.Companion), or None."""
        return self._companions.get(kind)

    def drawn_curve(self, key: str, kind: str | None = None):
        """(x, y) of curve ``key`` as drawn, y = log10 of the norm: in the large plot (the
        session's), or in ``kind``'s small plot of the side-by-side row."""
        if kind is None:
            return self.distance.drawn(key)
        return self.kinds.drawn(kind, key)

    def clip_marks(self):
        """((T + 1,) bool clipped, (T + 1,) scale factor): steps 1..T, then the summed gradient."""
        return self.clipping.marks

    @property
    def clip_text(self) -> str:
        return self.clipping.text

    def cursor_points(self):
        return self.distance.points

    def readout_text(self) -> str:
        return self._readout

    def graphics_item(self):
        return self.canvas.ci

    def _set_export_style(self, on: bool) -> None:
        self._static = None  # thicker lines: draw the static part again
        self._parts.clear()
