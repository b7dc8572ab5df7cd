"""The landscape view's words: captions, legend entries and notes, as strings (rich text where
the view shows rich text)."""

from __future__ import annotations

from .numbers import fmt

COMPUTING = "computing…"
#: the cliff controls' group label and what their tooltips add: they are not the session's
MODEL_GROUP = "one-unit model:"
NOT_SESSION = ("the one-unit model's own, not the session's (the line through the session "
               "uses the session's η and τ)")


def start_label(start) -> str:
    """The controls row's note on where the descents begin."""
    w, b = start
    return f"start (w, b) = ({w:.2f}, {b:.2f}): click the map to move it"


def cliff_caption(scene, k: int) -> str:
    """The cliff's caption at path step ``k``: the model, the losses and the longest steps.

    Parameters
    ----------
    scene : a gui.model.present.landscape.CliffScene.
    k : the step the cursor shows, 0..n_steps (a stopped path shows its last point).
    """
    st = scene.settings
    m = st.model
    ku = min(k, scene.unclipped.points.shape[0] - 1)
    kc = min(k, scene.clipped.points.shape[0] - 1)
    lu, lc = scene.unclipped.losses[ku], scene.clipped.losses[kc]
    jump = float(scene.unclipped.steps.max()) if scene.unclipped.steps.size else 0.0
    text = (f"<b>The cliff</b> (Pascanu et al. 2013): x(t) = w σ(x(t−1)) + b, x(0) = "
            f"{fmt(m.x0)}, T = {m.T}, L = (x(T) − {fmt(m.target)})²<br>"
            f"step {k} / {st.n_steps}: unclipped L = {fmt(lu)}, clipped L = {fmt(lc)} · "
            f"longest step: unclipped {fmt(jump)}, clipped ≤ τ·η = {fmt(scene.max_step)}")
    if scene.unclipped.stopped:
        text += f" · unclipped path stopped: {scene.unclipped.stopped}"
    steps = scene.unclipped.steps
    if steps.size and jump > 10 * scene.max_step:
        at = int(steps.argmax()) + 1  # the step that lands after the jump
        text += (f"<br>the unclipped descent hits the wall at step {at} and is thrown "
                 f"{fmt(jump)} away (the moment to look at); the clipped one never steps further "
                 f"than τ·η, so it stays where it was, though near the wall it keeps bouncing")
    if m.x0 == 2.0:
        text += (" · x(0) = 2, not Pascanu's 0.5: from 2 the wall is a fold of the high fixed "
                 "point, wide enough to see on a grid (from 0.5 it is a basin boundary)")
    return text


def cliff_legend(settings, export: bool = False) -> list[tuple[str, str]]:
    """(sample key, label) of the cliff's legend, in order; an exported figure (``export``)
    leaves out what only the window does ("click the map")."""
    return [("unclipped", "gradient descent, unclipped"),
            ("clipped", f"clipped at ‖g‖ ≤ τ = {fmt(settings.clip)}"),
            ("start", "start" if export else "start (click the map)"),
            ("contour", "contours: each decade of L"),
            ("max", f"τ·η = {fmt(settings.clip * settings.lr)}: the longest clipped step")]


def heat_title() -> str:
    return "loss L = (x(T) − target)², log scale"


def line_caption(line, config) -> str:
    """The line's caption: the session's model and task, ‖g‖, and where the session's update
    lands with the session's own η and τ (per-step clipping: how far along and beside).

    Parameters
    ----------
    line : a gui.model.present.landscape_line.SessionLine.
    config : the session's sim.run.SessionConfig (its lr, clip, clip_mode).
    """
    c = config
    if line.ok:
        where = (f"the update θ − η g with the session's η = {fmt(c.lr)} lands at α = η‖g‖ = "
                 f"{fmt(line.step)}"
                 + ("" if abs(line.step) <= line.alphas[-1] else ", outside this range"))
        if line.clipped_step is not None and c.clip is not None:
            if c.clip_mode == "per_step":
                where += (f"; clipped per step at the session's τ = {fmt(c.clip)}, it goes "
                          f"α = {fmt(line.clipped_step)} along the line and lands "
                          f"{fmt(line.clipped_off)} beside it")
            elif line.clipped_step < line.step:
                where += (f"; clipped at the session's τ = {fmt(c.clip)}, at α = "
                          f"{fmt(line.clipped_step)}")
            else:
                where += f"; the session's τ = {fmt(c.clip)} does not clip it"
    else:
        where = "the gradient is zero or not finite: no direction to follow"
    return (f"<b>The session's {c.model}</b> on its {c.task} sample: J along θ − α g/‖g‖ "
            f"through its weights θ, ‖g‖ = {fmt(line.grad_norm)} · {where}")


def line_legend(line) -> list[tuple[str, str]]:
    """(item key, label) of the line's legend, in order."""
    out = [("curve", "loss J along the line"),
           ("tangent", "first-order prediction J(θ) − α‖g‖"),
           ("here", "the session's weights θ (α = 0)"),
           ("update", "where the update θ − η g lands")]
    if line.clipped_step is not None:
        label = ("the clipped update, projected on the line" if line.clip_mode == "per_step"
                 else "where the clipped update lands")
        out.append(("clipped", label))
    return out
