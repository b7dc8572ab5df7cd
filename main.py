"""Unfold: see recurrent neural networks work.

main.py stays thin: it parses the command line, then opens the window or runs a headless export
(gui/cli.py). Run ``python main.py --help`` for every option with examples.
"""

from __future__ import annotations

import argparse
import os
import sys

# The job runner's worker threads and the GUI thread already share the cores; a BLAS that starts
# threads of its own inside every job oversubscribes them. Set before NumPy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from gui import interrupts  # noqa: E402 - after the thread settings above
from gui.cli import UsageError  # noqa: E402

EXAMPLES = """\
examples:
  python main.py                                    open the window on the default session
  python main.py --preset bptt-colours              open the window on a preset
  python main.py --present --preset lstm-highway    full screen, for a lecture
  python main.py --list-views                       one view name per line
  python main.py --list-presets                     one preset per line, with its title
  python main.py --view network --export out.png --phase backward --step 7
  python main.py --view network --export out.svg --width 1920 --theme dark
  python main.py --view lstm-circuit --export-animation out.gif --fps 8 \\
                 --from forward:1 --to update
  python main.py --session my.json --view gradient-strip --export strip.png
  python main.py --view geometry-angles --export-animation angles.gif --from 2 --to 1000
  python main.py --export-all figures --width 1200   every view into ./figures
  python main.py --view gradient-strip --export figures/slide.png --slide --transparent
  python main.py --summary                          the default session's numbers as text
  python main.py --train 2000 --summary             train 2,000 updates, then the numbers
  python main.py --preset chunked-truncation --train 500 --view training --export t.png

Exit status: 0 when done, 2 for bad input (one line on stderr, nothing written), 130 or 143
when Ctrl+C or SIGTERM stopped an export or training (its unfinished file removed, finished
ones kept; interrupted training writes nothing).
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line, no usage dump, status 2
        raise UsageError(message)


def updates(text: str) -> int:
    """--train's N: a whole number of updates in 1..1,000,000."""
    from gui.cli import MAX_TRAIN

    try:
        n = int(text.strip().replace("_", ""), 10)
    except (ValueError, AttributeError):
        n = None
    if n is None or not 1 <= n <= MAX_TRAIN:
        raise UsageError(f"--train must be a whole number of updates in 1..{MAX_TRAIN:,}, "
                         f"got {text!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="unfold",
        description="Unfold: a simple RNN and an LSTM unfolded through time, back-propagation "
                    "through time as it happens, and the geometry of high dimensions.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    src = p.add_argument_group("what to show")
    which = src.add_mutually_exclusive_group()
    which.add_argument("--preset", metavar="NAME",
                       help="start from a preset (see --list-presets), e.g. --preset peepholes")
    which.add_argument("--session", metavar="FILE",
                       help="start from a saved session file, e.g. --session my.json")
    src.add_argument("--view", metavar="NAME",
                     help="the view to show or export (see --list-views), e.g. --view network")
    src.add_argument("--phase", choices=("forward", "backward", "update"),
                     help="the cursor's phase, e.g. --phase backward")
    src.add_argument("--step", type=int, metavar="T",
                     help="the cursor's time step t (1..T), e.g. --step 7")
    src.add_argument("--theme", choices=("light", "dark"),
                     help="colour theme (default light, for projectors and print)")
    src.add_argument("--train", type=updates, metavar="N",
                     help="first train the session's model N updates (its optimiser, learning "
                          "rate, clipping, truncation and training settings; progress on "
                          "stderr); the window, export or summary then shows the trained model "
                          "and its curves, e.g. --train 2000")
    out = p.add_argument_group("headless output (no window, no display needed)")
    out.add_argument("--export", metavar="FILE",
                     help="write the view as .png or .svg and exit, e.g. --export out.png")
    out.add_argument("--export-animation", metavar="FILE",
                     help="write the view over a range of the cursor as .gif (or .mp4 with the "
                          "mp4 extra) and exit, e.g. --export-animation backward.gif")
    out.add_argument("--width", type=int, metavar="PX",
                     help="image width in pixels (default 1600 for --export, 800 for "
                          "animations), e.g. --width 1920")
    out.add_argument("--fps", type=float,
                     help="animation frames per second (default 8), e.g. --fps 4")
    out.add_argument("--from", dest="start", metavar="PHASE[:T] | D",
                     help="first frame of an animation (default forward:1), e.g. --from "
                          "backward; for a geometry view a dimension D (default 2), e.g. "
                          "--from 2")
    out.add_argument("--to", dest="stop", metavar="PHASE[:T] | D",
                     help="last frame of an animation (default update), e.g. --to backward:1; "
                          "for a geometry view a dimension D (default 1000), e.g. --to 1000")
    out.add_argument("--slide", action="store_true",
                     help="a slide: large type (the smallest text 24 px at 1600 px), figure "
                          "only, laid out for --aspect; with --export, --export-all or "
                          "--export-animation")
    out.add_argument("--transparent", action="store_true",
                     help="PNG without a background, for a slide's own (with --export FILE.png "
                          "or --export-all)")
    out.add_argument("--aspect", choices=("16:9", "4:3"),
                     help="the figure's shape (default 16:9), e.g. --aspect 4:3")
    out.add_argument("--export-all", metavar="DIR",
                     help="write every view as DIR/<view>.png and exit, each on the preset that "
                          "shows it (or the given session), e.g. --export-all assets/screenshots")
    out.add_argument("--list-views", action="store_true", help="print every view name and exit")
    out.add_argument("--list-presets", action="store_true",
                     help="print every preset name and title and exit")
    out.add_argument("--summary", action="store_true",
                     help="print the session's loss and gradient norms and exit")
    win = p.add_argument_group("window")
    win.add_argument("--present", action="store_true",
                     help="presentation mode: full screen, large type, slim playback bar (F11)")
    return p


def main(argv=None, *, restore_signals: bool = True) -> int:
    """Run the command line; ``restore_signals`` gives SIGINT and SIGTERM their old handlers
    afterwards (in-process callers); the script keeps ours until it has left."""
    interrupts.install()  # Ctrl+C and SIGTERM stop exports cleanly, between frames
    try:
        return _main(argv)
    finally:
        if restore_signals:
            interrupts.uninstall()


def _main(argv) -> int:
    try:
        args = build_parser().parse_args(argv)
        from gui import cli

        code = cli.run(args)
        interrupts.check()
        sys.stdout.flush()  # a full device or a closed pipe shows here, not at exit
        return code
    except UsageError as exc:
        print(f"unfold: error: {exc}", file=sys.stderr)
        return 2
    except interrupts.Interrupted as exc:
        print(f"unfold: interrupted ({exc}); unfinished files removed", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader left (e.g. --summary | head -1): not an error of ours
        _silence_stdout()
        return 141
    except OSError as exc:  # standard output on a full device, and the like
        _silence_stdout()
        print(f"unfold: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests)
        pass


if __name__ == "__main__":
    status = main(restore_signals=False)
    signum = interrupts.requested()
    if signum is not None:  # stopped by a signal: leave now, every file is closed or removed
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(interrupts.EXIT.get(signum, status))  # (tearing Qt down takes 0.5 s more)
    from gui import cli

    # an export's files are closed: skip the teardown (0.3-1 s), unless a profiler or a
    # coverage tool still has to write its report
    if cli.headless_run and sys.getprofile() is None and sys.gettrace() is None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a reader that left: nothing more to say
                pass
        os._exit(status)
    sys.exit(status)
