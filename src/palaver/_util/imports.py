"""Importing what a dotted name stands for (``"package.module.Class"``)."""

from __future__ import annotations

import importlib

__all__ = ["import_dotted"]


def import_dotted(name: str) -> object:
    """The object ``name`` stands for: the longest importable module prefix, then
    attributes (``"pkg.mod.Class"``, ``"pkg.mod.Class.attr"``, ``"pkg.mod:Class"``).

    Raises ``ImportError`` (naming ``name``) when no prefix is a module or an
    attribute is missing, and ``ValueError`` for an empty or malformed name.
    Nothing is evaluated: only ``import`` and ``getattr``.
    """
    if not isinstance(name, str) or not name.strip(".: ") or name != name.strip():
        raise ValueError(f"a dotted name is a non-empty 'module.attribute' string; got {name!r}")
    module_part, colon, attr_part = name.partition(":")
    if colon:
        modules = [module_part]
        attributes = attr_part.split(".")
    else:
        parts = name.split(".")
        modules = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
        attributes = []
    if any(not p for m in modules for p in m.split(".")) or any(not a for a in attributes):
        raise ValueError(f"a dotted name has no empty parts; got {name!r}")
    last: ImportError | None = None
    for module_name in modules:
        try:
            obj: object = importlib.import_module(module_name)
        except ImportError as e:
            # A module that exists but fails to import is the user's error: say so.
            missing = e.name
            if missing is not None and not (
                module_name == missing or module_name.startswith(missing + ".")
            ):
                raise
            last = e
            continue
        rest = attributes if colon else name[len(module_name) + 1 :].split(".")
        for attr in [a for a in rest if a]:
            try:
                obj = getattr(obj, attr)
            except AttributeError as e:
                raise ImportError(f"cannot import {name!r}: {module_name} has no {attr!r}") from e
        return obj
    raise ImportError(f"cannot import {name!r}: no module found ({last})")
