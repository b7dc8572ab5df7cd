"""The one job runner: latest request per owner wins, values cached, cancel and progress, failures
reported, uncached values delivered once, nothing waits on the GUI thread but wait()."""

import threading
import time
from dataclasses import dataclass, field
from typing import ClassVar

import pytest

from gui.jobs import JobRunner


@dataclass(frozen=True)
class Sleep:
    """Sleeps ``seconds`` in chunks (checking should_stop), reports progress, returns ``value``."""

    value: int
    seconds: float = 0.05
    log: list = field(default_factory=list, compare=False, hash=False, repr=False)
    cost: ClassVar[float] = 0.05

    def compute(self, progress, should_stop):
        self.log.append(("start", self.value, threading.current_thread().name))
        n = 10
        for i in range(n):
            if should_stop():
                self.log.append(("stopped", self.value))
                return None
            time.sleep(self.seconds / n)
            progress((i + 1) / n)
        return self.value


@dataclass(frozen=True)
class Boom:
    message: str

    def compute(self, progress, should_stop):
        raise ValueError(self.message)


@dataclass(frozen=True)
class Once:
    value: int
    cached: ClassVar[bool] = False

    def compute(self, progress, should_stop):
        return self.value


@pytest.fixture
def runner(qapp):
    r = JobRunner(threads=1, min_delay_ms=0)  # the runner's rules, without the start delay
    yield r
    r.shutdown()
    r.deleteLater()


def test_values_land_on_the_gui_thread_and_are_cached(runner, qtbot):
    log = []
    job = Sleep(7, log=log)
    landed = []
    runner.landed.connect(lambda j, v: landed.append((j, v, threading.current_thread().name)))
    assert runner.request("a", [job]) == [None]
    assert runner.status(job) in ("queued", "running")
    assert runner.wait(5000)
    assert landed == [(job, 7, threading.main_thread().name)]
    assert log[0][2] != threading.main_thread().name  # computed off the GUI thread
    assert runner.request("a", [job]) == [7] and runner.status(job) == "ready"
    assert runner.request("b", [job]) == [7]  # another owner: the same cached value
    assert [e for e in log if e[0] == "start"] == [log[0]]  # computed once


def test_the_latest_request_per_owner_wins(runner):
    log = []
    slow = Sleep(1, seconds=2.0, log=log)
    runner.request("view", [slow])
    time.sleep(0.05)
    quick = Sleep(2, seconds=0.01, log=log)
    t0 = time.monotonic()
    runner.request("view", [quick])  # replaces: the slow one is told to stop
    assert runner.wait(5000, jobs=[quick])
    assert time.monotonic() - t0 < 1.5
    assert ("stopped", 1) in log
    assert runner.result(quick) == 2 and runner.result(slow) is None


def test_cancel_stops_and_sticks_until_resumed(runner):
    log = []
    job = Sleep(3, seconds=2.0, log=log)
    cancelled = []
    runner.cancelled.connect(lambda: cancelled.append(True))
    runner.request("geometry", [job])
    time.sleep(0.05)
    runner.cancel("geometry")
    assert runner.wait(3000)
    assert runner.status(job) == "cancelled" and cancelled
    runner.request("geometry", [job])  # the same request does not restart it
    assert runner.status(job) == "cancelled"
    runner.resume()
    assert runner.status(job) in ("queued", "running")
    runner.cancel()
    runner.wait(3000)


def test_failures_are_reported_not_raised(runner):
    failed = []
    runner.failed.connect(lambda j, m: failed.append(m))
    job = Boom("D must be an integer")
    runner.request("x", [job])
    assert runner.wait(3000)
    assert failed == ["D must be an integer"] and runner.status(job) == "failed"
    assert runner.error(job) == "D must be an integer"
    runner.request("x", [job], force=True)  # forced: tried again
    assert runner.wait(3000) and len(failed) == 2


def test_uncached_values_are_delivered_once(runner):
    got = []
    runner.landed.connect(lambda j, v: got.append(v))
    runner.request("session", [Once(5)])
    assert runner.wait(3000)
    time.sleep(0.05)
    assert runner.wait(3000)
    assert got == [5] and runner.result(Once(5)) is None and not runner.busy


def test_progress_and_forget(runner):
    fractions = []
    runner.progress.connect(fractions.append)
    job = Sleep(4, seconds=0.1)
    runner.request("p", [job])
    assert runner.wait(3000)
    assert fractions and fractions[-1] == pytest.approx(1.0)
    assert any(0 < f < 1 for f in fractions)
    runner.forget(lambda j: getattr(j, "value", None) == 4)
    assert runner.result(job) is None


def test_releasing_an_owner_stops_its_work(runner):
    log = []
    job = Sleep(9, seconds=2.0, log=log)
    runner.request("closing-view", [job])
    time.sleep(0.05)
    runner.release("closing-view")
    assert runner.wait(3000)
    assert ("stopped", 9) in log and runner.result(job) is None


@dataclass(frozen=True)
class SlowSleep(Sleep):
    cost: ClassVar[float] = 1.0  # shows the progress bar


def test_indicator_shows_whole_percents_only_while_visible(runner, qtbot):
    """QProgressBar.setValue repaints at once: the status bar's indicator sets it only while it
    is shown, and only when the whole percent changes (a job reporting often stalled a click)."""
    from gui.jobs_indicator import JobsIndicator

    ind = JobsIndicator(runner)
    qtbot.addWidget(ind)
    calls = []
    real = ind.bar.setValue
    ind.bar.setValue = lambda v: (calls.append(v), real(v))
    ind._on_progress(0.5)  # hidden: nothing to paint
    assert calls == []
    runner.request("me", [SlowSleep(1, seconds=1.0)])
    qtbot.waitUntil(ind.isVisible, timeout=3_000)
    n = len(calls)
    ind._on_progress(0.611)
    ind._on_progress(0.612)  # the same whole percent: no repaint
    ind._on_progress(0.62)
    assert calls[n:] == [61, 62]
    assert ind.bar.maximum() == 100
    runner.release("me")
    assert runner.wait(3_000)
    qtbot.waitUntil(lambda: not ind.isVisible(), timeout=3_000)


def test_jobs_start_after_the_draw_that_asked_for_them(qapp, qtbot):
    """A job waits MIN_START_DELAY_MS of quiet before it starts: the draw and first paint that
    asked for it finish without a job thread taking the GIL from them."""
    from gui.jobs import MIN_START_DELAY_MS

    r = JobRunner(threads=1)
    try:
        assert r.min_delay_ms == MIN_START_DELAY_MS > 0
        log = []
        job = Sleep(3, log=log)
        r.request("view", [job])
        time.sleep(0.1)  # the GUI thread busy drawing: nothing may start meanwhile
        assert r.status(job) == "queued" and log == []
        assert r.wait(5000)
        assert r.result(job) == 3 and log[0][0] == "start"
    finally:
        r.shutdown()
        r.deleteLater()


@dataclass(frozen=True)
class Urgent(Sleep):
    urgent: ClassVar[bool] = True


def test_an_urgent_job_never_waits_behind_slow_work(qapp, qtbot):
    """The session's run (urgent) starts at once even when slow derived data holds every
    thread (a typeset line that took minutes kept the run, and a test waiting for it, hanging)."""
    r = JobRunner(threads=2)
    try:
        slow = [Sleep(i, seconds=3.0) for i in (1, 2)]
        r.request("views", slow)
        qtbot.waitUntil(lambda: all(r.status(j) == "running" for j in slow), timeout=2000)
        run = Urgent(3, seconds=0.05)
        r.request("session", [run])
        t0 = time.monotonic()
        assert r.wait(2000, jobs=[run]) and r.result(run) == 3
        assert time.monotonic() - t0 < 1.0
        assert all(r.status(j) == "running" for j in slow)  # the slow ones go on
    finally:
        r.release("views")
        r.shutdown()
        r.deleteLater()


@dataclass(frozen=True)
class AheadSleep(SlowSleep):
    ahead: ClassVar[bool] = True  # the same for every session: worth computing while idle


class _NeedsView:
    """The one thing frame_for asks of a view: what it needs."""

    name = "stub"
    uses_session = False

    def __init__(self, jobs):
        self.jobs = jobs

    def needs(self, frame):
        return self.jobs


def test_a_hidden_tab_asks_quietly_for_work_worth_doing_ahead(qtbot):
    """Drawn ahead of time (quick_only), a view asks for its quick jobs and for slow jobs
    marked ``ahead``, quietly: no progress bar for work nobody is looking at; a slow job of the
    session is not asked for until the tab is opened; opened, the work shows its progress."""
    from gui.context import Context
    from gui.frames import frame_for
    from gui.jobs_indicator import JobsIndicator
    from gui.model.app_model import AppModel

    ctx = Context(AppModel())
    try:
        runner = ctx.runner
        ind = JobsIndicator(runner)
        qtbot.addWidget(ind)
        ind.show()
        ind.setVisible(False)
        quick, ahead, slow = Sleep(1), AheadSleep(2, seconds=0.8), SlowSleep(3, seconds=0.4)
        view = _NeedsView({"quick": quick, "ahead": ahead, "slow": slow})
        frame = frame_for(view, ctx, quick_only=True)
        assert frame.pending == {"quick", "ahead", "slow"}
        assert runner.status(slow) == "idle"  # the session's slow work waits to be opened
        assert runner.status(ahead) in ("queued", "running")
        qtbot.wait(450)  # past the indicator's delay, while the ahead job runs
        assert runner.status(ahead) == "running" and not runner.slow
        assert not ind.isVisible()
        frame = frame_for(view, ctx)  # the tab is opened
        assert runner.status(slow) in ("queued", "running") and runner.slow
        qtbot.waitUntil(ind.isVisible, timeout=1_000)  # now someone waits: progress shows
        assert runner.wait(10_000)
        frame = frame_for(view, ctx)
        assert frame.derived == {"quick": 1, "ahead": 2, "slow": 3} and not frame.pending
    finally:
        ctx.close()
