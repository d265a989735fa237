"""Boundary checks of the recording API's arguments (see docs/recording.md, "Errors").

Each error names the parameter, the value and what is allowed. The recorder's
hot path (``record_event``) tests the common types inline and calls these
only for the others, so a well-typed event pays one set lookup.
"""

from __future__ import annotations

import os
from typing import Any

PLAIN_IDS: frozenset[type] = frozenset({str, int, type(None)})
"""Agent id types accepted without a closer look: Palaver's, Mesa's, none."""


def check_agent_id(value: Any, name: str = "agent_id") -> Any:
    """``value`` when it can be an agent id: hashable (Mesa's ints, Palaver's
    strings, or any other hashable id, recorded by its ``str()``); ``bool`` is
    refused (``True`` would be stored as the agent ``"True"``), and so is an
    object whose text is Python's default (it holds a memory address). ``name`` is the
    parameter named by the error."""
    if isinstance(value, bool):
        raise TypeError(
            f"{name} must be a hashable id (an int, a str, ...) or None, not a bool: {value!r}"
        )
    if isinstance(value, str):
        _check_text(name, value)
    try:
        hash(value)
    except TypeError:
        raise TypeError(
            f"{name} must be a hashable id (an int, a str, ...) or None, "
            f"got {value!r} ({type(value).__name__})"
        ) from None
    cls = type(value)
    text: Any = cls.__str__
    shown: Any = cls.__repr__
    if text is object.__str__ and shown is object.__repr__:
        # Its text (what is stored) is "<X object at 0x...>": another id in
        # every run, so two runs of one seed would record different agents.
        # Usually the agent itself was passed instead of its id.
        raise TypeError(
            f"{name} {value!r} ({cls.__name__}) would be recorded by its text, which holds "
            "its memory address and differs from run to run; pass a stable id (an int or "
            "a str: for an agent, its unique_id)"
        )
    return value


_RECIPIENT = "each of recipient_ids"


def check_metadata(value: Any) -> dict[str, Any]:
    """``value`` when it is a dict (``record_event``'s ``metadata``; ``None`` is
    handled by the caller)."""
    if not isinstance(value, dict):
        raise TypeError(f"metadata must be a dict or None, got {value!r} ({type(value).__name__})")
    return value


def check_recipients(value: Any) -> list[Any]:
    """``recipient_ids`` as a list: ``None`` (no recipient), a list, a tuple or
    a set of hashable agent ids."""
    if value is None:
        return []
    if type(value) is list or type(value) is tuple:
        # The usual case (a list of ints or strs): one set lookup per id.
        for item in value:
            if item.__class__ not in PLAIN_IDS:
                check_agent_id(item, _RECIPIENT)
        return list(value)
    if not isinstance(value, list | tuple | set | frozenset):
        raise TypeError(
            f"recipient_ids must be a list of agent ids or None, "
            f"got {value!r} ({type(value).__name__})"
        )
    for item in value:
        check_agent_id(item, _RECIPIENT)
    return list(value)


def check_event_type(value: Any) -> str:
    """``value`` when it is a non-empty str (a :class:`palaver.events.EventType` as its text)."""
    if not isinstance(value, str):
        raise TypeError(f"event_type must be a str, got {value!r} ({type(value).__name__})")
    if not value:
        raise ValueError("event_type must be a non-empty str, got ''")
    _check_text("event_type", value)
    return str(value)


def check_event_ids(event_type: str, agent_id: Any, negotiation_id: Any, contract_id: Any) -> None:
    """Refuse a bus event whose ids cannot be stored: ``TypeError`` for an
    ``agent_id``, ``negotiation_id`` or ``contract_id`` that is neither a str nor
    ``None``, ``ValueError`` for one (or an event type) holding a lone
    surrogate (all are stored as UTF-8 text: buffered, such an event failed
    every later write of the recording)."""
    _check_text("event_type", event_type)
    ids = (("agent_id", agent_id), ("negotiation_id", negotiation_id), ("contract_id", contract_id))
    for name, value in ids:
        if value is None:
            continue
        if not isinstance(value, str):
            raise TypeError(
                f"a {event_type!r} event's {name} must be a str or None, got {value!r} "
                f"({type(value).__name__}); the recorder refused the event"
            )
        _check_text(f"a {event_type!r} event's {name}", value)


def _check_text(name: str, value: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate): an agent id or
    event type is stored as UTF-8 text, which cannot hold it (every later write
    of the recording failed)."""
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"{name} must be valid Unicode text (it is stored as UTF-8), got {value!r}, "
            f"which holds a lone surrogate at position {exc.start}"
        ) from None


def check_path(name: str, value: Any, *, none_ok: bool = False) -> Any:
    """``value`` when it is a ``str`` or an ``os.PathLike`` (or ``None`` with ``none_ok``)."""
    if value is None and none_ok:
        return value
    if not isinstance(value, str | os.PathLike):
        allowed = "a str or a path (os.PathLike)" + (" or None" if none_ok else "")
        raise TypeError(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")
    return value


STORAGE_MODES = ("memory", "jsonl")
"""The ``storage_mode`` values of later mesa-llm versions (Palaver streams in both)."""


def check_storage_mode(storage_mode: Any, output_dir: Any) -> None:
    """Check the recorder's ``storage_mode`` (``None``: not given)."""
    if storage_mode is None:
        return
    if not isinstance(storage_mode, str):
        raise TypeError(
            f"storage_mode must be 'memory' or 'jsonl', got {storage_mode!r} "
            f"({type(storage_mode).__name__})"
        )
    if storage_mode not in STORAGE_MODES:
        raise ValueError(f"storage_mode must be either 'memory' or 'jsonl', not {storage_mode!r}")
    if storage_mode == "jsonl" and output_dir is None:
        raise ValueError(
            "storage_mode='jsonl' streams the events to disk, which needs an output_dir "
            "(output_dir=None keeps everything in memory)"
        )


#: The export formats an export file's name says (its suffix, in lower case).
_SUFFIX_FORMATS = {".json": "json", ".parquet": "parquet", ".pq": "parquet"}


def check_export_name(filename: Any, format: str) -> None:
    """Refuse an export whose file name says another format than ``format``
    (``save("run.parquet")`` with the default ``format="json"`` wrote JSON into a
    file every Parquet reader, ``open()`` included, then refused)."""
    said = _SUFFIX_FORMATS.get(os.path.splitext(os.fspath(filename))[1].lower())
    if said is not None and said != format:
        raise ValueError(
            f"save(filename={os.fspath(filename)!r}, format={format!r}): the file name "
            f"says {said}; pass format={said!r}, or a file name ending in .{format}"
        )
