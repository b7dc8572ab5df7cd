"""The view registry: every view registers under a stable name, so the window can place it, the
command line can list it and the exporter can render it.

Built-in views are imported on first use (``load()``), which keeps start-up light.
"""

from __future__ import annotations

from importlib import import_module

REGISTRY: dict[str, type] = {}

#: the modules that hold the built-in views, in the order of the window's tabs
MODULES = ["network", "gradient_strip", "folded"]

#: the window's tabs: (title, [view names, top to bottom])
TABS: list[tuple[str, list[str]]] = [
    ("Unfolded", ["network", "gradient-strip"]),
    ("Folded", ["network-folded"]),
]


def register(cls):
    """Class decorator: add a view class under its ``name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"two views are called {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def load() -> dict[str, type]:
    """Import every built-in view module and return the registry."""
    for m in MODULES:
        import_module(f"{__name__}.{m}")
    return REGISTRY


def names() -> list[str]:
    """Every registered view name, in tab order."""
    load()
    ordered = [n for _, views in TABS for n in views if n in REGISTRY]
    return ordered + sorted(set(REGISTRY) - set(ordered))


def get(name: str) -> type:
    load()
    if name not in REGISTRY:
        raise ValueError(f"unknown view {name!r}; views: {', '.join(names())}")
    return REGISTRY[name]
