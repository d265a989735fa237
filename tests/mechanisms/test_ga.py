"""NegMAS's GAMechanism with SorterNegotiator: ranking, dominance, breeding, seeding."""

from __future__ import annotations

import pytest

from palaver.events import EventBus, ListSink
from palaver.mechanisms import GAMechanism, GAState
from palaver.negotiators import RandomNegotiator, SorterNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import MappingUtilityFunction

ISSUES = [make_issue(6, "a"), make_issue(6, "b")]


def _ga(seed: int, n_steps: int = 4, bus: EventBus | None = None) -> GAMechanism:
    mechanism = GAMechanism(issues=ISSUES, n_steps=n_steps, n_population=12, seed=seed, bus=bus)
    # Opposed utilities: the first wants a high, the second wants b high.
    mechanism.add(SorterNegotiator(ufun=MappingUtilityFunction(lambda o: float(o[0] - 0.1 * o[1]))))
    mechanism.add(SorterNegotiator(ufun=MappingUtilityFunction(lambda o: float(o[1] - 0.1 * o[0]))))
    return mechanism


def test_a_generation_keeps_exactly_the_non_dominated_outcomes() -> None:
    mechanism = _ga(seed=3)
    population = list(mechanism.population)
    state = mechanism.step()
    assert isinstance(state, GAState) and state.step == 1
    utilities = {o: (o[0] - 0.1 * o[1], o[1] - 0.1 * o[0]) for o in population}

    def beaten(o: tuple[int, ...]) -> bool:
        return any(
            p != o and all(up >= uo for up, uo in zip(utilities[p], utilities[o], strict=True))
            for p in utilities
        )

    expected = [o for o in dict.fromkeys(population) if not beaten(o)]
    assert mechanism.dominant_outcomes == expected == state.dominant_outcomes
    assert len(mechanism.population) == 12
    assert set(expected) <= set(mechanism.population)


def test_the_run_times_out_without_agreement_and_repeats_with_its_seed() -> None:
    first, second = _ga(seed=5), _ga(seed=5)
    a, b = first.run(), second.run()
    assert a.step == 4 and a.timedout and a.agreement is None and a.result == "timeout"
    assert first.population == second.population and a.dominant_outcomes == b.dominant_outcomes
    assert all(o[0] in ISSUES[0] and o[1] in ISSUES[1] for o in first.population)
    assert _ga(seed=6).population != _ga(seed=5).population


def test_sorter_sorts_in_place_best_first_and_refuses_without_a_ufun() -> None:
    sorter = SorterNegotiator(
        ufun=MappingUtilityFunction(lambda o: float(o[0]), reserved_value=1.5)
    )
    outcomes = [(1,), None, (3,), (2,)]
    sorter.sort(outcomes)
    assert outcomes == [(3,), (2,), None, (1,)]
    sorter.sort(outcomes, descending=False)
    assert outcomes == [(1,), None, (2,), (3,)]
    assert SorterNegotiator.capabilities == {"sort": True}
    with pytest.raises(ValueError, match="cannot sort outcomes without a utility function"):
        SorterNegotiator().sort([(1,)])


def test_bad_arguments_and_negotiators_that_cannot_rank_are_refused() -> None:
    with pytest.raises(ValueError, match="n_population must be an int >= 1, got 0"):
        GAMechanism(issues=ISSUES, n_population=0)
    with pytest.raises(ValueError, match=r"mutate_rate must be in \[0, 1\], got 1.5"):
        GAMechanism(issues=ISSUES, mutate_rate=1.5)
    mechanism = GAMechanism(issues=ISSUES, n_steps=2)
    with pytest.raises(TypeError, match="sort"):
        mechanism.add(RandomNegotiator())


def test_start_and_end_are_emitted() -> None:
    bus = EventBus()
    sink = ListSink()
    bus.add_sink(sink)
    _ga(seed=1, n_steps=2, bus=bus).run()
    types = [str(e.type) for e in sink.events]
    assert types[0] == "negotiation_started" and types[-1] == "negotiation_ended"


class _Dropping(SorterNegotiator):
    """Sorts, then drops the best outcome."""

    def sort(self, outcomes: list, descending: bool = True) -> None:  # type: ignore[override]
        super().sort(outcomes, descending)
        del outcomes[0]


class _Raising(SorterNegotiator):
    def sort(self, outcomes: list, descending: bool = True) -> None:  # type: ignore[override]
        raise RuntimeError("cannot rank today")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (_Dropping, r"raised ValueError in sort\(\) .*must reorder the \d+ outcomes"),
        (_Raising, r"raised RuntimeError in sort\(\) .*cannot rank today"),
    ],
)
def test_a_sort_that_fails_or_changes_the_outcomes_is_the_negotiators_error(
    kind: type, message: str
) -> None:
    # A dropped outcome left its rank missing (a bare KeyError inside the mechanism);
    # an exception from sort() came out raw, with nothing recorded.
    from palaver.mechanisms import NegotiatorError

    def mechanism(ignore: bool) -> GAMechanism:
        m = GAMechanism(
            issues=ISSUES, n_steps=4, n_population=12, seed=1, ignore_negotiator_exceptions=ignore
        )
        m.add(kind(name="bad", ufun=MappingUtilityFunction(lambda o: float(o[0]))))
        m.add(SorterNegotiator(ufun=MappingUtilityFunction(lambda o: float(o[1]))))
        return m

    with pytest.raises(NegotiatorError, match=message):
        mechanism(False).run()
    state = mechanism(True).run()
    assert state.has_error and state.erred_negotiator == "bad" and not state.running
    assert state.error_details is not None and "sort()" in state.error_details
