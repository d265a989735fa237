"""Naive tit-for-tat: concede as much as the partner's offer gives away."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, overload

import numpy as np

from palaver._util.checks import check_bool, check_int, check_real
from palaver.mechanisms import MechanismState, ResponseType
from palaver.mechanisms.kept_replies import KeptReplies
from palaver.mechanisms.plan import RoundPlan
from palaver.negotiators.aspiration import Proposals
from palaver.negotiators.base import SAONegotiator, offer_of
from palaver.negotiators.ranking import DEFAULT_N_LEVELS, OutcomeRanking
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER

#: A concession outside ``[_LOWEST, _HIGHEST]`` (or not a number) is replaced
#: by none at all, as NegMAS 0.16 does (it warns there).
_LOWEST = -1e-6
_HIGHEST = 1.0000001
#: A utility range narrower than this normalizes every offer to 1 (NegMAS's
#: ``eval_normalized``).
_FLAT = 1e-5
#: How far below the aimed-at utility (in utility units) an offer may be and
#: still count as reaching it: NegMAS's inverse utility tolerance.
_SLACK = 1e-6


class NaiveTitForTat(SAONegotiator):
    """Concedes as much as the partner's offer gives away, judged by its own utility.

    Utilities are read on two scales. The *normalized* utility of an offer is
    0 at the reserved value (or at the lowest utility if that is higher) and 1
    at the best. The partner's *concession* is the normalized utility of its
    latest offer: believing the negotiation zero-sum (the "naive" part), it
    takes whatever the offer gives it as what the partner gave up. On every
    call (answering or proposing) it decides how much to concede itself, a
    fraction ``c`` of its range:

    - in rounds up to ``no_concession_step`` (default 0): nothing;
    - from round ``kindness_start_step`` on (default 3): the partner's
      concession (a negative one counts as 0 unless ``punish``) plus
      ``kindness``;
    - in the rounds between (the opening): with ``must_concede`` (the default)
      the smallest concession its utilities allow, measured by walking down its
      ranking two outcomes per call (the gap between them plus
      ``min_concession_eps``, over its utility range; past the worst outcome
      the walk reads the reserved value), whatever the partner offered;
      without it, the partner's concession plus ``initial_concession``.

    A concession that is not a number, below -1e-6 or above 1 + 1e-7 counts as
    none. It accepts an offer whose normalized utility is at least ``1 - c``
    (``c`` computed from that offer), and proposes the worst outcome whose
    utility reaches ``1 - c`` of the way from its lowest utility to its best
    (``c`` computed from the last offer it answered; a random one of those at
    least that good with ``stochastic``). Deterministic unless ``stochastic``.

    This is NegMAS 0.16's ``NaiveTitForTatNegotiator`` as it behaves: the same
    offers' utilities, answers and agreement rounds (pinned against NegMAS in
    the tests). Two differences: among outcomes of equal utility it offers the
    same one where NegMAS cycles through them, and the opening's walk starts
    again at the best outcome in every negotiation, where NegMAS carries it on
    (on the utility function object) from one negotiation to the next.

    Args:
        kindness: The concession added to the partner's from round
            ``kindness_start_step`` on, a fraction of its range (default 0;
            negative makes it tougher).
        n_levels: Levels per continuous issue for its own proposals.
        punish: Mirror a partner's negative concession too (default ``False``);
            since a concession below -1e-6 counts as none, this changes little.
        initial_concession: Added to the partner's concession in the opening
            rounds when ``must_concede`` is off: a fraction of the range
            (``"min"``, the default, is 0).
        rank_only: NegMAS's option to judge offers by their rank alone; only
            ``False`` is supported (``True`` is refused).
        stochastic: Propose a random outcome at least as good as the aimed-at
            utility instead of the worst such one (draws from the generator
            the mechanism hands it).
        must_concede: Make the smallest possible concession in the opening
            rounds (default ``True``).
        no_concession_step: The last round with no concession at all.
        kindness_start_step: The first round of plain tit-for-tat.
        min_concession_eps: Added to each gap of the opening's walk.
    """

    needs_ufun = True

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        kindness: float = 0.0,
        n_levels: int = DEFAULT_N_LEVELS,
        *,
        punish: bool = False,
        initial_concession: float | str = "min",
        rank_only: bool = False,
        stochastic: bool = False,
        must_concede: bool = True,
        no_concession_step: int = 0,
        kindness_start_step: int = 3,
        min_concession_eps: float = 1e-12,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
            n_levels=n_levels,
        )
        self.kindness = check_real("kindness", kindness)
        if isinstance(initial_concession, str):
            if initial_concession != "min":
                raise ValueError(
                    f"initial_concession must be 'min' or a number >= 0; got {initial_concession!r}"
                )
            initial_concession = 0.0
        self.initial_concession = check_real("initial_concession", initial_concession)
        if self.initial_concession < 0:
            raise ValueError(
                f"initial_concession must be 'min' or a number >= 0; got {initial_concession!r}"
            )
        self.punish = check_bool("punish", punish)
        if check_bool("rank_only", rank_only):
            raise ValueError(
                "rank_only=True is not supported by Palaver's NaiveTitForTat "
                "(it judges offers by their utility); allowed: False"
            )
        self.rank_only = False
        self.stochastic = check_bool("stochastic", stochastic)
        self.must_concede = check_bool("must_concede", must_concede)
        self.no_concession_step = check_int("no_concession_step", no_concession_step)
        self.kindness_start_step = check_int("kindness_start_step", kindness_start_step)
        self.min_concession_eps = check_real("min_concession_eps", min_concession_eps)
        # Per negotiation (set in on_negotiation_start): the normalization
        # (lowest counted utility, 1 / its range, or NaN when the reserved
        # value is above every outcome), the full range, the opening's walk
        # and the partner's last offer answered.
        self._zero = 0.0
        self._scale = 1.0
        self._flat = False
        self._low = 0.0
        self._span = 0.0
        self._walked = 0
        self._last: Outcome | None = None
        # Once its concession depends on the offer alone (see _settled), its
        # answer to an offer and its proposal after one are functions of that
        # offer: kept per negotiation (a partner repeats offers for many rounds).
        self._answers: dict[Outcome, ResponseType] = {}
        self._proposals: dict[Outcome | None, Outcome] = {}
        self._settled_by: tuple[Any, ...] = ()
        # After handing a reactive plan: what its rounds left it with, read
        # when it is called turn by turn after all (see _catch_up).
        self._reactive: _Replay | None = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Read its utility range and start the opening's walk at its best outcome."""
        super().on_negotiation_start(state)
        ranking = self._ranked()
        low, high, reserve = ranking.min_utility, ranking.max_utility, self.reserved_value
        self._low, self._span = low, high - low
        self._flat = False
        if high < reserve:
            self._zero, self._scale = math.nan, math.nan
        else:
            self._zero = max(low, reserve)
            width = high - self._zero
            self._flat = width < _FLAT
            self._scale = 1 / width if not self._flat else 1.0
        self._walked = 0
        self._last = None
        self._answers = {}
        self._proposals = {}
        self._settled_by = ()
        self._reactive = None

    def _settled(self, step: int, ranking: Any) -> bool:
        """Whether the answers and proposals kept so far hold at ``step``: past the
        opening and the rounds without concession, deterministic, and with the
        parameters and ranking they were computed with (a caller may change a
        parameter mid-negotiation: then they are computed afresh)."""
        if step < self.kindness_start_step or step <= self.no_concession_step or self.stochastic:
            return False
        by = self._settled_by
        if not by or ranking is not by[0] or self.kindness != by[1] or self.punish != by[2]:
            self._answers.clear()
            self._proposals.clear()
            self._settled_by = (ranking, self.kindness, self.punish)
        return True

    def _normalized(self, u: float) -> float:
        """``u`` on the scale 0 at the reserved value (or the lowest utility), 1 at the best."""
        if self._flat:
            return 1.0
        # Multiplying by the inverse, as NegMAS does, so that offers exactly
        # at the threshold are accepted or refused as in NegMAS.
        return (u - self._zero) * self._scale

    def _walk(self) -> float:
        """The utility of the next outcome down its ranking (then the reserved value)."""
        utilities = self._ranked().utilities
        k = self._walked
        self._walked = k + 1
        return utilities[-1 - k] if k < len(utilities) else self.reserved_value

    def _concession(self, normalized: float, step: int) -> float:
        """The fraction of its range to concede, given the partner's offer's normalized utility."""
        if step <= self.no_concession_step:
            return 0.0
        # A zero-sum view: what the offer gives it, the partner gave up (the
        # two subtractions as NegMAS rounds them).
        partner = 1.0 - (1.0 - normalized)
        concession = 0.0 if partner < 0 and not self.punish else partner
        if step >= self.kindness_start_step:
            concession += self.kindness
        elif self.must_concede:
            gap = self._walk() - self._walk() + self.min_concession_eps
            concession = gap / self._span if self._span > 0 else math.inf
        else:
            concession += self.initial_concession
        if not _LOWEST <= concession <= _HIGHEST:  # NaN fails too
            return 0.0
        return concession

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept when the offer's normalized utility reaches ``1 -`` the concession it earns."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        if self._reactive is not None:
            self._catch_up(state.step)
        self._last = offer
        ranking = self._ranked()
        settled = self._settled(state.step, ranking)
        if settled:
            known = self._answers.get(offer)
            if known is not None:
                return known
        mine = self._normalized(ranking.utility(offer))
        aim = 1.0 - self._concession(mine, state.step)
        answer = _ACCEPT if mine >= aim else _REJECT
        if settled:
            self._answers[offer] = answer
        return answer

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The worst outcome (a random one with ``stochastic``) reaching the aimed-at utility."""
        if self._reactive is not None:
            self._catch_up(state.step)
        ranking = self._ranked()
        last = self._last
        settled = self._settled(state.step, ranking)
        if settled:
            known = self._proposals.get(last)
            if known is not None:
                return known
        mine = self._normalized(ranking.utility(last)) if last is not None else 0.0
        aim = 1.0 - self._concession(mine, state.step)
        level = aim * self._span + self._low
        utilities = ranking.utilities
        i = min(ranking.index_at_least(level), len(utilities) - 1)
        below = utilities[i - 1] if i > 0 else -math.inf
        # A utility a rounding error short of the aim counts as reaching it
        # when it is the nearer one.
        chosen = (
            below
            if 0 <= level - below <= _SLACK and level - below < abs(utilities[i] - level)
            else utilities[i]
        )
        # The first (in the ranking's order) of the outcomes of that utility.
        i = ranking.index_at_least(chosen)
        if self.stochastic:
            i = int(self.random.integers(i, len(utilities)))
        proposal: Outcome = ranking.outcomes[i]
        if settled:
            self._proposals[last] = proposal
        return proposal

    def kept_replies(self) -> KeptReplies | None:
        """Its kept answers and proposals and its own methods, for the mechanism
        to play its turns inline against MiCRO (see
        :mod:`palaver.mechanisms.sao_duel_tft`); ``None`` for a subclass (which
        may change the rule), for a negotiator whose ``propose`` or ``respond``
        was replaced on the instance, a ``stochastic`` one, one with a reactive
        plan pending, or before the negotiation started."""
        ranking = self.ranking
        own = self.__dict__
        if (
            type(self) is not NaiveTitForTat
            or ranking is None
            or self.nmi is None
            or self.stochastic
            or self._reactive is not None
            or "respond" in own
            or "propose" in own
        ):
            return None
        return KeptReplies(
            answers=self._answers,
            proposals=self._proposals,
            respond=self.respond,
            propose=self.propose,
            settled_from=max(self.kindness_start_step, self.no_concession_step + 1),
            index=ranking.lookup[0],
            last=self._last,
            answered=self._answered,
        )

    def _answered(self, offer: Outcome | None) -> None:
        """Take ``offer`` as the last offer it answered (see :meth:`kept_replies`)."""
        self._last = offer

    def reactive_plan(self, n_steps: int, partner: RoundPlan, first: bool) -> RoundPlan | None:
        """Its answers and proposals in every round against a planned partner
        (``partner``'s plan; ``first``: it moves first in each round), as a
        :class:`RoundPlan`, or ``None`` when they cannot be known in advance.

        Against a partner whose offers are planned, the offer it answers in
        round ``k`` is known (the partner's proposal of round ``k``, or of
        round ``k - 1`` when it moves first), and so is everything it does:
        the opening rounds are played by calling :meth:`respond` and
        :meth:`propose` themselves, the rounds after them computed with array
        operations doing the same arithmetic on the same numbers. Its answers
        become thresholds of minus infinity (accept) or infinity (reject).
        Used by :class:`~palaver.mechanisms.SAOMechanism` in a two-party
        negotiation where offering is accepting.
        """
        cls = type(self)
        ranking = self.ranking
        positions = partner.positions
        if (
            ranking is None
            or positions is None
            or self.stochastic
            or cls.respond is not NaiveTitForTat.respond
            or cls.propose is not NaiveTitForTat.propose
            or "respond" in self.__dict__
            or "propose" in self.__dict__
            or ranking.lookup[0] is not partner.index
            or len(positions) < n_steps
            or not n_steps
        ):
            return None
        objects = ranking.grid_objects
        # The offer answered in each round (a grid position; -1: none).
        faced = np.empty(n_steps, dtype=np.int64)
        if first:
            faced[0] = -1
            faced[1:] = positions[: n_steps - 1]
        else:
            faced[:] = positions[:n_steps]
        # The first round is always played by the methods (it may answer no offer).
        opening = min(n_steps, max(self.kindness_start_step, self.no_concession_step + 1, 1))
        thresholds = np.full(n_steps, math.inf)
        mine = np.empty(n_steps, dtype=np.int64)
        saved = (self._walked, self._last, self._reactive)
        walked: list[int] = []
        lasts: list[Outcome | None] = []
        state = _Round()
        try:
            for k in range(opening):
                state.step = k
                if faced[k] >= 0:
                    offer = objects[faced[k]]
                    if self.respond(state, offer) is _ACCEPT:  # type: ignore[arg-type]
                        thresholds[k] = -math.inf
                proposal = self.propose(state)  # type: ignore[arg-type]
                assert proposal is not None  # it always proposes
                mine[k] = partner.index[proposal]
                walked.append(self._walked)
                lasts.append(self._last)
        finally:
            self._walked, self._last, self._reactive = saved
        if opening < n_steps and not self._plan_rest(ranking, faced, opening, thresholds, mine):
            return None
        self._reactive = _Replay(walked, lasts, objects, faced)
        thresholds.flags.writeable = False
        answers = _Answers(thresholds)
        return RoundPlan(
            proposals=Proposals(objects, mine),
            floor=0.0,
            span=1.0,
            remaining=answers,
            index=partner.index,
            utility_at=ranking.lookup[1],
            positions=mine,
            utilities=ranking.values,
            remaining_slice=answers.array,
            thresholds=thresholds,
        )

    def _plan_rest(
        self,
        ranking: OutcomeRanking,
        faced: np.ndarray,
        opening: int,
        thresholds: np.ndarray,
        mine: np.ndarray,
    ) -> bool:
        """Rounds ``opening`` on of :meth:`reactive_plan`, as :meth:`respond` and
        :meth:`propose` compute them past the opening (``False``: a number on
        the way that bisection and sorting would not treat alike, a NaN)."""
        rest = faced[opening:]
        values = ranking.values
        # Past the opening, what it does in a round depends only on the offer it
        # answers: computed per round, or per outcome of the grid when there
        # are fewer outcomes than rounds (then looked up for each round).
        by_outcome = len(values) < len(rest)
        u = values if by_outcome else values[rest]
        m = np.ones(len(u)) if self._flat else (u - self._zero) * self._scale
        partner = 1.0 - (1.0 - m)
        concession = partner if self.punish else np.where(partner < 0, 0.0, partner)
        concession = concession + self.kindness
        concession = np.where((concession >= _LOWEST) & (concession <= _HIGHEST), concession, 0.0)
        aim = 1.0 - concession
        answers = np.where(m >= aim, -math.inf, math.inf)
        level = aim * self._span + self._low
        if np.isnan(level).any():
            return False
        utilities = ranking.sorted_values
        top = len(utilities) - 1
        i = np.minimum(np.searchsorted(utilities, level, "left"), top)
        here = utilities[i]
        below = np.where(i > 0, utilities[i - 1], -math.inf)
        gap = level - below
        near = (gap >= 0) & (gap <= _SLACK) & (gap < np.abs(here - level))
        chosen = np.where(near, below, here)
        proposals = ranking.order[np.searchsorted(utilities, chosen, "left")]
        if by_outcome:
            answers, proposals = answers[rest], proposals[rest]
        thresholds[opening:] = answers
        mine[opening:] = proposals
        return True

    def _catch_up(self, step: int) -> None:
        """Called turn by turn after handing a reactive plan (a mechanism that
        stopped playing it): take the state its planned rounds before ``step``
        left it with."""
        replay = self._reactive
        assert replay is not None
        self._reactive = None
        if step <= 0:
            return
        k = step - 1
        if k < len(replay.walked):
            self._walked, self._last = replay.walked[k], replay.lasts[k]
            return
        if replay.walked:
            self._walked = replay.walked[-1]
        position = int(replay.faced[k])
        if position >= 0:
            self._last = replay.objects[position]


class _Round:
    """The state a reactive plan's opening rounds are played with (their step)."""

    __slots__ = ("step",)

    def __init__(self) -> None:
        self.step = 0


class _Replay:
    """What a reactive plan's rounds left a tit-for-tat with (see ``_catch_up``):
    its walk and last answered offer after each opening round, and the offers
    it answers after them."""

    __slots__ = ("faced", "lasts", "objects", "walked")

    def __init__(
        self,
        walked: list[int],
        lasts: list[Outcome | None],
        objects: np.ndarray,
        faced: np.ndarray,
    ) -> None:
        self.walked = walked
        self.lasts = lasts
        self.objects = objects
        self.faced = faced


class _Answers(Sequence[float]):
    """A reactive plan's answers as thresholds: minus infinity (accept) or infinity."""

    __slots__ = ("_values",)

    def __init__(self, values: np.ndarray) -> None:
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, k: int) -> float: ...

    @overload
    def __getitem__(self, k: slice) -> list[float]: ...

    def __getitem__(self, k: int | slice) -> float | list[float]:
        if isinstance(k, slice):
            values: list[float] = self._values[k].tolist()
            return values
        value: float = self._values.item(k)
        return value

    def array(self, start: int, end: int) -> np.ndarray:
        """Rounds ``start`` to ``end - 1`` (read-only)."""
        return self._values[start:end]
