"""Texts that never cover each other: a greedy placement for drawings whose labels crowd when the
type is large (slides, presentation mode).

Each text offers its wordings, longest first, and for each wording candidate rectangles in the
order it prefers them (its usual place, then the other sides of its node). First every text, in
priority order, takes the first place of its shortest wording that overlaps no text placed
before it, no obstacle (the cells it would hide) and stays inside the drawing; then, in the same
order, each text takes a longer wording wherever one fits among all the others. So every text
that can be read gets a place before any text gets its long form. A text with no place at all
is left out (the least important ones: the priority order says which).
"""

from __future__ import annotations

from PySide6 import QtCore


def _fits(rect, others, obstacles, bounds, avoid: bool, gap: tuple) -> bool:
    if bounds is not None and not bounds.contains(rect):
        return False
    if avoid and any(rect.intersects(o) for o in obstacles):
        return False
    grown = rect.adjusted(-gap[0], -gap[1], gap[0], gap[1])
    return not any(grown.intersects(r) for r in others)


def place(texts: list, obstacles: list = (), bounds: QtCore.QRectF | None = None,
          gap: tuple = (6.0, 1.0)) -> list[tuple[int, int] | None]:
    """For each text (in priority order) (wording, candidate) chosen, or None (left out).

    texts : list of (wordings, avoid[, gap]): wordings a list (longest first) of lists of
        candidate QRectF (one coordinate system, pixels); avoid True when the text must also
        keep off ``obstacles``; gap this text's own (an operator's sign: (0, 0), it sits in its
        circle and never reads as part of a word).
    obstacles : QRectF the avoiding texts keep off.
    bounds : the drawing's rectangle; a text must lie inside it.
    gap : pixels kept between two texts side by side, and one above the other (side by side
        they need a word's space, or they read as one).
    """
    chosen: list = []
    rects: list = []
    for wordings, avoid, *own in texts:  # every text, in its shortest wording
        last = len(wordings) - 1
        pick = next((n for n, r in enumerate(wordings[last])
                     if _fits(r, [q for q in rects if q is not None], obstacles, bounds, avoid,
                              own[0] if own else gap)), None)
        chosen.append(None if pick is None else (last, pick))
        rects.append(None if pick is None else wordings[last][pick])
    for i, (wordings, avoid, *own) in enumerate(texts):  # then longer wordings where they fit
        if chosen[i] is None or chosen[i][0] == 0:
            continue
        others = [q for j, q in enumerate(rects) if q is not None and j != i]
        for w in range(chosen[i][0]):
            pick = next((n for n, r in enumerate(wordings[w])
                         if _fits(r, others, obstacles, bounds, avoid, own[0] if own else gap)),
                        None)
            if pick is not None:
                chosen[i], rects[i] = (w, pick), wordings[w][pick]
                break
    return chosen
