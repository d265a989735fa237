"""``Scenario``: an outcome space, one utility function per party, and its statistics."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences import UtilityFunction
from palaver.scenarios.derived import DerivedScenarios
from palaver.scenarios.errors import ScenarioError
from palaver.scenarios.io import ScenarioFiles
from palaver.scenarios.negmas_stats import RationalFrontierStats
from palaver.scenarios.scaling import ScenarioScaling
from palaver.scenarios.scenario_metrics import ScenarioMetrics
from palaver.scenarios.sessions import ScenarioSessions, default_mechanism
from palaver.scenarios.stats import ScenarioStats, compute_stats
from palaver.scenarios.traits import ScenarioTraits
from palaver.scenarios.validate import (
    check_enumerable,
    checked_discounts,
    checked_names,
    checked_ufuns,
)

#: Statistics enumerate at most this many outcomes unless told otherwise
#: (a million outcomes of a few issues take a few hundred megabytes as tuples).
MAX_OUTCOMES = 1_000_000


class Scenario(
    ScenarioFiles,
    ScenarioScaling,
    DerivedScenarios,
    ScenarioTraits,
    ScenarioSessions,
    ScenarioMetrics,
):
    """A negotiation scenario: what can be agreed and what each party wants.

    ``outcome_space`` is an :class:`OutcomeSpace` (or a list of issues) and
    ``ufuns`` one utility function per party, in role order: party 0 holds
    ``ufuns[0]``. Each utility function's reserved value is that party's
    utility of no agreement. ``discount_factors`` (one per party, in
    ``(0, 1]``, 1 meaning no discounting; Genius's exponential discount
    ``u * d**t`` with ``t`` the relative time in ``[0, 1]``) default to 1.
    ``ufun_names`` default, as NegMAS's do, to the utility functions' own
    names when each has one and they are distinct, otherwise to ``"u0"``,
    ``"u1"``, ...; they name the profile files on export. ``name`` defaults
    to the outcome space's name (NegMAS's), or ``"scenario"``. ``info`` is
    free data kept with the scenario; ``source`` the folder or file it was
    read from (``None`` for a scenario made or derived in memory).

    The transforms NegMAS 0.16 applies in place change this scenario and
    return it, as there: :meth:`normalize`, :meth:`scale_min`,
    :meth:`scale_max`, :meth:`remove_reserved_values`,
    :meth:`remove_discounting`, :meth:`discretize`, :meth:`to_single_issue`
    and :meth:`remove_dummy_issues` (``s.normalize()`` and ``s =
    s.normalize()`` both work; ``s.copy().normalize()`` keeps ``s``). The
    others, :meth:`rotate_ufuns`, :meth:`rotations` and
    :meth:`with_reserved_values`, return new scenarios and leave this one
    unchanged. Utility functions are replaced by transforms, never changed.
    Statistics (:attr:`stats`) are computed on first use and cached; changing
    a reserved value in place is noticed and recomputes them.

    Files: :meth:`from_genius_folder`, :meth:`from_genius_files`,
    :meth:`from_geniusweb_folder`, :meth:`from_json`, :meth:`load` (any
    format, detected), :meth:`to_genius_folder`, :meth:`to_geniusweb_folder`,
    :meth:`to_json` and :meth:`dumpas`. NegMAS's :meth:`make_session` builds a
    mechanism on it (given its class; see ``palaver.mechanisms.make_session``).
    NegMAS's :meth:`calc_session_metrics`, :meth:`calc_negotiator_metrics` and
    :meth:`calc_full_metrics` grade an agreement (and an offer trace) without
    a mechanism, as the mechanism's own methods of those names do.
    """

    def __init__(
        self,
        outcome_space: OutcomeSpace | Iterable[Issue],
        ufuns: Sequence[UtilityFunction],
        name: str | None = None,
        info: Mapping[str, Any] | None = None,
        discount_factors: Sequence[float] | None = None,
        ufun_names: Sequence[str] | None = None,
        source: Path | None = None,
        *,
        mechanism_type: type | None = None,
        mechanism_params: Mapping[str, Any] | None = None,
        stats: ScenarioStats | None = None,
    ) -> None:
        if not isinstance(outcome_space, OutcomeSpace):
            try:
                outcome_space = OutcomeSpace(outcome_space)
            except (TypeError, ValueError) as exc:
                raise ScenarioError(f"Scenario: invalid outcome_space: {exc}") from None
        self._space = outcome_space
        self._ufuns = checked_ufuns(ufuns, self._space)
        k = len(self._ufuns)
        self._discounts = checked_discounts(discount_factors, k)
        if ufun_names is None:
            ufun_names = _own_names(self._ufuns)
        self._ufun_names = checked_names(ufun_names, k)
        if name is not None and not isinstance(name, str):
            raise ScenarioError(f"Scenario: name must be a string, got {name!r}")
        if not name and isinstance(outcome_space.name, str):
            name = outcome_space.name
        self.name: str = name if name else "scenario"
        if info is not None and not isinstance(info, Mapping):
            raise ScenarioError(f"Scenario: info must be a dict, got {info!r}")
        self.info: dict[str, Any] = dict(info or {})
        self.source = source
        self._outcomes: tuple[Outcome, ...] | None = None
        self._utilities: np.ndarray | None = None
        self._stats: ScenarioStats | None = None
        self.mechanism_type = mechanism_type
        self.mechanism_params = mechanism_params
        if stats is not None:
            self.stats = stats

    # -- what the scenario holds ------------------------------------------------

    @property
    def outcome_space(self) -> OutcomeSpace:
        """The outcomes that can be agreed."""
        return self._space

    @property
    def ufuns(self) -> tuple[UtilityFunction, ...]:
        """One utility function per party, in role order.

        Assignable, as NegMAS's (``s.ufuns = tuple(u.shift_by(1.0) for u in
        s.ufuns)``): one utility function per party, each checked as the
        constructor checks them; names and discount factors stay, cached
        utilities and statistics are dropped.
        """
        return self._ufuns

    @ufuns.setter
    def ufuns(self, ufuns: Sequence[UtilityFunction]) -> None:
        self._update(ufuns)

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The issues of the outcome space."""
        return self._space.issues

    @property
    def issue_names(self) -> list[str]:
        """The issue names, in order (a new list)."""
        return self._space.issue_names

    @property
    def n_issues(self) -> int:
        """The number of issues."""
        return self._space.n_issues

    @property
    def n_negotiators(self) -> int:
        """The number of parties (utility functions)."""
        return len(self._ufuns)

    @property
    def n_outcomes(self) -> int | float:
        """The number of outcomes (``math.inf`` with a continuous issue)."""
        return self._space.cardinality

    @property
    def reserved_values(self) -> tuple[float, ...]:
        """Each party's utility of no agreement."""
        return tuple(u.reserved_value for u in self._ufuns)

    @property
    def discount_factors(self) -> tuple[float, ...]:
        """Each party's discount factor (1.0: no discounting)."""
        return self._discounts

    @property
    def ufun_names(self) -> tuple[str, ...]:
        """Each utility function's name (profile file stems on import)."""
        return self._ufun_names

    @property
    def mechanism_type(self) -> type | None:
        """The mechanism class negotiations on this scenario run (NegMAS's
        field): the one given, else the default of :meth:`make_session`
        (``SAOMechanism`` once ``palaver.mechanisms`` is imported)."""
        return self._mechanism_type if self._mechanism_type is not None else default_mechanism()

    @mechanism_type.setter
    def mechanism_type(self, value: type | None) -> None:
        # The scenarios layer does not import the mechanisms: a mechanism class is
        # known by what sessions call on it (one that lacks them is refused now,
        # not when make_session builds it).
        if value is not None and not (
            isinstance(value, type) and callable(getattr(value, "add", None))
            and callable(getattr(value, "run", None))
        ):  # fmt: skip
            raise ScenarioError(
                f"scenario {self.name!r}: mechanism_type must be a mechanism class (with "
                f"add() and run(), e.g. SAOMechanism) or None, got {value!r}"
            )
        self._mechanism_type = value

    @property
    def mechanism_params(self) -> dict[str, Any]:
        """Keyword arguments of the mechanism (NegMAS's field): :meth:`make_session`
        and negotiation tournaments pass them on (their own arguments win)."""
        return self._mechanism_params

    @mechanism_params.setter
    def mechanism_params(self, value: Mapping[str, Any] | None) -> None:
        if value is not None and (
            not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value)
        ):
            raise ScenarioError(
                f"scenario {self.name!r}: mechanism_params must be a dict of keyword "
                f"arguments or None, got {value!r}"
            )
        self._mechanism_params = dict(value or {})

    def discounted_utility(self, party: int, outcome: Any, time: float) -> float:
        """Party ``party``'s utility of ``outcome`` (``None``: no agreement) at relative ``time``.

        Genius's exponential discounting: ``u * d**time`` with ``time`` in
        ``[0, 1]``; the reserved value is discounted the same way.
        """
        k = len(self._ufuns)
        if isinstance(party, bool) or not isinstance(party, int) or not 0 <= party < k:
            raise ScenarioError(
                f"discounted_utility: party must be an int in [0, {k - 1}], got {party!r}"
            )
        if isinstance(time, bool) or not isinstance(time, int | float) or not 0.0 <= time <= 1.0:
            raise ScenarioError(f"discounted_utility: time must be in [0, 1], got {time!r}")
        if outcome is not None and outcome not in self._space:
            raise ScenarioError(
                f"discounted_utility: {outcome!r} is not an outcome of scenario {self.name!r}"
            )
        factor: float = self._discounts[party] ** time
        return float(self._ufuns[party](outcome)) * factor

    # -- cached enumeration and statistics ---------------------------------------

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Every outcome, in enumeration order (cached; refused above :data:`MAX_OUTCOMES`).

        Row ``i`` of :attr:`utilities` is the utilities of ``outcomes[i]``.
        """
        if self._outcomes is None:
            check_enumerable(self._space, self.name, MAX_OUTCOMES)
            self._outcomes = tuple(self._space.enumerate())
        return self._outcomes

    @property
    def utilities(self) -> np.ndarray:
        """Every party's utility of every outcome: shape ``(n_outcomes, n_negotiators)``.

        Computed once (each utility function evaluated with one vectorized
        call) and cached; the array is read-only.
        """
        if self._utilities is None:
            self._utilities = self._evaluate(self.outcomes)
        return self._utilities

    def _evaluate(self, outcomes: Sequence[Outcome]) -> np.ndarray:
        array = self._space.to_array(outcomes) if outcomes else None
        columns = []
        for i, u in enumerate(self._ufuns):
            try:
                column = u.eval_many(array if u.prefers_array and array is not None else outcomes)
            except (TypeError, ValueError, KeyError) as exc:
                raise ScenarioError(
                    f"scenario {self.name!r}: ufun {self._ufun_names[i]!r} cannot evaluate "
                    f"the outcomes: {exc}"
                ) from exc
            columns.append(np.asarray(column, dtype=float))
        utils = np.column_stack(columns) if columns and outcomes else np.empty((0, len(columns)))
        if np.isnan(utils).any():
            i = int(np.argwhere(np.isnan(utils))[0][1])
            raise ScenarioError(
                f"scenario {self.name!r}: ufun {self._ufun_names[i]!r} gives NaN utilities"
            )
        utils.setflags(write=False)
        return utils

    @property
    def stats(self) -> ScenarioStats:
        """The scenario's statistics, computed on first use and cached.

        Recomputed (from the cached utilities) when a reserved value changed
        since the last computation. See :mod:`palaver.scenarios.stats` for the
        definitions.
        """
        stats = self._stats
        if stats is None or stats.reserved_values != self.reserved_values:
            if stats is not None and stats.sampled:
                raise ScenarioError(
                    f"scenario {self.name!r}: reserved values changed since sampled stats "
                    "were computed; call calc_stats(sample=...) again"
                )
            stats = self.calc_stats()
        return stats

    @stats.setter
    def stats(self, value: ScenarioStats | RationalFrontierStats | None) -> None:
        """NegMAS scripts assign ``scenario.stats``: ``None`` drops the cache (the
        next use recomputes); statistics of this scenario (e.g. from
        ``calc_stats``) are kept as they are; NegMAS's view of them
        (:class:`~palaver.scenarios.negmas_stats.RationalFrontierStats`, what
        ``palaver.negmas.calc_scenario_stats`` gives) is kept as the Palaver
        statistics it wraps."""
        if isinstance(value, RationalFrontierStats):
            value = value.base
        if value is not None and (
            not isinstance(value, ScenarioStats) or len(value.reserved_values) != len(self._ufuns)
        ):
            raise ScenarioError(
                f"scenario {self.name!r}: stats must be ScenarioStats of its "
                f"{len(self._ufuns)} parties or None, got {value!r}"
            )
        self._stats = value

    def calc_stats(
        self,
        max_outcomes: int | None = None,
        sample: int | None = None,
        seed: int | None = None,
    ) -> ScenarioStats:
        """Compute (again) and cache the statistics; returns them.

        Enumerates the outcomes, refusing more than ``max_outcomes`` (default
        :data:`MAX_OUTCOMES`) or a continuous issue with a :class:`ScenarioError`
        before enumerating. With ``sample=n``, the statistics are computed on
        ``n`` outcomes drawn uniformly (with ``seed``) instead, for spaces too
        large or continuous: an approximation, flagged ``stats.sampled``.
        """
        # max_outcomes=0 or -1 was not checked, and seed=-1 failed inside numpy.
        if max_outcomes is not None and (
            isinstance(max_outcomes, bool) or not isinstance(max_outcomes, int) or max_outcomes < 1
        ):
            raise ScenarioError(
                f"calc_stats: max_outcomes must be a positive int or None, got {max_outcomes!r}"
            )
        if sample is not None:
            if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
                raise ScenarioError(f"calc_stats: sample must be a positive int, got {sample!r}")
            most = MAX_OUTCOMES if max_outcomes is None else max_outcomes
            if sample > most:
                # 10**30 failed inside numpy ("Maximum allowed dimension exceeded").
                raise ScenarioError(
                    f"calc_stats: sample must be at most max_outcomes ({most:,}), got {sample!r}"
                )
            if seed is not None and (
                isinstance(seed, bool) or not isinstance(seed, int) or seed < 0
            ):
                raise ScenarioError(f"calc_stats: seed must be an int >= 0 or None, got {seed!r}")
            outs = self._space.sample(np.random.default_rng(seed), sample)
            self._stats = compute_stats(outs, self._evaluate(outs), self.reserved_values, True)
            return self._stats
        limit = MAX_OUTCOMES if max_outcomes is None else max_outcomes
        if self._utilities is None:
            check_enumerable(self._space, self.name, limit)
            if self._outcomes is None:
                self._outcomes = tuple(self._space.enumerate())
        self._stats = compute_stats(
            self.outcomes, self.utilities, self.reserved_values, sampled=False
        )
        return self._stats

    # -- derived scenarios (the transforms: palaver.scenarios.derived) ------------

    def copy(self) -> Scenario:
        """An independent scenario equal to this one (the same name and source).

        In-place transforms of either leave the other as it is, so
        ``scenario.copy().normalize()`` is a normalized scenario next to the
        original. Utility functions are copied (a reserved value set on one
        side stays there); cached outcomes, utilities and statistics (all
        read-only) are shared.
        """
        out = self._derived([copy.copy(u) for u in self._ufuns])
        out.source = self.source
        out._outcomes, out._utilities, out._stats = self._outcomes, self._utilities, self._stats
        return out

    def _update(self, ufuns: Sequence[UtilityFunction], space: OutcomeSpace | None = None) -> None:
        """Hold ``ufuns`` (over ``space``, if given, instead of the current space)
        from now on; caches that depended on the old ones are dropped."""
        new_space = self._space if space is None else space
        checked = checked_ufuns(ufuns, new_space)
        if len(checked) != len(self._ufuns):
            raise ScenarioError(
                f"scenario {self.name!r}: {len(checked)} utility functions for "
                f"{len(self._ufuns)} parties"
            )
        if space is not None:
            self._space = space
            self._outcomes = None
        self._ufuns = checked
        self._utilities = None
        self._stats = None

    def _derived(
        self,
        ufuns: Sequence[UtilityFunction],
        discounts: Sequence[float] | None = None,
        names: Sequence[str] | None = None,
        info: Mapping[str, Any] | None = None,
        space: OutcomeSpace | None = None,
    ) -> Scenario:
        return Scenario(
            space if space is not None else self._space,
            ufuns,
            name=self.name,
            info=copy.deepcopy(dict(self.info)) if info is None else info,
            discount_factors=self._discounts if discounts is None else discounts,
            ufun_names=self._ufun_names if names is None else names,
            source=None,
            mechanism_type=self._mechanism_type,
            mechanism_params=copy.deepcopy(self._mechanism_params),
        )

    def __repr__(self) -> str:
        return (
            f"Scenario(name={self.name!r}, issues={list(self.issue_names)}, "
            f"n_outcomes={self.n_outcomes}, ufuns={list(self._ufun_names)})"
        )


def _own_names(ufuns: Sequence[UtilityFunction]) -> list[str] | None:
    """The utility functions' own names when each has one and they are distinct, else None."""
    names = [getattr(u, "name", None) for u in ufuns]
    if all(isinstance(n, str) and n for n in names) and len(set(names)) == len(names):
        return [str(n) for n in names]
    return None
