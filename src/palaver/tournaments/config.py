"""Declaring a tournament: competitors, assignment, sweeps, repetitions, seed, score.

A tournament is declared once, in Python (:class:`TournamentConfig`) or in a TOML
file (:func:`load_config`). Classes and functions may be given as objects or as
dotted names (``"package.module:Name"`` or ``"package.module.Name"``); names are
imported when the tournament is validated, so a typo is reported before any
world runs.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ASSIGNMENTS = ("all", "round_robin", "random")
"""The ways competitors are assigned to worlds (see :class:`TournamentConfig`)."""


class TournamentConfigError(ValueError):
    """A tournament declaration is invalid; the message says which field and why."""


def resolve_name(name: str, what: str = "object") -> Any:
    """Import the object a dotted name points to.

    ``name`` is ``"package.module:Attr.Sub"`` or ``"package.module.Attr"``. ``what``
    names the role of the object in error messages (``"world"``, ``"competitor"``).
    Raises :class:`TournamentConfigError` when the module or attribute is missing.
    """
    if ":" in name:
        module_name, _, attr_path = name.partition(":")
    else:
        module_name, _, attr_path = name.rpartition(".")
    if not module_name or not attr_path:
        raise TournamentConfigError(
            f"{what} {name!r} is not a dotted name like 'package.module:Name'"
        )
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise TournamentConfigError(
            f"{what} {name!r}: cannot import module {module_name!r} ({exc})"
        ) from exc
    for part in attr_path.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as exc:
            raise TournamentConfigError(
                f"{what} {name!r}: {obj.__name__!r} has no attribute {part!r}"
            ) from exc
    return obj


def dotted_name(obj: Any) -> str:
    """The ``"module:qualname"`` name of a class or function (the inverse of resolve_name)."""
    if isinstance(obj, str):
        return obj
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if module is None or qualname is None:
        return repr(obj)
    return f"{module}:{qualname}"


def _canonical(obj: Any) -> str:
    """The ``module:qualname`` where an object (or the object a name points to) is defined."""
    if isinstance(obj, str):
        try:
            obj = resolve_name(obj)
        except TournamentConfigError:
            return obj
    return dotted_name(obj)


def _short_name(obj: Any) -> str:
    if isinstance(obj, str):
        return obj.replace(":", ".").rsplit(".", 1)[-1]
    return getattr(obj, "__name__", repr(obj))


def _plain(value: Any) -> Any:
    """A JSON-able copy of a declared value; classes and functions become dotted names."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, type) or callable(value):
        return dotted_name(value)
    return repr(value)


@dataclass(frozen=True)
class Competitor:
    """One competing agent type.

    ``type`` is the agent class (or a factory, or a dotted name), ``params`` the
    keyword arguments its constructor gets, ``join_params`` the extra keyword
    arguments ``world.join(agent, **join_params)`` gets, and ``name`` the label
    used in results (default: the class name). Two competitors may share a class
    with different parameters as long as their names differ.
    """

    type: Any
    name: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    join_params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The name this competitor has in results and rankings."""
        return self.name if self.name is not None else _short_name(self.type)

    def factory(self) -> Callable[..., Any]:
        """The agent class or factory, imported if it was given by name."""
        if isinstance(self.type, str):
            return resolve_name(self.type, f"competitor {self.label!r}: type")
        return self.type

    def make(self) -> Any:
        """A new agent of this type."""
        return self.factory()(**dict(self.params))

    def to_dict(self) -> dict[str, Any]:
        """The plain-data form stored in a tournament's manifest."""
        return {
            "type": dotted_name(self.type),
            "name": self.label,
            "params": _plain(dict(self.params)),
            "join": _plain(dict(self.join_params)),
        }


@dataclass(frozen=True)
class TournamentConfig:
    """Everything that defines a tournament (and nothing about where it runs).

    - ``world``: the world class or a factory ``f(seed=..., **params) -> world``, or
      its dotted name. The world must offer ``join(agent, **kwargs)``, ``run()``,
      ``agents``, ``stats``, ``current_step``, ``n_steps`` and ``scores()``.
    - ``competitors``: :class:`Competitor` objects, agent classes or dotted names.
    - ``assignment``: ``"all"`` (every combination of ``lineup_size`` competitors),
      ``"round_robin"`` (one line-up per competitor, rotating through the list, so
      each competitor plays ``lineup_size`` worlds in every seat once, growing
      linearly with the number of competitors) or ``"random"`` (``n_lineups``
      random line-ups of ``lineup_size`` distinct competitors, drawn from the root
      seed).
    - ``lineup_size``: competitors per world (default: all of them).
    - ``agents_per_competitor``: how many agents of each competitor join a world.
    - ``world_params``: keyword arguments every world is constructed with.
    - ``sweep``: parameter name -> list of values; every combination is a
      configuration, and every configuration is run with every line-up.
    - ``repetitions``: runs of each (line-up, configuration), each with its own seed.
    - ``seed``: the root seed every world seed is derived from (``None``: drawn
      once and stored in the results manifest).
    - ``score``: ``f(world) -> {agent_id: score}`` or its dotted name (default:
      ``world.scores()``).
    - ``time_budget``: wall-clock seconds a world may take before it is stopped
      and recorded as timed out (``None``: no limit).
    - ``max_retries``: how often a world whose worker process died is re-run
      before it is recorded as failed.
    """

    world: Any
    competitors: Sequence[Any]
    assignment: str = "all"
    lineup_size: int | None = None
    n_lineups: int | None = None
    agents_per_competitor: int = 1
    world_params: Mapping[str, Any] = field(default_factory=dict)
    sweep: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    repetitions: int = 1
    seed: int | None = None
    score: Any = None
    time_budget: float | None = None
    max_retries: int = 1
    name: str = "tournament"

    def __post_init__(self) -> None:
        competitors = tuple(
            c if isinstance(c, Competitor) else Competitor(type=c) for c in self.competitors
        )
        object.__setattr__(self, "competitors", competitors)
        object.__setattr__(self, "world_params", dict(self.world_params))
        object.__setattr__(self, "sweep", {k: list(v) for k, v in self.sweep.items()})
        self._check_fields()

    def _check_fields(self) -> None:
        def fail(message: str) -> None:
            raise TournamentConfigError(f"tournament {self.name!r}: {message}")

        if not self.competitors:
            fail("no competitors")
        labels = [c.label for c in self.competitors]
        duplicates = sorted({x for x in labels if labels.count(x) > 1})
        if duplicates:
            fail(f"competitor names must be unique; repeated: {duplicates} (set `name`)")
        if self.assignment not in ASSIGNMENTS:
            fail(f"assignment must be one of {ASSIGNMENTS}, got {self.assignment!r}")
        if not isinstance(self.repetitions, int) or self.repetitions < 1:
            fail(f"repetitions must be a positive integer, got {self.repetitions!r}")
        size = self.lineup_size
        if size is not None and not 1 <= size <= len(self.competitors):
            fail(f"lineup_size must be between 1 and {len(self.competitors)}, got {size}")
        if self.assignment == "random":
            if not isinstance(self.n_lineups, int) or self.n_lineups < 1:
                fail(f"assignment 'random' needs n_lineups >= 1, got {self.n_lineups!r}")
        elif self.n_lineups is not None:
            fail(f"n_lineups is only used by assignment 'random', not {self.assignment!r}")
        if self.agents_per_competitor < 1:
            fail(f"agents_per_competitor must be >= 1, got {self.agents_per_competitor}")
        if "seed" in self.world_params or "seed" in self.sweep:
            fail("'seed' cannot be a world parameter: each world's seed derives from `seed`")
        for key, values in self.sweep.items():
            if not values:
                fail(f"sweep {key!r} has no values")
            if key in self.world_params:
                fail(f"{key!r} is both in world_params and in sweep; keep one")
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int)
        ):
            fail(f"seed must be an integer or None, got {self.seed!r}")
        budget = self.time_budget
        if budget is not None and not (isinstance(budget, int | float) and budget > 0):
            fail(f"time_budget must be a positive number of seconds, got {budget!r}")
        if budget is not None and not math.isfinite(budget):
            fail("time_budget must be finite (use None for no limit)")
        if self.max_retries < 0:
            fail(f"max_retries must be >= 0, got {self.max_retries}")

    @property
    def size(self) -> int:
        """Competitors per world."""
        return self.lineup_size if self.lineup_size is not None else len(self.competitors)

    def world_factory(self) -> Callable[..., Any]:
        """The world class or factory, imported if it was given by name."""
        if isinstance(self.world, str):
            return resolve_name(self.world, "world")
        return self.world

    def score_function(self) -> Callable[[Any], Mapping[Any, float]] | None:
        """The score function, imported if given by name (``None``: ``world.scores()``)."""
        if isinstance(self.score, str):
            return resolve_name(self.score, "score function")
        return self.score

    def validate(self) -> None:
        """Import every named class and build each competitor once.

        Raises :class:`TournamentConfigError` naming the competitor whose class is
        missing or whose constructor raised, so bad input stops the tournament
        before any world runs.
        """
        world = self.world_factory()
        if not callable(world):
            raise TournamentConfigError(f"world {dotted_name(self.world)!r} is not callable")
        score = self.score_function()
        if score is not None and not callable(score):
            raise TournamentConfigError(f"score {dotted_name(self.score)!r} is not callable")
        for competitor in self.competitors:
            factory = competitor.factory()
            try:
                factory(**dict(competitor.params))
            except Exception as exc:
                raise TournamentConfigError(
                    f"competitor {competitor.label!r} ({dotted_name(competitor.type)}): "
                    f"constructor raised {type(exc).__name__}: {exc}"
                ) from exc

    def to_dict(self) -> dict[str, Any]:
        """The plain-data form (TOML/JSON-able) stored in a tournament's manifest."""
        return {
            "name": self.name,
            "world": dotted_name(self.world),
            "competitors": [c.to_dict() for c in self.competitors],
            "assignment": self.assignment,
            "lineup_size": self.lineup_size,
            "n_lineups": self.n_lineups,
            "agents_per_competitor": self.agents_per_competitor,
            "world_params": _plain(self.world_params),
            "sweep": _plain(self.sweep),
            "repetitions": self.repetitions,
            "seed": self.seed,
            "score": None if self.score is None else dotted_name(self.score),
            "time_budget": self.time_budget,
            "max_retries": self.max_retries,
        }

    def fingerprint(self) -> str:
        """A hash of the declaration; a results folder belongs to one fingerprint.

        Classes and functions count by what they are, not by how they were
        named: ``"pkg:Name"``, ``"pkg.mod:Name"`` and the class object itself
        give the same fingerprint.
        """
        data = self.to_dict()
        data["world"] = _canonical(self.world)
        data["score"] = None if self.score is None else _canonical(self.score)
        for entry, competitor in zip(data["competitors"], self.competitors, strict=True):
            entry["type"] = _canonical(competitor.type)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TournamentConfig:
        """Build a config from plain data (the TOML layout; see :func:`load_config`)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise TournamentConfigError(
                f"unknown tournament field(s) {unknown}; known fields: {sorted(known)}"
            )
        for required in ("world", "competitors"):
            if required not in data:
                raise TournamentConfigError(f"tournament config needs a {required!r} field")
        kwargs = dict(data)
        kwargs["competitors"] = [_competitor_from(c) for c in data["competitors"]]
        return cls(**kwargs)


_COMPETITOR_KEYS = {"type", "name", "params", "join"}


def _competitor_from(entry: Any) -> Competitor:
    if isinstance(entry, str):
        return Competitor(type=entry)
    if not isinstance(entry, Mapping):
        raise TournamentConfigError(
            f"a competitor is a dotted class name or a table with 'type', got {entry!r}"
        )
    unknown = sorted(set(entry) - _COMPETITOR_KEYS)
    if unknown:
        raise TournamentConfigError(
            f"competitor {entry!r}: unknown key(s) {unknown}; accepted: {sorted(_COMPETITOR_KEYS)}"
        )
    if "type" not in entry:
        raise TournamentConfigError(f"competitor {entry!r}: needs 'type' (a dotted class name)")
    return Competitor(
        type=entry["type"],
        name=entry.get("name"),
        params=entry.get("params", {}),
        join_params=entry.get("join", {}),
    )


def load_config(path: str | Path) -> TournamentConfig:
    """Read a tournament declared in a TOML file.

    Top-level keys are the fields of :class:`TournamentConfig`; ``world``,
    ``score`` and each competitor's ``type`` are dotted names; each competitor is
    a ``[[competitors]]`` table with ``type`` and optional ``name``, ``params``
    and ``join`` (the keyword arguments of ``world.join``).
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TournamentConfigError(f"tournament config {str(path)!r} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TournamentConfigError(f"tournament config {str(path)!r}: {exc}") from exc
    try:
        return TournamentConfig.from_dict(data)
    except TournamentConfigError as exc:
        raise TournamentConfigError(f"{path}: {exc}") from exc


def as_config(source: TournamentConfig | str | Path) -> TournamentConfig:
    """A config from a :class:`TournamentConfig`, a TOML path, or a dotted name.

    A dotted name (``"package.module:NAME"``) may point to a config or to a
    function that returns one.
    """
    if isinstance(source, TournamentConfig):
        return source
    text = str(source)
    if isinstance(source, Path) or text.endswith(".toml") or Path(text).is_file():
        return load_config(text)
    obj = resolve_name(text, "tournament config")
    if callable(obj) and not isinstance(obj, TournamentConfig):
        obj = obj()
    if not isinstance(obj, TournamentConfig):
        raise TournamentConfigError(
            f"tournament config {text!r} is a {type(obj).__name__}, not a TournamentConfig"
        )
    return obj
