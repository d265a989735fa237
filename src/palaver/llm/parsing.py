"""Reading a model's reply: the JSON object in it, and the outcome it proposes."""

from __future__ import annotations

import contextlib
import math
from typing import Any

import orjson

from palaver.llm.types import Outcome
from palaver.outcomes import Issue, OutcomeSpace

DECISIONS = ("accept", "reject", "end")


class ReplyError(ValueError):
    """A reply that cannot be used; the message says why, for the model to read."""


def extract_json(text: str) -> dict[str, Any]:
    """The JSON object in ``text``: the whole text, a fenced block, or the first ``{...}``."""
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
    while start != -1:
        depth = 0
        in_string = False
        escaped = False
        for i in range(start, len(text)):
            ch = text[i]
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    try:
                        return orjson.loads(text[start : i + 1])
                    except orjson.JSONDecodeError:
                        break
        start = text.find("{", start + 1)
    raise ReplyError("the reply holds no JSON object")


def _issue_value(issue: Issue, value: Any) -> Any:
    if issue.is_continuous:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ReplyError(f"{issue.name!r} must be a number, got {value!r}")
        if not math.isfinite(value) or value not in issue:
            lo, hi = issue.numeric_bounds()
            raise ReplyError(f"{issue.name!r} must be between {lo} and {hi}, got {value!r}")
        return float(value)
    values = issue.values
    if isinstance(values, range):
        number = value
        if isinstance(number, str):
            with contextlib.suppress(ValueError):
                number = float(number)
        if (
            isinstance(number, int | float)
            and not isinstance(number, bool)
            and math.isfinite(number)
            and float(number).is_integer()
            and int(number) in values
        ):
            return int(number)
        raise ReplyError(
            f"{issue.name!r} must be an integer from {values.start} to {values.stop - 1}, "
            f"got {value!r}"
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
    raise ReplyError(f"{issue.name!r} must be one of {shown}, got {value!r}")


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
    return value if isinstance(value, str) else orjson.dumps(value).decode()
