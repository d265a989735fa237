"""NegMAS's helpers for parameter strings (``negmas.helpers.strings``).

A negotiator's parameters are written into a name as ``[key=value&...]``
(:func:`encode_params`); :func:`shorten_keys_in_string` shortens the keys of
a ``[key=value,...]`` string and :func:`shorten_keys` those of a dict, each
key to the shortest prefix that tells it from the others (see
:func:`palaver.helpers.shortest_unique_names`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from palaver.helpers import shortest_unique_names

__all__ = [
    "COMMON_NAME_PARTS",
    "encode_params",
    "shorten",
    "shorten_keys",
    "shorten_keys_in_string",
]

# A key (word characters) and its value (up to the next comma or closing bracket).
_PAIR = re.compile(r"(\w+)=([^,\]]+)")


def encode_params(params: Mapping[str, Any] | None) -> str:
    """``"[k1=v1&k2=v2]"`` (``""`` for no parameters)."""
    if not params:
        return ""
    return "[" + "&".join(f"{k}={v}" for k, v in params.items()) + "]"


def _joined(keys: list[str], values: list[str], max_compression: bool) -> str:
    short = shortest_unique_names(keys, max_compression=max_compression)
    return "[" + ",".join(f"{k}={v}" for k, v in zip(short, values, strict=True)) + "]"


def shorten_keys_in_string(
    s: str, max_compression: bool | None = True, max_length: int = 31
) -> str:
    """``s``'s ``key=value`` pairs written ``[k=value,...]`` with shortened keys.

    ``max_compression=True`` cuts each key to the shortest prefix no other
    starts with (``"[first_name=John,last_name=Doe]"`` -> ``"[f=John,l=Doe]"``);
    ``False`` keeps the keys' shortest distinct tails (here, whole); ``None``
    uses ``False`` unless the result is longer than ``max_length``. A string
    without pairs comes back as it is.
    """
    pairs = _PAIR.findall(s)
    if not pairs:
        return s
    keys = [k for k, _ in pairs]
    values = [v for _, v in pairs]
    if max_compression is None:
        short = _joined(keys, values, False)
        return short if len(short) <= max_length else _joined(keys, values, True)
    return _joined(keys, values, bool(max_compression))


def shorten_keys(d: Mapping[str, Any] | None) -> dict[str, Any]:
    """``d`` with each key cut to the shortest prefix no other key starts with."""
    if not d:
        return {}
    keys = list(d)
    short = shortest_unique_names(keys, max_compression=True)
    return {k: d[key] for k, key in zip(short, keys, strict=True)}


#: Parts of class names :func:`shorten` drops (NegMAS's list).
COMMON_NAME_PARTS = (
    "Mechanism",
    "Negotiator",
    "Agent",
    "Controller",
    "Acceptance",
    "Component",
    "Model",
    "Strategy",
    "Offering",
    "Entity",
)


def shorten(name: str, length: int = 4, common_parts: Sequence[str] = COMMON_NAME_PARTS) -> str:
    """A short form of a class name (NegMAS's ``helpers.strings.shorten``).

    ``common_parts`` are removed (each only from a longer name); a name of at
    most ``length`` characters is then kept; else its capitals, when there are
    ``length`` of them; else its first characters, keeping every capital and
    as many lower-case letters as fit (``"AspirationNegotiator"`` -> ``"Aspi"``,
    ``"BoulwareTBNegotiator"`` -> ``"BoTB"``).
    """
    for part in common_parts:
        if len(name) > len(part):
            name = name.replace(part, "")
    if len(name) <= length:
        return name
    capitals = [c for c in name if c.isupper()]
    if len(capitals) >= length:
        return "".join(capitals[:length])
    spare = length - len(capitals)
    kept: list[str] = []
    for c in name:
        if len(kept) >= length:
            break
        if c.isupper():
            kept.append(c)
        elif spare > 0:
            spare -= 1
            kept.append(c)
    return "".join(kept)
