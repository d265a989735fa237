"""Shared fixtures for the recorder tests."""

from __future__ import annotations

import pytest
from recording_helpers import BusWorld, WalkModel


@pytest.fixture
def walk_model() -> WalkModel:
    """A four-agent Mesa model."""
    return WalkModel()


@pytest.fixture
def bus_world() -> BusWorld:
    """A bare-bus world with agents ``a`` and ``b``."""
    return BusWorld()
