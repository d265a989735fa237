"""NegMAS's cartesian_tournament: frames that outlive the folder, NegMAS's files
and config, and its before/after/progress callbacks (tour20)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from negotiation_helpers import small_scenario

from palaver.negmas import (
    CONFIG_FILE_NAME,
    ConstructedNegInfo,
    RunInfo,
    SimpleTournamentResults,
    cartesian_tournament,
)
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.tournaments.negotiation import cartesian_tournament as palaver_tournament
from palaver.tournaments.negotiation.negmas_folder import combine_configs, find_dataframe_file


def run(**kwargs: Any) -> SimpleTournamentResults:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 5, **kwargs}
    return cartesian_tournament([BoulwareNegotiator, MiCRO], [small_scenario(0)], **kwargs)


def test_the_frames_outlive_a_temporary_folder() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        r = run(path=Path(tmp) / "t")
        expected = r.final_scores.copy()
    assert not Path(tmp).exists()
    assert len(r.details) == 8 and len(r.scores) == 16
    pd.testing.assert_frame_equal(r.final_scores, expected)


def test_before_start_after_construction_and_after_end_are_called_per_negotiation() -> None:
    infos: list[RunInfo] = []
    built: list[tuple[int, int]] = []
    records: list[tuple[dict[str, Any], dict[str, Any]]] = []
    r = run(
        n_repetitions=2,
        before_start_callback=infos.append,
        after_construction_callback=lambda b: built.append(_seen(b)),
        after_end_callback=lambda record, config: records.append((record, config)),
        metadata={"k": 1},
    )
    assert len(infos) == len(built) == len(records) == len(r.details) == 16
    assert {i.rep for i in infos} == {0, 1} and all(i.n_repetitions == 2 for i in infos)
    assert all(i.s.name == "t0" and len(i.partners) == 2 for i in infos)
    assert {i.partners for i in infos} >= {(BoulwareNegotiator, MiCRO), (MiCRO, MiCRO)}
    assert all(i.config["metadata"] == {"k": 1} for i in infos)
    assert built == [(2, 0)] * 16  # two negotiators joined, no round played yet
    details = r.details.set_index("run_id")
    for record, config in records:
        assert config["n_repetitions"] == 2
        row = details.loc[record["run_id"]]
        assert record["agreement"] == row.agreement
        assert record["utilities"] == pytest.approx(list(row.utilities))
        assert record["partners"] == list(row.partners)


def _seen(info: ConstructedNegInfo) -> tuple[int, int]:
    return len(info.mechanism.negotiators), info.mechanism.state.step


def test_after_end_callback_with_one_argument_gets_the_record_only() -> None:
    seen: list[dict[str, Any]] = []
    run(after_end_callback=seen.append)
    assert len(seen) == 8 and all("agreement" in s for s in seen)


def test_a_callback_that_raises_ends_its_negotiation_as_an_error_row() -> None:
    def fail_once(record: dict[str, Any]) -> None:
        if record["run_id"] == "n0000001":
            raise RuntimeError("callback broke")

    r = run(after_end_callback=fail_once)
    errors = r.details[r.details.has_error]
    assert errors.run_id.tolist() == ["n0000001"]
    assert "callback broke" in errors.error_details.iloc[0]
    assert not r.details[~r.details.has_error].has_error.any()


def test_progress_callback_reports_negmas_s_four_stages_with_either_signature() -> None:
    with_config: list[tuple[str, int, int, dict[str, Any]]] = []
    without: list[tuple[str, int, int]] = []
    run(progress_callback=lambda m, c, t, cfg: with_config.append((m, c, t, cfg)))
    run(progress_callback=lambda m, c, t: without.append((m, c, t)))
    assert [c for _, c, _, _ in with_config] == [1, 2, 3, 4] == [c for _, c, _ in without]
    assert all(t == 4 for _, _, t in without)
    assert with_config[0][0] == "Loaded 2 competitors"
    assert with_config[-1][3]["n_competitors"] == 2


def test_negmas_s_files_and_config_yaml_are_written_in_the_folder(tmp_path: Path) -> None:
    r = run(path=tmp_path / "t", metadata={"experiment": "x"})
    root = tmp_path / "t"
    # NegMAS's default storage_optimization="space": parquet details, no all_scores.
    assert find_dataframe_file(root, "details") == root / "details.parquet"
    assert find_dataframe_file(root, "all_scores") is None
    assert (root / "scores.csv").is_file() and (root / "type_scores.csv").is_file()
    details = pd.read_parquet(root / "details.parquet")
    assert details.run_id.tolist() == r.details.run_id.tolist()
    config = yaml.safe_load((root / CONFIG_FILE_NAME).read_text())
    assert config["n_competitors"] == 2 and config["n_scenarios"] == 1
    assert config["competitor_names"] == ["BoulwareTBNegotiator", "MiCRONegotiator"]
    assert config["metadata"] == {"experiment": "x"} and config["seed"] == 5
    assert config["has_after_end_callback"] is False
    loaded = SimpleTournamentResults.load(root)
    assert loaded.config["metadata"] == {"experiment": "x"}
    assert loaded.final_scores.strategy.tolist() == r.final_scores.strategy.tolist()


@pytest.mark.parametrize(("fmt", "ext"), [("csv", ".csv"), ("gzip", ".csv.gz")])
def test_storage_format_and_speed_write_every_frame(tmp_path: Path, fmt: str, ext: str) -> None:
    r = run(path=tmp_path, storage_optimization="speed", storage_format=fmt)
    assert find_dataframe_file(tmp_path, "all_scores") == tmp_path / f"all_scores{ext}"
    scores = pd.read_csv(tmp_path / f"all_scores{ext}", index_col=0)
    assert scores.utility.tolist() == pytest.approx(r.scores.utility.tolist())


def test_save_writes_the_files_elsewhere(tmp_path: Path) -> None:
    r = run()
    r.save(tmp_path / "copy", storage_optimization="balanced")
    assert (tmp_path / "copy" / "details.csv.gz").is_file()
    assert (tmp_path / "copy" / "all_scores.csv.gz").is_file()
    with pytest.raises(FileExistsError):
        r.save(tmp_path / "copy", exist_ok=False)
    with pytest.raises(FileNotFoundError, match="give path"):
        r.save()


def test_combine_configs_keeps_what_is_shared_and_refuses_other_competitors() -> None:
    a = {"competitors": ["A"], "rotate_ufuns": True, "n_steps": 10, "path": "x"}
    b = {"competitors": ["A"], "rotate_ufuns": False, "n_steps": 10, "path": "y"}
    out = combine_configs([a, b], n_unique_scenarios=3)
    assert out == {"competitors": ["A"], "rotate_ufuns": None, "n_steps": 10, "path": None,
                   "n_scenarios": 3}  # fmt: skip
    assert combine_configs([a], 7)["path"] == "x"
    with pytest.raises(ValueError, match="different competitors"):
        combine_configs([a, {**b, "competitors": ["B"]}], 2)


def test_negmas_s_private_helpers_import_from_its_module_path() -> None:
    from palaver.negmas.tournaments.neg.simple.cartesian import (  # type: ignore[attr-defined]
        _combine_configs,
        _find_dataframe_file,
    )

    assert _combine_configs is combine_configs and _find_dataframe_file is find_dataframe_file
    import palaver.negmas

    assert "_combine_configs" not in palaver.negmas.__all__


class _NotPicklable:
    def __init__(self) -> None:
        self.f = lambda: None

    def before(self, context: Any) -> None: ...
    def constructed(self, context: Any, mechanism: Any) -> None: ...
    def after(self, context: Any, end: Any) -> None: ...


def test_run_hooks_are_checked_before_anything_runs() -> None:
    with pytest.raises(ValueError, match="lacks the method"):
        palaver_tournament([MiCRO], [small_scenario(0)], run_hooks=object())
    with pytest.raises(ValueError, match="cannot be sent to the 'process' executor"):
        palaver_tournament(
            [MiCRO], [small_scenario(0)], executor="process", run_hooks=_NotPicklable()
        )


class _Thing:
    def __str__(self) -> str:
        return "thing"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "gzip"])
def test_save_and_load_dataframe_keep_lists_and_stringify_objects(tmp_path: Path, fmt: str) -> None:
    from palaver.negmas.tournaments.neg.simple.cartesian import (  # type: ignore[attr-defined]
        _load_dataframe,
        _save_dataframe,
    )

    frame = pd.DataFrame({"n": [1, 2], "lists": [[1, 2], [3]], "obj": [_Thing(), None],
                          "mixed": [5, _Thing()]})  # fmt: skip
    written = _save_dataframe(frame, tmp_path, "details", fmt)
    assert written == find_dataframe_file(tmp_path, "details")
    loaded = _load_dataframe(tmp_path, "details")
    assert loaded.n.tolist() == [1, 2]
    assert [list(v) for v in loaded.lists] == [[1, 2], [3]]
    assert loaded.obj.iloc[0] == "thing"
    assert _load_dataframe(tmp_path, "absent") is None


def _check_info(info: RunInfo) -> None:
    # Functions in the configuration are plain data (their names) in the workers.
    if not info.config["raw_aggregated_metrics"]["double"].endswith("<lambda>"):
        raise AssertionError(info.config["raw_aggregated_metrics"])


def test_callbacks_and_a_config_holding_functions_go_to_process_workers() -> None:
    r = run(
        njobs=2,
        before_start_callback=_check_info,
        raw_aggregated_metrics={"double": lambda m: 2 * m["utility"]},
    )
    assert not r.details.has_error.any(), r.details.error_details.iloc[0][-300:]
    assert r.config["raw_aggregated_metrics"]["double"].endswith("<lambda>")
