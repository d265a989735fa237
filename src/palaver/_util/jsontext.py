"""Strict JSON text: NaN and the infinities written as text, never as bare tokens.

JSON has no number for NaN or an infinity. Python's ``json`` writes them as
``NaN`` / ``Infinity`` by default, which most other readers (browsers' and
databases' JSON parsers, ``jq``) refuse, so a file holding one reads as
damaged everywhere but in Python. Palaver writes them as the strings
``"nan"``, ``"inf"`` and ``"-inf"`` (what ``str(float)`` gives, and what
``float()`` reads back).
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["dumps", "finite"]


def finite(value: Any) -> Any:
    """``value`` with every non-finite float, at any depth of dicts, lists and
    tuples, replaced by its text; other values as they are."""
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps(value, **kwargs)`` as strict JSON (see the module)."""
    try:
        return json.dumps(value, allow_nan=False, **kwargs)
    except ValueError as e:
        if "Out of range float" not in str(e):
            raise  # a circular reference, ...
        # Only values holding NaN or an infinity pay for the copy.
        return json.dumps(finite(value), allow_nan=False, **kwargs)
