"""What the command line does with the files around it: failed worlds, a locked
results folder, links and FIFOs as outputs, damaged derived files, and a folder
that shadows a shipped config's name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import palaver

from palaver.cli.tournament import _config_source, shipped_configs
from palaver.tournaments.lock import FolderLock

BROKEN_WORLD = '''
from palaver.examples.trips import TripsWorld


class BrokenTrips(TripsWorld):
    """A TripsWorld that fails in its first step."""

    def simulation_step(self, stage):
        raise RuntimeError("this world breaks on purpose")
'''

CONFIG = """
name = "breaks"
world = "{world}"
seed = 1
agents_per_competitor = 1
world_params = {{ n_steps = 2 }}

[[competitors]]
name = "random"
type = "palaver.examples.trips:RandomPerson"

[[competitors]]
name = "smart"
type = "palaver.examples.trips:SmartPerson"
"""


def config(tmp_path: Path, world: str = "palaver.examples.trips:TripsWorld") -> str:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(world=world))
    return str(path)


@pytest.mark.parametrize("width", [80, 200])
def test_worlds_that_fail_make_the_run_exit_1(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_world.py").write_text(BROKEN_WORLD)
    monkeypatch.syspath_prepend(str(tmp_path))
    toml = config(tmp_path, "broken_world:BrokenTrips")
    out = tmp_path / "out"
    args = ("tournament", "run", toml, "-o", str(out), "-e", "serial", "--no-progress")
    result = palaver(*args, columns=width, monkeypatch=monkeypatch)
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    last = " ".join(result.stderr.split())
    assert last.startswith("error: 1 world(s) failed and 0 timed out")
    assert "--failures lists why" in last
    shown = palaver("tournament", "show", str(out), "--failures", monkeypatch=monkeypatch)
    assert shown.code == 0 and "this world breaks on purpose" in shown.output


def test_a_second_run_on_a_locked_folder_says_who_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with FolderLock(out):
        args = ("tournament", "run", config(tmp_path), "-o", str(out), "-e", "serial")
        result = palaver(*args, monkeypatch=monkeypatch)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "in use by another tournament run (process " in lines[0]


def test_outputs_given_as_links_are_written_through(
    small_recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link is followed (the file it points to is written, the link stays), as a
    shell redirection would; the export used to replace the link with a file."""
    for option, name, command in (
        ("--json", "export.json", "export"),
        ("-o", "report.html", "report"),
    ):
        real = tmp_path / f"real-{name}"
        link = tmp_path / name
        link.symlink_to(real.name)
        result = palaver(command, str(small_recording), option, str(link), monkeypatch=monkeypatch)
        assert result.code == 0, result.output
        assert link.is_symlink() and link.resolve() == real.resolve()
        assert real.stat().st_size > 1_000


def test_a_damaged_stats_file_is_one_warning_line(
    small_recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stats.parquet is derived data: when damaged the statistics are computed from
    the events, and the command says so in one line naming the file."""
    copy = tmp_path / small_recording.name
    shutil.copytree(small_recording, copy)
    stats = copy / "stats.parquet"
    data = bytearray(stats.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 64] = bytes(64)
    stats.write_bytes(bytes(data))
    for args in (["report", str(copy), "-o", str(tmp_path / "r.html")], ["inspect", str(copy)]):
        result = palaver(*args, monkeypatch=monkeypatch)
        assert result.code == 0, result.output
        assert "Traceback" not in result.output and "RecordingWarning" not in result.output
        warnings = [line for line in result.stderr.splitlines() if line.strip()]
        if args[0] == "report":
            assert len(warnings) == 1, result.stderr
        assert all(w.startswith("warning: ") and "stats.parquet" in w for w in warnings)


def test_a_folder_named_like_a_shipped_config_does_not_hide_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `palaver run trips --record trips` makes a folder "trips"; then
    # `palaver tournament run trips` said "'trips' is not a dotted name".
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trips").mkdir()
    assert _config_source("trips") == str(shipped_configs()["trips"])


@pytest.mark.parametrize("width", [80, 200])
def test_an_empty_recording_is_inspected_and_reported(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mesa = pytest.importorskip("mesa")
    from palaver.recording import SimulationRecorder

    recorder = SimulationRecorder(mesa.Model(seed=1), output_dir=tmp_path / "rec")
    recorder.close()
    shown = palaver("inspect", str(tmp_path / "rec"), columns=width, monkeypatch=monkeypatch)
    assert shown.code == 0, shown.output
    assert "No agent events." in shown.stdout and "No contract events." in shown.stdout
    out = tmp_path / "empty.html"
    written = palaver("report", str(tmp_path / "rec"), "-o", str(out), monkeypatch=monkeypatch)
    assert written.code == 0, written.output
    assert "nothing to plot" in out.read_text(encoding="utf-8")


def test_verify_takes_the_folder_holding_a_recording(
    small_recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "DAMAGED ... no events/ folder" for the folder given to --record.
    result = palaver("verify", str(small_recording.parent), monkeypatch=monkeypatch)
    assert result.code == 0, result.output
    assert result.stdout.startswith(f"OK  {small_recording}:")


def test_verify_asks_which_recording_of_a_folder_holding_several(
    small_recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "DAMAGED ... not a Palaver recording (no events/ folder)" (exit 1),
    # where inspect, export and report ask which recording is meant.
    runs = tmp_path / "runs"
    for name in ("simulation_a", "simulation_b"):
        shutil.copytree(small_recording, runs / name)
    for command in (["verify"], ["inspect"]):
        result = palaver(*command, str(runs), monkeypatch=monkeypatch)
        assert result.code == 1, result.output
        assert "DAMAGED" not in result.output
        assert f"{runs} holds 2 recordings; name one of them" in result.output
        assert str(runs / "simulation_a") in result.output


def test_verify_checks_a_tournament_folder_as_a_resume_would(tmp_path: Path) -> None:
    # A tournament.json edited to another seed, a manifest line edited, and a world's
    # scores part replaced by another valid Parquet file all read as OK (exit 0).
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from palaver.scenarios.generators import zero_sum_scenario
    from palaver.tournaments import TournamentConfig, run_tournament
    from palaver.tournaments.negotiation import cartesian_tournament

    pie = zero_sum_scenario(10, seed=1)
    league = tmp_path / "league"
    cartesian_tournament(["boulware", "conceder"], [pie], n_steps=10, seed=1, path=league)
    assert palaver("verify", str(league)).code == 0
    setup = league / "tournament.json"
    setup.write_text(setup.read_text().replace('"seed": 1,', '"seed": 2,'))
    edited = palaver("verify", str(league))
    assert edited.code == 1 and "tournament.json is damaged (checksum mismatch)" in edited.stdout
    shutil.rmtree(league)
    cartesian_tournament(["boulware", "conceder"], [pie], n_steps=10, seed=1, path=league)
    manifest = league / "manifest.jsonl"
    line = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**line, "negotiations": line["negotiations"] + 1}) + "\n")
    edited = palaver("verify", str(league))
    assert edited.code == 1 and "manifest.jsonl line 1: damaged" in edited.stdout

    trips = "palaver.examples.trips"
    config = TournamentConfig(
        world=f"{trips}:TripsWorld",
        competitors=[f"{trips}:RandomPerson", f"{trips}:SmartPerson"],
        seed=1,
        world_params={"n_steps": 2},
    )
    results = tmp_path / "results"
    run_tournament(config, results, executor="serial", progress=False)
    assert palaver("verify", str(results)).code == 0
    part = sorted((results / "scores").glob("*.parquet"))[0]
    table = pq.read_table(part)
    doubled = pa.array(
        [2 * x for x in table.column("score").to_pylist()], table.column("score").type
    )
    pq.write_table(table.set_column(table.column_names.index("score"), "score", doubled), part)
    swapped = palaver("verify", str(results))
    assert swapped.code == 1
    assert f"scores/{part.name} is damaged (checksum mismatch)" in swapped.stdout


def test_a_negotiation_folder_with_a_damaged_setup_is_named_as_such(tmp_path: Path) -> None:
    # verify took it for a recording ("not a Palaver recording"), show for a world
    # tournament ("manifest.json is missing").
    from palaver.scenarios.generators import zero_sum_scenario
    from palaver.tournaments.negotiation import cartesian_tournament

    league = tmp_path / "league"
    cartesian_tournament(["boulware"], [zero_sum_scenario(10, seed=1)], n_steps=5, path=league)
    (league / "tournament.json").write_text("{garbage")
    verified = palaver("verify", str(league))
    assert verified.code == 1 and "negotiation tournament" in verified.stdout
    assert "tournament.json is damaged" in verified.stdout
    shown = palaver("tournament", "show", str(league))
    assert shown.code == 2 and "tournament.json cannot be read: it is damaged" in shown.stderr


@pytest.mark.parametrize("command", ["inspect", "export"])
def test_inspect_and_export_say_they_read_parquet_exports(command: str) -> None:
    # Both open a Parquet export as the guide says; their help named only a
    # recording folder and its manifest.
    out = palaver(command, "--help", columns=400)
    assert out.code == 0 and "Parquet export" in out.stdout


def test_an_unknown_agent_of_a_mesa_recording_lists_the_known_ids_in_number_order(
    tmp_path: Path,
) -> None:
    from palaver.recording import SimulationRecorder

    class Model:
        steps = 1

    recorder = SimulationRecorder(Model(), output_dir=tmp_path, record_state_changes=False)
    for agent in range(1, 13):
        recorder.record_event("action", {"a": agent}, agent_id=agent)
    recorder.close()
    assert recorder.folder is not None
    result = palaver("inspect", str(recorder.folder), "--agent", "99")
    assert result.code != 0
    assert "known: 1, 2, 3, 4, 5, 6, 7, 8 ..." in result.output


def test_verify_of_a_link_to_nothing_says_nothing_is_there(tmp_path: Path) -> None:
    # As for a path where nothing is (exit 1), not "no recording at" (exit 2).
    link = tmp_path / "gone"
    link.symlink_to(tmp_path / "missing")
    result = palaver("verify", str(link))
    assert result.code == 1
    assert "nothing at" in result.stderr and "symbolic link to nothing" in result.stderr
