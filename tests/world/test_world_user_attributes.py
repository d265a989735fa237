"""User attributes never collide with the framework's (issue #9, item 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from golden_worlds import Bazaar, Merchant, run_traced

from palaver.examples.trips import build_trips

#: Names a user is likely to give their own attributes (and methods' names).
PLAUSIBLE = [
    "_log",
    "_logs",
    "_count",
    "_counts",
    "_counter",
    "_stats",
    "_agents",
    "_negotiations",
    "_contracts",
    "_step",
    "_steps",
    "_rng",
    "_random",
    "_name",
    "_id",
    "_ufuns",
    "_ufun",
    "_total_utility",
    "_breach_prob",
    "_started",
    "_start",
    "_finish",
    "_status",
    "_state",
    "_scores",
    "_score",
    "_seed",
    "_bus",
    "_info",
    "_config",
    "_cache",
    "_clock",
    "_time",
    "_elapsed",
    "_graph",
    "_queue",
    "_pending",
    "_signed",
    "_unsigned",
    "_breaches",
    "_quota",
    "_requests",
    "_awi",
    "_world",
    "_mechanism",
    "_mechanisms",
    "_negotiators",
    "_history",
    "_register",
    "_join",
    "_close",
    "_cancel",
    "_run",
    "_advance",
    "_refuse",
    "_resolve",
    "_sign",
    "_execute",
    "_record",
    "_monitor",
    "_speed",
    "_in_step",
    "_stopping",
    "_n_contracts",
    "_n_negotiations",
    "_n_breaches",
    "_saved_contracts",
    "_exceptions",
    "_current_step",
    "_settings",
    "_bulletin_board",
    "_checkpoint",
    # names of the world's own components and their parts (issue #10)
    "_guard",
    "_ledger",
    "_clock_",
    "_desk",
    "_book",
    "_scheduler",
    "_engine",
    "_components",
    "_times",
    "_records",
    "_monitors",
    "_options",
    "_negmas",
    "_priority",
    "_initialised",
    "_rngs",
    "_last_states",
    "_os_cache",
    "_quota_step",
    "_quota_total",
    "_signatures",
    "_parties",
    "_nullify",
    "_conclude",
    "_abort",
    "_step_agents",
    "_emit",
    "_write",
    "_sinks",
    "_events",
    "_mark",
    "_world_call",
    "_agent_call",
    "_quietly",
    "_lock",
    "_data",
    # names of the engine's components and their state (issue #10, second pass)
    "_roster",
    "_exchange",
    "_intake",
    "_breach_desk",
    "_contract_book",
    "_hooks",
    "_surface",
    "_tables",
    "_checkpoints",
    "_active",
    "_spaces",
    "_speed_",
    "_negotiator_ids",
    "_agent_times",
    "_own",
    "_series",
    "_totals",
    "_current",
    "_lengths",
    "_executed_size",
    "_breach_level",
    "_n_steps",
    "_time_limit",
    "_operations",
    "_breach_processing",
    "_shuffle_agents",
    "_awi_type",
    "_seeds_global_generators",
    "_publish_settings",
    "_start_run",
    "_close_run",
    "_finish_run",
    "_new_step",
    "_to_run",
    "_settled",
    "_due",
    "_next_id",
    "_expire_all",
    "_after_conclusion",
    "_renegotiate",
    "_propose",
    "_resolution",
    "_process",
    "_ready",
    "_init",
    "_stepping_order",
    "_x",
    "_",
    "_p",
    "_pal",
    "_palave",
]

#: Private names the framework itself defines on World / Agent besides its
#: ``_palaver*`` ones: the tutorial's two views and NegMAS's agent methods.
DOCUMENTED_PRIVATE = {
    "_stats",
    "_current_step",
    "_request_negotiation",
    "_respond_to_negotiation_request",
    # NegMAS's view of the running negotiations: a non-data descriptor, so a
    # world's own ``self._negotiations`` replaces it (the framework never reads it).
    "_negotiations",
    "_abc_impl",
    "_is_protocol",
}


def _clutter(obj: Any) -> None:
    for i, name in enumerate(PLAUSIBLE):
        value: Any = [] if i % 3 == 0 else (i if i % 3 == 1 else {"x": i})
        setattr(obj, name, value)


class PlainBazaar(Bazaar):
    # A world that sets its own ``_stats`` cannot also add statistics through
    # the tutorial's ``self._stats``: both runs go without them.
    track_stock = False


class ClutteredBazaar(PlainBazaar):
    def __init__(self, **kwargs: Any) -> None:
        _clutter(self)  # before the framework's own construction
        super().__init__(**kwargs)
        _clutter(self)

    def simulation_step(self, stage: int = 0) -> None:
        _clutter(self)  # also mid-run
        super().simulation_step(stage)


class ClutteredMerchant(Merchant):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _clutter(self)  # before the framework's own construction
        super().__init__(*args, **kwargs)
        _clutter(self)

    def init(self) -> None:
        _clutter(self)
        super().init()

    def step(self) -> None:
        _clutter(self)  # also mid-run
        super().step()


def _bazaar(world_cls: type, agent_cls: type, folder: Path) -> list[str]:
    world = world_cls(
        n_steps=6,
        seed=3,
        breach_processing="VICTIM_THEN_PERPETRATOR",
        neg_n_steps=8,
        negotiation_quota_per_step=2,
        checkpoint_every=2,
        checkpoint_folder=str(folder),
        log_folder=str(folder / "logs"),
    )
    for aid, buyer in (("buyer0", True), ("buyer1", True), ("seller0", False), ("seller1", False)):
        world.join(agent_cls(buyer, id=aid))
    return run_traced(world)


def test_a_cluttered_world_and_agents_run_exactly_as_clean_ones(tmp_path: Path) -> None:
    clean = _bazaar(PlainBazaar, Merchant, tmp_path / "clean")
    cluttered = [
        line.replace("ClutteredBazaar", "PlainBazaar")
        for line in _bazaar(ClutteredBazaar, ClutteredMerchant, tmp_path / "cluttered")
    ]
    assert len(clean) > 100
    assert cluttered == clean
    assert {p.name for p in (tmp_path / "clean").iterdir()} == {
        p.name for p in (tmp_path / "cluttered").iterdir()
    }


def test_the_tutorial_names_keep_working() -> None:
    world = build_trips(n_agents=4, n_steps=3, seed=2)
    world.run()
    # the tutorial reads these two; TripsWorld sets _contracts, _ufuns, ... itself
    assert world._current_step == world.current_step == 3
    assert world._stats["n_contracts_signed"] == world.stats["n_contracts_signed"]
    assert any(k.startswith("total_utility_") for k in world._stats)


def test_negmas_style_agent_sets_its_id_in_its_constructor() -> None:
    class Named(Merchant):
        def __init__(self) -> None:
            self.id = "alice"
            self.name = "Alice"
            super().__init__(True)

    agent = Named()
    world = Bazaar(n_steps=1, seed=1)
    world.join(agent)
    world.join(Merchant(False, id="seller0"))
    assert agent.id == "alice" and agent.name == "Alice" and "alice" in world.agents


def test_the_framework_keeps_its_private_names_under_palaver() -> None:
    """Every private name on World / Agent is ``_palaver*`` or documented, so that a
    user's own private names (any other) can never shadow the framework's."""
    from palaver.world import Agent, World

    for cls in (World, Agent):
        names = {
            n
            for k in cls.__mro__
            for n in vars(k)
            if n.startswith("_") and not (n.startswith("__") and n.endswith("__"))
        }
        stray = {n for n in names if not n.startswith("_palaver")} - DOCUMENTED_PRIVATE
        assert not stray, f"{cls.__name__}: {sorted(stray)}"
    assert len(PLAUSIBLE) > 150 and len(set(PLAUSIBLE)) == len(PLAUSIBLE)
    for name in PLAUSIBLE:
        assert not name.startswith("_palaver")


def test_a_world_keeps_one_private_handle() -> None:
    """Besides its documented attributes, a world's instance holds only ``_palaver``."""
    world = build_trips(n_agents=3, n_steps=2, seed=1)
    world.run()
    private = {n for n in vars(world) if n.startswith("_")}
    # TripsWorld's own attributes (the tutorial's) are not the framework's
    framework = {n for n in private if n.startswith("_palaver")}
    assert framework == {"_palaver"}


def test_replacing_the_agents_dict_is_refused_at_join() -> None:
    world = Bazaar(n_steps=1, seed=1)
    world.agents = {}
    with pytest.raises(ValueError, match=r"world\.agents was replaced"):
        world.join(Merchant(True, id="buyer0"))
