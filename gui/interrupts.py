"""Ctrl+C (SIGINT) and SIGTERM, handled where it is safe: the signal only sets a flag; long work
(an animation's frames, --export-all's views) looks at the flag between steps and stops there,
so temporary files are removed, finished files stay, and nothing is torn down halfway inside Qt.

A KeyboardInterrupt raised at an arbitrary bytecode (Python's default) can land inside a Qt
callback; that is how interrupted exports used to crash or carry on regardless.
"""

from __future__ import annotations

import signal

_received: list[int] = []
#: leave at once on a signal while nothing is being written (headless runs set it)
_immediate = [False]
_writing = [0]
#: exit status for an interrupted run: 128 + the signal's number, as shells report it
EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Interrupted(Exception):
    """A signal asked the program to stop; ``code`` is the exit status to use."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.code = EXIT.get(signum, 128 + int(signum))


def _on_signal(signum, _frame) -> None:
    _received.append(signum)
    if _immediate[0] and _writing[0] == 0:  # no file half-written: nothing to clean up
        import os
        import sys

        sys.stderr.write(f"unfold: interrupted ({signal.Signals(signum).name})\n")
        sys.stderr.flush()
        os._exit(EXIT.get(signum, 128 + int(signum)))


def leave_at_once(on: bool = True) -> None:
    """A signal received while no file is being written ends the process at once."""
    _immediate[0] = on


class writing:
    """While inside, a signal only sets the flag: the writer cleans up, then stops."""

    def __enter__(self):
        _writing[0] += 1
        return self

    def __exit__(self, *exc):
        _writing[0] -= 1
        return False


_previous: dict = {}


def install() -> None:
    """Route SIGINT and SIGTERM to the flag (call as early as possible)."""
    _received.clear()
    for sig in (signal.SIGINT, signal.SIGTERM):
        _previous[sig] = signal.signal(sig, _on_signal)


def uninstall() -> None:
    """Give SIGINT and SIGTERM back to the handlers they had before :func:`install`."""
    _immediate[0] = False
    for sig, handler in _previous.items():
        signal.signal(sig, handler)
    _previous.clear()


def requested() -> int | None:
    """The first signal received since :func:`install`, or None."""
    return _received[0] if _received else None


def check() -> None:
    """Raise :class:`Interrupted` if a signal arrived."""
    if _received:
        raise Interrupted(_received[0])


def clear() -> None:
    """Forget the signals received (the window asked, and the user chose to stay)."""
    _received.clear()
