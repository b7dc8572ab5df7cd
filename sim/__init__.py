"""Unfold's engine: recurrent networks, back-propagation through time, high-dimensional geometry.

Models: SimpleRNN, LSTM, GRU, BidirectionalRNN and Seq2Seq (each of the last two built from two
cells of one kind: "rnn", "lstm" or "gru").

Pure NumPy; never imports Qt. Every model returns complete, immutable traces that the GUI only
renders.

>>> import sim
>>> m = sim.LSTM(4, 6, 4, peepholes=True, seed=0)
>>> tr = m.forward(xs)                       # xs: (T, 4)
>>> bt = m.backward(tr, targets, truncation=5)
"""

from importlib import import_module

from .bidirectional import BidirectionalRNN
from .clipping import clip_by_norm
from .gru import GRU
from .lstm import LSTM
from .rnn import SimpleRNN
from .seq2seq import Seq2Seq
from .trace import (
    BackwardTrace,
    BidirectionalForwardTrace,
    ForwardTrace,
    GRUForwardTrace,
    LSTMForwardTrace,
    RNNForwardTrace,
    Seq2SeqForwardTrace,
)

__all__ = [
    "GRU",
    "LSTM",
    "BackwardTrace",
    "BidirectionalForwardTrace",
    "BidirectionalRNN",
    "ForwardTrace",
    "GRUForwardTrace",
    "LSTMForwardTrace",
    "RNNForwardTrace",
    "Seq2Seq",
    "Seq2SeqForwardTrace",
    "SimpleRNN",
    "clip_by_norm",
    "analysis",
    "dense",
    "geometry",
    "landscape",
    "lstm_graph",
    "run",
    "tasks",
    "train",
]

_SUBMODULES = {"analysis", "dense", "geometry", "landscape", "lstm_graph", "run", "tasks",
               "train"}


def __getattr__(name):
    # Submodules load on first use, so `import sim` stays light.
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
