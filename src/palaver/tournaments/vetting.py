"""Checking what a tournament config names before anything it names is called.

A config is code: its dotted names are imported and the classes and functions
they name are constructed and called. These checks make sure each name is of
the kind its field requires (a world class or factory, an agent class, a score
function taking the world) and that the keyword arguments given to it exist,
so that a typo or a stray name (``subprocess:run``) is refused with a message
instead of being run. With ``allowed_packages``, a name from any other package
is refused before it is even imported.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import inspect
import numbers
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any


class VettingError(ValueError):
    """A named object is not what its field needs (re-raised as a config error)."""


def package_of(obj: Any) -> str:
    """The top-level package of a dotted name or of a class's or function's module."""
    if isinstance(obj, str):
        module = obj.partition(":")[0] if ":" in obj else obj.rpartition(".")[0]
    else:
        module = str(getattr(obj, "__module__", "") or "")
    return module.split(".", 1)[0]


def check_allowed(obj: Any, what: str, allowed: Sequence[str] | None) -> None:
    """Refuse ``obj`` (a dotted name or an object) from a package not in ``allowed``.

    Palaver's own package is always allowed; ``None`` allows everything.
    """
    if allowed is None:
        return
    check_allowed_packages(allowed)
    package = package_of(obj)
    if package != "palaver" and package not in allowed:
        shown = (
            obj
            if isinstance(obj, str)
            else f"{getattr(obj, '__module__', '?')}:"
            + str(getattr(obj, "__qualname__", repr(obj)))
        )
        raise VettingError(
            f"{what} {shown!r} is from package {package!r}, which is not allowed; "
            f"allowed packages: {sorted({'palaver', *allowed})}"
        )


def check_allowed_packages(allowed: Any) -> None:
    """Refuse an ``allowed_packages`` that is not a list of package names (a bare
    string would allow every package whose name is one of its letters)."""
    if isinstance(allowed, str | bytes) or not isinstance(allowed, Sequence | set | frozenset):
        raise VettingError(f"allowed_packages must be a list of package names, got {allowed!r}")
    for name in allowed:
        if not isinstance(name, str) or not name:
            raise VettingError(
                f"allowed_packages must hold package names (strings), got {name!r} in "
                f"{list(allowed)!r}"
            )


def _signature(obj: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def _has(cls: type, *methods: str) -> bool:
    return all(callable(getattr(cls, m, None)) for m in methods)


def _returned_class(function: Any) -> type | None:
    try:
        hints = inspect.get_annotations(function, eval_str=True)
    except Exception:
        return None
    returned = hints.get("return")
    return returned if isinstance(returned, type) else None


def check_world(obj: Any, what: str = "world") -> None:
    """A world class (with ``join`` and ``run``), or a function taking ``seed``."""
    if isinstance(obj, type):
        if not _has(obj, "join", "run"):
            raise VettingError(
                f"{what} {obj.__qualname__!r} is a class without join() and run(): not a world"
            )
        return
    signature = _signature(obj) if callable(obj) else None
    if signature is None or "seed" not in signature.parameters:
        raise VettingError(
            f"{what} {getattr(obj, '__qualname__', obj)!r} is neither a world class (with "
            "join() and run()) nor a factory function with a 'seed' parameter"
        )
    returned = _returned_class(obj)
    if returned is not None and not _has(returned, "join", "run"):
        raise VettingError(
            f"{what} factory returns {returned.__qualname__!r}, which is not a world"
        )


def unscored_world(world: Any) -> str | None:
    """Why the worlds of ``world`` (a class, or a factory annotated to return one)
    cannot be scored by default (``None``: they can, or their class is unknown).

    ``World.scores()`` sums each agent's executed contracts' ``contract_size``,
    which is 0 unless the world defines it: a world overriding neither would
    rank every agent 0, a tie that looks like a result.
    """
    cls = world if isinstance(world, type) else _returned_class(world)
    # A subclass of World was defined in a module that imported palaver.world;
    # when nothing has, ``cls`` is not one. Importing it here would load the
    # whole framework (seconds on a loaded machine) inside the first world of
    # every worker, charged to that world's time budget.
    if not isinstance(cls, type) or "palaver.world" not in sys.modules:
        return None
    from palaver.world import World

    if not issubclass(cls, World):
        return None
    if cls.scores is not World.scores or cls.contract_size is not World.contract_size:
        return None
    return (
        f"{cls.__qualname__} overrides neither scores() nor contract_size(), so every "
        "agent would score 0; give the tournament a score function (score=) or define "
        "one of them in the world"
    )


def _is_agent_class(cls: type) -> bool:
    from palaver.world import Agent

    return issubclass(cls, Agent) or _has(cls, "step")


def check_agent_type(obj: Any, what: str) -> None:
    """An agent class (a ``palaver.world.Agent`` subclass or a class with ``step()``),
    or a function annotated to return one."""
    if isinstance(obj, type):
        if not _is_agent_class(obj):
            raise VettingError(
                f"{what} {obj.__qualname__!r} is not an agent class (a palaver.world.Agent "
                "subclass, or a class with a step() method)"
            )
        return
    returned = _returned_class(obj) if inspect.isfunction(obj) else None
    if returned is None or not _is_agent_class(returned):
        raise VettingError(
            f"{what} {getattr(obj, '__qualname__', obj)!r} is not an agent class; a factory "
            "function must be annotated to return one (def make() -> MyAgent)"
        )


def check_score(obj: Any) -> None:
    """A function called as ``score(world)`` (one positional argument)."""
    if isinstance(obj, type) or not callable(obj):
        raise VettingError(f"score {obj!r} is not a function f(world) -> {{agent_id: score}}")
    signature = _signature(obj)
    try:
        if signature is not None:
            signature.bind(object())
    except TypeError:
        raise VettingError(
            f"score {getattr(obj, '__qualname__', obj)!r} cannot be called with the world "
            f"alone (its signature is {signature}); expected f(world) -> {{agent_id: score}}"
        ) from None


def accepted_keywords(function: Callable[..., Any], skip: int = 0) -> set[str] | None:
    """The keyword names ``function`` accepts, or ``None`` when it takes any (``**kwargs``)
    and where they go cannot be followed. ``skip`` leading positional parameters are ignored."""
    signature = _signature(function)
    if signature is None:
        return None
    names = set()
    for i, p in enumerate(signature.parameters.values()):
        if p.kind is p.VAR_KEYWORD:
            return None
        if i >= skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            names.add(p.name)
    return names


def class_keywords(cls: type, method: str) -> set[str] | None:
    """The keywords ``cls.method`` accepts, following ``**kwargs`` up the class
    hierarchy (a subclass passing them on to ``super()``); ``None`` if unknowable."""
    from palaver.world import World

    names: set[str] = set()
    for klass in cls.__mro__:
        if method not in vars(klass):
            continue
        function = vars(klass)[method]
        signature = _signature(function)
        if signature is None:
            return None
        params = list(signature.parameters.values())[1:]  # self
        names |= {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if klass is World and method == "join":
            # World.join's **kwargs accepts exactly these and refuses others; its
            # own simulation_priority (and the agent, x) are named above.
            return (names | {"ufun", "preferences", "annotation"}) - {"x"}
        if klass is World and method == "__init__":
            # World's **options are its option groups' fields and NegMAS's keywords.
            return names | world_option_names()
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return names
    return None


def world_option_names() -> set[str]:
    """The flat keywords ``World(**options)`` accepts: its option groups' fields
    and NegMAS's World keywords (``annotation``, ``shuffle_negotiations``, ...)."""
    from palaver.world.compat import NEGMAS_KEYWORDS
    from palaver.world.config import GROUPS

    groups = {f.name for group in GROUPS.values() for f in dataclasses.fields(group)}
    return groups | set(NEGMAS_KEYWORDS)


#: World options naming a folder a world writes its own files to.
WORLD_FOLDERS = ("log_folder", "checkpoint_folder")


def check_shared_folders(world: Any, params: Mapping[str, Any], sweep: Mapping[str, Any]) -> None:
    """Refuse a Palaver ``World``'s ``log_folder`` / ``checkpoint_folder`` given to
    every world of a tournament: the first world writes there and every later one
    is refused the folder (``FileExistsError``, failing it), or with ``exist_ok``
    replaces the earlier world's files (on the ``process`` executor, while it writes
    them). A factory may take those names for its own use, so it is not checked."""
    from palaver.world import World

    if not (isinstance(world, type) and issubclass(world, World)):
        return
    for name in WORLD_FOLDERS:
        given = params.get(name) is not None or any(v is not None for v in sweep.get(name, ()))
        if given:
            raise VettingError(
                f"world parameter {name!r} would be one folder for every world of the "
                "tournament (the second world finds the first's files there and fails, or "
                "with exist_ok replaces them); keep each world's full record with "
                "record=True (--record), or pass a world factory f(seed, **params) that "
                "gives each world its own folder"
            )


def _passed_to_world(world: type, name: str) -> bool:
    """Whether keyword ``name`` of ``world(...)`` reaches ``World.__init__`` untouched
    by name: no class between declares it (a subclass that names a parameter may
    give it a meaning of its own)."""
    from palaver.world import World

    for klass in world.__mro__:
        if klass is World:
            return True
        function = vars(klass).get("__init__")
        if function is None:
            continue
        signature = _signature(function)
        if signature is None or name in signature.parameters:
            return False
        if not any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
            return False
    return False


def check_world_option_values(
    world: Any, params: Mapping[str, Any], sweep: Mapping[str, Sequence[Any]]
) -> None:
    """Refuse a value a Palaver ``World`` would refuse when built (``time_limit =
    -1``, ``negotiation_quota_per_step = -2``): checked here with the World's own
    rules, so the mistake is named once, before any world runs, instead of failing
    every world of the tournament."""
    from palaver.tournaments.world_choices import choice_rules
    from palaver.world import World
    from palaver.world.errors import WorldError
    from palaver.world.validate import RULES, check_count, check_seconds

    if not (isinstance(world, type) and issubclass(world, World)):
        return
    rules = {**RULES, **choice_rules(), "n_steps": check_count, "time_limit": check_seconds}
    given = [(k, v, "world parameter") for k, v in params.items()]
    given += [(k, v, "sweep") for k, values in sweep.items() for v in values]
    for name, value, what in given:
        rule = rules.get(name)
        if rule is None or not _passed_to_world(world, name):
            continue
        try:
            rule(name, value)
        except WorldError as e:
            raise VettingError(f"{what} {name!r} = {value!r}: {e}") from e


def check_keywords(given: Iterable[str], accepted: set[str] | None, what: str) -> None:
    """Refuse keyword names not in ``accepted``, suggesting the closest ones."""
    if accepted is None:
        return
    for name in given:
        if name not in accepted:
            close = difflib.get_close_matches(name, sorted(accepted), n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            raise VettingError(
                f"{what} {name!r} is not a parameter it accepts; {hint}accepted: {sorted(accepted)}"
            )


def world_keywords(world: Any) -> set[str] | None:
    """What a world class's constructor or a world factory accepts (``seed`` excluded)."""
    accepted = (
        class_keywords(world, "__init__") if isinstance(world, type) else accepted_keywords(world)
    )
    return None if accepted is None else accepted - {"seed"}


def join_keywords(world: Any) -> set[str] | None:
    """What ``world.join(agent, ...)`` accepts (known for world classes only)."""
    if isinstance(world, type):
        accepted = class_keywords(world, "join")
        if accepted is None:
            return None
        signature = _signature(vars(next(k for k in world.__mro__ if "join" in vars(k)))["join"])
        first = (
            list(signature.parameters)[1] if signature and len(signature.parameters) > 1 else None
        )
        return accepted - {first} if first else accepted
    returned = _returned_class(world)
    return join_keywords(returned) if returned is not None else None


def check_mapping(value: Any, what: str) -> Mapping[str, Any]:
    """``value`` as a mapping with string keys, or a clear error."""
    if not isinstance(value, Mapping):
        raise VettingError(f"{what} must be a table of name = value, got {value!r}")
    for key in value:
        if not isinstance(key, str):
            raise VettingError(f"{what} keys must be names (strings), got {key!r}")
    return value


def _hints_of(function: Any, names: Iterable[str]) -> dict[str, Any]:
    """The annotations of ``function``'s parameters ``names``, each evaluated on its own
    (one that cannot be evaluated, e.g. a name imported only for type checking, is left
    out rather than spoiling the others)."""
    raw = getattr(function, "__annotations__", None)
    if not isinstance(raw, Mapping):
        return {}
    namespace = dict(getattr(function, "__globals__", {}))
    hints: dict[str, Any] = {}
    for name in names:
        if name not in raw:
            continue
        annotation = raw[name]
        if isinstance(annotation, str):
            # What typing.get_type_hints does, one annotation at a time; the code is
            # the callee's own, already imported.
            try:
                annotation = eval(annotation, namespace)
            except Exception:
                continue
        hints[name] = annotation
    return hints


def _option_hints() -> dict[str, Any]:
    """The annotations of the fields of the World's option groups (its flat keywords)."""
    from palaver.world.config import GROUPS

    hints: dict[str, Any] = {}
    for group in GROUPS.values():
        try:
            resolved = typing.get_type_hints(group)
        except Exception:
            continue
        hints.update({f.name: resolved[f.name] for f in dataclasses.fields(group)})
    from palaver.world.compat import NegmasOptions

    # NegMAS's keywords as the World takes them (event_types is given as a list,
    # kept as a frozenset: its field's type is not what the constructor takes).
    negmas = typing.get_type_hints(NegmasOptions)
    hints.update({k: v for k, v in negmas.items() if k != "event_types"})
    hints["ignore_negotiation_exceptions"] = bool
    return hints


def _method_hints(cls: type, method: str) -> dict[str, Any]:
    """The annotations of ``cls.method``'s keywords, following ``**kwargs`` up the
    class hierarchy as :func:`class_keywords` does (and for ``World.__init__``, the
    types of its option groups' fields)."""
    from palaver.world import World

    hints: dict[str, Any] = {}
    for klass in cls.__mro__:
        function = vars(klass).get(method)
        if function is None:
            continue
        signature = _signature(function)
        if signature is None:
            break
        params = list(signature.parameters.values())[1:]
        own = _hints_of(function, [p.name for p in params if p.kind is not p.VAR_KEYWORD])
        hints.update({k: v for k, v in own.items() if k not in hints})
        if klass is World and method == "__init__":
            hints.update({k: v for k, v in _option_hints().items() if k not in hints})
            break
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            break
    return hints


def world_hints(world: Any) -> dict[str, Any]:
    """What the world's constructor (or factory) says each keyword should be: its
    parameter annotations, following ``**kwargs`` up the class hierarchy as
    :func:`class_keywords` does, and for a ``World`` the types of its option
    groups' fields. A keyword without a usable annotation is left out."""
    if not isinstance(world, type):
        signature = _signature(world)
        return {} if signature is None else _hints_of(world, signature.parameters)
    return _method_hints(world, "__init__")


def join_hints(world: Any) -> dict[str, Any]:
    """What ``world.join(agent, ...)`` says each keyword should be (world classes, or
    factories annotated to return one)."""
    cls = world if isinstance(world, type) else _returned_class(world)
    return {} if cls is None else _method_hints(cls, "join")


_PLAIN = {int: "int", float: "float", bool: "bool", str: "str", type(None): "None"}


def _fits(value: Any, hint: Any) -> bool | None:
    """Whether a plain value (what TOML gives: str, int, float, bool, list, table,
    date) fits the annotation ``hint``: ``None`` when the annotation says nothing
    checkable about plain values (``Any``, a class of the user's, a protocol)."""
    if hint is Any or isinstance(hint, typing.TypeVar):
        return None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        verdicts = [_fits(value, member) for member in typing.get_args(hint)]
        if any(v is True for v in verdicts):
            return True
        return None if any(v is None for v in verdicts) else False
    if origin is typing.Literal:
        return any(value == a and type(value) is type(a) for a in typing.get_args(hint))
    if origin is typing.Annotated:
        return _fits(value, typing.get_args(hint)[0])
    target = origin if origin is not None else hint
    if not isinstance(target, type):
        return None
    # The numeric tower (an int is a float), numpy's numbers included, as Palaver's
    # own checks take them; a bool is neither.
    if target is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    if target is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if target in (bool, str, type(None)):
        return isinstance(value, target)
    if issubclass(target, enum.Enum):
        return None  # the world may take a member's name or value
    if target in (list, tuple, set, frozenset) or target is Sequence:
        return isinstance(value, list)
    if target in (dict, Mapping):
        return isinstance(value, dict)
    return None


def _spell(hint: Any) -> str:
    if isinstance(hint, type):
        return _PLAIN.get(hint, hint.__qualname__)
    return str(hint).replace("typing.", "").replace("NoneType", "None")


def check_values(
    given: Mapping[str, Any],
    hints: Mapping[str, Any],
    what: str,
    callee: str = "the world's constructor",
) -> None:
    """Refuse a value whose parameter's annotation says it cannot be of its type
    (``n_steps = "ten"`` for ``n_steps: int``), naming the key, the value and the type."""
    for name, value in given.items():
        hint = hints.get(name)
        if hint is not None and _fits(value, hint) is False:
            raise VettingError(
                f"{what} {name!r} = {value!r} is a {type(value).__name__}; {callee} "
                f"takes {_spell(hint)}"
            )
