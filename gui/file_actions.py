"""The File menu's work: open and save sessions, export figures, animations and data, presets and
the guided tour. Each action has a dialog-free method (``save_to``, ``export_view_to``...) that
the dialogs call and the tests use. Nothing replaces the session before the window has asked
whether unsaved work may go (:meth:`gui.main_window.MainWindow.confirm_discard`)."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from . import export
from .model import export_data, session_file
from .model.cursor import Cursor


class FileActions(QtCore.QObject):
    """File menu actions for ``window`` (a MainWindow)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.app = window.app
        self.path: Path | None = None
        self.presets = session_file.preset_names()
        self.tour_index = -1

    # -- menu ---------------------------------------------------------------------------------
    def build_menu(self, menu: QtWidgets.QMenu) -> None:
        w = self.window

        def act(text, shortcut, slot, tip=""):
            a = QtGui.QAction(text, w)
            if shortcut:
                a.setShortcut(QtGui.QKeySequence(shortcut))
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        act("&Open session…", "Ctrl+O", self.open_dialog, "Open a saved session (JSON)")
        act("&Save session", "Ctrl+S", self.save, "Save the session, its weights and cursor")
        act("Save session &as…", "Ctrl+Shift+S", self.save_as_dialog)
        presets = menu.addMenu("&Presets")
        for name in self.presets:
            title = session_file.load_preset(name).title
            a = QtGui.QAction(f"{title}  ({name})", w)
            a.triggered.connect(lambda _=False, n=name: self.load_preset(n))
            presets.addAction(a)
        menu.addSeparator()
        act("&Export view…", "Ctrl+E", self.export_view_dialog,
            "The current view as PNG (2x the screen, antialiased) or SVG")
        act("Export &slide…", "Ctrl+Alt+E", self.export_slide_dialog,
            "The current view as a 1600 px slide (16:9 or 4:3): large type, figure only, "
            "optionally without background")
        act("Export &window…", "", self.export_window_dialog, "The whole window as PNG")
        act("Export &animation…", "Ctrl+Shift+E", self.export_animation_dialog,
            "The current view over a range of the cursor as GIF or MP4")
        act("Export &data…", "", self.export_data_dialog,
            "Every array of the current traces as NPZ or CSV")
        menu.addSeparator()

    # -- sessions -------------------------------------------------------------------------------
    def session(self):
        """The open session, as a session file would hold it."""
        return self.app.snapshot()

    def save_to(self, path) -> Path:
        path = Path(path)
        session_file.save(path, self.session())
        self.path = path
        self.app.mark_saved()
        self.window.statusBar().showMessage(f"saved {path}", 5000)
        return path

    def open_path(self, path, *, ask: bool = True) -> bool:
        """Open a session file; a bad file changes nothing and says why. Unsaved work is asked
        about first (``ask``)."""
        try:
            s = session_file.load(path)
        except ValueError as exc:
            self._warn("Cannot open session", str(exc))
            return False
        if ask and not self.window.confirm_discard("open another session"):
            return False
        self.app.restore(s)
        self.path = Path(path)
        return True

    def load_preset(self, name: str, *, ask: bool = True) -> bool:
        """Open preset ``name`` (unsaved work is asked about first)."""
        try:
            s = session_file.load_preset(name)
        except ValueError as exc:
            self._warn("Cannot load preset", str(exc))
            return False
        if ask and not self.window.confirm_discard(f"open the preset {name!r}"):
            return False
        self.app.restore(s)
        self.path = None  # a preset is not a file of the user's: Save asks where
        if name in self.presets:
            self.tour_index = self.presets.index(name)
        return True

    def tour_step(self, delta: int) -> None:
        """Page Down / Page Up: the next or previous preset of the tour; the caption says where
        in the tour it is."""
        if not self.presets:
            return
        index = (self.tour_index + delta) % len(self.presets)
        if self.load_preset(self.presets[index]):
            self.tour_index = index
            title = f"Tour {index + 1} of {len(self.presets)}: {self.app.title}"
            self.app.set_caption(title, self.app.caption)

    def save(self) -> bool:
        """Save to the session's file, or ask where; True if it was saved."""
        if self.path is None:
            return self.save_as_dialog()
        return self._guard(self.save_to, self.path) is not None

    def save_as_dialog(self) -> bool:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Save session",
                                                        self._start("session.json"),
                                                        "Unfold session (*.json)")
        self._remember(path)
        return bool(path) and self._guard(self.save_to, path) is not None

    def open_dialog(self) -> None:
        if not self.window.confirm_discard("open another session"):
            return
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Open session",
                                                        self._start(""),
                                                        "Unfold session (*.json)")
        self._remember(path)
        if path:
            self.open_path(path, ask=False)

    # -- export ---------------------------------------------------------------------------------
    def export_view_to(self, path, *, width: int | None = None) -> Path:
        """The current view as PNG or SVG; width defaults to 2x its size on screen."""
        view = self.window.current_view()
        path = Path(path)
        if path.suffix.lower() == ".svg":
            return export.export_svg(view, self.window.ctx, path)
        width = width or 2 * max(view.width(), 400)
        return export.export_png(view, self.window.ctx, path, width=width)

    def export_slide_to(self, path, *, aspect: str = "16:9", transparent: bool = False) -> Path:
        """The current view as a slide PNG (gui.export.export_slide)."""
        return export.export_slide(self.window.current_view().name, self.window.ctx, path,
                                   aspect=aspect, transparent=transparent)

    def export_slide_dialog(self) -> None:
        view = self.window.current_view()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "Export slide", self._start(f"{view.name}-slide.png"), "PNG (*.png)")
        self._remember(path)
        if not path:
            return
        kinds = ["16:9", "4:3", "16:9, transparent background", "4:3, transparent background"]
        kind, ok = QtWidgets.QInputDialog.getItem(self.window, "Export slide", "Slide shape:",
                                                  kinds, 0, False)
        if ok:
            self._guard(self.export_slide_to, path, aspect=kind[:4].rstrip(","),
                        transparent="transparent" in kind)

    def export_window_to(self, path) -> Path:
        path = Path(path)
        img = self.window.grab().toImage()
        if not img.save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    def export_animation_to(self, path, *, start: Cursor, stop: Cursor, fps: float = 8,
                            width: int = 800, progress=None, should_stop=None) -> int:
        view = self.window.current_view()
        cursors = export.animation_cursors(self.app.T, start, stop)
        keep = self.app.cursor
        try:
            return export.export_animation(view, self.window.ctx, path, cursors, fps=fps,
                                           width=width, progress=progress,
                                           should_stop=should_stop)
        finally:
            self.app.set_cursor(keep)

    def export_view_dialog(self) -> None:
        view = self.window.current_view()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "Export view", self._start(f"{view.name}.png"),
            "PNG image (*.png);;SVG (*.svg)")
        self._remember(path)
        if not path:
            return
        width = None
        if not path.lower().endswith(".svg"):
            width, ok = QtWidgets.QInputDialog.getInt(
                self.window, "Export view", "Width in pixels:", 2 * view.width(), 16, 10_000)
            if not ok:
                return
        self._guard(self.export_view_to, path, width=width)

    def export_window_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Export window",
                                                        self._start("unfold.png"),
                                                        "PNG image (*.png)")
        self._remember(path)
        if path:
            self._guard(self.export_window_to, path)

    def export_animation_dialog(self) -> None:
        dlg = AnimationDialog(self.window, self.app.T)
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "Export animation",
            self._start(f"{self.window.current_view().name}.gif"), "GIF (*.gif);;MP4 (*.mp4)")
        self._remember(path)
        if not path:
            return
        start, stop, fps, width = dlg.values()
        n = export.animation_cursors(self.app.T, start, stop)
        bar = QtWidgets.QProgressDialog("Rendering frames…", "Cancel", 0, len(n), self.window)
        bar.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        bar.setMinimumDuration(0)

        def progress(done, total):
            bar.setValue(done)
            QtWidgets.QApplication.processEvents()

        try:
            self.export_animation_to(path, start=start, stop=stop, fps=fps, width=width,
                                     progress=progress, should_stop=bar.wasCanceled)
            self.window.statusBar().showMessage(f"wrote {path}", 5000)
        except export.ExportCancelled:
            self.window.statusBar().showMessage("animation export cancelled", 5000)
        except (ValueError, OSError) as exc:
            self._warn("Export failed", str(exc))
        finally:
            bar.close()

    def export_data_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "Export data", self._start("traces.npz"),
            "NumPy arrays (*.npz);;CSV (*.csv)")
        self._remember(path)
        if path:
            self._guard(export_data.save, self.app.result, path)

    # -- helpers ----------------------------------------------------------------------------------
    def _start(self, name: str) -> str:
        """A dialog's starting path: ``name`` in the folder the user last used."""
        folder = QtCore.QSettings().value("last_folder", "", type=str)
        return str(Path(folder) / name) if folder and Path(folder).is_dir() else name

    def _remember(self, path: str) -> None:
        if path:
            QtCore.QSettings().setValue("last_folder", str(Path(path).parent))

    def _guard(self, fn, *args, **kw):
        try:
            out = fn(*args, **kw)
        except (ValueError, OSError) as exc:
            self._warn("Unfold", str(exc))
            return None
        if isinstance(out, Path):
            self.window.statusBar().showMessage(f"wrote {out}", 5000)
        return out

    def _warn(self, title: str, text: str) -> None:
        self.window.statusBar().showMessage(text, 10_000)
        if not QtCore.QCoreApplication.instance().property("unfold_quiet"):
            QtWidgets.QMessageBox.warning(self.window, title, text)


class AnimationDialog(QtWidgets.QDialog):
    """Range, frame rate and width of an animation export: the first and last moments chosen
    from the phases and steps that exist (no syntax to remember)."""

    def __init__(self, parent, T: int):
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self.T = T
        self.start = _MomentPicker(T, Cursor("forward", 1))
        self.stop = _MomentPicker(T, Cursor("update", T))
        self.fps = QtWidgets.QDoubleSpinBox()
        self.fps.setRange(0.5, 60)
        self.fps.setValue(8)
        self.fps.setToolTip("Frames per second of the animation (0.5 to 60)")
        self.width_box = QtWidgets.QSpinBox()
        self.width_box.setRange(100, 4000)
        self.width_box.setValue(800)
        self.width_box.setToolTip("Width of the animation in pixels (100 to 4000)")
        form = QtWidgets.QFormLayout(self)
        form.addRow("From", self.start)
        form.addRow("To", self.stop)
        form.addRow("Frames per second", self.fps)
        form.addRow("Width (px)", self.width_box)
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(self.error)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        try:
            start, stop, _, _ = self.values()
            export.animation_cursors(self.T, start, stop)
        except ValueError as exc:
            self.error.setText(str(exc).replace("--to", "To").replace("--from", "From"))
            return
        self.accept()

    def values(self):
        return self.start.cursor(), self.stop.cursor(), self.fps.value(), self.width_box.value()


class _MomentPicker(QtWidgets.QWidget):
    """A phase (forward, backward, update) and a step 1..T."""

    def __init__(self, T: int, cursor: Cursor):
        super().__init__()
        self.phase = QtWidgets.QComboBox()
        self.phase.addItems(["forward", "backward", "update"])
        self.phase.setCurrentText(cursor.phase)
        self.step = QtWidgets.QSpinBox()
        self.step.setRange(1, T)
        self.step.setValue(cursor.t)
        self.step.setPrefix("t = ")
        self.phase.currentTextChanged.connect(
            lambda p: self.step.setEnabled(p != "update"))
        self.step.setEnabled(cursor.phase != "update")
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.phase)
        lay.addWidget(self.step)

    def cursor(self) -> Cursor:
        phase = self.phase.currentText()
        return Cursor(phase, self.step.value() if phase != "update" else self.step.maximum())
