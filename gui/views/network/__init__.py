"""The unfolded network view (a package: the view and nothing else; its geometry, connections,
values and words are presenters in gui/model/present/unfolded_*.py)."""

from .view import NetworkView  # noqa: F401 - registers the view
