"""The TOML form of a negotiation tournament (``palaver tournament run FILE.toml``).

A file whose top-level table is ``[negotiation]`` declares a
:func:`~palaver.tournaments.negotiation.cartesian_tournament`::

    [negotiation]
    competitors = ["boulware", "conceder", "micro"]   # built-in names or "module:Class"
    scenarios = ["scenarios/camera", "scenarios/*"]   # Scenario.load paths, globs allowed
    n_repetitions = 5
    n_steps = [10, 10000]          # or one number
    time_limit = 60                # optional, seconds (or [low, high])
    rotate_ufuns = true
    self_play = true
    seed = 1
    detail = "offers"              # or "outcomes"
    hang_timeout = 60              # seconds, or false for none
    final_score = ["advantage", "mean"]

    [negotiation.generate]         # optional: ANL-style generated scenarios
    n_scenarios = 10
    n_outcomes = [900, 1100]
    seed = 1

    [[negotiation.competitor]]     # optional, instead of or besides `competitors`
    type = "palaver.negotiators:NaiveTitForTat"
    name = "TfT-kind"
    params = { kindness = 0.05 }

    opponents = ["boulware"]       # optional: fixed opponents (NegMAS's explicit
                                   # opponent mode); [[negotiation.opponent]] tables too

Relative scenario paths are read from the file's folder. Every key is
checked: an unknown key, a wrong type or a missing piece raises
:class:`NegotiationConfigError` naming the file and the key; so do a
competitor from a package not in ``allowed_packages`` (checked before it is
imported), a competitor parameter its class does not take or whose
constructor raises on it, and a ``mechanism_params`` value the mechanism
refuses, each found by building one competitor and one mechanism, as the
tournament would, before anything runs.
"""

from __future__ import annotations

import difflib
import glob
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from palaver._util.checks import check_int
from palaver._util.files import FileKindError, read_regular
from palaver.tournaments.negotiation.competitors import NegotiationCompetitor

_KEYS = {
    "competitors", "competitor", "opponents", "opponent", "scenarios", "generate",
    "n_repetitions", "n_steps", "time_limit", "n_steps_per", "rotate_ufuns", "self_play",
    "seed", "detail", "hang_timeout", "final_score", "mechanism_params",
}  # fmt: skip
_PASSED = (
    "n_repetitions", "n_steps", "time_limit", "n_steps_per", "rotate_ufuns", "self_play", "seed",
    "detail", "hang_timeout", "mechanism_params",
)  # fmt: skip


def _unknown(keys: set[str], allowed: Sequence[str]) -> str:
    """``unknown key(s) [...]`` with the closest allowed key of each near miss
    (``n_step``: "did you mean 'n_steps'?"), as a world tournament's file says."""
    names = sorted(keys)
    close = {k: difflib.get_close_matches(k, allowed, n=1) for k in names}
    if len(names) == 1:  # the message's prefix names it: negotiation.n_step: ...
        head = "unknown key"
        hints = [f"did you mean {m[0]!r}?" for m in close.values() if m]
    else:
        head = f"unknown keys {names}"
        hints = [f"did you mean {m[0]!r} for {k!r}?" for k, m in close.items() if m]
    return f"{head}; {' '.join(hints) + ' ' if hints else ''}allowed: {', '.join(allowed)}"


class NegotiationConfigError(ValueError):
    """A negotiation tournament file is malformed (the message names the file and the key)."""


def is_negotiation_config(path: str | Path) -> bool:
    """Whether ``path`` is a TOML file declaring a ``[negotiation]`` tournament."""
    p = Path(path)
    if p.suffix != ".toml" or not p.is_file():
        return False
    try:
        return "negotiation" in tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # Not readable as TOML: the world tournament's loader names the file and why.
        return False


def load_negotiation_config(
    path: str | Path, allowed_packages: Sequence[str] | None = None
) -> dict[str, Any]:
    """The keyword arguments of :func:`cartesian_tournament` declared in ``path``.

    With ``allowed_packages``, a competitor from any other package (Palaver's own
    are always allowed) is refused before it is imported, as
    :meth:`TournamentConfig.validate` refuses a world tournament's names.
    """
    file = Path(path)
    try:
        data = tomllib.loads(read_regular(file).decode("utf-8"))
    except FileKindError as exc:
        raise NegotiationConfigError(f"cannot read {exc}") from None
    except OSError as exc:
        raise NegotiationConfigError(f"cannot read {file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise NegotiationConfigError(f"{file} is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise NegotiationConfigError(f"{file} is not valid TOML: {exc}") from None
    table = data.get("negotiation")
    if not isinstance(table, dict):
        raise NegotiationConfigError(f"{file}: no [negotiation] table")
    # A key outside the table (`[negotiaton.generate]`, a top-level `n_steps`) would
    # otherwise be dropped without a word.
    outside = sorted(set(data) - {"negotiation"})
    if outside:
        raise NegotiationConfigError(
            f"{file}: {outside[0]}: unknown top-level key; every setting of a negotiation "
            "tournament goes in the [negotiation] table (and its [negotiation.generate] and "
            "[[negotiation.competitor]] tables)"
        )

    def fail(key: str, why: str) -> NegotiationConfigError:
        return NegotiationConfigError(f"{file}: negotiation.{key}: {why}")

    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise fail(unknown[0], _unknown({unknown[0]}, sorted(_KEYS)))
    competitors, keys = _entries(table, "competitors", "competitor", fail)
    if not competitors:
        raise fail("competitors", "name at least one competitor")
    opponents, opponent_keys = _entries(table, "opponents", "opponent", fail)
    _check_allowed(competitors + opponents, keys + opponent_keys, allowed_packages, fail)
    kwargs: dict[str, Any] = {"competitors": competitors}
    if opponents:
        kwargs["opponents"] = opponents
    for key in _PASSED:
        if key in table:
            value = table[key]
            kwargs[key] = (
                tuple(value)
                if isinstance(value, list) and key in ("n_steps", "time_limit")
                else value
            )
    if "final_score" in table:
        fs = table["final_score"]
        if not isinstance(fs, list) or len(fs) != 2 or not all(isinstance(x, str) for x in fs):
            raise fail("final_score", f"must be [metric, statistic], got {fs!r}")
        kwargs["final_score"] = (fs[0], fs[1])
    for key in (*_PASSED, "final_score"):
        if key in kwargs:
            try:
                _check_one(key, kwargs[key])
            except ValueError as exc:
                raise fail(key, str(exc)) from None
    # Loaded once the options are good (they bound how many scenarios may be generated).
    kwargs["scenarios"] = _scenarios(file, table, fail, len(competitors), len(opponents))
    _check_built(kwargs, keys, opponent_keys, fail)
    return kwargs


def _entries(
    table: dict[str, Any], plural: str, singular: str, fail: Any
) -> tuple[list[Any], list[str]]:
    """The negotiators listed under ``plural`` (names) and ``singular`` (tables
    with ``type``, ``name``, ``params``), and the key each was declared under."""
    entries: list[Any] = []
    keys: list[str] = []
    for key in (plural, singular):
        if not isinstance(table.get(key, []), list):
            raise fail(key, f"must be a list, got {table[key]!r}")
    for item in table.get(plural, []):
        if not isinstance(item, str):
            raise fail(plural, f"each entry must be a name or 'module:Class', got {item!r}")
        entries.append(item)
        keys.append(plural)
    for i, item in enumerate(table.get(singular, [])):
        if not isinstance(item, dict) or "type" not in item:
            raise fail(f"{singular}[{i}]", "needs a 'type' (a name or 'module:Class')")
        extra = set(item) - {"type", "name", "params"}
        if extra:
            where = f"{singular}[{i}]" + (f".{min(extra)}" if len(extra) == 1 else "")
            raise fail(where, _unknown(extra, ["type", "name", "params"]))
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise fail(f"{singular}[{i}].params", f"must be a table, got {params!r}")
        entries.append(NegotiationCompetitor(item["type"], dict(params), str(item.get("name", ""))))
        keys.append(f"{singular}[{i}]")
    named = [c.name for c in entries if isinstance(c, NegotiationCompetitor) and c.name]
    for c, key in zip(entries, keys, strict=True):
        if isinstance(c, NegotiationCompetitor) and c.name and named.count(c.name) > 1:
            raise fail(
                f"{key}.name", f"{c.name!r} names more than one {singular}; names key the results"
            )
    return entries, keys


def _check_allowed(
    competitors: list[Any], keys: list[str], allowed: Sequence[str] | None, fail: Any
) -> None:
    """Refuse a competitor named from a package not in ``allowed`` (before importing it)."""
    from palaver.tournaments.negotiation.competitors import BUILTIN
    from palaver.tournaments.vetting import VettingError, check_allowed

    for competitor, key in zip(competitors, keys, strict=True):
        spec = competitor.type if isinstance(competitor, NegotiationCompetitor) else competitor
        if isinstance(spec, str):
            spec = BUILTIN.get(spec.lower(), spec)
        try:
            check_allowed(spec, "competitor", allowed)
        except VettingError as exc:
            raise fail(key, str(exc)) from None


def _check_built(
    kwargs: dict[str, Any], keys: list[str], opponent_keys: list[str], fail: Any
) -> None:
    """Build one negotiator of each competitor and one mechanism with
    ``mechanism_params``, as the tournament will, so that a bad name, parameter or
    value is the file's key's error (the tournament checks again, without the file)."""
    from palaver.tournaments.negotiation.arguments import (
        check_competitor_params,
        check_competitors_build,
        check_mechanism_values,
    )
    from palaver.tournaments.negotiation.competitors import as_competitors

    for role, listed, where in (
        ("competitor", kwargs["competitors"], keys),
        ("opponent", kwargs.get("opponents", []), opponent_keys),
    ):
        for competitor, key in zip(listed, where, strict=True):
            try:
                built = as_competitors([competitor], role=role)
                check_competitor_params(built, role)
                check_competitors_build(built, role)
            except ValueError as exc:
                raise fail(key, str(exc)) from None
    try:
        check_mechanism_values(kwargs.get("mechanism_params") or {}, kwargs["scenarios"][0])
    except ValueError as exc:
        raise fail("mechanism_params", str(exc)) from None


def _check_one(key: str, value: Any) -> None:
    """Check one option as :func:`cartesian_tournament` will, the others at their
    defaults, so that an error is the file's key's (``ValueError``)."""
    from inspect import signature

    from palaver.tournaments.negotiation.arguments import check_arguments
    from palaver.tournaments.negotiation.runner import cartesian_tournament

    checked = signature(check_arguments).parameters
    options = {
        name: p.default
        for name, p in signature(cartesian_tournament).parameters.items()
        if name in checked
    }
    # How the tournament runs is the command line's choice, not the file's.
    options.update(executor="serial", progress=False, path=None, workers=None)
    check_arguments(**{**options, key: value})


def _scenarios(
    file: Path, table: dict[str, Any], fail: Any, n_competitors: int, n_opponents: int = 0
) -> list[Any]:
    from palaver.scenarios import Scenario, ScenarioError
    from palaver.tournaments.negotiation.plan import (
        MAX_NEGOTIATIONS,
        Opponents,
        count_negotiations,
    )

    out: list[Any] = []
    sources: list[str] = []  # where each scenario of out came from
    entries = table.get("scenarios", [])
    if not isinstance(entries, list):
        raise fail("scenarios", f"must be a list of paths, got {entries!r}")
    for entry in entries:
        if not isinstance(entry, str):
            raise fail("scenarios", f"each entry must be a path, got {entry!r}")
        pattern = entry if Path(entry).is_absolute() else str(file.parent / entry)
        paths = sorted(glob.glob(pattern)) if any(c in entry for c in "*?[") else [pattern]
        if not paths:
            raise fail("scenarios", f"{entry!r} matches nothing")
        for p in paths:
            try:
                out.append(Scenario.load(p))
            except (ScenarioError, OSError, ValueError) as exc:
                raise fail("scenarios", f"cannot load {p}: {exc}") from None
            sources.append(p)
    gen = table.get("generate")
    if gen is not None:
        from palaver.scenarios.generators import anl_scenarios

        if not isinstance(gen, dict):
            raise fail("generate", "must be a table")
        extra = set(gen) - {"n_scenarios", "n_outcomes", "seed"}
        if extra:
            where = "generate" + (f".{min(extra)}" if len(extra) == 1 else "")
            raise fail(where, _unknown(extra, ["n_scenarios", "n_outcomes", "seed"]))
        n_outcomes = gen.get("n_outcomes", [900, 1100])
        try:
            n = check_int("n_scenarios", gen.get("n_scenarios", 10), minimum=1)
            for value in n_outcomes if isinstance(n_outcomes, list) else [n_outcomes]:
                check_int("n_outcomes", value, minimum=1)
            seed = check_int("seed", gen.get("seed"), minimum=0, none_ok=True)
            # Before generating: n_scenarios = 10**9 generated for hours, then was refused.
            how = (table.get("n_repetitions", 1), table.get("rotate_ufuns", True),
                   table.get("self_play", True))  # fmt: skip
            lineup = Opponents(n_opponents) if n_opponents else None  # at most this many
            total = count_negotiations(n_competitors, [len(s.ufuns) for s in out], *how, lineup)
            total += n * count_negotiations(n_competitors, [2], *how, lineup)
            if total > MAX_NEGOTIATIONS:
                raise ValueError(
                    f"n_scenarios={n} makes {total} negotiations, more than the "
                    f"{MAX_NEGOTIATIONS:,} a tournament may run"
                )
            out += anl_scenarios(
                n,
                tuple(n_outcomes) if isinstance(n_outcomes, list) else n_outcomes,
                seed=seed,
            )
        except (ScenarioError, TypeError, ValueError) as exc:
            raise fail("generate", str(exc)) from None
    if not out:
        raise fail("scenarios", "give scenario paths or a [negotiation.generate] table")
    sources += ["[negotiation.generate]"] * (len(out) - len(sources))
    _check_unique_names(out, sources, fail)
    return out


def _check_unique_names(scenarios: list[Any], sources: list[str], fail: Any) -> None:
    """Scenarios key the results by name: two of one name are refused naming the
    files they came from (the tournament's own error named neither the TOML file
    nor the paths, and suggested renaming in code a file's user cannot edit)."""
    by_name: dict[str, list[str]] = {}
    for scenario, source in zip(scenarios, sources, strict=True):
        by_name.setdefault(scenario.name, []).append(source)
    for name, where in by_name.items():
        if len(where) > 1:
            raise fail(
                "scenarios",
                f"scenario name {name!r} is shared by {len(where)} scenarios ({', '.join(where)}); "
                "names key the results, so each must be distinct: list a scenario once, "
                "or rename one (its folder, or the name in its _scenario.json or JSON file)",
            )
