"""NegMAS's run_negotiation and _make_mechanism: one cartesian-tournament negotiation on its own."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from palaver.negmas.inout import Scenario
from palaver.negmas.preferences import LinearAdditiveUtilityFunction
from palaver.negmas.preferences.value_fun import IdentityFun
from palaver.negmas.tournaments.neg.simple.cartesian import _make_mechanism, run_negotiation

from palaver.negmas import AspirationNegotiator, make_issue, make_os


def scenario() -> Any:
    space = make_os([make_issue(5, "price")], name="deal")
    return Scenario(
        outcome_space=space,
        ufuns=(
            # both want a high price: an agreement is sure
            LinearAdditiveUtilityFunction(values=[IdentityFun()], outcome_space=space),
            LinearAdditiveUtilityFunction(values=[IdentityFun()], outcome_space=space),
        ),
    )


class Broken(AspirationNegotiator):
    def __init__(self, **kwargs: Any) -> None:
        raise RuntimeError("cannot build")


def test_make_mechanism_leaves_shared_params_alone_and_annotates_each_call() -> None:
    s = scenario()
    shared = {"n_steps": 7}
    seen: dict[int, Any] = {}
    barrier = threading.Barrier(4)

    def build(rep: int) -> None:
        barrier.wait()
        m, failures, _, name = _make_mechanism(
            s, (AspirationNegotiator, AspirationNegotiator), rep=rep,
            mechanism_params=shared, run_id=f"r{rep}",
        )  # fmt: skip
        seen[rep] = (m.nmi.annotation["rep"], m.name, failures, name, [n.id for n in m.negotiators])

    threads = [threading.Thread(target=build, args=(r,)) for r in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert shared == {"n_steps": 7}
    for rep, (annotated, mech_name, failures, real, ids) in seen.items():
        assert (annotated, mech_name, failures, real) == (rep, f"r{rep}", {}, "deal")
        assert ids == [
            f"{AspirationNegotiator().type_name}@0",
            f"{AspirationNegotiator().type_name}@1",
        ]


def test_make_mechanism_reports_a_negotiator_that_cannot_be_built() -> None:
    with pytest.raises(RuntimeError, match="cannot build"):
        _make_mechanism(scenario(), (AspirationNegotiator, Broken), mechanism_params={"n_steps": 3})
    m, failures, _, _ = _make_mechanism(
        scenario(), (AspirationNegotiator, Broken), mechanism_params={"n_steps": 3},
        ignore_exceptions=True,
    )  # fmt: skip
    assert failures["has_error"] and failures["error_details"] == "cannot build"
    assert failures["erred_negotiator"].endswith("Broken")
    assert list(m.negotiators) == []


@pytest.mark.parametrize(
    ("fmt", "pattern"), [("csv", "*.csv"), ("gzip", "*.csv.gz"), ("parquet", "*.parquet")]
)
def test_run_negotiation_writes_history_and_record(tmp_path: Path, fmt: str, pattern: str) -> None:
    record = run_negotiation(
        s=scenario(),
        partners=(AspirationNegotiator, AspirationNegotiator),
        run_id="one",
        rep=2,
        path=tmp_path,
        partner_names=("a", "b"),
        mechanism_params={"n_steps": 10},
        storage_format=fmt,
    )
    assert [p.name for p in (tmp_path / "negotiations").glob(pattern)] == [
        pattern.replace("*", "one")
    ]
    saved = json.loads((tmp_path / "results" / "one.json").read_text())
    assert saved["run_id"] == record["run_id"] == "one"
    assert record["rep"] == saved["rep"] == 2
    assert record["partners"] == ["a", "b"] and record["negotiator_ids"] == ["a@0", "b@1"]
    assert record["scenario"] == "deal" and record["effective_scenario_name"] == "one"
    assert record["agreement"] is not None and not record["has_error"]
    assert record["n_steps"] == 10 and record["last_step"] <= 10


def test_run_negotiation_without_a_path_writes_nothing_and_refuses_what_it_cannot_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    steps = {"n_steps": 5}
    record = run_negotiation(
        scenario(), (AspirationNegotiator, AspirationNegotiator), run_id=1, mechanism_params=steps
    )
    assert list(tmp_path.iterdir()) == []
    assert "agreement" in record and record["run_id"] == "1"
    with pytest.raises(ValueError, match="plot"):
        run_negotiation(scenario(), (AspirationNegotiator,) * 2, run_id=1, plot=True)
    with pytest.raises(TypeError, match="nonsense"):
        run_negotiation(scenario(), (AspirationNegotiator,) * 2, run_id=1, nonsense=1)
    failed = run_negotiation(
        scenario(), (AspirationNegotiator, Broken), run_id="x", ignore_exceptions=True,
        mechanism_params=steps,
    )  # fmt: skip
    assert failed["has_error"] and failed["agreement"] is None
