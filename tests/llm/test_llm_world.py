"""LLM negotiators inside a world: recorded on the world's bus, replayed offline."""

from __future__ import annotations

from typing import Any

from llm_helpers import comparable, decide, offer

from palaver.events import ListSink
from palaver.llm import LLMNegotiator, OpenAICompatible, ResponseCache, ScriptedBackend
from palaver.llm.testing import StubServer
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.world import Agent, World

ISSUES = [make_issue((0, 100), "price")]


class Market(World):
    """Nothing happens but negotiations; contracts are simply kept."""

    def simulation_step(self, stage: int = 0) -> None:
        pass

    def get_private_state(self, agent: Agent) -> Any:
        return {}

    def execute_action(self, action: Any, agent: Agent, callback: Any = None) -> bool:
        return True

    def executable_contracts(self) -> list[Any]:
        return []

    def start_contract_execution(self, contract: Any) -> None:
        return None


class Seller(Agent):
    """Asks the buyer for one price negotiation per step, with an LLM negotiator."""

    def __init__(self, backend: Any, cache: ResponseCache, **kwargs: Any) -> None:
        super().__init__(ufun=LinearAdditiveUtilityFunction([lambda p: p / 100]), **kwargs)
        self.backend = backend
        self.cache = cache

    def step(self) -> None:
        negotiator = LLMNegotiator(
            self.backend, ufun=self.ufun, cache=self.cache, retry_delay=0, name="seller-llm"
        )
        self.awi.run_negotiation(ISSUES, ["buyer"], negotiator, ufun=self.ufun)


class Buyer(Agent):
    def respond_to_negotiation_request(self, initiator: str, partners: Any, mechanism: Any):
        return AspirationNegotiator(ufun=LinearAdditiveUtilityFunction([lambda p: 1 - p / 100]))


def run_market(backend: Any, cache: ResponseCache) -> tuple[Market, ListSink]:
    world = Market(n_steps=2, seed=11)
    sink = ListSink()
    world.bus.add_sink(sink)
    world.join(Seller(backend, cache, id="seller"))
    world.join(Buyer(id="buyer"))
    world.run()
    return world, sink


def test_world_negotiations_are_recorded_and_replay_offline(server: StubServer, tmp_path) -> None:
    server.script([offer(90), decide("accept"), offer(95), decide("accept")])
    backend = OpenAICompatible(server.base_url, "stub-model", timeout=5)
    _, first = run_market(backend, ResponseCache(tmp_path / "cache.jsonl"))
    assert server.calls == 4
    requests = [e for e in first.events if e.type == "llm_request"]
    assert len(requests) == 4 and {e.agent_id for e in requests} == {"seller"}
    assert {e.step for e in requests} == {0, 1}
    assert len([e for e in first.events if e.type == "contract_concluded"]) == 2

    server.stop()
    offline = OpenAICompatible("http://127.0.0.1:9/v1", "stub-model", timeout=1)
    _, second = run_market(offline, ResponseCache(tmp_path / "cache.jsonl", offline=True))
    assert offline.calls == 0
    assert comparable(second.events) == comparable(first.events)


def test_messages_in_a_world_go_to_the_partners_agents(tmp_path) -> None:
    # The message's sender is recorded as its agent ("seller"); its recipients
    # were the partners' negotiator ids ("AspirationNegotiator-0"), so the
    # buyer agent never appeared as one (an AgentViewer showed it no messages).
    script = [offer(90, message="90?"), decide("accept", message="Deal.")] * 2
    _, sink = run_market(ScriptedBackend(script), ResponseCache())
    messages = [e for e in sink.events if e.type == "message"]
    assert len(messages) == 4 and {e.agent_id for e in messages} == {"seller"}
    assert [e.payload["recipient_ids"] for e in messages] == [["buyer"]] * 4
