"""Boundary checks shared by the public constructors of the lower layers.

Each check runs once, where a value enters (a constructor or an option), never
in a hot path. Wrong types raise ``type_error`` (a ``TypeError`` subclass by
default), values out of range raise ``value_error`` (a ``ValueError``); both
messages name the parameter, the value and what is allowed. Layers pass their
own documented exception classes so existing ``except`` clauses keep working.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from pathlib import Path
from typing import Any

#: The most outcomes any code enumerates into memory at once; above this,
#: enumeration is refused with advice to discretise more coarsely or sample.
MAX_ENUMERATED_OUTCOMES = 50_000_000


def check_int(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    none_ok: bool = False,
    type_error: type[Exception] = TypeError,
    value_error: type[Exception] = ValueError,
) -> int:
    """``value`` as an int (``bool`` refused), at least ``minimum``.

    With ``none_ok`` a ``None`` passes through (the return is then ``None``;
    callers that allow it keep their own ``Optional`` value).
    """
    # The common case first (plain ints; bool is another type): these checks
    # run once per mechanism, negotiator and option, thousands of times in a run.
    if type(value) is int and (minimum is None or value >= minimum):
        return value
    allowed = "an integer" + (f" >= {minimum}" if minimum is not None else "")
    if none_ok:
        allowed += " or None"
    if value is None and none_ok:
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise type_error(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")
    if minimum is not None and value < minimum:
        raise value_error(f"{name} must be {allowed}, got {value!r}")
    return int(value)


def check_real(
    name: str,
    value: Any,
    *,
    positive: bool = False,
    none_ok: bool = False,
    inf_ok: bool = False,
    type_error: type[Exception] = TypeError,
    value_error: type[Exception] = ValueError,
) -> float:
    """``value`` as a float, not NaN, finite unless ``inf_ok``, ``> 0`` when ``positive``.

    With ``none_ok`` a ``None`` passes through unchanged.
    """
    # A finite plain float (NaN fails the comparisons): the common case, checked first.
    if type(value) is float and -math.inf < value < math.inf and (value > 0 or not positive):
        return value
    allowed = ("a positive" if positive else "a") + (" number" if inf_ok else " finite number")
    if none_ok:
        allowed += " or None"
    if value is None and none_ok:
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, Real):
        raise type_error(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")
    number = float(value)
    if math.isnan(number) or (not inf_ok and math.isinf(number)) or (positive and not number > 0):
        raise value_error(f"{name} must be {allowed}, got {value!r}")
    return number


def check_optional_str(
    name: str, value: Any, *, type_error: type[Exception] = TypeError
) -> str | None:
    """``value`` unchanged when it is ``None`` or a ``str``; else ``type_error``."""
    if value is not None and not isinstance(value, str):
        raise type_error(f"{name} must be a string or None, got {value!r} ({type(value).__name__})")
    return value


def is_text(value: str) -> bool:
    """Whether ``value`` is valid Unicode text: no lone surrogate (``"\\ud800"``),
    which no file format, Arrow or DuckDB stores as text."""
    if value.isascii():  # O(1): CPython knows it
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def check_enumerable(what: str, cardinality: float, *, error: type[Exception] = ValueError) -> None:
    """Refuse to enumerate more than :data:`MAX_ENUMERATED_OUTCOMES` outcomes."""
    if cardinality > MAX_ENUMERATED_OUTCOMES:
        raise error(
            f"{what} has {cardinality:.3g} outcomes, more than the "
            f"{MAX_ENUMERATED_OUTCOMES:,} Palaver enumerates: discretise with fewer levels, "
            "use fewer or smaller issues, or sample outcomes (outcome_space.sample(rng, n))"
        )


def check_probability(name: str, value: Any) -> float:
    """``value`` as a float in ``[0, 1]`` (TypeError for non-numbers, ValueError outside)."""
    p = check_real(name, value)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return p


def check_ufun(name: str, value: Any) -> None:
    """Refuse a ``ufun``/``preferences`` that is neither ``None`` nor callable."""
    if value is not None and not callable(value):
        raise TypeError(
            f"{name} must be a utility function (see palaver.preferences) or None, "
            f"got {value!r} ({type(value).__name__})"
        )


def check_bool(name: str, value: Any, *, type_error: type[Exception] = TypeError) -> bool:
    """``value`` when it is a ``bool`` (numpy's included); else ``type_error``."""
    if value is True or value is False:
        return value
    # numpy's bool is named "bool_" before numpy 2 and "bool" since.
    kind = type(value)
    if not (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")):
        raise type_error(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def check_outcome_list(name: str, value: Any) -> list[tuple[Any, ...]] | None:
    """``None``, or ``value`` (an iterable of outcome sequences) as a list of tuples."""
    if value is None:
        return None
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a list of outcomes (tuples) or None, got {value!r}")
    rows = list(value)
    for row in rows:
        if isinstance(row, str | bytes) or not hasattr(row, "__iter__"):
            raise TypeError(f"{name} must hold outcome tuples, got {row!r} in {name}")
    return [tuple(row) for row in rows]


def check_items(name: str, value: Any, what: str) -> list[Any]:
    """``value``'s items as a list; a ``TypeError`` naming ``name`` when ``value`` is
    a scalar, a string or a mapping (iterating one would fail deep inside with
    "object is not iterable", or read letters or keys as ``what``)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise TypeError(
            f"{name} must be a list of {what}, got {value!r:.80} ({type(value).__name__})"
        )
    return list(value)


def checked_path(name: str, value: object) -> Path:
    """``value`` as a ``Path`` when it is a non-empty str or path; a ``TypeError``
    naming ``name`` otherwise (``Path()`` said only "expected str, bytes or
    os.PathLike object", and ``""`` was the current folder)."""
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str) and text:
            return Path(text)
    raise TypeError(
        f"{name} must be a non-empty str or path (os.PathLike), got {value!r:.80} "
        f"({type(value).__name__})"
    )
