"""Fixed opponents of a negotiation tournament (NegMAS's explicit opponent mode).

See :class:`~palaver.tournaments.negotiation.plan.Opponents` for who meets whom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from palaver.tournaments.negotiation.competitors import (
    NegotiationCompetitor,
    as_competitors,
    plain_params,
    type_name,
)
from palaver.tournaments.negotiation.plan import Opponents

__all__ = ["opponents_of", "opponents_setup"]


def opponents_of(
    comps: list[NegotiationCompetitor],
    opponents: Sequence[Any] | None,
    params: Sequence[Mapping[str, Any] | None] | None,
    names: Sequence[str] | None,
    self_play: bool = True,
) -> tuple[list[NegotiationCompetitor], Opponents | None]:
    """The opponents as competitors (after the competitors in the tournament's
    list) and their :class:`Opponents` plan; ``([], None)`` without opponents.
    Without ``self_play``, a competitor whose every opponent is its twin would
    play nothing and be ranked without a score: refused (``ValueError``)."""
    if opponents is None or (
        isinstance(opponents, Sequence) and not isinstance(opponents, str) and not opponents
    ):
        for label, given in (("opponent_params", params), ("opponent_names", names)):
            if given:
                raise ValueError(f"{label} was given without opponents: {given!r}")
        return [], None
    opps = as_competitors(opponents, params, names, role="opponent")
    taken = {c.name for c in comps}
    named = set(names or ()) | {o.name for o in opponents if isinstance(o, NegotiationCompetitor)}
    out = []
    for opp in opps:
        if opp.name in taken:
            if opp.name in named:
                raise ValueError(
                    f"opponent name {opp.name!r} is a competitor's name too: names key the "
                    "results, give the opponent another name"
                )
            opp = replace(opp, name=f"{opp.name}-opponent")
        out.append(opp)
    every = [c.name for c in comps] + [o.name for o in out]
    if len(set(every)) != len(every):
        raise ValueError(f"competitor and opponent names must be unique, got {every}")
    twins = frozenset(
        (i, len(comps) + j)
        for i, c in enumerate(comps)
        for j, o in enumerate(out)
        if c.resolve() is o.resolve() and c.params == o.params
    )
    alone = [
        c.name
        for i, c in enumerate(comps)
        if not self_play and all((i, len(comps) + j) in twins for j in range(len(out)))
    ]
    if alone:
        raise ValueError(
            f"self_play=False leaves competitor(s) {alone} without a negotiation: each of "
            "its opponents is of its own type and parameters (itself); give another "
            "opponent or self_play=True"
        )
    return out, Opponents(len(out), twins)


def opponents_setup(opps: list[NegotiationCompetitor]) -> dict[str, Any]:
    """The opponents in the tournament's setup (nothing without them, so that
    folders written before opponents existed resume as they were)."""
    if not opps:
        return {}
    return {
        "opponents": [o.name for o in opps],
        "opponent_types": [type_name(o.type) for o in opps],
        "opponent_params": [plain_params(o.params) for o in opps],
    }
