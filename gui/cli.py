"""What the command line does once its arguments are parsed: list, summarise, export headless,
or open the window. Every check happens before anything is written."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


class UsageError(Exception):
    """Bad input on the command line: one line for the user, exit status 2."""


def run(args) -> int:
    if args.list_presets:
        from gui.model import session_file

        for name in session_file.preset_names():
            print(f"{name}\t{session_file.load_preset(name).title}")
        return 0
    headless = bool(args.export or args.export_animation or args.list_views or args.summary
                    or args.export_all)
    session = resolve_session(args)
    if args.summary:
        print(summary(session))
        return 0
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.list_views:
        from . import views

        _app()
        for name in views.names():
            print(name)
        return 0
    if args.export and args.export_animation:
        raise UsageError("give either --export or --export-animation, not both")
    if args.export:
        return export_still(args, session)
    if args.export_animation:
        return export_animation(args, session)
    if args.export_all:
        return export_all(args, session)
    if args.width is not None:
        raise UsageError("--width only applies to --export and --export-animation")
    from .app import run_window

    return run_window(session=session, view=args.view, cursor=_cursor_text(args, session),
                      theme=args.theme, present=args.present)


def resolve_session(args):
    """The Session the arguments name (preset, file, or the default), validated."""
    from gui.model import session_file
    from sim.run import SessionConfig

    try:
        if args.preset:
            return session_file.load_preset(args.preset)
        if args.session:
            return session_file.load(args.session)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return session_file.Session(config=SessionConfig())


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


def _output(path: str, suffixes: tuple[str, ...], flag: str) -> Path:
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise UsageError(f"{flag} must end in {' or '.join(suffixes)}, got {p.name!r}")
    if p.is_dir():
        raise UsageError(f"{flag} {path!r} is a directory")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {path!r}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"cannot write {path!r}: folder {str(parent)!r} is not writable")
    return p


def _app():
    from .app import make_app

    return make_app()


def _prepare(args, session, default_width: int):
    """Validate everything, then build the state and the view (nothing written yet)."""
    from . import views
    from .model.cursor import Cursor

    width = default_width if args.width is None else args.width
    if not 16 <= width <= 10_000:
        raise UsageError(f"--width must be in 16..10000 pixels, got {width}")
    name = args.view or session.view or "network"
    _app()
    try:
        views.get(name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    text = _cursor_text(args, session)
    T = session.config.length
    try:
        cursor = Cursor.parse(text, T) if text else Cursor("forward", 1)
    except ValueError as exc:
        raise UsageError(str(exc).replace("step must", "--step must")) from None
    from . import export
    from .context import Context
    from .model.app_model import from_session

    ctx = Context(from_session(session, theme=args.theme))
    view = export.make_view(name, ctx)
    return ctx, view, cursor, width


def export_still(args, session) -> int:
    from . import export

    path = _output(args.export, export.FORMATS, "--export")
    ctx, view, cursor, width = _prepare(args, session, 1600)
    with _atomic(path) as tmp:
        if path.suffix.lower() == ".png":
            export.export_png(view, ctx, tmp, width=width, cursor=cursor)
        else:
            export.export_svg(view, ctx, tmp, cursor=cursor)
    view.close()
    return 0


def export_animation(args, session) -> int:
    from . import export
    from .model.cursor import Cursor

    path = _output(args.export_animation, export.ANIMATION_FORMATS, "--export-animation")
    if not 0.1 <= args.fps <= 60:
        raise UsageError(f"--fps must be in 0.1..60, got {args.fps:g}")
    T = session.config.length
    try:
        start, stop = Cursor.parse(args.start, T), Cursor.parse(args.stop, T)
        cursors = export.animation_cursors(T, start, stop)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if path.suffix.lower() == ".mp4":
        try:
            export._mp4_writer  # noqa: B018 - the import check happens when writing starts
            import imageio  # noqa: F401
        except ImportError:
            raise UsageError('MP4 export needs the optional extra: python -m pip install -e '
                             '".[mp4]"; GIF works without it') from None
    ctx, view, _, width = _prepare(args, session, 800)
    with _atomic(path) as tmp:
        try:
            n = export.export_animation(view, ctx, tmp, cursors, fps=args.fps, width=width)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    view.close()
    print(f"wrote {n} frames to {path}", file=sys.stderr)
    return 0


def export_all(args, session) -> int:
    """Every view as DIR/<view>.png: on the preset that shows it unless a session was given."""
    from gui.model import session_file

    from . import export, views

    folder = Path(args.export_all)
    if not folder.is_dir():
        raise UsageError(f"--export-all needs an existing folder, got {args.export_all!r}")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write into {args.export_all!r}")
    if args.view or args.phase or args.step:
        raise UsageError("--export-all exports every view; leave out --view, --phase, --step")
    width = 1200 if args.width is None else args.width
    if not 16 <= width <= 10_000:
        raise UsageError(f"--width must be in 16..10000 pixels, got {width}")
    _app()
    given = bool(args.preset or args.session)
    by_view = {}
    for name in session_file.preset_names():
        p = session_file.load_preset(name)
        by_view.setdefault(p.view, p)
    from .context import Context
    from .model.app_model import from_session
    from .model.cursor import Cursor

    for name in views.names():
        s = session if given else by_view.get(name, session)
        ctx = Context(from_session(s, theme=args.theme))
        view = export.make_view(name, ctx)
        T = ctx.app.T
        cursor = Cursor.parse(s.cursor, T) if s.cursor else Cursor("backward", max(1, T // 2))
        with _atomic(folder / f"{name}.png") as tmp:
            export.export_png(view, ctx, tmp, width=width, cursor=cursor)
        view.close()
        print(folder / f"{name}.png", file=sys.stderr)
    return 0


def _usual_mode(path: Path) -> None:
    """mkstemp makes files private (0600); an exported figure gets the usual umask mode."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


class _atomic:
    """Write to a temporary file beside ``path`` and rename it into place only on success."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Path:
        fd, name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=self.path.suffix,
                                    dir=self.path.parent if str(self.path.parent) else ".")
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            _usual_mode(self.tmp)
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
        return False
