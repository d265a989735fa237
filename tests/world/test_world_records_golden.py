"""Golden record files: the JSON-lines records a seeded run writes to its log folder.

The record files (``contracts.jsonl``, ``breaches.jsonl``, ``negotiations.jsonl``,
``stats.jsonl``, ``ufuns.jsonl``) are checked in line by line, for the golden
worlds (all three breach modes, checkpoints) and for worlds whose runs fail in
the ways that settle items outside the usual order: negotiations that time
out or are cancelled, a world whose ``complete_contract_execution`` raises
(ignored, and not), a negotiator that raises and stops the run. With a log
folder the event trace must also stay the golden one: writing records adds no
event and changes none.

Regenerate (only on purpose, saying why in the commit message) with
``PALAVER_REGENERATE_GOLDEN=1``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from golden_worlds import Bazaar, Merchant, build_bazaar, golden_run, run_traced

from palaver.negotiators import AspirationNegotiator
from palaver.world import Breach, Contract, SimulationError, World

GOLDEN = Path(__file__).parent / "golden"
RECORDS = GOLDEN / "records"
REGENERATE = os.environ.get("PALAVER_REGENERATE_GOLDEN") == "1"
FILES = ("contracts", "breaches", "negotiations", "stats", "ufuns")


class FragileBazaar(Bazaar):
    """Completing every third breached contract raises."""

    n_completed = 0

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract
    ) -> None:
        self.n_completed += 1
        if self.n_completed % 3 == 0:
            raise RuntimeError(f"cannot complete {contract.id}")
        super().complete_contract_execution(contract, breaches, resolution)


class Crasher(AspirationNegotiator):
    """Raises in its third proposal."""

    n_proposals = 0

    def propose(self, state: Any) -> Any:
        self.n_proposals += 1
        if self.n_proposals == 3:
            raise RuntimeError("negotiator crashed")
        return super().propose(state)


class CrashingSeller(Merchant):
    """Its fourth negotiator raises."""

    n_made = 0

    def negotiator(self) -> AspirationNegotiator:
        self.n_made += 1
        if self.n_made == 4:
            return Crasher(ufun=self.ufun)
        return super().negotiator()


OPTIONS = {"log_ufuns": True, "log_stats_every": 1, "log_negotiations": True}


def _world(name: str, folder: Path) -> World:
    logs = {"log_folder": str(folder / "logs"), **OPTIONS}
    if name in GOLDEN_NAMES:
        return golden_run(name, folder / "checkpoints", **logs)
    if name.startswith("fragile"):
        return build_bazaar(
            "VICTIM_THEN_PERPETRATOR",
            seed=3,
            cls=FragileBazaar,
            fail_prob=0.6,
            ignore_contract_execution_exceptions=name == "fragile_ignored",
            **logs,
        )
    if name == "hasty":
        # Short negotiations: many end without agreement, by their mechanism.
        return build_bazaar("NONE", seed=8, neg_n_steps=7, negotiation_speed=3, **logs)
    if name == "crash":
        return build_bazaar("META_NEGOTIATION", seed=4, seller=CrashingSeller, **logs)
    raise AssertionError(name)


GOLDEN_NAMES = ["trips", "bazaar_none", "bazaar_vtp", "bazaar_meta"]
NAMES = [*GOLDEN_NAMES, "hasty", "fragile_ignored", "fragile_raised", "crash"]


def _record_lines(folder: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind in FILES:
        path = folder / f"{kind}.jsonl"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        # A ufun's repr names its address, which differs between runs.
        out[kind] = re.sub(r" at 0x[0-9a-f]+", "", text).splitlines()
    return out


@pytest.mark.parametrize("name", NAMES)
def test_record_files_are_unchanged(name: str, tmp_path: Path) -> None:
    world = _world(name, tmp_path)
    try:
        trace = run_traced(world)
    except Exception:
        assert name in ("fragile_raised", "crash"), name
        trace = None
    if name in GOLDEN_NAMES:
        expected = (GOLDEN / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert trace == expected, f"{name}: writing records changed the event trace"
    lines = _record_lines(tmp_path / "logs")
    target = RECORDS / name
    if REGENERATE:
        target.mkdir(parents=True, exist_ok=True)
        for kind, rows in lines.items():
            (target / f"{kind}.jsonl").write_text("".join(r + "\n" for r in rows), "utf-8")
    for kind, rows in lines.items():
        expected_rows = (target / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines()
        assert rows == expected_rows, f"{name}: {kind}.jsonl changed"
    assert lines["contracts"] and lines["negotiations"], f"{name}: records missing"


def test_a_resumed_run_continues_the_record_files(tmp_path: Path) -> None:
    """Resumed from its step-3 checkpoint into the same folder (after the original
    run went on writing), a run's record files are the uninterrupted run's."""
    world = _world("bazaar_vtp", tmp_path)
    world.run()
    resumed = type(world).from_checkpoint(tmp_path / "checkpoints" / "vtp" / "000003_world.ckpt")
    resumed.run()
    lines = _record_lines(tmp_path / "logs")
    for kind, rows in lines.items():
        if kind == "ufuns":
            continue  # written at join, before the checkpoint: not written again
        expected = (RECORDS / "bazaar_vtp" / f"{kind}.jsonl").read_text("utf-8").splitlines()
        assert rows == expected, kind


def test_the_record_sink_listens_to_no_offer_and_asks_the_world_at_write_time(
    tmp_path: Path,
) -> None:
    world = build_bazaar("NONE", log_folder=str(tmp_path), n_steps=3)
    bus = world.bus
    assert bus.active  # the record sink
    assert not bus.listens("offer") and not bus.listens("response")
    assert not bus.listens("state_change")  # get_private_state is not called for it
    calls: list[str] = []

    def contract_record(contract: Contract) -> dict[str, Any]:
        calls.append(contract.id)
        return {"mine": contract.id}

    world.contract_record = contract_record  # type: ignore[method-assign]
    world.run()
    rows = (tmp_path / "contracts.jsonl").read_text("utf-8").splitlines()
    assert rows and len(rows) == len(calls)
    assert all('"mine": "c' in r and r.startswith('{"status": "') for r in rows)


@pytest.mark.parametrize("wrong", ["raises", "not a dict"])
def test_a_contract_record_that_raises_or_returns_no_dict_is_named(
    tmp_path: Path, wrong: str
) -> None:
    # The record files' writer runs outside the callbacks' guard: a failing or
    # malformed contract_record came out as a raw KeyError or TypeError.
    world = build_bazaar("NONE", log_folder=str(tmp_path), n_steps=3)

    def contract_record(contract: Contract) -> Any:
        if wrong == "raises":
            raise KeyError("price")
        return ["not", "a", "dict"]

    world.contract_record = contract_record  # type: ignore[method-assign]
    with pytest.raises(SimulationError, match="contract_record") as caught:
        world.run()
    if wrong == "not a dict":
        assert "return a dict" in str(caught.value)
    else:
        assert isinstance(caught.value.__cause__, KeyError)
