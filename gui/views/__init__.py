"""The view registry: every view registers under a stable name, so the window can place it, the
command line can list it and the exporter can render it.

A view module is any module in this package that registers a class with :func:`register`; they
are discovered and imported on first use (:func:`load`), which keeps start-up light and lets a new
view appear in the window, the CLI and the export without touching anything else.

A view class says which tab(s) it lives in (``tabs``) and where (``order``). A tab that needs more
than a vertical stack of its views (shared controls, a grid) registers a builder with
:func:`register_tab`.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

REGISTRY: dict[str, type] = {}
_TAB_BUILDERS: dict[str, object] = {}
#: tab titles in the window's order; tabs not listed come after, alphabetically
TAB_ORDER = ["Unfolded", "Task types", "Folded", "Backprop basics", "LSTM circuit",
             "LSTM odyssey", "GRU", "Equations", "Gradient flow", "Training", "Landscape",
             "Geometry"]
#: modules of this package that hold no views
_NOT_VIEWS = {"base"}
#: the module of views not named after it (others: the name with "_" for "-"), so that
#: :func:`get` imports only the module it needs (a headless export's start-up); a name missing
#: here still works, through :func:`load`
_HOMES = {"network-folded": "folded", "lstm-circuit": "lstm_block",
          "lstm-odyssey": "lstm_block", "geometry-grid": "geometry", "geometry-cube": "geometry",
          "geometry-angles": "geometry", "geometry-shell": "geometry",
          "geometry-distances": "geometry"}
_loaded = False


def register(cls):
    """Class decorator: add a view class under its ``name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"two views are called {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def register_tab(title: str, builder) -> None:
    """Use ``builder(ctx, views) -> QWidget`` to lay out tab ``title``; ``views`` are the view
    instances of that tab, in order."""
    _TAB_BUILDERS[title] = builder


def tab_builder(title: str):
    return _TAB_BUILDERS.get(title)


def load() -> dict[str, type]:
    """Import every view module of this package and return the registry."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            if not info.name.startswith("_") and info.name not in _NOT_VIEWS:
                import_module(f"{__name__}.{info.name}")
        _loaded = True
    return REGISTRY


def tabs() -> list[tuple[str, list[str]]]:
    """(title, [view names in order]) for every tab, in the window's order."""
    load()
    by_tab: dict[str, list] = {}
    for cls in REGISTRY.values():
        for title in cls.tabs:
            by_tab.setdefault(title, []).append(cls)
    order = {t: i for i, t in enumerate(TAB_ORDER)}
    titles = sorted(by_tab, key=lambda t: (order.get(t, len(order)), t))
    return [(t, [c.name for c in sorted(by_tab[t], key=lambda c: (c.order, c.name))])
            for t in titles]


def names() -> list[str]:
    """Every registered view name, in tab order."""
    seen: list[str] = []
    for _, views in tabs():
        seen += [n for n in views if n not in seen]
    return seen + sorted(set(REGISTRY) - set(seen))


def home(name: str) -> str:
    """The module of this package expected to register view ``name``."""
    return _HOMES.get(name, name.replace("-", "_"))


def get(name: str) -> type:
    """The view class registered as ``name``: its own module imported first, every view module
    only when that does not register it."""
    if name not in REGISTRY and not _loaded:
        module = home(name)
        if module.isidentifier() and module not in _NOT_VIEWS and any(
                info.name == module for info in pkgutil.iter_modules(__path__)):
            import_module(f"{__name__}.{module}")
    if name not in REGISTRY:
        load()
    if name not in REGISTRY:
        raise ValueError(f"unknown view {name!r}; views: {', '.join(names())}")
    return REGISTRY[name]
