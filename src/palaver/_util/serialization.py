"""Plain data to and from JSON or YAML files (public home: :mod:`palaver.serialization`).

``.json`` is written with the standard library; ``.yaml`` / ``.yml`` need
PyYAML (not a Palaver dependency: ``pip install pyyaml``). A name without an
extension gets ``.json``. What is written is plain data (dicts, lists,
strings, numbers, booleans, ``None``), such as the ``to_dict()`` of a value
or utility function; tuples are written as lists. NegMAS also writes pickle
and CSV files here; Palaver does not (pickle is not plain data, and
DataFrames have their own writers).
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path
from typing import Any

from palaver._util.atomic import write_bytes
from palaver._util.checks import checked_path
from palaver._util.files import read_regular

__all__ = ["dump", "load"]

_YAML = (".yaml", ".yml")


def _path(file_name: str | os.PathLike[str]) -> Path:
    path = checked_path("file_name", file_name).expanduser()
    if path.suffix == "":
        path = path.with_name(path.name + ".json")
    if path.suffix not in (".json", *_YAML):
        raise ValueError(
            f"file_name {str(file_name)!r}: the extension must be .json, .yaml or .yml, "
            f"got {path.suffix!r}"
        )
    return path


def _yaml() -> Any:
    try:
        return importlib.import_module("yaml")
    except ImportError:  # pragma: no cover - PyYAML is there wherever the tests run
        raise ImportError("writing or reading YAML needs PyYAML: pip install pyyaml") from None


def _lists(value: Any) -> Any:
    """``value`` with tuples as lists (YAML's safe writer refuses tuples)."""
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def dump(
    d: Any, file_name: str | os.PathLike[str], sort_keys: bool = True, compact: bool = False
) -> None:
    """Write the plain data ``d`` to ``file_name`` as JSON or YAML (by its extension).

    Missing folders are made; the file is replaced whole (a FIFO, a folder or a
    device of that name is refused, an ``OSError`` naming it). ``sort_keys``
    sorts dict keys; ``compact`` writes without indentation (JSON) or in flow
    style (YAML).
    """
    path = _path(file_name)
    try:
        if path.suffix in _YAML:
            yaml = _yaml()
            try:
                text = yaml.safe_dump(_lists(d), default_flow_style=compact, sort_keys=sort_keys)
            except yaml.YAMLError as e:
                raise TypeError(str(e)) from None
        else:
            text = json.dumps(d, sort_keys=sort_keys, indent=None if compact else 2)
    except (TypeError, ValueError, RecursionError) as e:
        # Before any folder is made or file touched: the error names the file and
        # what was not plain data, not only json's "Object of type X is not ...".
        raise TypeError(
            f"dump to {str(path)!r}: d must be plain data (dicts with text keys, lists, "
            f"text, numbers, bools, None); {type(e).__name__}: {e}"
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole, as Palaver writes every file: write_text() blocked for ever on a
    # FIFO of that name, and a crash mid-write left half a file.
    write_bytes(path, text.encode("utf-8"))


def load(file_name: str | os.PathLike[str]) -> Any:
    """The plain data in a JSON or YAML file (by its extension).

    Unlike NegMAS, which returns ``{}`` for a missing file, a missing file
    raises ``FileNotFoundError``; an empty one gives ``{}`` as in NegMAS. A
    folder, a FIFO, a socket or a device is refused at once (an ``OSError``
    naming it: a FIFO would block the read for ever), and a file that is not
    UTF-8 JSON or YAML is a ``ValueError`` naming it.
    """
    path = _path(file_name)
    try:
        text = read_regular(path).decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    if not text.strip():
        return {}
    try:
        if path.suffix in _YAML:
            yaml = _yaml()
            try:
                return yaml.safe_load(text)
            except yaml.YAMLError as e:
                raise ValueError(f"{path}: malformed YAML: {e}") from None
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: malformed JSON: {e}") from None
