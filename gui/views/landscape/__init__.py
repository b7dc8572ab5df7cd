"""The Landscape view (a small package: the view, its controls, the cliff's figure, the line's
figure)."""

from .view import LandscapeView

__all__ = ["LandscapeView"]
