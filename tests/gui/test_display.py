"""Opening a window where none can open: one line that says why, exit 2, no Qt abort."""

import subprocess
import sys
from pathlib import Path

from gui import app as gapp

ROOT = Path(__file__).resolve().parents[2]


def test_every_missing_x11_library_is_named_with_its_package():
    """Qt names libxcb-cursor0 whichever library is missing (here libxcb-icccm4 and
    libxcb-keysyms1 were): Unfold names the packages that are really missing."""
    have = {"xcb-cursor", "xcb-image", "xcb-randr", "xcb-render-util", "xcb-shape", "xcb-xkb",
            "xkbcommon-x11", "X11-xcb"}
    missing = gapp.missing_xcb_packages(lambda lib: f"lib{lib}.so" if lib in have else None)
    assert missing == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert gapp.missing_xcb_packages(lambda lib: "found") == []


def test_missing_libraries_are_said_before_qt_aborts(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(gapp, "missing_xcb_packages", lambda: ["libxcb-icccm4"])
    problem = gapp.display_problem()
    assert "sudo apt-get install libxcb-icccm4" in problem and "libxcb-cursor0" not in problem


def test_an_unreachable_display_is_one_line_and_exit_2(tmp_path):
    """A stale DISPLAY (nothing listens at :97): "cannot connect to display :97", exit 2."""
    env = {"PATH": "/usr/bin:/bin", "DISPLAY": ":97", "QT_QPA_PLATFORM": "xcb",
           "HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, str(ROOT / "main.py")], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 2, r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("unfold: ") and ("cannot connect to display :97" in line
                                            or "sudo apt-get install" in line)
