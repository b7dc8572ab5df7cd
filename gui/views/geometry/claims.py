"""The claims table: the article's statements next to the exact numbers, and where to see each
(the HTML is gui/model/present/geometry_claims.py's; this browser shows it and asks the runner
for the few samples it quotes while it is in front)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...model.present import geometry as gp
from ...model.present.geometry_claims import claims_html, claims_jobs

REFRESH_MS = 40  #: text only: refreshed just after the pictures have been painted


class ClaimsPanel(QtWidgets.QTextBrowser):
    """The claims table of the Geometry tab.

    Parameters
    ----------
    ctx : the gui.context.Context (its model's options, its runner's samples).
    """

    name = "claims"

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.owner = f"geometry-claims:{id(self):x}"
        self.setOpenLinks(False)
        self.setObjectName("geometry-claims")
        self._dirty = True
        self._pending = False
        self._shown = None
        ctx.qt.options_changed.connect(self._on_options_changed)
        ctx.runner.landed.connect(self._on_landed)

    def in_front(self) -> bool:
        return self.ctx.app.options["geometry-panel"].front in ("all", self.name)

    def _on_options_changed(self, section: str, _options) -> None:
        if section in ("geometry", "geometry-panel"):
            self._changed()

    def _on_landed(self, job, _value) -> None:
        if job in self.ctx.runner.wanted(self.owner):
            self._changed()

    def _changed(self) -> None:
        self._dirty = True
        if not self.in_front():
            self.ctx.runner.release(self.owner)
            return
        if self.isVisible() and not self._pending:
            self._pending = True
            QtCore.QTimer.singleShot(REFRESH_MS, self, self._deferred)

    def _deferred(self) -> None:
        self._pending = False
        if self._dirty and self.isVisible() and self.in_front():
            self.refresh()

    def showEvent(self, ev):  # noqa: N802 - Qt's name
        super().showEvent(ev)
        if self._dirty:
            self._changed()  # in a later tick: showing the tab stays light

    def refresh(self) -> None:
        """Ask for the quoted samples and show the table with what has landed."""
        self._dirty = False
        p = self.ctx.app.options["geometry"]
        jobs = claims_jobs(p)
        values = self.ctx.runner.request(self.owner, [gp.delayed(j) for j in jobs.values()])
        got = dict(zip(jobs, values, strict=True))
        angles = {d: got[("angles", d)] for d in p.angle_dims}
        html = claims_html(p, angles, got["distances"])
        if html != self._shown:
            self._shown = html
            bar = self.verticalScrollBar().value()
            self.setHtml(html)
            self.verticalScrollBar().setValue(bar)
