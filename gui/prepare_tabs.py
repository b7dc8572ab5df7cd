"""Hidden tabs made ready while the user reads the visible one.

A tab shown for the first time used to build its views (100 to 250 ms of Qt construction),
lay them out from their default 640 x 480 at the window's size, draw them and paint them
cold (axis pictures, text layouts, glyphs): 150 to 400 ms in which the window did not respond
(tests/bench/bench_stalls.py). :class:`TabPreparer` does the same work ahead of time in small
steps, one per idle moment of the event loop (no job running, playback stopped), so that
showing a tab only paints what is ready:

1. build each view of the tab (one view per step; a view made of several parts builds them
   one per step, see :meth:`gui.views.base.View.build_steps`);
2. put the views on their tab page and give the page the visible page's size;
3. lay the page out at that size (``grab`` of one pixel: Qt delivers the pending resize
   events and activates the layouts of a hidden widget for it);
4. draw each view's frame of the model's moment (its jobs run on the job runner; the painter
   draws it again when they land); data slow enough to show a progress bar is drawn as
   "computing" and asked for only when the user opens the tab;
5. paint each view once off screen, a band of it per step, which leaves its caches warm.

When the moment changes later, the hidden tabs drawn so far are drawn again, one view per idle
step, so that a tab switch finds its frame already drawn.
"""

from __future__ import annotations

import gc

from PySide6 import QtCore

from . import views

#: quiet time before the first step, and after the user last changed the model (ms)
STEP_DELAY_MS = 300
#: time between two steps (ms): input that arrived meanwhile is handled first
BETWEEN_STEPS_MS = 1
#: the height of one band of a view painted off screen in one step (a whole view cold: 30 to
#: 140 ms)
BAND_PX = 250
#: a page laid out but not painted: the smallest region ``grab`` accepts
_ONE_PIXEL = QtCore.QRect(0, 0, 1, 1)


class TabPreparer(QtCore.QObject):
    """Makes a window's hidden tabs ready, one small step per idle moment.

    Parameters
    ----------
    window : the gui.main_window.MainWindow whose tabs it prepares.
    delay_ms : quiet time before the first step and after a change of the model.
    """

    def __init__(self, window, delay_ms: int = STEP_DELAY_MS):
        super().__init__(window)
        self.window = window
        self._steps = self._all_steps()
        self._stale: set[int] = set()  # prepared tabs whose drawing is behind the model
        self._prepared: set[int] = set()
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.delay_ms = delay_ms
        self.timer.timeout.connect(self._step)
        for name in ("cursor_changed", "selection_changed", "theme_changed", "options_changed",
                     "result_changed"):
            getattr(window.ctx.qt, name).connect(self._on_model_changed)
        self.timer.start()

    @property
    def done(self) -> bool:
        """Every tab is built and no prepared hidden tab is behind the model."""
        return self._steps is None and not self._hidden_stale() and not self._pass_again

    def stop(self) -> None:
        """Make nothing more ready (the window closes)."""
        self.timer.stop()
        self._steps = None
        self._stopped = True

    _stopped = False

    def layout_changed(self) -> None:
        """The window changed size or type (presentation mode): the hidden pages are laid out
        and drawn again for it once the user pauses."""
        if self._stopped:
            return
        self._prepared.clear()
        self._stale.clear()
        self._again()

    def _on_model_changed(self, *_) -> None:
        if self._stopped:
            return
        w = self.window
        self._stale |= {i for i in range(w.tabs.count()) if w.tab_views(i) is not None}
        self._again()

    def _again(self) -> None:
        """Go over the tabs again once the user pauses (after the pass under way, if any)."""
        if self._steps is None:
            self._steps = self._all_steps()
        else:
            self._pass_again = True
        self.timer.start(self.delay_ms)  # the user is at work: wait until they pause

    _pass_again = False
    _first_pass_done = False

    def _idle(self) -> bool:
        w = self.window
        return not (w.ctx.runner.busy or w.app.playing or w.app.busy)

    def _step(self) -> None:
        if self._steps is None:
            return
        if not self._idle():
            self.timer.start(self.delay_ms)  # the user is waiting for something: later
            return
        try:
            next(self._steps)
        except StopIteration:
            self._first_pass_done = True
            self._steps = self._all_steps() if self._pass_again else None
            self._pass_again = False
            if self._steps is None:
                return
        self.timer.start(BETWEEN_STEPS_MS)

    def _hidden_stale(self) -> list[int]:
        current = self.window.tabs.currentIndex()
        return [i for i in sorted(self._stale) if i != current]

    # -- the steps ----------------------------------------------------------------------------
    def _all_steps(self):
        w = self.window
        for i in range(w.tabs.count()):
            if w.tab_views(i) is None:
                yield from self._build(i)
            if i not in self._prepared and i != w.tabs.currentIndex():
                yield from self._prepare(i)
        while self._hidden_stale():  # moments the user moved to while they were hidden
            i = self._hidden_stale()[0]
            self._stale.discard(i)
            for view in w.tab_views(i):
                if i == w.tabs.currentIndex():
                    break  # shown meanwhile: the painter keeps it drawn
                self._draw_hidden(view)
                yield

    def _draw_hidden(self, view) -> None:
        """Draw hidden ``view``; data slow enough to show a progress bar (a gradient flow at
        H = 64, T = 100: seconds; the landscape's cliff) is drawn as "computing" and not asked
        for: that work starts when the user opens the tab."""
        self.window.painter.draw([view], quick_only=True)

    def _build(self, i: int):
        w = self.window
        made = w.made_ahead(i)
        names = w.tab_view_names(i)
        while len(made) < len(names) and w.tab_views(i) is None:
            cls = views.REGISTRY[names[len(made)]]
            steps = cls.build_steps(w.ctx)
            while True:  # a view made of parts builds one part per step
                try:
                    next(steps)
                except StopIteration as done:
                    made.append(done.value)
                    break
                yield
            yield
        if w.tab_views(i) is None:
            w.build_tab(i, draw=False)
            yield

    def _prepare(self, i: int):
        w = self.window
        page = w.tabs.widget(i)
        made = w.tab_views(i)
        if i == w.tabs.currentIndex():
            return
        page.setGeometry(w.tabs.currentWidget().geometry())
        page.grab(_ONE_PIXEL)  # lays the hidden page out at the size it will be shown at
        yield
        w.painter.hidden.update(dict.fromkeys(made))  # drawn again when their data lands
        for view in made:
            if i == w.tabs.currentIndex():
                return
            self._draw_hidden(view)
            yield
        for view in made:  # one paint off screen, a band per step: axis pictures, text layouts
            for band in _bands(view.rect()):  # and glyphs are cached when it is shown
                if i == w.tabs.currentIndex():
                    return
                view.grab(band)
                yield
        self._prepared.add(i)
        if not self._first_pass_done:
            # the tab's views live as long as the window: out of the cyclic collector's sight.
            # A full collection scans every tracked object (the window and its views: 140,000
            # at H = 64, T = 100) and took 90 to 120 ms on the GUI thread, whenever Python
            # chose: in the middle of a step or a tab switch. After gc.freeze it scans only what
            # was made since (< 1 ms). Only while the window is first made ready: garbage frozen
            # with them is never collected, and there is little of it then
            gc.freeze()


def _bands(rect: QtCore.QRect) -> list[QtCore.QRect]:
    """``rect`` cut into horizontal bands of at most :data:`BAND_PX` rows."""
    n = max(1, -(-rect.height() // BAND_PX))
    edges = [rect.top() + round(k * rect.height() / n) for k in range(n + 1)]
    return [QtCore.QRect(rect.left(), a, rect.width(), b - a)
            for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]
