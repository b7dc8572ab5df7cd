"""The geometry of high dimensions: spiky cubes, Pac-Man walking, empty M&M's chocolate.

A package: volumes.py (balls, shells, spiky cubes), angles.py, distances.py (and empty grids),
sampling.py (the samplers), _common.py (limits and checks).

Pure NumPy; never imports Qt. Closed forms for the article's three pictures plus seeded Monte
Carlo samplers the geometry panel runs off the GUI thread:

- spiky cubes: :func:`inner_ball_radius`, :func:`corner_distance`, :func:`inscribed_ball_fraction`.
- Pac-Man walking (random vectors are nearly orthogonal): :func:`sample_angles`,
  :func:`angle_density`, :func:`angle_sd`.
- empty M&M's chocolate (the volume of a D-ball lives near its surface): :func:`ball_volume`,
  :func:`shell_fraction`, :func:`shell_crossing`.
- empty grids and vanishing contrast (the article's first section): :func:`empty_cell_fraction`,
  :func:`sample_empty_cells`, :func:`relative_contrast`, :func:`query_distances`,
  :func:`pairwise_distances`.

Closed forms accept a real ``D >= 1`` or an array of them (so a panel can draw a smooth curve) and
return a float for scalar input, an array otherwise. They work in log space, so ``D = 10_000`` gives
0.0 or 1.0 instead of overflowing. Samplers need an integer ``D``; they draw from
``np.random.default_rng(seed)`` in chunks of at most ``max_chunk_bytes`` of float64, so the memory
they use is bounded and the result does not depend on the chunk size. Long runs report
``progress(fraction_done)`` after each chunk and raise :class:`Cancelled` as soon as
``should_stop()`` (a callable, or a ``threading.Event``) is true.

>>> ball_volume(3)                      # 4 pi / 3
4.18879020478639...
>>> shell_crossing(0.01, 0.9)           # 90 % of the volume in the outer 1 %
230
>>> theta = sample_angles(100, 10_000)  # (10000,) degrees, close to 90 +- 5.7
"""

from ._common import CHUNK_BYTES, MAX_CELLS, SAMPLERS, Cancelled, CellCount
from .angles import angle_density, angle_sd, angle_sd_asymptotic
from .distances import (
    empty_cell_fraction,
    pairwise_distances,
    query_distances,
    relative_contrast,
    sample_empty_cells,
)
from .sampling import sample_angles, sample_points
from .volumes import (
    ball_volume,
    corner_distance,
    inner_ball_radius,
    inscribed_ball_fraction,
    log10_inscribed_ball_fraction,
    log_ball_volume,
    shell_crossing,
    shell_fraction,
)

__all__ = [
    "CHUNK_BYTES",
    "MAX_CELLS",
    "SAMPLERS",
    "Cancelled",
    "CellCount",
    "angle_density",
    "angle_sd",
    "angle_sd_asymptotic",
    "ball_volume",
    "corner_distance",
    "empty_cell_fraction",
    "inner_ball_radius",
    "inscribed_ball_fraction",
    "log10_inscribed_ball_fraction",
    "log_ball_volume",
    "pairwise_distances",
    "query_distances",
    "relative_contrast",
    "sample_angles",
    "sample_empty_cells",
    "sample_points",
    "shell_crossing",
    "shell_fraction",
]
