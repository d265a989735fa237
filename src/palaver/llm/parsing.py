"""Reading a model's reply: the JSON object in it, and the outcome it proposes."""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import orjson

from palaver.llm.types import Outcome
from palaver.outcomes import Issue, OutcomeSpace

DECISIONS = ("accept", "reject", "end")


class ReplyError(ValueError):
    """A reply that cannot be used; the message says why, for the model to read."""


#: The longest reply read (characters). A chat completion capped by
#: ``max_tokens`` is a few kilobytes; a server sending megabytes is refused.
MAX_REPLY_CHARS = 200_000

#: How many ``{`` positions of a reply are tried as the start of its JSON object.
MAX_JSON_STARTS = 64

_DECODER = json.JSONDecoder(parse_constant=lambda name: _not_json(name))


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def extract_json(text: str) -> dict[str, Any]:
    """The JSON object in ``text``: the whole text, a fenced block, or the first ``{...}``.

    Bounded work whatever the reply: at most :data:`MAX_REPLY_CHARS` characters
    are read and :data:`MAX_JSON_STARTS` candidate objects tried, each parsed
    in linear time.
    """
    if not isinstance(text, str):
        raise ReplyError(f"the reply must be text, got {type(text).__name__}")
    if len(text) > MAX_REPLY_CHARS:
        raise ReplyError(
            f"the reply is {len(text)} characters long, more than the {MAX_REPLY_CHARS} read"
        )
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`")
        if stripped.lower().startswith("json"):
            stripped = stripped[4:]
    try:
        value = orjson.loads(stripped)
    except orjson.JSONDecodeError:
        value = _first_object(text)
    if not isinstance(value, dict):
        raise ReplyError(f"the reply must be a JSON object, got {type(value).__name__}")
    return value


def _first_object(text: str) -> Any:
    start = text.find("{")
    tries = 0
    while start != -1 and tries < MAX_JSON_STARTS:
        tries += 1
        try:
            value, _ = _DECODER.raw_decode(text, start)
            return value
        except (ValueError, RecursionError):
            start = text.find("{", start + 1)
    raise ReplyError("the reply holds no JSON object")


def _finite(value: Any) -> bool:
    # An integer past the float range (JSON has no limit on digits) is not
    # finite here: math.isfinite would raise OverflowError converting it.
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _issue_value(issue: Issue, value: Any) -> Any:
    if issue.is_continuous:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ReplyError(f"{issue.name!r} must be a number, got {value!r:.80}")
        if not _finite(value) or value not in issue:
            lo, hi = issue.numeric_bounds()
            raise ReplyError(f"{issue.name!r} must be between {lo} and {hi}, got {value!r:.80}")
        return float(value)
    values = issue.all_values
    if isinstance(values, range):
        number = value
        if isinstance(number, str):
            with contextlib.suppress(ValueError):
                number = float(number)
        if (
            isinstance(number, int | float)
            and not isinstance(number, bool)
            and _finite(number)
            and float(number).is_integer()
            and int(number) in values
        ):
            return int(number)
        raise ReplyError(
            f"{issue.name!r} must be an integer from {values.start} to {values.stop - 1}, "
            f"got {value!r:.80}"
        )
    if not isinstance(value, bool) and value in issue:
        for v in values:  # the issue's own object (1 for 1.0)
            if v == value and type(v) is not bool:
                return v
        return value
    text = str(value).strip().lower()
    for v in values:
        if str(v).lower() == text:
            return v
    shown = list(values) if len(values) <= 12 else f"{list(values)[:12]} ..."
    raise ReplyError(f"{issue.name!r} must be one of {shown}, got {value!r:.80}")


def parse_outcome(value: Any, space: OutcomeSpace) -> Outcome:
    """The outcome ``value`` describes: a dict keyed by issue name (or a list in issue order)."""
    issues = space.issues
    names = space.issue_names
    if isinstance(value, list):
        if len(value) != len(issues):
            raise ReplyError(f"an offer lists {len(issues)} values {list(names)}, got {value!r}")
        return tuple(_issue_value(i, v) for i, v in zip(issues, value, strict=True))
    if not isinstance(value, dict):
        raise ReplyError(f"the offer must be a JSON object keyed by {list(names)}, got {value!r}")
    missing = [n for n in names if n not in value]
    extra = [k for k in value if k not in names]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unknown {extra}")
        raise ReplyError(
            f"the offer must name exactly the issues {list(names)}: {', '.join(parts)}"
        )
    return tuple(_issue_value(issue, value[issue.name]) for issue in issues)


def parse_proposal(reply: dict[str, Any], space: OutcomeSpace) -> Outcome:
    """The ``offer`` of a proposal reply."""
    if "offer" not in reply:
        raise ReplyError('the reply must have an "offer"')
    return parse_outcome(reply["offer"], space)


def parse_answer(reply: dict[str, Any], space: OutcomeSpace) -> tuple[str, Outcome | None]:
    """The decision of a response reply and, with ``reject``, the counter-offer."""
    decision = reply.get("decision")
    if not isinstance(decision, str) or decision.strip().lower() not in DECISIONS:
        raise ReplyError(f'"decision" must be one of {list(DECISIONS)}, got {decision!r}')
    decision = decision.strip().lower()
    if decision != "reject":
        return decision, None
    if reply.get("offer") is None:
        raise ReplyError('a "reject" decision needs a counter-offer in "offer"')
    return decision, parse_outcome(reply["offer"], space)


def text_field(reply: dict[str, Any], name: str) -> str | None:
    """An optional free-text field of a reply (``None`` when absent or empty)."""
    value = reply.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        # orjson writes integers of at most 64 bits; the standard library writes
        # any (a reply's "message": 1e400 written out in digits).
        return json.dumps(value)
