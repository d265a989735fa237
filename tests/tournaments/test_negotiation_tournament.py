"""cartesian_tournament: plan, executors, resumption, hung and failing negotiators, offers."""

from __future__ import annotations

import json
import math
import signal
from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import Crasher, Exiter, Sleeper, small_scenario

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.tournaments import TournamentWarning
from palaver.tournaments.negotiation import (
    HUNG,
    NegotiationTournamentResults,
    TournamentResultsError,
    cartesian_tournament,
    load_negotiation_results,
)
from palaver.tournaments.negotiation.plan import draw_limit, plan_negotiations

COMPETITORS = ["boulware", "conceder", "micro", "random"]


def _frame(results: NegotiationTournamentResults):  # type: ignore[no-untyped-def]
    negs = results.negotiations.drop(columns=["cpu_time", "wall_time"])
    return negs.sort_values("index").reset_index(drop=True)


@pytest.mark.parametrize(
    ("self_play", "rotate", "expected"), [(True, False, 16), (False, False, 12), (True, True, 32)]
)
def test_every_pairing_rotation_and_repetition_is_played(
    self_play: bool, rotate: bool, expected: int
) -> None:
    scenarios = [small_scenario(0), small_scenario(1)]
    r = cartesian_tournament(
        COMPETITORS,
        scenarios,
        n_repetitions=2,
        n_steps=20,
        rotate_ufuns=rotate,
        self_play=self_play,
        seed=1,
    )
    negs = r.negotiations
    assert len(negs) == expected * 2 * 2
    pairs = negs.groupby(["scenario", "rotation", "repetition"]).partners.apply(set)
    assert all(len(p) == expected // (2 if rotate else 1) for p in pairs)
    parties = r.parties
    # Each competitor holds each utility function equally often.
    counts = parties.groupby(["competitor", "ufun"]).size()
    assert counts.nunique() == 1
    assert set(negs.result) <= {"agreement", "timeout", "failure"}


def test_results_do_not_depend_on_the_executor(tmp_path: Path) -> None:
    scenarios = [small_scenario(0), small_scenario(1)]
    kw = dict(n_repetitions=2, n_steps=(5, 200), seed=7, detail="offers")
    serial = cartesian_tournament(COMPETITORS, scenarios, executor="serial", **kw)
    process = cartesian_tournament(
        COMPETITORS, scenarios, executor="process", workers=2, path=tmp_path / "p", **kw
    )
    assert _frame(serial).equals(_frame(process))
    q = "SELECT * FROM offers ORDER BY negotiation_id, round, position"
    a, b = serial.query(q), process.query(q)
    assert len(a) > 0 and a.astype(str).equals(b.astype(str))


def test_a_recorded_negotiation_replays_offer_for_offer() -> None:
    scenario = small_scenario(3)
    r = cartesian_tournament(
        [BoulwareNegotiator, MiCRO],
        [scenario],
        n_steps=60,
        seed=5,
        detail="offers",
        rotate_ufuns=False,
    )
    row = r.negotiations.query("partners == 'BoulwareNegotiator|MiCRO'").iloc[0]
    mech = SAOMechanism(
        outcome_space=scenario.outcome_space, n_steps=int(row.n_steps), seed=int(row.seed)
    )
    mech.add(BoulwareNegotiator(id="a"), ufun=scenario.ufuns[0])
    mech.add(MiCRO(id="b"), ufun=scenario.ufuns[1])
    mech.run()
    offers = r.query(
        "SELECT o.round, o.position, x.outcome FROM offers o JOIN outcomes x "
        f"USING (scenario, outcome_index) WHERE negotiation_id = '{row.negotiation_id}' "
        "ORDER BY round, position"
    )
    replay = [(rnd, 0 if who == "a" else 1, list(o)) for rnd, who, o in mech.history]
    recorded = [(r, p, json.loads(o)) for r, p, o in offers.itertuples(index=False, name=None)]
    assert recorded == replay
    assert int(row.rounds) == mech.state.step


def test_n_steps_are_drawn_log_uniformly_within_bounds_and_reproducibly() -> None:
    draws = [draw_limit((10, 10000), np.random.default_rng(i), True) for i in range(4000)]
    assert all(isinstance(d, int) and 10 <= d <= 10000 for d in draws)
    logs = np.log10(draws)
    assert abs(float(np.median(logs)) - 2.5) < 0.1  # log-uniform: median 10**2.5
    a = plan_negotiations(3, [2, 2], 2, True, True, (10, 1000), None, 3)
    b = plan_negotiations(3, [2, 2], 2, True, True, (10, 1000), None, 3)
    assert a == b
    assert len({s.n_steps for t in a for s in t.negotiations}) > 20


def test_a_tournament_resumes_where_it_stopped(tmp_path: Path) -> None:
    scenarios = [small_scenario(0), small_scenario(1), small_scenario(2)]
    kw = dict(n_repetitions=2, n_steps=30, seed=11, path=tmp_path / "t", detail="offers")
    full = cartesian_tournament(COMPETITORS, scenarios, **kw)
    expected = _frame(full)  # read now: the resume rewrites a part under these results
    manifest = tmp_path / "t" / "manifest.jsonl"
    lines = manifest.read_text().splitlines()
    # As if stopped after two batches, the third one's line cut short mid-write.
    manifest.write_text("\n".join(lines[:2]) + "\n" + lines[2][:10])
    with pytest.warns(TournamentWarning, match="manifest.jsonl line 3"):
        resumed = cartesian_tournament(COMPETITORS, scenarios, **kw)
    assert _frame(resumed).equals(expected)
    assert len(load_negotiation_results(tmp_path / "t")) == len(expected)
    with pytest.raises(ValueError, match="another tournament"):
        cartesian_tournament(COMPETITORS, scenarios, **{**kw, "n_steps": 31})


def test_a_hung_negotiator_is_stopped_and_recorded() -> None:
    before = signal.getsignal(signal.SIGALRM)
    r = cartesian_tournament(
        [Sleeper, "boulware"],
        [small_scenario(0)],
        n_steps=50,
        seed=2,
        hang_timeout=0.3,
        rotate_ufuns=False,
    )
    negs = r.negotiations
    hung = negs[negs.result == HUNG]
    # Every negotiation with a Sleeper in it hangs, and names the Sleeper.
    assert len(hung) == 3
    assert all(e.startswith("Sleeper@") for e in hung.erred_negotiator)
    assert all("hang_timeout" in e for e in hung.error)
    assert set(negs[negs.result != HUNG].partners) == {"BoulwareNegotiator|BoulwareNegotiator"}
    # The batch's watchdog is gone: the handler is the caller's again, no timer left running.
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_hang_timeout_longer_than_the_os_timer_holds_means_no_alarm() -> None:
    # setitimer() raised OverflowError ("timestamp out of range for platform time_t")
    # and left its SIGALRM handler installed.
    before = signal.getsignal(signal.SIGALRM)
    r = cartesian_tournament(
        ["boulware", "linear"], [small_scenario(0)], n_steps=5, seed=2, hang_timeout=1e30
    )
    assert len(r.negotiations) > 0 and signal.getsignal(signal.SIGALRM) is before


def test_a_failing_negotiator_ends_its_negotiation_with_an_error() -> None:
    r = cartesian_tournament(
        [Crasher, "boulware"], [small_scenario(0)], n_steps=50, seed=2, rotate_ufuns=False
    )
    negs = r.negotiations
    errors = negs[negs.result == "error"]
    assert len(errors) == 3 and all("boom" in e for e in errors.error)
    parties = r.parties
    failed = parties[parties.result == "error"]
    assert (failed.utility == failed.reserved_value).all()  # no agreement: the reserved value


def test_a_batch_whose_worker_dies_is_recorded_negotiation_by_negotiation() -> None:
    # The rows of a batch the executor gave up on were built with a call that
    # lacked the scenario info argument: a TypeError instead of results.
    r = cartesian_tournament(
        [Exiter, "boulware"],
        [small_scenario(0)],
        n_steps=20,
        seed=2,
        rotate_ufuns=False,
        executor="process",
        workers=1,
    )
    negs = r.negotiations
    assert len(negs) == 4 and set(negs.result) == {"error"}
    assert all(e for e in negs.error)


def test_scores_ranking_tests_and_win_matrix() -> None:
    r = cartesian_tournament(
        ["boulware", "conceder", "random"],
        [small_scenario(i) for i in range(4)],
        n_repetitions=3,
        n_steps=(10, 300),
        seed=3,
    )
    parties = r.parties
    adv = (parties.utility - parties.reserved_value) / (
        parties.max_utility - parties.reserved_value
    )
    assert np.allclose(adv, parties.advantage)
    ranking = r.ranking()
    assert list(ranking.columns) == [
        "rank", "competitor", "score", "ci_low", "ci_high", "n", "n_dropped",
    ]  # fmt: skip
    assert ranking.score.is_monotonic_decreasing
    means = parties.groupby("competitor").advantage.mean()
    for row in ranking.itertuples():
        assert math.isclose(row.score, means[row.competitor])
        assert row.ci_low <= row.score <= row.ci_high
    by_distance = r.ranking("nash_distance")
    assert by_distance.score.is_monotonic_increasing  # lower distance ranks first
    sig = r.significance()
    assert len(sig) == 3 and (sig.p_adjusted >= sig.p).all()
    wins = r.win_matrix()
    both = wins.to_numpy() + wins.to_numpy().T
    off = ~np.eye(3, dtype=bool)
    assert np.allclose(both[off], 1.0)
    scores = r.scores(["advantage", "welfare"])
    assert ("advantage", "ci_low") in scores.columns
    negs = r.negotiations
    agreed = negs[negs.agreement_index >= 0]
    assert (agreed.pareto_distance >= 0).all() and (agreed.nash_distance >= 0).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"competitors": []}, "at least one"),
        ({"competitors": ["nobody"]}, "unknown competitor|cannot import"),
        ({"n_steps": 0}, "n_steps"),
        ({"n_steps": (100, 10)}, "n_steps"),
        ({"n_steps": None}, "bounded"),
        ({"detail": "everything"}, "detail"),
        ({"detail": "ofers"}, r"got 'ofers'; did you mean 'offers'\?"),
        ({"n_repetitions": 0}, "n_repetitions"),
        ({"scenarios": [object()]}, "scenarios\\[0\\]"),
        ({"scenarios": []}, "at least one scenario"),
        ({"seed": -1}, "seed"),
        ({"competitor_names": ["a"]}, "competitor_names"),
        ({"executor": "cluster"}, "executor"),
    ],
)
def test_bad_arguments_are_refused_naming_the_parameter(kwargs: dict, message: str) -> None:
    args = {"competitors": ["boulware", "micro"], "scenarios": [small_scenario(0)]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        cartesian_tournament(**args)


def test_a_damaged_folder_raises_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(TournamentResultsError, match="not a negotiation tournament folder"):
        load_negotiation_results(tmp_path)
    with pytest.raises(TypeError, match=r"path must be a str or a path .* got 123 \(int\)"):
        load_negotiation_results(123)  # type: ignore[arg-type]
    cartesian_tournament(["boulware"], [small_scenario(0)], n_steps=10, seed=1, path=tmp_path)
    (tmp_path / "tournament.json").write_text("{not json")
    with pytest.raises(TournamentResultsError, match=r"tournament\.json"):
        load_negotiation_results(tmp_path)


def test_a_setup_without_checksum_or_keys_is_damaged_not_older(tmp_path: Path) -> None:
    # It passed as an older Palaver's file and failed later with a bare KeyError.
    cartesian_tournament(["boulware"], [small_scenario(0)], n_steps=10, seed=1, path=tmp_path)
    setup = tmp_path / "tournament.json"
    full = json.loads(setup.read_text())
    for kept in ({"kind": "negotiation"}, {k: v for k, v in full.items() if k != "seed"}):
        setup.write_text(json.dumps({k: v for k, v in kept.items() if k != "sha256"}))
        with pytest.raises(TournamentResultsError, match=r"tournament\.json is damaged \(its che"):
            load_negotiation_results(tmp_path)
    # A file of the first format (no checksum, none of the later keys) is still read.
    later = ("sha256", "scenario_fingerprints", "n_steps_per", "metrics_version")
    setup.write_text(json.dumps({k: v for k, v in full.items() if k not in later}))
    assert len(load_negotiation_results(tmp_path)) == 2


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_a_part_damaged_after_opening_is_named_by_len(tmp_path: Path, damage: str) -> None:
    results = cartesian_tournament(
        ["boulware", "conceder"], [small_scenario(0), small_scenario(1)], n_steps=10, seed=1,
        path=tmp_path,
    )  # fmt: skip
    part = sorted((tmp_path / "negotiations").iterdir())[1]
    data = part.read_bytes()
    if damage == "flip":
        part.write_bytes(data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
    elif damage == "truncate":
        part.write_bytes(data[: len(data) // 2])
    else:
        part.unlink()
    with pytest.raises(TournamentResultsError, match=rf"negotiations table: {part} is not what"):
        len(results)
    again = load_negotiation_results(tmp_path)  # reopened: the batch is left out
    assert len(again) == 8 and list(again.problems) == [f"negotiations/{part.name}"]


def test_n_steps_drawn_per_scenario_are_shared_by_its_pairings() -> None:
    r = cartesian_tournament(
        ["boulware", "micro"],
        [small_scenario(0), small_scenario(1)],
        n_repetitions=3,
        n_steps=(10, 1000),
        n_steps_per="scenario",
        seed=9,
    )
    negs = r.negotiations
    per_batch = negs.groupby(["scenario", "repetition"]).n_steps.nunique()
    assert (per_batch == 1).all()
    assert negs.n_steps.nunique() > 1
    with pytest.raises(ValueError, match="n_steps_per"):
        cartesian_tournament(["boulware"], [small_scenario(0)], n_steps_per="round")


def test_every_batch_has_the_same_schema() -> None:
    # A batch without any error (all-null columns) must write the same types as
    # one with errors, or the files could not be read back together.
    quiet = cartesian_tournament(["boulware"], [small_scenario(0)], n_steps=30, seed=2)
    noisy = cartesian_tournament([Crasher], [small_scenario(0)], n_steps=30, seed=2)
    assert quiet.negotiations.error.isna().all() and noisy.negotiations.error.notna().all()
    for name in ("negotiations", "parties"):
        assert quiet.table(name).schema == noisy.table(name).schema


def test_ray_gives_the_same_results_as_serial(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'palaver[ray]'")
    scenarios = [small_scenario(0), small_scenario(1)]
    kw = dict(n_repetitions=2, n_steps=(5, 100), seed=13, detail="offers")
    serial = cartesian_tournament(COMPETITORS, scenarios, executor="serial", **kw)
    ray = cartesian_tournament(
        COMPETITORS, scenarios, executor="ray", workers=2, path=tmp_path / "r", **kw
    )
    assert _frame(serial).equals(_frame(ray))


def test_time_limits_are_drawn_and_given_to_each_mechanism() -> None:
    r = cartesian_tournament(
        ["boulware", "micro"],
        [small_scenario(0)],
        n_steps=None,
        time_limit=(0.01, 0.02),
        seed=3,
        rotate_ufuns=False,
    )
    negs = r.negotiations
    assert negs.time_limit.between(0.01, 0.02).all() and negs.time_limit.nunique() == 4
    assert set(negs.result) <= {"agreement", "timeout"}


def test_offers_of_planned_pairings_are_recorded_as_replayed() -> None:
    from palaver.negotiators import LinearNegotiator

    scenario = small_scenario(3)
    r = cartesian_tournament(
        [BoulwareNegotiator, LinearNegotiator],
        [scenario],
        n_steps=(5, 400),
        n_repetitions=3,
        seed=9,
        detail="offers",
        rotate_ufuns=False,
    )
    kinds = {"BoulwareNegotiator": BoulwareNegotiator, "LinearNegotiator": LinearNegotiator}
    checked = 0
    for row in r.negotiations.itertuples():
        mech = SAOMechanism(
            outcome_space=scenario.outcome_space, n_steps=int(row.n_steps), seed=int(row.seed)
        )
        for p, name in enumerate(row.partners.split("|")):
            mech.add(kinds[name](id=f"x{p}"), ufun=scenario.ufuns[p])
        mech.run()
        assert mech._plans and None not in mech._plans  # played from the plans
        offers = r.query(
            "SELECT o.round, o.position, x.outcome FROM offers o JOIN outcomes x "
            f"USING (scenario, outcome_index) WHERE negotiation_id = '{row.negotiation_id}' "
            "ORDER BY round, position"
        )
        replay = [(rnd, int(who[1:]), list(o)) for rnd, who, o in mech.history]
        recorded = [(a, b, json.loads(o)) for a, b, o in offers.itertuples(index=False, name=None)]
        assert recorded == replay
        checked += 1
    assert checked >= 12


def test_a_query_naming_a_missing_view_says_which_views_there_are(tmp_path: Path) -> None:
    r = cartesian_tournament(
        ["boulware", "conceder"], [small_scenario(0)], n_steps=10, seed=1, detail="outcomes"
    )
    with pytest.raises(ValueError, match=r"(?s)offers.*views of these results: .*negotiations.*"
                       r"detail='offers'"):  # fmt: skip
        r.query("SELECT count(*) FROM offers")
    assert int(r.query("SELECT count(*) AS n FROM negotiations")["n"][0]) == len(r)


def test_a_line_without_checksum_after_checked_ones_is_damage(tmp_path: Path) -> None:
    # Lines without a checksum are an older Palaver's, written before any checked
    # line: one appended later overrode its batch unchecked (here: with no files).
    cartesian_tournament(["boulware"], [small_scenario(0)], n_steps=10, seed=1, path=tmp_path)
    manifest = tmp_path / "manifest.jsonl"
    line = json.loads(manifest.read_text())
    forged = {"batch": line["batch"], "files": {}, "negotiations": 2, "status": "done"}
    manifest.write_text(manifest.read_text() + json.dumps(forged) + "\n")
    results = load_negotiation_results(tmp_path)
    assert results.problems == {
        "manifest.jsonl line 2": "damaged or cut short; its batch runs again"
    }
    assert len(results) == 2  # the checked line still counts


def test_parallel_entries_for_a_negotiation_competitor_are_not_ignored() -> None:
    from palaver.tournaments.negotiation.competitors import (
        NegotiationCompetitor,
        as_competitors,
    )

    named = NegotiationCompetitor(BoulwareNegotiator, {}, "B")
    unnamed = NegotiationCompetitor(MiCRO)
    # A name given for an unnamed competitor names it; the same name is fine.
    got = as_competitors([named, unnamed], competitor_names=["B", "M"])
    assert [c.name for c in got] == ["B", "M"]
    with pytest.raises(ValueError, match=r"competitor_names\[0\]='X'.*named 'B'"):
        as_competitors([named, unnamed], competitor_names=["X", "M"])
    with pytest.raises(ValueError, match=r"competitor_params\[1\]=.*set its parameters"):
        as_competitors([named, unnamed], competitor_params=[None, {"accept_same": False}])
    assert as_competitors([named], competitor_params=[{}]) == [named]
