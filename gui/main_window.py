"""The Unfold window: session panel, tabs of views, playback bar, banner, menus and shortcuts.

It wires things together and nothing more: the state holds the truth, the views draw it.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from . import theme as themes
from . import views
from .file_actions import FileActions
from .playback import Playback
from .playback_bar import PlaybackBar
from .session_panel import SessionPanel

SHORTCUTS = (
    ("Space", "play / pause"),
    ("Right / Left", "step forward / back"),
    ("Home / End", "jump to the start / to the update"),
    ("Page Down / Page Up", "next / previous preset of the tour"),
    ("M", "colour errors by source / by magnitude"),
    ("F11", "presentation mode"),
    ("Ctrl+E", "export the view (PNG/SVG)"),
    ("Ctrl+S / Ctrl+O", "save / open a session"),
    ("Ctrl+T", "light / dark theme"),
    ("Ctrl+Q", "quit"),
)


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.playback = Playback(state, self)
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
        self._pending_options: dict[str, dict] = {}
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.views: list = []  # every view built so far (a view may sit in several tabs)
        self._tab_views: list[list | None] = []  # None: not built until first shown
        self._tab_names: list[list[str]] = []
        self._tab_titles: list[str] = []
        for title, names in views.tabs():
            self._add_tab(title, names)
        self.playback_bar = PlaybackBar(state)
        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.caption)
        lay.addWidget(self.banner)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.playback_bar)
        self.setCentralWidget(central)

        self.panel = SessionPanel(state)
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
        self.statusBar().addWidget(self.cursor_label)
        self.statusBar().addPermanentWidget(self.busy_label)

        self.files = FileActions(self)
        self._build_menus()
        self._build_shortcuts()
        state.cursor_changed.connect(self._on_cursor_changed)
        state.result_changed.connect(self._on_result_changed)
        state.selection_changed.connect(lambda _: self.render_current())
        state.busy_changed.connect(self._on_busy_changed)
        state.error.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        state.theme_changed.connect(self._on_theme_changed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_theme_changed(state.theme)
        if state.result is not None:
            self._on_result_changed(state.result)

    # -- construction ---------------------------------------------------------------------------
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

    def _build_tab(self, i: int) -> list:
        if self._tab_views[i] is not None:
            return self._tab_views[i]
        made = [views.REGISTRY[n](self.state) for n in self._tab_names[i]]
        builder = views.tab_builder(self._tab_titles[i])
        if builder is not None:
            page = builder(self.state, made)
        else:
            page = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
            for v in made:
                page.addWidget(v)
            page.setSizes([200 * v.stretch for v in made])
        self.tabs.widget(i).widget().layout().addWidget(page)
        theme = themes.get(self.state.theme)
        if self.presenting:
            theme = themes.presentation(theme)
        for v in made:
            v.apply_theme(theme)
            if self._pending_options.get(v.name):
                v.set_options(self._pending_options[v.name])
        self.views += made
        self._tab_views[i] = made
        return made

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
                return next(v for v in self._build_tab(i) if v.name == name)
        return None

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.files.build_menu(self.file_menu)
        quit_ = QtGui.QAction("&Quit", self)
        quit_.setShortcut(QtGui.QKeySequence("Ctrl+Q"))
        quit_.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        quit_.triggered.connect(self.close)
        self.file_menu.addAction(quit_)
        self.view_menu = bar.addMenu("&View")
        self.dark_action = QtGui.QAction("&Dark theme", self, checkable=True)
        self.dark_action.setShortcut(QtGui.QKeySequence("Ctrl+T"))
        self.dark_action.toggled.connect(
            lambda on: self.state.set_theme("dark" if on else "light"))
        self.view_menu.addAction(self.dark_action)
        self.magnitude_action = QtGui.QAction("Colour errors by &magnitude", self, checkable=True)
        self.magnitude_action.setShortcut(QtGui.QKeySequence("M"))
        self.magnitude_action.setToolTip("Error arrows coloured by |δ| instead of by source J(s)")
        self.magnitude_action.toggled.connect(
            lambda on: self.state.set_selection(color_by="magnitude" if on else "source"))
        self.view_menu.addAction(self.magnitude_action)
        for a in (self.dark_action, self.magnitude_action):
            self.addAction(a)  # their keys work with the menu bar hidden (presentation mode)
        self.view_menu.addAction(self.dock.toggleViewAction())
        self.present_action = QtGui.QAction("&Presentation mode", self, checkable=True)
        self.present_action.setShortcut(QtGui.QKeySequence("F11"))
        self.present_action.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        self.present_action.toggled.connect(self.set_presentation)
        self.view_menu.addAction(self.present_action)
        self.addAction(self.present_action)  # F11 works with the menu bar hidden too
        tour_next = QtGui.QAction("Next preset (tour)", self)
        tour_next.setShortcut(QtGui.QKeySequence("PgDown"))
        tour_next.triggered.connect(lambda: self.files.tour_step(1))
        tour_prev = QtGui.QAction("Previous preset (tour)", self)
        tour_prev.setShortcut(QtGui.QKeySequence("PgUp"))
        tour_prev.triggered.connect(lambda: self.files.tour_step(-1))
        for a in (tour_next, tour_prev):
            self.view_menu.addAction(a)
            self.addAction(a)
        help_menu = bar.addMenu("&Help")
        keys = QtGui.QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)

    PLAYBACK_KEYS = (QtCore.Qt.Key.Key_Left, QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Home,
                     QtCore.Qt.Key.Key_End, QtCore.Qt.Key.Key_Space)

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
        # A spin box that has the focus would swallow the playback keys (its caret, its value):
        # after touching "hidden size" the arrow keys must still step through time.
        if (ev.type() == QtCore.QEvent.Type.ShortcutOverride
                and ev.key() in self.PLAYBACK_KEYS
                and ev.modifiers() == QtCore.Qt.KeyboardModifier.NoModifier
                and isinstance(QtWidgets.QApplication.focusWidget(),
                               QtWidgets.QAbstractSpinBox | QtWidgets.QSlider)
                and self.isAncestorOf(QtWidgets.QApplication.focusWidget())):
            return True  # not claimed by the widget: the window's shortcut fires
        return super().eventFilter(obj, ev)

    def _build_shortcuts(self) -> None:
        QtWidgets.QApplication.instance().installEventFilter(self)
        s = self.state
        for key, slot in (("Space", s.toggle_play), ("Right", lambda: s.step(1)),
                          ("Left", lambda: s.step(-1)), ("Home", s.home), ("End", s.end)):
            sc = QtGui.QShortcut(QtGui.QKeySequence(key), self)
            sc.activated.connect(slot)

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        QtWidgets.QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    # -- following the state ------------------------------------------------------------------
    def _on_tab_changed(self, _index: int) -> None:
        # the geometry panel ignores the RNN session: its controls would only take room there
        uses = any(v.uses_session for v in self.current_views())
        if not self.presenting:
            self.dock.setVisible(uses and self._dock_wanted)
        self.playback_bar.setVisible(uses or self.presenting)
        self.render_current()

    def current_view(self):
        """The main (first) view of the visible tab."""
        views_ = self.current_views()
        return views_[0] if views_ else None

    def open_view(self, name: str | None, options: dict | None = None) -> bool:
        """Show the tab holding view ``name`` and restore saved view options."""
        self._pending_options.update(options or {})
        for v in self.views:
            if options and v.name in options:
                v.set_options(options[v.name])
        if not name:
            return False
        for i, names in enumerate(self._tab_names):
            if name in names:
                self.tabs.setCurrentIndex(i)
                return True
        self.statusBar().showMessage(f"no view called {name!r} in this window", 8000)
        return False

    def show_caption(self, title: str, caption: str) -> None:
        """The preset's title and caption above the views (empty hides it)."""
        self.caption.setText(f"<b>{title}</b> — {caption}" if title else "")
        self.caption.setVisible(bool(title))

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
            self._theme_before = self.state.theme
            font.setPointSizeF(font.pointSizeF() * 1.5)
            app.setFont(font)
            self.state.set_theme("light")  # projectors wash dark themes out; Ctrl+T still works
            self.showFullScreen()
        else:
            if getattr(self, "_normal_font", None) is not None:
                app.setFont(self._normal_font)
            self.state.set_theme(getattr(self, "_theme_before", self.state.theme))
            self.showNormal()
        theme = themes.get(self.state.theme)
        if on:
            theme = themes.presentation(theme)
        for v in self.views:
            v.apply_theme(theme)
        self._on_tab_changed(self.tabs.currentIndex())

    def current_views(self) -> list:
        i = self.tabs.currentIndex()
        return self._build_tab(i) if 0 <= i < len(self._tab_views) else []

    def render_current(self) -> None:
        """Draw the visible views at the state's cursor (hidden tabs draw when shown)."""
        for v in self.current_views():
            v.refresh()

    def _on_cursor_changed(self, cursor) -> None:
        self.cursor_label.setText(cursor.label(self.state.T))
        self.render_current()

    def _on_result_changed(self, result) -> None:
        c = result.config
        self.setWindowTitle(f"Unfold — {c.model} on {c.task}, H = {c.hidden}, T = {c.length}")
        bad = result.first_nonfinite_step
        if bad is not None:
            self.banner.setText(f"⚠ values became non-finite at step t = {bad}: they are drawn "
                                "grey. Lower the recurrent radius, the input scale or use "
                                "clipping.")
        self.banner.setVisible(bad is not None)
        self.cursor_label.setText(self.state.cursor.label(self.state.T))

    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("computing…" if busy else "")

    def _on_theme_changed(self, name: str) -> None:
        app = QtWidgets.QApplication.instance()
        if not hasattr(self, "_light_palette"):
            self._light_palette = QtGui.QPalette(app.palette())
        app.setPalette(themes.qt_palette(name) if name == "dark" else self._light_palette)
        theme = themes.get(name)
        if self.presenting:
            theme = themes.presentation(theme)
        self.banner.setStyleSheet(f"background: {theme.banner_bg}; color: {theme.banner_fg};"
                                  "font-weight: bold;")
        for v in self.views:
            v.apply_theme(theme)
        self.dark_action.blockSignals(True)
        self.dark_action.setChecked(name == "dark")
        self.dark_action.blockSignals(False)
        self.render_current()

    def closeEvent(self, ev):  # noqa: N802 - Qt's name
        QtWidgets.QApplication.instance().removeEventFilter(self)
        self.state.set_playing(False)
        self.playback.stop()
        super().closeEvent(ev)
