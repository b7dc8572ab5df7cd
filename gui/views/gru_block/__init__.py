"""The GRU block view: one GRU step drawn in the style of the LSTM circuit."""

from .view import GruBlockView

__all__ = ["GruBlockView"]
