"""Unfold: see recurrent neural networks work.

    python main.py                 open the window on the default session
    python main.py --summary       print what the engine computes for it, no window
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="unfold",
        description="Unfold: an RNN and an LSTM unfolded through time, back-propagation "
                    "through time as it happens, and the geometry of high dimensions.",
        epilog="example: python main.py --theme dark",
    )
    p.add_argument("--theme", choices=("light", "dark"), default="light",
                   help="colour theme (default light, for projectors)")
    p.add_argument("--summary", action="store_true",
                   help="print the default session's loss and gradient norms and exit "
                        "(example: python main.py --summary)")
    return p


def summary() -> str:
    """The default session, as numbers."""
    import numpy as np

    from sim.session import SessionConfig, compute

    r = compute(SessionConfig())
    c, bt = r.config, r.backward
    lines = [f"{c.model} on {c.task} (H = {c.hidden}, T = {c.length}, seed {c.seed})",
             f"J = {bt.loss:.6f} over steps {list(map(int, bt.sources))}"]
    for name, g in bt.grads.items():
        lines.append(f"  ||dJ/d{name}|| = {np.linalg.norm(g):.6f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.summary:
        print(summary())
        return 0
    from gui.app import run_window

    return run_window(theme=args.theme)


if __name__ == "__main__":
    sys.exit(main())
