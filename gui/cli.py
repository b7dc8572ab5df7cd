"""What the command line does once its arguments are parsed: list, summarise, train, export
headless, or open the window.

Every check happens before anything is written: bad input is one line on stderr and exit status
2, with no file written or changed. Files are written to a temporary file beside the target and
renamed into place when complete; a failed write (a full disk, a name too long) says so in one
line and leaves nothing behind. Ctrl+C or SIGTERM stops an export between frames or views,
removes its temporary file, keeps the files already finished, and exits 130 or 143.

``--train N`` trains the session's model in this process before anything else happens (the
summary, an export or the window then show the trained session); its arguments and output paths
are checked first, and Ctrl+C or SIGTERM stops it between updates, writing nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from . import interrupts

#: --train's cap on N
MAX_TRAIN = 1_000_000
#: updates in the mean loss of a progress line
PROGRESS_MEAN = 50
#: the actions of a run; at most one may be given
ACTIONS = ("export", "export_animation", "export_all", "summary", "list_views", "list_presets")


#: True once a run went headless (an export, --list-views): the script may then leave without
#: tearing Qt and the interpreter down (main.py), as every file it wrote is closed by then
headless_run = False


class UsageError(Exception):
    """Bad input on the command line: one line for the user, exit status 2."""


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def check(args) -> None:
    """Refuse combinations that mean nothing, naming the options that conflict."""
    given = [a for a in ACTIONS if getattr(args, a)]
    if len(given) > 1:
        raise UsageError(f"{flag(given[0])} and {flag(given[1])} conflict: give one of them")
    if args.present and given:
        raise UsageError(f"--present opens the window; it conflicts with {flag(given[0])}")
    for name in ("view", "preset", "session", "export", "export_animation", "export_all"):
        value = getattr(args, name)
        if value is not None and not str(value).strip():
            raise UsageError(f"{flag(name)} needs a name, got an empty one")
    animation_only = [n for n in ("fps", "start", "stop") if getattr(args, n) is not None]
    if animation_only and not args.export_animation:
        name = {"start": "from", "stop": "to"}.get(animation_only[0], animation_only[0])
        where = flag(given[0]) if given else "the window"
        raise UsageError(f"--{name} only applies to --export-animation, not to {where}")
    if args.width is not None and not (args.export or args.export_animation or args.export_all):
        raise UsageError("--width only applies to --export, --export-animation and "
                         "--export-all")
    figure = args.export or args.export_all or args.export_animation
    for name in ("slide", "transparent", "aspect"):
        if getattr(args, name, None) and not figure:
            raise UsageError(f"--{name} only applies to --export, --export-all and "
                             "--export-animation")
    if getattr(args, "transparent", False) and (
            args.export_animation or (args.export and not args.export.lower().endswith(".png"))):
        raise UsageError("--transparent needs a PNG: --export FILE.png or --export-all")
    if args.export_all and (args.view or args.phase or args.step is not None):
        raise UsageError("--export-all exports every view; leave out --view, --phase, --step")
    train = getattr(args, "train", None)
    if train is not None and (args.list_views or args.list_presets):
        raise UsageError(f"--train trains a session; it does not apply to {flag(given[0])}")
    if train is not None and not (isinstance(train, int) and 1 <= train <= MAX_TRAIN):
        raise UsageError(f"--train must be a whole number of updates in 1..{MAX_TRAIN:,}, "
                         f"got {train!r}")
    if args.list_presets or args.list_views or args.summary:
        extra = [flag(n) for n in ("view", "phase", "step", "theme")
                 if getattr(args, n) is not None]
        if extra:
            raise UsageError(f"{extra[0]} does not apply to {flag(given[0])}")


def run(args) -> int:
    check(args)
    if args.list_presets:
        from .model import session_file

        for name in session_file.preset_names():
            print(f"{name}\t{session_file.load_preset(name).title}")
        return 0
    session = resolve_session(args)
    if getattr(args, "train", None) is not None:
        check_outputs(args, session)
        session = train(args, session)
    if args.summary:
        print(summary(session))
        return 0
    headless = bool(args.export or args.export_animation or args.list_views or args.export_all)
    if headless:
        global headless_run
        headless_run = True
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from . import export

        export.should_stop_hook = lambda: interrupts.requested() is not None
        interrupts.leave_at_once()  # nothing to clean up until a file is being written
    if args.list_views:
        from . import views

        _app()
        for name in views.names():
            print(name)
        return 0
    if args.export:
        return export_still(args, session)
    if args.export_animation:
        return export_animation(args, session)
    if args.export_all:
        return export_all(args, session)
    cursor = _cursor_text(args, session)
    _parse_cursor(cursor, session.config.steps)
    if args.view is not None:
        from . import views

        _app()
        _known_view(views, args.view)
    from .app import run_window

    return run_window(session=session, view=args.view, cursor=cursor, theme=args.theme,
                      present=args.present, unsaved=getattr(args, "train", None) is not None)


def resolve_session(args):
    """The Session the arguments name (preset, file, or the default), validated."""
    from sim.run import SessionConfig

    from .model import session_file

    try:
        if args.preset:
            return session_file.load_preset(args.preset)
        if args.session:
            return session_file.load(args.session)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return session_file.Session(config=SessionConfig())


def check_outputs(args, session) -> None:
    """Check what the run will write (and the view it names) before a long training run, so a
    bad path fails at once."""
    headless = bool(args.export or args.export_animation or args.export_all)
    if not headless:
        _cursor_text(args, session)
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from . import export, views

    if args.export:
        _output(args.export, export.FORMATS, "--export")
    if args.export_animation:
        _output(args.export_animation, export.ANIMATION_FORMATS, "--export-animation")
    if args.export_all:
        folder = Path(args.export_all)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--export-all needs a folder, {args.export_all!r} is a file")
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise UsageError(f"cannot write into {args.export_all!r}")
    if args.width is not None and not 16 <= args.width <= 10_000:
        raise UsageError(f"--width must be in 16..10000 pixels, got {args.width}")
    if args.view is not None:
        _app()
        _known_view(views, args.view)


def train(args, session):
    """``session`` trained ``args.train`` updates in this process (gui.model.training.headless):
    its weights and its curves ("training-history") become the session's.

    Progress goes to stderr: on a terminal one line rewritten in place; otherwise a line after
    the first second and one at each quarter. Ctrl+C or SIGTERM is looked at between updates:
    training stops there, says where, and nothing is written (exit 130 or 143).
    """
    import numpy as np

    from .model.training import headless

    n = args.train
    try:
        run = headless.session_run(session)
    except ValueError as exc:
        raise UsageError(f"--train: {exc}") from None
    start = run.done
    run.total = start + n
    interrupts.leave_at_once(False)  # stop between updates and say where
    out = sys.stderr
    tty = out.isatty()
    t0 = last = time.monotonic()
    quarters = {start + (n * q) // 4 for q in (1, 2, 3)}
    said_first = False
    recent: list[float] = []

    def line(done: int) -> str:
        dt = max(time.monotonic() - t0, 1e-9)
        loss = np.array(recent[-PROGRESS_MEAN:])
        loss = loss[np.isfinite(loss)]
        mean = f"{loss.mean():.4g}" if loss.size else "n/a"
        return (f"training {run.labels[0]}: {done - start:,} / {n:,} updates, "
                f"{(done - start) / dt:,.0f} updates/s, mean loss of the last "
                f"{min(len(recent), PROGRESS_MEAN)}: {mean}")

    for _ in range(n):
        if interrupts.requested() is not None:
            if tty:
                out.write("\n")
            out.write(f"unfold: training stopped after {run.done - start:,} of {n:,} updates "
                      f"(update {run.done:,} of the run); nothing written\n")
            out.flush()
            interrupts.check()
        m = headless.step(run)[0]
        recent.append(m.loss)
        del recent[:-PROGRESS_MEAN]
        done = run.done
        now = time.monotonic()
        if tty:
            if now - last >= 0.1 or done == start + n:
                out.write("\r" + line(done))
                out.flush()
                last = now
        elif (not said_first and now - t0 >= 1.0) or done in quarters:
            said_first = said_first or now - t0 >= 1.0
            out.write(line(done) + "\n")
            out.flush()
    out.write(("\n" if tty else "") + line(run.done) + ", done\n")
    out.flush()
    interrupts.check()
    return headless.trained_session(session, run)


def summary(session) -> str:
    import numpy as np

    from sim.run import compute

    r = compute(session.config, session.params)
    c, bt = r.config, r.backward
    lines = [f"{c.model} on {c.task} (H = {c.hidden}, T = {c.length}, seed {c.seed})",
             f"J = {bt.loss:.6f} over steps {list(map(int, bt.sources))}"]
    for name, g in bt.grads.items():
        lines.append(f"  ||dJ/d{name}|| = {np.linalg.norm(g):.6f}")
    return "\n".join(lines)


def _cursor_text(args, session) -> str | None:
    if args.phase is None:
        return session.cursor if args.step is None else f"forward:{args.step}"
    if args.phase == "update" and args.step is not None:
        raise UsageError("--step does not apply to --phase update (there is one update)")
    return args.phase if args.step is None else f"{args.phase}:{args.step}"


def _parse_cursor(text: str | None, T: int):
    from .model.cursor import Cursor

    try:
        return Cursor.parse(text, T) if text else Cursor("forward", 1)
    except ValueError as exc:
        raise UsageError(str(exc).replace("step must", "--step must")) from None


def _known_view(views, name: str) -> None:
    try:
        views.get(name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _output(path: str, suffixes: tuple[str, ...], option: str) -> Path:
    """A file to write, checked: its suffix, a folder that exists and is writable, a name the
    file system takes."""
    if path.endswith(("/", os.sep)):
        raise UsageError(f"{option} {path!r} ends in a slash: give a file name")
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise UsageError(f"{option} must end in {' or '.join(suffixes)}, got {p.name!r}")
    existing = p.parent if str(p.parent) else Path(".")
    try:
        if p.is_dir():
            raise UsageError(f"{option} {path!r} is a directory")
        if not existing.is_dir():
            raise UsageError(f"cannot write {path!r}: folder {str(existing)!r} does not exist")
        max_name = os.pathconf(existing, "PC_NAME_MAX")
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    if len(os.fsencode(p.name)) + 16 > max_name:  # room for the temporary file's name too
        raise UsageError(f"cannot write {path!r}: the file name is longer than the folder "
                         f"allows ({max_name} bytes)")
    if not os.access(existing, os.W_OK):
        raise UsageError(f"cannot write {path!r}: folder {str(existing)!r} is not writable")
    return p


def _app():
    from .app import make_app

    return make_app()


def _prepare(args, session, default_width: int):
    """Validate everything, then build the model and the view (nothing written yet)."""
    from . import views

    width = default_width if args.width is None else args.width
    if not 16 <= width <= 10_000:
        raise UsageError(f"--width must be in 16..10000 pixels, got {width}")
    name = args.view or session.view or "network"
    _app()
    _known_view(views, name)
    cursor = _parse_cursor(_cursor_text(args, session), session.config.steps)
    from . import export
    from .context import Context
    from .model.app_model import from_session

    ctx = Context(from_session(session, theme=args.theme))
    view = export.make_view(name, ctx, size=_figure_size(args))
    return ctx, view, cursor, width


def _figure_size(args) -> tuple[int, int]:
    from . import export

    return export.layout_size(slide=bool(getattr(args, "slide", False)),
                              aspect=getattr(args, "aspect", None) or "16:9")


def _figure_theme(args, ctx):
    """The slide theme when --slide was given, else None (the model's)."""
    if not getattr(args, "slide", False):
        return None
    from . import theme

    return theme.slide(theme.get(ctx.app.theme))


def export_still(args, session) -> int:
    from . import export

    path = _output(args.export, export.FORMATS, "--export")
    ctx, view, cursor, width = _prepare(args, session, 1600)
    interrupts.check()
    with _atomic(path) as tmp, _stopped_by_signal():
        if path.suffix.lower() == ".png":
            export.export_png(view, ctx, tmp, width=width, cursor=cursor,
                              theme=_figure_theme(args, ctx),
                              transparent=bool(getattr(args, "transparent", False)),
                              restore=False)
        else:
            export.export_svg(view, ctx, tmp, cursor=cursor, theme=_figure_theme(args, ctx),
                              restore=False)
    view.close()
    return 0


def export_animation(args, session) -> int:
    from . import export
    from .model.cursor import Cursor

    path = _output(args.export_animation, export.ANIMATION_FORMATS, "--export-animation")
    fps = 8.0 if args.fps is None else args.fps
    if not 0.1 <= fps <= 60:
        raise UsageError(f"--fps must be in 0.1..60, got {fps:g}")
    try:
        if _sweeps_dimensions(args, session):
            cursors = export.animation_dims(_dimension(args.start, 2, "--from"),
                                            _dimension(args.stop, 1000, "--to"))
        else:
            T = session.config.steps
            start = Cursor.parse(args.start or "forward:1", T)
            stop = Cursor.parse(args.stop or "update", T)
            cursors = export.animation_cursors(T, start, stop)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if path.suffix.lower() == ".mp4":
        try:
            import imageio  # noqa: F401 - the import check happens before anything is written
        except ImportError:
            raise UsageError('MP4 export needs the optional extra: python -m pip install -e '
                             '".[mp4]"; GIF works without it') from None
    ctx, view, _, width = _prepare(args, session, 800)
    with _atomic(path) as tmp:
        try:
            n = export.export_animation(view, ctx, tmp, cursors, fps=fps, width=width,
                                        should_stop=lambda: interrupts.requested() is not None,
                                        theme=_figure_theme(args, ctx))
        except export.ExportCancelled:
            interrupts.check()
            raise
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    view.close()
    print(f"wrote {n} frames to {path}", file=sys.stderr)
    return 0


def _sweeps_dimensions(args, session) -> bool:
    """A geometry view's animation sweeps the dimension D, not the session's cursor."""
    from . import views

    _app()
    name = args.view or session.view or "network"
    _known_view(views, name)
    return not views.get(name).uses_session


def _dimension(text, default: int, flag_name: str) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{flag_name} takes a dimension D for a geometry view (a whole number, "
                         f"e.g. {flag_name} {default}), got {text!r}") from None


def export_all(args, session) -> int:
    """Every view as DIR/<view>.png: on the preset that shows it unless a session was given."""
    from . import export, views
    from .context import Context
    from .model import session_file
    from .model.app_model import from_session
    from .model.cursor import Cursor

    folder = Path(args.export_all)
    width = 1200 if args.width is None else args.width
    if not 16 <= width <= 10_000:
        raise UsageError(f"--width must be in 16..10000 pixels, got {width}")
    try:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--export-all needs a folder, {args.export_all!r} is a file")
        if not folder.exists():
            folder.mkdir(parents=True)
            print(f"made the folder {folder}", file=sys.stderr)
    except OSError as exc:
        raise UsageError(f"cannot make the folder {args.export_all!r}: "
                         f"{exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write into {args.export_all!r}")
    _app()
    given = bool(args.preset or args.session or getattr(args, "train", None))
    by_view = {}
    for name in session_file.preset_names():
        p = session_file.load_preset(name)
        by_view.setdefault(p.view, p)
    for name in views.names():
        interrupts.check()
        s = session if given else by_view.get(name, session)
        ctx = Context(from_session(s, theme=args.theme))
        view = export.make_view(name, ctx, size=_figure_size(args))
        T = ctx.app.T
        cursor = Cursor.parse(s.cursor, T) if s.cursor else Cursor("backward", max(1, T // 2))
        with _atomic(folder / f"{name}.png") as tmp, _stopped_by_signal():
            export.export_png(view, ctx, tmp, width=width, cursor=cursor,
                              theme=_figure_theme(args, ctx),
                              transparent=bool(getattr(args, "transparent", False)),
                              restore=False)
        view.close()
        print(folder / f"{name}.png", file=sys.stderr)
    return 0


class _stopped_by_signal:
    """Turn an export the interrupt hook cancelled into :class:`interrupts.Interrupted`."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        from .export import ExportCancelled

        if exc_type is not None and issubclass(exc_type, ExportCancelled):
            interrupts.check()
        return False


def _usual_mode(path: Path) -> None:
    """mkstemp makes files private (0600); an exported figure gets the usual umask mode."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


class _atomic:
    """Write to a temporary file beside ``path`` and rename it into place only when complete
    (and not interrupted); the temporary file is removed whatever happens."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Path:
        self._writing = interrupts.writing().__enter__()
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=self.path.suffix,
                                        dir=folder)
        except OSError as exc:
            self._writing.__exit__(None, None, None)
            raise UsageError(f"cannot write {str(self.path)!r}: {exc.strerror or exc}") \
                from None
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        try:
            return self._finish(exc_type, exc)
        finally:
            self._writing.__exit__(None, None, None)
            interrupts.check()  # a signal that came while writing: stop now, cleaned up

    def _finish(self, exc_type, exc):
        if exc_type is None:
            try:
                interrupts.check()
                _usual_mode(self.tmp)
                os.replace(self.tmp, self.path)
            except OSError as err:
                self.tmp.unlink(missing_ok=True)
                raise UsageError(f"cannot write {str(self.path)!r}: {err.strerror or err}") \
                    from None
            except BaseException:
                self.tmp.unlink(missing_ok=True)
                raise
            return False
        self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {str(self.path)!r}: {exc.strerror or exc}") \
                from None
        return False
