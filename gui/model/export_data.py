"""The current traces as files for people who plot elsewhere: NPZ (arrays by name) or CSV
(one row per number: array, step, index, value)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def arrays(result) -> dict[str, np.ndarray]:
    """Every array of a RunResult by a flat name: forward/x, backward/deltas/y, ..."""
    out: dict[str, np.ndarray] = {}
    for k, v in result.forward.arrays().items():
        out[f"forward/{k}"] = np.asarray(v)
    for k, v in result.forward.params.items():
        out[f"params/{k}"] = np.asarray(v)
    bt = result.backward
    out["backward/losses"] = np.asarray(bt.losses)
    out["backward/loss_mask"] = np.asarray(bt.loss_mask)
    for k, v in bt.deltas.items():
        out[f"backward/deltas/{k}"] = np.asarray(v)
    for k, v in bt.grads.items():
        out[f"backward/grads/{k}"] = np.asarray(v)
    for k, v in bt.grads_per_step.items():
        out[f"backward/grads_per_step/{k}"] = np.asarray(v)
    out["backward/delta_by_source"] = np.asarray(bt.delta_by_source)
    for k, v in result.new_params.items():
        out[f"update/new_params/{k}"] = np.asarray(v)
    out["task/targets"] = np.asarray(result.targets)
    return out


def save(result, path) -> Path:
    """Write ``result``'s arrays to ``path``: .npz or .csv by suffix."""
    path = Path(path)
    data = arrays(result)
    suffix = path.suffix.lower()
    if suffix == ".npz":
        with open(path, "wb") as f:
            np.savez_compressed(f, **data)
    elif suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["array", "step", "index", "value"])
            for name, arr in data.items():
                a = np.atleast_1d(arr)
                per_step = not name.startswith(("params/", "backward/grads/", "update/"))
                for idx in np.ndindex(a.shape):
                    step = idx[0] + 1 if per_step else ""
                    rest = idx[1:] if per_step else idx
                    where = ":".join(str(i + 1) for i in rest)
                    w.writerow([name, step, where, repr(float(a[idx]))])
    else:
        raise ValueError(f"data export must be .npz or .csv, got {path.suffix or 'no suffix'}")
    return path
