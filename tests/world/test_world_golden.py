"""Golden event traces: seeded runs whose complete event logs are checked in.

Any change in what a world does shows up here as a diff that someone must
accept on purpose. To accept one, regenerate the traces and say why in the
commit message::

    PALAVER_REGENERATE_GOLDEN=1 PYTHONPATH=src python -m pytest tests/world/test_world_golden.py

The traces are ``tests/world/golden/<name>.jsonl``, one event per line (see
:func:`golden_worlds.trace_line` for what is left out).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from golden_worlds import golden_runs, run_traced

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("PALAVER_REGENERATE_GOLDEN") == "1"
NAMES = ["trips", "bazaar_none", "bazaar_vtp", "bazaar_meta"]


def _first_difference(expected: list[str], actual: list[str]) -> str:
    for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
        if e != a:
            return f"line {i + 1} differs:\n  golden: {e}\n  now:    {a}"
    return f"lengths differ: golden {len(expected)} events, now {len(actual)}"


@pytest.mark.parametrize("name", NAMES)
def test_golden_trace(name: str, tmp_path: Path) -> None:
    world = golden_runs(tmp_path)[name]
    lines = run_traced(world)
    target = GOLDEN / f"{name}.jsonl"
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = target.read_text(encoding="utf-8").splitlines()
    assert lines == expected, (
        f"{name}: the event trace changed; {_first_difference(expected, lines)}\n"
        "If the change is intended, regenerate with PALAVER_REGENERATE_GOLDEN=1 "
        "(see this module's docstring) and say why in the commit message."
    )


def test_golden_traces_cover_the_rich_world(tmp_path: Path) -> None:
    """The traces exercise what they are meant to guard."""
    types: dict[str, set[str]] = {}
    for name in NAMES:
        lines = (GOLDEN / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        types[name] = {line.split(",", 3)[2].strip('"') for line in lines}
    rich = types["bazaar_none"] | types["bazaar_vtp"] | types["bazaar_meta"]
    for needed in (
        "negotiation_rejected",
        "contract_cancelled",
        "contract_breached",
        "breach_resolved",
        "action",
        "message",
        "thanked",
        "checkpoint",
        "state_change",
    ):
        assert needed in rich, needed
    assert "breach_resolved" in types["bazaar_vtp"]
    assert "breach_resolved" in types["bazaar_meta"]
    assert "contract_breached" in types["trips"]
