"""Literature scenarios and their metrics, computed from bus events and from a recording."""

from __future__ import annotations

import json

import pytest

from palaver.events import ListSink
from palaver.llm import (
    SCENARIO_EVENT,
    LLMNegotiator,
    ScriptedBackend,
    buy_sell,
    rental,
    scenario_metrics,
    ultimatum,
)
from palaver.negotiators import AspirationNegotiator, ToughNegotiator
from palaver.recording import SimulationRecorder
from palaver.recording import open as open_recording


def test_buy_sell_metrics_from_bus_events() -> None:
    game = buy_sell(seller_cost=40, buyer_value=60)
    sink = ListSink()
    deals = []
    for seed, answer in enumerate(["accept", "end"]):
        backend = ScriptedBackend(
            [json.dumps({"offer": {"price": 55}}), json.dumps({"decision": answer})]
        )
        seller = LLMNegotiator(backend, name="seller", retry_delay=0)
        m = game.negotiation({"seller": seller, "buyer": ToughNegotiator(name="buyer")}, seed=seed)
        m.bus.add_sink(sink)
        m.run()
        deals.append(m.agreement)
        assert "cost you 40 dollars" in seller.description
    [started] = [e for e in sink.events if e.type == SCENARIO_EVENT][:1]
    assert started.payload["roles"] == {"seller": "seller", "buyer": "buyer"}
    metrics = scenario_metrics(sink.events, game)
    assert len(metrics.negotiations) == 2
    # The tough buyer asks for a price of 0: the seller takes it once (a loss
    # of 40 against the buyer's gain of 60) and walks away once (0 each).
    assert deals == [(0,), None]
    assert metrics.deal_rate == 0.5 and metrics.mean_rounds == 2
    assert metrics.own_utility == {"seller": -20.0, "buyer": 30.0}
    assert metrics.advantage == {"seller": -50.0, "buyer": 50.0}
    assert metrics.welfare == 10.0


def test_ultimatum_deal_rate_utilities_advantage() -> None:
    game = ultimatum(total=100)
    sink = ListSink()
    for seed, (share, answer) in enumerate([(30, "accept"), (10, "reject")]):
        proposer = LLMNegotiator(
            ScriptedBackend([json.dumps({"offer": {"to_responder": share}})]),
            name="proposer",
            retry_delay=0,
        )
        reply = {"decision": answer}
        if answer == "reject":
            reply["offer"] = {"to_responder": 50}
        responder = LLMNegotiator(
            ScriptedBackend([json.dumps(reply)]), name="responder", retry_delay=0
        )
        m = game.negotiation({"proposer": proposer, "responder": responder}, seed=seed)
        m.bus.add_sink(sink)
        m.run()
    metrics = scenario_metrics(sink.events, game)
    assert metrics.deal_rate == 0.5 and metrics.mean_rounds == 1
    assert metrics.own_utility == {"proposer": 35.0, "responder": 15.0}
    assert metrics.advantage == {"proposer": 20.0, "responder": -20.0}
    assert metrics.welfare == 50.0
    first = metrics.negotiations[0]
    assert first.deal and first.agreement == (30,) and first.utilities["proposer"] == 70


def test_rental_metrics_from_a_recording(tmp_path) -> None:
    game = rental()
    deal = {"rent": 1200, "lease_months": 24, "deposit_months": 1, "pets": "yes"}
    answers = [{"decision": "reject", "offer": deal}] * 2 + [{"decision": "accept"}] * 9
    tenant = LLMNegotiator(
        ScriptedBackend([json.dumps(a) for a in answers]),
        name="tenant",
        retry_delay=0,
    )
    m = game.negotiation(
        {"landlord": AspirationNegotiator(name="landlord"), "tenant": tenant}, seed=3
    )
    recorder = SimulationRecorder(m, output_dir=tmp_path)
    m.run()
    recorder.close()
    reader = open_recording(recorder.folder)
    metrics = scenario_metrics(reader.events, game)
    [row] = metrics.negotiations
    assert row.negotiators == {"landlord": "landlord", "tenant": "tenant"}
    assert row.rounds == m.state.step and row.deal == (m.agreement is not None)
    expected = (
        {r: float(game.ufuns[r](m.agreement)) for r in game.roles}
        if m.agreement
        else {
            "landlord": 40.0,
            "tenant": 35.0,
        }
    )
    assert row.utilities == expected
    assert "own a dog" in tenant.description
    assert m.agreement is not None and metrics.deal_rate == 1.0


def test_scenario_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="seller_cost"):
        buy_sell(seller_cost=200)
    with pytest.raises(ValueError, match="total"):
        ultimatum(total=0)
    game = buy_sell()
    with pytest.raises(ValueError, match="one negotiator per role"):
        game.negotiation({"seller": ToughNegotiator()})
    with pytest.raises(TypeError, match="not an event"):
        scenario_metrics([42], game)
    assert scenario_metrics([], game).deal_rate == 0.0
