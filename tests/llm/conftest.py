"""Fixtures of the LLM tests: a stub chat-completions server per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from palaver.llm.testing import StubServer


@pytest.fixture
def server() -> Iterator[StubServer]:
    with StubServer() as stub:
        yield stub
