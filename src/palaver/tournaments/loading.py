"""Reading a tournament's declaration: plain data, a TOML file, or a dotted name.

Every error is a :class:`TournamentConfigError` naming the file (for a TOML
file), the field and the value; nothing is imported or called before the
declaration is complete and well-typed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from palaver._util.files import FileKindError, read_regular
from palaver.tournaments.config import Competitor, TournamentConfig
from palaver.tournaments.names import TournamentConfigError, resolve_name

__all__ = ["as_config", "config_from_dict", "load_config"]

_COMPETITOR_KEYS = {"type", "name", "params", "join"}


def config_from_dict(data: Mapping[str, Any]) -> TournamentConfig:
    """A config from plain data (the TOML layout; see :func:`load_config`)."""
    known = {f.name for f in fields(TournamentConfig)} - {"source"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TournamentConfigError(
            f"unknown tournament field(s) {unknown}; known fields: {sorted(known)}"
        )
    for required in ("world", "competitors"):
        if required not in data:
            raise TournamentConfigError(f"tournament config needs a {required!r} field")
    entries = data["competitors"]
    if isinstance(entries, str | bytes | Mapping) or not isinstance(entries, Sequence):
        raise TournamentConfigError(
            "competitors must be a list ([[competitors]] tables or dotted class names), "
            f"got {entries!r}"
        )
    kwargs = dict(data)
    kwargs["competitors"] = [_competitor_from(c) for c in entries]
    return TournamentConfig(**kwargs)


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
    and ``join`` (the keyword arguments of ``world.join``). The config
    remembers the file (``source``), so that :meth:`TournamentConfig.validate`
    names it in its errors.
    """
    if not isinstance(path, str | os.PathLike):
        # Path(5) raised Python's "expected str, bytes or os.PathLike object", naming nothing.
        raise TournamentConfigError(
            f"path must be the path of a TOML file (a str or pathlib.Path), got {path!r} "
            f"({type(path).__name__})"
        )
    path = Path(path)
    try:
        data = tomllib.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise TournamentConfigError(f"tournament config {str(path)!r} does not exist") from None
    except FileKindError as exc:
        raise TournamentConfigError(f"tournament config {exc}") from None
    except OSError as exc:
        raise TournamentConfigError(f"tournament config {str(path)!r}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise TournamentConfigError(
            f"tournament config {str(path)!r} is not UTF-8 text (byte {exc.start})"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise TournamentConfigError(f"tournament config {str(path)!r}: {exc}") from None
    try:
        return replace(config_from_dict(data), source=str(path))
    except TournamentConfigError as exc:
        raise TournamentConfigError(f"{path}: {exc}") from exc


def as_config(
    source: TournamentConfig | str | Path, allowed_packages: Sequence[str] | None = None
) -> TournamentConfig:
    """A config from a :class:`TournamentConfig`, a TOML path, or a dotted name.

    A dotted name (``"package.module:NAME"``) may point to a config or to a
    function that returns one (refused unless from ``allowed_packages``, when given).
    """
    if isinstance(source, TournamentConfig):
        return source
    if not isinstance(source, str | Path):
        raise TournamentConfigError(
            f"config must be a TournamentConfig, a TOML file path or a dotted name, got {source!r}"
        )
    text = str(source)
    if isinstance(source, Path) or text.endswith(".toml") or Path(text).is_file():
        return load_config(text)
    obj = resolve_name(text, "tournament config", allowed_packages)
    if callable(obj) and not isinstance(obj, TournamentConfig):
        obj = obj()
    if not isinstance(obj, TournamentConfig):
        raise TournamentConfigError(
            f"tournament config {text!r} is a {type(obj).__name__}, not a TournamentConfig"
        )
    return obj
