"""The history formats of a :class:`~palaver.mechanisms.completed_run.CompletedRun`.

NegMAS keeps a finished negotiation's offers in one of five shapes, from the
most detailed to the least: ``"full_trace_with_utils"`` (a
:class:`~palaver.mechanisms.full_trace.TraceElement`'s nine fields and then
one utility per negotiator), ``"full_trace"`` (the nine fields),
``"extended_trace"`` (``(step, negotiator, offer)``), ``"trace"``
(``(negotiator, offer)``) and ``"history"`` (one state-like record per entry).
This module names their table columns, tells a saved table's format from its
columns, and converts between the formats (fields a format lacks become
``None``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from palaver.mechanisms.full_trace import TRACE_ELEMENT_MEMBERS, TraceElement
from palaver.mechanisms.offered import Offered

if TYPE_CHECKING:
    from palaver.scenarios import Scenario

__all__ = [
    "HISTORY_TYPES",
    "convert_history",
    "history_records",
    "history_type_of_columns",
    "negotiator_ids_in",
    "parse_offers",
    "trace_columns",
]

#: The history formats, most detailed first (NegMAS's names).
HISTORY_TYPES = ("full_trace_with_utils", "full_trace", "extended_trace", "trace", "history")

_FULL_CORE = frozenset(
    ("time", "relative_time", "step", "negotiator", "offer", "responses", "state")
)
_EXTENDED = frozenset(("step", "negotiator", "offer"))
_TRACE = frozenset(("negotiator", "offer"))
_WITH_NEGOTIATOR = frozenset(HISTORY_TYPES[:-1])


def trace_columns(
    history_type: str, history: Sequence[Any], config: Mapping[str, Any]
) -> list[str] | None:
    """The column names a history of ``history_type`` is saved under (``None``:
    ``"history"``, whose rows are records naming their own columns).

    The utility columns of ``"full_trace_with_utils"`` are named by the
    negotiators' ids (as the trace's ``negotiator`` column names them), else
    their names, else ``utility_<i>``.
    """
    if history_type == "full_trace":
        return list(TRACE_ELEMENT_MEMBERS)
    if history_type == "full_trace_with_utils":
        names = list(config.get("negotiator_ids") or config.get("negotiator_names") or [])
        if not names and history:
            extra = len(history[0]) - len(TRACE_ELEMENT_MEMBERS)
            names = [f"utility_{i}" for i in range(extra)]
        return [*TRACE_ELEMENT_MEMBERS, *names]
    if history_type == "extended_trace":
        return ["step", "negotiator", "offer"]
    if history_type == "trace":
        return ["negotiator", "offer"]
    return None


def _record(entry: Any) -> dict[str, Any]:
    """A state-like entry of a ``"history"`` as a dict of its fields."""
    if isinstance(entry, Offered):
        # Palaver's history entry reads as NegMAS's state through these names.
        return {
            "step": entry.step,
            "current_proposer": entry.current_proposer,
            "current_offer": entry.current_offer,
        }
    if isinstance(entry, Mapping):
        return dict(entry)
    if hasattr(entry, "asdict"):
        return dict(entry.asdict())
    if hasattr(entry, "_asdict"):
        return dict(entry._asdict())
    raise TypeError(f"a history entry must be a state or a dict, got {type(entry).__name__}")


def history_records(history: Iterable[Any]) -> list[dict[str, Any]]:
    """The entries of a ``"history"`` as dicts (the rows of its saved table)."""
    return [_record(entry) for entry in history]


def history_type_of_columns(columns: Iterable[str]) -> str:
    """The format of a saved table with these columns.

    The seven core columns of a full trace make ``"full_trace"`` (``text`` and
    ``data`` are optional), and with columns beyond the nine of a
    ``TraceElement`` ``"full_trace_with_utils"``; exactly ``step``,
    ``negotiator``, ``offer`` is ``"extended_trace"``, exactly ``negotiator``,
    ``offer`` is ``"trace"``; anything else is ``"history"``.
    """
    keys = set(columns)
    if keys >= _FULL_CORE:
        return "full_trace_with_utils" if len(keys) > len(TRACE_ELEMENT_MEMBERS) else "full_trace"
    if keys == _EXTENDED:
        return "extended_trace"
    if keys == _TRACE:
        return "trace"
    return "history"


def _field(entry: Any, name: str, index: int) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name)
    if hasattr(entry, name):
        return getattr(entry, name)
    return entry[index] if len(entry) > index else None


def negotiator_ids_in(history: Iterable[Any], history_type: str) -> list[str]:
    """The ids in the ``negotiator`` field, each once, in order of first appearance
    (none for ``"history"``, whose entries have no such field)."""
    if history_type not in _WITH_NEGOTIATOR:
        return []
    index = {"trace": 0, "extended_trace": 1}.get(history_type, 3)
    seen: dict[str, None] = {}
    for entry in history:
        nid = _field(entry, "negotiator", index)
        if nid is not None:
            seen.setdefault(nid, None)
    return list(seen)


def _outcome(value: Any) -> Any:
    """An offer read back from a table: its text made a tuple again when it is one."""
    if not isinstance(value, str) or not value.startswith("("):
        return value
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    return parsed if isinstance(parsed, tuple) else value


def parse_offers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (read from a saved table) with the ``offer`` and ``current_offer``
    texts made outcomes again (CSV and Parquet keep a tuple as its text)."""
    for row in rows:
        for key in ("offer", "current_offer"):
            if key in row:
                row[key] = _outcome(row[key])
    return rows


def _normalized(entry: Any, source: str) -> dict[str, Any]:
    """All nine ``TraceElement`` fields of ``entry`` (``None`` where ``source`` lacks one)."""
    record: dict[str, Any] = dict.fromkeys(TRACE_ELEMENT_MEMBERS)
    if source in ("full_trace", "full_trace_with_utils"):
        if isinstance(entry, Mapping):
            record.update((k, v) for k, v in entry.items() if k in record)
        else:
            fields = entry._asdict() if hasattr(entry, "_asdict") else entry
            if not isinstance(fields, Mapping):
                fields = dict(zip(TRACE_ELEMENT_MEMBERS, fields, strict=False))
            record.update((k, v) for k, v in fields.items() if k in record)
    elif source == "extended_trace":
        for i, key in enumerate(("step", "negotiator", "offer")):
            record[key] = _field(entry, key, i)
    elif source == "trace":
        for i, key in enumerate(("negotiator", "offer")):
            record[key] = _field(entry, key, i)
    else:
        state = _record(entry)
        record.update(
            step=state.get("step"),
            time=state.get("time"),
            relative_time=state.get("relative_time"),
            # The whole state is kept so that converting back to "history" loses nothing.
            state=state,
        )
    return record


def _utilities(scenario: Scenario, offer: Any) -> tuple[float | None, ...]:
    if offer is None:
        return (None,) * len(scenario.ufuns)
    values: list[float | None] = []
    for ufun in scenario.ufuns:
        try:
            values.append(float(ufun(offer)))
        except (TypeError, ValueError, KeyError, IndexError):  # an offer the ufun cannot rate
            values.append(None)
    return tuple(values)


def convert_history(
    history: Sequence[Any], source: str, target: str, scenario: Scenario | None
) -> list[Any]:
    """``history`` (in format ``source``) in format ``target``.

    A more detailed target gets ``None`` for the fields the source lacks;
    ``"full_trace_with_utils"`` rates each offer with ``scenario``'s ufuns (the
    caller checks it has some). A ``"history"`` target gets the states a
    ``"history"`` source had, else ``{step, time, relative_time}``.
    """
    out: list[Any] = []
    for entry in history:
        record = _normalized(entry, source)
        if target in ("full_trace", "full_trace_with_utils"):
            element = TraceElement(**record)
            if target == "full_trace" or scenario is None:
                out.append(element)
            else:
                out.append(tuple(element) + _utilities(scenario, record["offer"]))
        elif target == "extended_trace":
            out.append((record["step"], record["negotiator"], record["offer"]))
        elif target == "trace":
            out.append((record["negotiator"], record["offer"]))
        elif isinstance(record["state"], dict):
            out.append(record["state"])
        else:
            out.append(
                {k: record[k] for k in ("step", "time", "relative_time")},
            )
    return out
