"""A row of titled panels (a title over a plot) in a GraphicsLayout, of which the first
``count`` are shown: the heat maps and the side-by-side plots both lay themselves out so."""

from __future__ import annotations


def show_panels(layout, panels: list, count: int, row: int = 0) -> None:
    """Show the first ``count`` of ``panels`` (each with ``title``, ``plot`` and a ``shown``
    flag) side by side in ``layout``, titles in ``row`` and plots in ``row + 1``; the rest are
    taken out of the layout (their room goes to the panels shown)."""
    for p in panels:
        if p.shown:
            layout.removeItem(p.title)
            layout.removeItem(p.plot)
            p.shown = False
    for i in range(count):
        layout.addItem(panels[i].title, row=row, col=i)
        layout.addItem(panels[i].plot, row=row + 1, col=i)
        layout.layout.setColumnStretchFactor(i, 1)
        panels[i].shown = True
