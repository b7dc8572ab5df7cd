"""The folded network view (a package: the view, and its unroll mode's drawing in unroll.py; the
unroll mode's numbers are a presenter in gui/model/present/unrolled_chain.py)."""

from .view import FoldedView  # noqa: F401 - registers the view
