"""NegMAS's situated building blocks, as ``palaver.negmas`` gives them: the
world and agent mixins, the monitor bases, the settings NegMAS posts on the
bulletin board, and the board's ``data`` / ``satisfies``."""

from __future__ import annotations

from typing import Any

import pytest
from palaver.negmas.situated import (
    NoContractExecutionMixin,
    NoResponsesMixin,
    SimpleWorld,
    StatsMonitor,
    TimeInAgreementMixin,
    WorldMonitor,
)

from palaver.negmas import (
    SAONMI,
    Agent,
    BreachProcessing,
    BulletinBoard,
    LinearUtilityFunction,
    NegotiationRequestInfo,
    NegotiatorMechanismInterface,
    ResponseType,
    SAONegotiator,
    World,
    make_issue,
)
from palaver.world import NegotiationRequest


class Yes(SAONegotiator):
    """Offers its best outcome; accepts any offer."""

    def propose(self, state: Any, dest: str | None = None) -> Any:
        return max(self.nmi.outcome_space.enumerate_or_sample(), key=lambda o: self.ufun(o))

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        return ResponseType.ACCEPT_OFFER


class Courier(NoResponsesMixin, Agent):
    """Asks for one delivery per step, due two steps later; accepts every request."""

    def __init__(self, *args: Any, sender: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sender = sender

    def init(self) -> None:
        pass

    def step(self) -> None:
        s = self.awi.current_step
        if not self.sender or s > 1:
            return
        issues = [make_issue((1, 3), "size"), make_issue((s + 2, s + 2), "delivery")]
        negotiator = Yes(ufun=LinearUtilityFunction([1.0, 0.0], issues=issues))
        req = self.create_negotiation_request(issues, ["a", "b"], negotiator)
        self.awi.request_negotiation_about(issues, ["a", "b"], req)

    def _respond_to_negotiation_request(self, *args: Any) -> Yes:
        issues = args[2]
        return Yes(ufun=LinearUtilityFunction([-1.0, 0.0], issues=issues))


class Delivery(TimeInAgreementMixin, World):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        TimeInAgreementMixin.init(self, time_field="delivery")
        self.delivered: list[tuple[int, int]] = []

    def simulation_step(self, stage: int = 0) -> None:
        pass

    def get_private_state(self, agent: Agent) -> dict[str, Any]:
        return {}

    def execute_action(self, action: Any, agent: Agent, callback: Any = None) -> bool:
        return True

    def start_contract_execution(self, contract: Any) -> set[Any]:
        self.delivered.append((self.current_step, contract.agreement["delivery"]))
        return set()


def delivery_world(cls: type = Delivery, **kwargs: Any) -> Any:
    world = cls(n_steps=5, neg_n_steps=5, default_signing_delay=0, no_logs=True, **kwargs)
    for a in (Courier(name="a", sender=True), Courier(name="b")):
        a.id = a.name
        world.join(a)
    return world


def test_time_in_agreement_executes_each_contract_at_its_agreed_step() -> None:
    world = delivery_world()
    world.run()
    # requested in steps 0 and 1, agreed and signed in steps 1 and 2, due at 2 and 3
    assert world.delivered == [(2, 2), (3, 3)]
    assert world.stats["n_contracts_executed"] == [0, 0, 1, 1, 0]
    assert dict(world.contracts_per_step) == {}  # executed ones are forgotten


def test_time_in_agreement_without_init_says_what_to_call() -> None:
    class Forgot(TimeInAgreementMixin, World):
        simulation_step = Delivery.simulation_step
        get_private_state = Delivery.get_private_state
        execute_action = Delivery.execute_action
        start_contract_execution = Delivery.start_contract_execution

    world = delivery_world(Forgot)
    with pytest.raises(Exception, match=r"TimeInAgreementMixin.init\(self, time_field"):
        world.run()


def test_time_in_agreement_names_a_missing_time_field() -> None:
    class WrongField(Delivery):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            TimeInAgreementMixin.init(self, time_field="when")

    world = delivery_world(WrongField)
    with pytest.raises(Exception, match="'when'") as info:
        world.run()
    assert "time_field" in str(info.value) or "time_field" in str(info.value.__cause__)


def test_no_contract_execution_world_signs_and_never_executes() -> None:
    class Talk(NoContractExecutionMixin, World):
        simulation_step = Delivery.simulation_step
        get_private_state = Delivery.get_private_state
        execute_action = Delivery.execute_action

    world = delivery_world(Talk)
    world.run()
    assert world.stats["n_contracts_signed"] == [0, 1, 1, 0, 0]
    assert sum(world.stats["n_contracts_executed"]) == 0


def test_monitor_bases_are_called_like_negmas_monitors() -> None:
    class Stats(StatsMonitor):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[Any] = []

        def init(self, stats: dict[str, Any], world_name: str) -> None:
            self.seen.append(("init", world_name))

        def step(self, stats: dict[str, Any], world_name: str) -> None:
            self.seen.append(("step", stats["n_contracts_signed"][-1]))

    class Steps(WorldMonitor):
        def __init__(self) -> None:
            super().__init__(name="steps")
            self.seen: list[int] = []

        def step(self, world: Any) -> None:
            self.seen.append(world.current_step)

    world = delivery_world(name="d")
    stats, steps = Stats(), Steps()
    world.register_stats_monitor(stats)
    world.register_world_monitor(steps)
    world.run()
    assert stats.seen == [
        ("init", "d"),
        ("step", 0),
        ("step", 1),
        ("step", 1),
        ("step", 0),
        ("step", 0),
    ]
    assert steps.seen == [0, 1, 2, 3, 4] and steps.name == steps.id == "steps"
    assert StatsMonitor().name == "StatsMonitor"


def test_negmas_aliases() -> None:
    assert SAONMI is NegotiatorMechanismInterface
    assert NegotiationRequestInfo is NegotiationRequest


def test_settings_are_posted_one_key_each_as_in_negmas() -> None:
    world = delivery_world(
        negotiation_speed=3, force_signing=True, mechanisms={"negmas.sao.SAOMechanism": {}}
    )
    board = world.bulletin_board
    assert board.read("settings", "n_steps") == 5
    assert board.read("settings", "neg_n_steps") == 5
    assert board.read("settings", "negotiation_speed") == 3
    assert board.read("settings", "force_signing") is True
    assert board.read("settings", "batch_signing") is True
    assert board.read("settings", "default_signing_delay") == 0
    assert board.read("settings", "breach_processing") is BreachProcessing.NONE
    assert board.read("settings", "mechanism_names") == ["negmas.sao.SAOMechanism"]
    assert board.read("settings", "mechanisms") == {"negmas.sao.SAOMechanism": {}}
    assert board.read("settings", "start_negotiations_immediately") is False
    assert board.read("settings", "time_limit") == world.time_limit
    agent = world.agents["a"]
    assert agent.awi.bb_read("settings", "n_steps") == 5
    assert agent.awi.settings["neg_n_steps"] == 5
    # Palaver's own record of them stays
    assert board.read("settings", "world")["n_steps"] == 5


def test_board_data_and_satisfies() -> None:
    board = BulletinBoard()
    board.record("jobs", {"pay": 3}, key="j1")
    data = board.data
    assert data["jobs"] == {"j1": {"pay": 3}} and "settings" in data
    data["jobs"]["j2"] = {"pay": 1}  # a copy: the board is unchanged
    assert board.read("jobs", "j2") is None
    assert BulletinBoard.satisfies({"pay": 3, "x": 1}, {"pay": 3})
    assert not board.satisfies({"pay": 3}, {"pay": 4})
    with pytest.raises(ValueError, match="cannot match"):
        BulletinBoard.satisfies(3, {"pay": 3})


def test_simple_world_counts_each_executed_contract_once() -> None:
    class Simple(TimeInAgreementMixin, SimpleWorld):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            TimeInAgreementMixin.init(self, time_field="delivery")

        simulation_step = Delivery.simulation_step
        get_private_state = Delivery.get_private_state
        execute_action = Delivery.execute_action

        def start_contract_execution(self, contract: Any) -> set[Any]:
            return set()

    world = delivery_world(Simple)
    world.run()
    assert world.stats["activity_level"] == [0.0, 0.0, 1.0, 1.0, 0.0]
