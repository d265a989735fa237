"""Cheap forms of the ``isinstance`` checks every negotiation request makes.

``Issue`` and ``Mapping`` are abstract base classes: ``isinstance`` against
them goes through ``ABCMeta.__instancecheck__``, several times per request.
The answers here are exactly ``isinstance``'s; only the common cases (a plain
``dict``, an issue class seen before) are answered without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver.outcomes import Issue

__all__ = ["are_issues", "is_mapping"]

#: Classes whose instances are issues (a subclass of ``Issue`` stays one).
_ISSUE_CLASSES: set[type] = set()
_MAX_CLASSES = 256


def are_issues(values: Any) -> bool:
    """Whether every item of ``values`` is an ``Issue`` (``True`` for none)."""
    known = _ISSUE_CLASSES
    for value in values:
        cls = type(value)
        if cls in known:
            continue
        if not isinstance(value, Issue):
            return False
        if issubclass(cls, Issue):
            if len(known) >= _MAX_CLASSES:
                known.clear()
            known.add(cls)
    return True


def is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, a plain ``dict`` answered first."""
    return type(value) is dict or isinstance(value, Mapping)
