"""The recorded event and the JSON encoding used for event content.

Content is encoded to JSON text *when it is recorded*: the text is an immutable
copy (a caller may mutate its dict afterwards without changing the recording)
and it is also the form stored on disk, so each value is serialised exactly once.
The C encoder of the standard library is reused across calls because
``json.dumps`` spends about half its time building a fresh encoder per call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from palaver.events import plain

try:  # CPython ships the C encoder; other interpreters fall back to the pure one.
    from json.encoder import c_make_encoder  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised only without _json
    c_make_encoder = None


@dataclass(slots=True)
class SimulationEvent:
    """One recorded event.

    Attributes:
        event_id: ``"{simulation_id}_{index:06d}"``, ``index`` being the event's
            position in the recording (from 0).
        timestamp: When the event was recorded (aware UTC datetime).
        step: The model's step at that moment.
        agent_id: The agent the event concerns, or ``None`` for model events.
        event_type: ``"observation"``, ``"plan"``, ``"action"``, ``"message"``,
            ``"state_change"``, a :class:`palaver.events.EventType` value, ...
        content: The event data (a dict; see :func:`encode` for how values that
            are not JSON data are stored).
        metadata: Extra context given by the caller (``None`` when none). Events
            captured from a world's bus carry ``source``, ``run_id``, ``seq``
            and, when set, ``negotiation_id`` / ``contract_id``.
    """

    event_id: str
    timestamp: dt.datetime
    step: int
    agent_id: Any
    event_type: str
    content: dict[str, Any]
    metadata: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """The event as a plain dict (what ``dataclasses.asdict`` gives)."""
        return dataclasses.asdict(self)


def _default(value: Any) -> Any:
    # Called by the encoder for anything that is not JSON data. Dates keep their
    # ISO form; the rest follows palaver.events.plain (numpy -> numbers/lists,
    # sets -> lists, enums -> values, dataclasses -> dicts, anything else ->
    # its repr string), so nothing is dropped and nothing raises.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    converted = plain(value)
    if converted is value:  # plain() keeps scalars; avoid an encoder loop.
        return repr(value)
    return converted


if c_make_encoder is not None:
    # raw_encode(value, 0) returns the JSON text as a list of chunks; the
    # recorder's hot path calls it directly and falls back to encode() on error.
    raw_encode = c_make_encoder(
        None, _default, encode_basestring, None, ":", ",", False, False, True
    )

else:  # pragma: no cover
    _pure = json.JSONEncoder(default=_default, separators=(",", ":"))

    def raw_encode(value: Any, _level: int) -> tuple[str]:
        """Pure-Python stand-in for the C encoder's call signature."""
        return (_pure.encode(value),)


def _encode_fast(value: Any) -> str:
    return "".join(raw_encode(value, 0))


def encode(value: Any) -> str:
    """Encode ``value`` as compact JSON text, never failing.

    Values that are not JSON data are stored in a documented string form:
    datetimes/dates/times as ISO-8601 strings, numpy values as numbers or lists,
    sets as lists, enums as their value, dataclasses as dicts, and anything else
    as ``repr(value)``. Dict keys that are not strings become ``str(key)``. A
    value containing itself is stored as ``{"unserialisable": repr(value)}``.
    NaN and infinities are written as ``NaN`` / ``Infinity`` like ``json.dumps``.
    """
    try:
        return _encode_fast(value)
    except TypeError:  # dict keys the encoder refuses (tuples, objects, ...)
        return _encode_fast(plain(value))
    except (ValueError, RecursionError):  # a self-referencing container
        return _encode_fast({"unserialisable": repr(value)})


decode = json.loads
