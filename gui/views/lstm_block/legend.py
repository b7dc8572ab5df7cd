"""The words around a block drawing: the caption (cursor, stage and its equation), the colour
bars and key beside it, and the readout under it (how to read it, the followed flow's sum)."""

from __future__ import annotations

from sim.lstm_graph import WIRE

from ...graphics.colorbar import ColorBar
from ...graphics.labels import add_label, pt, set_label
from ...model.present import lstm_block as pres
from ...model.present.numbers import MINUS, cursor_label, fmt

KEY_PX = 200  # width of the legend column at type scale 1 (it grows with the type)


class LegendMixin:
    """Caption, colour bars, key and readout of a block view."""

    def _build_legend(self, ci) -> None:
        self.readout = add_label(ci, 2, 0, colspan=2)
        legend = ci.addLayout(row=1, col=1)  # beside the diagram: it is wide, rows are scarce
        self.bar_act = ColorBar(legend, row=0, col=0, width_px=KEY_PX - 20)
        self.bar_pre = ColorBar(legend, row=1, col=0, width_px=KEY_PX - 20)
        self.key = legend.addLabel("", row=2, col=0, justify="left")
        self.key.item.setTextWidth(KEY_PX)
        legend.addLabel("", row=3, col=0)
        legend.layout.setRowStretchFactor(3, 10)
        legend.setMaximumWidth(KEY_PX + 10)
        self.legend = legend
        self._key_px = KEY_PX
        ci.layout.setColumnStretchFactor(0, 10)
        ci.layout.setRowStretchFactor(1, 10)

    def _fit_legend_width(self) -> None:
        """The key column grows with the type (presentation mode, slides), so its lines and
        colour-bar scales do not wrap into a column taller than the diagram."""
        px = round(KEY_PX * max(1.0, self.theme.font_scale))
        if px == self._key_px:
            return
        self._key_px = px
        for bar in (self.bar_act, self.bar_pre):
            bar.set_width(px - 20)
        self.key.item.setTextWidth(px)
        self.legend.setMaximumWidth(px + 10)

    def _draw_legend(self, frame, scales, phase, k, stage, flow) -> None:
        th = self.theme
        self._fit_legend_width()
        fg = th.foreground
        result, cursor = frame.result, frame.cursor
        order, now = pres.stage_caption(phase, stage, screen=not self.exporting,
                                        peepholes=getattr(result.forward, "peepholes", False))
        what = "errors δ" if phase == "backward" else "values"
        upd = " (the update: step T's block)" if cursor.phase == "update" else ""
        H = result.forward.n_hidden
        waiting = ""
        if scales is None:
            failed = frame.failed.get("block")
            note = pres.COMPUTING if failed is None else f"the block graph failed: {failed}"
            waiting = f"<br><span style='color:{th.muted}'><i>{note}</i></span>"
        set_label(self.caption, f"<b>{cursor_label(cursor, result.T)}</b>{upd} · {what} of all {H} "
                  f"units (cells), unit k = {k + 1} outlined and written · {order}<br>"
                  f"<span style='color:{th.highlight}'>{now}</span>{waiting}", color=fg,
                  size=pt(th, 10))
        if scales is None:
            self.bar_act.set("diverging", "", "", "", "", fg)
            self.bar_pre.set("diverging", "", "", "", "", fg)
        elif phase == "backward":
            e = scales["err"]
            self.bar_act.set("diverging", "error δ of the hidden nodes", fmt(-e), "0", fmt(e), fg)
            o = scales["err_out"]
            self.bar_pre.set("diverging", "δout(t) (own scale)", fmt(-o), "0", fmt(o), fg)
        else:
            p = scales["pre"]
            self.bar_act.set("diverging", "z, i, f, o, y, tanh c, z⊙i", f"{MINUS}1", "0", "1",
                             fg)
            self.bar_pre.set("diverging", "z̄, ī, f̄, ō, c, c⊙f (x, ŷ: own)", fmt(-p), "0",
                             fmt(p), fg)
        set_label(self.key, self._key_html(result, phase), color=fg, size=pt(th, 9))
        set_label(self.readout, self._readout_html(frame, phase, k, flow), color=fg,
                  size=pt(th, 10))

    def _key_html(self, result, phase) -> str:
        th = self.theme

        def chip(col, text, dash=False):
            line = "┄┄" if dash else "━━"
            return f"<span style='color:{col}'>{line}</span> {text}"

        dashed = self._dashed_recurrent()
        items = [chip(th.foreground, "cell highway / on-ramp"),
                 chip(th.muted, "input x(t) via W"),
                 chip(th.recurrent, "recurrent y(t−1) via R", dashed)]
        if result.forward.peepholes:
            items.append(chip(th.peephole, "peephole p"))
        items.append(chip(pres.FLOW_HEX, "routes of the followed flow"))
        if dashed:
            items.append("dashed: from the past" + ("" if self._crowded() else " (time lag)"))
        items.append(f"<span style='color:{th.highlight}'>□</span> unit k")
        if phase == "backward" and self._crowded():  # large type: the key in fewer lines
            items.append("arrows: the chain rule's terms, back; width |term|, colour sign: "
                         "<span style='color:#b2182b'>red +</span> "
                         f"<span style='color:#2166ac'>blue {MINUS}</span>")
        elif phase == "backward":
            items.append("errors: arrows point back<br>along each chain-rule term;<br>"
                         "width = |term| of unit k<br>(log, 3 decades); colour =<br>sign: "
                         "<span style='color:#b2182b'>red +</span> "
                         f"<span style='color:#2166ac'>blue {MINUS}</span>")
        return f"<span style='color:{th.foreground}'>" + "<br>".join(items) + "</span>"

    def _dashed_recurrent(self) -> bool:
        return any(WIRE[w].kind == "recurrent" for _, w in self.layout.dashed)

    def _readout_html(self, frame, phase, k, flow) -> str:
        th = self.theme
        result = frame.result
        parts = [f"<span style='color:{th.muted}'>{self.reading}</span>"]
        if flow is not None:
            s = pres.flow_sum(flow, k)
            engine = "" if s.engine is None else f" (engine: {fmt(s.engine)})"
            when = " — errors from the backward pass" if phase == "forward" else ""
            parts.append(
                f"<span style='color:{pres.FLOW_HEX}'><b>following {s.label}</b>: "
                f"{s.n_routes} routes to J in purple{when}; unit k = {k + 1}:<br>"
                f"δ{s.label} = " + "<br>&nbsp;&nbsp;+ ".join(s.symbol_lines())
                + f"<br>&nbsp;&nbsp;= {s.numbers()} = <b>{fmt(s.total)}</b>{engine}</span>")
        elif frame.selection.flow is not None and "block" in frame.derived:
            parts.append(f"no flow of {frame.selection.flow!r} at this step")
        bt = result.backward
        if phase == "backward" and bt.truncation is not None:
            parts.append(f"truncated BPTT k = {bt.truncation}: errors from t+1 exclude "
                         f"J(t+{bt.truncation})")
        return "<br>".join(parts)
