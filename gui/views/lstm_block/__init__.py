"""The LSTM block views: the "electronic circuit" and Greff et al.'s "Space Odyssey" drawing of
one block, with live values, errors and the routes of one flow (see view.py)."""

from . import circuit, odyssey  # noqa: F401 - importing registers both views
