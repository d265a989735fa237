"""Negotiators from text: NegMAS's command-line component specs (``negmas.scripts.negotiate``).

NegMAS's ``negotiate`` command names a modular negotiator by its parts:
``"boa:offering=GTimeDependentOffering(e=0.2),acceptance=GACNext,model=GHardHeadedFrequencyModel"``.
This module reads such text:

- :func:`parse_component_spec`: ``"Name(a=1, b='x')"`` -> ``("Name", {"a": 1, "b": "x"})``
  (each value a Python literal, read with :func:`ast.literal_eval`; anything
  else is kept as its text, never evaluated);
- :func:`get_component`: the component class of that name (a Palaver
  negotiator part: offering and acceptance policies, opponent models);
- :func:`make_boa_negotiator`: a :class:`~palaver.negotiators.BOANegotiator`
  from ``key=Spec`` pairs (``offering``, ``acceptance``, ``model``, any other
  key an extra component); an acceptance policy that takes
  ``offering_policy`` (or ``offering_strategy``) gets the offering policy;
- :func:`get_negotiator`: a negotiator class by name or dotted path, or for
  ``boa:<spec>`` / ``map:<spec>`` a factory of such negotiators. NegMAS's
  ``map:`` builds its ``MAPNegotiator`` (several models); Palaver builds the
  same parts into a :class:`~palaver.negotiators.BOANegotiator`.
"""

from __future__ import annotations

import ast
import functools
import inspect
from collections.abc import Callable
from typing import Any

from palaver.negotiators.base import Negotiator
from palaver.negotiators.boa import BOANegotiator
from palaver.negotiators.controller import resolve_negotiator_type

__all__ = ["get_component", "get_negotiator", "make_boa_negotiator", "parse_component_spec"]

_MARKERS = ("boa", "map")


def _split_top_level(text: str) -> list[str]:
    """``text`` split at the commas outside brackets, each part stripped (empty ones dropped)."""
    parts: list[str] = []
    depth, current = 0, list[str]()
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_component_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``"Name"`` or ``"Name(key=value, ...)"`` as ``(name, keyword arguments)``.

    Raises ``ValueError`` for text that is not of that form (an unclosed
    bracket, an argument without ``=``).
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a str such as 'Name(a=1)', got {spec!r:.80}")
    spec = spec.strip()
    if "(" not in spec:
        return spec, {}
    name, _, rest = spec.partition("(")
    if not rest.endswith(")"):
        raise ValueError(f"spec {spec!r}: the arguments must end with ')'")
    kwargs: dict[str, Any] = {}
    for argument in _split_top_level(rest[:-1]):
        key, equals, value = argument.partition("=")
        if not equals or not key.strip().isidentifier():
            raise ValueError(f"spec {spec!r}: argument {argument!r} is not key=value")
        kwargs[key.strip()] = _literal(value.strip())
    return name.strip(), kwargs


def get_component(class_name: str) -> type:
    """The negotiator-part class named ``class_name`` (``"GACNext"``, ``"ACNext"``...).

    Raises ``ValueError`` naming it when Palaver has no class of that name.
    """
    # The package's names, read when called (this module is part of the package).
    import palaver.negotiators as negotiators

    found = getattr(negotiators, class_name, None) if class_name.isidentifier() else None
    if not isinstance(found, type):
        raise ValueError(
            f"Cannot find component class: {class_name!r} (not a class of palaver.negotiators)"
        )
    return found


def make_boa_negotiator(spec: str, is_map: bool = False, **kwargs: Any) -> Any:
    """A :class:`~palaver.negotiators.BOANegotiator` of the parts ``spec`` names
    (see the module doc); ``kwargs`` go to the negotiator (``name``, ``ufun``...).
    ``is_map`` is NegMAS's (its ``MAPNegotiator``): the same negotiator here.
    """
    specs: dict[str, tuple[str, dict[str, Any]]] = {}
    for part in _split_top_level(spec):
        key, equals, value = part.partition("=")
        if not equals:
            raise ValueError(
                f"Invalid component spec {part!r}: expected key=ComponentClass(args), e.g. "
                "offering=GTimeDependentOffering(e=0.2)"
            )
        specs[key.strip().lower()] = parse_component_spec(value)
    parts: dict[str, Any] = {}
    for key in ("offering", "acceptance", "model", *specs):
        if key not in specs or key in parts:
            continue
        name, options = specs[key]
        kind = get_component(name)
        if key == "acceptance" and "offering" in parts:
            accepted = inspect.signature(kind).parameters
            for option in ("offering_policy", "offering_strategy"):
                if option in accepted:
                    options.setdefault(option, parts["offering"])
                    break
        parts[key] = kind(**options)
    extras = {k: v for k, v in parts.items() if k not in ("offering", "acceptance", "model")}
    return BOANegotiator(
        offering=parts.get("offering"),
        acceptance=parts.get("acceptance"),
        model=parts.get("model"),
        extra_components=list(extras.values()) or None,
        extra_component_names=list(extras) or None,
        **kwargs,
    )


def get_negotiator(class_name: str) -> type | Callable[..., Any]:
    """The negotiator class ``class_name`` names (a name of
    :mod:`palaver.negotiators`, or a dotted path, NegMAS's included), or for
    ``boa:<spec>`` / ``map:<spec>`` a factory making the negotiator ``spec``
    describes (called with the negotiator's keywords, ``name=...``).

    Raises ``ValueError`` naming ``class_name`` when nothing matches.
    """
    for marker in _MARKERS:
        for separator in (":", "."):
            if class_name.startswith(marker + separator):
                rest = class_name[len(marker) + 1 :]
                return functools.partial(make_boa_negotiator, rest, is_map=marker == "map")
    if "." in class_name:
        return resolve_negotiator_type(class_name, "class_name")
    import palaver.negotiators as negotiators

    found = getattr(negotiators, class_name, None) if class_name.isidentifier() else None
    if isinstance(found, type) and issubclass(found, Negotiator):
        return found
    raise ValueError(
        f"class_name {class_name!r} is not a negotiator class of palaver.negotiators, a dotted "
        "path to one, nor a boa:/map: component spec"
    )
