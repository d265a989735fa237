"""NegMAS's registry of scenarios: scenario files and folders by path, name and tag.

A :class:`ScenarioRegistry` is a ``dict`` from a scenario's resolved path (as
text) to a :class:`ScenarioInfo`: its name (not unique: usually the folder or
file name), what it holds when known (``n_outcomes``, ``n_negotiators``,
``opposition_level``, ``rational_fraction``) and tags. Registering reads
nothing but the names of the files in a folder (the format tag: ``xml``,
``json`` or ``yaml``); :meth:`ScenarioRegistry.load` loads the scenario.
``scenario_registry`` is NegMAS's process-wide registry (empty: Palaver ships
no scenario files).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

from palaver._util.checks import check_bool, check_int, check_real
from palaver._util.tags import TaggedInfo, TaggedRegistry, Tags, has_tags, tag_set
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.scenario import MAX_OUTCOMES, Scenario

__all__ = [
    "ScenarioInfo",
    "ScenarioRegistry",
    "register_all_scenarios",
    "register_scenario",
    "scenario_registry",
]

Range = float | tuple[float | None, float | None]


@dataclass
class ScenarioInfo(TaggedInfo):
    """One registered scenario: where it is, what is known of it, and its tags."""

    name: str
    path: Path
    source: str = "unknown"
    description: str = ""
    tags: set[str] = field(default_factory=set)
    n_outcomes: int | None = None
    n_negotiators: int | None = None
    opposition_level: float | None = None
    rational_fraction: float | None = None
    read_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _format(path: Path) -> str | None:
    suffixes = {".xml": "xml", ".json": "json", ".yml": "yaml", ".yaml": "yaml"}
    if path.is_file():
        return suffixes.get(path.suffix.lower())
    if path.is_dir():
        for suffix in (".xml", ".json", ".yml", ".yaml"):
            if any(path.glob(f"*{suffix}")):
                return suffixes[suffix]
    return None


def _in_range(value: float | None, wanted: Range) -> bool:
    """NegMAS's numeric filter: ``wanted`` is a value, or ``(low, high)`` with
    ``None`` for an open end; an unknown value never matches."""
    if value is None:
        return False
    if isinstance(wanted, tuple):
        low, high = wanted
        return (low is None or value >= low) and (high is None or value <= high)
    return value == wanted


def _path(name: str, value: Any) -> Path:
    """``value`` as a path; ``TypeError`` naming ``name`` when it is not one."""
    if not isinstance(value, str | Path):
        raise TypeError(
            f"{name} must be a path (a str or pathlib.Path), got {value!r} ({type(value).__name__})"
        )
    return Path(value)


def check_text(name: str, value: Any) -> None:
    """Refuse a ``value`` that is not a ``str``, naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a text, got {value!r} ({type(value).__name__})")


def _count(name: str, value: Any, *, minimum: int, inf_ok: bool = False) -> Any:
    """``None``, an int at least ``minimum`` (or ``inf`` when ``inf_ok``: a continuous space)."""
    if value is None or (inf_ok and isinstance(value, float) and value == math.inf):
        return value
    return check_int(name, value, minimum=minimum)


def _number(name: str, value: Any, *, unit: bool = False) -> float | None:
    """``None`` or a finite number (in ``[0, 1]`` when ``unit``)."""
    if value is None:
        return None
    number = check_real(name, value)
    if unit and not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be a fraction in [0, 1] or None, got {value!r}")
    return number


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and not math.isnan(value)


def _check_range(name: str, wanted: Any) -> None:
    """Refuse a filter that is neither a number nor a ``(low, high)`` pair of
    numbers or ``None`` (a text matched nothing, silently, or failed comparing)."""
    if wanted is None or _is_number(wanted):
        return
    if not (
        isinstance(wanted, tuple)
        and len(wanted) == 2
        and all(b is None or _is_number(b) for b in wanted)
    ):
        raise TypeError(
            f"{name} must be a number or a (low, high) pair (None: an open end), got {wanted!r}"
        )


def _deprecated(keyword: str, tag: str) -> None:
    warnings.warn(
        f"Parameter '{keyword}' is deprecated. Use tags={{'{tag}'}} instead.",
        DeprecationWarning,
        stacklevel=3,
    )


class ScenarioRegistry(TaggedRegistry[ScenarioInfo]):
    """Registered scenarios by resolved path, with queries by name, tag and range."""

    def __init__(self) -> None:
        super().__init__()
        self._by_name: dict[str, list[str]] = {}

    def register(
        self,
        path: str | Path,
        name: str | None = None,
        source: str = "unknown",
        description: str = "",
        tags: Tags | None = None,
        n_outcomes: int | None = None,
        n_negotiators: int | None = None,
        opposition_level: float | None = None,
        rational_fraction: float | None = None,
        read_only: bool = False,
        normalized: bool | None = None,
        anac: bool | None = None,
        has_stats: bool = False,
        has_plot: bool = False,
        **extra: Any,
    ) -> ScenarioInfo:
        """Register the scenario at ``path`` (a file or folder, which need not
        exist yet) and return its info; a path already registered returns the
        info it has. ``name`` defaults to the file's stem or the folder's name.
        Tags: the format found (``xml``, ``json``, ``yaml``), ``file`` for a file,
        plus ``tags``; NegMAS's deprecated ``normalized``, ``anac``,
        ``has_stats`` and ``has_plot`` add their tags with a ``DeprecationWarning``.
        """
        resolved = _path("path", path).resolve()
        key = str(resolved)
        if key in self:
            return self[key]
        own = tag_set("tags", tags) if tags is not None else set()
        # Stored as given, a text or NaN here failed (or matched wrongly) in a later query().
        for label, text in (("source", source), ("description", description)):
            check_text(label, text)
        if name is not None:
            check_text("name", name)
        n_outcomes = _count("n_outcomes", n_outcomes, minimum=0, inf_ok=True)
        n_negotiators = _count("n_negotiators", n_negotiators, minimum=1)
        opposition_level = _number("opposition_level", opposition_level)
        rational_fraction = _number("rational_fraction", rational_fraction, unit=True)
        read_only = check_bool("read_only", read_only)
        found = _format(resolved)
        if found is not None:
            own.add(found)
        if resolved.is_file():
            own.add("file")
        for keyword, value, tag in (
            ("normalized", normalized, "normalized"),
            ("anac", anac, "anac"),
            ("has_stats", has_stats or None, "has-stats"),
            ("has_plot", has_plot or None, "has-plot"),
        ):
            if value is not None:
                _deprecated(keyword, tag)
                if value:
                    own.add(tag)
        info = ScenarioInfo(
            name=(resolved.stem if resolved.is_file() else resolved.name) if name is None else name,
            path=resolved,
            source=source,
            description=description,
            tags=own,
            n_outcomes=n_outcomes,
            n_negotiators=n_negotiators,
            opposition_level=opposition_level,
            rational_fraction=rational_fraction,
            read_only=read_only,
            extra=dict(extra),
        )
        self[key] = info
        self._by_name.setdefault(info.name, []).append(key)
        return info

    def unregister(self, path_or_name: str | Path) -> bool:
        """Remove the scenario at a path, or every scenario of a name; whether
        anything was removed (``read_only`` is informational: it does not stop this)."""
        key = str(Path(path_or_name).resolve()) if isinstance(path_or_name, Path) else path_or_name
        if key in self:
            info = self.pop(key)
            keys = self._by_name.get(info.name, [])
            if key in keys:
                keys.remove(key)
            if not keys:
                self._by_name.pop(info.name, None)
            return True
        keys = self._by_name.pop(key, [])
        for k in keys:
            self.pop(k, None)
        return bool(keys)

    def clear(self) -> None:
        """Remove every scenario."""
        super().clear()
        self._by_name.clear()

    def get_by_name(self, name: str) -> list[ScenarioInfo]:
        """The scenarios registered under ``name``."""
        # Entries deleted with the dict API (del registry[key]) are skipped.
        return [self[k] for k in self._by_name.get(name, []) if k in self]

    def query(
        self,
        *,
        tags: Tags | None = None,
        any_tags: Tags | None = None,
        exclude_tags: Tags | None = None,
        n_outcomes: Range | None = None,
        n_negotiators: Range | None = None,
        opposition_level: Range | None = None,
        rational_fraction: Range | None = None,
        format: str | None = None,
        anac: bool | None = None,
        normalized: bool | None = None,
        file: bool | None = None,
        **criteria: Any,
    ) -> dict[str, ScenarioInfo]:
        """The scenarios matching every filter: tags as :meth:`Registry.query`,
        each number a value or a ``(low, high)`` range (``None`` an open end; an
        unknown number never matches), other fields by equality. NegMAS's
        deprecated ``format``, ``anac``, ``normalized`` and ``file`` ask for
        their tag (with a ``DeprecationWarning``)."""
        every = tag_set("tags", tags) if tags is not None else None
        for keyword, value, tag in (
            ("format", format, format),
            ("anac", anac, "anac"),
            ("normalized", normalized, "normalized"),
            ("file", file, "file"),
        ):
            if value is not None:
                _deprecated(keyword, str(tag))
                if value:
                    every = (every or set()) | {str(tag)}
        numbers = {
            "n_outcomes": n_outcomes,
            "n_negotiators": n_negotiators,
            "opposition_level": opposition_level,
            "rational_fraction": rational_fraction,
        }
        for label, wanted in numbers.items():
            _check_range(label, wanted)
        return {
            key: info
            for key, info in self.items()
            if has_tags(info.tags, every, any_tags, exclude_tags)
            and all(_in_range(getattr(info, a), w) for a, w in numbers.items() if w is not None)
            and all(hasattr(info, a) and getattr(info, a) == v for a, v in criteria.items())
        }

    def list_names(self) -> list[str]:
        """Every name in use."""
        return list(self._by_name)

    def register_many(
        self, registrations: Iterable[Mapping[str, Any]], source: str | None = None
    ) -> list[ScenarioInfo]:
        """:meth:`register` each mapping (``path`` and keywords); ``source`` is
        the default source."""
        infos = []
        for registration in registrations:
            options = dict(registration)
            if source is not None:
                options.setdefault("source", source)
            infos.append(self.register(options.pop("path"), **options))
        return infos

    def unregister_many(self, paths_or_names: Iterable[str | Path]) -> int:
        """:meth:`unregister` each; how many removed something."""
        return sum(self.unregister(item) for item in paths_or_names)

    def load(self, key_or_name: str | Path) -> Scenario:
        """The scenario of a key, path or name (the first of that name), loaded
        with :meth:`Scenario.load`; ``KeyError`` when none is registered."""
        key = str(Path(key_or_name).resolve()) if isinstance(key_or_name, Path) else key_or_name
        info = self.get(key) or next(iter(self.get_by_name(key)), None)
        if info is None:
            raise KeyError(f"No scenario found for: {key_or_name}")
        return Scenario.load(info.path)


#: NegMAS's registry of scenarios (empty until code registers some).
scenario_registry = ScenarioRegistry()


def register_scenario(path: str | Path, **options: Any) -> ScenarioInfo:
    """:meth:`ScenarioRegistry.register` on :data:`scenario_registry`."""
    return scenario_registry.register(path, **options)


def _described(scenario: Scenario) -> tuple[set[str], int | None]:
    """The tags and number of outcomes :func:`register_all_scenarios` records."""
    tags = {"bilateral" if scenario.n_negotiators == 2 else "multilateral"}
    if scenario.n_negotiators < 2:
        tags.clear()
    n = scenario.n_outcomes
    finite = isinstance(n, int) or (isinstance(n, float) and n.is_integer())
    if finite and n <= MAX_OUTCOMES and scenario.is_normalized():
        tags.add("normalized")
    return tags, int(n) if finite else None


def register_all_scenarios(
    path: str | Path,
    source: str = "unknown",
    tags: Tags | None = None,
    recursive: bool = True,
    read_only: bool = False,
    registry: ScenarioRegistry | None = None,
) -> list[ScenarioInfo]:
    """Register every scenario found at or under the folder ``path`` (in
    ``registry``, :data:`scenario_registry` by default) and return their infos.

    A folder that loads as a scenario (:meth:`Scenario.load`) is registered
    under its name with its number of negotiators and outcomes and the tags
    ``bilateral`` / ``multilateral``, ``normalized`` when it is, its format
    and ``tags`` (``normalized`` is checked up to ``MAX_OUTCOMES`` outcomes);
    a folder that does not is searched when ``recursive`` (without it only
    ``path`` itself is tried, as in NegMAS), skipping names starting with
    ``.`` or ``_``. ``ValueError`` when ``path`` is not an existing folder.
    """
    root = _path("path", path)
    extra_tags = tag_set("tags", tags or ())
    check_text("source", source)
    check_bool("read_only", read_only)
    if registry is not None and not isinstance(registry, ScenarioRegistry):
        raise TypeError(
            f"registry must be a ScenarioRegistry or None, got {registry!r} "
            f"({type(registry).__name__})"
        )
    if not root.is_dir():
        raise ValueError(
            f"register_all_scenarios: {root} is not a folder"
            + ("" if root.exists() else " (it does not exist)")
        )
    deep = check_bool("recursive", recursive)
    target = scenario_registry if registry is None else registry
    found: list[ScenarioInfo] = []
    pending = [root]
    while pending:
        folder = pending.pop(0)
        try:
            scenario = Scenario.load(folder)
        except ScenarioError:
            if deep:
                children = sorted(c for c in folder.iterdir() if c.is_dir())
                pending.extend(c for c in children if not c.name.startswith((".", "_")))
            continue
        own, n_outcomes = _described(scenario)
        found.append(
            target.register(
                folder,
                name=folder.name,
                source=source,
                tags=own | extra_tags,
                n_outcomes=n_outcomes,
                n_negotiators=scenario.n_negotiators,
                read_only=read_only,
            )
        )
    return found
