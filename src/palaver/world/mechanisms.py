"""The mechanisms a world allows (``mechanisms=``): name resolution, parameter checks, creation."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from typing import Any

import palaver.mechanisms as _builtin
from palaver._util.imports import import_dotted
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.world.errors import MechanismParameterError, UnknownMechanismError

__all__ = ["WORLD_SET_PARAMETERS", "MechanismTable", "check_mechanism_params", "resolve_mechanism"]

# The tutorial names mechanisms by their NegMAS paths; these prefixes (and
# Palaver's own) are looked up among Palaver's mechanisms by class name.
_BUILTIN_PREFIXES = ("negmas", "palaver")

#: Mechanism constructor parameters the world sets itself, with the world
#: option that controls each (``None``: not user-settable).
WORLD_SET_PARAMETERS: dict[str, str | None] = {
    "outcome_space": None,
    "issues": None,
    "outcomes": None,
    "n_steps": "neg_n_steps",
    "time_limit": "neg_time_limit",
    "step_time_limit": "neg_step_time_limit",
    "negotiator_time_limit": "negotiator_time_limit",
    "ignore_negotiator_exceptions": "ignore_agent_exceptions",
    "seed": "seed",
    "bus": "bus",
    "id": None,
    "annotation": None,
}


def resolve_mechanism(name: Any) -> type:
    """The mechanism class for ``name``.

    Accepts a class, a bare class name of a Palaver mechanism (``"SAOMechanism"``),
    a Palaver or NegMAS dotted path (``"palaver.mechanisms.SAOMechanism"``,
    ``"negmas.sao.SAOMechanism"``, ``"negmas.st.STVetoMechanism"``: looked up in
    :mod:`palaver.mechanisms` by class name) or any importable dotted path
    (``"mypackage.mymodule.MyMechanism"``). Raises ``UnknownMechanismError``.
    """
    if isinstance(name, type):
        return name
    if not isinstance(name, str) or not name:
        raise UnknownMechanismError(f"a mechanism is named by a class or a string; got {name!r}")
    module, _, cls_name = name.rpartition(".")
    if not module or module.split(".")[0] in _BUILTIN_PREFIXES:
        cls = getattr(_builtin, cls_name, None)
        if isinstance(cls, type):
            return cls
        available = sorted(n for n in dir(_builtin) if n.endswith("Mechanism"))
        raise UnknownMechanismError(
            f"unknown mechanism {name!r}: Palaver has no mechanism class {cls_name!r} "
            f"(available: {available})"
        )
    try:
        cls = import_dotted(name)
    except (ImportError, ValueError) as e:
        raise UnknownMechanismError(f"cannot import mechanism {name!r}: {e}") from e
    if not isinstance(cls, type):
        raise UnknownMechanismError(f"mechanism {name!r} is not a class")
    return cls


def check_mechanism_params(label: str, cls: type, params: Mapping[str, Any]) -> None:
    """Check that ``cls`` accepts ``params`` as keyword arguments next to the world's own.

    Raises ``MechanismParameterError`` naming the mechanism and the parameter
    when a parameter is one the world sets (``n_steps``: use ``neg_n_steps``),
    or when the constructor's signature has no such parameter.
    """
    most = params.get("max_n_negotiators")
    if isinstance(most, int) and not isinstance(most, bool) and most < 2:
        # Every negotiation of a world has two partners or more: each would be refused.
        raise MechanismParameterError(
            f"mechanism {label!r}: max_n_negotiators must be None or an int >= 2 in a "
            f"world (a negotiation has at least two partners); got {most!r}"
        )
    for key in params:
        if key in WORLD_SET_PARAMETERS:
            option = WORLD_SET_PARAMETERS[key]
            hint = f"; use the world option {option!r}" if option else ""
            raise MechanismParameterError(
                f"mechanism {label!r}: parameter {key!r} is set by the world{hint}"
            )
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return  # builtins / C types without a signature: the probe decides
    accepted = signature.parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        return
    keywords = [
        name
        for name, p in accepted.items()
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        and name not in WORLD_SET_PARAMETERS
    ]
    for key in params:
        if key not in keywords:
            close = difflib.get_close_matches(key, keywords, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise MechanismParameterError(
                f"mechanism {label!r} has no parameter {key!r} ({hint}it accepts {keywords})"
            )


_probe_space: OutcomeSpace | None = None


def _probe(label: str, cls: type, params: Mapping[str, Any]) -> None:
    """Construct ``cls`` once on a tiny space so its own value checks run now."""
    global _probe_space
    if _probe_space is None:
        _probe_space = OutcomeSpace([make_issue(2, "probe")])
    try:
        cls(outcome_space=_probe_space, n_steps=1, seed=0, **params)
    except Exception as e:
        raise MechanismParameterError(
            f"mechanism {label!r} rejects its parameters {dict(params)!r}: {type(e).__name__}: {e}"
        ) from e


class MechanismTable:
    """The mechanisms a world allows: resolved classes with their default parameters.

    The first entry is the world's default. Lookups accept any spelling that
    resolves to an allowed class (``"negmas.sao.SAOMechanism"`` and
    ``"SAOMechanism"`` name the same entry). Every entry's parameters are
    checked when the table is built (see :func:`check_mechanism_params`), and the
    mechanism is constructed once on a tiny outcome space so that the
    constructor's own checks run too; a bad entry raises
    ``UnknownMechanismError`` or ``MechanismParameterError`` at world construction.
    """

    def __init__(self, mechanisms: Mapping[Any, Mapping[str, Any] | None]) -> None:
        self._entries: list[tuple[str, type, dict[str, Any]]] = []
        for name, params in mechanisms.items():
            cls = resolve_mechanism(name)
            label = name if isinstance(name, str) else cls.__name__
            if params is not None and not isinstance(params, Mapping):
                raise MechanismParameterError(
                    f"mechanism {label!r}: parameters must be a dict; got {params!r}"
                )
            params = dict(params or {})
            check_mechanism_params(label, cls, params)
            _probe(label, cls, params)
            self._entries.append((label, cls, params))
        self._by_name: dict[Any, tuple[type, dict[str, Any]]] = {}

    @property
    def names(self) -> list[str]:
        """The allowed names as given."""
        return [label for label, _, _ in self._entries]

    @property
    def params(self) -> dict[str, dict[str, Any]]:
        """The allowed names as given, each with a copy of its default parameters
        (NegMAS's ``mechanisms`` setting)."""
        return {label: dict(params) for label, _, params in self._entries}

    def get(self, name: Any = None) -> tuple[type, dict[str, Any]]:
        """The class and default parameters for ``name`` (``None``: the default).

        Raises ``UnknownMechanismError`` when ``name`` is not allowed here.
        """
        if name is None:
            _, cls, params = self._entries[0]
            return cls, params
        hit = self._by_name.get(name)
        if hit is not None:
            return hit
        cls = resolve_mechanism(name)
        for _, allowed, params in self._entries:
            if allowed is cls:
                self._by_name[name] = (cls, params)
                return cls, params
        raise UnknownMechanismError(
            f"mechanism {name!r} is not allowed in this world (allowed: {self.names})"
        )
