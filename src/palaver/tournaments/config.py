"""Declaring a tournament: competitors, assignment, sweeps, repetitions, seed, score.

A tournament is declared once, in Python (:class:`TournamentConfig`) or in a TOML
file (:func:`load_config`). Classes and functions may be given as objects or as
dotted names (``"package.module:Name"`` or ``"package.module.Name"``); names are
imported when the tournament is validated, so a typo is reported before any
world runs.

A config is code, like a pickle or a checkpoint: the modules it names are
imported and its classes and functions are called. :meth:`TournamentConfig.validate`
checks that each name is of the kind its field needs before calling it, and
``allowed_packages`` refuses names from any package not listed before importing them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from palaver._util.checks import check_int, check_real
from palaver.tournaments import vetting
from palaver.tournaments.names import (
    TournamentConfigError,
    canonical_name,
    dotted_name,
    plain_value,
    resolve_name,
    short_name,
)

ASSIGNMENTS = ("all", "round_robin", "random")
"""The ways competitors are assigned to worlds (see :class:`TournamentConfig`)."""

MAX_WORLDS = 1_000_000
"""The most worlds one tournament may plan: its world ids (``w000000`` to
``w999999``) keep their run order as text, and the plan is held in memory."""


ScoreFunction = Callable[[Any], Mapping[Any, float]]
"""``score(world) -> {agent_id: score}``."""

__all__ = [
    "ASSIGNMENTS",
    "MAX_WORLDS",
    "Competitor",
    "TournamentConfig",
    "TournamentConfigError",
    "as_config",
    "dotted_name",
    "load_config",
    "resolve_name",
]


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

    def __post_init__(self) -> None:
        if self.name is not None and (not isinstance(self.name, str) or not self.name):
            raise TournamentConfigError(
                f"competitor name must be a non-empty string, got {self.name!r}"
            )
        if not isinstance(self.type, str) and not callable(self.type):
            raise TournamentConfigError(
                f"competitor {self.name or self.type!r}: type must be an agent class or its "
                f"dotted name, got {self.type!r}"
            )
        try:
            vetting.check_mapping(self.params, f"competitor {self.label!r}: params")
            vetting.check_mapping(self.join_params, f"competitor {self.label!r}: join")
        except vetting.VettingError as exc:
            raise TournamentConfigError(str(exc)) from None

    @property
    def label(self) -> str:
        """The name this competitor has in results and rankings."""
        return self.name if self.name is not None else short_name(self.type)

    def factory(self) -> Callable[..., Any]:
        """The agent class or factory, imported if it was given by name."""
        if isinstance(self.type, str):
            return cast(
                "Callable[..., Any]", resolve_name(self.type, f"competitor {self.label!r}: type")
            )
        return cast("Callable[..., Any]", self.type)

    def make(self) -> Any:
        """A new agent of this type."""
        return self.factory()(**dict(self.params))

    def to_dict(self) -> dict[str, Any]:
        """The plain-data form stored in a tournament's manifest."""
        return {
            "type": dotted_name(self.type),
            "name": self.label,
            "params": plain_value(dict(self.params)),
            "join": plain_value(dict(self.join_params)),
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
    - ``source``: the TOML file the config was read from (set by
      :func:`load_config`), named in the errors of :meth:`validate`; not part of
      the declaration (nor of :meth:`to_dict` or :meth:`fingerprint`).
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
    source: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.competitors, str | bytes | Mapping) or not isinstance(
            self.competitors, Sequence
        ):
            raise TournamentConfigError(
                f"tournament {self.name!r}: competitors must be a list, got {self.competitors!r}"
            )
        for label, value in (("world_params", self.world_params), ("sweep", self.sweep)):
            try:
                vetting.check_mapping(value, label)
            except vetting.VettingError as exc:
                raise TournamentConfigError(f"tournament {self.name!r}: {exc}") from None
        for key, values in self.sweep.items():
            if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence):
                raise TournamentConfigError(
                    f"tournament {self.name!r}: sweep {key!r} must be a list of values "
                    f"(e.g. {key} = [{values!r}]), got {values!r}"
                )
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

        def number(check: Any, name: str, **kwargs: Any) -> None:
            try:
                check(name, getattr(self, name), **kwargs)
            except (TypeError, ValueError) as exc:
                fail(str(exc))

        if not isinstance(self.name, str) or not self.name:
            fail(f"name must be a non-empty string, got {self.name!r}")
        number(check_int, "agents_per_competitor", minimum=1)
        number(check_int, "repetitions", minimum=1)
        number(check_int, "max_retries", minimum=0)
        number(check_int, "lineup_size", minimum=1, none_ok=True)
        number(check_int, "n_lineups", minimum=1, none_ok=True)
        number(check_int, "seed", minimum=0, none_ok=True)
        # Seconds; None (not inf) is "no limit", so a budget is always a number.
        number(check_real, "time_budget", positive=True, none_ok=True)
        if not self.competitors:
            fail("no competitors")
        labels = [c.label for c in self.competitors]
        duplicates = sorted({x for x in labels if labels.count(x) > 1})
        if duplicates:
            fail(f"competitor names must be unique; repeated: {duplicates} (set `name`)")
        if self.assignment not in ASSIGNMENTS:
            fail(f"assignment must be one of {ASSIGNMENTS}, got {self.assignment!r}")
        size = self.lineup_size
        if size is not None and not 1 <= size <= len(self.competitors):
            fail(f"lineup_size must be between 1 and {len(self.competitors)}, got {size}")
        if self.assignment == "random":
            if self.n_lineups is None:
                fail("assignment 'random' needs n_lineups >= 1, got None")
        elif self.n_lineups is not None:
            fail(f"n_lineups is only used by assignment 'random', not {self.assignment!r}")
        if "seed" in self.world_params or "seed" in self.sweep:
            fail("'seed' cannot be a world parameter: each world's seed derives from `seed`")
        for key, values in self.sweep.items():
            if not values:
                fail(f"sweep {key!r} has no values")
            # By equality (values may be lists or tables): a repeated value ran its
            # configuration twice, weighing it double in the ranking.
            twice = [v for i, v in enumerate(values) if v in values[:i]]
            if twice:
                fail(f"sweep {key!r} lists {twice[0]!r} more than once: {values!r}")
            if key in self.world_params:
                fail(f"{key!r} is both in world_params and in sweep; keep one")
        self._check_size(fail)
        if self.score is not None and not isinstance(self.score, str) and not callable(self.score):
            fail(
                "score must be a function f(world) -> {agent_id: score}, its dotted name, or "
                f"None, got {self.score!r}"
            )

    def _check_size(self, fail: Callable[[str], None]) -> None:
        """Refuse a tournament of more than :data:`MAX_WORLDS` worlds, counted before
        any is planned (planning 10**11 repetitions would fill the memory instead)."""
        n = len(self.competitors)
        if self.assignment == "all":
            n_teams = math.comb(n, self.size)
        elif self.assignment == "round_robin":
            n_teams = n
        else:
            n_teams = cast("int", self.n_lineups)
        n_points = math.prod(len(values) for values in self.sweep.values())
        total = self.repetitions * n_points * n_teams
        if total > MAX_WORLDS:
            fail(
                f"{total} worlds ({self.repetitions} repetitions x {n_points} sweep "
                f"configurations x {n_teams} line-ups), more than the {MAX_WORLDS:,} a "
                "tournament may run; lower repetitions, the sweep or the line-ups"
            )

    @property
    def size(self) -> int:
        """Competitors per world."""
        return self.lineup_size if self.lineup_size is not None else len(self.competitors)

    def world_factory(self) -> Callable[..., Any]:
        """The world class or factory, imported if it was given by name."""
        if isinstance(self.world, str):
            return cast("Callable[..., Any]", resolve_name(self.world, "world"))
        return cast("Callable[..., Any]", self.world)

    def score_function(self) -> Callable[[Any], Mapping[Any, float]] | None:
        """The score function, imported if given by name (``None``: ``world.scores()``)."""
        if isinstance(self.score, str):
            return cast("ScoreFunction", resolve_name(self.score, "score function"))
        return cast("ScoreFunction | None", self.score)

    def validate(self, allowed_packages: Sequence[str] | None = None) -> None:
        """Check everything the config names before any world runs.

        In order: every name is from an allowed package (when ``allowed_packages``
        is given; checked before importing); every named object is of the kind
        its field needs (a world class or a factory with a ``seed`` parameter; an
        agent class; a score function taking the world); every world, join and
        competitor parameter is one the callee accepts (with a "did you mean");
        every value of ``world_params`` and ``sweep`` is of the type the world's
        constructor annotates (``n_steps = "ten"`` against ``n_steps: int``;
        values whose annotation names no plain type pass), and every ``join``
        value of the type ``world.join`` annotates; then each competitor
        is built once. Raises :class:`TournamentConfigError` naming the file
        (for a config read from TOML), the field and the value.
        """
        where = f"{self.source}: " if self.source else ""
        named = [("world", self.world), ("score", self.score)] + [
            (f"competitor {c.label!r}", c.type) for c in self.competitors
        ]
        try:
            for what, obj in named:
                if obj is not None:
                    vetting.check_allowed(obj, what, allowed_packages)
            world = self.world_factory()
            vetting.check_world(world, f"world {dotted_name(self.world)!r}:")
            score = self.score_function()
            if score is not None:
                vetting.check_score(score)
            else:
                problem = vetting.unscored_world(world)
                if problem is not None:
                    raise vetting.VettingError(f"score: {problem}")
            given = [*self.world_params, *self.sweep]
            vetting.check_keywords(given, vetting.world_keywords(world), "world parameter")
            hints = vetting.world_hints(world)
            vetting.check_values(self.world_params, hints, "world parameter")
            for key, values in self.sweep.items():
                for value in values:
                    vetting.check_values({key: value}, hints, "sweep")
            vetting.check_shared_folders(world, self.world_params, self.sweep)
            vetting.check_world_option_values(world, self.world_params, self.sweep)
            joins = vetting.join_keywords(world)
            join_hints = vetting.join_hints(world)
            for competitor in self.competitors:
                what = f"competitor {competitor.label!r}"
                factory = competitor.factory()
                vetting.check_agent_type(factory, f"{what} type")
                vetting.check_keywords(competitor.join_params, joins, f"{what}: join parameter")
                vetting.check_values(
                    competitor.join_params, join_hints, f"{what}: join parameter", "world.join"
                )
                accepted = (
                    vetting.class_keywords(factory, "__init__")
                    if isinstance(factory, type)
                    else vetting.accepted_keywords(factory)
                )
                vetting.check_keywords(competitor.params, accepted, f"{what}: parameter")
        except vetting.VettingError as exc:
            raise TournamentConfigError(f"{where}tournament {self.name!r}: {exc}") from None
        except TournamentConfigError as exc:  # a name that cannot be imported
            raise TournamentConfigError(f"{where}{exc}") from None
        for competitor in self.competitors:
            try:
                competitor.factory()(**dict(competitor.params))
            except Exception as exc:
                raise TournamentConfigError(
                    f"{where}competitor {competitor.label!r} ({dotted_name(competitor.type)}): "
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
            "world_params": plain_value(self.world_params),
            "sweep": plain_value(self.sweep),
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
        data["world"] = canonical_name(self.world)
        data["score"] = None if self.score is None else canonical_name(self.score)
        for entry, competitor in zip(data["competitors"], self.competitors, strict=True):
            entry["type"] = canonical_name(competitor.type)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TournamentConfig:
        """Build a config from plain data (the TOML layout; see :func:`load_config`)."""
        from palaver.tournaments.loading import config_from_dict

        return config_from_dict(data)


def load_config(path: str | Path) -> TournamentConfig:
    """Read a tournament declared in a TOML file (see :mod:`palaver.tournaments.loading`)."""
    from palaver.tournaments.loading import load_config as load

    return load(path)


def as_config(
    source: TournamentConfig | str | Path, allowed_packages: Sequence[str] | None = None
) -> TournamentConfig:
    """A config from a :class:`TournamentConfig`, a TOML path, or a dotted name
    (see :func:`palaver.tournaments.loading.as_config`)."""
    from palaver.tournaments.loading import as_config as convert

    return convert(source, allowed_packages)
