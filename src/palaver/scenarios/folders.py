"""Paths and folders of scenario files: argument checks, Palaver's metadata, profile order.

Package-internal helpers of :mod:`palaver.scenarios.io`. Folders written by
Palaver also hold ``_scenario.json`` (the scenario's name, info, its ufun names and
its profile files in role order); without it, a folder's profiles are taken in
file-name order. A NegMAS ``_info.json`` (or ``_info.yaml``, when PyYAML is
installed) next to the files is read as the scenario's info.
"""

from __future__ import annotations

import difflib
import importlib
import json
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from palaver.scenarios import native
from palaver.scenarios.errors import ScenarioError, ScenarioWarning
from palaver.scenarios.files import read_bytes, read_json, write_bytes

PathLike = str | Path
META = "_scenario.json"
FORMATS = ("json", "xml", "genius", "geniusweb")


def _path(value: Any) -> Path:
    """``value`` as a Path, or a :class:`ScenarioError` saying what was given."""
    if isinstance(value, Path):
        return value
    if not isinstance(value, str) or not value:
        raise ScenarioError(f"a path must be a non-empty str or pathlib.Path, got {value!r}")
    return Path(value)


def _paths(values: Any) -> list[Path]:
    if isinstance(values, str | Path) or not isinstance(values, Iterable):
        raise ScenarioError(f"expected a list of paths, got {values!r}")
    return [_path(v) for v in values]


def _folder(path: PathLike) -> Path:
    folder = _path(path)
    if not folder.is_dir():
        what = "not a folder (it does not exist)" if not folder.exists() else "not a folder"
        raise ScenarioError(f"{folder}: {what}")
    return folder


def _out_folder(path: PathLike) -> Path:
    """``path`` as a folder to write into, created if missing."""
    folder = _path(path)
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(f"{folder}: exists and is not a folder; cannot write a scenario there")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    return folder


@contextmanager
def out_folder(path: PathLike) -> Iterator[Path]:
    """:func:`_out_folder`, removing the folders it made when the block raises:
    a scenario refused while being written leaves no empty folder behind."""
    folder = _path(path)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    made = _out_folder(folder)
    try:
        yield made
    except BaseException:
        for created in missing:  # deepest first; one holding a file stays
            try:
                created.rmdir()
            except OSError:
                break
        raise


def _read_meta(folder: Path) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    info_file = folder / "_info.json"
    if info_file.exists() or info_file.is_symlink():
        meta["info"] = read_json(info_file)
        if not isinstance(meta["info"], dict):
            raise ScenarioError(
                f"{info_file}: expected a JSON object (the scenario's info), got {meta['info']!r}"
            )
    else:
        for name in ("_info.yaml", "_info.yml"):
            if (folder / name).exists():
                info = _yaml_info(folder / name)
                if info is not None:
                    meta["info"] = info
                break
    meta_file = folder / META
    if meta_file.exists() or meta_file.is_symlink():
        data = read_json(meta_file)
        if not isinstance(data, dict):
            raise ScenarioError(f"{meta_file}: expected a JSON object")
        _check_meta(meta_file, data)
        meta.update(data)
    return meta


#: What ``_scenario.json`` holds (as :meth:`Scenario.to_genius_folder` writes it).
_META_KEYS = ("name", "info", "profiles", "ufun_names")


def _check_meta(path: Path, data: dict[str, Any]) -> None:
    """Refuse an unknown key (a misspelled ``profile`` would silently fall back to
    file-name order, swapping the roles) and values of the wrong type, naming the
    file (``ufun_names`` is checked against the profiles found, later)."""
    for key in data:
        if key not in _META_KEYS:
            close = difflib.get_close_matches(str(key), _META_KEYS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ScenarioError(f"{path}: {key}: unknown key; {hint}allowed: {list(_META_KEYS)}")
    name, info, profiles = data.get("name"), data.get("info"), data.get("profiles")
    if name is not None and not isinstance(name, str):
        raise ScenarioError(f"{path}: name: expected a string, got {name!r}")
    if info is not None and not isinstance(info, dict):  # never a path to read elsewhere
        raise ScenarioError(f"{path}: info: expected a JSON object, got {info!r}")
    if profiles is not None and (
        not isinstance(profiles, list) or not all(isinstance(p, str) for p in profiles)
    ):
        raise ScenarioError(f"{path}: profiles: expected a list of file names, got {profiles!r}")


def _yaml_info(path: Path) -> dict[str, Any] | None:
    """NegMAS's scenario info in YAML, read with PyYAML (not a Palaver
    dependency: without it the file is skipped with a warning)."""
    try:
        yaml: Any = importlib.import_module("yaml")  # optional and untyped
    except ImportError:
        warnings.warn(
            f"{path}: NegMAS's scenario info is not read (install PyYAML to read it)",
            ScenarioWarning,
            stacklevel=4,
        )
        return None
    try:
        data = yaml.safe_load(read_bytes(path, what="a scenario info file"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: malformed YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping (the scenario's info)")
    return {str(k): v for k, v in data.items()}


def _two_parties(folder: Path, domain: Path, profiles: list[Path], pattern: str) -> None:
    """Refuse a folder that yields one profile, naming the files not recognised.

    A negotiation needs two parties; a single profile usually means another
    profile file was not recognised (damaged, or of another format), and a
    scenario silently missing a party would be worse than an error.
    """
    if len(profiles) >= 2:
        return
    others = sorted(
        p.name
        for p in folder.glob(pattern)
        if p not in profiles and p != domain and not p.name.startswith((".", "_"))
    )
    raise ScenarioError(
        f"{folder}: only one profile file ({profiles[0].name}); a negotiation needs two. "
        f"Files not recognised as a domain or profile: {others}"
    )


def _ordered(folder: Path, profiles: list[Path], meta: dict[str, Any]) -> list[Path]:
    order = meta.get("profiles")
    if order is None:
        return profiles
    listed = [folder / str(n) for n in order]
    if sorted(listed) != sorted(profiles):
        raise ScenarioError(
            f"{folder / META}: lists profiles {order}, the folder has {[p.name for p in profiles]}"
        )
    return listed


def _safe(name: str, fallback: str) -> str:
    """``name`` as a file name stem the folder readers do not skip: characters a file
    name cannot hold replaced by ``_``, and no leading ``.`` or ``_`` (hidden files
    and Palaver's own ``_scenario.json``, ``_stats.json``, ``_info.json`` are not
    read as scenario files); ``fallback`` when nothing is left."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip("._") or fallback


def _profile_names(names: Sequence[str], ext: str, reserved: str) -> list[str]:
    """One profile file name per ufun name, each one the readers take as a profile
    (a Genius ``*pareto.xml`` is skipped as a Pareto file, so it gets a ``_``)."""
    stems = [_safe(n, "profile") for n in names]
    if ext == ".xml":
        stems = [s + "_" if s.endswith("pareto") else s for s in stems]
    files = [s + ext for s in stems]
    if len(set(files)) != len(files) or reserved in files:
        raise ScenarioError(
            f"ufun names {list(names)} give the profile file names {files}, which are not "
            f"distinct (or one is {reserved}); give the Scenario other ufun_names"
        )
    return files


def _is_native_file(path: Path) -> bool:
    if path.name.startswith((".", "_")):
        return False
    return native.is_native(read_json(path))


def _encode(path: Path, data: Any) -> bytes:
    """``data`` as the JSON text ``path`` gets, or a :class:`ScenarioError` naming it."""
    try:
        text = json.dumps(data, indent=1, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot be written as JSON: {exc}") from None
    return text.encode("utf-8")


def _dump(path: Path, data: Any) -> None:
    write_bytes(path, _encode(path, data))
