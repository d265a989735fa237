"""The response cache: a recorded run replays with zero model calls and the same events."""

from __future__ import annotations

import json

import pytest
from llm_helpers import comparable, decide, llm, offer, price_negotiation

from palaver.llm import (
    CACHE_FILE,
    CacheFileError,
    LLMNegotiator,
    OpenAICompatible,
    ResponseCache,
    cache_key,
)
from palaver.llm.testing import StubReply, StubServer
from palaver.recording import SimulationRecorder
from palaver.recording import open as open_recording

SCRIPT = [
    StubReply(hang=True),  # the first call times out and is retried
    offer(85, reasoning="start high"),
    "not json",  # an unusable reply, re-asked
    decide("reject", 75, message="meet me"),
    decide("accept"),
]


def run_once(negotiator: LLMNegotiator) -> tuple[object, list]:
    m, sink = price_negotiation(negotiator, n_steps=10, seed=42)
    state = m.run()
    return state, sink.events


def test_replay_makes_no_call_and_gives_the_same_event_log(server: StubServer, tmp_path) -> None:
    server.script(list(SCRIPT))
    path = tmp_path / "cache.jsonl"
    first_state, first = run_once(llm(server, timeout=0.3, cache=ResponseCache(path)))
    calls = server.calls
    assert calls == 5 and first_state.agreement is not None
    errors = [e.payload["error.type"] for e in first if e.type == "llm_response"]
    assert errors[0] == "timeout" and errors[1:] == [None] * (calls - 1)

    server.stop()  # nothing to call any more
    replay = ResponseCache(path, offline=True)
    backend = OpenAICompatible("http://127.0.0.1:9/v1", "stub-model", timeout=0.3)
    state, second = run_once(LLMNegotiator(backend, name="seller", retry_delay=0, cache=replay))
    assert backend.calls == 0 and replay.misses == 0 and replay.hits == calls
    assert state.agreement == first_state.agreement
    assert comparable(second) == comparable(first)


def test_an_online_cache_calls_only_for_what_it_lacks(server: StubServer, tmp_path) -> None:
    server.script([offer(85), decide("end")])
    cache = ResponseCache(tmp_path / "c.jsonl")
    run_once(llm(server, cache=cache))
    assert server.calls == 2 and cache.misses == 2
    again = ResponseCache(tmp_path / "c.jsonl")
    run_once(llm(server, cache=again))
    assert server.calls == 2 and again.hits == 2 and again.misses == 0
    # Another seed asks other questions (the seed is part of the key): they go out.
    server.script([offer(85), decide("end")])
    m, _ = price_negotiation(llm(server, cache=again), n_steps=10, seed=7)
    m.run()
    assert server.calls == 4 and again.misses == 2


def test_offline_miss_is_a_recorded_error_without_any_call(server: StubServer, tmp_path) -> None:
    cache = ResponseCache(tmp_path / "empty.jsonl", offline=True)
    m, sink = price_negotiation(
        llm(server, cache=cache), n_steps=3, ignore_negotiator_exceptions=True
    )
    state = m.run()
    assert server.calls == 0 and state.has_error
    [response] = sink.of_type("llm_response")
    assert response.payload["error.type"] == "cache_miss"
    assert "offline cache" in response.payload["error"]
    assert not (tmp_path / "empty.jsonl").exists()  # a miss writes nothing


def test_cache_is_kept_in_the_recording_folder_and_replays_the_recording(
    server: StubServer, tmp_path
) -> None:
    server.script([offer(85), decide("reject", 75), decide("accept")])
    m, _ = price_negotiation(llm(server), n_steps=10, seed=5)
    recorder = SimulationRecorder(m, output_dir=tmp_path / "rec")
    m.negotiators[0].caller.cache = cache = ResponseCache.beside(recorder)
    m.run()
    recorder.close()
    cache.close()
    assert (recorder.folder / CACHE_FILE).exists()
    original = open_recording(recorder.folder)

    negotiator = llm(server, cache=ResponseCache.beside(original, offline=True))
    m2, _ = price_negotiation(negotiator, n_steps=10, seed=5)
    replayed = SimulationRecorder(m2, output_dir=tmp_path / "replay")
    m2.run()
    replayed.close()
    assert server.calls == 3  # only the original run called the model

    def rows(reader):
        frame = reader.sql(
            "SELECT step, event_type, agent_id, content, negotiation_id, seq FROM events "
            "WHERE event_type NOT IN ('simulation_start', 'simulation_end') ORDER BY index"
        ).fetchall()
        out = []
        for step, etype, agent, content, nid, seq in frame:
            data = json.loads(content)
            data.pop("latency_s", None)
            out.append((step, etype, agent, data, nid, seq))
        return out

    assert rows(open_recording(replayed.folder)) == rows(original)
    tokens = original.sql(
        "SELECT sum(json_extract(content, '$.\"gen_ai.usage.input_tokens\"')::INT) "
        "FROM events WHERE event_type = 'llm_response'"
    ).fetchall()[0][0]
    assert tokens > 0


def test_damaged_cache_file_raises_naming_the_file_and_line(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    good = {"key": "k", "response": {"content": "x"}}
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(CacheFileError, match=r"bad.jsonl, line 2"):
        ResponseCache(path)
    path.write_text(json.dumps({"key": "k"}) + "\n")
    with pytest.raises(CacheFileError, match="line 1"):
        ResponseCache(path)


def test_identical_requests_get_their_outcomes_in_order(tmp_path) -> None:
    from palaver.llm import BackendError, ChatResponse

    cache = ResponseCache(tmp_path / "c.jsonl")
    key = cache_key("b", "m", {"t": 1}, [{"role": "user", "content": "x"}], 3)
    assert key == cache_key("b", "m", {"t": 1}, [{"content": "x", "role": "user"}], 3)
    assert key != cache_key("b", "m", {"t": 1}, [{"role": "user", "content": "x"}], 4)
    cache.put(key, BackendError("timeout", "slow"), {})
    cache.put(key, ChatResponse("second"), {})
    cache.close()
    again = ResponseCache(tmp_path / "c.jsonl")
    first = again.take(key)
    assert isinstance(first, BackendError) and first.kind == "timeout"
    assert again.take(key) == ChatResponse("second")
    assert again.take(key) is None
    again.rewind()
    assert isinstance(again.take(key), BackendError)
