"""Copying arbitrary user values into plain, serialisable event data."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping
from typing import Any

_SCALARS = (str, int, float, bool, type(None))

# Python's default repr names the object's address, which differs between runs.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def plain(value: Any) -> Any:
    """Return a plain-data copy of ``value`` for an event payload.

    Dicts become dicts with string keys, lists/tuples/sets become lists, numpy
    scalars and arrays become Python numbers and lists, enums their value,
    dataclasses dicts. Anything else becomes its ``repr`` string, so nothing is
    ever dropped silently and the copy never references the original; a
    memory address in it (``<x.Y object at 0x7f...>``) is left out, and a set's
    items are sorted (by value, or by their text when they do not compare), so
    that the same run records the same data in every process. A value that
    holds itself (``d["d"] = d``), or is nested deeper than Python's recursion
    limit, is a ``ValueError`` naming its type.
    """
    if isinstance(value, _SCALARS):
        return value
    try:
        return _plain(value)
    except RecursionError:
        # It was raised bare from deep inside, where the caller (record_event,
        # send_message, ...) could not tell which of its arguments it was.
        raise ValueError(
            f"cannot copy a {type(value).__name__} into an event: it holds itself (a cycle) "
            "or is nested deeper than Python's recursion limit; give plain data"
        ) from None


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        items = [_plain(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ == "numpy":
        return _plain(tolist())
    return _ADDRESS.sub(">", repr(value))
