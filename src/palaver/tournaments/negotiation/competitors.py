"""Competitors of a negotiation tournament: a negotiator class (or its name) with parameters."""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

#: Short names of the built-in strategies (lower case), usable wherever a competitor is named.
BUILTIN = {
    "boulware": "palaver.negotiators:BoulwareNegotiator",
    "conceder": "palaver.negotiators:ConcederNegotiator",
    "linear": "palaver.negotiators:LinearNegotiator",
    "aspiration": "palaver.negotiators:AspirationNegotiator",
    "micro": "palaver.negotiators:MiCRO",
    "naivetitfortat": "palaver.negotiators:NaiveTitForTat",
    "titfortat": "palaver.negotiators:NaiveTitForTat",
    "random": "palaver.negotiators:RandomNegotiator",
    "tough": "palaver.negotiators:ToughNegotiator",
    "nice": "palaver.negotiators:NiceNegotiator",
}


@dataclass(frozen=True)
class NegotiationCompetitor:
    """A negotiator type with its constructor parameters and the name it is scored under.

    ``type`` is a class, a ``"module:Class"`` (or ``"module.Class"``) path or a
    built-in short name (see :data:`BUILTIN`). The class must be importable
    from a module for the ``process`` and ``ray`` executors.
    """

    type: Any
    params: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        # Kept as given, a number here failed inside the tournament with
        # "'int' object is not iterable", naming neither the field nor the value.
        params = self.params
        if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
            raise ValueError(f"params must be a dict of constructor parameters, got {params!r:.80}")
        if not isinstance(self.name, str):
            raise ValueError(f"name must be a text, got {self.name!r:.80}")
        if type(params) is not dict:
            object.__setattr__(self, "params", dict(params))

    def resolve(self) -> type:
        """The negotiator class (imported when given by name)."""
        return resolve_type(self.type)

    def make(self, negotiator_id: str) -> Any:
        """A fresh negotiator with this competitor's parameters."""
        return self.resolve()(id=negotiator_id, name=negotiator_id, **self.params)


def resolve_type(spec: Any) -> type:
    """A class from a class, a ``module:Class`` path or a built-in short name."""
    if isinstance(spec, type):
        return spec
    # Checked before the cache, which cannot even look up an unhashable spec.
    if not isinstance(spec, str) or not spec:
        raise ValueError(
            f"competitor type must be a class, 'module:Class' or one of {sorted(BUILTIN)}, "
            f"got {spec!r}"
        )
    return _import_type(spec)


@functools.lru_cache(maxsize=256)
def _import_type(spec: str) -> type:
    path = BUILTIN.get(spec.lower(), spec)
    module, sep, attr = path.partition(":")
    if not sep:
        module, _, attr = path.rpartition(".")
    if not module or not attr:
        raise ValueError(
            f"unknown competitor {spec!r}: not a built-in name {sorted(BUILTIN)} and not "
            "'module:Class'"
        )
    try:
        obj = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot import competitor {spec!r}: {exc}") from None
    if not isinstance(obj, type):
        raise ValueError(f"competitor {spec!r} is not a class")
    return obj


def _label(spec: Any) -> str:
    if isinstance(spec, type):
        return spec.__name__
    text = str(spec)
    if text.lower() in BUILTIN:
        return BUILTIN[text.lower()].rpartition(":")[2]
    return text.replace(":", ".").rpartition(".")[2]


def _own_entry(
    c: NegotiationCompetitor,
    i: int,
    params: Sequence[Mapping[str, Any] | None] | None,
    names: Sequence[str] | None,
    role: str = "competitor",
) -> NegotiationCompetitor:
    """A competitor given as a :class:`NegotiationCompetitor` carries its own
    parameters and name: a parallel entry saying otherwise is refused (it was
    ignored), and a name given for an unnamed competitor names it."""
    given = params[i] if params is not None else None
    if given and dict(given) != c.params:
        raise ValueError(
            f"{role}_params[{i}]={dict(given)!r} given for {role} {i}, a "
            f"NegotiationCompetitor with params {c.params!r}: set its parameters on "
            f"the {role} itself (or give None here)"
        )
    name = names[i] if names is not None else None
    if name is None or name == c.name:
        return c
    if c.name:
        raise ValueError(
            f"{role}_names[{i}]={name!r} given for {role} {i}, a "
            f"NegotiationCompetitor named {c.name!r}: give one name (the same here, or "
            f"leave the {role} unnamed)"
        )
    return replace(c, name=name)


def as_competitors(
    competitors: Sequence[Any],
    competitor_params: Sequence[Mapping[str, Any] | None] | None = None,
    competitor_names: Sequence[str] | None = None,
    role: str = "competitor",
) -> list[NegotiationCompetitor]:
    """Competitors from NegMAS-style arguments (types, parallel params and names lists).

    Names default to the class names, numbered when two would be equal; names
    given (``competitor_names``, a competitor's own name) must be unique.
    ``role`` names the arguments in errors (``"opponent"``: ``opponents``,
    ``opponent_params``, ``opponent_names``).
    """
    if isinstance(competitors, str | type) or not isinstance(competitors, Sequence):
        raise ValueError(f"{role}s must be a list, got {competitors!r}")
    if len(competitors) < 1:
        raise ValueError(f"{role}s must name at least one negotiator type")
    n = len(competitors)
    for label, values in (
        (f"{role}_params", competitor_params),
        (f"{role}_names", competitor_names),
    ):
        if values is not None and (
            isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence)
        ):
            raise ValueError(f"{label} must be a list (one entry per {role}), got {values!r}")
        if values is not None and len(values) != n:
            raise ValueError(
                f"{label} length {len(values)} does not match the number of {role}s ({n}): "
                f"give one entry per {role}"
            )
    for i, params in enumerate(competitor_params or ()):
        if params is not None and (
            not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params)
        ):
            raise ValueError(
                f"{role}_params[{i}] must be a dict of constructor parameters or None, "
                f"got {params!r}"
            )
    for i, name in enumerate(competitor_names or ()):
        if not isinstance(name, str) or not name:
            raise ValueError(f"{role}_names[{i}] must be a non-empty string, got {name!r}")
    out: list[NegotiationCompetitor] = []
    for i, c in enumerate(competitors):
        if isinstance(c, NegotiationCompetitor):
            out.append(_own_entry(c, i, competitor_params, competitor_names, role))
            continue
        try:
            resolve_type(c)  # fail now, not in a worker
        except ValueError as exc:
            raise ValueError(f"{role}s[{i}]: {exc}") from None
        params = dict(competitor_params[i] or {}) if competitor_params is not None else {}
        name = competitor_names[i] if competitor_names is not None else _label(c)
        out.append(NegotiationCompetitor(c, params, name))
    # Names given by the user key the results: two alike are refused, not numbered
    # (a boulware and a conceder both named "X" became "X-1" and "X-2").
    if competitor_names is not None and len(set(competitor_names)) != n:
        raise ValueError(f"{role}_names must be unique, got {list(competitor_names)}")
    given = [c.name for c in competitors if isinstance(c, NegotiationCompetitor) and c.name]
    twice = sorted({x for x in given if given.count(x) > 1})
    if twice:
        raise ValueError(f"{role} names must be unique; {twice} given to more than one {role}")
    names = [c.name or _label(c.type) for c in out]
    seen: dict[str, int] = {}
    final = []
    for name in names:
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}-{seen[name]}"
        final.append(name)
    return [
        NegotiationCompetitor(c.type, c.params, name) for c, name in zip(out, final, strict=True)
    ]


def type_name(t: Any) -> str:
    """How a competitor's type is written in a tournament's setup (``module:Class``)."""
    if isinstance(t, type):
        return f"{t.__module__}:{t.__qualname__}"
    return str(t)


def plain_params(value: Any) -> Any:
    """Constructor parameters as JSON data (anything else by its ``repr``)."""
    return json.loads(json.dumps(value, default=repr))
