"""Typesetting the symbolic lines: LaTeX -> SVG with ziamath, as jobs for the one job runner.

ziamath is pure Python and takes 10-60 ms per line, so each line is one :class:`TypesetJob` run
off the GUI thread; the view turns the landed SVG into pixmaps (gui/graphics/math_lines.py).
ziamath keeps module-level state (its font, its config), so its calls are serialised under one
lock. A line typeset once is kept for the process (:data:`_SVG`): the runner's cache is shared
by every view, so a line pushed out of it is asked for again, and then costs nothing.

>>> job = TypesetJob(r"a_k^{(t)} = b_k")
>>> job.compute(lambda f: None, lambda: False)[:4]
b'<svg'
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

#: font size (px) lines are typeset at: large, so that pixmaps stay sharp when scaled down
SIZE = 34
#: (latex, size) -> SVG bytes of every line typeset in this process
_SVG: dict[tuple[str, int], bytes] = {}
_LOCK = threading.Lock()


def load_ziamath():
    """ziamath, imported once and configured (Qt's SVG renderer drops glyphs of SVG 2 output).

    The first typesetting job imports it (0.3 s and more: never on the GUI thread), under the
    lock. Its import warns through importlib's deprecated ``path``; the warning is silenced for
    the import only (filters are process-wide, so the GUI thread's DeprecationWarnings are
    silenced too for that moment).
    """
    zm = sys.modules.get("ziamath")
    if zm is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import ziamath as zm
    zm.config.svg2 = False
    return zm


def svg_of(latex: str, size: int = SIZE) -> bytes:
    """The SVG of one LaTeX line at font size ``size`` px (cached for the process).

    Raises ValueError (a message for the user) when ziamath cannot parse the line.
    """
    key = (latex, int(size))
    svg = _SVG.get(key)
    if svg is not None:
        return svg
    with _LOCK:
        svg = _SVG.get(key)
        if svg is None:
            zm = load_ziamath()
            try:
                svg = zm.Math.fromlatex(latex, size=size).svg().encode()
            except Exception as exc:  # noqa: BLE001 - ziamath raises many kinds on bad input
                raise ValueError(f"cannot typeset {latex!r}: {exc}") from exc
            _SVG[key] = svg
    return svg


def cached(latex: str, size: int = SIZE) -> bytes | None:
    """The SVG of a line typeset before in this process, or None."""
    return _SVG.get((latex, int(size)))


def clear_cache() -> None:
    """Forget every typeset line (benchmarks time typesetting from cold)."""
    with _LOCK:
        _SVG.clear()


@dataclass(frozen=True)
class TypesetJob:
    """One LaTeX line -> SVG bytes (ziamath), for the job runner (gui/jobs.py)."""

    latex: str
    size: int = SIZE
    cost: ClassVar[float] = 0.05

    def compute(self, progress, should_stop) -> bytes:
        return svg_of(self.latex, self.size)


def math_font_path() -> Path | None:
    """The STIX Two Math font ziamath typesets with (the numbers line is drawn in it), or None."""
    spec = importlib.util.find_spec("ziamath")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "fonts" / "STIXTwoMath-Regular.ttf"
    return path if path.exists() else None
