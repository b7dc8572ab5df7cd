"""An independent, deliberately plain implementation of both models for checking the engine.

It shares no code with sim/: loops over units, Python floats where it reads clearly, and every
parameter may differ per time step (``P[name][t]``) so that the articles' (dJ/dtheta)^(t) and
truncated BPTT can be checked by finite differences against their definitions.
"""

from __future__ import annotations

import math

import numpy as np


def _g(name, a):
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.where(a > 0, a, 0.0)
    return 1.0 / (1.0 + np.exp(-a))


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _per_step_loss(r, target, loss, output):
    """J(t) for one step from its readout r (O,)."""
    if output == "softmax":
        m = max(r)
        e = [math.exp(v - m) for v in r]
        s = sum(e)
        y = np.array([v / s for v in e])
    else:
        y = np.array(r, dtype=float)
    if loss == "cross_entropy":
        m = max(r)
        lse = m + math.log(sum(math.exp(v - m) for v in r))
        return lse - r[int(target)]
    return 0.5 * float(np.sum((y - target) ** 2))


def losses_rnn(P, xs, targets, *, activation, loss, output, inject=None):
    """Unmasked J(t) for t = 1..T of a simple RNN; ``inject`` (T, H) is added to h(t)."""
    T = xs.shape[0]
    H = P["W"].shape[1]
    h = np.zeros(H)
    J = np.zeros(T)
    for t in range(T):
        a = P["b"][t] + P["W"][t] @ h + P["U"][t] @ xs[t]
        h = _g(activation, a)
        if inject is not None:
            h = h + inject[t]
        o = P["c"][t] + P["V"][t] @ h
        J[t] = _per_step_loss(o, targets[t], loss, output)
    return J


def losses_lstm(P, xs, targets, *, peepholes, loss, output, inject=None):
    """Unmasked J(t) for t = 1..T of an LSTM (Greff et al.); ``inject`` (T, H) is added to y(t)."""
    T = xs.shape[0]
    H = P["R_z"].shape[1]
    y = np.zeros(H)
    c = np.zeros(H)
    J = np.zeros(T)
    for t in range(T):
        def bar(g, cell, t=t, y=y):
            v = P[f"W_{g}"][t] @ xs[t] + P[f"R_{g}"][t] @ y + P[f"b_{g}"][t]
            if peepholes and g != "z":
                v = v + P[f"p_{g}"][t] * cell
            return v

        z = np.tanh(bar("z", None))
        i = _sig(bar("i", c))
        f = _sig(bar("f", c))
        c = z * i + c * f
        o = _sig(bar("o", c))
        y = o * np.tanh(c)
        if inject is not None:
            y = y + inject[t]
        out = P["c"][t] + P["V"][t] @ y
        J[t] = _per_step_loss(out, targets[t], loss, output)
    return J


def per_step_params(params, T):
    """Every parameter repeated per time step: name -> (T, *shape)."""
    return {k: np.repeat(np.asarray(v, float)[None], T, axis=0) for k, v in params.items()}


def fd_source_step(fn, params, T, eps=1e-5):
    """dJ(s)/dtheta_t for every parameter: name -> (T_s, T_t, *shape), by centred differences.

    ``fn(P)`` returns the (T,) unmasked per-step losses for per-step parameters P.
    """
    P = per_step_params(params, T)
    out = {}
    for name, arr in P.items():
        G = np.zeros((T,) + arr.shape)  # (s, t, *shape)
        for t in range(T):
            for idx in np.ndindex(arr.shape[1:]):
                old = arr[(t,) + idx]
                arr[(t,) + idx] = old + eps
                jp = fn(P)
                arr[(t,) + idx] = old - eps
                jm = fn(P)
                arr[(t,) + idx] = old
                G[(slice(None), t) + idx] = (jp - jm) / (2 * eps)
        out[name] = G
    return out


def fd_state(fn_inject, T, H, eps=1e-6):
    """dJ(s)/dstate(t) as (T_s, T_t, H) by centred differences on an additive injection."""
    out = np.zeros((T, T, H))
    inj = np.zeros((T, H))
    for t in range(T):
        for k in range(H):
            inj[t, k] = eps
            jp = fn_inject(inj)
            inj[t, k] = -eps
            jm = fn_inject(inj)
            inj[t, k] = 0.0
            out[:, t, k] = (jp - jm) / (2 * eps)
    return out


def rel_err(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def states_rnn(params, xs, *, activation, inject=None):
    """(T, H) hidden states of a simple RNN; ``inject`` (T, H) is added to h(t)."""
    h = np.zeros(params["W"].shape[0])
    out = []
    for t in range(xs.shape[0]):
        h = _g(activation, params["b"] + params["W"] @ h + params["U"] @ xs[t])
        if inject is not None:
            h = h + inject[t]
        out.append(h)
    return np.array(out)


def states_lstm(params, xs, *, peepholes, inject_y=None, inject_c=None):
    """(T, H) y and (T, H) c of an LSTM, with optional additive injections into y(t) and c(t)."""
    H = params["R_z"].shape[1]
    P = per_step_params(params, xs.shape[0])
    y, c = np.zeros(H), np.zeros(H)
    ys, cs = [], []
    for t in range(xs.shape[0]):
        def bar(g, cell, t=t, y=y):
            v = P[f"W_{g}"][t] @ xs[t] + P[f"R_{g}"][t] @ y + P[f"b_{g}"][t]
            if peepholes and g != "z":
                v = v + P[f"p_{g}"][t] * cell
            return v

        z, i, f = np.tanh(bar("z", None)), _sig(bar("i", c)), _sig(bar("f", c))
        c = z * i + c * f
        if inject_c is not None:
            c = c + inject_c[t]
        y = _sig(bar("o", c)) * np.tanh(c)
        if inject_y is not None:
            y = y + inject_y[t]
        ys.append(y)
        cs.append(c)
    return np.array(ys), np.array(cs)
