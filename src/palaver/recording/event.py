"""The recorded event and the JSON encoding used for event content.

Content is encoded to JSON text *when it is recorded*: the text is an immutable
copy (a caller may mutate its dict afterwards without changing the recording)
and it is also the form stored on disk, so each value is serialised exactly once.
Encoding is most of a recorded event's cost, so it is done by orjson (about
0.15 µs for a small dict, against 0.9 µs for the standard library's C encoder
reused across calls); the few values orjson refuses or writes differently take
the standard library path. The stored text is the standard library's compact
form either way, up to the spelling of some floats (``1e-05`` may be written
``0.00001``: the same number).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

import orjson

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
    # ISO form and UUIDs their canonical text; the rest follows
    # palaver.events.plain (numpy -> numbers/lists, sets -> lists, enums ->
    # values, dataclasses -> dicts, anything else -> its repr string), so
    # nothing is dropped and nothing raises.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    converted = plain(value)
    if converted is value:  # plain() keeps scalars; avoid an encoder loop.
        return repr(value)
    return converted


def _fast_default(value: Any) -> Any:
    # orjson's default: the standard library's encoder writes float and tuple
    # subclasses (numpy.float64, named tuples) natively, orjson hands them here;
    # converting them shallowly keeps both encoders' output the same.
    if isinstance(value, float):
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    return _default(value)


if c_make_encoder is not None:
    _raw_encode = c_make_encoder(
        None, _default, encode_basestring, None, ":", ",", False, False, True
    )

    def _encode_std(value: Any) -> str:
        return "".join(_raw_encode(value, 0))

else:  # pragma: no cover - only without the C accelerator
    _pure = json.JSONEncoder(default=_default, separators=(",", ":"), ensure_ascii=False)

    def _encode_std(value: Any) -> str:
        return _pure.encode(value)


def _json_key(key: Any) -> str:
    # A dict key as json.dumps writes it when it accepts it (None -> "null",
    # True -> "true", 1.5 -> "1.5"), and as its str() otherwise (a tuple, an
    # object): the same key is spelt the same way whatever else the content holds.
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float):
        return _encode_std(key)
    return str(key)


def _json_keys(value: Any) -> Any:
    """``value`` with every dict key made text as :func:`_json_key` says (the
    values are left to the encoder)."""
    if isinstance(value, dict):
        return {_json_key(k): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_keys(v) for v in value]
    return value


def _encode_text(value: Any) -> str:
    """The standard library's encoding of ``value``, never failing."""
    try:
        try:
            return _encode_std(value)
        except TypeError:  # dict keys the encoder refuses (tuples, objects, ...)
            return _encode_std(_json_keys(value))
    except (ValueError, RecursionError):  # a self-referencing container
        return _encode_std({"unserialisable": repr(value)})


ESCAPE = "\x00null:"
"""How a lone surrogate is stored: this text, then the surrogate's four hex
digits (``"\ud800"`` is stored as ``"\x00null:d800"``); this text itself, in
recorded content, is stored followed by ``!``. JSON may escape a lone
surrogate (``"\\ud800"``), but DuckDB's JSON functions (and orjson) refuse
such text, so the event could not be queried. It starts with a NUL and
``null``: a string holding it makes the encoders' text contain ``null``, which
the hot paths already test for (see :func:`encode`), so only content holding
it pays for it."""
ESCAPE_TEXT = "\\u0000null:"
""":data:`ESCAPE` as it reads inside JSON text (both encoders write a NUL as ``\\u0000``)."""
# ESCAPE in JSON text where its backslash starts an escape sequence: after an
# even run of backslashes (each pair an escaped backslash, text of a string).
_LITERAL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000null:")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_text(text: str) -> str:
    """JSON ``text`` (the standard library's, lone surrogates raw in it) with
    :data:`ESCAPE` followed by ``!`` and each lone surrogate written as
    :data:`ESCAPE` and its hex digits."""
    if ESCAPE_TEXT in text:
        text = _LITERAL.sub(lambda m: m.group(0) + "!", text)
    return _SURROGATE.sub(lambda m: f"{ESCAPE_TEXT}{ord(m.group()):04x}", text)


_STORED = re.compile("\x00null:([0-9a-f]{4}|!)")


def _restored(code: re.Match[str]) -> str:
    found = code.group(1)
    return ESCAPE if found == "!" else chr(int(found, 16))


def unescape(value: Any) -> Any:
    """Decoded content with each :data:`ESCAPE` in its strings (keys too) made
    its lone surrogate again, or itself where ``!`` follows it. Done on the
    decoded strings, not the text: two lone surrogates in a row would be read
    from JSON text as one character."""
    if isinstance(value, str):
        return _STORED.sub(_restored, value) if ESCAPE in value else value
    if isinstance(value, dict):
        return {unescape(k): unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unescape(v) for v in value]
    return value


def encode_slow(value: Any) -> str:
    """:func:`encode` for the values orjson does not encode exactly: the
    standard library's encoding (see :func:`encode`).

    Lone surrogates (text that is not valid Unicode) are stored as
    :data:`ESCAPE` and their hex digits, and :data:`ESCAPE` itself followed by
    ``!``, so that the stored text is valid UTF-8 and JSON that DuckDB's JSON
    functions read, and decodes back to them (see :func:`decode`).
    """
    text = _encode_text(value)
    if text.isascii():  # O(1): CPython knows whether a str is ASCII
        return _escape_text(text) if ESCAPE_TEXT in text else text
    try:
        text.encode()
    except UnicodeEncodeError:
        return _escape_text(text)
    return _escape_text(text) if ESCAPE_TEXT in text else text


def nonfinite(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` may hold a float NaN or infinity (which orjson writes
    as ``null``), looking through dicts, lists and tuples. A value of any other
    type, or nested deeper than orjson's limit, counts as maybe holding one
    (the caller then takes the standard library's path, which is always right).

    The recorder asks only when orjson's text contains ``null``: usually a
    ``None`` in the payload, for which orjson's text is already the standard
    library's.
    """
    kind = type(value)
    if kind is float:
        return value != value or value in (_INF, -_INF)
    if kind is dict:
        items = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return not (value is None or kind is str or kind is int or kind is bool)
    if depth > 254:
        return True
    # A loop over the items, recursing only into containers: most items of a
    # payload are scalars, and a call (or a generator step) each cost more
    # than the whole test.
    for item in items:
        kind = type(item)
        if kind is float:
            if item != item or item in (_INF, -_INF):
                return True
        elif kind is dict or kind is list or kind is tuple:
            if nonfinite(item, depth + 1):
                return True
        elif not (item is None or kind is str or kind is int or kind is bool):
            # Anything else (numpy values, dataclasses, subclasses) went through
            # the encoder's default conversion: the standard library's path decides.
            return True
    return False


_INF = float("inf")

FAST_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
"""orjson options of the recorder: dates and dataclasses go to ``default`` so that
they get exactly the standard library path's string form."""

fast_dumps = orjson.dumps
"""orjson's encoder, for the recorder's hot paths (see :func:`encode`)."""
fast_default = _fast_default
"""The ``default`` those hot paths pass to :data:`fast_dumps`."""


def encode(value: Any) -> str:
    """Encode ``value`` as compact JSON text, never failing.

    Values that are not JSON data are stored in a documented string form:
    datetimes/dates/times as ISO-8601 strings, UUIDs as their canonical text,
    numpy values as numbers or lists, sets as lists, enums as their value,
    dataclasses as dicts, and anything else as ``repr(value)``. Dict keys that
    are numbers, booleans or ``None`` are written as ``json.dumps`` writes them,
    other keys that are not strings as ``str(key)``. A value containing itself is stored as
    ``{"unserialisable": repr(value)}``. NaN and infinities are written as
    ``NaN`` / ``Infinity`` like ``json.dumps``.

    orjson encodes (about 6x faster than the standard library's C encoder);
    what it refuses or could write differently goes through the standard
    library instead (:func:`encode_slow`): dict keys that are not ``str``,
    integers beyond 64 bits, lone surrogates, nesting deeper than 254 levels,
    and any text containing ``null``, which is how orjson writes NaN and
    infinities. The recorder's hot paths inline this function.

    The text is returned as ``str``, not orjson's ``bytes``: orjson allocates
    each result with room to spare and shrinks it, and thousands of such
    results kept until a flush fragment the heap (recording then gets ~10x
    slower); decoding copies the text into a compact string and frees them.
    """
    try:
        text = fast_dumps(value, default=_fast_default, option=FAST_OPTIONS).decode()
    except Exception:  # orjson refuses it; the standard library path never fails
        return encode_slow(value)
    if "null" in text and (nonfinite(value) or ESCAPE_TEXT in text):
        return encode_slow(value)
    return text


_DIGITS_AS_NINES = str.maketrans("012345678", "999999999")
_NINETEEN_NINES = "9" * 19
_LONG_DIGITS = re.compile(r"\d{19}").search
"""Finds a run of 19 digits: maybe an integer beyond 64 bits, which orjson
would read back as a float."""


def decode(text: str) -> Any:
    """Parse stored JSON text (what :func:`encode` wrote) back into Python data.

    orjson parses about 5x faster than the standard library, which reading an
    agent's whole history is mostly made of; the standard library reads what
    orjson refuses or reads differently: ``NaN`` / ``Infinity``, lone-surrogate
    escapes, numbers out of float range, and (any text with 19 consecutive
    digits) integers beyond 64 bits.
    """
    if ESCAPE_TEXT in text:
        return unescape(_parse(text))
    return _parse(text)


def _parse(text: str) -> Any:
    if _LONG_DIGITS(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def decode_many(texts: list[str]) -> list[Any]:
    """:func:`decode` of each text: one scan for long digit runs over all of
    them, then orjson over each in a C-level loop (the standard library reads
    them all when any needs it)."""
    joined = "\x00".join(texts)
    # Every digit made a 9, then one substring search: ~15x faster than the
    # regular expression over the same text (which tries a match at each digit).
    if ESCAPE_TEXT not in joined and joined.translate(_DIGITS_AS_NINES).find(_NINETEEN_NINES) < 0:
        try:
            return list(map(orjson.loads, texts))
        except orjson.JSONDecodeError:
            pass
    return [decode(text) for text in texts]
