"""Unfold's Qt front end: one application state, a window, and views that only render."""
