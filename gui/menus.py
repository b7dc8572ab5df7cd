"""The window's menus and keyboard shortcuts (the keys work with the menu bar hidden too)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

SHORTCUTS = (
    ("Space", "play / pause"),
    ("Right / Left", "step forward / back"),
    ("Home / End", "jump to the start / to the update"),
    ("Page Down / Page Up", "next / previous preset of the tour"),
    ("M", "colour errors by source / by gradient step (the article's) / by magnitude"),
    ("F11", "presentation mode"),
    ("F5", "compute again what Cancel stopped"),
    ("F1", "what each tab shows, and which article section"),
    ("Ctrl+E", "export the view (PNG/SVG)"),
    ("Ctrl+Alt+E", "export the view as a slide"),
    ("Ctrl+S / Ctrl+O", "save / open a session"),
    ("Ctrl+T", "light / dark theme"),
    ("Ctrl+Q", "quit"),
)
PLAYBACK_KEYS = (QtCore.Qt.Key.Key_Left, QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Home,
                 QtCore.Qt.Key.Key_End, QtCore.Qt.Key.Key_Space)


def build_menus(window) -> None:
    """File, View and Help menus of ``window`` (a MainWindow)."""
    app = window.app
    bar = window.menuBar()
    window.file_menu = bar.addMenu("&File")
    window.files.build_menu(window.file_menu)
    quit_ = QtGui.QAction("&Quit", window)
    quit_.setShortcut(QtGui.QKeySequence("Ctrl+Q"))
    quit_.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
    quit_.triggered.connect(window.close)
    window.file_menu.addAction(quit_)

    view_menu = window.view_menu = bar.addMenu("&View")
    dark = window.dark_action = QtGui.QAction("&Dark theme", window, checkable=True)
    dark.setShortcut(QtGui.QKeySequence("Ctrl+T"))
    dark.toggled.connect(lambda on: app.set_theme("dark" if on else "light"))
    view_menu.addAction(dark)
    colour_menu = view_menu.addMenu("Colour &errors by")
    group = QtGui.QActionGroup(window)
    window.color_actions = {}
    for label, value in (("the loss J(s) they come from", "source"),
                         ("the gradient step that needs them (the article's figure)", "step"),
                         ("their magnitude", "magnitude")):
        a = QtGui.QAction(label, window, checkable=True)
        a.setActionGroup(group)
        a.triggered.connect(lambda _=False, v=value: app.set_options("network", color_by=v))
        colour_menu.addAction(a)
        window.color_actions[value] = a
    window.color_actions[app.options["network"].color_by].setChecked(True)
    cycle = window.color_cycle_action = QtGui.QAction("Next error colouring", window)
    cycle.setShortcut(QtGui.QKeySequence("M"))
    cycle.setToolTip("Error arrows by source J(s), by gradient step, by magnitude (M cycles)")
    cycle.triggered.connect(lambda: app.set_options("network", color_by=_next_colouring(app)))
    colour_menu.addAction(cycle)
    for a in (dark, cycle):
        window.addAction(a)  # their keys work with the menu bar hidden (presentation mode)
    view_menu.addAction(window.dock.toggleViewAction())
    present = window.present_action = QtGui.QAction("&Presentation mode", window,
                                                    checkable=True)
    present.setShortcut(QtGui.QKeySequence("F11"))
    present.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
    present.toggled.connect(window.set_presentation)
    view_menu.addAction(present)
    window.addAction(present)  # F11 works with the menu bar hidden too
    tour_next = QtGui.QAction("Next preset (tour)", window)
    tour_next.setShortcut(QtGui.QKeySequence("PgDown"))
    tour_next.triggered.connect(lambda: window.files.tour_step(1))
    tour_prev = QtGui.QAction("Previous preset (tour)", window)
    tour_prev.setShortcut(QtGui.QKeySequence("PgUp"))
    tour_prev.triggered.connect(lambda: window.files.tour_step(-1))
    again = QtGui.QAction("&Compute again what was cancelled", window)
    again.setShortcut(QtGui.QKeySequence("F5"))
    again.setToolTip("Background work stopped with Cancel starts again")
    again.triggered.connect(window.compute_again)
    for a in (tour_next, tour_prev, again):
        view_menu.addAction(a)
        window.addAction(a)

    from .help import show_page

    help_menu = bar.addMenu("&Help")
    for text, which, key in (("What each &tab shows (the articles)", "tabs", "F1"),
                             ("&Notation", "notation", ""),
                             ("&Keyboard shortcuts", "keys", ""),
                             ("&About Unfold", "about", "")):
        a = QtGui.QAction(text, window)
        if key:
            a.setShortcut(QtGui.QKeySequence(key))
        a.triggered.connect(lambda _=False, w=which: show_page(window, w))
        help_menu.addAction(a)


class _PlaybackKeys(QtCore.QObject):
    """A spin box that has the focus would swallow the playback keys (its caret, its value):
    after touching "hidden size" the arrow keys must still step through time.

    The filter sits on the focused spin box or slider only (moved on each focus change), not on
    the whole application: an application-wide Python filter runs for every event of every
    widget, and each call waits for the GIL while a job computes (tab switches stalled for
    hundreds of milliseconds).
    """

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.watched = None
        QtWidgets.QApplication.instance().focusChanged.connect(self.follow)

    def follow(self, _old, new) -> None:
        """Move the filter to ``new`` if it is a spin box or slider of this window."""
        old, self.watched = self.watched, None
        if old is not None:
            try:
                old.removeEventFilter(self)
            except RuntimeError:  # deleted with its view
                pass
        try:
            mine = (self.window is not None
                    and isinstance(new, QtWidgets.QAbstractSpinBox | QtWidgets.QSlider)
                    and self.window.isAncestorOf(new))
        except RuntimeError:  # the window is going
            return
        if mine:
            new.installEventFilter(self)
            self.watched = new

    def detach(self) -> None:
        """Stop following the focus (the window closes). Destroying the window needs no call:
        Qt drops the connection and the filter with this child object."""
        if self.window is None:
            return
        QtWidgets.QApplication.instance().focusChanged.disconnect(self.follow)
        self.follow(None, None)
        self.window = None

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
        if (ev.type() == QtCore.QEvent.Type.ShortcutOverride
                and ev.key() in PLAYBACK_KEYS
                and ev.modifiers() == QtCore.Qt.KeyboardModifier.NoModifier):
            return True  # not claimed by the widget: the window's shortcut fires
        return False


def _next_colouring(app) -> str:
    from .model.options import COLOR_BY

    now = app.options["network"].color_by
    return COLOR_BY[(COLOR_BY.index(now) + 1) % len(COLOR_BY)]


def build_shortcuts(window) -> None:
    """Space, arrows, Home and End drive the model's cursor from anywhere in the window."""
    keys = _PlaybackKeys(window)
    window._playback_keys = keys
    a = window.app
    for key, slot in (("Space", a.toggle_play), ("Right", lambda: a.step(1)),
                      ("Left", lambda: a.step(-1)), ("Home", a.home), ("End", a.end)):
        sc = QtGui.QShortcut(QtGui.QKeySequence(key), window)
        sc.activated.connect(slot)
