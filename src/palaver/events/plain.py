"""Copying arbitrary user values into plain, serialisable event data."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any

_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """Return a plain-data copy of ``value`` for an event payload.

    Dicts become dicts with string keys, lists/tuples/sets become lists, numpy
    scalars and arrays become Python numbers and lists, enums their value,
    dataclasses dicts. Anything else becomes its ``repr`` string, so nothing is
    ever dropped silently and the copy never references the original.
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ == "numpy":
        return plain(tolist())
    return repr(value)
