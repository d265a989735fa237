"""Shared test configuration."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# The machine is shared and small; keep property tests quick and deterministic.
# Generation speed depends on the machine's load, not on the code: never fail on it.
settings.register_profile(
    "palaver",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("palaver")


# Tests that take seconds each (subprocesses, Ray, SIGKILLs, memory sweeps,
# long property runs). They are marked ``slow``: ``make test-fast`` skips them
# (``pytest -m "not slow"``), ``make test`` runs everything. Listed here, in one
# place, by module or by test id.
_SLOW_MODULES = (
    "tests/recording/test_memory.py",
    "tests/recording/test_mesa_and_crash.py",
    "tests/tournaments/test_tournament_ray.py",
    "tests/tournaments/test_tournament_ray_chunks.py",
    "tests/tournaments/test_tournament_interrupt.py",
    "tests/tournaments/test_tournament_process.py",
)
_SLOW_TESTS = (
    "tests/negotiators/test_ranking.py::test_stable_argsort_is_numpys_stable_argsort",
    "tests/world/test_world_checkpoint.py::test_same_seed_gives_the_same_event_log_also_after_resuming",
    "tests/world/test_world_checkpoint.py::test_checkpoint_resumed_in_a_fresh_process_matches_the_full_run",
    "tests/checks/test_check_world.py::test_trips_world_passes_every_check",
    "tests/checks/test_check_world.py::test_nondeterministic_world_is_caught",
    "tests/checks/test_check_world.py::test_world_that_cannot_checkpoint_is_caught",
    "tests/recording/test_storage.py::test_indexes_match_a_scan",
    "tests/recording/test_encoding.py::test_plain_data_is_stored_exactly_as_the_standard_library_writes_it",
    "tests/examples/test_tutorial.py::test_a_tutorial_world_resumes_from_a_checkpoint_in_a_fresh_process",
    "tests/test_docs.py::test_page_examples_run[checks.md]",
    "tests/tournaments/test_tournament_trips.py::test_trips_tournament_is_identical_on_serial_and_process",
    "tests/tournaments/test_negotiation_tournament.py::test_a_batch_whose_worker_dies_is_recorded_negotiation_by_negotiation",
    "tests/tournaments/test_tournament_trips.py::test_recordings_are_off_by_default_and_on_by_flag",
    "tests/typing/test_typing.py::test_user_world_types_as_documented",
    "tests/typing/test_typing.py::test_strict_packages_are_clean",
)


def pytest_collection_modifyitems(config: object, items: list) -> None:  # type: ignore[type-arg]
    import pytest

    for item in items:
        nodeid = item.nodeid
        if nodeid.split("::")[0] in _SLOW_MODULES or nodeid in _SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


def _within(seconds: float, call: Callable[[], Any]) -> BaseException | None:
    box: list[BaseException | None] = []

    def target() -> None:
        try:
            call()
            box.append(None)
        except BaseException as exc:  # the test inspects it
            box.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"blocked for more than {seconds} s")
    return box[0]


@pytest.fixture
def within() -> Callable[[float, Callable[[], Any]], BaseException | None]:
    """``within(seconds, call)``: what ``call`` raised (``None``: nothing), run on a
    thread; fails the test instead of hanging it when the call blocks (a read of
    a FIFO, say)."""
    return _within
