"""palaver.negmas: NegMAS's names Palaver provides, reachable by replacing ``negmas``
with ``palaver.negmas`` in the imports (sub-packages included)."""

from __future__ import annotations

import importlib

import pytest

import palaver.negmas as negmas_names


def test_every_name_is_palavers_own_object() -> None:
    assert len(negmas_names.__all__) > 150
    homes = ["palaver", "palaver.preferences", "palaver.negotiators", "palaver.outcomes",
             "palaver.mechanisms", "palaver.world", "palaver.events", "palaver.scenarios",
             "palaver.tournaments", "palaver.serialization",
             "palaver.helpers", "palaver.named", "palaver.rational", "palaver._util.warning_types",
             "palaver.negotiators.genius", "palaver.tables",
             "palaver.strings", "palaver.mechanisms.full_trace", "palaver.registry",
             "palaver.scenarios.registry", "palaver.registry_files",
             "palaver.report.negmas_plot", "palaver.scenarios.standard_info",
             "palaver.tournaments.analysis", "palaver.report.tournament_analysis",
             "palaver.tournaments.negotiation.negmas_continue"]  # fmt: skip
    modules = [importlib.import_module(m) for m in homes]
    for name in negmas_names.__all__:
        value = getattr(negmas_names, name)
        if not any(getattr(m, name, None) is value for m in modules):
            assert name in {"AffineUtilityFunction", "OutcomeRange",
                            "cartesian_tournament", "run_world", "pareto_frontier",
                            "max_welfare_points", "make_issue",
                            "SimpleTournamentResults", "OPTIMALITY_COLS",
                            "make_scores", "BaseUtilityFunction",
                            # tour20: NegMAS's tournament folder and callback names
                            "CONFIG_FILE_NAME", "RESULTS_DIR_NAME", "TOURNAMENT_DIRS",
                            "TOURNAMENT_FILES", "ConstructedNegInfo", "RunInfo",
                            "apply_corrections", "normality_tests", "pairwise_tests",
                            "significance_matrix",
                            # tour22: NegMAS's run_negotiation (negmas_single.py)
                            "run_negotiation",
                            # metrics21: NegMAS's stats (rational frontier), negmas_stats.py
                            "calc_scenario_stats",
                            # negst23: NegMAS's metric columns (negotiation_metrics.py)
                            "NEGOTIATOR_METRIC_COLS", "SESSION_METRIC_COLS"}, name  # fmt: skip


@pytest.mark.parametrize(
    "module", ["sao", "preferences", "preferences.value_fun", "situated", "outcomes",
               "negotiators", "gb", "helpers", "inout"]
)  # fmt: skip
def test_negmas_sub_packages_are_the_same_namespace(module: str) -> None:
    sub = importlib.import_module(f"palaver.negmas.{module}")
    assert sub.SAOMechanism is negmas_names.SAOMechanism
    assert sub.__all__ == negmas_names.__all__
    assert negmas_names.__name__ == "palaver.negmas"  # the namespace itself untouched


def test_what_palaver_lacks_is_an_import_error() -> None:
    with pytest.raises(ImportError, match="NotANegmasName"):
        exec("from palaver.negmas.sao import NotANegmasName")
    with pytest.raises(ImportError, match=r"palaver\.negmas\.nosuchmodule"):
        importlib.import_module("palaver.negmas.nosuchmodule")


def test_pareto_frontier_and_max_welfare_points_have_negmas_shape() -> None:
    from palaver.negmas import MappingUtilityFunction, max_welfare_points, pareto_frontier

    outcomes = [(i,) for i in range(6)]
    # (0,) is below the second's reserved value; (4,) repeats (3,); (5,) is dominated
    first = MappingUtilityFunction(dict(zip(outcomes, [9, 5, 3, 1, 1, 0], strict=True)))
    second = MappingUtilityFunction(
        dict(zip(outcomes, [0, 2, 4, 6, 6, 5], strict=True)), reserved_value=1.0
    )
    # NegMAS 0.16 answers exactly this (welfare 7 each: its order of ties, and
    # of the equal (3,) and (4,) it keeps (4,)); Python floats and ints here.
    utilities, indices = pareto_frontier([first, second], outcomes=outcomes)
    assert (utilities, indices) == (((5.0, 2.0), (3.0, 4.0), (1.0, 6.0)), (1, 2, 4))
    unsorted = pareto_frontier([first, second], outcomes=outcomes, sort_by_welfare=False)
    assert unsorted == (((1.0, 6.0), (3.0, 4.0), (5.0, 2.0)), (4, 2, 1))
    best = max_welfare_points([first, second], utilities, ranges=[(0, 9), (0, 6)])
    assert [i for _, i in best] == [0, 1, 2]  # all tie at 7


def test_a_negmas_program_with_only_its_imports_changed() -> None:
    from palaver.negmas.outcomes import make_issue
    from palaver.negmas.preferences import LinearAdditiveUtilityFunction as LUFun
    from palaver.negmas.preferences.value_fun import IdentityFun, LinearFun
    from palaver.negmas.sao import AspirationNegotiator, SAOMechanism

    issues = [make_issue(10, "price"), make_issue(5, "quantity")]
    session = SAOMechanism(issues=issues, n_steps=50)
    seller = LUFun({"price": IdentityFun(), "quantity": LinearFun(0.5)}, issues=issues)
    buyer = LUFun({"price": LinearFun(-1.0), "quantity": IdentityFun()}, issues=issues)
    session.add(AspirationNegotiator(name="seller"), ufun=seller)
    session.add(AspirationNegotiator(name="buyer"), ufun=buyer)
    assert session.run().agreement is not None


def test_make_issue_makes_negmas_contiguous_issues() -> None:
    from palaver import make_issue as palaver_make_issue
    from palaver.negmas import ContiguousIssue, make_issue

    issue = make_issue((2, 5), "x")
    # NegMAS's: a ContiguousIssue whose values is (lo, hi); it lists its integers.
    assert isinstance(issue, ContiguousIssue) and issue.values == (2, 5)
    assert list(issue) == [2, 3, 4, 5] and issue == palaver_make_issue((2, 5), "x")
    assert isinstance(make_issue(10), ContiguousIssue) and make_issue(10).values == (0, 9)
    assert palaver_make_issue(3).values == range(3)  # Palaver's own stays a range
    assert make_issue(["a", "b"]) == palaver_make_issue(["a", "b"])


def test_importlib_resources_takes_it_as_a_package() -> None:
    from importlib.resources import files

    # NegMAS's tests find their data with files("negmas"); here that is Palaver's folder.
    assert files("palaver.negmas").joinpath("negmas.py").is_file()
