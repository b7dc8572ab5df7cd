"""Between session files and the running application: build a state from a Session, and read
the open session back for saving."""

from __future__ import annotations

from sim.session import Cursor
from sim.session_io import Session

from .state import AppState


def build_state(session: Session, *, theme: str | None = None) -> AppState:
    """An AppState showing ``session`` (computed synchronously: for export and start-up)."""
    state = AppState(session.config, params=session.params)
    state.set_theme(theme or session.theme or "light")
    if session.geometry:
        state.pending_settings["geometry"] = dict(session.geometry)
    if session.cursor:
        state.set_cursor(Cursor.parse(session.cursor, state.T))
    return state


def apply_session(state: AppState, session: Session) -> None:
    """Make the open window show ``session`` (recomputed off the GUI thread)."""
    if session.geometry:
        state.pending_settings["geometry"] = dict(session.geometry)
        geo = state.__dict__.get("_exts", {}).get("geometry")
        if geo is not None and hasattr(geo, "apply"):
            geo.apply(session.geometry)
    if session.theme:
        state.set_theme(session.theme)
    state.params = None
    state.set_config(session.config, params=session.params)
    if session.cursor:
        state.set_cursor(Cursor.parse(session.cursor, session.config.length))


def current_session(state: AppState, *, view: str | None = None, options=None,
                    training: dict | None = None, title: str = "", caption: str = "") -> Session:
    """The open session as a Session: config, current weights, cursor, view, theme."""
    r = state.result
    params = None
    if state.params is not None and r is not None:
        params = {k: v.copy() for k, v in r.forward.params.items()}
    geo = state.__dict__.get("_exts", {}).get("geometry")
    geometry = geo.settings() if geo is not None and hasattr(geo, "settings") else {}
    cursor = state.cursor
    text = "update" if cursor.phase == "update" else f"{cursor.phase}:{cursor.t}"
    return Session(config=state.config, params=params, view=view, cursor=text,
                   training=dict(training or {}), geometry=geometry,
                   options=dict(options or {}), theme=state.theme, title=title, caption=caption)
