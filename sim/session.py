"""A session: one model on one task sample, run forward and back, plus the cursor over it.

This is the engine side of what the window shows. :class:`SessionConfig` says what to build;
:func:`compute` builds it (pure NumPy, safe to run off the GUI thread) and returns an immutable
:class:`SessionResult`; :class:`Cursor` names a moment of the forward -> backward -> update
sequence. The GUI, the headless export and the tests all go through here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import _checks, tasks
from .clipping import clip_by_norm, global_norm
from .lstm import LSTM
from .rnn import SimpleRNN
from .trace import BackwardTrace, ForwardTrace, freeze_dict

MODELS = ("SimpleRNN", "LSTM")
#: the GUI's caps (the engine's are larger)
GUI_MAX_HIDDEN = 64
GUI_MAX_LENGTH = 100
PHASES = ("forward", "backward", "update")


@dataclass(frozen=True)
class SessionConfig:
    """Everything that determines a session's traces.

    Attributes
    ----------
    model : "SimpleRNN" or "LSTM".
    activation : g of the SimpleRNN ("tanh", "relu", "sigmoid").
    peepholes : the LSTM's peephole connections.
    hidden : H, 1..64.
    length : T, 1..100.
    task : a name from :func:`sim.tasks.names`.
    task_settings : the task's settings as sorted (name, value) pairs (see :attr:`settings`).
    loss : "cross_entropy", "mse", or None for the task's own loss.
    truncation : k for truncated BPTT, or None.
    seed : seeds the initial weights.
    input_seed : seeds the input sequence ("new input sequence" increments it).
    lr : learning rate of the one update the window shows.
    clip : norm threshold for that update, or None.
    radius : rescale the recurrent weights (W, or all R) to this radius, or None.
    """

    model: str = "LSTM"
    activation: str = "tanh"
    peepholes: bool = False
    hidden: int = 6
    length: int = 12
    task: str = "delayed-recall"
    task_settings: tuple = ()
    loss: str | None = None
    truncation: int | None = None
    seed: int = 0
    input_seed: int = 0
    lr: float = 0.1
    clip: float | None = None
    radius: float | None = None

    def __post_init__(self):
        _checks.choice("model", self.model, MODELS)
        _checks.choice("activation", self.activation, ("tanh", "relu", "sigmoid"))
        if not isinstance(self.peepholes, bool):
            raise ValueError(f"peepholes must be true or false, got {self.peepholes!r}")
        _checks.size("hidden", self.hidden, cap=GUI_MAX_HIDDEN)
        _checks.size("length", self.length, cap=GUI_MAX_LENGTH)
        _checks.choice("task", self.task, tasks.names())
        if isinstance(self.task_settings, dict):
            object.__setattr__(self, "task_settings", tuple(sorted(self.task_settings.items())))
        if self.loss is not None:
            _checks.choice("loss", self.loss, ("cross_entropy", "mse"))
        if self.truncation is not None:
            _checks.size("truncation", self.truncation, cap=GUI_MAX_LENGTH)
        _checks.size("seed", self.seed, minimum=0)
        _checks.size("input_seed", self.input_seed, minimum=0)
        if not (isinstance(self.lr, (int, float)) and np.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a number > 0, got {self.lr!r}")
        if self.clip is not None and not (np.isfinite(self.clip) and self.clip > 0):
            raise ValueError(f"clip must be None or a number > 0, got {self.clip!r}")
        if self.radius is not None and not (np.isfinite(self.radius) and 0 < self.radius <= 10):
            raise ValueError(f"radius must be None or a number in (0, 10], got {self.radius!r}")
        task = self.make_task()  # validates the settings
        if self.loss == "cross_entropy" and task.loss != "cross_entropy":
            raise ValueError(f"loss 'cross_entropy' needs class targets; task {self.task!r} has "
                             "real-valued targets (use 'mse')")
        task.check_length(self.length)

    @property
    def settings(self) -> dict:
        """The task settings as a dict."""
        return dict(self.task_settings)

    def make_task(self):
        return tasks.make(self.task, **self.settings)

    @property
    def resolved_loss(self) -> str:
        return self.loss or self.make_task().loss

    def replace(self, **changes) -> SessionConfig:
        """A copy with ``changes``; task settings that the new task lacks are dropped."""
        if "task" in changes and changes["task"] != self.task and "task_settings" not in changes:
            changes["task_settings"] = ()
            if self.loss is not None and "loss" not in changes:
                changes["loss"] = None
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["task_settings"] = self.settings
        return d

    @classmethod
    def from_dict(cls, d: dict) -> SessionConfig:
        """Build from :meth:`to_dict` output; unknown keys raise ValueError naming them."""
        if not isinstance(d, dict):
            raise ValueError(f"session config must be an object, got {type(d).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown session field(s): {', '.join(sorted(unknown))}")
        d = dict(d)
        if "task_settings" in d:
            if not isinstance(d["task_settings"], dict):
                raise ValueError("task_settings must be an object")
            d["task_settings"] = tuple(sorted(d["task_settings"].items()))
        try:
            return cls(**d)
        except TypeError as exc:  # a wrong type the checks did not name
            raise ValueError(str(exc)) from None


def build_model(config: SessionConfig, task=None, params: dict | None = None):
    """The model the config describes: fresh seeded weights, or copies of ``params`` (trained
    weights, checked against the model's shapes) when given."""
    task = task or config.make_task()
    if config.model == "SimpleRNN":
        m = SimpleRNN(task.n_in, config.hidden, task.n_out, activation=config.activation,
                      output=task.output, seed=config.seed)
    else:
        m = LSTM(task.n_in, config.hidden, task.n_out, peepholes=config.peepholes,
                 output=task.output, seed=config.seed)
    if config.radius is not None:
        from .analysis import scale_recurrent

        scale_recurrent(m.params, config.radius)
    if params is not None:
        shapes = m.param_shapes()
        if set(params) != set(shapes):
            raise ValueError(f"params must have exactly {sorted(shapes)}, got {sorted(params)}")
        for k, shape in shapes.items():
            m.params[k] = _checks.array(f"params[{k!r}]", params[k], shape)  # a fresh copy
    return m


@dataclass(frozen=True, eq=False)
class SessionResult:
    """What the window shows for one config: immutable.

    Attributes
    ----------
    config : the config it was computed from.
    task : the task object; sample : its (xs, targets, loss_mask).
    targets : the targets in the form the loss uses.
    forward, backward : the traces.
    update : name -> the summed (and clipped, if config.clip) gradient the update applies.
    new_params : name -> theta - lr * update.
    norm_before : global gradient norm before clipping.
    """

    config: SessionConfig
    task: object
    sample: object
    targets: np.ndarray
    forward: ForwardTrace
    backward: BackwardTrace
    update: dict
    new_params: dict
    norm_before: float
    model_params: dict = field(repr=False, default=None)

    @property
    def T(self) -> int:
        return self.forward.T

    @property
    def kind(self) -> str:
        return self.forward.kind

    @property
    def finite(self) -> bool:
        return self.forward.finite and self.backward.finite

    @property
    def first_nonfinite_step(self) -> int | None:
        f = self.forward.first_nonfinite_step
        return f if f is not None else self.backward.first_nonfinite_step

    @property
    def clipped(self) -> bool:
        return self.config.clip is not None and self.norm_before > self.config.clip

    @cached_property
    def error_norms(self) -> np.ndarray:
        """(T, T) ||dJ(s)/dh(t)|| at [s-1, t-1] (sim.analysis.error_norms), computed once."""
        from .analysis import error_norms

        return error_norms(self.backward.delta_by_source)

    @cached_property
    def gradient_flow(self):
        """sim.analysis.GradientFlow of the forward trace (computed on first use)."""
        from .analysis import gradient_flow

        return gradient_flow(self.forward)


def compute(config: SessionConfig, params: dict | None = None) -> SessionResult:
    """Build the model (or load ``params``), draw the sample, run forward, backward and one update.

    Parameters
    ----------
    config : what to build.
    params : weights to use instead of fresh ones (a trained model); shapes must fit the config.
    """
    task = config.make_task()
    model = build_model(config, task, params)
    sample = task.sample(config.length, seed=config.input_seed)
    loss = config.resolved_loss
    from .train import targets_for

    targets = targets_for(task, sample, loss, model.n_out)
    fwd = model.forward(sample.xs)
    bwd = model.backward(fwd, targets, loss=loss, loss_mask=sample.loss_mask,
                         truncation=config.truncation)
    with np.errstate(all="ignore"):
        norm = global_norm(bwd.grads)
        grads = dict(bwd.grads)
        if config.clip is not None and np.isfinite(norm):
            grads, _ = clip_by_norm(grads, config.clip)
        new = {k: fwd.params[k] - config.lr * grads[k] for k in grads}  # theta - lr g
    return SessionResult(config=config, task=task, sample=sample, targets=targets, forward=fwd,
                         backward=bwd, update=freeze_dict(grads), new_params=freeze_dict(new),
                         norm_before=float(norm), model_params=dict(fwd.params))


@dataclass(frozen=True, order=True)
class Cursor:
    """A moment of the sequence forward t = 1..T, backward t = T..1, then the update.

    ``frame`` numbers the moments 0..2T: forward t is frame t - 1, backward t is frame 2T - t,
    the update is frame 2T.
    """

    phase: str = "forward"
    t: int = 1

    def __post_init__(self):
        _checks.choice("phase", self.phase, PHASES)

    @staticmethod
    def n_frames(T: int) -> int:
        return 2 * T + 1

    @classmethod
    def from_frame(cls, frame: int, T: int) -> Cursor:
        frame = int(min(max(frame, 0), 2 * T))
        if frame < T:
            return cls("forward", frame + 1)
        if frame < 2 * T:
            return cls("backward", 2 * T - frame)
        return cls("update", T)

    def frame(self, T: int) -> int:
        if self.phase == "forward":
            return self.t - 1
        if self.phase == "backward":
            return 2 * T - self.t
        return 2 * T

    def clamp(self, T: int) -> Cursor:
        """The nearest valid cursor for sequence length T (same phase, t clipped to 1..T)."""
        if self.phase == "update":
            return Cursor("update", T)
        return Cursor(self.phase, min(max(self.t, 1), T))

    def label(self, T: int) -> str:
        """What the status line says: "forward t = 7 / 12", "backward t = 3", "update"."""
        if self.phase == "forward":
            return f"forward t = {self.t} / {T}"
        if self.phase == "backward":
            return f"backward t = {self.t}"
        return "update"

    @classmethod
    def parse(cls, text: str, T: int) -> Cursor:
        """Parse "forward:3", "backward:7", "update", "backward" (its first moment, t = T)."""
        phase, _, t = str(text).partition(":")
        phase = phase.strip()
        _checks.choice("phase", phase, PHASES)
        if not t:
            return cls(phase, 1 if phase == "forward" else T)
        try:
            step = int(t)
        except ValueError:
            raise ValueError(f"step must be an integer, got {t!r}") from None
        if not 1 <= step <= T:
            raise ValueError(f"step must be in 1..{T}, got {step}")
        return cls(phase, step)
