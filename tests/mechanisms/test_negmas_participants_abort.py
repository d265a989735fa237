"""NegMAS's agent_ids/agent_names, get_negotiator, participants, entry rules on the
interface, and abort()."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from palaver._util.naming import snake_case
from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.mechanisms.participants import NegotiatorDescriptor
from palaver.negotiators import AspirationNegotiator, SAONegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


@dataclass
class Agent:
    id: str
    name: str


class Stubborn(SAONegotiator):
    """Offers round after round and never accepts; notes its callbacks."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.calls: list[tuple[str, int]] = []

    def propose(self, state: MechanismState, dest: str | None = None) -> tuple[int]:
        return (state.step % 10,)

    def respond(self, state: MechanismState, source: str | None = None) -> ResponseType:
        return ResponseType.REJECT_OFFER

    def on_round_end(self, state: MechanismState) -> None:
        self.calls.append(("round_end", state.step))

    def on_negotiation_end(self, state: MechanismState) -> None:
        self.calls.append(("end", state.step))


def stubborn_pair(**options: object) -> tuple[SAOMechanism, Stubborn, Stubborn]:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=10, **options)  # type: ignore[arg-type]
    a, b = Stubborn(name="a"), Stubborn(name="b")
    m.add(a)
    m.add(b)
    return m, a, b


def test_agent_ids_and_names_follow_the_owners_in_turn_order() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5)
    owned = AspirationNegotiator(
        name="s", ufun=LinearUtilityFunction([1.0]), owner=Agent("seller-7", "Seller")
    )
    m.add(owned)
    m.add(AspirationNegotiator(name="b", ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    assert m.agent_ids == ["seller-7", None] and m.agent_names == ["Seller", None]
    assert m.nmi.agent_ids == ["seller-7", None] and m.nmi.agent_names == ["Seller", None]
    assert owned.nmi is not None and owned.nmi.agent_names == ["Seller", None]
    m.agent_ids.append("x")  # copies: the mechanism's lists stay as they are
    assert m.agent_ids == ["seller-7", None]


def test_get_negotiator_finds_by_id_and_answers_none_or_raises_for_unknown_ids() -> None:
    m, a, b = stubborn_pair()
    assert m.get_negotiator("a") is a and m.get_negotiator("b") is b
    assert m.get_negotiator("zz") is None
    assert m.get_negotiator_raise("b") is b
    with pytest.raises(KeyError, match=r"'zz'.*negotiator ids: \['a', 'b'\]"):
        m.get_negotiator_raise("zz")


def test_participants_describe_each_negotiator_on_the_mechanism_and_its_interfaces() -> None:
    m, a, _ = stubborn_pair()
    expected = [
        NegotiatorDescriptor(name="a", id="a", type="stubborn"),
        NegotiatorDescriptor(name="b", id="b", type="stubborn"),
    ]
    assert m.participants == expected and m.nmi.participants == expected
    assert a.nmi is not None and a.nmi.participants == expected
    m.run()
    del m  # an interface keeps answering once the mechanism is gone
    assert a.nmi.participants == expected


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("AspirationNegotiator", "aspiration_negotiator"),
        ("SAONegotiator", "sao_negotiator"),
        ("MiCRONegotiator", "mi_cro_negotiator"),
        ("NaiveTitForTatNegotiator", "naive_tit_for_tat_negotiator"),
        ("ExpDiscountedUFun", "exp_discounted_u_fun"),
        ("HTTPServer2X", "http_server2x"),
        ("lower", "lower"),
    ],
)
def test_snake_case_spells_class_names_as_negmas_does(name: str, snake: str) -> None:
    assert snake_case(name) == snake


def test_the_interfaces_show_the_entry_rules() -> None:
    m, a, _ = stubborn_pair()
    assert m.nmi.dynamic_entry is False and m.nmi.max_n_negotiators is None
    assert a.nmi is not None and a.nmi.dynamic_entry is False
    ruled = SAOMechanism(
        issues=[make_issue(10, "price")], n_steps=5, dynamic_entry=True, max_n_negotiators=3
    )
    assert ruled.nmi.dynamic_entry is True and ruled.nmi.max_n_negotiators == 3


def test_abort_while_running_breaks_it_with_an_error_and_tells_the_negotiators() -> None:
    sink = ListSink()
    bus = EventBus("run")
    bus.add_sink(sink)
    m, a, b = stubborn_pair(bus=bus)
    m.step()
    m.step()
    state = m.abort()
    assert state is m.state
    assert state.broken and state.has_error and "aborted" in state.error_details
    assert not state.running and state.started and not state.timedout
    assert state.agreement is None and state.step == 3  # the aborted round counts
    assert a.calls[-2:] == [("round_end", 2), ("end", 3)]  # NegMAS: the round it ended in
    assert b.calls[-2:] == [("round_end", 2), ("end", 3)]
    ended = sink.of_type(EventType.NEGOTIATION_ENDED)
    assert len(ended) == 1 and ended[0].payload["result"] == "error"
    # it never resumes
    assert m.step().step == 3 and m.run().step == 3 and not m.state.running


def test_abort_before_the_start_keeps_it_from_ever_starting() -> None:
    m, a, _ = stubborn_pair()
    m.abort()
    assert m.state.broken and m.state.has_error and not m.state.started
    assert m.state.step == 1 and a.calls == [("end", 1)]
    assert m.run().step == 1 and not m.state.started and m.history == []
    m.abort()  # a second abort changes nothing
    assert a.calls == [("end", 1)] and m.state.step == 1


def test_abort_after_the_end_leaves_the_result_as_it_was() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=10)
    m.add(AspirationNegotiator(name="s", ufun=LinearUtilityFunction([1.0])))
    m.add(AspirationNegotiator(name="b", ufun=LinearUtilityFunction([1.0])))
    done = m.run().copy()
    assert done.agreement is not None
    assert m.abort() == done and not m.state.has_error


class Raising(Stubborn):
    def propose(self, state: MechanismState, dest: str | None = None) -> tuple[int]:
        raise RuntimeError("boom")


def test_erred_negotiator_and_erred_agent_are_empty_strings_until_someone_errs() -> None:
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5, ignore_negotiator_exceptions=True)
    m.add(Raising(name="r", owner=Agent("agent-3", "Ann")))
    m.add(Stubborn(name="s"))
    assert m.state.erred_negotiator == "" and m.state.erred_agent == ""
    state = m.run()
    assert state.has_error and state.erred_negotiator == "r" and state.erred_agent == "agent-3"
    assert state["erred_agent"] == state.to_dict()["erred_agent"] == "agent-3"
    unowned = SAOMechanism(
        issues=[make_issue(10, "price")], n_steps=5, ignore_negotiator_exceptions=True
    )
    unowned.add(Raising(name="r"))
    unowned.add(Stubborn(name="s"))
    assert unowned.run().erred_negotiator == "r" and unowned.state.erred_agent == ""


def test_negotiators_have_negmas_default_capabilities_and_has_ufun() -> None:
    tough = AspirationNegotiator(name="t", ufun=LinearUtilityFunction([1.0]))
    assert tough.capabilities == {
        "enter": True, "leave": True, "ultimatum": True,
        "respond": True, "propose": True, "max-proposals": 1,
    }  # fmt: skip
    assert tough.has_ufun and not Stubborn(name="s").has_ufun
    tough.add_capabilities({"sort": True})
    tough.remove_capability("ultimatum")
    assert tough.capabilities["sort"] and "ultimatum" not in tough.capabilities
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5)
    m.requirements = {"sort": True}
    assert m.can_enter(tough) and not m.can_enter(Stubborn(name="s"))


def test_the_state_counts_negotiators_and_the_mechanism_names_and_checks_outcomes() -> None:
    m, _, _ = stubborn_pair()
    assert m.state.n_negotiators == 2 and m.negotiator_names == ["a", "b"]
    assert m.is_valid((3,)) and not m.is_valid((10,)) and not m.is_valid((1, 2))
    assert m.nmi.offering_is_accepting is True
    refusing = SAOMechanism(issues=[make_issue(3, "x")], n_steps=5, offering_is_accepting=False)
    assert refusing.nmi.offering_is_accepting is False


def test_a_negotiator_exception_breaks_the_negotiation_as_in_negmas() -> None:
    # NegMAS 0.16 on the same program: broken and has_error, ended in its first step.
    m = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5, ignore_negotiator_exceptions=True)
    m.add(Raising(name="r"))
    m.add(Stubborn(name="s"))
    state = m.run()
    assert state.broken and state.has_error and not state.timedout and state.result == "error"
