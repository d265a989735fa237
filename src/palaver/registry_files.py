"""NegMAS's ``save_registry`` / ``load_registry`` / ``clear_registry``: the
process-wide registries (:mod:`palaver.registry`, :mod:`palaver.scenarios.registry`)
as JSON files in a folder (``mechanisms.json``, ``negotiators.json``,
``components.json``, ``scenarios.json``).

Classes are saved by their full type name (they must be importable when
loading), scenarios by their path. Without a path, ``save_registry()`` and
``load_registry()`` use :data:`DEFAULT_REGISTRY_PATH`, ``~/palaver/registry``
(NegMAS's is ``~/negmas/registry``: a Palaver save there would replace the
files of NegMAS's registry, whose classes Palaver cannot import). Nothing is
written but by an explicit ``save_registry`` call.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path
from typing import Any

import orjson

from palaver._util.atomic import write_bytes
from palaver._util.checks import check_bool
from palaver.registry import (
    Registry,
    RegistryInfo,
    class_named,
    component_registry,
    mechanism_registry,
    negotiator_registry,
)
from palaver.scenarios.registry import ScenarioInfo, ScenarioRegistry, scenario_registry

__all__ = ["DEFAULT_REGISTRY_PATH", "clear_registry", "load_registry", "save_registry"]

#: The folder ``save_registry()`` and ``load_registry()`` use without a path.
DEFAULT_REGISTRY_PATH = Path.home() / "palaver" / "registry"

_CLASSES: dict[str, Registry[Any]] = {
    "mechanisms": mechanism_registry,
    "negotiators": negotiator_registry,
    "components": component_registry,
}


def _chosen(**include: object) -> list[str]:
    return [name[len("include_") :] for name, on in include.items() if check_bool(name, on)]


def _folder(path: object, what: str) -> Path:
    if path is None:
        return DEFAULT_REGISTRY_PATH
    if not isinstance(path, str | Path):
        raise TypeError(f"{what}: path must be a str or Path, got {type(path).__name__}")
    return Path(path)


def _class_entry(info: RegistryInfo) -> dict[str, Any]:
    data = {f.name: getattr(info, f.name) for f in dataclasses.fields(info) if f.name != "cls"}
    data["tags"] = sorted(info.tags)
    return data


def _scenario_entry(info: ScenarioInfo) -> dict[str, Any]:
    data = dataclasses.asdict(info)
    data["path"], data["tags"] = str(info.path), sorted(info.tags)
    return data


def save_registry(
    path: str | Path | None = None,
    *,
    include_mechanisms: bool = True,
    include_negotiators: bool = True,
    include_components: bool = True,
    include_scenarios: bool = True,
) -> Path:
    """Write the chosen registries to ``<path>/<kind>.json`` (the folder is made
    when missing; :data:`DEFAULT_REGISTRY_PATH` without a path) and return the
    folder. Each file maps a key to its entry; ``params`` and ``extra`` must be
    JSON data (``TypeError`` naming the key otherwise)."""
    folder = _folder(path, "save_registry")
    kinds = _chosen(
        include_mechanisms=include_mechanisms,
        include_negotiators=include_negotiators,
        include_components=include_components,
        include_scenarios=include_scenarios,
    )
    folder.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        if kind == "scenarios":
            entries = {k: _scenario_entry(i) for k, i in scenario_registry.items()}
        else:
            entries = {k: _class_entry(i) for k, i in _CLASSES[kind].items()}
        for key, entry in entries.items():
            try:
                orjson.dumps(entry)
            except TypeError as exc:
                raise TypeError(
                    f"save_registry: {kind} entry {key!r} is not JSON data: {exc}"
                ) from None
        write_bytes(folder / f"{kind}.json", orjson.dumps(entries, option=orjson.OPT_INDENT_2))
    return folder


def _same_entry(registry: Registry[Any], cls: type, data: dict[str, Any]) -> bool:
    """Whether ``cls`` already has a registration that says what ``data`` says
    (its saved fields but the key, compared as the JSON they are saved as)."""
    wanted = {k: v for k, v in data.items() if k != "key"}
    for info in registry.get_all_by_class(cls):
        entry = orjson.loads(orjson.dumps(_class_entry(info), default=str))
        entry.pop("key", None)
        if entry == wanted:
            return True
    return False


def _load_classes(kind: str, entries: dict[str, Any], file: Path) -> int:
    registry = _CLASSES[kind]
    count = 0
    for key, data in entries.items():
        if key in registry:
            continue
        cls = class_named(data["full_type_name"])
        if cls is None:
            warnings.warn(
                f"load_registry: {file}: {key!r} skipped: class "
                f"{data['full_type_name']!r} cannot be imported",
                RuntimeWarning,
                stacklevel=3,
            )
            continue
        if _same_entry(registry, cls, data):
            continue
        options = {
            "short_name": data["short_name"],
            "source": data.get("source", "unknown"),
            "description": data.get("description"),
            "params": data.get("params") or {},
            "tags": set(data.get("tags", ())),
            "extra": data.get("extra") or {},
        }
        if kind == "components":
            options["component_type"] = data.get("component_type", "generic")
        # Under its saved key: loading the folder again finds the entry and skips it.
        registry._add(key, cls, **options)
        count += 1
    return count


#: The text fields of a saved entry, and whether each must be there.
_CLASS_TEXTS = {"full_type_name": True, "short_name": True, "source": False}
_SCENARIO_TEXTS = {"path": True, "name": False, "source": False, "description": False}


def _check_entries(kind: str, entries: dict[str, Any], file: Path) -> None:
    """``ValueError`` naming ``file`` and the entry when one is not what
    :func:`save_registry` writes (it failed mid-load with a ``KeyError`` or an
    ``AttributeError``, or registered a text where a number belongs)."""
    texts = _SCENARIO_TEXTS if kind == "scenarios" else _CLASS_TEXTS
    for key, data in entries.items():
        where = f"load_registry: {file}: entry {key!r:.80}"
        if not isinstance(data, dict):
            raise ValueError(f"{where} must be an object, got {data!r:.80}")
        for field_name, required in texts.items():
            value = data.get(field_name)
            if (required or value is not None) and not isinstance(value, str):
                raise ValueError(f"{where}: {field_name} must be a text, got {value!r:.80}")
        if not isinstance(data.get("tags", []), list) or not all(
            isinstance(t, str) for t in data.get("tags", [])
        ):
            raise ValueError(f"{where}: tags must be a list of texts, got {data['tags']!r:.80}")
        for field_name in ("params", "extra"):
            if data.get(field_name) is not None and not isinstance(data[field_name], dict):
                raise ValueError(
                    f"{where}: {field_name} must be an object, got {data[field_name]!r:.80}"
                )
        if kind == "scenarios":
            options = {k: v for k, v in data.items() if k not in ("path", "tags", "extra")}
            try:  # the numbers, by the checks register() applies, on a throwaway registry
                ScenarioRegistry().register(data["path"], **options, **data.get("extra", {}))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{where}: {exc}") from None


def load_registry(
    path: str | Path | None = None,
    *,
    include_mechanisms: bool = True,
    include_negotiators: bool = True,
    include_components: bool = True,
    include_scenarios: bool = True,
    clear_existing: bool = False,
) -> dict[str, int]:
    """Register what :func:`save_registry` wrote in ``path`` (by default
    :data:`DEFAULT_REGISTRY_PATH`) and return how many entries of each kind were added.

    Loading never duplicates: a class entry is registered under the key it was
    saved with, and skipped when that key is registered already or when its
    class has a registration saying the same (short name, source,
    description, params, tags, extra); a scenario is keyed by its path, and
    one already registered is kept. So loading a folder twice (or loading it
    where the same registrations were made by code) keeps one copy, and what
    is registered in the process wins over the file. (NegMAS means to skip
    known keys but registers each loaded class under a new key, so a second
    load adds every class again.) A missing file adds nothing; an entry whose
    class cannot be imported is skipped with a ``RuntimeWarning``.
    ``FileNotFoundError`` when the folder does not exist."""
    folder = _folder(path, "load_registry")
    if not folder.is_dir():
        raise FileNotFoundError(f"load_registry: registry folder {folder} does not exist")
    clear = check_bool("clear_existing", clear_existing)
    kinds = _chosen(
        include_mechanisms=include_mechanisms,
        include_negotiators=include_negotiators,
        include_components=include_components,
        include_scenarios=include_scenarios,
    )
    counts = dict.fromkeys(("mechanisms", "negotiators", "components", "scenarios"), 0)
    loaded: dict[str, tuple[Path, dict[str, Any]]] = {}
    for kind in kinds:
        file = folder / f"{kind}.json"
        if not file.is_file():
            continue
        try:
            entries = orjson.loads(file.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"load_registry: {file} is not JSON: {exc}") from None
        if not isinstance(entries, dict):
            raise ValueError(f"load_registry: {file} must hold an object of entries by key")
        _check_entries(kind, entries, file)
        loaded[kind] = (file, entries)
    # Every file is read and checked before anything is cleared or registered:
    # a damaged file loses nothing already registered.
    for kind, (file, entries) in loaded.items():
        if clear:
            (scenario_registry if kind == "scenarios" else _CLASSES[kind]).clear()
        if kind != "scenarios":
            counts[kind] = _load_classes(kind, entries, file)
            continue
        for key, data in entries.items():
            if key in scenario_registry:
                continue
            options = {k: v for k, v in data.items() if k not in ("path", "tags", "extra")}
            scenario_registry.register(
                data["path"], tags=set(data.get("tags", ())), **options, **data.get("extra", {})
            )
            counts["scenarios"] += 1
    return counts


def clear_registry(
    *,
    include_mechanisms: bool = True,
    include_negotiators: bool = True,
    include_components: bool = True,
    include_scenarios: bool = True,
) -> None:
    """Empty the chosen process-wide registries, built-in registrations included
    (``palaver.registry_builtins.register_builtins()`` puts those back)."""
    for kind in _chosen(
        include_mechanisms=include_mechanisms,
        include_negotiators=include_negotiators,
        include_components=include_components,
        include_scenarios=include_scenarios,
    ):
        (scenario_registry if kind == "scenarios" else _CLASSES[kind]).clear()
