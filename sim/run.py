"""One run: one model on one task sample, forward, backward and one parameter update.

:class:`SessionConfig` says what to build; :func:`build_model` builds the model (seeded weights,
or given ones); :func:`compute` runs it (pure NumPy, safe off the GUI thread) and returns an
immutable :class:`RunResult`, complete: the per-step gradients and the errors by source are
computed before it is returned, so nobody who reads it later pays for them.

>>> r = compute(SessionConfig(model="SimpleRNN", hidden=4, length=6))
>>> r.backward.delta_by_source.shape
(6, 6, 4)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import _checks, tasks
from .analysis import error_norms, recurrent_radius, scale_recurrent
from .bidirectional import BidirectionalRNN
from .clipping import clip_by_norm, global_norm
from .gru import GRU
from .lstm import LSTM
from .rnn import SimpleRNN
from .seq2seq import Seq2Seq
from .trace import BackwardTrace, ForwardTrace, freeze, freeze_dict

MODELS = ("SimpleRNN", "LSTM", "GRU", "BidirectionalRNN", "Seq2Seq")
#: the models built from two cells of one kind, and the kinds
TWO_CELLS = ("BidirectionalRNN", "Seq2Seq")
CELLS = ("rnn", "lstm", "gru")
CLIP_MODES = ("global", "per_step")


@dataclass(frozen=True)
class SessionConfig:
    """Everything that determines a session's traces.

    Attributes
    ----------
    model : "SimpleRNN" or "LSTM".
    activation : g of a simple RNN cell ("tanh", "relu", "sigmoid").
    peepholes : an LSTM cell's peephole connections.
    forget_gate : an LSTM's forget gate; False fixes f = 1 (the LSTM before the forget gate:
        the highway c(t-1) -> c(t) never decays). LSTM models only.
    cell : the kind of the two cells of a BidirectionalRNN or Seq2Seq: "rnn", "lstm", "gru".
    teacher_forcing : a Seq2Seq decoder reads the target of the step before (True) or its own
        output of the step before (False: the article's picture, "feeds its output back in").
    hidden : H, 1..256 (the engine's cap; the window allows less, see gui.model.limits).
    length : T, 1..1000.
    task : a name from :func:`sim.tasks.names`.
    task_settings : the task's settings as sorted (name, value) pairs (see :attr:`settings`).
    loss : "cross_entropy", "mse", or None for the task's own loss.
    truncation : k for truncated BPTT, or None.
    seed : seeds the initial weights.
    input_seed : seeds the input sequence ("new input sequence" increments it).
    lr : learning rate eta of the update (the one the window shows, and training's).
    clip : norm threshold tau for clipping the update, or None for no clipping.
    clip_mode : "global" (Pascanu et al.: the whole gradient g scaled by tau/||g||) or
        "per_step" (each step's (dJ/dtheta)^(t) clipped on its own, then summed).
    radius : rescale the recurrent weights (W, or all R) to this radius, or None.
    """

    model: str = "LSTM"
    activation: str = "tanh"
    peepholes: bool = False
    forget_gate: bool = True
    cell: str = "lstm"
    teacher_forcing: bool = False
    hidden: int = 6
    length: int = 12
    task: str = "delayed-recall"
    task_settings: tuple = ()
    loss: str | None = None
    truncation: int | None = None
    seed: int = 0
    input_seed: int = 0
    lr: float = 0.03
    clip: float | None = None
    clip_mode: str = "global"
    radius: float | None = None

    @property
    def steps(self) -> int:
        """The length of the run's time axis: T, or a Seq2Seq model's T encoder steps followed
        by its T decoder steps (2T)."""
        return 2 * self.length if self.model == "Seq2Seq" else self.length

    def __post_init__(self):
        _checks.choice("model", self.model, MODELS)
        _checks.choice("activation", self.activation, ("tanh", "relu", "sigmoid"))
        if not isinstance(self.peepholes, bool):
            raise ValueError(f"peepholes must be true or false, got {self.peepholes!r}")
        if not isinstance(self.forget_gate, bool):
            raise ValueError(f"forget_gate must be true or false, got {self.forget_gate!r}")
        if not self.forget_gate and self.model != "LSTM":
            raise ValueError("forget_gate: false applies to an LSTM model only")
        _checks.choice("cell", self.cell, CELLS)
        if not isinstance(self.teacher_forcing, bool):
            raise ValueError(f"teacher_forcing must be true or false, got "
                             f"{self.teacher_forcing!r}")
        _checks.size("hidden", self.hidden, cap=_checks.MAX_HIDDEN)
        _checks.length("length", self.length)
        _checks.choice("task", self.task, tasks.names())
        if isinstance(self.task_settings, dict):
            object.__setattr__(self, "task_settings", tuple(sorted(self.task_settings.items())))
        if self.loss is not None:
            _checks.choice("loss", self.loss, ("cross_entropy", "mse"))
        if self.truncation is not None:
            _checks.size("truncation", self.truncation, cap=_checks.MAX_LENGTH)
        _checks.size("seed", self.seed, minimum=0)
        _checks.size("input_seed", self.input_seed, minimum=0)
        if not (isinstance(self.lr, (int, float)) and np.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a number > 0, got {self.lr!r}")
        if self.clip is not None and not (np.isfinite(self.clip) and self.clip > 0):
            raise ValueError(f"clip must be None or a number > 0, got {self.clip!r}")
        _checks.choice("clip_mode", self.clip_mode, CLIP_MODES)
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
    sizes = (task.n_in, config.hidden, task.n_out)
    if config.model == "SimpleRNN":
        m = SimpleRNN(*sizes, activation=config.activation, output=task.output,
                      seed=config.seed)
    elif config.model == "LSTM":
        m = LSTM(*sizes, peepholes=config.peepholes, forget_gate=config.forget_gate,
                 output=task.output, seed=config.seed)
    elif config.model == "GRU":
        m = GRU(*sizes, output=task.output, seed=config.seed)
    else:
        cls = BidirectionalRNN if config.model == "BidirectionalRNN" else Seq2Seq
        m = cls(*sizes, cell=config.cell, activation=config.activation,
                peepholes=config.peepholes, output=task.output, seed=config.seed)
    if config.radius is not None:
        scale_recurrent(m.params, config.radius)
    if params is not None:
        shapes = m.param_shapes()
        if set(params) != set(shapes):
            raise ValueError(f"params must have exactly {sorted(shapes)}, got {sorted(params)}")
        for k, shape in shapes.items():
            m.params[k] = _checks.array(f"params[{k!r}]", params[k], shape)  # a fresh copy
    return m


@dataclass(frozen=True, eq=False)
class RunResult:
    """What one run computed: immutable and complete.

    Attributes
    ----------
    config : the config it was computed from.
    task : the task object; sample : its (xs, targets, loss_mask).
    targets : the targets in the form the loss uses.
    forward, backward : the traces (``backward.grads_per_step`` and ``delta_by_source`` are
        already computed).
    applied_gradient : name -> the gradient the update applies: the summed dJ/dtheta, clipped
        as ``config.clip`` and ``config.clip_mode`` say.
    new_params : name -> theta - lr * applied_gradient.
    norm_before : ||dJ/dtheta||, the global norm of the summed gradient before clipping.
    error_norms : (T, T) ||dJ(s)/dh(t)|| at [s-1, t-1] (:func:`sim.analysis.error_norms`).
    radius : the recurrent radius of the weights the run used
        (:func:`sim.analysis.recurrent_radius`: an SVD, computed with the run rather than by
        whoever draws it).
    """

    config: SessionConfig
    task: object
    sample: object
    targets: np.ndarray
    forward: ForwardTrace
    backward: BackwardTrace
    applied_gradient: Mapping[str, np.ndarray]
    new_params: Mapping[str, np.ndarray]
    norm_before: float
    error_norms: np.ndarray
    radius: float = float("nan")

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
        """Whether clipping changed the update (global: ||g|| > tau; per step: any step's)."""
        if self.config.clip is None:
            return False
        if self.config.clip_mode == "global":
            return self.norm_before > self.config.clip
        return bool(np.any(step_norms(self.backward) > self.config.clip))


def step_norms(backward: BackwardTrace) -> np.ndarray:
    """(T,) ||(dJ/dtheta)^(t)||, each step's gradient over all parameters together."""
    with np.errstate(all="ignore"):
        sq = sum(np.sum(np.reshape(g, (g.shape[0], -1)) ** 2, axis=1)  # (T,)
                 for g in backward.grads_per_step.values())
        return np.sqrt(sq)  # (T,)


def compute(config: SessionConfig, params: dict | None = None) -> RunResult:
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
    fwd = model.forward_for(sample.xs, targets, teacher_forcing=config.teacher_forcing)
    bwd = model.backward(fwd, targets, loss=loss, loss_mask=sample.loss_mask,
                         truncation=config.truncation)
    with np.errstate(all="ignore"):
        norm = global_norm(bwd.grads)
        grads = dict(bwd.grads)
        if config.clip is not None and config.clip_mode == "per_step":
            grads, _ = clip_by_norm(bwd.grads_per_step, config.clip, mode="per_step")
        elif config.clip is not None and np.isfinite(norm):
            grads, _ = clip_by_norm(grads, config.clip)
        new = {k: fwd.params[k] - config.lr * grads[k] for k in grads}  # theta - lr g
        norms = freeze(error_norms(bwd.delta_by_source))  # (T, T)
    bwd.grads_per_step  # noqa: B018 - complete before the result leaves the worker thread
    return RunResult(config=config, task=task, sample=sample, targets=targets, forward=fwd,
                     backward=bwd, applied_gradient=freeze_dict(grads),
                     new_params=freeze_dict(new), norm_before=float(norm), error_norms=norms,
                     radius=recurrent_radius(fwd.params))
