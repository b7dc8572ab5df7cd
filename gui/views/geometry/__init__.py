"""The Geometry tab: five views of high-dimensional geometry (grids, spiky cubes, Pac-Man angles,
the M&M's shell, distances) under one control bar, with a table of the article's claims.

Importing the package registers the views and the tab's builder.
"""

from . import panel
from .angles import AnglesView
from .cube import CubeView
from .distances import DistancesView
from .grid import GridView
from .shell import ShellView

__all__ = ["AnglesView", "CubeView", "DistancesView", "GridView", "ShellView", "panel"]
