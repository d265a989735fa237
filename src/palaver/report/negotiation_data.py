"""A negotiation's offers and their utilities, from a mechanism or from a recording.

This module needs only numpy (the command line uses it for the distances in
``palaver negotiate``); :mod:`palaver.report.negotiation` draws the traces.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from palaver.preferences import UtilityFunctionLike, kalai_point, nash_point, pareto_frontier
from palaver.preferences.solutions import evaluate, pareto_indices

#: Outcome spaces up to this size are enumerated for the Pareto frontier; larger
#: or continuous ones are sampled (the frontier is then marked approximate).
MAX_ENUMERATED = 100_000
_SAMPLE = 20_000


@dataclass(frozen=True)
class NegotiationTrace:
    """What a plot or a summary needs to know about one negotiation.

    Attributes:
        negotiation_id: The mechanism's id (the events' ``negotiation_id``).
        parties: The negotiators (or agents) in turn order.
        issue_names: The issues, in outcome order.
        rounds: The round of each offer.
        proposers: The index in ``parties`` of each offer's proposer.
        outcomes: Each offer's outcome (a tuple in issue order).
        utilities: ``(n_offers, n_parties)`` utilities of the offers, or ``None``
            when the parties' utility functions are unknown (a recording opened
            without ``ufuns``).
        result: ``agreement``, ``failure``, ``timeout``, ``error``, ... or
            ``running`` for a negotiation that has not ended.
        agreement: The agreed outcome, or ``None``.
        agreement_utilities: The parties' utilities of the agreement, or ``None``.
        reserved: Each party's reserved value (``None`` without utility functions).
        frontier: ``(k, n_parties)`` Pareto-optimal utilities (bilateral and
            multilateral alike), or ``None`` when unknown.
        frontier_is_sampled: True when the frontier comes from a sample of a
            large or continuous outcome space.
        nash: The parties' utilities at the Nash bargaining solution, or ``None``.
        kalai: The parties' utilities at the Kalai-Smorodinsky solution, or ``None``.
    """

    negotiation_id: str
    parties: list[str]
    issue_names: list[str]
    rounds: np.ndarray
    proposers: np.ndarray
    outcomes: list[tuple[Any, ...]]
    utilities: np.ndarray | None = None
    result: str = "running"
    agreement: tuple[Any, ...] | None = None
    agreement_utilities: tuple[float, ...] | None = None
    reserved: tuple[float, ...] | None = None
    frontier: np.ndarray | None = None
    frontier_is_sampled: bool = False
    nash: tuple[float, ...] | None = None
    kalai: tuple[float, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_offers(self) -> int:
        """How many offers were made."""
        return len(self.outcomes)

    def distances(self) -> dict[str, float]:
        """Euclidean distances in utility space from the agreement to the Pareto
        frontier, the Nash point and the Kalai point (NaN when there is no
        agreement or the point is unknown)."""
        nan = math.nan
        if self.agreement_utilities is None:
            return {"pareto": nan, "nash": nan, "kalai": nan}
        here = np.asarray(self.agreement_utilities, dtype=float)

        def to(point: Sequence[float] | None) -> float:
            return nan if point is None else float(np.linalg.norm(here - np.asarray(point)))

        pareto = nan
        if self.frontier is not None and len(self.frontier):
            pareto = float(np.min(np.linalg.norm(self.frontier - here, axis=1)))
        return {"pareto": pareto, "nash": to(self.nash), "kalai": to(self.kalai)}


def _solutions(
    ufuns: Sequence[Any], space: Any
) -> tuple[np.ndarray | None, bool, tuple[float, ...] | None, tuple[float, ...] | None]:
    """Frontier utilities, whether sampled, and the Nash and Kalai utilities."""
    if space is None or any(u is None for u in ufuns):
        return None, False, None, None
    sampled = not (space.is_discrete and space.cardinality <= MAX_ENUMERATED)
    outcomes: Any = space
    if sampled:
        # A fixed generator: the same negotiation always draws the same picture.
        outcomes = space.sample(np.random.default_rng(0), _SAMPLE)
    try:
        if sampled:
            _, utils = evaluate(ufuns, outcomes)
            frontier = utils[pareto_indices(utils)]
        else:
            frontier = np.array([p.utilities for p in pareto_frontier(ufuns, outcomes)])
        nash = nash_point(ufuns, outcomes)
        kalai = kalai_point(ufuns, outcomes)
    except Exception:
        # A utility function that cannot evaluate the whole space (a user's
        # partial one) still lets the offers be drawn, without the frontier.
        return None, False, None, None
    order = np.argsort(frontier[:, 0]) if len(frontier) else np.arange(0)
    return (
        frontier[order],
        sampled,
        None if nash is None else nash.utilities,
        None if kalai is None else kalai.utilities,
    )


def _utilities(ufuns: Sequence[Any], outcomes: Sequence[tuple[Any, ...]]) -> np.ndarray | None:
    if any(u is None for u in ufuns):
        return None
    values = np.empty((len(outcomes), len(ufuns)))
    for j, ufun in enumerate(ufuns):
        for i, outcome in enumerate(outcomes):
            value = ufun(outcome)
            values[i, j] = math.nan if value is None else float(value)
    return values


def _build(
    negotiation_id: str,
    parties: list[str],
    issue_names: list[str],
    offers: Sequence[tuple[int, int, tuple[Any, ...]]],
    result: str,
    agreement: tuple[Any, ...] | None,
    ufuns: Sequence[Any],
    space: Any,
) -> NegotiationTrace:
    outcomes = [o for _, _, o in offers]
    utilities = _utilities(ufuns, outcomes)
    known = utilities is not None
    frontier, sampled, nash, kalai = (
        _solutions(ufuns, space) if known else (None, False, None, None)
    )
    agreed = None
    if known and agreement is not None:
        agreed = tuple(float(u(agreement)) for u in ufuns)
    reserved = tuple(float(u.reserved_value) for u in ufuns) if known else None
    return NegotiationTrace(
        negotiation_id=negotiation_id,
        parties=parties,
        issue_names=issue_names,
        rounds=np.array([r for r, _, _ in offers], dtype=int),
        proposers=np.array([p for _, p, _ in offers], dtype=int),
        outcomes=outcomes,
        utilities=utilities,
        result=result,
        agreement=agreement,
        agreement_utilities=agreed,
        reserved=reserved,
        frontier=frontier,
        frontier_is_sampled=sampled,
        nash=nash,
        kalai=kalai,
    )


def mechanism_trace(mechanism: Any) -> NegotiationTrace:
    """The trace of a mechanism, running or finished (its ``history`` and negotiators).

    Utilities come from each negotiator's ``ufun``; a negotiator without one
    leaves the trace without utilities (the offers are still there).
    """
    negotiators = list(mechanism.negotiators)
    parties = [str(n.id) for n in negotiators]
    index = {p: i for i, p in enumerate(parties)}
    offers = [
        (int(r), index.get(str(who), -1), tuple(outcome))
        for r, who, outcome in mechanism.extended_trace
        if outcome is not None
    ]
    state = mechanism.state
    result = state.result if state.started else "not started"
    agreement = tuple(state.agreement) if state.agreement is not None else None
    return _build(
        str(mechanism.id),
        parties,
        list(mechanism.outcome_space.issue_names),
        offers,
        result,
        agreement,
        [getattr(n, "ufun", None) for n in negotiators],
        mechanism.outcome_space,
    )


def recorded_trace(
    reader: Any,
    negotiation_id: str,
    ufuns: Mapping[str, Any] | None = None,
    outcome_space: Any = None,
) -> NegotiationTrace:
    """The trace of negotiation ``negotiation_id`` in a recording (a reader from
    ``palaver.recording.open``).

    ``ufuns`` maps a party (the agent id, or the negotiator id) to its utility
    function; with them the trace has utilities and, given ``outcome_space``
    (default: the first utility function's), the frontier and solution points.
    Raises ``KeyError`` naming the id when the recording has no such negotiation.
    """
    if outcome_space is not None and not hasattr(outcome_space, "issues"):
        raise TypeError(
            "outcome_space must be an outcome space (palaver.outcomes.OutcomeSpace) or None; "
            f"got {outcome_space!r:.80} ({type(outcome_space).__name__})"
        )
    safe = str(negotiation_id).replace("'", "''")
    rows = reader.sql(
        "SELECT event_type, agent_id, content FROM events "
        f"WHERE negotiation_id = '{safe}' AND event_type IN "
        "('negotiation_started', 'offer', 'negotiation_ended') ORDER BY \"index\""
    ).fetchall()
    if not rows:
        raise KeyError(_unknown_negotiation(reader, str(negotiation_id)))
    parties: list[str] = []
    agents: dict[str, str] = {}
    issues: list[str] = []
    offers: list[tuple[int, int, tuple[Any, ...]]] = []
    result, agreement = "running", None
    for event_type, agent_id, content in rows:
        payload = json.loads(content)
        if event_type == "negotiation_started":
            parties = [str(n) for n in payload.get("negotiators") or []]
            issues = [str(n) for n in payload.get("issues") or []]
            for negotiator, agent in zip(parties, payload.get("agents") or [], strict=False):
                agents[negotiator] = str(agent)
        elif event_type == "offer" and payload.get("outcome") is not None:
            if payload.get("negotiator") is None:
                # A mediator's proposal (single-text mechanisms) is no party's
                # offer: proposer -1, as in a mechanism's own trace.
                offers.append((int(payload.get("round", 0)), -1, tuple(payload["outcome"])))
                continue
            who = str(payload.get("negotiator"))
            if who not in parties:
                parties.append(who)
                if agent_id is not None:
                    agents[who] = str(agent_id)
            offers.append(
                (int(payload.get("round", 0)), parties.index(who), tuple(payload["outcome"]))
            )
        elif event_type == "negotiation_ended":
            result = str(payload.get("result"))
            if payload.get("agreement") is not None:
                agreement = tuple(payload["agreement"])
    labels = [agents.get(p, p) for p in parties]
    chosen: list[Any] = [None] * len(parties)
    if ufuns is not None and not isinstance(ufuns, Mapping):
        raise TypeError(
            f"ufuns must be a mapping of agent or negotiator id -> utility function, got "
            f"{ufuns!r} ({type(ufuns).__name__})"
        )
    if ufuns:
        chosen = _chosen(ufuns, parties, agents)
    space = outcome_space
    if space is None and chosen and chosen[0] is not None:
        space = getattr(chosen[0], "outcome_space", None)
    return _build(str(negotiation_id), labels, issues, offers, result, agreement, chosen, space)


def _unknown_negotiation(reader: Any, negotiation_id: str) -> str:
    """Why ``negotiation_id`` names no negotiation of the recording, with the closest
    ids it holds (as ``palaver inspect --negotiation`` says)."""
    held = [
        str(i)
        for (i,) in reader.sql(
            "SELECT DISTINCT negotiation_id FROM events WHERE negotiation_id IS NOT NULL "
            "AND event_type IN ('offer', 'negotiation_started') ORDER BY 1 LIMIT 100000"
        ).fetchall()
    ]
    close = difflib.get_close_matches(negotiation_id, held, n=3)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    listing = ", ".join(map(repr, held[:5])) + (", ..." if len(held) > 5 else "")
    return (
        f"no negotiation {negotiation_id!r} in the recording at {reader.path}{hint} "
        f"({f'it holds {listing}' if held else 'it holds no negotiation'})"
    )


def _chosen(ufuns: Mapping[str, Any], parties: list[str], agents: dict[str, str]) -> list[Any]:
    """One utility function per party from ``ufuns`` (keyed by agent or negotiator id).

    Every party needs one and every key must name a party: a typo or a
    forgotten party would otherwise draw the per-issue picture instead of the
    utility-space one asked for, without a word.
    """
    for key, ufun in ufuns.items():
        if not isinstance(ufun, UtilityFunctionLike):
            raise TypeError(
                f"ufuns[{key!r}] must be a utility function "
                f"(palaver.preferences.UtilityFunctionLike), got {ufun!r:.80} "
                f"({type(ufun).__name__})"
            )
    known = {*parties, *(agents.get(p, p) for p in parties)}
    unknown = sorted(str(k) for k in ufuns if k not in known)
    if unknown:
        raise ValueError(
            f"ufuns names {unknown}, not parties of this negotiation; its parties are "
            f"{[agents.get(p, p) for p in parties]} (negotiators {parties})"
        )
    chosen = [ufuns.get(agents.get(p, p), ufuns.get(p)) for p in parties]
    missing = [agents.get(p, p) for p, u in zip(parties, chosen, strict=True) if u is None]
    if missing:
        raise ValueError(
            f"ufuns has no utility function for {missing}: give one per party (by agent "
            "or negotiator id), or none for the offered values per issue"
        )
    return chosen
