"""The cliff: the loss of a one-unit RNN over its recurrent weight w and bias b (Pascanu, Mikolov
and Bengio 2013), with two gradient-descent paths from one start, unclipped and clipped; and the
same question asked of the session's model, the loss along a line through its weights.

What it draws comes from the application model's "landscape" options and two jobs the window's
runner computes (gui/model/present/landscape.py, landscape_line.py): the scene of the one-unit
model (surface, contours, paths) and the line through the session (with the session's own η and
τ). While a new scene computes, the old one stays drawn with a "computing…" note and the start
star already where the user clicked.

Playback: the paths follow the window's playback cursor. Frame 0 shows the start, the last frame
(the session's update) the whole paths, and the frames between map linearly onto the steps
(``gui.model.present.landscape.step_at``).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ...model.cursor import Cursor
from ...model.present import landscape as present
from ...model.present import landscape_text as text
from ...model.present.landscape_line import LineJob
from .. import register
from ..base import View, build_in_parts, failure_text
from .cliff import CliffFigure
from .controls import LandscapeControls
from .line import LineFigure

#: the cliff figure's parts, under the names the tests and the window use
_CLIFF_PARTS = ("map_plot", "image", "contours", "unclipped", "clipped", "start_mark",
                "loss_plot", "step_plot", "path_loss", "path_step", "max_step_line",
                "cursor_lines", "color_bar", "legend", "caption")
_CONTROL_PARTS = ("mode_box", "T", "target", "lr", "clip", "steps", "default_button",
                  "start_label", "span_box", "busy", "cliff_controls", "line_controls")


@register
class LandscapeView(View):
    name = "landscape"
    title = "Loss landscape"
    tabs = ("Landscape",)
    order = 0
    description = ("The cliff of a one-unit RNN's loss over (w, b), with gradient descent jumping "
                   "off it and clipped descent not; and the loss along a line through the "
                   "session's model.")

    def _build_parts(self):
        """Build the view a part at a time (the cliff's three plots, colour bar and legend cost
        120 ms and more at once); see :meth:`gui.views.base.View.build_steps`."""
        self._scene_key = None  # (scene, theme, export) drawn
        self._line_key = None  # (line, config, theme, export) drawn
        self._step = None
        self._line_figure = None  # built when the line is first shown
        self.controls = LandscapeControls(self.app)
        self.cliff = yield from build_in_parts(CliffFigure, self.theme)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.cliff.canvas)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.stack, 1)
        for name in _CLIFF_PARTS:
            setattr(self, name, getattr(self.cliff, name))
        for name in _CONTROL_PARTS:
            setattr(self, name, getattr(self.controls, name))
        self.cliff.canvas.scene().sigMouseClicked.connect(self._on_map_clicked)
        # the side plots label as many decades as their height holds: again when it changes
        self.cliff.loss_plot.getViewBox().sigResized.connect(self.request_redraw)

    def _before_redraw(self) -> None:
        self.cliff.label_sides()  # as many labelled decades as the side plots' heights hold

    # -- what it needs ------------------------------------------------------------------------
    def needs(self, frame) -> dict:
        opts = frame.option("landscape")
        runner = self.ctx.runner if self.ctx is not None else None
        if opts.mode == "cliff":
            want = present.SceneJob(present.cliff_settings(opts))
            drawn = self.scene.settings if self.scene is not None else None
            if runner is not None:  # scenes neither wanted nor drawn go
                runner.forget(lambda j: isinstance(j, present.SceneJob) and j != want
                              and j.settings != drawn)
            return {"scene": want}
        if frame.result is None:
            return {}
        want = LineJob(frame.result, opts.span)
        if runner is not None:  # lines of other results or ranges go
            runner.forget(lambda j: isinstance(j, LineJob) and j != want)
        return {"line": want}

    # -- the line's figure, built on first use ----------------------------------------------
    @property
    def line_figure(self) -> LineFigure:
        if self._line_figure is None:
            self._line_figure = LineFigure(self.theme)
            self._line_figure.canvas.setAntialiasing(self.exporting)
            self.stack.addWidget(self._line_figure.canvas)
        return self._line_figure

    @property
    def canvas(self):
        """The figure shown: the cliff's canvas, or the line's in line mode (what a figure
        exports)."""
        return self.cliff.canvas if self.mode == "cliff" else self.line_figure.canvas

    line_canvas = property(lambda self: self.line_figure.canvas)
    line_plot = property(lambda self: self.line_figure.plot)
    line_curve = property(lambda self: self.line_figure.curve)
    tangent = property(lambda self: self.line_figure.tangent)
    here = property(lambda self: self.line_figure.here)
    update_mark = property(lambda self: self.line_figure.update_mark)
    clipped_mark = property(lambda self: self.line_figure.clipped_mark)
    line_caption = property(lambda self: self.line_figure.caption)

    # -- the parts' state, for tests and the stall benchmark -------------------------------------
    @property
    def mode(self) -> str:
        return self._options().mode

    @property
    def settings(self) -> present.CliffSettings:
        """The cliff settings the model's options ask for (the scene drawn may be older)."""
        return present.cliff_settings(self._options())

    @property
    def scene(self):
        """The cliff scene drawn, or None."""
        return self.cliff.scene

    @property
    def line(self):
        """The session line drawn, or None."""
        return self._line_figure.line if self._line_figure is not None else None

    @property
    def drawn(self) -> dict:
        return self.cliff.drawn

    @property
    def heat_values(self):
        return self.cliff.heat_values

    @property
    def heat_range(self):
        return self.cliff.heat_range

    @property
    def rgba(self):
        return self.cliff.rgba

    @property
    def step(self) -> int | None:
        """The path step the cursor shows (None before a scene is drawn)."""
        return self._step

    def map_viewbox(self):
        """The map's ViewBox (a benchmark clicks it)."""
        return self.map_plot.getViewBox()

    def _options(self):
        if self.frame is not None:
            return self.frame.option("landscape")
        if self.app is not None:
            return self.app.options["landscape"]
        from ...model.options import LandscapeOptions

        return LandscapeOptions()

    # -- drawing ------------------------------------------------------------------------------
    def _width(self, frame) -> float:
        return 2.4 if frame.export else 1.6

    def _note(self, frame, name: str) -> str:
        if name in frame.failed:
            return failure_text(frame.failed[name])
        if name in frame.pending:
            return text.COMPUTING
        return ""

    def _draw(self, frame) -> None:
        opts = frame.option("landscape")
        cliff = opts.mode == "cliff"
        note = self._note(frame, "scene" if cliff else "line")
        self.controls.sync(opts, "" if frame.export else note)
        self.stack.setCurrentWidget(self.cliff.canvas if cliff else self.line_canvas)
        if cliff:
            self._draw_cliff(frame, opts, note)
        else:
            self._draw_line(frame, note)

    def _draw_cliff(self, frame, opts, note: str) -> None:
        sc = frame.derived.get("scene")
        width = self._width(frame)
        if sc is None and self.scene is None:  # the first scene computes: what is known now
            self.cliff.set_settings(present.cliff_settings(opts), frame.export)
        if sc is not None:
            key = (sc, frame.theme, frame.export)
            if key != self._scene_key:
                self._scene_key = key
                self.cliff.set_scene(sc, width, frame.export)
        self.cliff.set_start(opts.start)
        self.cliff.set_note("" if frame.export else note)
        sc = self.scene
        if sc is None:
            return
        T = frame.result.T if frame.result is not None else 0
        cursor = frame.cursor if frame.cursor is not None else Cursor()
        self._step = present.step_at(cursor.frame(T), Cursor.n_frames(T), sc.settings.n_steps)
        self.cliff.set_step(self._step, width)

    def _draw_line(self, frame, note: str) -> None:
        ln = frame.derived.get("line")
        if ln is not None:
            key = (ln, frame.result.config, frame.theme, frame.export)
            if key != self._line_key:
                self._line_key = key
                self.line_figure.set_line(ln, frame.result.config,
                                          2.4 if frame.export else 1.8)
        self.line_figure.set_note("" if frame.export else note)

    def _restyle(self, theme) -> None:
        self.cliff.restyle(theme)
        if self._line_figure is not None:
            self._line_figure.restyle(theme)
        self._scene_key = self._line_key = None

    def _set_export_style(self, on: bool) -> None:
        self.cliff.canvas.setAntialiasing(on)
        if self._line_figure is not None:
            self._line_figure.canvas.setAntialiasing(on)

    def graphics_item(self):
        return self.canvas.ci

    # -- intent -------------------------------------------------------------------------------
    def _on_map_clicked(self, ev) -> None:
        if (self.app is None or self.mode != "cliff"
                or ev.button() != QtCore.Qt.MouseButton.LeftButton):
            return
        vb = self.map_plot.getViewBox()
        pos = ev.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        w, b = present.clamp_start(p.x(), p.y(), self.scene, self.settings)
        self.app.set_options("landscape", start=(w, b))
        ev.accept()
