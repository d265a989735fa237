"""Shared test configuration."""

from __future__ import annotations

from hypothesis import settings

# The machine is shared and small; keep property tests quick and deterministic.
settings.register_profile("palaver", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("palaver")
