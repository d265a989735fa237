"""NegMAS's SAOMechanism keywords: random endings, re-offering, automatic
checkpoints, and the keywords accepted only at their no-op values."""

from __future__ import annotations

import inspect
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from mech_fakes import R, Scripted, small_space

from palaver.mechanisms import MechanismError, SAOMechanism
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def sao(*negotiators: Any, **kwargs: Any) -> SAOMechanism:
    kwargs.setdefault("n_steps", 10)
    kwargs.setdefault("seed", 1)
    m = SAOMechanism(outcome_space=small_space(), **kwargs)
    for n in negotiators:
        assert m.add(n)
    return m


def aspiring(**kwargs: Any) -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(20, "price")], **kwargs)
    m.add(AspirationNegotiator(id="s", ufun=LinearUtilityFunction([1.0])))
    m.add(AspirationNegotiator(id="b", ufun=LinearUtilityFunction([-1.0], bias=19.0)))
    return m


def test_the_negmas_keywords_are_in_the_signature() -> None:
    names = set(inspect.signature(SAOMechanism).parameters)
    assert {
        "avoid_ultimatum",
        "allow_offering_just_rejected_outcome",
        "allow_negotiators_to_leave",
        "allow_none_with_data",
        "max_wait",
        "pend",
        "pend_per_second",
        "check_offers",
        "enforce_issue_types",
        "cast_offers",
        "ignore_negotiator_exceptions",
        "offering_is_accepting",
        "one_offer_per_step",
        "sync_calls",
        "end_on_no_response",
        "checkpoint_every",
        "checkpoint_folder",
        "checkpoint_filename",
        "extra_checkpoint_info",
        "single_checkpoint",
        "exist_ok",
    } <= names


# -- pend, pend_per_second -------------------------------------------------------


def test_pend_ends_a_seeded_negotiation_at_the_same_round_every_time() -> None:
    ends = []
    for seed in range(12):
        first = aspiring(n_steps=200, pend=0.15, seed=seed).run()
        again = aspiring(n_steps=200, pend=0.15, seed=seed).run()
        assert first.to_dict() == again.to_dict()
        ends.append((first.result, first.step))
    # Boulware aspiration agrees late: most runs end at random long before that.
    assert sum(result == "timeout" for result, _ in ends) >= 9
    assert len({step for _, step in ends}) >= 5


def test_pend_one_ends_before_the_first_round_and_zero_never() -> None:
    state = aspiring(n_steps=50, pend=1.0).run()
    assert state.timedout and state.step == 0 and state.agreement is None
    state = aspiring(n_steps=50, pend=0.0).run()
    assert state.agreement is not None


def test_pend_alone_bounds_a_negotiation() -> None:
    m = aspiring(pend=0.2, seed=3)
    assert m.limits.n_steps is None and m.nmi.pend == 0.2
    assert m.expected_remaining_steps == 5 and m.remaining_steps is None
    assert m.relative_time == pytest.approx(1 / 6)
    assert m.expected_relative_time == pytest.approx(1 / 6)
    # With a round limit too, the expected rounds are the fewer of the two.
    both = aspiring(n_steps=100, pend=0.1)
    assert both.expected_remaining_steps == 10 and both.remaining_steps == 100
    assert both.expected_relative_time == pytest.approx(1 / 11)
    assert aspiring(n_steps=3).expected_relative_time == pytest.approx(1 / 4)
    state = m.run()
    assert state.ended and 0.0 <= state.relative_time <= 1.0
    with pytest.raises(MechanismError, match="pend"):
        SAOMechanism(outcome_space=small_space())


@pytest.mark.parametrize("name", ["pend", "pend_per_second"])
@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan")])
def test_a_random_ending_is_a_probability(name: str, value: float) -> None:
    with pytest.raises(MechanismValueError, match=name):
        SAOMechanism(outcome_space=small_space(), n_steps=3, **{name: value})
    with pytest.raises(MechanismTypeError, match=name):
        SAOMechanism(outcome_space=small_space(), n_steps=3, **{name: "0.1"})


def test_pend_per_second_draws_once_a_second_passed() -> None:
    slow = Scripted("a", proposals=[(1, 1)], sleep_in="propose", sleep=0.55)
    m = sao(slow, Scripted("b", responses=[R]), n_steps=50, pend_per_second=1.0)
    assert m.nmi.pend_per_second == 1.0 and m.expected_remaining_time == 1.0
    began = time.perf_counter()
    state = m.run()
    assert state.timedout and 2 <= state.step <= 3  # the first round after a second
    assert time.perf_counter() - began < 5


# -- allow_offering_just_rejected_outcome -----------------------------------------


@pytest.mark.parametrize("one_offer_per_step", [False, True])
def test_offering_the_standing_offer_again_is_no_offer_when_not_allowed(
    one_offer_per_step: bool,
) -> None:
    def parties() -> tuple[Scripted, Scripted]:
        return Scripted("a", proposals=[(1, 1)]), Scripted("b", proposals=[(1, 1)])

    kw = {"one_offer_per_step": one_offer_per_step, "n_steps": 4}
    # Allowed (the default): b's re-offer stands.
    m = sao(*parties(), **kw)
    m.run()
    assert [who for _, who, _ in m.history][:2] == ["a", "b"]
    # Not allowed: b's proposal counts as none (the offer is withdrawn) ...
    m = sao(*parties(), allow_offering_just_rejected_outcome=False, **kw)
    state = m.run()
    assert m.allow_offering_just_rejected_outcome is False
    assert {who for _, who, _ in m.history} == {"a"} and state.timedout
    # ... or ends the negotiation with end_on_no_response.
    m = sao(*parties(), allow_offering_just_rejected_outcome=False, end_on_no_response=True, **kw)
    state = m.run()
    assert state.broken and [who for _, who, _ in m.history] == ["a"]


def test_the_option_plays_turn_by_turn_and_leaves_other_offers_alone() -> None:
    m = aspiring(n_steps=60, seed=2)
    off = aspiring(n_steps=60, seed=2, allow_offering_just_rejected_outcome=False)
    state, state_off = m.run(), off.run()
    assert m._plans and not off._plans  # the planned rounds are off
    assert state.agreement == state_off.agreement and m.history == off.history


# -- automatic checkpoints ----------------------------------------------------------


def test_checkpoints_are_saved_every_k_rounds_and_resume_exactly(tmp_path: Path) -> None:
    m = aspiring(n_steps=30, seed=4, checkpoint_folder=tmp_path, checkpoint_every=5)
    m2 = aspiring(n_steps=30, seed=4)
    m.run(), m2.run()
    assert m.state.to_dict() == m2.state.to_dict()
    # single_checkpoint=True (the default): one file, the final state.
    files = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert len(files) == 1
    assert SAOMechanism.from_checkpoint(tmp_path / files[0]).state.ended

    folder = tmp_path / "each"
    m = aspiring(
        n_steps=30,
        seed=4,
        checkpoint_folder=folder,
        checkpoint_every=5,
        single_checkpoint=False,
        checkpoint_filename="deal",
        extra_checkpoint_info={"who": "me"},
    )
    final = m.run()
    steps = sorted(int(p.name[:5]) for p in folder.iterdir() if not p.name.endswith(".json"))
    assert steps[:-1] == list(range(0, final.step, 5)) and steps[-1] == final.step
    resumed = SAOMechanism.from_checkpoint(folder / "00010.deal")
    assert resumed.state.step == 10 and resumed.state.running
    assert SAOMechanism.checkpoint_info(folder / "00010.deal")["who"] == "me"
    assert resumed.run().to_dict() == final.to_dict() and resumed.history == m.history


def test_no_checkpoint_folder_writes_nothing(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    m = aspiring(n_steps=10, checkpoint_every=1, single_checkpoint=False)
    m.run()
    assert list(tmp_path.iterdir()) == [] and m._step_guard is None
    m = aspiring(n_steps=10, checkpoint_folder=tmp_path / "off", checkpoint_every=0)
    m.run()
    assert not (tmp_path / "off").exists() or not any((tmp_path / "off").iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_checkpoint_is_never_written_over_a_fifo(tmp_path: Path) -> None:
    # The atomic rename replaced the FIFO with a regular file.
    os.mkfifo(tmp_path / "deal")
    m = aspiring(n_steps=3)
    with pytest.raises(ValueError, match=r"deal' is a FIFO, not a regular file"):
        m.checkpoint(tmp_path, file_name="deal", exist_ok=True)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "deal").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["deal"]


def test_bad_checkpoint_options_are_named() -> None:
    with pytest.raises(MechanismTypeError, match="checkpoint_every"):
        aspiring(n_steps=3, checkpoint_folder="x", checkpoint_every=1.5)
    with pytest.raises(MechanismTypeError, match="checkpoint_folder"):
        aspiring(n_steps=3, checkpoint_folder=3)
    with pytest.raises(MechanismValueError, match="extra_checkpoint_info"):
        aspiring(n_steps=3, checkpoint_folder="x", extra_checkpoint_info=[1])


def test_checkpoint_paths_and_file_names_are_checked(tmp_path: Path) -> None:
    # Path() said "expected str, bytes or os.PathLike object, not int"; "" was the
    # current folder, and a file_name of "../x" wrote outside the folder.
    m = aspiring(n_steps=3)
    for bad in (None, 3, ""):
        with pytest.raises(TypeError, match=r"^path must be a non-empty str or path"):
            m.checkpoint(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^file_name must be a non-empty str or path"):
            SAOMechanism.from_checkpoint(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^file_name must be a non-empty str or path"):
            SAOMechanism.checkpoint_info(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^file_name must be a plain file name \(a str\)"):
        m.checkpoint(tmp_path, file_name=3)  # type: ignore[arg-type]
    for bad_name in ("../x", "a/b", ""):
        with pytest.raises(ValueError, match=r"^file_name must be a plain file name"):
            m.checkpoint(tmp_path / "in", file_name=bad_name)
    assert not (tmp_path / "x").exists() and not (tmp_path / "in").exists()


# -- accepted at their no-op values ---------------------------------------------


def test_avoid_ultimatum_warns_and_changes_nothing_as_in_negmas() -> None:
    with pytest.warns(DeprecationWarning, match="avoid_ultimatum"):
        m = aspiring(n_steps=40, seed=5, avoid_ultimatum=True)
    plain = aspiring(n_steps=40, seed=5, avoid_ultimatum=False)
    assert m.run().to_dict() == plain.run().to_dict()
    with pytest.raises(MechanismTypeError, match="avoid_ultimatum"):
        aspiring(n_steps=3, avoid_ultimatum="yes")


def test_max_wait_is_accepted_only_where_it_can_never_bind() -> None:
    aspiring(n_steps=3, max_wait=sys.maxsize)
    aspiring(n_steps=3, max_wait=None)
    with pytest.raises(MechanismValueError, match=r"max_wait=5 .*WAIT"):
        aspiring(n_steps=3, max_wait=5)
    with pytest.raises(MechanismTypeError, match="max_wait"):
        aspiring(n_steps=3, max_wait=2.5)


def test_allow_none_with_data_is_a_flag() -> None:
    assert aspiring(n_steps=3).allow_none_with_data is True
    m = aspiring(n_steps=3, allow_none_with_data=False)
    assert m.allow_none_with_data is False and m.negotiators[0].nmi.allow_none_with_data is False
    with pytest.raises(MechanismTypeError, match="allow_none_with_data"):
        aspiring(n_steps=3, allow_none_with_data="no")
