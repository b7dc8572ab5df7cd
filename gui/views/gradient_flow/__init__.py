"""The gradient-flow view (a package: the view, its controls row, the distance plot, the heat maps
and the clipping plot; what they draw comes from gui/model/present/gradient_flow*.py)."""

from .view import GradientFlowView  # noqa: F401 - registers the view
