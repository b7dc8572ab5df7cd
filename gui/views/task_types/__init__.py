"""The Task types view: the five kinds of RNN task, each drawn from a small model of its own."""

from .view import TaskTypesView

__all__ = ["TaskTypesView"]
