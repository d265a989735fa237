"""NegMAS world calls found by writing NegMAS-style worlds: the is_valid_agreement /
is_valid_contract hooks (an override that refuses is obeyed; it was silently
ignored before), world.loginfo_agent and kin, and checkpoint(path) into a new
folder."""

from __future__ import annotations

from typing import Any

import pytest

from palaver import AspirationNegotiator, LinearUtilityFunction, World, make_issue
from palaver.world import Agent, SimulationError

ISSUES = [make_issue(10, "price"), make_issue(5, "quantity")]


class Market(World):
    def simulation_step(self, stage: int = 0) -> None:
        pass

    def get_private_state(self, agent: Any) -> dict[str, Any]:
        return {}

    def execute_action(self, action: Any, agent: Any, callback: Any = None) -> bool:
        return False

    def executable_contracts(self) -> list[Any]:
        return []

    def start_contract_execution(self, contract: Any) -> set[Any]:
        return set()


class Buyer(Agent):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heard: list[str] = []

    def step(self) -> None:
        partners = [self.id, "seller"]
        req = self.create_negotiation_request(
            ISSUES, partners, AspirationNegotiator(ufun=self.ufun)
        )
        self.awi.request_negotiation_about(ISSUES, partners, req)

    def on_negotiation_success(self, contract: Any, mechanism: Any) -> None:
        self.heard.append("success")

    def on_negotiation_failure(self, *args: Any) -> None:
        self.heard.append("failure")

    def on_contract_cancelled(self, contract: Any, rejectors: list[str]) -> None:
        self.heard.append(f"cancelled by {rejectors}")

    def on_contract_signed(self, contract: Any) -> None:
        self.heard.append("signed")


class Seller(Agent):
    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: Any
    ) -> Any:
        return AspirationNegotiator(ufun=self.ufun)


def build(world_type: type[Market], **kwargs: Any) -> Market:
    world = world_type(n_steps=3, seed=1, **kwargs)
    world.join(Buyer(id="buyer"), ufun=LinearUtilityFunction([-1.0, 1.0], bias=9.0))
    world.join(Seller(id="seller"), ufun=LinearUtilityFunction([1.0, 1.0]))
    return world


class NoCheapDeals(Market):
    def is_valid_agreement(self, negotiation: Any, agreement: Any, mechanism: Any) -> bool:
        self.asked = getattr(self, "asked", 0) + 1
        assert mechanism.id == negotiation.mechanism.id and len(agreement) == 2
        return False


class NoContracts(Market):
    def is_valid_contract(self, contract: Any) -> bool:
        return False


def test_an_invalid_agreement_concludes_no_contract_and_nobody_hears() -> None:
    world = build(NoCheapDeals, force_signing=True)
    world.run()
    t = world.totals
    assert t["n_negotiations_succeeded"] == world.asked > 0
    assert t["n_contracts_concluded"] == 0 and world.saved_contracts == []
    records = world.saved_negotiations
    assert all(r.contract_id is None for r in records)
    assert sum(r.result == "agreement" for r in records) == world.asked
    # Only the negotiations the end of the run cancelled are heard of.
    assert world.agents["buyer"].heard == ["failure"] * t["n_negotiations_failed"]


@pytest.mark.parametrize("force_signing", [True, False])
@pytest.mark.parametrize("batch_signing", [True, False])
def test_an_invalid_signed_contract_is_cancelled_without_rejectors(
    force_signing: bool, batch_signing: bool
) -> None:
    world = build(
        NoContracts, force_signing=force_signing, batch_signing=batch_signing,
        default_signing_delay=0,
    )  # fmt: skip
    world.run()
    t = world.totals
    assert t["n_contracts_concluded"] > 0
    assert t["n_contracts_signed"] == 0
    assert t["n_contracts_cancelled"] == t["n_contracts_concluded"]
    heard = world.agents["buyer"].heard
    assert heard.count("cancelled by []") == t["n_contracts_concluded"]
    assert "signed" not in heard


def test_a_hook_answer_that_is_not_a_bool_is_the_worlds_error() -> None:
    class Forgetful(Market):
        def is_valid_contract(self, contract: Any) -> bool:
            return None  # type: ignore[return-value]

    with pytest.raises(SimulationError, match="is_valid_contract"):
        build(Forgetful, force_signing=True).run()
    world = build(Forgetful, force_signing=True, ignore_simulation_exceptions=True)
    world.run()  # recorded, and the contracts accepted as if the hook were not there
    assert world.totals["n_contracts_signed"] > 0
    assert world.totals["n_simulation_exceptions"] == world.totals["n_contracts_signed"]


def test_the_default_hooks_accept_everything() -> None:
    world = build(Market, force_signing=True)
    world.run()
    assert world.totals["n_contracts_signed"] == world.totals["n_contracts_concluded"] > 0


def test_world_level_agent_log_calls_tag_the_agent(tmp_path: Any) -> None:
    world = build(Market, force_signing=True, log_folder=str(tmp_path), log_file_level="DEBUG")
    world.loginfo_agent("buyer", "hello")
    world.logdebug_agent("seller", "quiet")
    world.logwarning_agent("buyer", "careful")
    world.logerror_agent("seller", "oops")
    world.run()
    text = (tmp_path / "log.txt").read_text()
    for line in ("[buyer] hello", "[seller] quiet", "[buyer] careful", "[seller] oops"):
        assert line in text


def test_checkpoint_into_a_new_folder_as_negmas_does(tmp_path: Any) -> None:
    world = build(Market, force_signing=True)
    world.step()
    first = world.checkpoint(tmp_path / "ckpts" / "run", single_checkpoint=False)
    assert first == tmp_path / "ckpts" / "run" / "000001_world.ckpt"
    world.step()
    second = world.checkpoint(tmp_path / "ckpts" / "run", single_checkpoint=False)
    # NegMAS keeps one file per step in the folder; the first is not overwritten.
    assert first.is_file() and second.name == "000002_world.ckpt"
    assert world.checkpoint(tmp_path / "w.ckpt") == tmp_path / "w.ckpt"  # a file, as before
    assert Market.from_checkpoint(first).current_step == 1


def test_agent_times_count_each_callback_once() -> None:
    import time

    class SlowSeller(Seller):
        def respond_to_negotiation_request(
            self, initiator: str, partners: list[str], mechanism: Any
        ) -> Any:
            time.sleep(0.2)
            return super().respond_to_negotiation_request(initiator, partners, mechanism)

    world = Market(n_steps=1, seed=1, force_signing=True)
    world.join(Buyer(id="buyer"), ufun=LinearUtilityFunction([-1.0, 1.0], bias=9.0))
    world.join(SlowSeller(id="seller"), ufun=LinearUtilityFunction([1.0, 1.0]))
    start = time.perf_counter()
    world.run()
    elapsed = time.perf_counter() - start
    times = world.times
    # The seller was asked inside the buyer's step: its sleep is the seller's, not both's.
    assert times["seller"] >= 0.2 > times["buyer"]
    assert sum(times.values()) <= elapsed
