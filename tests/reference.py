"""An independent, deliberately plain implementation of every model for checking the engine.

It shares no code with sim/: loops over units, Python floats where it reads clearly, and every
parameter may differ per time step (``P[name][t]``) so that the articles' (dJ/dtheta)^(t) and
truncated BPTT can be checked by finite differences against their definitions.

The SimpleRNN and LSTM functions come first. The GRU, bidirectional and seq2seq ones after them
carry a leading batch axis, so that all the perturbations of one finite-difference check run as
one batch (:func:`fd_batched`, :func:`fd_state_batched`); :func:`expected` and :func:`kept` say
what masked and truncated BPTT must give, by definition.
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


# -- GRU, bidirectional and seq2seq: a batched reference ----------------------------------------
#
# The same plain equations, but every array carries a leading batch axis b, so that one run
# evaluates a whole batch of perturbed parameter sets (P[name] is (B, T, *shape): parameter copy
# t of batch member b). Finite differences over thousands of entries then take one run.


def _mv(M, v):
    """(B, n, m) @ (B, m) -> (B, n)."""
    return np.einsum("bnm,bm->bn", M, v)


def cell_step(kind, P, prefix, t, x, state, *, activation="tanh", peepholes=False):
    """One step of a cell with parameter copy t: returns the new states (the read-out one first).

    ``x`` is (B, I); ``state`` a tuple of (B, H): (h,) or (y, c) for an LSTM.
    """
    def p(name):
        return P[prefix + name][:, t]

    if kind == "rnn":
        (h,) = state
        return (_g(activation, p("b") + _mv(p("W"), h) + _mv(p("U"), x)),)
    if kind == "gru":
        (h,) = state
        r = _sig(_mv(p("W_r"), x) + _mv(p("R_r"), h) + p("b_r"))
        u = _sig(_mv(p("W_u"), x) + _mv(p("R_u"), h) + p("b_u"))
        n = np.tanh(_mv(p("W_n"), x) + p("b_n") + r * _mv(p("R_n"), h))
        return ((1.0 - u) * n + u * h,)
    y, c = state

    def bar(g, cell):
        v = _mv(p(f"W_{g}"), x) + _mv(p(f"R_{g}"), y) + p(f"b_{g}")
        return v + p(f"p_{g}") * cell if peepholes and g != "z" else v

    z, i, f = np.tanh(bar("z", None)), _sig(bar("i", c)), _sig(bar("f", c))
    c = z * i + c * f
    y = _sig(bar("o", c)) * np.tanh(c)
    return (y, c)


def _zeros_state(kind, B, H):
    return (np.zeros((B, H)), np.zeros((B, H))) if kind == "lstm" else (np.zeros((B, H)),)


def _readout_losses(P, t, h, target, loss, output):
    """(B,) J of one step from the state h (B, n) with readout copy t, and y_hat (B, O)."""
    r = P["c"][:, t] + _mv(P["V"][:, t], h)  # (B, O)
    e = np.exp(r - r.max(axis=1, keepdims=True))
    y_hat = e / e.sum(axis=1, keepdims=True) if output == "softmax" else r
    if loss == "cross_entropy":
        lse = r.max(axis=1) + np.log(np.exp(r - r.max(axis=1, keepdims=True)).sum(axis=1))
        return lse - r[:, int(target)], y_hat
    return 0.5 * ((y_hat - target) ** 2).sum(axis=1), y_hat


def _batch(P):
    return next(iter(P.values())).shape[0]


def _hidden(P, prefix):
    """H, from the recurrent matrix of the cell under ``prefix`` (RNN W, LSTM R_z, GRU R_r)."""
    name = next(prefix + n for n in ("W", "R_z", "R_r") if prefix + n in P)
    return P[name].shape[-1]


def _inject(state, inj):
    return state if inj is None else (state[0] + inj,) + state[1:]


def losses_single(P, xs, targets, *, cell, loss, output, activation="tanh", peepholes=False,
                  inject=None):
    """(B, T) unmasked J(t) of a one-cell model (GRU); ``inject`` (B, T, H) is added to the
    state."""
    B, T = _batch(P), xs.shape[0]
    state = _zeros_state(cell, B, _hidden(P, ""))
    J = np.zeros((B, T))
    for t in range(T):
        x = np.broadcast_to(xs[t], (B, xs.shape[1]))
        state = cell_step(cell, P, "", t, x, state, activation=activation, peepholes=peepholes)
        state = _inject(state, None if inject is None else inject[:, t])
        J[:, t] = _readout_losses(P, t, state[0], targets[t], loss, output)[0]
    return J


def losses_bidirectional(P, xs, targets, *, cell, loss, output, activation="tanh",
                         peepholes=False, inject=None):
    """(B, T) unmasked J(t) of a bidirectional model; ``inject`` (B, T, 2H) is added to
    [h_fwd(t); h_bwd(t)] (y for LSTM cells) right after each is computed."""
    B, T = _batch(P), xs.shape[0]
    H = _hidden(P, "fwd.")
    kw = dict(activation=activation, peepholes=peepholes)
    h_fwd, h_bwd = [None] * T, [None] * T
    state = _zeros_state(cell, B, H)
    for t in range(T):  # t = 1..T from zero
        x = np.broadcast_to(xs[t], (B, xs.shape[1]))
        state = _inject(cell_step(cell, P, "fwd.", t, x, state, **kw),
                        None if inject is None else inject[:, t, :H])
        h_fwd[t] = state[0]
    state = _zeros_state(cell, B, H)
    for t in range(T - 1, -1, -1):  # t = T..1 from zero, parameter copy t
        x = np.broadcast_to(xs[t], (B, xs.shape[1]))
        state = _inject(cell_step(cell, P, "bwd.", t, x, state, **kw),
                        None if inject is None else inject[:, t, H:])
        h_bwd[t] = state[0]
    J = np.zeros((B, T))
    for t in range(T):
        h = np.concatenate([h_fwd[t], h_bwd[t]], axis=1)  # (B, 2H)
        J[:, t] = _readout_losses(P, t, h, targets[t], loss, output)[0]
    return J


def losses_seq2seq(P, xs, targets, *, cell, loss, output, teacher_forcing, activation="tanh",
                   peepholes=False, inject=None, return_inputs=False):
    """(B, T_dec) unmasked J(j) of an encoder-decoder; parameter copies on one axis of
    T_enc + T_dec steps; ``inject`` (B, T_enc + T_dec, H) is added to the state h(t) (y).

    The decoder reads zeros at j = 1, then the target before (teacher forcing: one-hot of a class,
    or the value row) or its own output before (one-hot of the argmax, or the linear output).
    """
    B, T_enc, T_dec = _batch(P), xs.shape[0], len(targets)
    H = _hidden(P, "enc.")
    O = P["c"].shape[-1]
    kw = dict(activation=activation, peepholes=peepholes)
    state = _zeros_state(cell, B, H)
    for t in range(T_enc):
        x = np.broadcast_to(xs[t], (B, xs.shape[1]))
        state = _inject(cell_step(cell, P, "enc.", t, x, state, **kw),
                        None if inject is None else inject[:, t])
    J = np.zeros((B, T_dec))
    x = np.zeros((B, O))
    fed = []
    for j in range(T_dec):
        t = T_enc + j
        fed.append(x)
        state = _inject(cell_step(cell, P, "dec.", t, x, state, **kw),
                        None if inject is None else inject[:, t])
        J[:, j], y_hat = _readout_losses(P, t, state[0], targets[j], loss, output)
        if teacher_forcing:
            row = np.eye(O)[int(targets[j])] if np.ndim(targets[j]) == 0 else targets[j]
            x = np.broadcast_to(row, (B, O))
        elif output == "softmax":
            x = np.eye(O)[np.argmax(y_hat, axis=1)]
        else:
            x = y_hat
    return (J, np.stack(fed, axis=1)) if return_inputs else J


def fd_batched(fn, params, T, eps=1e-5):
    """dJ(s)/dtheta_t for every parameter: name -> (S, T, *shape), by centred differences.

    ``fn(P)`` returns the (B, S) unmasked losses for per-step parameters P[name] (B, T, *shape);
    it is called once, with every perturbation a member of the batch.
    """
    entries = [(name, t, idx) for name, v in params.items() for t in range(T)
               for idx in np.ndindex(np.shape(v))]
    B = 2 * len(entries)
    P = {k: np.repeat(np.asarray(v, float)[None, None], T, axis=1).repeat(B, axis=0)
         for k, v in params.items()}  # (B, T, *shape)
    for e, (name, t, idx) in enumerate(entries):
        P[name][(2 * e, t) + idx] += eps
        P[name][(2 * e + 1, t) + idx] -= eps
    J = fn(P)  # (B, S)
    out = {k: np.zeros((J.shape[1], T) + np.shape(v)) for k, v in params.items()}
    for e, (name, t, idx) in enumerate(entries):
        out[name][(slice(None), t) + idx] = (J[2 * e] - J[2 * e + 1]) / (2 * eps)
    return out


def fd_state_batched(fn_inject, params, T, n, eps=1e-6):
    """dJ(s)/dstate(t) as (S, T, n) by centred differences on an additive injection.

    ``fn_inject(P, inj)`` returns (B, S) losses for per-step parameters P and injections inj
    (B, T, n); every injection is a member of one batch.
    """
    B = 2 * T * n
    P = {k: np.repeat(np.asarray(v, float)[None, None], T, axis=1).repeat(B, axis=0)
         for k, v in params.items()}
    inj = np.zeros((B, T, n))
    for e, (t, k) in enumerate(np.ndindex(T, n)):
        inj[2 * e, t, k] = eps
        inj[2 * e + 1, t, k] = -eps
    J = fn_inject(P, inj)  # (B, S)
    out = np.zeros((J.shape[1], T, n))
    for e, (t, k) in enumerate(np.ndindex(T, n)):
        out[:, t, k] = (J[2 * e] - J[2 * e + 1]) / (2 * eps)
    return out


def one_copy(params, T):
    """Every parameter as a batch of one, repeated per step: name -> (1, T, *shape)."""
    return {k: np.asarray(v, float)[None, None].repeat(T, axis=1) for k, v in params.items()}


def jiggle(model, seed):
    """Add noise to every parameter (biases too), so that no gradient is trivially zero."""
    rng = np.random.default_rng(seed + 100)
    for v in model.params.values():
        v += 0.3 * rng.standard_normal(v.shape)
    return model


def kept(S, T, mask, k=None, offset=0):
    """(S, T) 1 where the error from J(s) to step t counts: mask(s) = 1 and, with a truncation k,
    |offset + s - t| < k (source s sits at step offset + s of the time axis)."""
    s = np.arange(S)[:, None] + offset
    t = np.arange(T)[None, :]
    keep = np.broadcast_to(np.asarray(mask)[:, None] == 1, (S, T))
    if k is not None:
        keep = keep & (np.abs(s - t) < k)
    return keep.astype(float)


def expected(G, mask, k=None, offset=0):
    """From G = dJ(s)/dtheta_t (S, T, *shape): the gradient and its per-step rows (T, *shape)
    that BPTT with this mask and truncation must give."""
    w = kept(G.shape[0], G.shape[1], mask, k, offset)  # (S, T)
    per_step = np.einsum("st,st...->t...", w, G)  # (T, *shape)
    return per_step.sum(axis=0), per_step


def assert_backward_matches(bt, params, G, mask, k=None, offset=0, tol=1e-6):
    """Every gradient and every per-step gradient of ``bt`` against finite differences G."""
    assert set(bt.grads) == set(params)
    for name in params:
        total, per_step = expected(G[name], mask, k, offset)
        assert rel_err(bt.grads[name], total) <= tol, name
        assert rel_err(bt.grads_per_step[name], per_step) <= tol, name
        assert bt.grads_per_step[name].shape == per_step.shape, name
        assert np.abs(bt.grads[name]).max() > 0 or np.abs(total).max() == 0, name
