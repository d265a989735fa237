"""NegMAS's spelling of class names in snake_case (descriptor and utility-function types)."""

from __future__ import annotations

import re

# An upper-case run before a capitalised word ("MiCRONegotiator": "MiCRO_Negotiator"),
# then a lower-case letter before a capital ("Mi_CRO").
_RUN_BEFORE_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_BEFORE_UPPER = re.compile(r"([a-z])([A-Z])")


def snake_case(name: str) -> str:
    """``name`` (a CamelCase class name) in snake_case as NegMAS spells it
    (``"AspirationNegotiator"`` -> ``"aspiration_negotiator"``,
    ``"MiCRONegotiator"`` -> ``"mi_cro_negotiator"``)."""
    spaced = _LOWER_BEFORE_UPPER.sub(r"\1_\2", _RUN_BEFORE_WORD.sub(r"\1_\2", name))
    return spaced.lower().strip("_")
