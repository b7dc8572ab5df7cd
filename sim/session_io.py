"""Sessions as JSON files, and presets: save, validate, load.

A session file holds everything needed to reopen what the user saw: the session config, the
current weights (so a trained model reopens as it was), training settings, the view and the
cursor. Loading validates every field and refuses unknown versions with a message; saving writes a
temporary file and renames it, so a crash never leaves a half-written session.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .session import SessionConfig, build_model

VERSION = 1
FORMAT = "unfold-session"
PRESETS_DIR = Path(__file__).resolve().parent.parent / "assets" / "presets"
MAX_FILE_BYTES = 50_000_000

TRAINING_FIELDS = {
    "optimizer": (str, ("sgd", "momentum", "adam")),
    "lr": (float, (1e-9, 100.0)),
    "clip": (float, (1e-9, 1e9)),
    "clip_mode": (str, ("global", "per_step")),
    "batch_size": (int, (1, 1024)),
    "updates": (int, (1, 1_000_000)),
}


@dataclass(frozen=True)
class Session:
    """A saved session.

    Attributes
    ----------
    config : the SessionConfig.
    params : name -> array, the weights to use instead of fresh seeded ones, or None.
    view : the view (or tab) to show, or None.
    cursor : "forward:3", "backward:7", "update", or None.
    training : optimiser settings (see TRAINING_FIELDS), possibly empty.
    geometry : settings of the geometry panel, possibly empty.
    options : view name -> that view's own options (e.g. {"gradient-flow": {"compare": true}}).
    theme : "light" or "dark", or None.
    title, caption : for presets.
    """

    config: SessionConfig
    params: dict | None = None
    view: str | None = None
    cursor: str | None = None
    training: dict = field(default_factory=dict)
    geometry: dict = field(default_factory=dict)
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
    if session.training:
        out["training"] = dict(session.training)
    if session.geometry:
        out["geometry"] = dict(session.geometry)
    if session.options:
        out["options"] = {k: dict(v) for k, v in session.options.items()}
    if session.title:
        out["title"] = session.title
    if session.caption:
        out["caption"] = session.caption
    return out


def from_dict(d) -> Session:
    """Validate a parsed session file; ValueError naming the first bad field."""
    if not isinstance(d, dict):
        raise ValueError("a session file must hold a JSON object")
    known = {"format", "version", "config", "weights", "view", "cursor", "training", "geometry",
             "options", "theme", "title", "caption"}
    unknown = set(d) - known
    if unknown:
        raise ValueError(f"unknown field(s) in session: {', '.join(sorted(unknown))}")
    if d.get("format") != FORMAT:
        raise ValueError(f"not an Unfold session (format must be {FORMAT!r})")
    version = d.get("version")
    if version != VERSION:
        raise ValueError(f"session version {version!r} is not supported (this Unfold reads "
                         f"version {VERSION})")
    if "config" not in d:
        raise ValueError("session has no config")
    config = SessionConfig.from_dict(_json_config(d["config"]))
    params = None
    if "weights" in d:
        params = _weights(d["weights"], config)
    view = _optional_str(d, "view")
    cursor = _optional_str(d, "cursor")
    if cursor is not None:
        from .session import Cursor

        Cursor.parse(cursor, config.length)  # raises ValueError naming phase or step
    theme = _optional_str(d, "theme")
    if theme is not None and theme not in ("light", "dark"):
        raise ValueError(f"theme must be 'light' or 'dark', got {theme!r}")
    training = _training(d.get("training", {}))
    geometry = d.get("geometry", {})
    if not isinstance(geometry, dict):
        raise ValueError("geometry must be an object")
    options = d.get("options", {})
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise ValueError("options must be an object of view name -> object")
    return Session(config=config, params=params, view=view, cursor=cursor, training=training,
                   geometry=dict(geometry), options=options, theme=theme,
                   title=_optional_str(d, "title") or "",
                   caption=_optional_str(d, "caption") or "")


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


def _training(t) -> dict:
    if not isinstance(t, dict):
        raise ValueError("training must be an object")
    out = {}
    for key, value in t.items():
        if key not in TRAINING_FIELDS:
            raise ValueError(f"unknown training field {key!r}")
        kind, allowed = TRAINING_FIELDS[key]
        if value is None and key == "clip":
            out[key] = None
            continue
        if kind is str:
            if value not in allowed:
                raise ValueError(f"training.{key} must be one of {allowed}, got {value!r}")
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                    not math.isfinite(value):
                raise ValueError(f"training.{key} must be a number, got {value!r}")
            lo, hi = allowed
            if not lo <= value <= hi:
                raise ValueError(f"training.{key} must be in [{lo}, {hi}], got {value}")
            if kind is int and value != int(value):
                raise ValueError(f"training.{key} must be an integer, got {value}")
            value = kind(value)
        out[key] = value
    return out


def _optional_str(d: dict, key: str) -> str | None:
    v = d.get(key)
    if v is not None and not isinstance(v, str):
        raise ValueError(f"{key} must be a string, got {v!r}")
    return v


def dumps(session: Session) -> str:
    return json.dumps(to_dict(session), indent=1)


def loads(text: str) -> Session:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed session JSON (line {exc.lineno}, column {exc.colno}): "
                         f"{exc.msg}") from None
    return from_dict(data)


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
    if not path.is_file():
        raise ValueError(f"no such session file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"session file is larger than {MAX_FILE_BYTES // 1_000_000} MB: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read session file {path}: {exc}") from None
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
