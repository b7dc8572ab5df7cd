"""Test configuration: headless Qt, a guard against leaked timers and windows, and the order and
garbage collection that keep the suite quick."""

import gc
import os

# Before any Qt import: plain `pytest` runs headless on a machine without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def no_leaks(qapp):
    """Fail a test that leaves top-level widgets or running timers behind."""
    from PySide6 import QtCore, QtWidgets

    def visible(w) -> bool:  # False for a widget deleted meanwhile (deleteLater, or the
        try:  # garbage collector freeing the object that owned it)
            return w.isVisible()
        except RuntimeError:
            return False

    def alive():  # top-level widgets not being deleted right now (deleteLater in flight)
        out = []
        for w in QtWidgets.QApplication.topLevelWidgets():
            try:
                w.isVisible()
            except RuntimeError:
                continue
            out.append(w)
        return out

    before = set(map(id, QtWidgets.QApplication.topLevelWidgets()))
    yield
    QtWidgets.QApplication.processEvents()
    widgets = alive()
    leaked = [w for w in widgets if id(w) not in before and visible(w)]
    def timers_of(w) -> list:
        try:
            return w.findChildren(QtCore.QTimer)
        except RuntimeError:  # deleted meanwhile
            return []

    timers = [
        t
        for w in widgets
        for t in timers_of(w)
        # Qt's own widgets keep short-lived timers (a status message's timeout): not ours
        if t.isActive() and not type(t.parent()).__module__.startswith("PySide6")
    ]
    for w in leaked:
        w.close()
    assert not leaked, f"top-level widgets left open: {leaked}"
    assert not timers, "timers left running: " + ", ".join(
        f"{t.parent().__class__.__name__}.{t.objectName() or '?'} ({t.interval()} ms)"
        for t in timers)


def pytest_configure(config):
    """Collect cyclic garbage less often in the test processes (the application keeps Python's
    defaults).

    A worker holds some 250,000 objects, and a full collection walks them all (0.2-0.4 s). At the
    default threshold of 700 the objects a test was still using were promoted so fast that a full
    collection came every thirty or so tests: about 50 per run, 16-29 s of CPU. At 20,000 young
    garbage is still collected, a full collection is rare, and nothing in the suite depends on
    when a cycle is freed.
    """
    gc.set_threshold(20_000, 10, 10)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` (many seconds each) run first, the others in their usual order: with
    ``--dist worksteal`` a long test near the end of the collection ran last on one worker while
    the other had nothing left to do."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
