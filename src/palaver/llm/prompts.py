"""Prompt templates (data the user can replace) and the texts that fill them."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palaver.llm.types import Outcome
from palaver.outcomes import Issue, OutcomeSpace
from palaver.scenarios.files import read_bytes

#: The fields every template may use.
COMMON_FIELDS = frozenset(
    {
        "name",
        "role",
        "description",
        "issues",
        "preferences",
        "reserved_value",
        "n_steps",
        "round",
        "rounds_left",
        "history",
        "offer_format",
        "partners",
    }
)
#: The extra fields of each template.
TEMPLATE_FIELDS: dict[str, frozenset[str]] = {
    "system": COMMON_FIELDS,
    "propose": COMMON_FIELDS,
    "respond": COMMON_FIELDS | {"offer", "offer_utility", "proposer"},
    "invalid": COMMON_FIELDS | {"error"},
}

SYSTEM = """\
You are {name}, a negotiator acting as {role}. You negotiate with {partners} \
by stacked alternating offers: in turn, each party accepts the offer on the table, \
rejects it and makes a counter-offer, or ends the negotiation without agreement. \
The negotiation ends without agreement after {n_steps} rounds.
{description}
Issues under negotiation:
{issues}
Your preferences are private: never reveal your utilities. Utilities of some \
outcomes for you (higher is better):
{preferences}
Without an agreement you get a utility of {reserved_value}.
Answer every message with one JSON object and nothing else."""

PROPOSE = """\
Round {round} of {n_steps} ({rounds_left} left after this one).
Offers so far, oldest first:
{history}
It is your turn to make an offer. Answer with JSON of the form:
{{"offer": {offer_format}, "message": "<optional note to the other party>", \
"reasoning": "<optional, private>"}}"""

RESPOND = """\
Round {round} of {n_steps} ({rounds_left} left after this one).
Offers so far, oldest first:
{history}
{proposer} offers {offer}, worth {offer_utility} to you.
Decide: "accept" it, "reject" it with a counter-offer, or "end" the negotiation. \
Answer with JSON of the form:
{{"decision": "accept" | "reject" | "end", "offer": {offer_format} (required with \
"reject"), "message": "<optional note to the other party>", \
"reasoning": "<optional, private>"}}"""

INVALID = """\
Your previous answer could not be used: {error}. Answer again with one JSON object \
in the requested form and nothing else."""


class Utility(float):
    """A utility in a prompt: four significant digits by default (``{reserved_value}``),
    any float format when the template gives one (``{reserved_value:.2f}``)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return float.__format__(self, spec or ".4g")

    def __str__(self) -> str:
        return format(self)


#: Values each field can take, of every type it can have, for checking a
#: template's format specs when it is made: ``n_steps`` and ``rounds_left`` are
#: text when the negotiation has no round limit. Other fields are text.
_SAMPLES: dict[str, tuple[Any, ...]] = {
    "reserved_value": (Utility(0.25), Utility(float("-inf"))),
    "offer_utility": (Utility(0.25),),
    "round": (1,),
    "n_steps": (10, "an unknown number of"),
    "rounds_left": (9, "unknown"),
}

#: The largest prompt-template file read (1 MiB).
MAX_TEMPLATE_FILE_BYTES = 1 << 20

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class PromptTemplates:
    """The four prompts of an :class:`~palaver.llm.LLMNegotiator`, as Python format strings.

    ``system`` opens the conversation; ``propose`` asks for an offer;
    ``respond`` asks for a decision on the standing offer; ``invalid`` answers
    a reply that could not be used. Each may use the fields of
    :data:`TEMPLATE_FIELDS` (``{history}``, ``{offer_utility}``, ...); literal
    braces are doubled (``{{``). A field that does not exist raises
    ``ValueError`` when the templates are made, not mid-negotiation.
    Replace some with ``dataclasses.replace(DEFAULT_TEMPLATES, system=...)``
    or load them from a JSON or TOML file with :meth:`from_file`.
    """

    system: str = SYSTEM
    propose: str = PROPOSE
    respond: str = RESPOND
    invalid: str = INVALID

    def __post_init__(self) -> None:
        for name, allowed in TEMPLATE_FIELDS.items():
            text = getattr(self, name)
            if not isinstance(text, str):
                raise ValueError(f"PromptTemplates({name}=...) must be a str, got {text!r}")
            try:
                parsed = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)]
            except ValueError as exc:
                raise ValueError(
                    f"PromptTemplates({name}=...) is not a format string: {exc}"
                ) from None
            fields = {f for f, _, _ in parsed if f is not None}
            unknown = sorted(f for f in fields if f not in allowed)
            if unknown:
                raise ValueError(
                    f"PromptTemplates({name}=...) uses unknown field(s) {unknown}; allowed: "
                    f"{sorted(allowed)} (plain names only, no attribute or index access; "
                    f"double literal braces: {{{{ }}}})"
                )
            for field, spec, conversion in parsed:
                # Templates are data from files: a nested field or a huge width
                # in a format spec would fail or exhaust memory mid-negotiation.
                if spec and ("{" in spec or any(len(n) > 3 for n in _DIGITS.findall(spec))):
                    raise ValueError(
                        f"PromptTemplates({name}=...): format spec {spec!r} of {{{field}}} "
                        "is not allowed (no nested fields, numbers of at most 3 digits)"
                    )
                if field is not None and (spec or conversion):
                    _check_spec(name, field, spec or "", conversion)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> PromptTemplates:
        """Templates from a ``.json`` or ``.toml`` file with any of the four keys."""
        if not isinstance(path, str | os.PathLike) or not str(path):
            raise ValueError(f"PromptTemplates.from_file(path=...) must be a path, got {path!r}")
        file = Path(path)
        suffix = file.suffix.lower()
        if suffix not in (".json", ".toml"):
            raise ValueError(f"{file}: prompt templates are read from .json or .toml files")
        raw = read_bytes(file, MAX_TEMPLATE_FILE_BYTES, error=ValueError, what="a template file")
        try:
            text = raw.decode("utf-8")
            data: Any = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
        except RecursionError:
            raise ValueError(
                f"cannot read prompt templates from {file}: nested too deeply"
            ) from None
        except ValueError as exc:  # JSON, TOML and UTF-8 decoding errors
            raise ValueError(f"cannot read prompt templates from {file}: {exc}") from None
        names = {f.name for f in dataclasses.fields(cls)}
        if not isinstance(data, dict) or not set(data) <= names:
            raise ValueError(
                f"{file}: prompt templates must be a table with keys among {sorted(names)}"
            )
        return cls(**data)

    def render(self, name: str, fields: dict[str, Any]) -> str:
        """Fill template ``name`` with ``fields``."""
        text: str = getattr(self, name)
        return text.format_map(fields)


def _check_spec(template: str, field: str, spec: str, conversion: str | None) -> None:
    """Refuse a format spec that fails on a value ``field`` can take (``{name:.2f}``:
    a name is text), naming the template, the field and the value, so that it
    fails when the templates are made, not at a negotiation's first prompt."""
    formatter = string.Formatter()
    for sample in _SAMPLES.get(field, ("text",)):
        try:
            value = formatter.convert_field(sample, conversion) if conversion else sample
            formatter.format_field(value, spec)
        except (ValueError, TypeError) as exc:
            kind = "a number" if isinstance(sample, int | float) else "text"
            raise ValueError(
                f"PromptTemplates({template}=...): format spec {spec!r} of {{{field}}} does "
                f"not fit its value, which can be {kind} such as {sample!r}: {exc}"
            ) from None


#: The templates used when none are given.
DEFAULT_TEMPLATES = PromptTemplates()


def format_value(value: Any) -> str:
    """A value as the model should write it (JSON)."""
    return json.dumps(value)


def format_outcome(outcome: Outcome, space: OutcomeSpace) -> str:
    """An outcome as a JSON object keyed by issue name."""
    return json.dumps(dict(zip(space.issue_names, outcome, strict=True)))


def describe_issue(issue: Issue) -> str:
    """One line describing an issue's values."""
    if issue.is_continuous:
        lo, hi = issue.numeric_bounds()
        return f"- {issue.name}: a number from {lo} to {hi}"
    values = issue.all_values
    if isinstance(values, range):
        return f"- {issue.name}: an integer from {values.start} to {values.stop - 1}"
    shown = ", ".join(format_value(v) for v in values)
    return f"- {issue.name}: one of {shown}"


def offer_format(space: OutcomeSpace) -> str:
    """The shape of an offer, for the model to copy."""
    parts = []
    for issue in space.issues:
        if issue.is_continuous:
            kind = "<number>"
        elif isinstance(issue.all_values, range):
            kind = "<integer>"
        else:
            kind = "<one of the values>"
        parts.append(f"{json.dumps(issue.name)}: {kind}")
    return "{" + ", ".join(parts) + "}"


def format_utility(value: float) -> str:
    """A utility with four significant digits."""
    return f"{value:.4g}"


def describe_preferences(
    outcomes: list[Outcome], utilities: list[float], space: OutcomeSpace
) -> str:
    """Lines ``outcome -> utility``, best first (``outcomes`` sorted worst first)."""
    return "\n".join(
        f"- {format_outcome(o, space)}: {format_utility(u)}"
        for o, u in zip(reversed(outcomes), reversed(utilities), strict=True)
    )
