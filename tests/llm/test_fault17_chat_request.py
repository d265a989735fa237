"""A ChatRequest of the wrong shape is refused where it is made, naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.llm import ChatRequest

HI = {"role": "user", "content": "hi"}


@pytest.mark.parametrize(
    ("messages", "params", "message"),
    [
        (5, {}, r"ChatRequest\(messages=\.\.\.\) must be a non-empty tuple"),
        ((), {}, r"ChatRequest\(messages=\.\.\.\) must be a non-empty tuple"),
        ("hi", {}, r"ChatRequest\(messages=\.\.\.\) must be a non-empty tuple"),
        (({"role": "user"},), {}, r"ChatRequest\(messages\[0\]=\.\.\.\) must be a dict with"),
        ((HI, {"role": 1, "content": "x"}), {}, r"messages\[1\]=\.\.\.\) must be a dict"),
        ((HI, "hello"), {}, r"messages\[1\]=\.\.\.\) must be a dict"),
        ((HI,), [("temperature", 0)], r"ChatRequest\(params=\.\.\.\) must be a dict"),
    ],
)
def test_a_malformed_request_is_refused(messages: Any, params: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        ChatRequest(messages, params)


def test_a_well_formed_request_is_kept() -> None:
    request = ChatRequest((HI,), {"temperature": 0.0})
    assert request.messages == (HI,) and request.params == {"temperature": 0.0}
    assert ChatRequest([HI]).messages == [HI]
