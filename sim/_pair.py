"""What the bidirectional and the seq2seq model share: two cells of one kind, under two prefixes.

Each cell keeps the parameter names it has in its own model ("U", "W", "b"; "W_z", ...), prefixed
by its part ("fwd.W", "bwd.W"; "enc.W_z", "dec.W_z"); one readout V, c follows them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from . import _checks, activations
from ._model import RecurrentModel
from .cell import Cell
from .gru import GRUCell
from .lstm import LSTMCell, check_peepholes
from .rnn import RNNCell

CELLS = ("rnn", "lstm", "gru")


def make_cell(kind: str, n_in: int, n_hidden: int, *, activation: str = "tanh",
              peepholes: bool = False) -> Cell:
    """A cell by name: "rnn" (with ``activation``), "lstm" (with ``peepholes``) or "gru"."""
    kind = _checks.choice("cell", kind, CELLS)
    if kind == "rnn":
        return RNNCell(n_in, n_hidden, activation)
    if kind == "lstm":
        return LSTMCell(n_in, n_hidden, peepholes)
    return GRUCell(n_in, n_hidden)


class PairModel(RecurrentModel, ABC):
    """Base of :class:`sim.BidirectionalRNN` and :class:`sim.Seq2Seq`.

    Parameters
    ----------
    n_in, n_hidden, n_out : sizes I, H, O (H at most 256).
    cell : "rnn", "lstm" or "gru", the kind of both cells.
    activation : the RNN cell's hidden nonlinearity g ("tanh", "relu" or "sigmoid").
    peepholes : whether the LSTM cells have peepholes.
    output : "softmax" or "linear", the readout nonlinearity f.
    seed : seeds the initial weights.
    """

    #: the two parts' parameter prefixes
    prefixes: tuple[str, str] = ("a", "b")

    def __init__(self, n_in: int, n_hidden: int, n_out: int, *, cell: str = "rnn",
                 activation: str = "tanh", peepholes: bool = False, output: str = "softmax",
                 seed: int = 0):
        self.cell = _checks.choice("cell", cell, CELLS)
        self.activation = _checks.choice("activation", activation, activations.ACTIVATIONS)
        self.peepholes = check_peepholes(peepholes)
        super().__init__(n_in, n_hidden, n_out, output=output, seed=seed)

    # -- to be provided by the model ------------------------------------------------------
    @abstractmethod
    def _cell_inputs(self) -> tuple[int, int]:
        """The input sizes of the two cells."""

    @abstractmethod
    def _readout_width(self) -> int:
        """The size of the state the readout V reads."""

    # -- shared ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.cells = tuple(make_cell(self.cell, n, self.n_hidden, activation=self.activation,
                                     peepholes=self.peepholes) for n in self._cell_inputs())

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        shapes = {}
        for prefix, cell in zip(self.prefixes, self.cells, strict=True):
            shapes.update({f"{prefix}.{k}": v for k, v in cell.param_shapes().items()})
        shapes.update({"V": (self.n_out, self._readout_width()), "c": (self.n_out,)})
        return shapes

    def _init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        p = {}
        for prefix, cell in zip(self.prefixes, self.cells, strict=True):
            p.update({f"{prefix}.{k}": v for k, v in cell.init_params(rng).items()})
        width = self._readout_width()
        p["V"] = rng.standard_normal((self.n_out, width)) / np.sqrt(width)  # (O, width)
        p["c"] = np.zeros(self.n_out)  # (O,)
        return p

    def _part(self, params, i: int) -> dict[str, np.ndarray]:
        """Part ``i``'s parameters under the cell's own names."""
        head = self.prefixes[i] + "."
        return {k[len(head):]: v for k, v in params.items() if k.startswith(head)}

    def _settings(self) -> dict:
        return {"cell": self.cell, "activation": self.activation, "peepholes": self.peepholes}

    def _check_trace(self, trace) -> None:
        super()._check_trace(trace)
        if (trace.cell, trace.peepholes) != (self.cell, self.peepholes) or (
                self.cell == "rnn" and trace.activation != self.activation):
            raise ValueError(f"trace must come from a {self.kind} with cell={self.cell!r} "
                             f"like this one, got cell={trace.cell!r}")

    def _prefixed(self, G: dict, i: int) -> dict:
        """Cell ``i``'s gradients (D = 1 chain) under the part's prefix."""
        return {f"{self.prefixes[i]}.{k}": g[0] for k, g in G.items()}

    def __repr__(self) -> str:
        extra = {"rnn": f", activation={self.activation!r}",
                 "lstm": f", peepholes={self.peepholes}", "gru": ""}[self.cell]
        return super().__repr__()[:-1] + f", cell={self.cell!r}{extra})"
