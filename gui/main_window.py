"""The Unfold window: session panel, tabs of views, playback bar, banners, menus and shortcuts.

It wires things together and nothing more: the application model holds the truth, the session
controller runs it off the GUI thread, the painter draws the visible views, the views draw frames.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from . import theme as themes
from . import views
from .context import Context
from .controllers.session import SessionController
from .file_actions import FileActions
from .frames import Painter
from .graphics import type_scale
from .jobs_indicator import JobsIndicator
from .menus import build_menus, build_shortcuts
from .model.app_model import AppModel
from .model.present.numbers import cursor_label
from .playback import Playback
from .playback_bar import PlaybackBar
from .session_panel import SessionPanel

#: answers to "discard your changes?": a callable (what) -> "save" | "discard" | "cancel", or None
#: to ask with a dialog (tests set one)
DISCARD_ANSWERS = ("save", "discard", "cancel")
#: quiet time before and between the views built ahead of time (:meth:`MainWindow.prebuild_tabs`)
PREBUILD_DELAY_MS = 300
#: presentation mode's controls font, times the usual (in-plot type follows the theme's scale)
PRESENT_FONT = 1.5


class MainWindow(QtWidgets.QMainWindow):
    """The window on ``app`` (an AppModel; a default one if None)."""

    def __init__(self, app: AppModel | None = None, parent=None):
        super().__init__(parent)
        self.ctx = Context(app, self)
        self.app = self.ctx.app
        self.session = SessionController(self.ctx, self)
        self.playback = Playback(self.ctx, self)
        self.discard_answer = None
        self.setMinimumSize(800, 560)
        screen = QtGui.QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1400, 900)
        self.resize(min(1400, room.width()), min(900, room.height()))

        self.banner = QtWidgets.QLabel()
        self.banner.setObjectName("banner")
        self.banner.setVisible(False)
        self.banner.setMargin(6)
        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setMargin(8)
        self.caption.setVisible(False)
        self.presenting = False
        self._dock_wanted = True
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.views: list = []  # every view built so far (a view may sit in several tabs)
        self._tab_views: list[list | None] = []  # None: not built until first shown
        self._made: dict[int, list] = {}  # tab -> views built ahead of its page
        self._tab_names: list[list[str]] = []
        self._tab_titles: list[str] = []
        for title, names in views.tabs():
            self._add_tab(title, names)
        self.playback_bar = PlaybackBar(self.ctx)
        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        # the tab bar stays where it is: a preset's caption and the warning banner sit below
        # the views, above the playback bar, so nothing moves under the mouse
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.banner)
        lay.addWidget(self.caption)
        lay.addWidget(self.playback_bar)
        self.setCentralWidget(central)

        self.panel = SessionPanel(self.ctx)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(280)
        self.dock = QtWidgets.QDockWidget("Session", self)
        self.dock.setObjectName("sessionDock")
        self.dock.setWidget(scroll)
        self.dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)

        self.cursor_label = QtWidgets.QLabel()
        self.busy_label = QtWidgets.QLabel()
        self.jobs = JobsIndicator(self.ctx.runner)
        self.statusBar().addWidget(self.cursor_label)
        self.statusBar().addPermanentWidget(self.jobs)
        self.statusBar().addPermanentWidget(self.busy_label)

        self.files = FileActions(self)
        build_menus(self)
        build_shortcuts(self)
        self.painter = Painter(self.ctx, self.current_views, self.current_theme, self)
        qt = self.ctx.qt
        qt.cursor_changed.connect(self._on_cursor_changed)
        qt.result_changed.connect(self._on_result_changed)
        qt.busy_changed.connect(self._on_busy_changed)
        qt.error.connect(self._on_error)
        qt.theme_changed.connect(self._on_theme_changed)
        qt.view_changed.connect(self._on_view_changed)
        qt.caption_changed.connect(self._on_caption_changed)
        qt.options_changed.connect(self._on_options_changed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_theme_changed(self.app.theme)
        self._on_caption_changed(self.app.title, self.app.caption)
        if self.app.view:
            self._on_view_changed(self.app.view)
        if self.app.result is not None:
            self._on_result_changed(self.app.result)
        self._on_busy_changed(self.app.busy)
        self.render_current()  # the first tab is on screen from the start: build it now

    # -- tabs -------------------------------------------------------------------------------
    def _add_tab(self, title: str, names: list[str]) -> None:
        """A tab whose views are built the first time it is shown (start-up stays light).

        Each page sits in a scroll area: a view that needs more room than a small screen has
        scrolls there instead of making the whole window wider than the screen.
        """
        holder = QtWidgets.QWidget()
        QtWidgets.QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        self.tabs.addTab(scroll, title)
        self.tabs.setTabToolTip(self.tabs.count() - 1, views.REGISTRY[names[0]].description)
        self._tab_views.append(None)
        self._tab_names.append(names)
        self._tab_titles.append(title)

    # the tabs as gui/prepare_tabs.py sees them
    def tab_views(self, i: int) -> list | None:
        """The views of tab ``i``, or None while its page is not built."""
        return self._tab_views[i]

    def tab_view_names(self, i: int) -> list[str]:
        """The names of the views tab ``i`` holds, in order."""
        return list(self._tab_names[i])

    def made_ahead(self, i: int) -> list:
        """Views of tab ``i`` made ahead of its page (append to it); the page takes them when
        it is built (:meth:`build_tab`)."""
        return self._made.setdefault(i, [])

    def build_tab(self, i: int, *, draw: bool = True) -> list:
        """Build tab ``i``'s page (its views made now, or taken from :meth:`made_ahead`) and
        draw them unless ``draw`` is False; its views."""
        if self._tab_views[i] is not None:
            return self._tab_views[i]
        made = self.made_ahead(i)
        made += [views.REGISTRY[n](self.ctx) for n in self._tab_names[i][len(made):]]
        del self._made[i]
        for v in made:  # a view that opens a preset goes through the guarded loader (it asks)
            opener = getattr(v, "open_requested", None)
            if opener is not None:
                opener.connect(self.files.load_preset)
        builder = views.tab_builder(self._tab_titles[i])
        if builder is not None:
            page = builder(self.ctx, made)
        else:
            page = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
            for v in made:
                page.addWidget(v)
            page.setSizes([200 * v.stretch for v in made])
        self.tabs.widget(i).widget().layout().addWidget(page)
        self.views += made
        self._tab_views[i] = made
        painter = getattr(self, "painter", None)
        if painter is not None and draw:
            painter.draw(made)
        return made

    def prebuild_tabs(self, delay_ms: int = PREBUILD_DELAY_MS) -> None:
        """Make the hidden tabs ready ahead of time, one small step per idle moment (see
        gui/prepare_tabs.py), so that a tab switch only paints."""
        from .prepare_tabs import TabPreparer

        self.preparer = TabPreparer(self, delay_ms)

    def show_tab(self, title: str) -> bool:
        """Bring tab ``title`` to the front; False if there is none."""
        if title in self._tab_titles:
            self.tabs.setCurrentIndex(self._tab_titles.index(title))
            return True
        return False

    def view(self, name: str):
        """The first instance of view ``name`` in the window (its tab is built), or None."""
        for i, names in enumerate(self._tab_names):
            if name in names:
                return next(v for v in self.build_tab(i) if v.name == name)
        return None

    def current_views(self) -> list:
        i = self.tabs.currentIndex()
        return self.build_tab(i) if 0 <= i < len(self._tab_views) else []

    def current_view(self):
        """The main (first) view of the visible tab."""
        views_ = self.current_views()
        return views_[0] if views_ else None

    def current_theme(self) -> themes.Theme:
        theme = themes.get(self.app.theme)
        return themes.presentation(theme) if self.presenting else theme

    def open_view(self, name: str | None) -> bool:
        """Show the tab holding view ``name`` (the model remembers it for sessions)."""
        if not name:
            return False
        for i, names in enumerate(self._tab_names):
            if name in names:
                self.tabs.setCurrentIndex(i)
                self.build_tab(i)
                page = self._page(i)
                if hasattr(page, "show_view"):  # a tab of several views (geometry)
                    page.show_view(name)
                self.app.set_view(name)
                return True
        self.statusBar().showMessage(f"no view called {name!r} in this window", 8000)
        return False

    def _page(self, i: int):
        """The widget tab ``i`` holds (None before it is built)."""
        holder = self.tabs.widget(i).widget().layout()
        return holder.itemAt(0).widget() if holder.count() else None

    def compute_again(self) -> None:
        """Run again the background work stopped with Cancel (F5), and draw what lands."""
        self.ctx.runner.resume()
        self.render_current()

    def render_current(self) -> None:
        """Draw the visible views from the model (hidden tabs draw when shown)."""
        self.painter.draw()

    # -- work the user made ---------------------------------------------------------------
    def confirm_discard(self, what: str) -> bool:
        """Before ``what`` (e.g. "open the preset") replaces the session: True if nothing would
        be lost, or the user saved or chose to discard it."""
        if not self.app.dirty:
            return True
        if self.discard_answer is not None:
            answer = self.discard_answer(what)
        else:
            answer = self._ask_discard(what)
        if answer == "save":
            return self.files.save()
        return answer == "discard"

    def _ask_discard(self, what: str) -> str:
        trained = " and the trained weights" if self.app.params is not None else ""
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"The session has unsaved changes{trained}.")
        box.setInformativeText(f"Save them before you {what}?")
        buttons = QtWidgets.QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(
            buttons(answer), "cancel")

    # -- presentation -------------------------------------------------------------------------
    def show_caption(self, title: str, caption: str) -> None:
        """The preset's title and caption above the views (empty hides it)."""
        self.app.set_caption(title, caption)

    def set_presentation(self, on: bool) -> None:
        """Full screen, controls hidden but a slim playback bar, type and lines scaled up."""
        if on == self.presenting:
            return
        self.presenting = on
        self.present_action.blockSignals(True)
        self.present_action.setChecked(on)
        self.present_action.blockSignals(False)
        self.dock.setVisible(not on)
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        app = QtWidgets.QApplication.instance()
        font = app.font()
        if on:
            self._normal_font = QtGui.QFont(font)
            font.setPointSizeF(font.pointSizeF() * PRESENT_FONT)
            app.setFont(font)
            type_scale.set_app_font_scale(PRESENT_FONT)
            # projectors wash dark themes out: light, unless chosen again (Ctrl+T still works)
            self._theme_before = self.app.theme
            self.app.set_theme("light")
            self.showFullScreen()
        else:
            if getattr(self, "_normal_font", None) is not None:
                app.setFont(self._normal_font)
            type_scale.set_app_font_scale(1.0)
            if self.app.theme == "light":  # a theme chosen while presenting is kept
                self.app.set_theme(getattr(self, "_theme_before", "light"))
            self.showNormal()
        self._on_tab_changed(self.tabs.currentIndex())
        self.render_current()  # type and lines scale with the presentation theme
        self._layout_changed()

    def resizeEvent(self, ev):  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        self._layout_changed()

    def _layout_changed(self) -> None:
        preparer = getattr(self, "preparer", None)
        if preparer is not None:  # hidden tabs ready for the old size: again for the new one
            preparer.layout_changed()

    # -- following the model --------------------------------------------------------------
    def _uses_session(self) -> bool:
        return any(v.uses_session for v in self.current_views())

    def _on_tab_changed(self, _index: int) -> None:
        # the geometry panel ignores the RNN session: its controls are greyed out, not hidden,
        # so the tabs do not jump sideways under the mouse
        uses = self._uses_session()
        self.panel.setEnabled(uses)
        self.panel.setToolTip("" if uses else "This tab does not use the RNN session")
        self.playback_bar.setEnabled(uses)
        view = self.current_view()
        if view is not None and self.app.view not in self._tab_names[self.tabs.currentIndex()]:
            self.app.set_view(view.name)
        self.render_current()

    def _on_view_changed(self, name) -> None:
        if name and self.current_view() is not None and \
                name in self._tab_names[self.tabs.currentIndex()]:
            page = self._page(self.tabs.currentIndex())
            if hasattr(page, "show_view"):  # a sub-view of this tab (geometry): to the front
                page.show_view(name)
            return
        if name:
            self.open_view(name)

    def _on_cursor_changed(self, cursor) -> None:
        self.cursor_label.setText(cursor_label(cursor, self.app.T))

    def _on_options_changed(self, section: str, options) -> None:
        if section == "network":
            self.color_actions[options.color_by].setChecked(True)

    def _on_result_changed(self, result) -> None:
        c = result.config
        self.setWindowTitle(f"Unfold — {c.model} on {c.task}, H = {c.hidden}, T = {c.length}")
        bad = result.first_nonfinite_step
        if bad is not None:
            self.banner.setText(f"⚠ values became non-finite at step t = {bad}: they are drawn "
                                "grey. Lower the recurrent radius, the input scale or use "
                                "clipping.")
        self.banner.setVisible(bad is not None)
        self.cursor_label.setText(cursor_label(self.app.cursor, self.app.T))

    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("computing…" if busy else "")

    def _on_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _on_caption_changed(self, title: str, caption: str) -> None:
        self.caption.setText(f"<b>{title}</b> — {caption}" if title else "")
        self.caption.setVisible(bool(title))

    def _on_theme_changed(self, name: str) -> None:
        app = QtWidgets.QApplication.instance()
        if not hasattr(self, "_light_palette"):
            self._light_palette = QtGui.QPalette(app.palette())
        app.setPalette(themes.qt_palette(name) if name == "dark" else self._light_palette)
        theme = self.current_theme()
        self.banner.setStyleSheet(f"background: {theme.banner_bg}; color: {theme.banner_fg};"
                                  "font-weight: bold;")
        self.dark_action.blockSignals(True)
        self.dark_action.setChecked(name == "dark")
        self.dark_action.blockSignals(False)

    def closeEvent(self, ev):  # noqa: N802 - Qt's name
        if not self.confirm_discard("quit"):
            ev.ignore()
            return
        self._playback_keys.detach()
        if getattr(self, "preparer", None) is not None:
            self.preparer.stop()
        self.painter.stop()
        self.app.set_playing(False)
        self.playback.stop()
        self.ctx.close()
        super().closeEvent(ev)
