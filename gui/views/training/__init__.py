"""The Training view (a small package: the view, its controls, its figure, its samples)."""

from .view import TrainingView

__all__ = ["TrainingView"]
