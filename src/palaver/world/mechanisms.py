"""Resolving the mechanism names a world allows (``mechanisms=``) to classes."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import palaver.mechanisms as _builtin
from palaver.world.errors import UnknownMechanismError

__all__ = ["MechanismTable", "resolve_mechanism"]

# The tutorial names mechanisms by their NegMAS paths; these prefixes (and
# Palaver's own) are looked up among Palaver's mechanisms by class name.
_BUILTIN_PREFIXES = ("negmas", "palaver")


def resolve_mechanism(name: Any) -> type:
    """The mechanism class for ``name``.

    Accepts a class, a bare class name of a Palaver mechanism (``"SAOMechanism"``),
    a Palaver or NegMAS dotted path (``"palaver.mechanisms.SAOMechanism"``,
    ``"negmas.sao.SAOMechanism"``, ``"negmas.st.STVetoMechanism"``: looked up in
    :mod:`palaver.mechanisms` by class name) or any importable dotted path
    (``"mypackage.mymodule.MyMechanism"``). Raises ``UnknownMechanismError``.
    """
    if isinstance(name, type):
        return name
    if not isinstance(name, str) or not name:
        raise UnknownMechanismError(f"a mechanism is named by a class or a string; got {name!r}")
    module, _, cls_name = name.rpartition(".")
    if not module or module.split(".")[0] in _BUILTIN_PREFIXES:
        cls = getattr(_builtin, cls_name, None)
        if isinstance(cls, type):
            return cls
        available = sorted(n for n in dir(_builtin) if n.endswith("Mechanism"))
        raise UnknownMechanismError(
            f"unknown mechanism {name!r}: Palaver has no mechanism class {cls_name!r} "
            f"(available: {available})"
        )
    try:
        cls = getattr(importlib.import_module(module), cls_name)
    except (ImportError, AttributeError) as e:
        raise UnknownMechanismError(f"cannot import mechanism {name!r}: {e}") from e
    if not isinstance(cls, type):
        raise UnknownMechanismError(f"mechanism {name!r} is not a class")
    return cls


class MechanismTable:
    """The mechanisms a world allows: resolved classes with their default parameters.

    The first entry is the world's default. Lookups accept any spelling that
    resolves to an allowed class (``"negmas.sao.SAOMechanism"`` and
    ``"SAOMechanism"`` name the same entry).
    """

    def __init__(self, mechanisms: Mapping[Any, Mapping[str, Any]]) -> None:
        self._entries: list[tuple[str, type, dict[str, Any]]] = []
        for name, params in mechanisms.items():
            cls = resolve_mechanism(name)
            label = name if isinstance(name, str) else cls.__name__
            self._entries.append((label, cls, dict(params or {})))
        self._by_name: dict[Any, tuple[type, dict[str, Any]]] = {}

    @property
    def names(self) -> list[str]:
        """The allowed names as given."""
        return [label for label, _, _ in self._entries]

    def get(self, name: Any = None) -> tuple[type, dict[str, Any]]:
        """The class and default parameters for ``name`` (``None``: the default).

        Raises ``UnknownMechanismError`` when ``name`` is not allowed here.
        """
        if name is None:
            _, cls, params = self._entries[0]
            return cls, params
        hit = self._by_name.get(name)
        if hit is not None:
            return hit
        cls = resolve_mechanism(name)
        for _, allowed, params in self._entries:
            if allowed is cls:
                self._by_name[name] = (cls, params)
                return cls, params
        raise UnknownMechanismError(
            f"mechanism {name!r} is not allowed in this world (allowed: {self.names})"
        )
