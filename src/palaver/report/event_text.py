"""Recorded events as text for the terminal: one event of a JSON export (a dict)
as the lines a viewer shows, and the time helpers the views share.

Used by :mod:`palaver.report.agent_viewer`. Formatting never raises on odd
content: a value that is not what an event type usually holds is shown as
it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "clock",
    "event_time",
    "format_event",
    "is_recipient",
    "message_text",
    "sorted_ids",
    "time_order",
]


def event_time(event: Mapping[str, Any]) -> datetime | None:
    """When the event happened (aware; a time without zone is UTC), or ``None``."""
    stamp = event.get("timestamp")
    if isinstance(stamp, datetime):
        when = stamp
    elif isinstance(stamp, str):
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return None
    else:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def time_order(events: Sequence[Mapping[str, Any]]) -> list[int]:
    """The positions of ``events`` in time order, ties kept in recorded order;
    the recorded order itself when an event has no readable timestamp (events
    that cannot all be placed in time are not reordered)."""
    times = [event_time(e) for e in events]
    known = [t for t in times if t is not None]
    if len(known) < len(times):
        return list(range(len(events)))
    return sorted(range(len(events)), key=known.__getitem__)


def clock(event: Mapping[str, Any], layout: str = "%H:%M:%S") -> str:
    """The event's time as ``layout`` writes it, or ``"?"`` when it has none."""
    when = event_time(event)
    return "?" if when is None else when.strftime(layout)


def sorted_ids(ids: Iterable[Any]) -> list[Any]:
    """Agent ids in order: numbers as numbers; a mix of numbers and texts by their text."""
    ids = list(ids)
    try:
        return sorted(ids)
    except TypeError:
        return sorted(ids, key=str)


def _inline(value: Any) -> str:
    """A value on one line: a dict as ``key=value`` pairs, text as it is."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_inline_item(v)}" for k, v in value.items()) or "{}"
    return str(value)


def _inline_item(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _key_lines(content: dict[str, Any], skip: Iterable[str] = ()) -> list[str]:
    skipped = set(skip)
    return [f"{key}: {value}" for key, value in content.items() if key not in skipped]


def _format_message(content: Any) -> str:
    if isinstance(content, dict):
        return f"MESSAGE to {content.get('recipient_ids', [])}: {content.get('message', '')}"
    return f"MESSAGE to []: {content}"


def _format_observation(content: Any) -> str:
    lines = ["OBSERVATION"]
    if not isinstance(content, dict):
        lines.append(str(content))
    elif isinstance(content.get("self_state"), dict):
        state = content["self_state"]
        lines.append(f"Position: {state.get('location', 'Unknown')}")
        inner = state.get("internal_state")
        if isinstance(inner, list | tuple):
            lines.append(f"Internal State: {', '.join(map(str, inner))}")
        elif inner is not None:
            lines.append(f"Internal State: {inner}")
    elif "data" in content:
        lines.append(str(content["data"]))
    else:
        lines.extend(_key_lines(content))
    return "\n".join(lines)


def _format_plan(content: Any) -> str:
    lines = ["PLANNING"]
    if not isinstance(content, dict):
        lines.append(str(content))
    elif "plan_content" in content:
        plan = content["plan_content"]
        reasoning = plan.get("content", "") if isinstance(plan, dict) else plan
        lines.append(f"Reasoning: {reasoning}")
    elif "data" in content:
        lines.append(str(content["data"]))
    else:
        lines.extend(_key_lines(content))
    return "\n".join(lines)


def _format_action(content: Any) -> str:
    if not isinstance(content, dict):
        return f"ACTION: {content}"
    if "action_type" in content:
        rest = _key_lines(content, ["action_type"])
        return "\n".join([f"ACTION: {content['action_type']}", *rest])
    if "action" in content:
        # A structured choice: {"action": {"name", "arguments", "rationale"}, "result": ...}.
        action = content["action"]
        lines = []
        if isinstance(action, dict):
            lines.append(f"ACTION: {action.get('name') or 'Unknown action'}")
            if action.get("arguments") is not None:
                lines.append(f"Arguments: {_inline(action['arguments'])}")
            if action.get("rationale"):
                lines.append(f"Rationale: {action['rationale']}")
        else:
            lines.append(f"ACTION: {'(none)' if action is None else action}")
        if "result" in content:
            lines.append(f"Result: {_inline(content['result'])}")
        lines.extend(_key_lines(content, ["action", "result"]))
        return "\n".join(lines)
    if "data" in content:
        return f"ACTION: {_inline(content['data'])}"
    return f"ACTION: {_inline(content)}"


def _format_state_change(content: Any) -> str:
    lines = ["STATE CHANGE"]
    if not isinstance(content, dict):
        lines.append(str(content))
        return "\n".join(lines)
    changes = content.get("changes")
    if isinstance(changes, dict):
        # The recorder's own comparison: {"changes": {field: {"old", "new"}}}.
        for field, change in changes.items():
            if isinstance(change, dict) and {"old", "new"} <= change.keys():
                lines.append(f"{field}: {change['old']} -> {change['new']}")
            else:
                lines.append(f"{field}: {change}")
        if content.get("removed"):
            lines.append("removed")
        lines.extend(_key_lines(content, ["changes", "removed"]))
    else:
        lines.extend(_key_lines(content))
    return "\n".join(lines)


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "message": _format_message,
    "observation": _format_observation,
    "plan": _format_plan,
    "action": _format_action,
    "state_change": _format_state_change,
}


def format_event(event: Mapping[str, Any]) -> str:
    """An event of the JSON export (a dict) as the text a viewer shows for it."""
    kind = str(event.get("event_type", "unknown"))
    content = event.get("content")
    formatter = _FORMATTERS.get(kind)
    if formatter is not None:
        return formatter(content)
    if kind in ("simulation_start", "simulation_end"):
        title = kind.upper().replace("_", " ")
        body = _key_lines(content) if isinstance(content, dict) else [str(content)]
        return "\n".join([title, *body])
    if isinstance(content, dict) and "data" in content:
        return f"{kind.upper()}: {content['data']}"
    return f"{kind.upper()}: {_inline(content)}"


def is_recipient(agent_id: Any, event: Mapping[str, Any]) -> bool:
    """Whether a message event names ``agent_id`` among its recipients (an id
    read back as text still matches the number it was)."""
    content = event.get("content")
    recipients = content.get("recipient_ids") if isinstance(content, dict) else None
    if not isinstance(recipients, list | tuple):
        return False
    return any(r == agent_id or str(r) == str(agent_id) for r in recipients)


def message_text(event: Mapping[str, Any]) -> Any:
    content = event.get("content")
    return content.get("message", "") if isinstance(content, dict) else content
