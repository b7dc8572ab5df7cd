"""Sessions as JSON files, and presets: save, validate, load.

A session file holds everything needed to reopen what the user saw: the session config, the
current weights (so a trained model reopens as it was), every settings section (geometry,
training, view options; gui.model.options), the view and the cursor. It is data only: JSON
numbers and strings, never code or pickles. Loading validates every field and refuses unknown
versions with a message; saving writes a temporary file and renames it, so a crash never leaves
a half-written session.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.run import SessionConfig, build_model

from . import limits
from .cursor import Cursor

VERSION = 2
#: versions this Unfold reads (1: settings for views under "options" by view name, geometry and
#: training at the top level; 2: every settings section under "options")
READS = (1, 2)
FORMAT = "unfold-session"
PRESETS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "presets"
MAX_FILE_BYTES = 50_000_000
#: the session file's top-level fields
FIELDS = ("format", "version", "config", "weights", "view", "cursor", "options", "theme",
          "title", "caption")


@dataclass(frozen=True)
class Session:
    """A saved session.

    Attributes
    ----------
    config : the SessionConfig.
    params : name -> array, the weights to use instead of fresh seeded ones, or None.
    view : the view to show, or None.
    cursor : "forward:3", "backward:7", "update", or None.
    options : section name -> settings (gui.model.options): geometry, training, view options;
        sections not given keep their defaults.
    theme : "light" or "dark", or None.
    title, caption : for presets.
    """

    config: SessionConfig
    params: dict | None = None
    view: str | None = None
    cursor: str | None = None
    options: dict = field(default_factory=dict)
    theme: str | None = None
    title: str = ""
    caption: str = ""


def to_dict(session: Session) -> dict:
    """A JSON-ready dict of ``session``."""
    out = {"format": FORMAT, "version": VERSION, "config": session.config.to_dict()}
    if session.params is not None:
        out["weights"] = {k: np.asarray(v, dtype=float).tolist() for k, v in
                          session.params.items()}
    for key in ("view", "cursor", "theme"):
        if getattr(session, key) is not None:
            out[key] = getattr(session, key)
    if session.options:
        out["options"] = {k: (v.to_dict() if hasattr(v, "to_dict") else dict(v))
                          for k, v in session.options.items()}
    if session.title:
        out["title"] = session.title
    if session.caption:
        out["caption"] = session.caption
    return out


def from_dict(d) -> Session:
    """Validate a parsed session file; ValueError naming the first bad field."""
    from .options import parse_options

    if not isinstance(d, dict):
        raise ValueError("a session file must hold a JSON object")
    if d.get("format") != FORMAT:
        raise ValueError(f"not an Unfold session (format must be {FORMAT!r})")
    version = d.get("version")
    if isinstance(version, bool) or version not in READS:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise ValueError(f"session version {version!r} is not supported (this Unfold reads "
                         f"versions {', '.join(map(str, READS))}"
                         + ("; it was written by a newer Unfold" if newer else "") + ")")
    if version == 1:
        d = _from_version_1(d)
    unknown = set(d) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) in session: {', '.join(sorted(unknown))}")
    if "config" not in d:
        raise ValueError("session has no config")
    config = SessionConfig.from_dict(_json_config(d["config"]))
    limits.check_config(config)
    params = None
    if "weights" in d:
        params = _weights(d["weights"], config)
    view = _optional_str(d, "view")
    cursor = _optional_str(d, "cursor")
    if cursor is not None:
        Cursor.parse(cursor, config.steps)  # raises ValueError naming phase or step
    theme = _optional_str(d, "theme")
    if theme is not None and theme not in ("light", "dark"):
        raise ValueError(f"theme must be 'light' or 'dark', got {theme!r}")
    options = parse_options(d.get("options", {}))
    return Session(config=config, params=params, view=view, cursor=cursor, options=options,
                   theme=theme, title=_optional_str(d, "title") or "",
                   caption=_optional_str(d, "caption") or "")


def _from_version_1(d: dict) -> dict:
    """A version-1 file in version 2's shape: its geometry and training sections and its view
    options move under "options"; training's lr and clip were the training run's own then and
    are not the session's, so they are dropped."""
    d = dict(d)
    options = {}
    old = d.pop("options", {})
    if not isinstance(old, dict):
        raise ValueError("options must be an object")
    if "geometry" in d:
        options["geometry"] = d.pop("geometry")
    training = d.pop("training", None)
    if training is not None:
        if not isinstance(training, dict):
            raise ValueError("training must be an object")
        keep = {"optimizer": "optimizer", "batch_size": "batch_size", "updates": "n_updates"}
        options["training"] = {new: training[k] for k, new in keep.items() if k in training}
    for view, values in old.items():
        if not isinstance(values, dict):
            raise ValueError(f"options.{view} must be an object")
        if view.startswith("geometry-"):  # the geometry views saved the panel's parameters
            options.setdefault("geometry", {})
            if not isinstance(options["geometry"], dict):
                raise ValueError("geometry must be an object")
            options["geometry"] = {**values, **options["geometry"]}
        elif view == "gradient-flow" and "compare" in values:
            options["gradient-flow"] = {"compare": values["compare"]}
        elif view == "landscape":
            options["landscape"] = values
        elif view == "training":
            options.setdefault("training", {}).update(
                {k: v for k, v in values.items()
                 if k in ("optimizer", "batch_size", "n_updates", "temperature",
                          "compare_task", "follow")})
    if options:
        d["options"] = options
    return d


def _json_config(c) -> dict:
    if not isinstance(c, dict):
        raise ValueError("config must be an object")
    c = dict(c)
    for key in ("hidden", "length", "seed", "input_seed", "truncation"):
        v = c.get(key)
        if isinstance(v, float) and v.is_integer():
            c[key] = int(v)
        elif v is not None and key in c and not isinstance(v, int):
            raise ValueError(f"config.{key} must be an integer, got {v!r}")
        if isinstance(c.get(key), bool):
            raise ValueError(f"config.{key} must be an integer, got {v!r}")
    for key, cap in (("hidden", limits.MAX_HIDDEN), ("length", limits.MAX_LENGTH),
                     ("truncation", limits.MAX_LENGTH)):
        if isinstance(c.get(key), int) and c[key] > cap:
            raise ValueError(f"config.{key} must be <= {cap} in the window, got {c[key]}")
    for key in ("lr", "clip", "radius"):
        v = c.get(key)
        if v is not None and key in c:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"config.{key} must be a number, got {v!r}")
            c[key] = float(v)
    return c


def _weights(w, config: SessionConfig) -> dict:
    if not isinstance(w, dict):
        raise ValueError("weights must be an object of name -> nested lists")
    shapes = build_model(config).param_shapes()
    if set(w) != set(shapes):
        missing, extra = set(shapes) - set(w), set(w) - set(shapes)
        raise ValueError("weights do not fit the config: "
                         + (f"missing {sorted(missing)} " if missing else "")
                         + (f"unexpected {sorted(extra)}" if extra else ""))
    out = {}
    for name, shape in shapes.items():
        try:
            arr = np.array(w[name], dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"weights[{name!r}] must be numbers") from None
        if arr.shape != shape:
            raise ValueError(f"weights[{name!r}] must have shape {shape}, got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"weights[{name!r}] must be finite")
        out[name] = arr
    return out


def _optional_str(d: dict, key: str) -> str | None:
    v = d.get(key)
    if v is not None and not isinstance(v, str):
        raise ValueError(f"{key} must be a string, got {v!r}")
    return v


def dumps(session: Session) -> str:
    """The session file's text: indented objects, each list of numbers on one line (a trained
    session's weights and its training history stay a few MB, not one line per number)."""
    arrays: list[str] = []
    token = f"@@numbers-{uuid.uuid4().hex}-"

    def flat(v):
        if isinstance(v, dict):
            return {k: flat(x) for k, x in v.items()}
        if isinstance(v, list):
            if v and all(x is None or (isinstance(x, (int, float)) and not isinstance(x, bool))
                         for x in v):
                arrays.append(json.dumps(v, separators=(",", ":")))
                return f"{token}{len(arrays) - 1}"
            return [flat(x) for x in v]
        return v

    text = json.dumps(flat(to_dict(session)), indent=1)
    return re.sub(f'"{token}(\\d+)"', lambda m: arrays[int(m.group(1))], text)


def loads(text: str) -> Session:
    """Parse and validate a session file's text; ValueError naming the first problem."""
    if len(text) > MAX_FILE_BYTES:
        raise ValueError(f"session file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed session JSON (line {exc.lineno}, column {exc.colno}): "
                         f"{exc.msg}") from None
    except RecursionError:
        raise ValueError("malformed session JSON: nested too deeply") from None
    try:
        return from_dict(data)
    except RecursionError:
        raise ValueError("malformed session: a value is nested too deeply") from None


def save(path, session: Session) -> None:
    """Write ``session`` to ``path`` atomically: a temporary file in the same folder, renamed."""
    path = Path(path)
    text = dumps(session)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would make the session private
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path) -> Session:
    """Read and validate a session file; ValueError (with the reason) for anything wrong."""
    path = Path(path)
    try:
        if not path.is_file():
            raise ValueError(f"no such session file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"session file is larger than {MAX_FILE_BYTES // 1_000_000} MB: "
                             f"{path}")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read session file {path}: {exc.strerror or exc}"
                         if isinstance(exc, OSError) else
                         f"cannot read session file {path}: {exc}") from None
    return loads(text)


# -- presets ----------------------------------------------------------------------------------

def preset_names() -> list[str]:
    """Every preset in ``assets/presets``, in tour order (their ``order`` field, then name)."""
    items = []
    for p in PRESETS_DIR.glob("*.json"):
        try:
            order = json.loads(p.read_text(encoding="utf-8")).get("order", 999)
        except (OSError, json.JSONDecodeError):
            order = 999
        items.append((order, p.stem))
    return [name for _, name in sorted(items)]


def load_preset(name: str) -> Session:
    """A preset by name; ValueError listing the presets when there is none of that name."""
    path = PRESETS_DIR / f"{name}.json"
    if not path.is_file():
        raise ValueError(f"unknown preset {name!r}; presets: {', '.join(preset_names())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("order", None)
    return from_dict(data)
