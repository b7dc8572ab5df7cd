"""Start the application: the QApplication, the model and the window."""

from __future__ import annotations

import sys


def make_app():
    """The QApplication (created once, inside a function, never at import)."""
    import pyqtgraph as pg
    from PySide6 import QtCore, QtWidgets

    if QtWidgets.QApplication.instance() is None:
        QtCore.qInstallMessageHandler(_quiet_offscreen)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # draws every control from the palette: the dark theme reaches all
    app.setApplicationName("Unfold")
    app.setOrganizationName("Unfold")
    pg.setConfigOptions(antialias=False, foreground="k", background="w")
    # A job thread running Python keeps the GIL for up to the switch interval each time the GUI
    # thread asks for it, and a first paint asks hundreds of times (every Python paint and
    # itemChange): at Python's default 5 ms the first paint of the landscape took 0.7 s while
    # its scene computed, at 0.5 ms 35 ms (tests/bench/bench_stalls.py).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return app


#: how long a thread may keep the GIL while another waits (Python's default is 5 ms)
SWITCH_INTERVAL_S = 0.0005


def _quiet_offscreen(mode, context, message):
    """Drop the offscreen platform's note that it cannot propagate size hints (harmless noise
    on every headless export); print everything else as Qt would."""
    if "propagateSizeHints" in message:
        return
    sys.stderr.write(message + "\n")


#: the shared libraries Qt's X11 plugin needs (``ctypes.util.find_library`` names) and the
#: Debian/Ubuntu packages that hold them; Qt itself names only libxcb-cursor0 whichever is missing
XCB_LIBRARIES = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
                 "xcb-keysyms": "libxcb-keysyms1", "xcb-image": "libxcb-image0",
                 "xcb-randr": "libxcb-randr0", "xcb-render-util": "libxcb-render-util0",
                 "xcb-shape": "libxcb-shape0", "xcb-xkb": "libxcb-xkb1",
                 "xkbcommon-x11": "libxkbcommon-x11-0", "X11-xcb": "libx11-xcb1"}
XCB_PACKAGES = " ".join(XCB_LIBRARIES.values())


def missing_xcb_packages(find=None) -> list[str]:
    """The packages of :data:`XCB_LIBRARIES` whose library is not found (``find``: a
    ``ctypes.util.find_library``-like lookup, for tests)."""
    import ctypes.util

    find = find or ctypes.util.find_library
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if find(lib) is None]


def display_problem() -> str | None:
    """Why a window cannot open here, in one line, or None when it can (as far as we can tell).

    Qt aborts the interpreter when its platform plugin cannot load; saying why first is kinder.
    """
    import os

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return ("no display to open a window on: run Unfold on a desktop, under "
                "xvfb-run, or export figures headless with --export")
    missing = missing_xcb_packages()
    if missing:
        return ("Qt's X11 plugin needs system libraries that are missing; on Debian/Ubuntu: "
                f"sudo apt-get install {' '.join(missing)}")
    if not _display_answers(os.environ["DISPLAY"]):
        return (f"cannot connect to display {os.environ['DISPLAY']}: is the X server running "
                "(a stale SSH session)? Export figures headless with --export")
    return None


def _display_answers(name: str) -> bool:
    """Whether an X server answers at display ``name`` (True when that cannot be checked)."""
    import ctypes
    import ctypes.util

    lib = ctypes.util.find_library("X11")
    if lib is None:
        return True
    try:
        x11 = ctypes.CDLL(lib)
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        handle = x11.XOpenDisplay(name.encode())
    except (OSError, AttributeError):
        return True
    if not handle:
        return False
    x11.XCloseDisplay(handle)
    return True


def run_window(session=None, *, view: str | None = None, cursor: str | None = None,
               theme: str | None = None, present: bool = False, unsaved: bool = False) -> int:
    """Open the window on ``session`` (a gui.model.session_file.Session; the default if None)
    and run until it closes. ``unsaved``: the session holds work no file has (``--train``), so
    closing or replacing it asks first."""
    problem = display_problem()
    if problem:
        print(f"unfold: {problem}", file=sys.stderr)
        return 2
    qt_app = make_app()
    from PySide6 import QtCore

    from sim.run import SessionConfig

    from .main_window import MainWindow
    from .model.app_model import from_session
    from .model.cursor import Cursor
    from .model.session_file import Session

    session = session or Session(config=SessionConfig())
    app = from_session(session, theme=theme or ("light" if present else None))
    if unsaved:
        mark_unsaved(app)
    if cursor:
        app.set_cursor(Cursor.parse(cursor, app.T))
    window = MainWindow(app)
    window.open_view(view or session.view)
    window.show()
    if present:
        window.set_presentation(True)
    window.prebuild_tabs()  # the other tabs' widgets, while the user reads the first
    watch = QtCore.QTimer(window)  # Ctrl+C in the terminal closes the window (asking first)
    watch.setObjectName("interrupt-watch")
    watch.timeout.connect(lambda: _close_on_interrupt(window))
    watch.start(200)
    return qt_app.exec()


def mark_unsaved(app) -> None:
    """Make ``app`` (an AppModel just opened on a session) dirty: its trained weights and
    training history are work no file holds yet."""
    app.mark_unsaved()


def _close_on_interrupt(window) -> None:
    from . import interrupts

    if interrupts.requested() is not None:
        interrupts.clear()
        window.close()
