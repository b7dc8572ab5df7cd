"""Task types: the prerequisites article's five kinds of RNN task (section 6), each drawn live
from a small model of its kind, a click away from opening it as the session."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...graphics.labels import pt, set_label
from ...model.present.numbers import cursor_label
from ...model.present.task_types import BY_KEY, KINDS, moment, panel_jobs, scene
from .. import register
from ..base import View
from .drawing import KeyDrawing, PanelDrawing, rows_of

#: where each panel sits in the canvas' grid (row, column); the key takes the last place
PLACES = {"many-to-one": (0, 0), "one-to-many": (0, 1), "many-to-many": (1, 0),
          "seq2seq": (1, 1), "bidirectional": (2, 0)}
KEY_PLACE = (2, 1)
REFUSED = ("The session has unsaved changes: save it first, or open the preset from "
           "File \u25b8 Presets (it asks before replacing your work).")


@register
class TaskTypesView(View):
    name = "task-types"
    title = "Task types"
    tabs = ("Task types",)
    order = 0
    description = ("Many-to-one, one-to-many, many-to-many, sequence to sequence and "
                   "bidirectional: each kind drawn from a small model of its own; click one to "
                   "open it.")

    #: a panel asks to open its preset (the name); the window connects its guarded loader
    open_requested = QtCore.Signal(str)

    def _build_parts(self):
        head = QtWidgets.QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        head.addWidget(QtWidgets.QLabel("Open as the session:"))
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for k in KINDS:
            b = QtWidgets.QPushButton(k.title)
            b.setToolTip(f"{k.blurb} (preset {k.preset!r})")
            b.clicked.connect(lambda _=False, key=k.key: self.open_panel(key))
            head.addWidget(b)
            self.buttons[k.key] = b
        head.addStretch(1)
        ci = self.add_canvas(head)
        grid = ci.addLayout(row=1, col=0)
        for col in (0, 1):  # the two columns share the width equally
            grid.layout.setColumnStretchFactor(col, 1)
            grid.layout.setColumnPreferredWidth(col, 10)
        ci.layout.setRowStretchFactor(1, 10)
        yield
        self.panels = {}
        for k in KINDS:  # one panel per step
            self.panels[k.key] = PanelDrawing(grid, *PLACES[k.key], k.title,
                                             rows=rows_of(k.key))
            yield
        self.key = KeyDrawing(grid, *KEY_PLACE)
        self.canvas.scene().sigMouseClicked.connect(self._on_click)
        # arrowheads and word lengths are sized in pixels: when a panel's box changes size
        # (the window, or larger type laying the canvas out again), draw once more
        for vb in [p.vb for p in self.panels.values()] + [self.key.vb]:
            vb.sigResized.connect(self.request_redraw)
        self.canvas.setToolTip("Click a panel to open its model as the session")
        self.drawn = 0  #: panels drawn by the last frame (a panel is redrawn only when its
        #: own moment changes)
        self._counted = None  # the frame self.drawn counts
        self.setMinimumHeight(420)

    # -- jobs ---------------------------------------------------------------------------------
    def needs(self, frame) -> dict:
        """The five panels' runs, one job each."""
        return dict(panel_jobs())

    # -- intent -------------------------------------------------------------------------------
    def open_panel(self, kind: str) -> bool:
        """Open the preset of panel ``kind``: through :attr:`open_requested` when something is
        connected to it (the window's loader, which asks about unsaved work); else directly,
        unless there is unsaved work (refused with a message). True when it was opened (or
        asked for)."""
        preset = BY_KEY[kind].preset
        if self.receivers(QtCore.SIGNAL("open_requested(QString)")) > 0:
            self.open_requested.emit(preset)
            return True
        if self.app is None:
            return False
        if self.app.dirty:
            self.app.error.emit(REFUSED)
            return False
        from ...model.session_file import load_preset

        self.app.restore(load_preset(preset))
        return True

    def _on_click(self, ev) -> None:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        kind = self.panel_at(ev.scenePos())
        if kind is not None:
            ev.accept()
            self.open_panel(kind)

    def panel_at(self, scene_pos) -> str | None:
        """The kind of the panel at ``scene_pos`` (scene coordinates), or None."""
        for kind, panel in self.panels.items():
            if panel.contains(scene_pos):
                return kind
        return None

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self, frame) -> None:
        theme = self.theme
        T_session = frame.result.T
        if frame is not self._counted:  # a frame drawn again for its new layout counts once
            self._counted, self.drawn = frame, 0
        for kind, panel in self.panels.items():
            result = frame.derived.get(kind)
            if result is None:
                text = (f"could not compute: {frame.failed[kind]}" if kind in frame.failed
                        else "computing\u2026")
                panel.show_status(text, theme)
                continue
            m = moment(frame.cursor, T_session, result.T)
            key = (id(result), m, theme, frame.export)
            if key != panel._key:
                panel.draw(scene(kind, result, m), theme, frame.export, key=key)
                self.drawn += 1
            else:  # the same moment: again only what a resized panel changes
                panel.draw_pixel_sized(theme, frame.export, only_if_resized=True)
        self.key.draw(theme, frame.export)
        fg = theme.foreground
        where = cursor_label(frame.cursor, T_session)
        set_label(self.caption,
                  f"<b>{where}</b> · the kinds of RNN task, each a small model of its own at "
                  "the same moment of its own sequence" +
                  ("" if frame.export else " · click a panel (or its button) to open it"),
                  color=fg, size=pt(theme, 11))

    def _set_export_style(self, on: bool) -> None:
        for panel in self.panels.values():
            panel.set_antialias(on)
        self.key.set_antialias(on)

    def graphics_item(self):
        return self.canvas.ci
